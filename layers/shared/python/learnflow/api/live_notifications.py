"""Stored notifications pushed to their recipients' open sockets, after the change that made them."""

from learnflow.domain import notifications
from learnflow.domain.notifications import Notification
from learnflow.domain.ports import ConnectionPusher, TransactionFactory
from learnflow.observability import logger


def pushed(
    transactions: TransactionFactory, pusher: ConnectionPusher, sent: list[Notification], correlation_id: str
) -> int:
    """The pushes made; a push that fails loses nothing: the recipient reads the notification later."""
    if not sent:
        return 0
    try:
        with transactions.transaction(correlation_id) as uow:
            return notifications.push(uow.connections, pusher, sent)
    except Exception:
        logger.exception("the live push failed; the notification is stored")
        return 0
