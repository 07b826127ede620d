"""One Lambda function per FunctionSpec of the wiring, sharing one layer."""

from collections.abc import Iterable, Mapping
from pathlib import Path

from aws_cdk import Duration, RemovalPolicy
from aws_cdk import aws_lambda as lambda_
from aws_cdk import aws_logs as logs
from constructs import Construct

from infra.assets import EXCLUDED_PATTERNS, SHARED_LAYER_DIR
from infra.wiring import FunctionSpec

RUNTIME = lambda_.Runtime.PYTHON_3_12
ARCHITECTURE = lambda_.Architecture.X86_64
LOG_RETENTION = logs.RetentionDays.ONE_MONTH
METRICS_NAMESPACE = "LearnFlow"


def spec_id(spec: FunctionSpec) -> str:
    """`tutor_api` -> `TutorApi`: the id of a spec's constructs."""
    return "".join(part.capitalize() for part in spec.name.split("_"))


class LearnFlowFunctions(Construct):
    """The functions of the wiring, by spec name; each has its own role, log group and layer."""

    def __init__(
        self,
        scope: Construct,
        construct_id: str,
        *,
        specs: Iterable[FunctionSpec],
        code_dir: Path,
        stage: str,
        log_level: str,
    ) -> None:
        super().__init__(scope, construct_id)
        self.shared_layer = lambda_.LayerVersion(
            self,
            "SharedLayer",
            code=lambda_.Code.from_asset(str(SHARED_LAYER_DIR), exclude=list(EXCLUDED_PATTERNS)),
            compatible_runtimes=[RUNTIME],
            compatible_architectures=[ARCHITECTURE],
            description="The learnflow package shared by every LearnFlow function",
        )
        code = lambda_.Code.from_asset(str(code_dir))
        self._functions: dict[str, lambda_.Function] = {}
        for spec in specs:
            self._functions[spec.name] = self._function(spec, code, stage=stage, log_level=log_level)

    @property
    def by_name(self) -> Mapping[str, lambda_.Function]:
        return self._functions

    def __getitem__(self, name: str) -> lambda_.Function:
        return self._functions[name]

    def _function(
        self, spec: FunctionSpec, code: lambda_.Code, *, stage: str, log_level: str
    ) -> lambda_.Function:
        name = spec_id(spec)
        log_group = logs.LogGroup(
            self, f"{name}Logs", retention=LOG_RETENTION, removal_policy=RemovalPolicy.DESTROY
        )
        return lambda_.Function(
            self,
            name,
            description=spec.description,
            runtime=RUNTIME,
            architecture=ARCHITECTURE,
            handler=spec.handler,
            code=code,
            layers=[self.shared_layer],
            timeout=Duration.seconds(spec.timeout_seconds),
            memory_size=spec.memory_mb,
            reserved_concurrent_executions=spec.reserved_concurrency,
            tracing=lambda_.Tracing.ACTIVE,
            log_group=log_group,
            environment={
                "POWERTOOLS_SERVICE_NAME": spec.name,
                "POWERTOOLS_LOG_LEVEL": log_level,
                "POWERTOOLS_METRICS_NAMESPACE": METRICS_NAMESPACE,
                "LEARNFLOW_STAGE": stage,
            },
        )
