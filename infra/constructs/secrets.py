"""The secrets functions read at run time: only their ARNs ever reach an environment."""

import json

from aws_cdk import RemovalPolicy
from aws_cdk import aws_secretsmanager as secretsmanager
from constructs import Construct

DATABASE_USERNAME = "learnflow"


class LearnFlowSecrets(Construct):
    def __init__(self, scope: Construct, construct_id: str, *, stage: str) -> None:
        super().__init__(scope, construct_id)
        # Placeholder for the RDS credentials until the database is part of this stack: same
        # shape as an RDS-generated secret, so functions need no change when it is replaced.
        self.database = secretsmanager.Secret(
            self,
            "Database",
            description=f"LearnFlow {stage}: credentials of the system-of-record database",
            generate_secret_string=secretsmanager.SecretStringGenerator(
                secret_string_template=json.dumps({"username": DATABASE_USERNAME}),
                generate_string_key="password",
                exclude_punctuation=True,
                password_length=32,
            ),
            removal_policy=RemovalPolicy.DESTROY,
        )
        self.token_signing_key = secretsmanager.Secret(
            self,
            "TokenSigningKey",
            description=f"LearnFlow {stage}: the HMAC key access tokens are signed with",
            generate_secret_string=secretsmanager.SecretStringGenerator(
                exclude_punctuation=True,
                password_length=64,
            ),
            removal_policy=RemovalPolicy.DESTROY,
        )
