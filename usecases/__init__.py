"""The use cases: one layer over the store, whoever triggers them (an HTTP request, a Kafka event, a timer)."""
