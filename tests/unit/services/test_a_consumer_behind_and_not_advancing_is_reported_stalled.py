"""/health's view of consumers: behind on a topic and no committed progress for the stall time means stalled."""

from __future__ import annotations

from services.consumer_watch import ProgressWatch

GROUP, TOPIC = "microfactory-earnings", "mf.work.v1"


def status(report: list[dict[str, object]]) -> tuple[object, object, object]:
    [row] = report
    return row["status"], row["lag"], row["last_progress_s"]


def test_a_consumer_that_commits_is_ok_however_far_behind() -> None:
    watch = ProgressWatch(stall_after_s=5)
    for t in range(0, 60, 2):
        assert status(watch.observe({(GROUP, TOPIC): (t * 100, 10_000)}, float(t)))[0] == "ok"


def test_a_consumer_behind_that_stops_committing_is_stalled_after_the_stall_time_and_named() -> None:
    watch = ProgressWatch(stall_after_s=5)
    watch.observe({(GROUP, TOPIC): (100, 0)}, 0.0)
    assert status(watch.observe({(GROUP, TOPIC): (100, 7)}, 4.0)) == ("ok", 7, 4.0)
    assert status(watch.observe({(GROUP, TOPIC): (100, 9)}, 6.0)) == ("stalled", 9, 6.0)
    [row] = watch.observe({(GROUP, TOPIC): (100, 9)}, 7.0)
    assert (row["group"], row["topic"]) == (GROUP, TOPIC)


def test_an_idle_consumer_with_nothing_to_read_is_never_stalled() -> None:
    watch = ProgressWatch(stall_after_s=5)
    for t in range(0, 100, 10):
        assert status(watch.observe({(GROUP, TOPIC): (100, 0)}, float(t)))[0] == "ok"


def test_a_stalled_consumer_is_ok_again_once_it_commits() -> None:
    watch = ProgressWatch(stall_after_s=5)
    watch.observe({(GROUP, TOPIC): (100, 3)}, 0.0)
    assert status(watch.observe({(GROUP, TOPIC): (100, 30)}, 10.0))[0] == "stalled"
    assert status(watch.observe({(GROUP, TOPIC): (130, 0)}, 11.0)) == ("ok", 0, 0.0)


def test_each_group_and_topic_is_judged_on_its_own() -> None:
    watch = ProgressWatch(stall_after_s=5)
    watch.observe({(GROUP, TOPIC): (0, 5), ("microfactory", "mf.orders.v1"): (0, 5)}, 0.0)
    report = watch.observe({(GROUP, TOPIC): (5, 0), ("microfactory", "mf.orders.v1"): (0, 8)}, 9.0)
    assert {(r["topic"], r["status"]) for r in report} == {(TOPIC, "ok"), ("mf.orders.v1", "stalled")}
