"""Demo content for a fresh local cloud: the curriculum's modules and topics."""

import uuid

import psycopg

from learnflow.domain.concepts import list_concepts

_NAMESPACE = uuid.UUID("7b0c1a52-4f7e-4c36-9a55-0d6b1c2f9e11")


def _slug(text: str) -> str:
    return "-".join(text.lower().split())


def seed_demo_content(database_url: str) -> str:
    """Adds what is missing and returns a one-line summary; running it again changes nothing."""
    concepts = list_concepts()
    modules: dict[str, list[str]] = {}
    for concept in concepts:
        modules.setdefault(concept.topic, []).append(concept.slug)
    titles = {concept.slug: concept.title for concept in concepts}
    with psycopg.connect(database_url) as conn, conn.transaction():
        for position, (module, slugs) in enumerate(modules.items()):
            module_id = uuid.uuid5(_NAMESPACE, f"module:{module}")
            conn.execute(
                "INSERT INTO modules (id, slug, title, position) VALUES (%s, %s, %s, %s)"
                " ON CONFLICT DO NOTHING",
                (module_id, _slug(module), module.capitalize(), position),
            )
            for topic_position, slug in enumerate(slugs):
                conn.execute(
                    "INSERT INTO topics (id, module_id, slug, title, position) VALUES (%s, %s, %s, %s, %s)"
                    " ON CONFLICT DO NOTHING",
                    (uuid.uuid5(_NAMESPACE, f"topic:{slug}"), module_id, slug, titles[slug], topic_position),
                )
    return f"{len(modules)} modules, {len(concepts)} topics"
