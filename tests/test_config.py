import pytest

from style_core import PRESETS, ConfigError, StyleConfig, preset
from style_core.config import (
    LAYER_WEIGHT_PRESETS,
    PRESET_HELP,
    named_style_layers,
    parse_style_layers,
    style_layers_name,
)


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"style_weight": -1.0}, "style_weight must be at least 0"),
        ({"content_weight": float("nan")}, "content_weight must be a number"),
        ({"iterations": 0}, "iterations must be between 1"),
        ({"size": 10}, "size must be between 64"),
        ({"style_layers": {"relu1_1": 1.0, "conv9_1": 1.0}}, "unknown VGG19 layer 'conv9_1'"),
        ({"content_layers": ["nope"]}, "unknown VGG19 layer 'nope'"),
        ({"style_layers": {"relu1_1": -2.0}}, "style layer weight for relu1_1"),
        ({"style_layers": {}}, "style_layers is empty"),
        ({"pooling": "min"}, "pooling must be one of max, avg"),
        ({"optimizer": "sgd"}, "optimizer must be one of"),
        ({"init": "random"}, "init must be one of"),
        ({"color": "sepia"}, "color must be one of"),
        ({"style_blend": [0.0, 0.0]}, "style_blend weights add up to 0"),
        ({"scales": 0}, "scales must be between 1"),
        ({"seed": -1}, "seed must be between 0"),
        ({"iterations": 2.5}, "iterations must be a whole number"),
    ],
)
def test_invalid_settings_are_refused_with_a_clear_message(changes, message):
    with pytest.raises(ConfigError, match=message):
        StyleConfig(**changes)


def test_settings_round_trip_through_json():
    config = StyleConfig(style_layers={"relu1_1": 0.5, "relu3_1": 2.0}, style_blend=[0.7, 0.3], color="match", seed=7)
    assert StyleConfig.from_json(config.to_json()) == config


def test_unknown_or_broken_json_is_refused():
    with pytest.raises(ConfigError, match="unknown setting 'colour'"):
        StyleConfig.from_dict({"colour": "off"})
    with pytest.raises(ConfigError, match="not valid JSON"):
        StyleConfig.from_json("{size: 3")


def test_presets_are_valid_and_independent_copies():
    assert {"gatys2015", "balanced", "strong_style", "keep_colors", "fast_preview"} <= set(PRESETS)
    paper = preset("gatys2015")
    assert (paper.pooling, paper.init, paper.optimizer, paper.scales) == ("avg", "noise", "lbfgs", 1)
    assert paper.content_weight / paper.style_weight == pytest.approx(1e-3)
    assert paper.style_layers == preset("thorough").style_layers == named_style_layers("equal")  # the paper's weights
    paper.style_layers["relu1_1"] = 99.0
    assert preset("gatys2015").style_layers["relu1_1"] == 1.0
    with pytest.raises(ConfigError, match="unknown preset"):
        preset("picasso")


def test_replace_copies_deeply_and_validates():
    original = StyleConfig()
    changed = original.replace(size=256)
    changed.style_layers["relu1_1"] = 5.0
    assert original.style_layers["relu1_1"] == 1.0 and changed.size == 256
    with pytest.raises(ConfigError, match="size must be between"):
        original.replace(size=5)


def test_scale_sizes_end_at_the_output_size():
    assert StyleConfig(size=512, scales=3, scale_factor=2.0).scale_sizes() == [128, 256, 512]
    assert StyleConfig(size=100, scales=4, scale_factor=2.0).scale_sizes() == [64, 100]
    assert StyleConfig(size=300, scales=1).scale_sizes() == [300]


def test_every_preset_says_what_it_is_for():
    assert list(PRESET_HELP) == list(PRESETS) and all(PRESET_HELP.values())


def test_the_style_balance_counts_strength_beta_and_alpha():
    assert StyleConfig().style_balance() == 1
    assert StyleConfig(strength=10).style_balance() == preset("strong_style").style_balance() == 10
    assert StyleConfig(content_weight=10).style_balance() == 0.1
    assert StyleConfig(content_weight=0).style_balance() == float("inf")


def test_style_layers_are_named_by_their_weighting_and_others_by_none():
    for name in LAYER_WEIGHT_PRESETS:
        assert style_layers_name(named_style_layers(name)) == name
    assert style_layers_name(parse_style_layers("relu5_1:1, relu4_1:1, relu3_1:1, relu2_1:1, relu1_1:1")) == "equal"
    assert style_layers_name(parse_style_layers("relu1_1:1, relu2_1:1, relu3_1:1, relu4_1:2, relu5_1:1")) is None
    assert style_layers_name(parse_style_layers("relu1_1:1")) is None
