"""The built console served from an origin of its own, as the stack's web site serves it: its files,
a config.json naming the APIs elsewhere, index.html for page paths, and the site's Content-Security-Policy
(`infra/console_page.py`). A static test fixture on a loopback port: the standard library's server in a
thread, stopped with the block."""

import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from infra.console_page import console_config, content_security_policy


@dataclass
class StaticConsole:
    origin: str
    config_json: str = "{}"
    content_security_policy: str = "default-src 'none'"

    def point_at(self, *, api_url: str, websocket_url: str) -> None:
        """Names the APIs in config.json and allows exactly them in the page's CSP, as the stack does."""
        self.config_json = console_config(api_url=api_url, websocket_url=websocket_url)
        self.content_security_policy = content_security_policy(
            api_origin=_origin_of(api_url), websocket_origin=_origin_of(websocket_url)
        )


def _origin_of(url: str) -> str:
    parts = urlsplit(url)
    return f"{parts.scheme}://{parts.netloc}"


@contextmanager
def serving_console(dist: Path) -> Iterator[StaticConsole]:
    """Serves `dist` on a free loopback port until the block ends; point it at the APIs before use."""
    site = StaticConsole(origin="")

    class Handler(SimpleHTTPRequestHandler):
        def __init__(self, *args: Any, **kwargs: Any) -> None:
            super().__init__(*args, directory=str(dist), **kwargs)

        def do_GET(self) -> None:
            path = urlsplit(self.path).path
            if path == "/config.json":
                body = site.config_json.encode()
                self.send_response(200)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)
                return
            if "." not in path.rsplit("/", 1)[-1]:
                self.path = "/index.html"  # the site's CloudFront Function does the same
            super().do_GET()

        def end_headers(self) -> None:
            self.send_header("Content-Security-Policy", site.content_security_policy)
            self.send_header("X-Content-Type-Options", "nosniff")
            self.send_header("Cache-Control", "no-store")
            super().end_headers()

        def log_message(self, format: str, *args: Any) -> None:
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    site.origin = f"http://127.0.0.1:{server.server_address[1]}"
    thread = threading.Thread(target=server.serve_forever, name="static-console", daemon=True)
    thread.start()
    try:
        yield site
    finally:
        server.shutdown()
        server.server_close()
        thread.join(10)
