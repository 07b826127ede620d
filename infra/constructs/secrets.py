"""The key access tokens are signed with: generated into Secrets Manager, only its ARN reaches functions.

The database's credentials are generated and rotated with the database (constructs/database.py).
"""

from aws_cdk import SecretValue
from aws_cdk import aws_secretsmanager as secretsmanager
from constructs import Construct

from infra.config import StageConfig


class LearnFlowSecrets(Construct):
    def __init__(self, scope: Construct, construct_id: str, *, config: StageConfig) -> None:
        super().__init__(scope, construct_id)
        self.token_signing_key = secretsmanager.Secret(
            self,
            "TokenSigningKey",
            description=f"{config.prefix}: the HMAC key access tokens are signed with",
            generate_secret_string=secretsmanager.SecretStringGenerator(
                exclude_punctuation=True,
                password_length=64,
            ),
            removal_policy=config.profile.retained_data_policy,
        )
        # {"api_key": ""} until an operator stores the key (docs/deploy.md); empty means the offline engine
        self.llm_api_key = secretsmanager.Secret(
            self,
            "LlmApiKey",
            description=f"{config.prefix}: the OpenAI (or compatible) API key; empty for the offline engine",
            secret_object_value={"api_key": SecretValue.unsafe_plain_text("")},
            removal_policy=config.profile.retained_data_policy,
        )
