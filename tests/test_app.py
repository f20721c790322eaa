"""The page through gradio_client, as a remote user would drive it."""

import time

import pytest
from gradio_client import Client, handle_file
from gradio_client.exceptions import AppError
from PIL import Image

import app
from style_core import StyleConfig, read_png_settings

pytestmark = pytest.mark.slow


def controls(**changes):
    """Control values in the page's order: small, quick settings unless changed."""
    values = dict(zip(app.CONTROL_LABELS, app.config_to_controls(app.PAGE_DEFAULT)))
    values.update(size=128, iterations=10, scales=1)
    values.update(changes)
    return [values[name] for name in app.CONTROL_LABELS]


@pytest.fixture(scope="module")
def client(tmp_path_factory):
    demo = app.build_demo()
    demo.queue(max_size=16)
    _, url, _ = demo.launch(prevent_thread_lock=True, quiet=True, max_file_size=app.MAX_UPLOAD)
    yield Client(url, download_files=str(tmp_path_factory.mktemp("downloads")), verbose=False)
    demo.close()


def stylize_args(content_path, style_path, **changes):
    return [handle_file(str(content_path)), handle_file(str(style_path)), None, 0.5, False, *controls(**changes)]


def test_a_short_run_streams_previews_and_returns_the_image_and_a_captioned_entry(client, content_path, style_path):
    job = client.submit(*stylize_args(content_path, style_path, size=160, iterations=40), api_name="/stylize")
    final = job.result(timeout=300)
    outputs = job.outputs()
    assert len(outputs) >= 3  # previews streamed before the final image
    result_path, status, gallery, slider, download = final
    result = Image.open(result_path)
    width, height = Image.open(content_path).size
    assert max(result.size) == 160 and abs(result.width / result.height - width / height) < 0.03
    assert status.startswith("Done in")
    assert len(gallery) == 1 and "alpha/beta" in gallery[0]["caption"]
    assert StyleConfig.from_dict(read_png_settings(download)).size == 160


def test_the_settings_round_trip_through_the_png(client, content_path, style_path):
    *_, download = client.predict(
        *stylize_args(content_path, style_path, seed=11, strength=2.5, color="luminance", pooling="avg"),
        api_name="/stylize",
    )
    restored = client.predict(handle_file(download), api_name="/restore_settings")
    expected = controls(seed=11, strength=2.5, color="luminance", pooling="avg")
    assert dict(zip(app.CONTROL_LABELS, restored)) == dict(zip(app.CONTROL_LABELS, expected))


def test_a_corrupt_upload_gets_a_clear_error_and_the_app_keeps_serving(client, tmp_path, content_path, style_path):
    corrupt = tmp_path / "holiday.png"
    corrupt.write_bytes(b"\x89PNG\r\n\x1a\n this is not really a picture")
    with pytest.raises(AppError, match="Content photo: not an image"):
        client.predict(*stylize_args(corrupt, style_path), api_name="/stylize")
    truncated = tmp_path / "cut.png"
    truncated.write_bytes(content_path.read_bytes()[:4000])
    with pytest.raises(AppError, match="truncated or corrupt"):
        client.predict(*stylize_args(truncated, style_path), api_name="/stylize")
    with pytest.raises(AppError, match="style layer"):
        client.predict(*stylize_args(content_path, style_path, w1=0, w2=0, w3=0, w4=0, w5=0), api_name="/stylize")
    assert client.predict(*stylize_args(content_path, style_path), api_name="/stylize")[1].startswith("Done")


def test_cancelling_stops_the_work(client, content_path, style_path):
    job = client.submit(*stylize_args(content_path, style_path, size=256, iterations=500), api_name="/stylize")
    deadline = time.time() + 120
    while not job.outputs() and time.time() < deadline:
        time.sleep(0.2)
    assert job.outputs(), "no preview arrived"
    job.cancel()
    started = time.perf_counter()
    # One heavy job at a time: this short one only gets through if the long one really stopped.
    assert client.predict(*stylize_args(content_path, style_path), api_name="/stylize")[1].startswith("Done")
    assert time.perf_counter() - started < 60


def test_two_clients_at_once_both_finish(client, content_path, style_path):
    other = Client(client.src, verbose=False)
    first = client.submit(*stylize_args(content_path, style_path, seed=1), api_name="/stylize")
    second = other.submit(*stylize_args(content_path, style_path, seed=2), api_name="/stylize")
    assert first.result(timeout=300)[1].startswith("Done")
    assert second.result(timeout=300)[1].startswith("Done")
    assert len(second.result()[2]) == 1  # each session sees only its own results


def test_the_denoise_tab_streams_previews_then_returns_before_and_after(client, content_path):
    job = client.submit(handle_file(str(content_path)), api_name="/denoise")
    (before, after), download = job.result(timeout=300)
    assert len(job.outputs()) >= 3  # previews of the image as denoised so far, then the result
    assert Image.open(before).size == Image.open(after).size == Image.open(content_path).size
    assert "denoise" in Image.open(download).text["style_core:notes"]
