"""The scale-out ceiling reported beside scale_out_speedup (issue 19), hand-computed from two CPU tables."""

from bench.pipeline_bench import scale_out_ceiling

ONE = {"broker": 1.1, "worker-1": 6.0, "relay": 2.0, "postgresql": 5.6, "elapsed_s": 9.0}
TWO = {"broker": 1.3, "worker-1": 4.3, "worker-2": 2.6, "relay": 2.0, "postgresql": 5.4, "elapsed_s": 8.1}


def test_a_machine_already_busy_with_one_worker_caps_the_speedup() -> None:
    # The two-worker run used 15.6 CPU seconds: on 2 cores it cannot take less than 7.8 s; 9.0 / 7.8 = 1.15.
    assert scale_out_ceiling(ONE, TWO, cores=2) == 1.15


def test_elapsed_time_is_not_counted_as_a_process() -> None:
    assert scale_out_ceiling({"elapsed_s": 10.0}, {"worker-1": 5.0, "worker-2": 5.0, "elapsed_s": 99.0},
                             cores=2) == 2.0
    assert scale_out_ceiling({"elapsed_s": 10.0}, {"worker-1": 8.0, "worker-2": 8.0, "elapsed_s": 1.0},
                             cores=2) == 1.25


def test_more_cores_raise_the_ceiling_but_never_past_two_workers() -> None:
    assert scale_out_ceiling(ONE, TWO, cores=4) == 2.0
    assert scale_out_ceiling(ONE, TWO, cores=3) == 1.73
