"""Each function's environment, from its declared capabilities: what CDK sets on AWS, set locally."""

import sys
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

from pydantic_settings import BaseSettings

from infra.wiring import ALL_FUNCTIONS, FunctionSpec
from learnflow import settings as settings_parts
from learnflow.llm.settings import LlmSettings
from localcloud.config import host_variable, host_variables
from localcloud.event_sources import dead_letter_file
from localcloud.lambda_context import REGION

# COVERAGE_PROCESS_CONFIG: set by coverage under `make test`, so the workers' code is measured too
_PASSED_THROUGH = ("TZ", "LANG", "LEARNFLOW_SANDBOX_NAMESPACES", "COVERAGE_PROCESS_CONFIG")
_LLM_SETTINGS = ("OPENAI_API_KEY", "OPENAI_BASE_URL")
DEFAULT_CORS_ORIGINS = "http://localhost:3000"


def tunables(*parts: type[BaseSettings]) -> tuple[str, ...]:
    """The variables of settings that have a default: policy an operator may change, never an endpoint.

    Endpoints, secrets and names of resources default to nothing; the local cloud sets those itself.
    """
    return tuple(
        sorted(
            name.upper()
            for part in parts
            for name, field in part.model_fields.items()
            if field.default is not None and not field.is_required()
        )
    )


#: every part of learnflow.settings (the LLM's are passed only to the functions that may use it)
_TUNABLES = tunables(
    *(
        part
        for part in vars(settings_parts).values()
        if isinstance(part, type)
        and issubclass(part, BaseSettings)
        and part.__module__ == settings_parts.__name__
    )
)
_LLM_TUNABLES = tunables(LlmSettings)


@dataclass(frozen=True)
class Endpoints:
    database_url: str
    kafka_bootstrap_servers: str
    connections_url: str
    jwt_secret: str
    #: the data dir whose dead-letters/ the Kafka consumers park poison records in
    data_dir: Path


def function_environment(spec: FunctionSpec, endpoints: Endpoints) -> Mapping[str, str]:
    env = host_variables(_TUNABLES)
    env |= {
        "PATH": f"{Path(sys.executable).parent}:/usr/local/bin:/usr/bin:/bin",
        "HOME": host_variable("HOME", str(Path.home())),
        "PYTHONUNBUFFERED": "1",
        "AWS_LAMBDA_FUNCTION_NAME": spec.name,
        "AWS_LAMBDA_FUNCTION_MEMORY_SIZE": str(spec.memory_mb),
        "AWS_LAMBDA_FUNCTION_VERSION": "$LATEST",
        "AWS_REGION": REGION,
        "AWS_DEFAULT_REGION": REGION,
        # the local endpoints ignore signatures, but boto3 signs every request
        "AWS_ACCESS_KEY_ID": "local",
        "AWS_SECRET_ACCESS_KEY": "local",
        "POWERTOOLS_SERVICE_NAME": spec.name,
        "POWERTOOLS_LOG_LEVEL": host_variable("LEARNFLOW_LOG_LEVEL", "INFO"),
        "POWERTOOLS_METRICS_NAMESPACE": "LearnFlow",
    }
    env |= host_variables(_PASSED_THROUGH)
    if spec.rest_routes:
        env["LEARNFLOW_CORS_ORIGINS"] = host_variable("LEARNFLOW_CORS_ORIGINS", DEFAULT_CORS_ORIGINS)
    if "database" in spec.capabilities:
        env["DATABASE_URL"] = endpoints.database_url
    if "publish_events" in spec.capabilities:
        env["KAFKA_BOOTSTRAP_SERVERS"] = endpoints.kafka_bootstrap_servers
    if "post_to_connections" in spec.capabilities:
        env["WEBSOCKET_MANAGEMENT_ENDPOINT"] = endpoints.connections_url
    if "run_sandbox" in spec.capabilities:
        # the sandbox is its own function, invoked through the local cloud's Lambda API as on AWS
        (sandbox,) = (other.name for other in ALL_FUNCTIONS if other.image_directory)
        env["SANDBOX_FUNCTION_NAME"] = sandbox
        env["AWS_ENDPOINT_URL_LAMBDA"] = endpoints.connections_url
    if "llm_api_key" in spec.capabilities:
        env |= host_variables(_LLM_SETTINGS + _LLM_TUNABLES)
    if "token_signing_key" in spec.capabilities:
        env["JWT_SECRET"] = endpoints.jwt_secret
    if spec.kafka_sources:
        # poison records go where the mapping sends the batches it gives up on (DEAD_LETTER_QUEUE_URL on AWS)
        env["DEAD_LETTER_FILE"] = str(dead_letter_file(endpoints.data_dir, spec.name))
    return env
