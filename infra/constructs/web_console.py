"""The web console at the web site's root: `console/dist` (`make console`) and the `config.json` beside it.

`config.json` names the REST stage's URL and the WebSocket stage's, both filled in by CloudFormation at
deploy time; the console's Content-Security-Policy lets it load its own files only and connect to the
site, those two APIs and nothing else (`infra/console_page.py`).
"""

from aws_cdk import Annotations
from aws_cdk import aws_s3_deployment as s3_deployment
from constructs import Construct

from infra.config import StageConfig
from infra.console_page import console_config, content_security_policy
from infra.constructs.web_site import LearnFlowWebSite

CONFIG_FILE = "config.json"
MISSING_CONSOLE_WARNING = "learnflow:noConsole"
#: what Vite writes beside the console that browsers never ask for
NOT_PUBLISHED = (".vite", ".vite/*")


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
