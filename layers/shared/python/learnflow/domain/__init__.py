"""Pure domain logic of LearnFlow: no Lambda, HTTP or Kafka in here."""
