"""`make chaos`: kill -9 worker, relay, API and broker at random while people work; nothing lost or paid twice.

The embedded default (in-memory broker, SQLite) runs a two-community city driven by the demo simulator
through the HTTP API. Every input the API answers with a 2xx is recorded; a seeded RNG picks which
process dies when and how long it stays down. At the end the outbox must settle, reconciliation must
find no difference, every accepted input must be in the database and applied, and nothing applied twice;
then, with every process down, `microfactory audit`'s checks must find every invariant holding.
After the kills come the faults /health must show (bench/chaos_faults.py): poison records on every consumed
topic, a frozen worker (SIGSTOP) and a database write lock held past the busy timeout; the time /health took
to show each, and to be ok again, goes to chaos.json.
Results go to bench/chaos.json; the exit status is non-zero if any of the three counts is not zero or an
invariant is broken.
"""

from __future__ import annotations

import argparse
import json
import logging
import random
import sys
import tempfile
import threading
import time
from collections import Counter
from pathlib import Path
from typing import Any

import httpx

from bench import chaos_faults
from bench.chaos_checks import Inputs, judge, settled
from bench.workload import RecordingSimulator, simulator
from services.demo.city import build_city
from services.demo.seed import load_city
from services.harness import System

TARGETS = ("worker", "relay", "api", "broker")
RESULTS = Path(__file__).resolve().parent / "chaos.json"
log = logging.getLogger("chaos")


def fault_plan(rng: random.Random, faults: int) -> list[str]:
    """Which process dies at each fault: every target equally often, in a random order."""
    plan = [TARGETS[i % len(TARGETS)] for i in range(faults)]
    rng.shuffle(plan)
    return plan


def restart(system: System, name: str) -> None:
    if name == "broker":
        system.start_broker()
    else:
        system.start(name)


class Supervisor:
    """Restarts a process that exited on its own, as `microfactory run` and Compose's restart policy do.

    A worker started while the broker is down gives up at once (faust cannot bootstrap its producer);
    in production its supervisor starts it again, so the run does too. Kills and restarts take the
    same lock, so a killed process is never started twice.
    """

    def __init__(self, system: System) -> None:
        self.system, self.lock, self.revived = system, threading.Lock(), Counter[str]()

    def kill(self, name: str) -> None:
        with self.lock:
            self.system.kill(name)

    def restart(self, name: str) -> None:
        with self.lock:
            restart(self.system, name)

    def revive(self) -> None:
        with self.lock:
            for name in TARGETS:
                proc = self.system.procs.get(name)
                if proc is not None and proc.poll() is not None:
                    log.warning("%s exited by itself (status %s); starting it again", name, proc.returncode)
                    self.revived[name] += 1
                    restart(self.system, name)

    def watch(self, stop: threading.Event) -> None:
        while not stop.wait(0.5):
            self.revive()


def drive(sim: RecordingSimulator, stop: threading.Event) -> None:
    """The people keep working whatever is down; refused and unreachable calls are simply not counted."""
    while not stop.is_set():
        try:
            sim.tick()
        except httpx.HTTPError:
            time.sleep(0.3)
        stop.wait(0.3)


def run(*, faults: int = 24, seed: int = 20261123, gap_s: tuple[float, float] = (3.0, 8.0),
        workdir: Path | None = None, settle_timeout_s: float = 180, residents: int = 15) -> dict[str, Any]:
    """One fault-injection run; returns the verdict with what was injected and accepted."""
    rng = random.Random(seed)
    started = time.monotonic()
    system = System(workdir or Path(tempfile.mkdtemp(prefix="mf-chaos-")),
                    extra_env={"CONSUMER_STALL_AFTER_S": str(chaos_faults.STALL_AFTER_S)})
    load_city(system.engine, system.settings, build_city(communities=2, residents_per_community=residents))
    system.start_all()
    inputs, stop = Inputs(), threading.Event()
    sim = simulator(f"http://127.0.0.1:{system.api_port}", seed=seed, inputs=inputs)
    driver = threading.Thread(target=drive, args=(sim, stop), name="people", daemon=True)
    supervisor, supervised = Supervisor(system), threading.Event()
    watcher = threading.Thread(target=supervisor.watch, args=(supervised,), name="supervisor", daemon=True)
    injected: Counter[str] = Counter()
    try:
        driver.start()
        watcher.start()
        for name in fault_plan(rng, faults):
            time.sleep(rng.uniform(*gap_s))
            supervisor.kill(name)
            injected[name] += 1
            log.info("fault %d: kill -9 %s", sum(injected.values()), name)
            time.sleep(rng.uniform(0.2, 2.5))
            supervisor.restart(name)
        time.sleep(rng.uniform(*gap_s))
        detected = chaos_faults.inject(system)
        log.info("faults /health must show: %s", detected)
        time.sleep(rng.uniform(*gap_s))  # a last stretch of work with everything up
        stop.set()
        driver.join(timeout=60)
        is_settled = _wait_settled(system, settle_timeout_s)
        verdict = judge(system.engine, inputs)
    finally:
        stop.set()
        supervised.set()
        watcher.join(timeout=10)
        system.stop()
    invariants = system.check_invariants()  # every process is down: nothing moves while it reads
    return {
        "faults_injected": sum(injected.values()), "faults_by_process": dict(injected),
        "restarted_after_exiting_by_itself": dict(supervisor.revived),
        "ledger_diff_fen": verdict["ledger_diff_fen"], "lost_inputs": verdict["lost_inputs"],
        "duplicated_effects": verdict["duplicated_effects"], "outbox_settled": is_settled,
        "duration_s": round(time.monotonic() - started, 1), "seed": seed,
        "inputs_accepted": {"orders": len(inputs.orders), "offer_answers": len(inputs.answers),
                            "materials_issued": len(inputs.issues), "submissions": len(inputs.submissions),
                            "inspections": len(inputs.inspections)},
        "inputs_refused_4xx": sim.refused, "calls_unreachable": sim.unreachable,
        "server_errors_5xx": len(sim.server_errors),
        "details": {**{k: v[:20] for k, v in verdict["details"].items()}, "server_errors": sim.server_errors[:20]},
        "invariants": invariants,
        "detected_faults": detected,
    }


def _wait_settled(system: System, timeout: float) -> bool:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if settled(system.engine):
            return True
        time.sleep(0.5)
    return False


def passed(result: dict[str, Any]) -> bool:
    return (result["ledger_diff_fen"] == 0 and result["lost_inputs"] == 0 and result["duplicated_effects"] == 0
            and result["invariants"]["ok"] and chaos_faults.all_detected(result["detected_faults"]))


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--faults", type=int, default=24, help="processes to kill (default 24, ~5 minutes)")
    parser.add_argument("--long", action="store_true", help="a longer run: 100 faults (~20 minutes)")
    parser.add_argument("--seed", type=int, default=20261123)
    parser.add_argument("--out", type=Path, default=RESULTS)
    args = parser.parse_args(argv)
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(name)s %(message)s")
    for noisy in ("services.demo.simulator", "kafka", "httpx"):
        logging.getLogger(noisy).setLevel(logging.WARNING)
    result = run(faults=100 if args.long else args.faults, seed=args.seed)
    args.out.write_text(json.dumps(result, indent=2, ensure_ascii=False, default=str) + "\n")
    print(f"chaos: {result['faults_injected']} faults {result['faults_by_process']} in {result['duration_s']} s, "
          f"seed {result['seed']}; accepted {result['inputs_accepted']}")
    print(f"chaos: ledger_diff_fen={result['ledger_diff_fen']} lost_inputs={result['lost_inputs']} "
          f"duplicated_effects={result['duplicated_effects']} outbox_settled={result['outbox_settled']} "
          f"-> {'PASS' if passed(result) else 'FAIL'} (written to {args.out})")
    checked = result["invariants"]
    print(f"chaos: invariants {'held' if checked['ok'] else 'BROKEN'}: {checked['violations']} violations "
          f"{checked['checks']} (microfactory audit on the run's database)")
    shown = {name: (fault.get("detected_s"), fault.get("recovered_s"))
             for name, fault in result["detected_faults"].items()}
    print(f"chaos: /health showed (seconds to show, to be ok again) {shown} -> "
          f"{'all' if chaos_faults.all_detected(result['detected_faults']) else 'NOT ALL'} detected")
    return 0 if passed(result) else 1


if __name__ == "__main__":
    sys.exit(main())
