"""A served API process keeps the objects it holds once started out of the garbage collector's sight (issue 19): a
full collection then traverses only what was made since, instead of stopping the whole process (every request in
it, and a write transaction's SQLite lock with it) to look through ≈ 210,000 objects that live as long as it does.
The factory is imported the way uvicorn imports it for `microfactory api` (services.api.server.SERVING_APP)."""

from __future__ import annotations

import gc
import weakref
from collections.abc import Iterator

import pytest
from fastapi.testclient import TestClient
from uvicorn.importer import import_from_string

from services.api.server import SERVING_APP
from usecases.settings import Settings


class Node:
    """An object in a reference cycle: only the collector frees it."""

    def __init__(self) -> None:
        self.me = self


@pytest.fixture
def thawed() -> Iterator[None]:
    """No automatic collection meanwhile (so start-up's garbage is still there unless the factory frees it), and the
    test process's objects back in the collector's sight afterwards (freezing is for serving processes)."""
    gc.disable()
    try:
        yield
    finally:
        gc.unfreeze()
        gc.enable()


def test_a_served_api_process_leaves_its_full_collections_only_what_it_made_since_start(
        settings: Settings, thawed: None) -> None:
    garbage = Node()
    left_at_start_up = weakref.ref(garbage)
    del garbage
    app = import_from_string(SERVING_APP)(settings)
    assert left_at_start_up() is None  # start-up's garbage was freed, not kept for good
    held_since_start = len(gc.get_objects())  # what a full collection traverses now
    assert gc.get_freeze_count() > 10 * held_since_start
    with TestClient(app) as client:
        assert client.get("/api/v1/overview").status_code == 200
        assert client.get("/openapi.json").status_code == 200
