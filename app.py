"""Style Transfer Studio: the Space's entry point. The page lives in ui/, the engine in style_core/.

python app.py [--share] [--mcp] [--server-name 0.0.0.0] [--port 7860]
"""

from __future__ import annotations

import argparse

from style_core.transfer import warm_up
from ui import QUEUE, build_page, launch_options
from ui.engine_thread import engine_thread
from ui.machine import measure
from ui.preview import warm_up as warm_previews


def main() -> None:
    parser = argparse.ArgumentParser(description="Serve the Style Transfer Studio page.")
    parser.add_argument("--share", action="store_true", help="also make a temporary public link")
    parser.add_argument("--server-name", help="address to listen on (default 127.0.0.1; 0.0.0.0 for a LAN)")
    parser.add_argument("--port", type=int, help="port (default 7860 or GRADIO_SERVER_PORT)")
    parser.add_argument(
        "--mcp", action="store_true",
        help="also serve the named routes (stylize, compare, denoise, presets ...) as MCP tools at /gradio_api/mcp/ "
        "(or set GRADIO_MCP_SERVER=True, as on a Space)",
    )  # fmt: skip
    args = parser.parse_args()
    engine_thread().submit(warm_up).result()  # the first visitor's run then previews as fast as everyone else's
    engine_thread().submit(warm_previews).result()  # and the first instant preview with each example painting
    machine = engine_thread().submit(measure).result()  # the default size and expected times follow this machine
    page = build_page(machine)
    page.queue(**QUEUE)
    page.launch(
        share=args.share, server_name=args.server_name, server_port=args.port, mcp_server=args.mcp or None,
        **launch_options(),
    )  # fmt: skip


if __name__ == "__main__":
    main()
