"""The @connections API, used by boto3's apigatewaymanagementapi client exactly as on AWS."""

import asyncio
import json

import boto3
import pytest
from botocore.exceptions import ClientError
from websockets.exceptions import ConnectionClosed

from learnflow.api.schemas.notifications import NOTIFICATION_EXAMPLE
from tests.cloud_process import Account, RunningCloud
from tests.e2e.websocket_client import next_message, open_socket

pytestmark = pytest.mark.cloud


def management_client(cloud: RunningCloud):  # type: ignore[no-untyped-def]
    return boto3.client(
        "apigatewaymanagementapi",
        endpoint_url=cloud.websocket_url.replace("ws://", "http://"),
        region_name="us-east-1",
        aws_access_key_id="local",
        aws_secret_access_key="local",
    )


def _connection_ids(cloud: RunningCloud, user_id: str) -> list[str]:
    import psycopg

    with psycopg.connect(cloud.state()["database_url"]) as conn:
        rows = conn.execute("SELECT connection_id FROM websocket_connections WHERE user_id = %s", (user_id,))
        return [row[0] for row in rows]


async def test_post_get_and_delete_a_connection(cloud: RunningCloud, student: Account) -> None:
    client = management_client(cloud)
    async with await open_socket(cloud.websocket_url, student.access_token) as socket:
        (connection_id,) = _connection_ids(cloud, student.id)
        pushed = {"type": "notification", "data": NOTIFICATION_EXAMPLE}
        client.post_to_connection(ConnectionId=connection_id, Data=json.dumps(pushed).encode())
        assert await next_message(socket, "notification") == pushed

        described = client.get_connection(ConnectionId=connection_id)
        assert described["Identity"]["SourceIp"] == "127.0.0.1"
        assert described["ConnectedAt"] <= described["LastActiveAt"]

        client.delete_connection(ConnectionId=connection_id)
        with pytest.raises(ConnectionClosed):
            await next_message(socket, "anything", timeout=5)

    with pytest.raises(ClientError) as gone:
        client.post_to_connection(ConnectionId=connection_id, Data=b"{}")
    assert gone.value.response["Error"]["Code"] == "GoneException"
    for _ in range(50):
        if not _connection_ids(cloud, student.id):
            break
        await asyncio.sleep(0.1)
    assert _connection_ids(cloud, student.id) == [], "$disconnect must forget the connection"
