"""MSK event source mappings: Kafka records in, function invocations out, the way Lambda runs them.

Each (function, topic) pair of the wiring gets its own consumer group. Every poll becomes one
event in the MSK shape, and offsets are committed only after the function succeeded with them.
A failed batch is retried with exponential backoff up to the source's `maximum_retry_attempts`,
then written to the on-failure destination and skipped. The destination is
`<data_dir>/dead-letters/<function>.jsonl`, one line per discarded batch in the shape of AWS's
invocation record for an S3 destination (the event itself is in `payload`, as a JSON string).
The function itself appends its poison records to the same file (`DEAD_LETTER_FILE`, the shape of
`learnflow.messaging.poison_records`, with `"kind": "poison_record"`) and acknowledges them, so
they are neither retried nor hold up their partition.
Partial batch responses (`batchItemFailures`, as Powertools' BatchProcessor returns them) are
honoured: each partition is committed up to its lowest failed offset and retried from there.
"""

import asyncio
import base64
import contextlib
import json
import logging
import uuid
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from aiokafka import AIOKafkaConsumer, ConsumerRecord, TopicPartition
from aiokafka.errors import IllegalStateError, KafkaError
from tenacity import (
    AsyncRetrying,
    RetryCallState,
    retry_if_exception_type,
    stop_after_attempt,
    wait_exponential,
)

from infra.wiring import ALL_FUNCTIONS, FunctionSpec, KafkaSource
from learnflow.messaging.poison_records import append_json_line
from localcloud.config import FETCH_MAX_WAIT_MS
from localcloud.embedded import DependencyUnavailable
from localcloud.execution_environments import Invocation
from localcloud.lambda_context import ACCOUNT_ID, REGION
from localcloud.runtime import FunctionRuntime, ThrottledError

CLUSTER_ARN = (
    f"arn:aws:kafka:{REGION}:{ACCOUNT_ID}:cluster/learnflow-local/00000000-0000-0000-0000-000000000000-1"
)
_TIMESTAMP_TYPES = {0: "CREATE_TIME", 1: "LOG_APPEND_TIME"}
_POLL_TIMEOUT_MS = 500
_METADATA_MAX_AGE_MS = 5000  # how soon topics created again after a broker restart are noticed
# Tansu answers a JoinGroup after about half the session timeout (5 s with aiokafka's default of 10 s).
SESSION_TIMEOUT_MS = 3000

Batch = dict[TopicPartition, list[ConsumerRecord]]

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class Backoff:
    """Delays between retries of a failed batch: first, doubling up to max."""

    first_delay_seconds: float = 0.5
    max_delay_seconds: float = 10.0


def dead_letter_file(data_dir: Path, function: str) -> Path:
    """A function's on-failure destination: its mappings' exhausted batches and its poison records."""
    return data_dir / "dead-letters" / f"{function}.jsonl"


def kafka_subscriptions(specs: Iterable[FunctionSpec] = ALL_FUNCTIONS) -> list[tuple[str, str]]:
    """The (function, topic) pairs served by event source mappings."""
    return [(spec.name, str(source.topic)) for spec in specs for source in spec.kafka_sources]


def msk_event(batch: Batch, bootstrap_servers: str) -> dict[str, Any]:
    """The event Lambda sends for a batch of records from Amazon MSK."""
    return {
        "eventSource": "aws:kafka",
        "eventSourceArn": CLUSTER_ARN,
        "bootstrapServers": bootstrap_servers,
        "records": {
            _partition_key(tp): [_msk_record(record) for record in records] for tp, records in batch.items()
        },
    }


def _msk_record(record: ConsumerRecord) -> dict[str, Any]:
    event_record: dict[str, Any] = {
        "topic": record.topic,
        "partition": record.partition,
        "offset": record.offset,
        "timestamp": record.timestamp,
        "timestampType": _TIMESTAMP_TYPES.get(record.timestamp_type, "CREATE_TIME"),
    }
    if record.key is not None:  # Lambda leaves the key out of records that have none
        event_record["key"] = _base64(record.key)
    event_record["value"] = _base64(record.value or b"")
    event_record["headers"] = [{name: list(value or b"")} for name, value in record.headers]
    return event_record


class _BatchError(Exception):
    def __init__(
        self, remaining: Batch, reason: str, status_code: int = 200, function_error: str | None = None
    ):
        super().__init__(reason)
        self.remaining = remaining
        self.status_code = status_code
        self.function_error = function_error


class KafkaEventSourceMapping:
    """One function fed by one topic through its own consumer group."""

    def __init__(
        self,
        spec: FunctionSpec,
        source: KafkaSource,
        runtime: FunctionRuntime,
        bootstrap_servers: str,
        data_dir: Path,
        *,
        backoff: Backoff = Backoff(),
        session_timeout_ms: int = SESSION_TIMEOUT_MS,
        fetch_max_wait_ms: int = FETCH_MAX_WAIT_MS,
    ) -> None:
        self.function = spec.name
        self.topic = str(source.topic)
        self.group_id = f"learnflow-{spec.name}-{self.topic}"
        self.dead_letter_path = dead_letter_file(data_dir, spec.name)
        self._spec = spec
        self._source = source
        self._runtime = runtime
        self._bootstrap_servers = bootstrap_servers
        self._backoff = backoff
        self._session_timeout_ms = session_timeout_ms
        self._fetch_max_wait_ms = fetch_max_wait_ms
        self._consumer: AIOKafkaConsumer | None = None
        self._task: asyncio.Task[None] | None = None
        self._invocation: asyncio.Future[Invocation] | None = None
        metrics = runtime.metrics
        labels = (self.function, self.topic)
        self._records = metrics.kafka_records.labels(*labels)
        self._batches = metrics.kafka_batches.labels(*labels)
        self._failures = metrics.kafka_failures.labels(*labels)
        self._retries = metrics.kafka_retries.labels(*labels)
        self._dead_lettered = metrics.kafka_dead_lettered.labels(*labels)
        self._lag = metrics.kafka_lag.labels(*labels)
        #: per partition, the offset after the last batch polled: where the mapping is once it is done
        self._next_offsets: dict[TopicPartition, int] = {}

    async def start(self) -> None:
        consumer = AIOKafkaConsumer(
            self.topic,
            bootstrap_servers=self._bootstrap_servers,
            group_id=self.group_id,
            client_id=self.group_id,
            enable_auto_commit=False,
            auto_offset_reset="earliest" if self._source.starting_position == "TRIM_HORIZON" else "latest",
            fetch_max_wait_ms=self._fetch_max_wait_ms,
            metadata_max_age_ms=_METADATA_MAX_AGE_MS,
            session_timeout_ms=self._session_timeout_ms,
            heartbeat_interval_ms=max(100, self._session_timeout_ms // 5),
            max_poll_interval_ms=self._max_poll_interval_ms(),
        )
        try:
            await consumer.start()
        except KafkaError as error:
            await consumer.stop()
            raise DependencyUnavailable(
                f"the event source mapping {self.topic} -> {self.function} cannot reach Kafka at "
                f"{self._bootstrap_servers} ({error}): is the broker running?"
            ) from error
        self._consumer = consumer
        self._task = asyncio.create_task(self._run(), name=f"event source mapping {self.group_id}")

    async def stop(self) -> None:
        """Stops polling; an invocation in flight finishes first, its records stay uncommitted."""
        task, self._task = self._task, None
        if task is not None:
            task.cancel()
            await asyncio.wait([task])
        invocation, self._invocation = self._invocation, None
        if invocation is not None:
            await asyncio.wait([invocation])
            with contextlib.suppress(Exception):
                invocation.result()
        consumer, self._consumer = self._consumer, None
        if consumer is not None:
            await _stop_consumer(consumer)

    @property
    def assigned(self) -> bool:
        return self._consumer is not None and bool(self._consumer.assignment())

    async def wait_assigned(self) -> None:
        """Returns once the consumer owns partitions and knows where to read them from."""
        while True:
            consumer = self._consumer
            if consumer is None:
                raise RuntimeError(f"the event source mapping {self.group_id} is not started")
            partitions = consumer.assignment()
            if partitions:
                with contextlib.suppress(IllegalStateError):  # reassigned meanwhile: look again
                    for partition in partitions:
                        await consumer.position(partition)
                    return
            await asyncio.sleep(0.02)

    def _max_poll_interval_ms(self) -> int:
        attempts = self._source.maximum_retry_attempts + 1
        busy_seconds = attempts * (self._spec.timeout_seconds + self._backoff.max_delay_seconds) + 60
        return max(300_000, int(busy_seconds * 1000))

    async def _run(self) -> None:
        while True:
            try:
                batch = await self._poll()
                if batch:
                    await self._deliver(batch)
            except Exception:  # the mapping must outlive any one failure, as Lambda's poller does
                log.exception("event source mapping %s failed; polling again in 1 s", self.group_id)
                await asyncio.sleep(1)

    async def _poll(self) -> Batch:
        assert self._consumer is not None
        size = self._source.batch_size
        polled = await self._consumer.getmany(timeout_ms=_POLL_TIMEOUT_MS, max_records=size)
        batch: Batch = {tp: list(records) for tp, records in polled.items()}
        window = self._source.batching_window_seconds
        if not batch or not window:
            self._measure(batch)
            return batch
        loop = asyncio.get_running_loop()
        deadline = loop.time() + window
        while (count := _count(batch)) < size and (left := deadline - loop.time()) > 0:
            more = await self._consumer.getmany(timeout_ms=int(left * 1000), max_records=size - count)
            for tp, records in more.items():
                batch.setdefault(tp, []).extend(records)
        self._measure(batch)
        return batch

    def _measure(self, batch: Batch) -> None:
        """The records polled, and the lag (MSK's OffsetLag): records written and not finished, this batch's
        included, from what the consumer already knows (no request to the broker)."""
        assert self._consumer is not None
        self._records.inc(_count(batch))
        lag = 0
        for tp in self._consumer.assignment():
            end = self._consumer.highwater(tp)
            records = batch.get(tp)
            unfinished = records[0].offset if records else self._next_offsets.get(tp, end)
            if end is not None and unfinished is not None:
                lag += max(end - unfinished, 0)
            if records:
                self._next_offsets[tp] = records[-1].offset + 1
        self._lag.set(lag)

    async def _deliver(self, batch: Batch) -> None:
        pending, attempts = batch, 0
        retrying = AsyncRetrying(
            stop=stop_after_attempt(self._source.maximum_retry_attempts + 1),
            wait=wait_exponential(
                multiplier=self._backoff.first_delay_seconds,
                min=self._backoff.first_delay_seconds,
                max=self._backoff.max_delay_seconds,
            ),
            retry=retry_if_exception_type(_BatchError),
            before_sleep=self._log_retry,
            reraise=True,
        )
        try:
            async for attempt in retrying:
                with attempt:
                    attempts += 1
                    try:
                        await self._invoke(pending)
                    except _BatchError as failed:
                        pending = failed.remaining
                        self._failures.inc()
                        raise
        except _BatchError as failed:
            self._dead_letter(failed, attempts)
            await self._commit({tp: records[-1].offset + 1 for tp, records in failed.remaining.items()})

    async def _invoke(self, batch: Batch) -> None:
        event = msk_event(batch, self._bootstrap_servers)
        self._batches.inc()
        try:
            invocation = await self._call(event)
        except ThrottledError as error:
            raise _BatchError(batch, str(error), status_code=429) from error
        if invocation.error is not None:
            reason = f"{invocation.error.error_type}: {invocation.error.message}"
            raise _BatchError(batch, reason, function_error="Unhandled")
        failed_from = _lowest_failed_offsets(invocation.result, batch)
        if failed_from is None:
            raise _BatchError(
                batch, f"the function returned invalid batchItemFailures: {invocation.result!r}"
            )
        await self._commit({tp: failed_from.get(tp, records[-1].offset + 1) for tp, records in batch.items()})
        if failed_from:
            remaining = {
                tp: [r for r in batch[tp] if r.offset >= offset] for tp, offset in failed_from.items()
            }
            failures = ", ".join(
                f"{_partition_key(tp)} from offset {offset}" for tp, offset in failed_from.items()
            )
            raise _BatchError(remaining, f"batchItemFailures: {failures}")

    async def _call(self, event: dict[str, Any]) -> Invocation:
        # Shielded: a stop() mid-invocation lets the worker finish rather than leave it half-way.
        self._invocation = asyncio.ensure_future(self._runtime.invoke(self.function, event))
        return await asyncio.shield(self._invocation)

    async def _commit(self, offsets: dict[TopicPartition, int]) -> None:
        assert self._consumer is not None
        try:
            await self._consumer.commit(offsets)
        except KafkaError as error:
            log.warning(
                "%s could not commit %s (%s): these records may be delivered again",
                self.group_id,
                {_partition_key(tp): offset for tp, offset in offsets.items()},
                error,
            )

    def _log_retry(self, state: RetryCallState) -> None:
        self._retries.inc()
        error = state.outcome.exception() if state.outcome is not None else None
        delay = state.next_action.sleep if state.next_action is not None else 0.0
        log.warning(
            "%s -> %s failed (attempt %d, %s); retrying in %.1f s",
            self.topic,
            self.function,
            state.attempt_number,
            error,
            delay,
        )

    def _dead_letter(self, failed: _BatchError, attempts: int) -> None:
        # one write per line: the function's workers append their poison records to the same file
        append_json_line(self.dead_letter_path, self._invocation_record(failed, attempts))
        self._dead_lettered.inc(_count(failed.remaining))
        log.warning(
            "%s -> %s: %d records failed %d times (%s); written to %s and skipped",
            self.topic,
            self.function,
            _count(failed.remaining),
            attempts,
            failed,
            self.dead_letter_path,
        )

    def _invocation_record(self, failed: _BatchError, attempts: int) -> dict[str, Any]:
        payload = json.dumps(msk_event(failed.remaining, self._bootstrap_servers))
        response: dict[str, Any] = {"statusCode": failed.status_code}
        if failed.status_code == 200:
            response["executedVersion"] = "$LATEST"
        if failed.function_error is not None:
            response["functionError"] = failed.function_error
        return {
            "requestContext": {
                "requestId": str(uuid.uuid4()),
                "functionArn": f"arn:aws:lambda:{REGION}:{ACCOUNT_ID}:function:{self.function}",
                "condition": "RetryAttemptsExhausted",
                "approximateInvokeCount": attempts,
            },
            "responseContext": response,
            "version": "1.0",
            "timestamp": _iso_time(datetime.now(UTC)),
            "KafkaBatchInfo": {
                "batchSize": _count(failed.remaining),
                "eventSourceArn": CLUSTER_ARN,
                "bootstrapServers": self._bootstrap_servers,
                "payloadSize": len(payload.encode()),
                "recordsInfo": {
                    _partition_key(tp): {
                        "firstRecordOffset": str(records[0].offset),
                        "lastRecordOffset": str(records[-1].offset),
                        "firstRecordTimestamp": _iso_time(_from_millis(records[0].timestamp)),
                        "lastRecordTimestamp": _iso_time(_from_millis(records[-1].timestamp)),
                    }
                    for tp, records in failed.remaining.items()
                },
            },
            "payload": payload,
        }


class EventSourceMappings:
    """All the Kafka event source mappings of the wiring."""

    def __init__(
        self,
        runtime: FunctionRuntime,
        specs: Iterable[FunctionSpec],
        bootstrap_servers: str,
        data_dir: Path,
        *,
        backoff: Backoff = Backoff(),
        session_timeout_ms: int = SESSION_TIMEOUT_MS,
        fetch_max_wait_ms: int = FETCH_MAX_WAIT_MS,
    ) -> None:
        self.mappings = tuple(
            KafkaEventSourceMapping(
                spec,
                source,
                runtime,
                bootstrap_servers,
                data_dir,
                backoff=backoff,
                session_timeout_ms=session_timeout_ms,
                fetch_max_wait_ms=fetch_max_wait_ms,
            )
            for spec in specs
            for source in spec.kafka_sources
        )

    @property
    def subscriptions(self) -> list[tuple[str, str]]:
        """The (function, topic) pairs served."""
        return [(mapping.function, mapping.topic) for mapping in self.mappings]

    async def start(self) -> None:
        try:
            await asyncio.gather(*(mapping.start() for mapping in self.mappings))
        except BaseException:
            await self.stop()
            raise

    async def stop(self) -> None:
        await asyncio.gather(*(mapping.stop() for mapping in self.mappings))

    async def wait_assigned(self, timeout_seconds: float = 30.0) -> None:
        """Returns once every consumer owns its partitions, i.e. the mappings are live."""
        try:
            async with asyncio.timeout(timeout_seconds):
                await asyncio.gather(*(mapping.wait_assigned() for mapping in self.mappings))
        except TimeoutError:
            waiting = [mapping.group_id for mapping in self.mappings if not mapping.assigned]
            raise TimeoutError(
                f"Kafka assigned no partitions to {', '.join(waiting)} within {timeout_seconds:.0f} s: "
                "do the topics exist (ensure_topics)?"
            ) from None


async def _stop_consumer(consumer: AIOKafkaConsumer) -> None:
    try:
        await consumer.stop()
    except asyncio.CancelledError:
        task = asyncio.current_task()
        if task is not None and task.cancelling():
            raise
        # aiokafka 0.14 re-raises the cancellation of a fetch it was retrying (broker down) and
        # skips closing its connections.
        await consumer._client.close()


def _lowest_failed_offsets(result: Any, batch: Batch) -> dict[TopicPartition, int] | None:
    """The lowest failed offset of each partition named in a partial batch response; None if invalid."""
    if not isinstance(result, dict) or not result.get("batchItemFailures"):
        return {}
    failures = result["batchItemFailures"]
    if not isinstance(failures, list):
        return None
    partitions = {_partition_key(tp): tp for tp in batch}
    lowest: dict[TopicPartition, int] = {}
    for failure in failures:
        identifier = failure.get("itemIdentifier") if isinstance(failure, dict) else None
        if not isinstance(identifier, dict):
            return None
        partition, offset = identifier.get("partition"), identifier.get("offset")
        tp = partitions.get(partition) if isinstance(partition, str) else None
        if tp is None or type(offset) is not int or all(record.offset != offset for record in batch[tp]):
            return None
        lowest[tp] = min(offset, lowest.get(tp, offset))
    return lowest


def _partition_key(tp: TopicPartition) -> str:
    return f"{tp.topic}-{tp.partition}"


def _count(batch: Batch) -> int:
    return sum(len(records) for records in batch.values())


def _base64(data: bytes) -> str:
    return base64.b64encode(data).decode("ascii")


def _from_millis(milliseconds: int) -> datetime:
    return datetime.fromtimestamp(milliseconds / 1000, UTC)


def _iso_time(moment: datetime) -> str:
    return moment.isoformat(timespec="milliseconds").replace("+00:00", "Z")
