"""Getting events to and from Kafka, behind small interfaces."""
