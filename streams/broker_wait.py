"""A worker started while the broker is down waits for it, instead of exiting.

faust gives up on its first bootstrap (KafkaConnectionError "Unable to bootstrap from …") and the worker exited with
status 1 a few seconds after starting, for its supervisor to start it again. Before faust starts, the worker now asks
the broker for its metadata until it answers, and says in its log that it is waiting and for what.
"""

from __future__ import annotations

import logging
import sys
import time
from collections.abc import Callable

from kafka.admin import KafkaAdminClient
from kafka.errors import KafkaError

log = logging.getLogger(__name__)
PAUSE_S = 2.0  # between two tries
TELL_EVERY = 30  # tries: the waiting is logged on the first and then about once a minute


def reach(bootstrap: str) -> None:
    """Connect to the broker and read its metadata, then let go; raises KafkaError if it cannot be reached in 5 s."""
    KafkaAdminClient(bootstrap_servers=bootstrap, client_id="mf-worker-wait", request_timeout_ms=5000,
                     bootstrap_timeout_ms=5000).close()


def wait_for_broker(bootstrap: str, *, connect: Callable[[str], None] = reach,
                    pause: Callable[[float], None] = time.sleep) -> int:
    """Return once the broker at `bootstrap` answers (`connect` does not raise KafkaError); returns the failed tries.

    Waits however long it takes, trying every PAUSE_S seconds; logs a warning on the first failure and every
    TELL_EVERY-th after, and one line when the broker answers after failing. Any other error is raised.
    """
    failures = 0
    with _told():
        while True:
            try:
                connect(bootstrap)
            except KafkaError as exc:
                failures += 1
                if failures % TELL_EVERY == 1:
                    log.warning("worker: broker at %s unreachable (%s); waiting for it, trying every %.0f s "
                                "(%d tries so far)", bootstrap, type(exc).__name__, PAUSE_S, failures)
                pause(PAUSE_S)
                continue
            if failures:
                log.warning("worker: broker at %s answers after %d failed tries; starting", bootstrap, failures)
            return failures


class _told:
    """This module's lines go to stderr (as faust's do) while it waits: faust sets up logging only when it starts."""

    def __enter__(self) -> None:
        self.handler = logging.StreamHandler(sys.stderr)
        self.handler.setFormatter(logging.Formatter("[%(asctime)s] [%(process)d] [%(levelname)s] %(message)s"))
        log.addHandler(self.handler)
        self.propagate, log.propagate = log.propagate, False

    def __exit__(self, *_: object) -> None:
        log.removeHandler(self.handler)
        log.propagate = self.propagate
