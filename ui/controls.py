"""The page's settings controls, made from StyleConfig's field metadata (style_core.config.SETTINGS).

Controls travel as a dict keyed by field name: {"size": <Slider>, ...}. `config_to_values` and
`values_to_config` convert between a StyleConfig and those widgets' values exactly, so a result's settings
come back unchanged from a PNG, a gallery item or the API.
"""

from __future__ import annotations

import time
from typing import Any

import gradio as gr

from style_core import SETTINGS, ConfigError, StyleConfig, StyleCoreError, load_image, preset
from style_core.config import PRESET_HELP, format_numbers, format_style_layers, parse_numbers, parse_style_layers

# Fields shown as text, and how the text and the value convert into each other.
TEXT_FIELDS = {
    "style_layers": (format_style_layers, parse_style_layers),
    "style_blend": (format_numbers, parse_numbers),
}


# Several events read a new upload at once (the preview, the time line ...): each would show the same message.
REFUSAL_SHOWN_FOR_S = 2.0
_refused: dict[str, float] = {}  # an upload's path: when its message was first shown


class PhotoInput(gr.Image):
    """gr.Image that turns an unreadable upload into a clear message instead of a generic error, shown once for
    the events that read it together."""

    is_template = True  # render with the ordinary Image front end

    def preprocess(self, payload: Any) -> Any:
        try:
            return super().preprocess(payload)
        except Exception:
            path = getattr(payload, "path", None) or ""
            try:  # style_core knows the precise reason (truncated, not an image, too large ...)
                load_image(path, self.label)
                message = f"{self.label}: not an image, or a format that cannot be read"
            except StyleCoreError as error:
                message = str(error)
            raise gr.Error(message, visible=_show_refusal(path)) from None


def _show_refusal(path: str) -> bool:
    now = time.monotonic()
    for old in [p for p, shown in _refused.items() if now - shown > REFUSAL_SHOWN_FOR_S]:
        _refused.pop(old, None)
    shown = path in _refused
    _refused.setdefault(path, now)
    return not shown


class PageSlider(gr.Slider):
    """gr.Slider whose typed value past an end counts as that end, as its box shows once left; Gradio would refuse
    it with a bare "Value 5000 is greater than maximum value 1024." on every event until then."""

    is_template = True  # render with the ordinary Slider front end

    def preprocess(self, payload: float) -> float:
        if isinstance(payload, (int, float)):
            payload = min(max(payload, self.minimum), self.maximum)
        return super().preprocess(payload)


class PageNumber(gr.Number):
    """gr.Number that names itself when a value is out of its range."""

    is_template = True

    def preprocess(self, payload: float | None) -> float | int | None:
        try:
            return super().preprocess(payload)
        except gr.Error as error:
            raise gr.Error(f"{self.label}: {error.message[:1].lower()}{error.message[1:]}") from None


def _kind(name: str) -> str:
    return StyleConfig.__dataclass_fields__[name].type


def page_high(name: str) -> float | None:
    """The most the public page accepts for a setting (its CPU-time cap), or the engine's own limit."""
    spec = SETTINGS[name]
    return spec.page_high if spec.page_high is not None else spec.high


def make_control(name: str, value: Any) -> gr.Component:
    """The widget for one setting, labelled and explained by its metadata."""
    spec = SETTINGS[name]
    shown = {"label": spec.label, "info": spec.help}
    if name in TEXT_FIELDS:
        return gr.Textbox(TEXT_FIELDS[name][0](value), **shown)
    if _kind(name) == "list[str]":
        return gr.Dropdown(list(spec.choices), value=value, multiselect=True, **shown)
    if spec.choices:
        return gr.Radio(list(spec.choices), value=value, **shown)
    if spec.step:
        return PageSlider(spec.low, page_high(name), value, step=spec.step, **shown)
    precision = 0 if _kind(name) == "int" else None
    return PageNumber(value, precision=precision, minimum=spec.low, maximum=page_high(name), **shown)


def make_controls(tier: str, defaults: StyleConfig, columns: int = 1) -> dict[str, gr.Component]:
    """The controls of one tier ("everyday", "advanced", "styles"), showing `defaults`, rendered where this is
    called, in `columns` side-by-side columns."""
    names = [name for name, spec in SETTINGS.items() if spec.tier == tier]
    if columns == 1:
        return {name: make_control(name, getattr(defaults, name)) for name in names}
    controls = {}
    per_column = -(-len(names) // columns)
    with gr.Row():
        for start in range(0, len(names), per_column):
            with gr.Column(min_width=240):
                for name in names[start : start + per_column]:
                    controls[name] = make_control(name, getattr(defaults, name))
    return controls


def config_to_values(config: StyleConfig) -> dict[str, Any]:
    """Each field's value as its widget shows it."""
    return {name: TEXT_FIELDS[name][0](value) if name in TEXT_FIELDS else value for name, value in vars(config).items()}


def page_values(config: StyleConfig, controls: dict[str, gr.Component]) -> dict[gr.Component, Any]:
    """A handler's return value that sets every control, keyed by component (Gradio's dict outputs)."""
    values = config_to_values(config)
    return {component: values[name] for name, component in controls.items()}


def values_to_config(values: dict[str, Any]) -> StyleConfig:
    """A validated StyleConfig from the widgets' values (every field), within the page's limits."""
    settings = {name: _from_widget(name, value) for name, value in values.items()}
    return check_page_limits(StyleConfig.from_dict(settings))


def settings_to_config(preset_name: str, settings: dict[str, Any] | None) -> StyleConfig:
    """The API's way: a preset, then any fields given by name, within the page's limits."""
    if settings is not None and not isinstance(settings, dict):
        raise ConfigError('settings must be an object of setting names and values, e.g. {"strength": 2}')
    return check_page_limits(preset(preset_name).replace(**(settings or {})))


def check_page_limits(config: StyleConfig) -> StyleConfig:
    for name, spec in SETTINGS.items():
        if spec.page_high is not None and getattr(config, name) > spec.page_high:
            raise ConfigError(
                f"{name} {getattr(config, name)} is over this page's limit of {spec.page_high:g} "
                "(the command line, python -m style_core, has none)"
            )
    return config


def _from_widget(name: str, value: Any) -> Any:
    if name in TEXT_FIELDS:
        return TEXT_FIELDS[name][1](value or "")
    if value is None:
        raise ConfigError(f"{SETTINGS[name].label}: give a value")
    kind = _kind(name)
    try:
        if kind == "int":
            if float(value) != int(value):
                raise ConfigError(f"{name} must be a whole number, not {value!r}")
            return int(value)
        if kind == "float":
            return float(value)
    except (TypeError, ValueError):
        raise ConfigError(f"{name} must be a number, not {value!r}") from None
    return list(value) if kind == "list[str]" else value


def preset_info(name: str) -> str:
    """A preset box's help: what the picked preset does (the others say when picked, or side by side on the
    Compare tab)."""
    return f"Named settings. {name}: {PRESET_HELP.get(name, '')}"
