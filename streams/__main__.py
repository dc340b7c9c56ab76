"""The stream worker's entry point: `python -m streams` (what `microfactory worker` runs)."""

from __future__ import annotations

import sys

from streams.app import app, settings
from streams.broker_wait import wait_for_broker
from usecases.consumer import collect_garbage_for_batches

# A batch of 10,000 events holds more than 50,000 objects while it is applied (rows, facts, drafts, events): at a
# young-generation threshold of 50,000 every batch was walked two or three times over in vain (in-process, 30,000
# inspections through earnings, points and notifier: 10 collections, ≈ 5% of the CPU; at 200,000 none).
WORKER_YOUNG_OBJECTS = 200_000


def main() -> None:
    """Run the faust worker with the batch-friendly garbage collection and thread switch interval, once the broker
    answers (streams/broker_wait.py)."""
    collect_garbage_for_batches(young=WORKER_YOUNG_OBJECTS)
    # The earnings consumer applies a batch in a thread while the event loop fetches the next (aiokafka parses
    # records in Python). SQLite lets go of the GIL for every row it steps; with Python's 5 ms switch interval the
    # applying thread may wait that long to get it back, and at 0.2 ms the handovers themselves cost CPU.
    # Measured 2026-11-24 (events a second through the pipeline, two runs each): 0.2 ms 7,358 and 7,070;
    # 1 ms 7,350 and 6,773; 2 ms 8,491, 9,333, 7,763 and 7,846; 5 ms 6,926 and 6,648.
    sys.setswitchinterval(0.002)
    wait_for_broker(settings.bootstrap)  # faust exits at once if the broker is down when it starts
    sys.argv = ["microfactory-worker", "worker", "-l", "info", "--without-web"]
    app.main()


if __name__ == "__main__":
    main()
