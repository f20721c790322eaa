"""Devices: which precision "auto" picks, and running out of memory."""

import pytest
import torch

from style_core import StyleConfig, StyleCoreError, stylize, stylize_image
from style_core.device import cpu_has_native_bf16, network_dtype


def test_auto_precision_is_bfloat16_only_where_the_cpu_has_it(tmp_path, monkeypatch):
    monkeypatch.delenv("STYLE_CORE_CPU_BF16", raising=False)
    plain, native = tmp_path / "plain", tmp_path / "native"
    plain.write_text("flags\t\t: fpu avx2 avx512f avx512bw\n")
    native.write_text("flags\t\t: fpu avx2 avx512f avx512bw avx512_bf16\n")
    assert not cpu_has_native_bf16(str(plain))
    assert cpu_has_native_bf16(str(native))
    assert not cpu_has_native_bf16(str(tmp_path / "no such file"))
    cpu = torch.device("cpu")
    monkeypatch.setattr("style_core.device.cpu_has_native_bf16", lambda: False)
    assert network_dtype("auto", cpu) == torch.float32
    monkeypatch.setattr("style_core.device.cpu_has_native_bf16", lambda: True)
    assert network_dtype("auto", cpu) == torch.bfloat16
    assert network_dtype("float32", cpu) == torch.float32
    assert network_dtype("bfloat16", cpu) == torch.bfloat16
    monkeypatch.setenv("STYLE_CORE_CPU_BF16", "0")  # run as a CPU without bfloat16 would
    assert network_dtype("auto", cpu) == torch.float32
    assert network_dtype("bfloat16", cpu) == torch.float32  # emulated, it would be tens of times slower


def test_running_out_of_memory_gives_one_line_with_a_size_to_try_and_the_next_run_works(
    content_path, style_path, tiny, device, monkeypatch
):
    def out_of_memory(*args, **kwargs):
        raise torch.OutOfMemoryError("CUDA out of memory. Tried to allocate 2.00 GiB")

    monkeypatch.setattr("style_core.transfer._step", out_of_memory)
    with pytest.raises(StyleCoreError, match=r"^the (CPU|CUDA) ran out of memory at 512 px: try 352 px or less$"):
        list(stylize(content_path, style_path, StyleConfig(scales=1, iterations=2), device=device))
    monkeypatch.undo()
    assert stylize_image(content_path, style_path, tiny, device=device).size[0] == 64
