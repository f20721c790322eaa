"""The page through gradio_client, as a remote user would drive it: the named API and the page's own events."""

import time
from pathlib import Path

import pytest
from gradio_client import Client, handle_file
from gradio_client.exceptions import AppError, ValidationError
from PIL import Image

from style_core import SETTINGS, StyleConfig, read_png_settings, save_png
from style_core.denoise import FAST
from ui.controls import config_to_values, values_to_config
from ui.machine import UNMEASURED

pytestmark = pytest.mark.slow
QUICK = {"size": 96, "iterations": 4, "scales": 1}


@pytest.fixture(scope="module")
def client(page_url, tmp_path_factory):
    return Client(page_url, download_files=str(tmp_path_factory.mktemp("downloads")), verbose=False)


def page_args(content, style, widgets=None, **changes):
    """The page's Run button's inputs: the images, then every control in the fields' order."""
    values = {**config_to_values(UNMEASURED.default_config().replace(**{**QUICK, **changes})), **(widgets or {})}
    images = [handle_file(str(content)), handle_file(str(style)), None, False, None]  # no second style, regions
    return [*images, *(values[name] for name in SETTINGS)]


def every_field_changed() -> StyleConfig:
    config = StyleConfig(
        content_layers=["relu3_2", "relu4_2"], style_layers={"relu1_1": 0.25, "relu2_2": 1.5, "conv3_1": 3.0},
        content_weight=2.5, style_weight=12345.678, strength=2.37, tv_weight=0.125, frame_weight=7.5, style_loss="w2",
        pooling="avg", padding="replicate", weights="torchvision", precision="float32", init="noise", optimizer="adam",
        learning_rate=0.013, lbfgs_history=17,
        iterations=123, scales=3, scale_factor=1.7320508075688772, fine_steps_ratio=0.3, min_change=0.35,
        size=333, style_scale=0.65, tile_size=512, style_blend=[0.7, 0.3], mask_feather=3.5, unmasked_style=0.25,
        color="match",
        seed=987654321,
    )  # fmt: skip
    default = StyleConfig()
    assert all(getattr(config, name) != getattr(default, name) for name in SETTINGS)
    return config


def test_every_route_names_its_parameters_and_outputs(client):
    endpoints = client.view_api(return_format="dict", print_info=False)["named_endpoints"]
    assert {"/stylize", "/compare", "/denoise", "/settings_from_png", "/presets", "/video"} <= set(endpoints)
    for route, info in endpoints.items():
        names = [p["parameter_name"] for p in info["parameters"]] + [r["label"] for r in info["returns"]]
        assert all(name and not name.startswith(("param_", "value_")) for name in names), (route, names)
    assert [p["parameter_name"] for p in endpoints["/stylize"]["parameters"]][:4] == [
        "content", "style", "preset", "settings"
    ]  # fmt: skip


def test_the_stylize_route_streams_previews_and_returns_a_png_with_its_exact_settings(client, content_path, style_path):
    job = client.submit(
        content=handle_file(str(content_path)), style=handle_file(str(style_path)), preset="strong_style",
        settings={"size": 160, "iterations": 6, "strength": 2.5, "seed": 3}, api_name="/stylize",
    )  # fmt: skip
    image, status, settings = job.result(timeout=300)
    assert len(job.outputs()) >= 3  # previews before the result
    previews = [output[0] for output in job.outputs()[:-1] if isinstance(output[0], str)]  # not a skip
    # Previews come as JPEG, quick to encode beside the running optimiser and light to send; the result as PNG.
    assert previews and {Image.open(preview).format for preview in previews} == {"JPEG"}
    assert Image.open(image).format == "PNG"
    assert status.startswith("Done in")
    expected = StyleConfig(style_weight=1e4, size=160, iterations=6, strength=2.5, seed=3)
    assert settings == expected.to_dict() == read_png_settings(image)
    assert max(Image.open(image).size) == 160
    assert client.predict(png=handle_file(image), api_name="/settings_from_png") == settings


@pytest.mark.parametrize(
    ("settings", "message"),
    [
        ({"size": 4096}, "size 4096 is over this page's limit of 1024"),
        ({"iterations": 100000}, "iterations 100000 is over this page's limit of 500"),
        ({"colour": "off"}, "unknown setting 'colour'"),
        ({"pooling": "min"}, "pooling must be one of max, avg"),
    ],
)
def test_the_api_refuses_what_the_page_refuses(client, content_path, style_path, settings, message):
    with pytest.raises(AppError, match=message):
        client.predict(
            content=handle_file(str(content_path)), style=handle_file(str(style_path)), settings=settings,
            api_name="/stylize",
        )  # fmt: skip
    with pytest.raises(AppError, match=message):  # the other route that takes a settings dict
        client.predict(
            content=handle_file(str(content_path)), style=handle_file(str(style_path)), kind="presets",
            settings=settings, api_name="/compare",
        )  # fmt: skip


@pytest.mark.parametrize(
    ("route", "arguments", "message"),
    [
        ("/stylize", {"preset": "Balanced"}, "unknown preset 'Balanced'; choose one of gatys2015, balanced"),
        ("/compare", {"kind": "grid"}, "kind must be one of presets, styles"),
        ("/compare", {"kind": "styles", "paintings": ["Mona Lisa"]}, "unknown painting 'Mona Lisa'; the paintings"),
        ("/video", {"fps": 100}, "fps must be from 1 to 60, not 100"),
    ],
)
def test_a_value_the_api_does_not_know_gets_a_message_not_a_bare_bad_request(
    client, content_path, style_path, route, arguments, message
):
    photo = handle_file(str(content_path))  # /video refuses the fps before it reads its clip
    images = {"clip": photo} if route == "/video" else {"content": photo}
    with pytest.raises(AppError, match=message):
        client.predict(**images, style=handle_file(str(style_path)), **arguments, api_name=route)


def test_a_config_with_every_field_changed_round_trips_through_the_page(client, tmp_path):
    config = every_field_changed()
    png = tmp_path / "result.png"
    save_png(Image.new("RGB", (32, 32)), png, config.to_dict())
    restored = client.predict(handle_file(str(png)), api_name="/restore_page")  # the page's restore drop zone
    assert values_to_config(dict(zip(SETTINGS, restored))) == config
    assert client.predict(png=handle_file(str(png)), api_name="/settings_from_png") == config.to_dict()


def test_the_page_run_streams_previews_and_adds_a_captioned_gallery_entry(client, content_path, style_path):
    job = client.submit(
        *page_args(content_path, style_path, size=160, iterations=6, scales=3), api_name="/stylize_page"
    )
    result_path, status, gallery, slider, download = job.result(timeout=300)
    assert len(job.outputs()) >= 3
    result = Image.open(result_path)
    width, height = Image.open(content_path).size
    assert max(result.size) == 160 and abs(result.width / result.height - width / height) < 0.03
    assert status.startswith("Done in")
    # A caption short enough for its thumbnail; the whole settings line is the status's.
    assert len(gallery) == 1 and gallery[0]["caption"] == "1. 160 px, strength 1"
    assert "alpha/beta" in status
    assert StyleConfig.from_dict(read_png_settings(download)).size == 160


def test_a_corrupt_upload_gets_a_clear_error_and_the_app_keeps_serving(client, tmp_path, content_path, style_path):
    corrupt = tmp_path / "holiday.png"
    corrupt.write_bytes(b"\x89PNG\r\n\x1a\n this is not really a picture")
    with pytest.raises(AppError, match="Content photo: not an image"):
        client.predict(*page_args(corrupt, style_path), api_name="/stylize_page")
    truncated = tmp_path / "cut.png"
    truncated.write_bytes(content_path.read_bytes()[:4000])
    with pytest.raises(AppError, match="truncated or corrupt"):
        client.predict(content=handle_file(str(truncated)), style=handle_file(str(style_path)), api_name="/stylize")
    with pytest.raises(AppError, match="style layer weight"):
        client.predict(*page_args(content_path, style_path, {"style_layers": "relu1_1:-1"}), api_name="/stylize_page")
    assert client.predict(*page_args(content_path, style_path), api_name="/stylize_page")[1].startswith("Done")


def test_cancelling_stops_the_work(client, content_path, style_path):
    job = client.submit(*page_args(content_path, style_path, size=256, iterations=500), api_name="/stylize_page")
    deadline = time.time() + 120
    while not job.outputs() and time.time() < deadline:
        time.sleep(0.2)
    assert job.outputs(), "no preview arrived"
    job.cancel()
    started = time.perf_counter()
    # One heavy job at a time: this short one only gets through if the long one really stopped.
    assert client.predict(*page_args(content_path, style_path), api_name="/stylize_page")[1].startswith("Done")
    assert time.perf_counter() - started < 60


def test_a_client_has_one_heavy_job_at_a_time_without_holding_up_others(client, content_path, style_path):
    images = {"content": handle_file(str(content_path)), "style": handle_file(str(style_path))}
    long = client.submit(**images, settings={"size": 256, "iterations": 500, "scales": 1}, api_name="/stylize")
    deadline = time.time() + 120
    while not long.outputs() and time.time() < deadline:
        time.sleep(0.2)
    assert long.outputs(), "the long job never started"
    with pytest.raises(ValidationError, match="You already have a job queued or running"):
        client.predict(**images, settings=QUICK, api_name="/stylize")
    with pytest.raises(ValidationError, match="You already have a job queued or running"):
        client.predict(image=handle_file(str(content_path)), api_name="/denoise")
    other = Client(client.src, verbose=False).submit(**images, settings=QUICK, api_name="/stylize")
    long.cancel()
    assert other.result(timeout=120)[1].startswith("Done")  # another client's job was queued, not refused
    assert client.predict(**images, settings=QUICK, api_name="/stylize")[1].startswith("Done")  # the cap lifted


def test_two_clients_at_once_both_finish_and_see_only_their_own_results(client, content_path, style_path):
    other = Client(client.src, verbose=False)
    first = client.submit(*page_args(content_path, style_path, seed=1), api_name="/stylize_page")
    second = other.submit(*page_args(content_path, style_path, seed=2), api_name="/stylize_page")
    assert first.result(timeout=300)[1].startswith("Done")
    assert second.result(timeout=300)[1].startswith("Done")
    assert len(second.result()[2]) == 1


def test_the_styles_grid_labels_its_cells_and_shows_each_as_it_finishes(client, content_path, style_path):
    job = client.submit(
        content=handle_file(str(content_path)), style=handle_file(str(style_path)), kind="styles",
        paintings=["Udnie, Francis Picabia"], settings={"iterations": 4, "size": 160}, api_name="/compare",
    )  # fmt: skip
    grid = Image.open(job.result(timeout=300))
    # Between cells a no-change update at most every ui.jobs.STATUS_EVERY_S (so a cancel lands within it).
    grids = [Image.open(output) for output in job.outputs() if isinstance(output, str)]
    assert len(grids) == 2  # one grid per finished cell
    assert grids[0].tobytes() != grids[1].tobytes()
    assert grid.width == 2 * 160 and grid.height > 100  # cells never larger than the settings' size


def test_the_denoise_route_returns_a_denoised_png(client, content_path, tmp_path, monkeypatch):
    monkeypatch.setitem(FAST, "steps", 100)  # the route, not the denoiser's quality (test_denoise.py)
    monkeypatch.setitem(FAST, "halve_every", 50)
    small = tmp_path / "small.png"
    Image.open(content_path).crop((0, 0, 160, 120)).save(small)  # its time grows with the pixels it shows
    job = client.submit(image=handle_file(str(small)), api_name="/denoise")
    denoised = job.result(timeout=300)
    assert Image.open(denoised).size == (160, 120)
    assert "denoise" in Image.open(denoised).text["style_core:notes"]


def test_a_large_image_is_denoised_whole_and_shown_shrunk(client, content_path, tmp_path, monkeypatch):
    monkeypatch.setitem(FAST, "steps", 100)
    monkeypatch.setattr("ui.tabs.denoise.SHOWN_MAX_PIXELS", 80 * 60)  # as a camera's photo is against 4 MP
    small = tmp_path / "small.png"
    Image.open(content_path).crop((0, 0, 160, 120)).save(small)
    (before, after), status, download = client.predict(handle_file(str(small)), api_name="/denoise_page")
    assert Image.open(before).size == Image.open(after).size == (80, 60) and Image.open(download).size == (160, 120)
    assert status.endswith("Shown at 80x60; the PNG below is the whole 160x120.")


def test_a_client_can_cancel_a_denoise_before_its_end(client, content_path, tmp_path, monkeypatch):
    monkeypatch.setitem(FAST, "steps", 1_000_000)  # hours: only the cancel ends it
    small = tmp_path / "small.png"
    Image.open(content_path).crop((0, 0, 160, 120)).save(small)
    job = client.submit(image=handle_file(str(small)), api_name="/denoise")
    deadline = time.time() + 60
    while not job.outputs() and time.time() < deadline:  # a no-change update, at most a second apart
        time.sleep(0.2)
    assert job.outputs(), "no update arrived"
    job.cancel()
    monkeypatch.setitem(FAST, "steps", 100)
    started = time.perf_counter()
    # One heavy job at a time: this short one only gets through if the long one really stopped.
    assert Image.open(client.predict(image=handle_file(str(small)), api_name="/denoise")).size == (160, 120)
    assert time.perf_counter() - started < 30


def test_the_denoise_tab_shows_before_and_after_with_previews_on_the_way(client, content_path, tmp_path, monkeypatch):
    monkeypatch.setitem(FAST, "steps", 100)
    monkeypatch.setitem(FAST, "halve_every", 50)
    small = tmp_path / "small.png"
    Image.open(content_path).crop((0, 0, 160, 120)).save(small)
    job = client.submit(handle_file(str(small)), api_name="/denoise_page")
    (before, after), status, download = job.result(timeout=300)
    assert Image.open(before).tobytes() == Image.open(small).convert("RGB").tobytes()  # the noisy image, as it was
    assert Image.open(after).tobytes() == Image.open(download).tobytes()  # the result on view is the PNG offered
    assert Path(download).name.startswith("denoised_")  # a download named for what it holds
    assert status.startswith("Done in")
    assert job.outputs()[0][1].startswith("Fitting the denoiser to this image: step 1 of 100")  # before a preview
    previews = [output[0][1] for output in job.outputs()[:-1] if isinstance(output[0], (list, tuple))]
    # About five previews; sent as JPEG, quick to encode, where PNG would cost more than the denoiser's own time.
    assert len(previews) >= 3 and all(Image.open(preview).format == "JPEG" for preview in previews)


def test_the_layers_route_fills_the_figure_cell_by_cell_and_says_what_it_refuses(client, content_path):
    job = client.submit(photo=handle_file(str(content_path)), kind="content", size=64, steps=10, api_name="/layers")
    content_row, style_row, figure = job.result(timeout=300)
    # A new figure per finished cell; between cells, no-change updates at most every second (Stop lands there).
    figures = [figure for *_, figure in job.outputs() if isinstance(figure, str)]
    assert len(figures) == 5 and len(set(figures)) == 5
    assert [cell["caption"] for cell in content_row] == ["conv1_2", "conv2_2", "conv3_2", "conv4_2", "conv5_2"]
    assert style_row == []
    assert Image.open(figure).width > 5 * 64  # five cells and the labels
    assert Path(figure).name.startswith("layers_")
    with pytest.raises(AppError, match="the style row needs an image"):
        client.predict(photo=handle_file(str(content_path)), size=64, steps=10, api_name="/layers")
    # The page's limits, in a line: a script cannot ask a public page for a 1024 px, 5000-step figure.
    with pytest.raises(AppError, match="size must be a whole number from 64 to 256, not 1024"):
        client.predict(photo=handle_file(str(content_path)), kind="content", size=1024, api_name="/layers")
    with pytest.raises(AppError, match="kind must be one of content, style, both, not 'all'"):
        client.predict(photo=handle_file(str(content_path)), kind="all", api_name="/layers")


def test_the_video_route_returns_a_playable_mp4_and_a_gif_and_refuses_a_non_video(client, content_path, style_path,
                                                                                 tmp_path):  # fmt: skip
    pytest.importorskip("cv2")
    from style_core.video import read_clip, write_mp4

    photo = Image.open(content_path).convert("RGB")
    write_mp4([photo.crop((4 * k, 0, 4 * k + 96, 64)) for k in range(3)], 6, tmp_path / "pan.mp4")
    mp4, gif, status = client.predict(
        clip=handle_file(str(tmp_path / "pan.mp4")), style=handle_file(str(style_path)), preset="balanced",
        settings={"size": 64, "iterations": 2}, api_name="/video",
    )  # fmt: skip
    assert status.startswith("Done: 3 frames at 6 fps")
    back = read_clip(mp4)
    assert len(back.frames) == 3 and back.frames[0].size == (64, 42) and Image.open(gif).n_frames == 3
    write_mp4([photo.crop((2 * k, 0, 2 * k + 96, 64)) for k in range(12)], 12, tmp_path / "fast.mp4")  # 1 s
    *_, status = client.predict(
        clip=handle_file(str(tmp_path / "fast.mp4")), style=handle_file(str(style_path)), preset="balanced",
        settings={"size": 64, "iterations": 2}, fps=4, api_name="/video",
    )  # fmt: skip
    assert status.startswith("Done: 4 frames at 4 fps")  # a lower rate, the same second of motion
    (tmp_path / "notes.mp4").write_text("not a video")
    with pytest.raises(AppError, match="notes.mp4: not a video"):
        client.predict(clip=handle_file(str(tmp_path / "notes.mp4")), style=handle_file(str(style_path)),
                       preset="balanced", settings={"size": 64}, api_name="/video")  # fmt: skip


def test_a_full_disk_gives_one_line_and_the_page_keeps_working(client, content_path, style_path, monkeypatch):
    from style_core.pipeline import Result

    def full_disk(self, path):
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(Result, "save", full_disk)
    with pytest.raises(AppError, match=r"^The server could not save the result \(No space left on device\)"):
        client.predict(*page_args(content_path, style_path), api_name="/stylize_page")
    monkeypatch.undo()
    assert client.predict(*page_args(content_path, style_path), api_name="/stylize_page")[1].startswith("Done")
