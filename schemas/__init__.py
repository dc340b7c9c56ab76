"""Wire contracts: the event envelope, every event and command, the topic catalogue."""
