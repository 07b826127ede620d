"""The CDK app: `cdk synth -c stage=dev` (or `python -m infra.app`) synthesizes one deployment.

No account or region is fixed, so it synthesizes offline without credentials; `cdk deploy`
takes them from the environment it runs in. cdk-nag's AWS Solutions rules check the app at
every synth: an unacknowledged finding fails it (infra/nag.py holds every acknowledgement).
"""

from collections.abc import Mapping, Sequence
from typing import Any

import aws_cdk as cdk
from cdk_nag import AwsSolutionsChecks

from infra.config import StageConfig
from infra.nag import acknowledge_findings
from infra.stacks.learnflow_stack import LearnFlowStack
from infra.wiring import ALL_FUNCTIONS, FunctionSpec


def build_app(
    context: Mapping[str, Any] | None = None,
    *,
    outdir: str | None = None,
    specs: Sequence[FunctionSpec] = ALL_FUNCTIONS,
) -> cdk.App:
    app = cdk.App(context=dict(context or {}), outdir=outdir)
    config = StageConfig.from_context(app.node)
    stack = LearnFlowStack(
        app,
        config.stack_name,
        config=config,
        specs=specs,
        description=f"LearnFlow ({config.prefix}): AI Python tutoring backend",
    )
    acknowledge_findings(stack)
    cdk.Validations.of(app).add_plugins(AwsSolutionsChecks(app))
    return app


def main() -> None:
    build_app().synth()


if __name__ == "__main__":
    main()
