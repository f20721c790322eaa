"""The Gradio page: one module per tab (stylise, compare, denoise), the settings controls made from
StyleConfig's metadata (controls), the jobs' shared helpers (jobs) and the named API (api)."""

from .page import CSS, LAUNCH, MAX_UPLOAD, build_page

__all__ = ["CSS", "LAUNCH", "MAX_UPLOAD", "build_page"]
