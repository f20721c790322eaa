"""The page's parts without a server: controls made from the settings' metadata, limits, zip, examples."""

import json
import re
import threading
import zipfile
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from types import SimpleNamespace

import gradio as gr
import pytest
from PIL import Image

from style_core import SETTINGS, ConfigError, StyleConfig, save_png
from style_core.config import TIERS, controls_table
from ui.controls import config_to_values, make_controls, settings_to_config, values_to_config
from ui.engine_thread import on_engine_thread
from ui.examples import PAINTINGS
from ui.results import zip_history

from .conftest import ROOT
from .test_app import every_field_changed


def test_every_setting_has_exactly_one_labelled_control_on_the_page():
    with gr.Blocks():
        controls = {}
        for tier in TIERS:
            tier_controls = make_controls(tier, StyleConfig())
            assert not set(tier_controls) & set(controls)
            controls |= tier_controls
    assert set(controls) == set(SETTINGS)
    for name, control in controls.items():
        assert control.label == SETTINGS[name].label and control.info == SETTINGS[name].help


def test_the_video_tab_offers_every_frame_rate_the_video_route_takes():
    from ui.jobs import VIDEO_FPS, VIDEO_MAX_FPS
    from ui.tabs.video import _inputs

    with gr.Blocks():
        fps = _inputs("")[0][4]
    assert (fps.label, fps.minimum, fps.maximum, fps.value) == ("Frames per second", 1, VIDEO_MAX_FPS, VIDEO_FPS)
    assert VIDEO_MAX_FPS >= 60  # a phone's 60 fps clip can be kept as it is


def test_widget_values_convert_back_to_the_exact_settings():
    config = every_field_changed()
    assert values_to_config(config_to_values(config)) == config
    assert json.loads(json.dumps(config_to_values(config))) == config_to_values(config)  # the values travel as JSON


def test_the_page_caps_size_and_iterations_but_the_engine_does_not():
    assert StyleConfig(size=2048).size == 2048
    with pytest.raises(ConfigError, match="size 2048 is over this page's limit of 1024"):
        values_to_config(config_to_values(StyleConfig(size=2048)))
    with pytest.raises(ConfigError, match="iterations 501 is over this page's limit of 500"):
        settings_to_config("balanced", {"iterations": 501})
    with pytest.raises(ConfigError, match="settings must be an object"):
        settings_to_config("balanced", ["size", 5])


def test_the_usage_guides_settings_table_is_the_one_made_from_the_settings():
    usage = (ROOT / "docs" / "USAGE.md").read_text()
    start = usage.index("<!-- settings table: python -m style_core settings -->\n")
    end = usage.index("<!-- end of settings table -->")
    shown = usage[start:end].split("\n", 1)[1].strip()
    assert shown == controls_table(), "docs/USAGE.md's table drifted: paste `python -m style_core settings` into it"


def test_the_usage_guide_states_the_default_schedule_and_first_step_the_engine_uses():
    from style_core.lbfgs import FIRST_STEP_CHANGE
    from style_core.transfer import STYLE_TERM_SCALE

    readme = " ".join((ROOT / "docs" / "USAGE.md").read_text().split())
    default = StyleConfig()
    assert default.init == "feedforward"
    assert "/".join(map(str, default.scale_sizes())) + " px" in readme
    assert "/".join(map(str, default.scale_iterations())) + " L-BFGS steps" in readme
    assert f"each {default.scale_factor:.2f}x the last" in readme
    assert f"scaled by {STYLE_TERM_SCALE:.1e}".replace("e-0", "e-") in readme
    assert f"{FIRST_STEP_CHANGE * 255:g}/255" in readme


def test_all_results_download_as_one_zip_with_their_settings(tmp_path):
    history = []
    for seed in (1, 2):
        path = tmp_path / f"r{seed}.png"
        save_png(Image.new("RGB", (8, 8)), path, StyleConfig(seed=seed).to_dict())
        history.append({"path": str(path), "settings": StyleConfig(seed=seed).to_dict()})
    history.append({"path": str(tmp_path / "expired.png"), "settings": {}})
    with zipfile.ZipFile(zip_history(history)) as archive:
        assert archive.namelist() == ["result_01.png", "result_02.png", "settings.json"]
        assert json.loads(archive.read("settings.json"))["result_02.png"]["seed"] == 2
    assert zip_history([]) is None


def test_the_example_paintings_are_small_and_titled():
    assert 6 <= len(PAINTINGS) <= 8
    for painting in PAINTINGS:
        assert painting.title and painting.artist and painting.year
        assert max(Image.open(painting.path).size) <= 512


def test_the_denoise_tabs_example_is_the_example_photo_with_noise_added():
    from style_core.images import load_image, to_tensor
    from ui.examples import NOISY_SIGMA, PHOTOS, noisy_photo

    clean, noisy = (to_tensor(load_image(path)) for path in (PHOTOS[0][0], noisy_photo()))
    assert noisy.shape == clean.shape
    assert 0.85 * NOISY_SIGMA < 255 * float((noisy - clean).std()) < 1.05 * NOISY_SIGMA  # less where it clips
    assert noisy_photo() == noisy_photo() and Path(noisy_photo()).suffix == ".png"  # made once, kept lossless


def test_the_styles_grid_shows_an_example_painting_once_when_it_is_also_ticked(tmp_path, style_path):
    import shutil

    from ui.jobs import styles_for

    starry, wave = PAINTINGS[0], PAINTINGS[1]
    uploaded = tmp_path / "upload.jpg"  # the page holds a picked example under another name
    shutil.copy(starry.path, uploaded)
    styles, names = styles_for("styles", str(uploaded), [starry.caption, wave.caption])
    assert names == [starry.caption, wave.caption] and len(styles) == 2
    styles, names = styles_for("styles", str(style_path), [wave.caption])  # a painting of one's own
    assert names == ["your style", wave.caption] and styles[0] == str(style_path)


def test_every_painting_on_a_panorama_too_thin_for_the_sheet_says_why(tmp_path):
    from ui.preview import sheet_cells, sheet_paintings

    panorama = tmp_path / "panorama.png"
    Image.new("RGB", (4000, 60), "steelblue").save(panorama)
    values = config_to_values(StyleConfig())
    with pytest.raises(gr.Error, match="4000x60 is too long and thin for 256 px output"):
        sheet_cells(str(panorama), sheet_paintings(None), values)


def test_an_unreadable_upload_gets_its_message_once_for_the_events_that_read_it_together(tmp_path):
    from gradio.data_classes import ImageData

    from ui.controls import PhotoInput

    heic = tmp_path / "IMG_0001.HEIC"
    heic.write_bytes(b"\x00\x00\x00\x18ftypheic\x00\x00\x00\x00mif1heic" + bytes(200))
    photo = PhotoInput(label="Content photo", type="filepath")
    shown = []
    for _ in range(3):  # the preview, the time line and the sheet's line, say
        with pytest.raises(gr.Error, match="Content photo: a HEIC photo") as refused:
            photo.preprocess(ImageData(path=str(heic)))
        shown.append(refused.value.visible)
    assert shown == [True, False, False]


def test_a_value_typed_past_a_controls_range_is_its_end_or_is_refused_by_name():
    from ui.controls import make_control

    controls = {name: make_control(name, getattr(StyleConfig(), name)) for name in SETTINGS}
    # A slider's box, once left, shows its end, and Run sends that: every event reads the same before then.
    assert controls["size"].preprocess(5000) == controls["size"].maximum
    assert controls["strength"].preprocess(-3) == 0
    number = next(c for c in controls.values() if isinstance(c, gr.Number) and c.minimum is not None)
    with pytest.raises(gr.Error) as refused:
        number.preprocess(number.minimum - 1)
    assert refused.value.message.startswith(f"{number.label}: value {number.minimum - 1} is less than minimum")


def test_painted_strokes_become_one_mask_per_style():
    import numpy as np

    from ui.regions import BRUSHES, masks_from_editor

    red, blue, green = ([int(code[i : i + 2], 16) for i in (1, 3, 5)] for code in BRUSHES)
    layer = np.zeros((20, 40, 4), np.uint8)
    layer[:, :10] = [*red, 255]
    layer[:, 30:] = [*blue, 200]
    layer[:5, 10:30] = [*green, 255]
    first, second = masks_from_editor({"background": None, "layers": [layer], "composite": None}, styles=2)
    assert np.asarray(first)[:, :10].min() == 255 and np.asarray(first)[:, 10:].max() == 0
    assert np.asarray(second)[:, 30:].min() == 255 and np.asarray(second)[:, :30].max() == 0
    assert masks_from_editor({"background": None, "layers": [np.zeros((20, 40, 4), np.uint8)]}, styles=1) is None
    with pytest.raises(gr.Error, match="no second style image"):
        masks_from_editor({"layers": [layer]}, styles=1)


def test_on_zerogpu_a_small_job_reserves_little_and_a_huge_one_the_most(monkeypatch):
    """spaces.GPU gets a duration function called with the job's own arguments (ZeroGPU's dynamic duration)."""

    from ui.api import make_compare
    from ui.gpu import GPU_RESERVE_S, gpu
    from ui.machine import UNMEASURED
    from ui.tabs.stylize import stylize_seconds

    durations = []
    fake_spaces = SimpleNamespace(GPU=lambda duration: durations.append(duration) or (lambda function: function))
    monkeypatch.setitem(__import__("sys").modules, "spaces", fake_spaces)
    job = gpu(stylize_seconds)(lambda *args, **settings: None)
    assert job is not None and len(durations) == 1
    small = config_to_values(StyleConfig(size=256))
    huge = config_to_values(StyleConfig(size=1024, iterations=500, scales=1))
    args = ("photo.png", "style.png", None, False, None, [])
    assert GPU_RESERVE_S[0] <= durations[0](*args, **small) <= 30
    assert durations[0](*args, **huge) == GPU_RESERVE_S[1]
    assert durations[0](*args, **{**small, "size": "not a number"}) == GPU_RESERVE_S[0]
    assert make_compare(UNMEASURED) is not None  # the API's routes build with a duration function for each


def test_a_jobs_steps_all_run_on_one_thread_whichever_thread_asks():
    """Gradio takes a generator's steps from any of its pool's threads; the engine's per-thread caches would
    then grow on each of them."""
    steps_ran_on = []

    def job():
        for step in range(6):
            steps_ran_on.append(threading.get_ident())
            yield step

    events = on_engine_thread(job())
    workers = [ThreadPoolExecutor(1) for _ in range(3)]  # like Gradio's pool: each next() from another thread
    taken = [workers[step % 3].submit(next, events).result() for step in range(6)]
    for worker in workers:
        worker.shutdown()
    assert taken == list(range(6))
    assert len(set(steps_ran_on)) == 1 and steps_ran_on[0] != threading.get_ident()


def test_a_forked_worker_runs_jobs_on_its_own_engine_thread():
    """ZeroGPU runs a job in a forked copy of the server, which has none of the parent's threads."""
    import multiprocessing

    assert list(on_engine_thread(n for n in range(3))) == [0, 1, 2]  # the parent's engine thread now exists
    fork = multiprocessing.get_context("fork")
    with fork.Pool(1) as pool:
        assert pool.apply_async(_steps_in_a_worker).get(timeout=30) == [0, 1, 2]


def _steps_in_a_worker() -> list[int]:
    return list(on_engine_thread(n for n in range(3)))


def test_the_page_fits_its_default_size_and_expected_times_to_the_measured_machine():
    from ui.machine import TARGET_SECONDS, Machine

    slow, fast = Machine({"torch.float32": 3.0}), Machine({"torch.float32": 0.2})
    assert slow.default_config().size < fast.default_config().size
    for machine in (slow, fast):
        config = machine.default_config()
        assert machine.seconds(config) <= TARGET_SECONDS  # the default run fits ...
        if config.size < 1024:  # ... and the next size up would not
            assert machine.seconds(config.replace(size=config.size + 32)) > TARGET_SECONDS
    assert fast.default_config().size == 1024  # the page's cap
    line = slow.expected(slow.default_config())
    assert line.startswith("Ready: about ") and f"at {slow.default_config().size} px on this machine" in line
    doubled = slow.default_config().replace(iterations=2 * slow.default_config().iterations)
    assert slow.seconds(doubled) > 1.8 * slow.seconds(slow.default_config()) - 1  # the line follows the settings


def test_the_compare_line_says_the_grids_cells_and_fits_them_to_the_machine():
    from style_core import PRESETS
    from ui.machine import TARGET_SECONDS, Machine

    def time_cells_size(machine: Machine, kind: str, styles: int = 1) -> tuple[str, int, int]:
        line = machine.grid_expected(kind, StyleConfig(size=512), styles)
        found = re.fullmatch(r"Ready: about (.+) for (\d+) cells at (\d+) px on this machine", line)
        assert found, line
        return found[1], int(found[2]), int(found[3])

    slow, fast = Machine({"torch.float32": 4.0}), Machine({"torch.float32": 0.4})
    assert time_cells_size(fast, "presets")[1] == len(PRESETS)
    assert time_cells_size(fast, "styles", 3)[1] == 3
    assert time_cells_size(fast, "strength x layers")[1] == 9
    for kind in ("presets", "strength x layers"):
        assert time_cells_size(slow, kind)[2] < time_cells_size(fast, kind)[2]  # smaller cells on a slower machine
        seconds = time_cells_size(fast, kind)[0]
        assert seconds.endswith(" s") and int(seconds[:-2]) <= TARGET_SECONDS + 1  # about the page's usual time


def test_the_expected_time_counts_a_browser_on_the_same_machine(monkeypatch):

    from ui.machine import Machine, browser_on_this_machine

    def request(host: str, **headers: str) -> SimpleNamespace:
        return SimpleNamespace(client=SimpleNamespace(host=host), headers=headers)

    assert browser_on_this_machine(request("127.0.0.1"))  # python app.py, opened on this machine
    assert not browser_on_this_machine(request("127.0.0.1", **{"x-forwarded-for": "203.0.113.7"}))  # a Space's proxy
    assert not browser_on_this_machine(request("192.168.1.20"))  # another machine on the LAN
    assert not browser_on_this_machine(None)  # no page: a script's own call
    machine = Machine({"torch.float32": 2.0})
    config = machine.default_config()
    monkeypatch.setattr("ui.machine.os.cpu_count", lambda: 2)  # the kind of machine it was measured on
    seconds = [int(machine.expected(config, browser_here=here).split()[2]) for here in (False, True)]
    assert seconds[1] > seconds[0]  # the browser's drawing takes part of the cores the run needs
    # A grid costs such a browser more (each cell sends the whole grid again): its cells are sized with it.
    fast = Machine({"torch.float32": 1.0})
    cells = [fast.grid_cell_size("strength x layers", config, 1, browser_here=here) for here in (False, True)]
    assert cells[1] < cells[0]
    line = fast.grid_expected("strength x layers", config, 1, browser_here=True)
    assert f"at {cells[1]} px on this machine" in line


def test_the_layers_line_follows_the_machine_and_the_figures_settings():
    from style_core.explore import ExploreConfig, figure_units
    from ui.machine import Machine

    def seconds(line: str) -> int:  # "Ready: about 13 s ..." or "Ready: about 2 min ..."
        number, unit = line.split()[2:4]
        return int(number) * (60 if unit == "min" else 1)

    slow, fast = Machine({"torch.float32": 4.0}), Machine({"torch.float32": 0.5})
    default = ExploreConfig()
    assert seconds(slow.figure_expected(default, 0.75, 0.75, False)) > 4 * seconds(
        fast.figure_expected(default, 0.75, 0.75, False)
    )
    # The figure runs in float32 whatever the precision: a faster bfloat16 unit does not shorten its line.
    with_bfloat16 = Machine({"torch.float32": 4.0, "torch.bfloat16": 1.0})
    assert with_bfloat16.figure_expected(default, 0.75, 0.75, False) == slow.figure_expected(default, 0.75, 0.75, False)
    line = slow.figure_expected(ExploreConfig(size=256, steps=200), 0.75, 0.75, False)
    assert "for 10 cells at 256 px" in line and seconds(line) > seconds(
        slow.figure_expected(default, 0.75, 0.75, False)
    )
    assert figure_units(ExploreConfig(size=256, steps=200)) > 5 * figure_units(default)  # 4x the steps, 1.8x the pixels
    # A cell costs what its network does: one truncated after relu5_2 several times one truncated after relu1_2.
    shallow, deep = (
        figure_units(ExploreConfig(kind="content", content_layers=[name])) for name in ("relu1_2", "relu5_2")
    )
    assert deep > 3 * shallow
    assert figure_units(default, 1.0, 1.0) > figure_units(default, 0.5, 0.5)  # square photos take longer


def test_the_lines_read_a_phone_portraits_size_as_it_stands(tmp_path, content_path):
    from style_core import load_image
    from ui.machine import image_size

    photo = Image.open(content_path)
    exif = photo.getexif()
    exif[274] = 6  # stored lying, shown upright
    photo.save(tmp_path / "portrait.jpg", exif=exif)
    assert image_size(str(tmp_path / "portrait.jpg")) == load_image(tmp_path / "portrait.jpg").size == photo.size[::-1]


def test_the_clean_up_and_the_denoise_tab_say_how_long_the_denoiser_takes_here(monkeypatch):
    from style_core import preset
    from ui.machine import Machine

    def seconds(line: str) -> int:  # "Ready: about 13 s ..."
        return int(line.split()[2])

    slow, fast = Machine({"torch.float32": 4.0}), Machine({"torch.float32": 1.0})
    assert seconds(slow.denoise_expected()) > 3 * seconds(fast.denoise_expected())
    # Fitted on small crops, but shown and applied to the whole image: a camera's photo takes longer.
    assert slow.denoise_expected().endswith("for a 1 megapixel image on this machine; a larger image takes longer")
    camera = slow.denoise_expected(size=(6000, 4000))
    assert "for this 6000x4000 image" in camera and seconds(camera) > 1.5 * seconds(slow.denoise_expected())
    assert seconds(slow.denoise_expected(browser_here=True)) > seconds(slow.denoise_expected())
    config = preset("balanced")
    without, with_clean_up = slow.expected(config), slow.expected(config, clean_up=True)
    clean_up = int(with_clean_up.split("the clean-up ")[1].split()[0])
    assert clean_up == round(slow.denoise_seconds(round(config.size**2 * 0.75)))
    assert seconds(with_clean_up) == pytest.approx(seconds(without) + clean_up, abs=1)
    # The denoiser runs its convolutions in bfloat16 where the CPU has it: a shorter time there.
    monkeypatch.setattr("style_core.cost.bfloat16_is_native", lambda device: True)
    in_bfloat16 = slow.denoise_seconds(10**6)
    monkeypatch.setattr("style_core.cost.bfloat16_is_native", lambda device: False)
    assert in_bfloat16 < slow.denoise_seconds(10**6)


def test_the_denoise_tab_previews_a_large_image_less_and_says_where_stop_left_it(tmp_path, monkeypatch):
    from ui import jobs
    from ui.tabs.denoise import stopped_line

    asked = []

    def denoise(image, config, preview_every):
        asked.append(preview_every)
        yield from ()

    monkeypatch.setattr(jobs, "denoise", denoise)
    for size in ((1000, 800), (3000, 2000)):
        Image.new("RGB", size).save(tmp_path / "photo.png")
        list(jobs.denoise_job(str(tmp_path / "photo.png")))
    list(jobs.denoise_job(str(tmp_path / "photo.png"), previews=False))  # the API's route shows none
    assert asked == [300, 0, 0]
    assert stopped_line("Fitting the denoiser to this image: step 828 of 1500, 6 s") == (
        "Stopped at step 828 of 1500, nothing saved: press Denoise to start again."
    )
    assert isinstance(stopped_line("Done in 9 s."), type(gr.skip()))  # Stop with nothing running


def test_the_compare_and_layers_tabs_say_which_cell_runs_the_time_left_and_where_stop_left_it(
    content_path, style_path, second_style_path
):
    from style_core.explore import ExploreConfig
    from ui.jobs import compare_job, layers_job
    from ui.tabs import compare, layers, video

    config = StyleConfig(size=64, iterations=2, scales=1, init="content")
    styles, names = [str(style_path), str(second_style_path)], ["Starry", "Udnie"]
    statuses = [status for _, status in compare_job(str(content_path), styles, names, "styles", config, 64)]
    assert statuses[0] == "Cell 1 of 2 (Starry) - 0 s"  # at once, before the first cell's first step
    assert any(re.fullmatch(r"Cell 2 of 2 \(Udnie\) - \d+ s - about \d+ s left", line) for line in statuses)
    assert re.fullmatch(r"Done: 2 cells at 64 px in \d+ s\.", statuses[-1])
    small = ExploreConfig(kind="content", size=64, steps=2)
    figure = [event[-1] for event in layers_job(str(content_path), None, small)]
    assert figure[0] == "Cell 1 of 5 (content, conv1_2) - 0 s"
    assert re.fullmatch(r"Done: 5 cells at 64 px in \d+ s\.", figure[-1])
    assert compare.stopped_line("Cell 3 of 6 (balanced) - 9 s - about 20 s left") == (
        "Stopped at cell 3 of 6: the cells made before it stay above; press Make the grid to start again."
    )
    assert layers.stopped_line(figure[1]).startswith("Stopped at cell ")
    assert video.stopped_line("Frame 4 of 30 - step 0 - 12 s - about 52 s left") == (
        "Stopped at frame 4 of 30, nothing saved: press Stylize the clip to start again."
    )
    assert layers.failed_line(figure[0]).startswith("Not finished: cell 1 of 5 could not be made")
    assert video.failed_line("Frame 4 of 30 - step 0 - 12 s").startswith("Not finished: frame 4 of 30")
    # Stop ends the job as failed too, and a busy server may answer that first: Stop's line still wins.
    failed = compare.failed_line("Cell 2 of 6 (balanced) - 9 s")
    assert compare.stopped_line(failed).startswith("Stopped at cell 2 of 6: ")
    stopper, other = SimpleNamespace(session_hash="stopper"), SimpleNamespace(session_hash="other")
    compare.stopped_line("Cell 2 of 6 (balanced) - 9 s", stopper)
    assert isinstance(compare.failed_line("Cell 2 of 6 (balanced) - 9 s", stopper), type(gr.skip()))
    assert compare.failed_line("Cell 2 of 6 (balanced) - 9 s", other).startswith("Not finished: cell 2 of 6")
    for stopped_line in (compare.stopped_line, layers.stopped_line, video.stopped_line, video.failed_line):
        assert isinstance(stopped_line(statuses[-1]), type(gr.skip()))  # Stop with nothing running


def test_the_video_line_counts_a_browser_on_this_machine_as_the_other_tabs_do(monkeypatch):
    from ui.machine import Machine
    from ui.tabs.video import expected_line

    def seconds(line: str) -> int:  # "About 49 s per second of clip at 12 fps ..."
        return int(line.split()[1])

    monkeypatch.setattr("ui.machine.os.cpu_count", lambda: 2)  # a browser's share of two cores shows
    machine = Machine({"torch.float32": 4.0})
    alone, with_browser = (expected_line(machine, None, "balanced", 256, 12, here) for here in (False, True))
    assert "per second of clip at 12 fps" in alone
    assert seconds(with_browser) > 1.1 * seconds(alone)
    # Small frames are quick to make, and the browser's drawing each of them weighs more than its share of cores.
    alone, with_browser = (expected_line(machine, None, "balanced", 64, 12, here) for here in (False, True))
    assert seconds(with_browser) > 1.25 * seconds(alone)


def test_the_video_line_follows_the_clips_shape(monkeypatch):
    from style_core.video import ClipInfo
    from ui.machine import Machine
    from ui.tabs.video import expected_line

    def seconds(line: str) -> int:  # "About 49 s for this 3.0 s clip ..."
        return int(line.split()[1])

    shapes = {"wide.mp4": (640, 360), "square.mp4": (480, 480)}  # the same length and rate, 16:9 and 1:1
    monkeypatch.setattr("ui.tabs.video.probe_clip", lambda clip: ClipInfo(10.0, 3.0, shapes[clip], False))
    machine = Machine({"torch.float32": 4.0})
    wide, square = (seconds(expected_line(machine, clip, "balanced", 512, 12)) for clip in shapes)
    assert wide < 0.7 * square  # a 16:9 frame has 56% of a square one's pixels


def test_the_video_tab_gets_every_frame_but_not_a_status_at_every_step(monkeypatch):
    from style_core.video import Clip, VideoProgress
    from ui import jobs

    frames = [Image.new("RGB", (8, 8), colour) for colour in ("red", "blue")]

    def fast_steps(clip, style, config, **options):  # steps far quicker than a second, as on a small clip
        for index, frame in enumerate(frames, start=1):
            yield from (VideoProgress(index, 2, step, 0.0, 1.0) for step in range(1, 40))
            yield VideoProgress(index, 2, 40, 0.0, 1.0, done_frame=frame)
        yield VideoProgress(2, 2, 0, 0.0, 0.0, result=frames)

    monkeypatch.setattr(jobs, "read_clip", lambda *args, **kwargs: Clip(list(frames), 10.0))
    monkeypatch.setattr(jobs, "stylize_video", fast_steps)
    monkeypatch.setattr(jobs, "write_mp4", lambda *args: None)
    monkeypatch.setattr(jobs, "write_gif", lambda *args: None)
    sent = list(jobs.video_job("clip.mp4", "painting.jpg", StyleConfig(size=64), 10.0))
    assert [picture for picture, _, _ in sent if picture is not None] == [*frames, frames[-1]]  # each frame, the end
    assert sent[-1][1].startswith("Done: 2 frames") and len(sent) <= 6  # not 80 status lines


def test_the_expected_time_needs_no_photo_and_survives_a_bad_one(tmp_path):
    from ui.machine import TYPICAL_ASPECT, photo_aspect

    assert photo_aspect(None) == photo_aspect("") == TYPICAL_ASPECT  # a setting changed before a photo is chosen
    (tmp_path / "bad.png").write_bytes(b"not a picture")
    assert photo_aspect(str(tmp_path / "bad.png")) == TYPICAL_ASPECT
    Image.new("RGB", (300, 100)).save(tmp_path / "wide.png")
    assert photo_aspect(str(tmp_path / "wide.png")) == pytest.approx(1 / 3)


def test_a_run_with_the_clean_up_says_so_while_the_denoiser_works(content_path, style_path, monkeypatch):
    from style_core.denoise import FAST
    from ui import jobs

    monkeypatch.setitem(FAST, "steps", 100)  # the status, not the denoiser's quality (test_denoise.py)
    monkeypatch.setitem(FAST, "halve_every", 50)
    monkeypatch.setattr(jobs, "STATUS_EVERY_S", 0.0)
    config = StyleConfig(size=64, iterations=2, scales=1)
    statuses = [status for _, status, _ in jobs.stylize_job(str(content_path), [str(style_path)], config, True)]
    painted = next(n for n, status in enumerate(statuses) if status.startswith("Painted in"))
    # It used to read "The feed-forward start, in ... s: now refining it" for the whole clean-up.
    assert "cleaning it up with the denoiser" in statuses[painted]
    assert statuses[painted + 1].startswith("Cleaning up with the denoiser: step 1 of 100")
    assert statuses[-1].startswith("Done in")


def test_stop_says_stopped_only_when_it_stopped_a_run(tmp_path, monkeypatch):
    """Stop pressed after a run's end (or with none) leaves the status, which describes the picture on view."""

    from ui import stopped

    monkeypatch.setenv("STYLE_STUDIO_DATA", str(tmp_path))
    request = SimpleNamespace(session_hash="a-session")

    def job():
        with stopped.watch(request.session_hash, {"content": "", "styles": [], "regions": False}):
            yield "before its first step"

    run = job()
    next(run)
    run.close()  # Stop, as Gradio does it
    assert stopped.put_in_gallery([], request)[1] == "Stopped before the first step: nothing to keep."
    assert all(isinstance(output, type(gr.skip())) for output in stopped.put_in_gallery([], request))
