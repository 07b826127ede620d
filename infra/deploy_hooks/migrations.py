"""Custom resource: applies the schema migrations at deploy time (create and every update).

The resource's properties carry a digest of the migration files, so a deployment that adds a
migration updates the resource and runs this again; applying is idempotent (each migration
once, under an advisory lock). Deleting the resource leaves the database alone.
"""

import logging
from collections.abc import Mapping
from typing import Any

from learnflow.db.migrations import apply_migrations, available_migrations
from learnflow.settings import DatabaseSettings, load_settings

PHYSICAL_ID = "learnflow-schema"

logger = logging.getLogger(__name__)
logger.setLevel(logging.INFO)


def on_event(event: Mapping[str, Any], _context: object) -> dict[str, Any]:
    if event["RequestType"] == "Delete":
        return {"PhysicalResourceId": event.get("PhysicalResourceId", PHYSICAL_ID)}
    settings = load_settings(DatabaseSettings)
    applied = apply_migrations(settings.resolved_url())
    versions = [migration.version for migration in available_migrations()]
    logger.info(
        "schema at version %s; applied now: %s",
        versions[-1] if versions else 0,
        [f"{m.version:04d}_{m.name}" for m in applied] or "none",
    )
    return {
        "PhysicalResourceId": PHYSICAL_ID,
        "Data": {
            "SchemaVersion": str(versions[-1] if versions else 0),
            "AppliedNow": ",".join(str(migration.version) for migration in applied),
        },
    }
