"""The CDK app: `cdk synth -c stage=dev` (or `python -m infra.app`) synthesizes one stage.

No account or region is fixed, so it synthesizes offline without credentials; `cdk deploy`
takes them from the environment it runs in.
"""

from collections.abc import Mapping
from typing import Any

import aws_cdk as cdk

from infra.config import StageConfig
from infra.stacks.learnflow_stack import LearnFlowStack


def build_app(context: Mapping[str, Any] | None = None, *, outdir: str | None = None) -> cdk.App:
    app = cdk.App(context=dict(context or {}), outdir=outdir)
    config = StageConfig.from_context(app.node)
    LearnFlowStack(
        app,
        config.stack_name,
        config=config,
        description=f"LearnFlow ({config.stage}): AI Python tutoring backend",
    )
    return app


def main() -> None:
    build_app().synth()


if __name__ == "__main__":
    main()
