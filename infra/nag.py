"""cdk-nag acknowledgements: each AWS Solutions finding the design accepts, and why.

Every acknowledgement names one finding (rule id, with the resource for IAM findings) on the
narrowest construct that produces it. Anything not acknowledged here fails the synth.
"""

from aws_cdk import Acknowledgment, CfnElement, Stack, Validations
from aws_cdk import aws_apigateway as apigateway
from aws_cdk import aws_lambda as lambda_
from constructs import IConstruct

from infra.constructs.deploy_hook import DeployHook
from infra.constructs.functions import RUNTIME
from infra.stacks.learnflow_stack import LearnFlowStack

PLUGIN = "AwsSolutions"
WILDCARD_ACTIONS = (
    "X-Ray's PutTraceSegments/PutTelemetryRecords and the EC2 network-interface actions Lambda "
    "uses to join the VPC support no resource-level permissions; every other statement names "
    "its resources (tests/infra checks that only these actions use '*')"
)
RUNTIME_CHOICE = (
    f"{RUNTIME.name} is the runtime the dependencies layer's wheels are built for and the "
    "project pins (pyproject requires-python, .venv); moving on is a deliberate upgrade of "
    "all three, not a drift"
)
PUBLIC_ROUTE = "public by the contract (no token exists yet, or the route reports readiness)"


def acknowledge(construct: IConstruct, rule: str, reason: str) -> None:
    """Acknowledges one finding of the AWS Solutions pack (`rule` as cdk-nag reports it)."""
    Validations.of(construct).acknowledge(Acknowledgment(id=f"{PLUGIN}::{rule}", reason=reason))


def _logical_id(construct: IConstruct) -> str:
    element = construct.node.default_child
    assert isinstance(element, CfnElement)
    return str(Stack.of(construct).resolve(element.logical_id))


def acknowledge_findings(stack: LearnFlowStack) -> None:
    _database(stack)
    _functions(stack)
    for hook in (stack.migrations, stack.streaming.topic_hook):
        _deploy_hook(hook)
    _apis(stack)
    _web_site(stack)
    acknowledge(
        stack.secrets.token_signing_key,
        "AwsSolutions-SMG4",
        "Rotating the token signing key signs every user out (tokens are HMAC-signed with one key); "
        "it is rotated on purpose, by the documented procedure in docs/deploy.md",
    )
    acknowledge(
        stack.secrets.llm_api_key,
        "AwsSolutions-SMG4",
        "An API key issued by the LLM provider: it is rotated at the provider, then stored here "
        "by the documented procedure in docs/deploy.md; Secrets Manager cannot rotate it",
    )
    acknowledge(
        stack.kafka_consumers,
        "AwsSolutions-SQS3",
        "These queues are the dead-letter queues: each is the on-failure destination of a Kafka "
        "event source mapping (an SQS redrive policy does not apply to event source mappings)",
    )


def _database(stack: LearnFlowStack) -> None:
    instance = stack.database.instance
    profile = stack.config.profile
    acknowledge(
        instance,
        "AwsSolutions-RDS11",
        "The default PostgreSQL port: the instance is in isolated subnets and its security group "
        "admits only the proxy, the rotation function and the migrations hook",
    )
    if not profile.database_multi_az:
        acknowledge(
            instance,
            "AwsSolutions-RDS3",
            f"The {stack.config.stage} stage runs a single-AZ instance to halve its cost; prod is Multi-AZ",
        )
    if not profile.database_deletion_protection:
        acknowledge(
            instance,
            "AwsSolutions-RDS10",
            f"The {stack.config.stage} stage is meant to be destroyed and recreated "
            "(`make destroy`); prod has deletion protection",
        )


def _functions(stack: LearnFlowStack) -> None:
    functions = stack.functions
    acknowledge(functions, "AwsSolutions-IAM5[Resource::*]", WILDCARD_ACTIONS)
    acknowledge(functions, "AwsSolutions-L1", RUNTIME_CHOICE)
    acknowledge(
        functions,
        "AwsSolutions-IAM4[Policy::arn:<AWS::Partition>:iam::aws:policy/service-role/AWSLambdaMSKExecutionRole]",
        "Added by the MSK event source mapping: AWS's policy for its pollers (describe the cluster, "
        "its bootstrap brokers, and the network interfaces in the cluster's subnets)",
    )
    api_id = _logical_id(stack.websocket_api.api)
    acknowledge(
        functions,
        "AwsSolutions-IAM5[Resource::arn:<AWS::Partition>:execute-api:<AWS::Region>:<AWS::AccountId>:"
        f"<{api_id}>/{stack.config.stage}/*/@connections/*]",
        "Posting to @connections: connection ids are created at run time; the grant is limited to "
        "this API's stage and its management routes",
    )


def _deploy_hook(hook: DeployHook) -> None:
    acknowledge(hook, "AwsSolutions-IAM5[Resource::*]", WILDCARD_ACTIONS)
    acknowledge(hook, "AwsSolutions-L1", RUNTIME_CHOICE)
    framework = hook.provider
    acknowledge(
        framework,
        "AwsSolutions-IAM4[Policy::arn:<AWS::Partition>:iam::aws:policy/service-role/AWSLambdaBasicExecutionRole]",
        "CDK's custom resource framework function: it only writes its own logs and invokes the hook",
    )
    acknowledge(
        framework,
        f"AwsSolutions-IAM5[Resource::<{_logical_id(hook.function)}.Arn>:*]",
        "CDK's custom resource framework may invoke any version of the one hook function it fronts",
    )
    acknowledge(
        framework,
        "AwsSolutions-L1",
        "CDK's custom resource framework function: its runtime is chosen by aws-cdk-lib",
    )


def _apis(stack: LearnFlowStack) -> None:
    rest = stack.rest_api
    acknowledge(
        rest,
        "AwsSolutions-COG4",
        "LearnFlow issues its own access tokens (contract: /auth/login); the Lambda token authorizer "
        "verifies them, so there is no Cognito user pool to authorize with",
    )
    acknowledge(
        rest.api,
        "AwsSolutions-IAM4[Policy::arn:<AWS::Partition>:iam::aws:policy/service-role/AmazonAPIGatewayPushToCloudWatchLogs]",
        "The account's API Gateway logging role: AWS's policy is exactly what API Gateway needs "
        "to write access and execution logs",
    )
    for method in rest.methods:
        if method.node.default_child is not None and _is_public(method):
            acknowledge(method, "AwsSolutions-APIG4", PUBLIC_ROUTE)
    for child in rest.api.node.find_all():
        if isinstance(child, apigateway.Method) and child.http_method == "OPTIONS":
            acknowledge(
                child,
                "AwsSolutions-APIG4",
                "CORS preflight, answered by a mock integration: browsers send it without credentials",
            )

    acknowledge(
        stack.websocket_api,
        "AwsSolutions-APIG4",
        "A WebSocket connection is authorized once, at $connect (the Lambda authorizer); messages "
        "and $disconnect travel on that authorized connection, and API Gateway takes authorizers "
        "on $connect only",
    )


def _web_site(stack: LearnFlowStack) -> None:
    distribution = stack.web_site.distribution
    acknowledge(
        distribution,
        "AwsSolutions-CFR1",
        "The site publishes the REST API's documentation to everyone who may call the API, and the API "
        "answers from everywhere: restricting where the documents can be read would protect nothing",
    )
    acknowledge(
        distribution,
        "AwsSolutions-CFR2",
        "A CloudFront web ACL can only be created in us-east-1 and this stack deploys to any region; the "
        "site serves static files from S3 (no compute behind it), and the REST API its pages call has "
        "its own regional web ACL (RestApiFirewall)",
    )
    acknowledge(
        distribution,
        "AwsSolutions-CFR4",
        "The distribution has no custom domain, so it uses CloudFront's *.cloudfront.net certificate, "
        "with which CloudFront fixes the viewer security policy itself; a custom domain with an ACM "
        "certificate would allow TLSv1.2_2021",
    )
    publishing = stack.web_site.publishing_role
    acknowledge(
        publishing,
        "AwsSolutions-IAM5[Resource::*]",
        "CDK's BucketDeployment grants CloudFront's CreateInvalidation and GetInvalidation on '*': the "
        "role can only invalidate cached copies after a deploy, never change a distribution",
    )
    copies_files = (
        "CDK's BucketDeployment copies the published files: it reads the CDK asset bucket's objects and "
        "replaces objects of the site's files bucket (their keys are known at deploy time only); CDK "
        "grants these actions on those two buckets alone"
    )
    for finding in (
        "Action::s3:GetObject*",
        "Action::s3:GetBucket*",
        "Action::s3:List*",
        "Action::s3:DeleteObject*",
        "Action::s3:Abort*",
        "Resource::arn:<AWS::Partition>:s3:::cdk-hnb659fds-assets-<AWS::AccountId>-<AWS::Region>/*",
        f"Resource::<{_logical_id(stack.web_site.bucket)}.Arn>/*",
    ):
        acknowledge(publishing, f"AwsSolutions-IAM5[{finding}]", copies_files)
    for child in stack.node.children:
        if isinstance(child, lambda_.Function) and child.node.id.startswith("Custom::CDKBucketDeployment"):
            acknowledge(
                child,
                "AwsSolutions-L1",
                "CDK's BucketDeployment function (it copies the web site's files): aws-cdk-lib chooses "
                "its runtime",
            )


def _is_public(method: apigateway.Method) -> bool:
    element = method.node.default_child
    assert isinstance(element, apigateway.CfnMethod)
    return element.authorization_type == apigateway.AuthorizationType.NONE.value
