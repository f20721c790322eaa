import io
import json
import signal
import subprocess
import sys

import pytest
from PIL import Image

from style_core import StyleConfig, read_png_settings
from style_core.cli import main
from style_core.progress_line import ProgressLine

from .conftest import ROOT


def test_stylize_writes_a_png_with_its_settings_and_they_reproduce_it(tmp_path, content_path, style_path, capsys):
    out = tmp_path / "out.png"
    args = ["stylize", "--content", str(content_path), "--style", str(style_path), "--out", str(out)]
    flags = [
        "--size",
        "64",
        "--scales",
        "1",
        "--iterations",
        "3",
        "--seed",
        "5",
        "--init",
        "noise",
        "--style-layers",
        "relu1_1:2,relu3_1",
    ]
    assert main(args + flags) == 0
    settings = read_png_settings(out)
    config = StyleConfig.from_dict(settings)
    assert (config.size, config.iterations, config.seed, config.init) == (64, 3, 5, "noise")
    assert config.style_layers == {"relu1_1": 2.0, "relu3_1": 1.0}
    progress = capsys.readouterr().err  # piped (not a terminal): plain lines, no bar redrawn with carriage returns
    assert "scale 1/1" in progress and "100% scale 1/1 64x" in progress and "\r" not in progress

    again = tmp_path / "again.png"
    assert (
        main(
            [
                "stylize",
                "--content",
                str(content_path),
                "--style",
                str(style_path),
                "--out",
                str(again),
                "--config",
                str(out),
                "--quiet",
            ]
        )
        == 0
    )
    assert Image.open(again).tobytes() == Image.open(out).tobytes()
    assert read_png_settings(again) == settings


def test_json_config_then_flags_override(tmp_path, content_path, style_path, second_style_path):
    settings = tmp_path / "settings.json"
    settings.write_text(StyleConfig(size=64, scales=1, iterations=2, pooling="avg").to_json())
    out = tmp_path / "out.png"
    code = main(
        [
            "stylize",
            "--content",
            str(content_path),
            "--style",
            str(style_path),
            "--style",
            str(second_style_path),
            "--style-weights",
            "0.7,0.3",
            "--out",
            str(out),
            "--config",
            str(settings),
            "--iterations",
            "1",
            "--quiet",
        ]
    )
    assert code == 0
    stored = read_png_settings(out)
    assert (stored["pooling"], stored["iterations"], stored["style_blend"]) == ("avg", 1, [0.7, 0.3])


@pytest.mark.parametrize(
    ("extra", "message"),
    [
        (["--iterations", "0"], "error: iterations must be between 1"),
        (["--style-weight", "-3"], "error: style_weight must be at least 0"),
        (["--content-layers", "relu9_1"], "error: unknown VGG19 layer 'relu9_1'"),
        (["--style-weights", "1,1"], "error: 2 style blend weights given for 1 style image: give one weight"),
        (["--preset", "gatys2015", "--config", "missing.json"], "error: missing.json: no such settings file"),
    ],
)
def test_bad_settings_exit_2_with_one_line(tmp_path, content_path, style_path, capsys, extra, message):
    args = ["stylize", "--content", str(content_path), "--style", str(style_path), "--out", str(tmp_path / "o.png")]
    assert main(args + extra) == 2
    err = capsys.readouterr().err.strip()
    assert err == message or err.startswith(message)
    assert "Traceback" not in err and len(err.splitlines()) == 1


@pytest.mark.parametrize(
    "command, out, message",
    [
        ("stylize", "missing/out.png", "the folder {tmp}/missing does not exist"),
        ("stylize", "out.jpg", "stylize writes .png (the settings travel inside it): name it out.png"),
        ("video", "out.webm", "video writes .mp4 or .gif: name it out.mp4"),
    ],
)
def test_an_output_that_cannot_be_written_is_refused_before_any_work(
    tmp_path, content_path, style_path, capsys, monkeypatch, command, out, message
):
    monkeypatch.setattr("style_core.cli.run_stylize", lambda args: pytest.fail("the run started"))
    monkeypatch.setattr("style_core.cli.run_video", lambda args: pytest.fail("the run started"))
    source = ["--content" if command == "stylize" else "--input", str(content_path)]
    assert main([command, *source, "--style", str(style_path), "--output", str(tmp_path / out)]) == 2
    assert capsys.readouterr().err.strip() == f"error: --out {tmp_path / out}: " + message.format(tmp=tmp_path)


def test_a_truncated_image_exits_2_without_a_traceback(tmp_path, content_path, style_path):
    corrupt = tmp_path / "photo.png"
    corrupt.write_bytes(content_path.read_bytes()[:3000])
    result = subprocess.run(
        [
            sys.executable,
            "-m",
            "style_core",
            "stylize",
            "--content",
            str(corrupt),
            "--style",
            str(style_path),
            "--out",
            str(tmp_path / "o.png"),
        ],
        capture_output=True,
        text=True,
        cwd=ROOT,
        timeout=120,
    )
    assert result.returncode == 2
    assert "Traceback" not in result.stderr
    assert "content image:" in result.stderr and "truncated or corrupt" in result.stderr


def test_presets_are_listed(capsys):
    assert main(["presets"]) == 0
    listing = capsys.readouterr().out
    for name in ("gatys2015", "balanced", "strong_style", "keep_colors", "fast_preview"):
        assert name in listing
    json.dumps(listing)


def test_every_setting_is_a_flag():
    from style_core import SETTINGS
    from style_core.cli import build_parser

    help_text = build_parser()._subparsers._group_actions[0].choices["stylize"].format_help()
    for name in SETTINGS:
        assert "--" + name.replace("_", "-") in help_text


def test_compare_writes_a_labelled_grid_of_the_styles(tmp_path, content_path, style_path, second_style_path):
    out = tmp_path / "grid.png"
    args = ["compare", "--content", str(content_path), "--style", str(style_path), "--style", str(second_style_path)]
    assert main(args + ["--kind", "styles", "--size", "64", "--iterations", "2", "--out", str(out), "--quiet"]) == 0
    grid = Image.open(out)
    assert grid.width == 2 * 64 and grid.height > 64


def test_explore_writes_the_labelled_figure(tmp_path, content_path):
    out = tmp_path / "figure.png"
    args = ["explore", "--image", str(content_path), "--kind", "content", "--size", "48", "--steps", "3"]
    assert main(args + ["--out", str(out), "--quiet"]) == 0
    assert Image.open(out).width > 5 * 48  # five cells beside the row label


def test_a_masked_run_records_its_mask_and_reproduces_from_its_png(tmp_path, content_path, style_path):
    mask = tmp_path / "mask.png"
    canvas = Image.new("L", (40, 40), 0)
    canvas.paste(255, (10, 10, 30, 30))
    canvas.save(mask)
    out, again = tmp_path / "out.png", tmp_path / "again.png"
    base = ["stylize", "--content", str(content_path), "--style", str(style_path), "--mask", str(mask), "--quiet"]
    assert main(base + ["--size", "64", "--scales", "1", "--iterations", "3", "--out", str(out)]) == 0
    assert json.loads(Image.open(out).text["style_core:notes"])["masks"][0]
    assert main(base + ["--config", str(out), "--out", str(again)]) == 0
    assert Image.open(again).tobytes() == Image.open(out).tobytes()


def test_stylize_over_a_folder_writes_a_png_per_photo_and_reports_a_bad_one(tmp_path, content_path, style_path, capsys):
    photos, out = tmp_path / "photos", tmp_path / "out"
    photos.mkdir()
    Image.open(content_path).convert("RGB").save(photos / "a.jpg")
    Image.open(content_path).convert("RGB").rotate(90, expand=True).save(photos / "b.png")
    (photos / "c.jpg").write_bytes(b"not a photo")
    args = ["stylize", "--content", str(photos), "--style", str(style_path), "--out", str(out), "--size", "64"]
    assert main([*args, "--iterations", "1"]) == 2  # one photo failed: said, and the others still made
    assert sorted(path.name for path in out.iterdir()) == ["a.png", "b.png"]
    err = capsys.readouterr().err
    assert "[2/3] scale 1/1" in err and "skipped c.jpg: " in err


def test_video_writes_an_mp4_and_a_gif_of_every_frame(tmp_path, content_path, style_path, capsys):
    pytest.importorskip("cv2")
    from style_core.video import read_clip, write_mp4

    photo = Image.open(content_path).convert("RGB")
    write_mp4([photo.crop((5 * k, 0, 5 * k + 96, 64)) for k in range(3)], 8, tmp_path / "clip.mp4")
    out, gif = tmp_path / "out.mp4", tmp_path / "out.gif"
    args = ["video", "--input", str(tmp_path / "clip.mp4"), "--style", str(style_path), "--out", str(out)]
    assert main([*args, "--gif", str(gif), "--size", "64", "--iterations", "2", "--frame-steps", "2"]) == 0
    assert "frame 3/3" in capsys.readouterr().err
    back = read_clip(out)
    assert len(back.frames) == 3 and back.fps == 8 and Image.open(gif).n_frames == 3
    (tmp_path / "notes.mov").write_text("not a video")
    assert main(["video", "--input", str(tmp_path / "notes.mov"), "--style", str(style_path), "--out", str(out)]) == 2
    assert "error: notes.mov: not a video" in capsys.readouterr().err


class _Log(io.StringIO):
    def __init__(self, terminal: bool):
        super().__init__()
        self.terminal = terminal

    def isatty(self) -> bool:
        return self.terminal


def test_progress_piped_into_a_log_is_a_short_line_every_few_percent():
    log = _Log(terminal=False)
    line = ProgressLine(1000, "[1/2] ", stream=log)
    for step in range(1, 1001):
        line.update(step, f"scale 1/1 512x384 step {step}/1000 loss {1e6 / step:.3g}")
    line.close()
    lines = log.getvalue().splitlines()
    assert 20 <= len(lines) <= 21 and "\r" not in log.getvalue()
    assert max(map(len, lines)) <= 200
    assert lines[-1].startswith("100% [1/2] scale 1/1 512x384 step 1000/1000") and "left" in lines[-1]


def test_progress_on_a_terminal_is_a_bar_with_the_engines_estimate():
    terminal = _Log(terminal=True)
    line = ProgressLine(10, stream=terminal, pace=False)
    line.update(1, "step 1/10")  # no estimate given, none made from the first step
    line.update(5, "step 5/10", seconds_left=125)
    line.close()
    shown = terminal.getvalue()
    assert "\r" in shown and " 50%|############  " in shown  # a bar redrawn in place
    assert "step 1/10, 00:00 elapsed\r" in shown and "step 5/10, 00:00 elapsed, ~02:05 left" in shown


def test_a_stopped_run_keeps_its_picture_and_can_go_on_from_it(tmp_path, content_path, style_path):
    out = tmp_path / "out.png"
    command = [sys.executable, "-m", "style_core", "stylize", "--content", str(content_path), "--style",
               str(style_path), "--out", str(out), "--size", "96", "--scales", "1", "--iterations", "5000",
               "--min-change", "0", "--init", "content"]  # fmt: skip
    run = subprocess.Popen(command, cwd=ROOT, stderr=subprocess.PIPE, text=True)
    for line in run.stderr:  # piped: a line every 5% of the steps
        if "step" in line:
            break
    run.send_signal(signal.SIGTERM)  # as a stopped container or a killed job gets
    said = run.stderr.read()
    assert run.wait(timeout=60) == 130
    partial = tmp_path / "out.partial.png"
    assert not out.exists() and sorted(p.name for p in tmp_path.iterdir()) == ["out.partial.png"]
    stopped = json.loads(Image.open(partial).text["style_core:notes"])["stopped"]
    assert 1 <= stopped["step"] < 5000 and stopped["of"] == 5000
    assert f"stopped at step {stopped['step']} of 5000" in said and f"--start {partial}" in said
    assert StyleConfig.from_dict(read_png_settings(partial)).iterations == 5000
    go_on = ["stylize", "--content", str(content_path), "--style", str(style_path), "--out", str(out),
             "--config", str(partial), "--iterations", "3", "--start", str(partial), "--quiet"]  # fmt: skip
    assert main(go_on) == 0 and Image.open(out).size == Image.open(partial).size
