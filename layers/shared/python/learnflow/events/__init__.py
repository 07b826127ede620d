"""CloudEvents 1.0 envelopes and the schema of each topic (the outbox that relays them: `repositories`)."""
