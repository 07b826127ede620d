"""The eight Kafka topics of the public contract."""

from enum import StrEnum


class Topic(StrEnum):
    LEARNING_REQUESTS = "learning.requests"
    CONCEPTS_REQUESTS = "concepts.requests"
    CODE_SUBMISSIONS = "code.submissions"
    DEBUG_REQUESTS = "debug.requests"
    EXERCISE_GENERATED = "exercise.generated"
    LEARNING_RESPONSES = "learning.responses"
    STRUGGLE_DETECTED = "struggle.detected"
    PROGRESS_EVENTS = "progress.events"


ALL_TOPICS: tuple[str, ...] = tuple(topic.value for topic in Topic)
