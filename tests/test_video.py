"""Video: the temporal loss holds the strokes still between frames, the clip written plays back, a stopped run
stops, and a bad clip gets one clear line."""

import subprocess

import numpy as np
import pytest
from PIL import Image, ImageDraw

from style_core import StyleConfig
from style_core.errors import ImageError
from style_core.video import (
    Clip,
    VideoError,
    read_clip,
    resample,
    stylize_video,
    warping_error,
    write_gif,
    write_mp4,
)

pytest.importorskip("cv2")
imageio_ffmpeg = pytest.importorskip("imageio_ffmpeg")


@pytest.fixture(scope="module")
def panning_clip(content_path) -> Clip:
    """A camera pan: the photo's window sliding 3 px right and 1 px down per frame."""
    photo = Image.open(content_path).convert("RGB")
    return Clip([photo.crop((20 + 3 * k, 20 + k, 20 + 3 * k + 150, 20 + k + 100)) for k in range(4)], 8.0)


def _stylized(clip: Clip, style_path, temporal: bool) -> list[Image.Image]:
    config = StyleConfig(size=96, iterations=4, precision="float32")
    return list(stylize_video(clip, style_path, config, temporal=temporal, frame_steps=3))[-1].result


def test_the_temporal_loss_flickers_less_than_frame_by_frame(panning_clip, style_path):
    alone, held = _stylized(panning_clip, style_path, False), _stylized(panning_clip, style_path, True)
    assert len(held) == 4 and held[0].size == (96, 64)
    assert warping_error(held, panning_clip.frames) < 0.5 * warping_error(alone, panning_clip.frames)


def test_the_written_clip_plays_back_with_every_frame(tmp_path):
    frames = [Image.new("RGB", (65, 49), (40 * k, 100, 200 - 40 * k)) for k in range(5)]  # odd size: cropped even
    write_mp4(frames, 10, tmp_path / "out.mp4")
    write_gif(frames, 10, tmp_path / "out.gif")
    back = read_clip(tmp_path / "out.mp4")
    assert len(back.frames) == 5 and back.frames[0].size == (64, 48) and back.fps == 10
    assert abs(np.asarray(back.frames[2], float).mean((0, 1)) - (80, 100, 120)).max() < 6
    assert Image.open(tmp_path / "out.gif").n_frames == 5
    assert len(resample(back, 5).frames) == 3 and resample(back, 5).fps == 5


def test_a_stopped_run_does_no_more_work(panning_clip, style_path):
    events = stylize_video(panning_clip, style_path, StyleConfig(size=96, iterations=50))
    first = [next(events) for _ in range(3)]
    events.close()  # what Stop does, between two steps
    assert first[-1].frame == 1 and first[-1].result is None
    with pytest.raises(StopIteration):
        next(events)


def test_a_file_that_is_not_a_video_gets_one_line(tmp_path):
    fake = tmp_path / "holiday.mp4"
    fake.write_text("not a video")
    with pytest.raises(VideoError, match=r"^holiday\.mp4: not a video, or a format that cannot be read"):
        read_clip(fake)
    with pytest.raises(VideoError, match="no such file"):
        read_clip(tmp_path / "missing.mp4")


def test_limits_audio_and_odd_sizes_are_handled_with_a_line(tmp_path):
    clip_path = tmp_path / "with_sound.mp4"
    subprocess.run(
        [imageio_ffmpeg.get_ffmpeg_exe(), "-y", "-loglevel", "error", "-f", "lavfi", "-i", "testsrc=size=65x49:rate=10",
         "-f", "lavfi", "-i", "sine=frequency=440", "-t", "1", "-c:v", "libx264", "-pix_fmt", "yuv444p", "-c:a", "aac",
         str(clip_path)], check=True,
    )  # fmt: skip
    clip = read_clip(clip_path, max_seconds=10, max_frames=300)
    assert len(clip.frames) == 10 and clip.frames[0].size == (65, 49)
    assert clip.notes == ["its sound was dropped (the result is silent)"]
    small = read_clip(clip_path, long_side=32)  # shrunk as it is read: a 4K clip holds no more than its output
    assert len(small.frames) == 10 and small.frames[0].size == (32, 24)
    with pytest.raises(VideoError, match="over this page's limit of 0.5 s"):
        read_clip(clip_path, max_seconds=0.5)
    with pytest.raises(VideoError, match="more than 4 frames"):
        read_clip(clip_path, max_frames=4)


def test_a_clip_too_thin_for_the_output_size_gets_one_line(style_path):
    strip = Clip([Image.new("RGB", (6000, 40), "steelblue")] * 2, 10.0)
    with pytest.raises(ImageError, match=r"^clip: 6000x40 is too long and thin for 64 px output \(64x1\)"):
        next(stylize_video(strip, style_path, StyleConfig(size=64)))


def test_a_variable_frame_rate_clip_keeps_its_length(tmp_path):
    """Ten frames 0.1 s apart, then ten about 0.4 s apart (the last shown at 4.5 s): read at the clip's average
    rate, as many frames as that rate gives over its length, so the result plays as long as the clip."""
    clip_path = tmp_path / "vfr.mp4"
    subprocess.run(
        [imageio_ffmpeg.get_ffmpeg_exe(), "-y", "-loglevel", "error", "-f", "lavfi", "-i",
         "testsrc=size=96x64:rate=10:duration=2", "-vf", "setpts='if(lt(N,10),N*0.1,1+(N-10)*0.4)/TB'",
         "-fps_mode", "vfr", "-c:v", "libx264", "-pix_fmt", "yuv420p", str(clip_path)], check=True,
    )  # fmt: skip
    clip = read_clip(clip_path)
    assert 4.4 < len(clip.frames) / clip.fps < 5.1  # frames repeated up to the fastest rate made it 9.6 s


def _red_disc_clip() -> tuple[Clip, np.ndarray, np.ndarray]:
    """A red disc gliding right over a plain blue background; where it was at first but no longer is, and
    where it never was."""
    frames, masks = [], []
    for k in range(4):
        frame = Image.new("RGB", (96, 64), (40, 70, 160))
        mask = Image.new("L", (96, 64), 0)
        box = (8 + 14 * k, 18, 36 + 14 * k, 46)
        ImageDraw.Draw(frame).ellipse(box, fill=(220, 40, 30))
        ImageDraw.Draw(mask).ellipse(box, fill=255)
        frames.append(frame)
        masks.append(np.asarray(mask) > 0)
    return Clip(frames, 8.0), masks[0] & ~masks[-1], ~np.any(masks, axis=0)


def test_a_moving_subject_leaves_no_trail_over_what_it_uncovers(style_path):
    clip, uncovered, background = _red_disc_clip()
    config = StyleConfig(size=96, iterations=4, precision="float32")
    last = np.asarray(list(stylize_video(clip, style_path, config, frame_steps=3))[-1].result[-1], float)
    redness = last[..., 0] - last[..., 2]
    assert redness[uncovered].mean() < redness[background].mean() + 8  # the background there, not the disc's red


def test_the_time_left_counts_later_frames_as_the_short_runs_they_are_then_as_they_were_timed():
    """The first frame is a full run, every later one a few steps from the warped result: costed alike, the
    first frames' estimates were several times what the clip really took."""
    from style_core.video import FRAME_STEPS, ClipClock

    now = [0.0]
    first = StyleConfig(size=256)
    later = first.replace(scales=1, iterations=FRAME_STEPS)
    clock = ClipClock(first, later, frames=10, aspect=0.75, clock=lambda: now[0])
    now[0] = 10.0  # frame 1 took 10 s
    after_first = clock.seconds_left(0, frame_left=0.0)
    assert after_first < 0.75 * 9 * 10.0  # nine later frames, each cheaper than the first
    assert after_first == pytest.approx(9 * 10.0 * clock.later_units / clock.first_units)
    clock.frame_started(1)
    now[0] = 13.0  # frame 2 took 3 s
    clock.frame_started(2)
    now[0] = 14.0
    assert clock.seconds_left(2, frame_left=2.0) == pytest.approx(2.0 + 7 * 3.0)  # as the later frame took


def test_a_clip_shorter_than_a_frame_at_the_rate_asked_keeps_its_frame(tmp_path):
    Image.new("RGB", (64, 48), "red").save(tmp_path / "still.jpg")  # ffmpeg reads it as a clip of 0.04 s
    clip = read_clip(tmp_path / "still.jpg", fps=12)  # the page's default rate: no frame fell on it before
    assert len(clip.frames) == 1 and clip.frames[0].getpixel((32, 24))[0] > 200


def test_a_clip_read_at_a_lower_rate_keeps_its_length_with_frames_from_all_of_it(tmp_path):
    """2 s at 30 fps read at 12 fps: 24 frames that still span the 2 s (sampled, not cut off at the end)."""
    frames = [Image.new("RGB", (64, 48), (4 * k, 4 * k, 4 * k)) for k in range(60)]  # brighter every frame
    write_mp4(frames, 30, tmp_path / "clip.mp4")
    clip = read_clip(tmp_path / "clip.mp4", fps=12)
    assert clip.fps == 12 and len(clip.frames) == 24  # 24 / 12 = 2 s, as long as the clip
    assert np.asarray(clip.frames[-1]).mean() > 200  # the last frame comes from the clip's end (236 at frame 59)
    assert len(read_clip(tmp_path / "clip.mp4", fps=60).frames) == 60  # never above the clip's own rate
    from style_core.video import probe_clip

    info = probe_clip(tmp_path / "clip.mp4")
    assert info.frames_at(12) == 24 and info.frames_at(None) == 60
    with pytest.raises(VideoError, match="fps must be above 0, not -1"):
        read_clip(tmp_path / "clip.mp4", fps=-1)
