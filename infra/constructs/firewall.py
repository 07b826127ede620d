"""The REST API's web application firewall: the contract's body limit and a per-address rate limit.

API Gateway accepts bodies up to 10 MB; the contract allows 1 MiB, so requests whose
Content-Length says more are refused here with the contract's 413 body, before any function
runs. Clients flooding the API from one address get the contract's 429 body.
"""

import json

from aws_cdk import aws_wafv2 as wafv2
from constructs import Construct

from learnflow.api.errors import error_body

BODY_LIMIT_BYTES = 1024 * 1024
RATE_WINDOW_SECONDS = 300
RETRY_AFTER_SECONDS = "60"
#: decimal numbers greater than 1048576 (1 MiB), as WAF regular expressions spell them
CONTENT_LENGTH_OVER_LIMIT = (
    r"^0*(10485(7[7-9]|[89][0-9])|1048[6-9][0-9]{2}|1049[0-9]{3}|10[5-9][0-9]{4}"
    r"|1[1-9][0-9]{5}|[2-9][0-9]{6}|[1-9][0-9]{7,})$"
)

_BODIES = {
    "payload_too_large": error_body("payload_too_large", "The request body is larger than 1 MiB."),
    "throttled": error_body("throttled", "Too many requests; slow down and retry after the delay given."),
}


def _visibility(name: str) -> wafv2.CfnWebACL.VisibilityConfigProperty:
    return wafv2.CfnWebACL.VisibilityConfigProperty(
        cloud_watch_metrics_enabled=True, metric_name=name, sampled_requests_enabled=True
    )


def _block_with(
    code: str, status: int, headers: dict[str, str] | None = None
) -> wafv2.CfnWebACL.RuleActionProperty:
    return wafv2.CfnWebACL.RuleActionProperty(
        block=wafv2.CfnWebACL.BlockActionProperty(
            custom_response=wafv2.CfnWebACL.CustomResponseProperty(
                response_code=status,
                custom_response_body_key=code,
                response_headers=[
                    wafv2.CfnWebACL.CustomHTTPHeaderProperty(name=name, value=value)
                    for name, value in (headers or {}).items()
                ]
                or None,
            )
        )
    )


class RestApiFirewall(Construct):
    def __init__(
        self, scope: Construct, construct_id: str, *, name: str, stage_arn: str, rate_limit: int
    ) -> None:
        super().__init__(scope, construct_id)
        oversized = wafv2.CfnRegexPatternSet(
            self,
            "ContentLengthOverLimit",
            name=f"{name}-content-length-over-limit",
            scope="REGIONAL",
            description="Content-Length values above the 1 MiB body limit of the contract",
            regular_expression_list=[CONTENT_LENGTH_OVER_LIMIT],
        )
        self.web_acl = wafv2.CfnWebACL(
            self,
            "WebAcl",
            name=name,
            scope="REGIONAL",
            description="LearnFlow REST API: body size and per-address rate limits",
            default_action=wafv2.CfnWebACL.DefaultActionProperty(allow={}),
            visibility_config=_visibility(name),
            custom_response_bodies={
                code: wafv2.CfnWebACL.CustomResponseBodyProperty(
                    content_type="APPLICATION_JSON", content=json.dumps(body)
                )
                for code, body in _BODIES.items()
            },
            rules=[
                wafv2.CfnWebACL.RuleProperty(
                    name="BodyLargerThanLimit",
                    priority=0,
                    action=_block_with("payload_too_large", 413),
                    statement=wafv2.CfnWebACL.StatementProperty(
                        regex_pattern_set_reference_statement=wafv2.CfnWebACL.RegexPatternSetReferenceStatementProperty(
                            arn=oversized.attr_arn,
                            field_to_match=wafv2.CfnWebACL.FieldToMatchProperty(
                                single_header={"Name": "content-length"}
                            ),
                            text_transformations=[
                                wafv2.CfnWebACL.TextTransformationProperty(priority=0, type="NONE")
                            ],
                        )
                    ),
                    visibility_config=_visibility(f"{name}-body-limit"),
                ),
                wafv2.CfnWebACL.RuleProperty(
                    name="RateLimitPerAddress",
                    priority=1,
                    action=_block_with("throttled", 429, {"Retry-After": RETRY_AFTER_SECONDS}),
                    statement=wafv2.CfnWebACL.StatementProperty(
                        rate_based_statement=wafv2.CfnWebACL.RateBasedStatementProperty(
                            aggregate_key_type="IP",
                            limit=rate_limit,
                            evaluation_window_sec=RATE_WINDOW_SECONDS,
                        )
                    ),
                    visibility_config=_visibility(f"{name}-rate-limit"),
                ),
            ],
        )
        self.association = wafv2.CfnWebACLAssociation(
            self, "Association", resource_arn=stage_arn, web_acl_arn=self.web_acl.attr_arn
        )
