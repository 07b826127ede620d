"""Swagger UI over the REST API's OpenAPI document: its page, its start script and their security policy.

The local cloud serves them at /api/v1/docs (`localcloud/api_docs.py`); the deployed stack publishes
them on its web site at /api/docs/ (`infra/constructs/api_docs.py`). Both take Swagger UI's files from
the npm package swagger-ui-dist (`make install`) and serve them from their own origin, under `assets/`
beside the start script; nothing is fetched from the internet and the page holds no inline script.
"""

import json
from collections.abc import Sequence
from pathlib import Path

SWAGGER_UI_DIST = Path(__file__).resolve().parents[1] / "node_modules" / "swagger-ui-dist"
#: the files of swagger-ui-dist the page loads
SWAGGER_UI_ASSETS = ("swagger-ui-bundle.js", "swagger-ui.css", "favicon-32x32.png", "favicon-16x16.png")
START_SCRIPT = "start.js"

_PAGE = """<!doctype html>
<html lang="en">
<head>
  <meta charset="utf-8">
  <title>LearnFlow API</title>
  <link rel="icon" type="image/png" href="{docs}/assets/favicon-32x32.png" sizes="32x32">
  <link rel="icon" type="image/png" href="{docs}/assets/favicon-16x16.png" sizes="16x16">
  <link rel="stylesheet" href="{docs}/assets/swagger-ui.css">
</head>
<body>
  <div id="swagger-ui"></div>
  <script src="{docs}/assets/swagger-ui-bundle.js"></script>
  <script src="{docs}/{start}"></script>
</body>
</html>
"""

# validatorUrl: null keeps Swagger UI from loading a badge from validator.swagger.io
_START = """window.ui = SwaggerUIBundle({{
  url: {openapi},
  dom_id: "#swagger-ui",
  deepLinking: true,
  persistAuthorization: false,
  validatorUrl: null,
}});
"""


def page(docs_url: str) -> str:
    """The HTML page; `docs_url` is where the start script and `assets/` are, absolute or relative to it."""
    return _PAGE.format(docs=docs_url, start=START_SCRIPT)


def start_script(openapi_url: str) -> str:
    """Starts Swagger UI on the OpenAPI document at `openapi_url` (absolute, or relative to the page)."""
    return _START.format(openapi=json.dumps(openapi_url))


def content_security_policy(api_origins: Sequence[str] = ()) -> str:
    """Scripts and styles from the page's origin only, no eval; calls to it and to the API's origins.

    Swagger UI sets style attributes ('unsafe-inline' styles) and draws icons as data: URLs; "Try it
    out" calls the API, which is another origin when the page is not served by the API itself.
    """
    connect = " ".join(("'self'", *api_origins))
    return (
        "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; "
        f"connect-src {connect}; object-src 'none'; base-uri 'self'; form-action 'self'; "
        "frame-ancestors 'none'"
    )
