"""Scheduled: publishes events still waiting in the outbox (the broker was down, a function stopped)."""

from typing import Any

from aws_lambda_powertools.utilities.typing import LambdaContext

from learnflow.dependencies import database, publisher
from learnflow.observability import logger
from learnflow.repositories.outbox_relay import relay_pending
from learnflow.settings import DatabaseSettings, KafkaSettings, OutboxSettings, cached_settings

SAFETY_MARGIN_MS = 5000


class OutboxRelaySettings(DatabaseSettings, KafkaSettings, OutboxSettings):
    pass


settings = cached_settings(OutboxRelaySettings)


@logger.inject_lambda_context(clear_state=True)
def lambda_handler(event: dict[str, Any], context: LambdaContext) -> dict[str, Any]:
    sent = 0
    while context.get_remaining_time_in_millis() > SAFETY_MARGIN_MS:
        result = relay_pending(
            database(settings).pool, publisher(settings), settle_seconds=settings.outbox_settle_seconds
        )
        sent += result.sent
        if result.error:
            raise RuntimeError(f"the broker refused events; they stay in the outbox: {result.error}")
        if result.sent == 0:
            break
    logger.info("outbox relayed", extra={"sent": sent})
    return {"sent": sent}
