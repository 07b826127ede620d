"""What the web site serves the console with, free of CDK so that the browser tests serve it too.

`config.json` has the shape the local cloud serves (`localcloud/console_site.py`) plus the REST API's
base URL, which the local cloud leaves out because there the console and the API share an origin.
"""

import json


def content_security_policy(*, api_origin: str, websocket_origin: str) -> str:
    """Scripts from the site only (no inline script, no eval: Mermaid needs neither); inline styles are
    allowed because Mermaid's diagrams carry a <style> element; images from the site or data: URLs;
    connections to the site (config.json), the REST API and the WebSocket API, nothing else."""
    return (
        "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; "
        f"connect-src 'self' {api_origin} {websocket_origin}; object-src 'none'; frame-ancestors 'none'; "
        "base-uri 'self'; form-action 'self'"
    )


def console_config(*, api_url: str, websocket_url: str) -> str:
    """`{"api_url": <the REST API's base URL>, "websocket_url": <the WebSocket API's URL>}`."""
    return json.dumps({"api_url": api_url, "websocket_url": websocket_url}, indent=2) + "\n"
