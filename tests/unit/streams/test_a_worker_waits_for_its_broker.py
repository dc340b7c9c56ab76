"""Before faust starts, the worker waits for the broker however long it takes, and says so."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

import pytest
from kafka.errors import KafkaTimeoutError

from streams import broker_wait
from streams.broker_wait import wait_for_broker


@contextmanager
def listening(caplog: pytest.LogCaptureFixture) -> Iterator[None]:
    # While it waits, the module's lines go to its own handler and not up to the root, where caplog listens.
    broker_wait.log.addHandler(caplog.handler)
    try:
        yield
    finally:
        broker_wait.log.removeHandler(caplog.handler)


def test_the_worker_tries_again_until_the_broker_answers_and_says_so_first_and_then_once_a_minute(
        caplog: pytest.LogCaptureFixture) -> None:
    tries: list[str] = []
    pauses: list[float] = []

    def connect(bootstrap: str) -> None:
        tries.append(bootstrap)
        if len(tries) <= 31:
            raise KafkaTimeoutError()

    with listening(caplog):
        assert wait_for_broker("127.0.0.1:9", connect=connect, pause=pauses.append) == 31
    assert len(tries) == 32 and pauses == [broker_wait.PAUSE_S] * 31
    lines = [r.getMessage() for r in caplog.records]
    unreachable = "worker: broker at 127.0.0.1:9 unreachable (KafkaTimeoutError)"
    answers = "worker: broker at 127.0.0.1:9 answers after 31 failed tries"
    assert [line.split(";")[0] for line in lines] == [unreachable, unreachable, answers]
    assert "(31 tries so far)" in lines[1]


def test_a_broker_that_answers_at_once_costs_one_try_and_no_line(caplog: pytest.LogCaptureFixture) -> None:
    with listening(caplog):
        assert wait_for_broker("127.0.0.1:9", connect=lambda _: None, pause=pytest.fail) == 0
    assert caplog.records == []


def test_an_error_other_than_the_broker_s_is_raised() -> None:
    def connect(_: str) -> None:
        raise ValueError("bad bootstrap")

    with pytest.raises(ValueError, match="bad bootstrap"):
        wait_for_broker("nonsense", connect=connect, pause=pytest.fail)
