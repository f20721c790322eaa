"""What a first visit downloads, compressed: Gradio's own scripts and styles, kept in memory, and the page itself.

A first visit loads one or two scripts for each kind of component the page holds. Gradio reads each from disk and
compresses it again for every visitor, a few milliseconds of the server's time apiece, on the same cores that a
browser on this machine draws the page with; sent from memory, the page is usable sooner (docs/BENCHMARKS.md,
"First paint"). Their names carry their contents' hash, so a browser may keep them as long as it likes.

The page's own HTML carries its whole configuration (every component's settings and API description), hundreds
of KB that Gradio sends uncompressed: its compression goes by file name, and "/" has none. Compressed, it is about
a thirteenth of that, which a visitor on a slow connection waits for before anything else.
"""

from __future__ import annotations

import gzip
from posixpath import normpath

from starlette.datastructures import Headers
from starlette.middleware.gzip import GZipMiddleware
from starlette.types import ASGIApp, Message, Receive, Scope, Send

PREFIX = "/assets/"
PAGE_PATHS = ("/", "/config")  # the page's HTML, and its configuration alone (which Gradio's client may ask for)
KEEP = b"public, max-age=31536000, immutable"
COMPRESSIBLE = (b"text/", b"application/javascript", b"application/json", b"image/svg+xml")


class KeptAssets:
    """ASGI middleware: a GET of a file under /assets/ from a client that takes gzip is answered from memory after
    its first time; anything else passes through untouched."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app
        self.kept: dict[str, tuple[Message, Message]] = {}

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if not _keepable(scope):
            await self.app(scope, receive, send)
            return
        path = scope["path"]
        if path not in self.kept:
            messages: list[Message] = []

            async def capture(message: Message) -> None:
                messages.append(message)

            await self.app(scope, receive, capture)
            if messages[0]["status"] != 200:
                for message in messages:
                    await send(message)
                return
            self.kept[path] = _kept_response(messages)
        for message in self.kept[path]:
            await send(message)


def _keepable(scope: Scope) -> bool:
    path = scope.get("path", "")
    # Only a file's own name: "assets/a/../x.js" names x.js too, and keeping every spelling would fill the memory.
    if scope["type"] != "http" or scope["method"] != "GET" or not path.startswith(PREFIX) or normpath(path) != path:
        return False
    headers = Headers(scope=scope)
    # A range or a revalidation gets Gradio's own answer.
    return "gzip" in headers.get("accept-encoding", "") and "range" not in headers and "if-none-match" not in headers


def _kept_response(messages: list[Message]) -> tuple[Message, Message]:
    """The response's start and its whole body in one message, compressed where it is text."""
    body = b"".join(message.get("body", b"") for message in messages[1:])
    skipped = {b"content-length", b"content-encoding", b"cache-control", b"vary"}
    headers = [(name, value) for name, value in messages[0]["headers"] if name.lower() not in skipped]
    content_type = dict(headers).get(b"content-type", b"")
    if content_type.startswith(COMPRESSIBLE):
        # Marked as compressed, it passes Gradio's own compression (outside this middleware) as it is.
        body = gzip.compress(body, compresslevel=6, mtime=0)
        headers += [(b"content-encoding", b"gzip"), (b"vary", b"Accept-Encoding")]
    headers += [(b"content-length", str(len(body)).encode()), (b"cache-control", KEEP)]
    start = {"type": "http.response.start", "status": 200, "headers": headers}
    return start, {"type": "http.response.body", "body": body}


class CompressedPage:
    """ASGI middleware: the page's HTML and configuration gzip-compressed for a client that takes it (Starlette's
    GZipMiddleware, on those paths only); anything else passes through untouched."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app
        self.compressed = GZipMiddleware(app, compresslevel=6)

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        page = scope["type"] == "http" and scope["method"] == "GET" and scope.get("path") in PAGE_PATHS
        await (self.compressed if page else self.app)(scope, receive, send)
