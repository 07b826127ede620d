"""EventBridge rules for the functions the wiring runs on a schedule."""

from collections.abc import Iterable

from aws_cdk import Duration
from aws_cdk import aws_events as events
from aws_cdk import aws_events_targets as targets
from constructs import Construct

from infra.constructs.functions import LearnFlowFunctions, spec_id
from infra.wiring import FunctionSpec


class Schedules(Construct):
    def __init__(
        self,
        scope: Construct,
        construct_id: str,
        *,
        specs: Iterable[FunctionSpec],
        functions: LearnFlowFunctions,
    ) -> None:
        super().__init__(scope, construct_id)
        for spec in specs:
            if spec.schedule is None:
                continue
            events.Rule(
                self,
                f"{spec_id(spec)}Schedule",
                description=f"Runs {spec.name} every {spec.schedule.rate_minutes} minute(s)",
                schedule=events.Schedule.rate(Duration.minutes(spec.schedule.rate_minutes)),
                targets=[targets.LambdaFunction(functions[spec.name])],
            )
