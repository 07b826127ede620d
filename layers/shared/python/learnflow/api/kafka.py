"""Reading CloudEvents out of MSK event records."""

from aws_lambda_powertools.utilities.data_classes.kafka_event import KafkaEventRecord

from learnflow.events.envelope import CloudEvent


def cloud_event_of(record: KafkaEventRecord) -> CloudEvent:
    return CloudEvent.model_validate_json(record.decoded_value)
