"""The errors style_core raises for things a user can fix: bad images, bad settings, missing weights."""


class StyleCoreError(ValueError):
    """Base class: the message is one line meant for a person, not a traceback."""


class ImageError(StyleCoreError):
    """An input file is unreadable, truncated, not an image, or of an unusable size."""


class ConfigError(StyleCoreError):
    """A setting is out of range or unknown."""


class WeightsError(StyleCoreError):
    """The VGG19 weights cannot be found, verified or downloaded."""
