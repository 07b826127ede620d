"""GET /health: the dependencies' states, in both of its answers."""

from typing import Literal

from pydantic import BaseModel, Field

from learnflow.api.openapi import ErrorBody

CheckState = Literal["ok", "down"]


class HealthChecks(BaseModel):
    database: CheckState = Field(description="Whether Postgres answered within 2 seconds")
    kafka: CheckState = Field(description="Whether the Kafka broker answered")
    sandbox: CheckState = Field(
        description="Whether the code sandbox started with every required isolation layer"
    )


class SandboxLayers(BaseModel):
    layers: list[str] = Field(
        description="The sandbox's active isolation layers; empty when it could not start",
        examples=[
            [
                "static_check",
                "audit_hook",
                "rlimits",
                "clean_environment",
                "non_dumpable",
                "private_tmp_mount",
                "seccomp",
                "namespaces",
            ]
        ],
    )
    namespaces: bool = Field(description="Whether programs also run in their own Linux namespaces")


class HealthReport(BaseModel):
    status: Literal["ok"]
    checks: HealthChecks = Field(description="Every check is ok")
    sandbox: SandboxLayers


class DegradedHealth(ErrorBody):
    """The contract's error body, with the health report beside it: which dependency is down."""

    status: Literal["degraded"]
    checks: HealthChecks = Field(description="At least one check is down")
    sandbox: SandboxLayers
