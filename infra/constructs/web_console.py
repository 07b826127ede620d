"""The web console at the web site's root: `console/dist` (`make console`) and the `config.json` beside it.

`config.json` has the shape the local cloud serves (`localcloud/console_site.py`) plus the REST API's
base URL, which the local cloud leaves out because there the console and the API share an origin:
`{"api_url": <the REST stage URL>, "websocket_url": <the WebSocket stage URL>}`, both filled in by
CloudFormation at deploy time. The console's Content-Security-Policy lets it load its own files only
and connect to the site (config.json), the REST API and the WebSocket API, nothing else.
"""

import json

from aws_cdk import Annotations
from aws_cdk import aws_s3_deployment as s3_deployment
from constructs import Construct

from infra.config import StageConfig
from infra.constructs.web_site import LearnFlowWebSite

CONFIG_FILE = "config.json"
MISSING_CONSOLE_WARNING = "learnflow:noConsole"
#: what Vite writes beside the console that browsers never ask for
NOT_PUBLISHED = (".vite", ".vite/*")


def content_security_policy(*, api_origin: str, websocket_origin: str) -> str:
    """Scripts from the site only (no inline script, no eval: Mermaid needs neither); inline styles are
    allowed because Mermaid's diagrams carry a <style> element; images from the site or data: URLs."""
    return (
        "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; "
        f"connect-src 'self' {api_origin} {websocket_origin}; object-src 'none'; frame-ancestors 'none'; "
        "base-uri 'self'; form-action 'self'"
    )


def console_config(*, api_url: str, websocket_url: str) -> str:
    return json.dumps({"api_url": api_url, "websocket_url": websocket_url}, indent=2) + "\n"


class WebConsole(Construct):
    def __init__(
        self,
        scope: Construct,
        construct_id: str,
        *,
        site: LearnFlowWebSite,
        api_origin: str,
        api_url: str,
        websocket_origin: str,
        websocket_url: str,
        config: StageConfig,
    ) -> None:
        """`api_url` is the REST stage's URL (no trailing slash), `websocket_url` the WebSocket stage's;
        each `*_origin` is the origin its URL is on."""
        super().__init__(scope, construct_id)
        written = console_config(api_url=api_url, websocket_url=websocket_url)
        sources = [s3_deployment.Source.data(CONFIG_FILE, written)]
        built = config.console_dist_dir
        if (built / "index.html").is_file():
            sources.insert(0, s3_deployment.Source.asset(str(built), exclude=list(NOT_PUBLISHED)))
        else:
            Annotations.of(self).add_warning_v2(
                MISSING_CONSOLE_WARNING,
                f"The web console is not built in {built} (`make console`): the site publishes its "
                f"{CONFIG_FILE} without the console",
            )
        self.deployment = site.publish_at_root(
            sources=sources,
            content_security_policy=content_security_policy(
                api_origin=api_origin, websocket_origin=websocket_origin
            ),
        )
        self.url = site.url_of("")
