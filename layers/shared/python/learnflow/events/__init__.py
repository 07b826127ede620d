"""CloudEvents 1.0 envelopes, the schema of each topic, and the transactional outbox."""
