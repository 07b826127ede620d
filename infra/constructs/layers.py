"""The layers every zip function shares: the `learnflow` package, and its dependencies.

The dependencies layer is built without Docker by `make layer` (`python -m infra.layer_build`)
into `build/layer`. A synth without it (a fresh checkout, the tests) still succeeds with the
package alone and a warning; `make deploy` builds it first and requires it.
"""

from aws_cdk import Annotations
from aws_cdk import aws_lambda as lambda_
from constructs import Construct

from infra.assets import EXCLUDED_PATTERNS, SHARED_LAYER_DIR
from infra.config import ConfigError, StageConfig
from infra.layer_build import STAMP_NAME, is_current, runtime_requirements

ARCHITECTURE = lambda_.Architecture.X86_64
RUNTIME = lambda_.Runtime.PYTHON_3_12
MISSING_DEPENDENCIES_WARNING = "learnflow:noDependenciesLayer"


class SharedLayers(Construct):
    def __init__(self, scope: Construct, construct_id: str, *, config: StageConfig) -> None:
        super().__init__(scope, construct_id)
        self.package = lambda_.LayerVersion(
            self,
            "Package",
            code=lambda_.Code.from_asset(str(SHARED_LAYER_DIR), exclude=list(EXCLUDED_PATTERNS)),
            compatible_runtimes=[RUNTIME],
            compatible_architectures=[ARCHITECTURE],
            description="The learnflow package shared by every LearnFlow function",
        )
        self.dependencies: lambda_.LayerVersion | None = None
        layer_dir = config.dependencies_layer_dir
        if is_current(layer_dir, runtime_requirements()):
            self.dependencies = lambda_.LayerVersion(
                self,
                "Dependencies",
                code=lambda_.Code.from_asset(
                    str(layer_dir), exclude=[STAMP_NAME, "requirements.in", *EXCLUDED_PATTERNS]
                ),
                compatible_runtimes=[RUNTIME],
                compatible_architectures=[ARCHITECTURE],
                description="Third-party packages of the learnflow package (pyproject.toml dependencies)",
            )
            return
        problem = (
            f"the dependencies layer in {layer_dir} is missing or older than pyproject.toml: "
            "functions would fail to import their packages on AWS; run `make layer`"
        )
        if config.require_dependencies_layer:
            raise ConfigError(f"require_dependencies_layer: {problem}")
        Annotations.of(self).add_warning_v2(
            MISSING_DEPENDENCIES_WARNING, f"{problem} (synthesizing with the learnflow package only)"
        )

    @property
    def all(self) -> list[lambda_.ILayerVersion]:
        return [self.package] if self.dependencies is None else [self.dependencies, self.package]
