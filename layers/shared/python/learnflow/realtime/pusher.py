"""The @connections client: boto3's apigatewaymanagementapi, on AWS and against the local cloud alike."""

import json
from typing import Any

import boto3
from botocore.config import Config
from botocore.exceptions import ClientError


class ApiGatewayPusher:
    def __init__(self, endpoint_url: str, region: str | None = None) -> None:
        self._client = boto3.client(
            "apigatewaymanagementapi",
            endpoint_url=endpoint_url,
            region_name=region,
            config=Config(retries={"mode": "standard", "max_attempts": 3}, connect_timeout=2, read_timeout=5),
        )

    def push(self, connection_id: str, message: dict[str, Any]) -> bool:
        try:
            self._client.post_to_connection(ConnectionId=connection_id, Data=json.dumps(message).encode())
        except ClientError as error:
            if error.response.get("Error", {}).get("Code") == "GoneException":
                return False
            raise
        return True
