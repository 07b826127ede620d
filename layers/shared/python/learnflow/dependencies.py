"""Long-lived clients built once per execution environment from a function's settings."""

import atexit
from datetime import timedelta
from functools import cache

from learnflow.db.pool import connection_pool
from learnflow.messaging.publisher import KafkaEventPublisher
from learnflow.realtime.pusher import ApiGatewayPusher
from learnflow.repositories.database import Database
from learnflow.security.tokens import TokenService
from learnflow.settings import DatabaseSettings, KafkaSettings, TokenSettings, WebSocketSettings


@cache
def database(settings: DatabaseSettings) -> Database:
    """The unit-of-work factory; events published through it are relayed after commit when Kafka is set."""
    pool = connection_pool(settings.resolved_url(), settings.database_pool_max)
    return Database(pool, publisher(settings) if isinstance(settings, KafkaSettings) else None)


@cache
def publisher(settings: KafkaSettings) -> KafkaEventPublisher:
    created = KafkaEventPublisher(settings)
    atexit.register(created.close)  # an environment that ends normally closes its connections
    return created


@cache
def token_service(settings: TokenSettings) -> TokenService:
    return TokenService(
        settings.signing_key(),
        issuer=settings.jwt_issuer,
        audience=settings.jwt_audience,
        access_ttl=timedelta(seconds=settings.access_token_ttl_seconds),
        refresh_ttl=timedelta(seconds=settings.refresh_token_ttl_seconds),
    )


@cache
def pusher(settings: WebSocketSettings) -> ApiGatewayPusher:
    return ApiGatewayPusher(settings.websocket_management_endpoint)
