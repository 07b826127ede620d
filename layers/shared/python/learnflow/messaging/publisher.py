"""Publishes outbox records to Kafka; the interface the outbox relay depends on."""

import asyncio
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Protocol

from aiokafka import AIOKafkaProducer
from aiokafka.helpers import create_ssl_context

from learnflow.settings import KafkaSettings

STRUCTURED_CONTENT_TYPE = b"application/cloudevents+json; charset=utf-8"


@dataclass(frozen=True)
class OutgoingRecord:
    topic: str
    key: str
    value: bytes


class EventPublisher(Protocol):
    def publish(self, records: Sequence[OutgoingRecord]) -> None:
        """Delivers every record to the broker or raises; partial success is safe to repeat."""


class MskIamTokenProvider:
    """SASL/OAUTHBEARER tokens signed with the function's IAM role, for MSK IAM auth."""

    def __init__(self, region: str) -> None:
        self._region = region

    async def token(self) -> str:
        from aws_msk_iam_sasl_signer import MSKAuthTokenProvider

        token, _expiry_ms = MSKAuthTokenProvider.generate_auth_token(self._region)
        return str(token)


def producer_options(settings: KafkaSettings) -> dict[str, object]:
    options: dict[str, object] = {
        "bootstrap_servers": settings.kafka_bootstrap_servers,
        "acks": "all",
        "request_timeout_ms": 5000,
        "linger_ms": 0,
    }
    if settings.kafka_security == "iam":
        from aiokafka.abc import AbstractTokenProvider

        provider = MskIamTokenProvider(settings.aws_region)
        token_provider = type("IamTokens", (AbstractTokenProvider,), {"token": provider.token})()
        options |= {
            "security_protocol": "SASL_SSL",
            "ssl_context": create_ssl_context(),
            "sasl_mechanism": "OAUTHBEARER",
            "sasl_oauth_token_provider": token_provider,
        }
    return options


class KafkaEventPublisher:
    """A blocking facade over aiokafka for synchronous handlers; the producer stays warm between calls."""

    def __init__(self, settings: KafkaSettings) -> None:
        self._settings = settings
        self._loop = asyncio.new_event_loop()
        self._producer: AIOKafkaProducer | None = None

    def publish(self, records: Sequence[OutgoingRecord]) -> None:
        if records:
            self._loop.run_until_complete(self._publish_within_deadline(records))

    async def _publish_within_deadline(self, records: Sequence[OutgoingRecord]) -> None:
        """A broker that does not answer fails the call quickly: the records wait in the outbox instead."""
        try:
            await asyncio.wait_for(self._publish(records), self._settings.kafka_publish_timeout_seconds)
        except TimeoutError:
            await self._discard_producer()
            raise

    def check(self) -> None:
        """Raises unless the brokers answer a metadata request within two seconds."""
        self._loop.run_until_complete(asyncio.wait_for(self._refresh_metadata(), 2))

    async def _refresh_metadata(self) -> None:
        producer = await self._started_producer()
        if not await producer.client.force_metadata_update():
            await self._discard_producer()
            raise ConnectionError("the Kafka brokers did not answer a metadata request")

    def close(self) -> None:
        if self._producer is not None:
            self._loop.run_until_complete(self._producer.stop())
            self._producer = None

    async def _publish(self, records: Sequence[OutgoingRecord]) -> None:
        producer = await self._started_producer()
        try:
            deliveries = [
                await producer.send(
                    record.topic,
                    value=record.value,
                    key=record.key.encode(),
                    headers=[("content-type", STRUCTURED_CONTENT_TYPE)],
                )
                for record in records
            ]
            await asyncio.gather(*deliveries)
        except Exception:
            await self._discard_producer()
            raise

    async def _started_producer(self) -> AIOKafkaProducer:
        if self._producer is None:
            producer = AIOKafkaProducer(**producer_options(self._settings))
            try:
                await producer.start()
            except Exception:
                await producer.stop()
                raise
            self._producer = producer
        return self._producer

    async def _discard_producer(self) -> None:
        producer, self._producer = self._producer, None
        if producer is not None:
            await producer.stop()
