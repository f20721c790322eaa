"""The page as an MCP server (python app.py --mcp): a real MCP client lists the tools and calls them."""

import asyncio
import base64
import io
import re

import httpx
import pytest
from PIL import Image

from ui.jobs import LAYERS_SIZE

mcp = pytest.importorskip("mcp", reason="the mcp package is absent (pip install 'gradio[mcp]')")
pytestmark = pytest.mark.slow
TOOLS = {"stylize", "compare", "layers", "video", "denoise", "presets", "settings_from_png"}


@pytest.fixture(scope="module")
def server(page_url):
    return f"{page_url}gradio_api/mcp/"


def _data_url(path, long_side: int = 96) -> str:
    image = Image.open(path).convert("RGB")
    image.thumbnail((long_side, long_side))
    buffer = io.BytesIO()
    image.save(buffer, format="PNG")
    return "data:image/png;base64," + base64.b64encode(buffer.getvalue()).decode()


def _session(server: str, work):
    """Run `work(session)` in an initialised MCP client session against the server."""
    from mcp import ClientSession
    from mcp.client.streamable_http import streamable_http_client

    async def main():
        async with streamable_http_client(server) as (read, write, _), ClientSession(read, write) as session:
            await session.initialize()
            return await work(session)

    return asyncio.run(main())


def test_the_tools_are_listed_with_typed_described_parameters(server):
    async def work(session):
        return (await session.list_tools()).tools

    tools = {tool.name: tool for tool in _session(server, work)}
    assert TOOLS <= set(tools)
    stylize = tools["stylize"].inputSchema
    assert {"content", "style", "preset", "settings"} <= set(stylize["properties"])
    assert stylize["properties"]["settings"]["description"].startswith("settings by name over the preset")
    assert stylize["properties"]["denoise"]["type"] == "boolean"
    assert "Stylize a photo with a painting" in tools["stylize"].description
    # The figure takes one photo and one painting, either left out for the other row alone.
    assert set(tools["layers"].inputSchema["properties"]) == {"photo", "painting", "kind", "size", "steps"}
    assert "photo" not in tools["layers"].inputSchema.get("required", [])
    low, high, default = LAYERS_SIZE  # the description says the limits the route enforces
    assert f"({low} to {high}, default {default})" in tools["layers"].inputSchema["properties"]["size"]["description"]


def test_stylize_returns_the_image_and_a_bad_image_gets_the_pages_one_line_error(server, content_path, style_path):
    not_an_image = "data:image/png;base64," + base64.b64encode(b"\x89PNG\r\n\x1a\n not really a picture").decode()

    async def work(session):
        settings = {"size": 64, "iterations": 2}
        good = await session.call_tool(
            "stylize", {"content": _data_url(content_path), "style": _data_url(style_path), "settings": settings}
        )
        bad = await session.call_tool(
            "stylize", {"content": not_an_image, "style": _data_url(style_path), "settings": settings}
        )
        return good, bad

    good, bad = _session(server, work)
    assert not good.isError
    # The result comes back as the PNG's link on the server (Gradio's MCP answer for a file output).
    links = re.findall(r"'url': '([^']+\.png)'", " ".join(part.text for part in good.content if part.type == "text"))
    assert links, good.content
    picture = Image.open(io.BytesIO(httpx.get(links[0]).content))
    assert max(picture.size) == 64 and "style_core:settings" in picture.text  # the settings travel inside
    assert bad.isError
    message = " ".join(part.text for part in bad.content if part.type == "text")
    assert "not an image, or a format that cannot be read" in message
