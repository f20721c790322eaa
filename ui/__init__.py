"""The Gradio page: page.py assembles the tabs (tabs/, one module per tab) and the named API (api.py); the
other modules are the pieces the tabs share, each named for what it is."""

from .page import CSS, MAX_UPLOAD, QUEUE, build_page, launch_options

__all__ = ["CSS", "MAX_UPLOAD", "QUEUE", "build_page", "launch_options"]
