"""docs/benchmarks.md's production section: each process's CPU against the elapsed time, and a probe's stages."""

from bench.production_report import production_section


def test_cpu_by_process_is_summed_against_two_cores_of_elapsed_time() -> None:
    results = {"pg_pipeline_cpu_s_by_process": {"broker": 3.0, "worker-1": 5.0, "relay": 2.0, "postgresql": 4.0,
                                                "elapsed_s": 10.0},
               "pg_pipeline_two_workers_cpu_s_by_process": {"worker-1": 3.0, "worker-2": 4.0, "relay": 1.0,
                                                            "broker": 2.0, "postgresql": 5.0, "elapsed_s": 7.5}}
    text = "\n".join(production_section(results))
    assert "| PostgreSQL, one worker | 10.0 | 5.0 | 2.0 | 3.0 | 4.0 | 14.0 | 70% |" in text
    assert "| PostgreSQL, two workers | 7.5 | 7.0 | 1.0 | 2.0 | 5.0 | 15.0 | 100% |" in text
    assert "SQLite, one worker" not in text  # not measured: no row


def test_a_probe_s_stages_are_shown_per_store() -> None:
    results = {"pg_pay_latency_stages_ms": {"probes": 300, "relay_p50": 12.5, "relay_p99": 480.0,
                                            "broker_and_worker_p50": 60.0, "broker_and_worker_p99": 1200.0}}
    text = "\n".join(production_section(results))
    assert "| PostgreSQL | 300 | 12.5 | 480 | 60 | 1,200 |" in text
    assert "| SQLite |" not in text
