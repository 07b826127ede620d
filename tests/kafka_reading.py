"""Reading what reached a topic, for tests; every record read is held to docs/asyncapi.yaml."""

import asyncio
import time

from aiokafka import AIOKafkaConsumer, ConsumerRecord

from tests.asyncapi_validation import check_kafka_record


async def read_topic(
    bootstrap: str, topic: str, *, expect: int, within_seconds: float = 10.0
) -> list[ConsumerRecord]:
    """Every record on the topic from the beginning, once at least `expect` have arrived (or time is up)."""
    consumer = AIOKafkaConsumer(
        topic, bootstrap_servers=bootstrap, group_id=None, auto_offset_reset="earliest", fetch_max_wait_ms=10
    )
    await consumer.start()
    records: list[ConsumerRecord] = []
    deadline = time.monotonic() + within_seconds
    try:
        while time.monotonic() < deadline:
            batches = await consumer.getmany(timeout_ms=200)
            records.extend(record for batch in batches.values() for record in batch)
            if len(records) >= expect:
                await asyncio.sleep(
                    0.3
                )  # anything beyond `expect` would be a duplicate: give it time to show
                batches = await consumer.getmany(timeout_ms=200)
                records.extend(record for batch in batches.values() for record in batch)
                break
    finally:
        await consumer.stop()
    for record in records:
        check_kafka_record(record.topic, record.key, record.value)
    return records
