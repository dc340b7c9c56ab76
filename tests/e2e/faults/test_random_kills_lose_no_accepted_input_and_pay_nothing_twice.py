"""A short chaos run: eight kill -9s spread over worker, relay, API and broker lose nothing and pay nothing twice."""

from __future__ import annotations

from pathlib import Path

from bench.chaos import run


def test_random_kills_of_every_process_lose_no_accepted_input_and_pay_nothing_twice(tmp_path: Path) -> None:
    result = run(faults=8, seed=7, gap_s=(2.0, 5.0), workdir=tmp_path, residents=10)
    assert result["faults_by_process"] == {"worker": 2, "relay": 2, "api": 2, "broker": 2}
    assert result["outbox_settled"], result
    assert sum(result["inputs_accepted"].values()) > 20, result  # the run did real work between the faults
    assert result["inputs_accepted"]["inspections"] > 0, result
    assert (result["ledger_diff_fen"], result["lost_inputs"], result["duplicated_effects"]) == (0, 0, 0), \
        result["details"]
