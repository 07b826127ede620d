"""WebSocket $connect: the authorizer has verified the token; remember whose connection this is."""

from typing import Any

from aws_lambda_powertools.utilities.typing import LambdaContext

from learnflow.api.websocket import connection_id_of, identity_of, ok
from learnflow.dependencies import database
from learnflow.observability import logger
from learnflow.settings import DatabaseSettings, cached_settings

settings = cached_settings(DatabaseSettings)


@logger.inject_lambda_context(clear_state=True)
def lambda_handler(event: dict[str, Any], context: LambdaContext) -> dict[str, Any]:
    identity = identity_of(event)
    with database(settings).transaction(event["requestContext"]["requestId"]) as uow:
        uow.connections.add(connection_id_of(event), identity.user_id)
    return ok()
