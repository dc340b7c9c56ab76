"""The `microfactory` console command: run the system or one of its processes, export schemas, reconcile, audit,
rebuild the read models."""

from __future__ import annotations

import json
import logging
import os
import sys
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

import typer

from usecases.settings import ROOT, get_settings

app = typer.Typer(help="Micro-factory matcher (社区微工厂派单): one command per process.", no_args_is_help=True)
schemas_app = typer.Typer(help="Event and command contracts.")
app.add_typer(schemas_app, name="schemas")


def _logging() -> None:
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(levelname)s %(name)s %(message)s")


@app.command()
def run(demo: bool = typer.Option(None, help="Load the demo community and run the simulator (env DEMO).")) -> None:
    """Start everything on this machine: broker, worker, relay, API, dashboard (and the demo)."""
    from services.run import run as run_all

    settings = get_settings()
    run_all(settings, demo=settings.demo if demo is None else demo)


@app.command()
def worker() -> None:
    """The stream worker (faust), its own entry point (`python -m streams`). Scale out with distinct WORKER_ID."""
    os.execvp(sys.executable, [sys.executable, "-m", "streams"])


@app.command()
def relay() -> None:
    """The outbox relay: publishes recorded events and re-delivers unapplied ones."""
    from services.relay import run_relay
    from store.db import make_engine
    from usecases.consumer import collect_garbage_for_batches

    _logging()
    settings = get_settings()
    collect_garbage_for_batches()
    run_relay(settings, make_engine(settings.database_url, busy_timeout_s=settings.sqlite_busy_timeout_s))


@app.command()
def api() -> None:
    """The HTTP API (uvicorn), OpenAPI at /docs."""
    from services.api.server import serve

    serve(get_settings())


@app.command()
def dashboard() -> None:
    """The Streamlit dashboard."""
    settings = get_settings()
    os.chdir(ROOT)  # Streamlit reads .streamlit/config.toml from the directory it starts in
    os.execvp(sys.executable, [sys.executable, "-m", "streamlit", "run", str(ROOT / "dashboard" / "Home.py"),
                               "--server.port", str(settings.dashboard_port), "--server.headless", "true",
                               "--server.address", settings.dashboard_host, "--client.toolbarMode", "minimal",
                               "--browser.gatherUsageStats", "false"])


@app.command()
def migrate() -> None:
    """Upgrade the database to the newest schema."""
    from store.migrate import upgrade

    upgrade(get_settings().database_url)


@app.command("create-user")
def create_user_command(username: str, role: str = typer.Option(..., help="city, coordinator, enterprise or resident"),
                        community: list[str] = typer.Option([], help="Community ids (coordinators)."),
                        enterprise: str | None = typer.Option(None, help="Enterprise id (enterprise users)."),
                        resident: str | None = typer.Option(None, help="Resident id (resident users)."),
                        password: str = typer.Option(..., prompt=True, hide_input=True,
                                                     confirmation_prompt=True)) -> None:
    """Create a sign-in (the first bureau or coordinator account of a new deployment)."""
    from store.db import make_engine, transaction
    from usecases.auth import create_user
    from usecases.errors import Rejected

    if role not in ("city", "coordinator", "enterprise", "resident"):
        raise typer.BadParameter(f"unknown role {role!r}", param_hint="--role")
    if len(password) < 8:
        raise typer.BadParameter("at least 8 characters", param_hint="--password")
    try:
        with transaction(make_engine(get_settings().database_url)) as session:
            create_user(session, username=username, password=password, role=role, community_ids=community,
                        enterprise_id=enterprise, resident_id=resident)
    except Rejected as exc:  # an unknown community, enterprise or resident, or a taken username: one line
        typer.echo(f"{exc.field}: {exc.reason}", err=True)
        raise typer.Exit(2) from None
    typer.echo(f"created {role} {username}")


@app.command("minimum-wages")
def minimum_wages_command(path: Path = typer.Argument(..., help="A CSV in domain/pay/data/minimum_wages.csv's "
                                                                "columns: the figures this deployment adds.")) -> None:
    """Add published minimum-wage figures from a file (data, never code); all or none, in the audit trail."""
    from store.db import make_engine, transaction
    from usecases.actors import SYSTEM
    from usecases.context import Context
    from usecases.errors import Rejected
    from usecases.minimum_wages import import_figures

    settings = get_settings()
    try:
        with transaction(make_engine(settings.database_url)) as session:
            added = import_figures(session, path.read_text(encoding="utf-8-sig"), actor=SYSTEM,
                                   ctx=Context.live(settings, producer="cli"))
    except (Rejected, OSError, UnicodeDecodeError) as exc:
        typer.echo(f"{exc.field}: {exc.reason}" if isinstance(exc, Rejected) else f"{path}: {exc}", err=True)
        raise typer.Exit(2) from None
    typer.echo(f"added {added} minimum-wage figures from {path}")


@app.command()
def simulate(live: bool = typer.Option(False, help="Keep running against the API (the demo)."),
             size: str = typer.Option("demo", help="demo, community (5 sites, 200 residents), city (104 sites, "
                                                   "5,200 residents) or province (100,000 residents)."),
             seed: int = typer.Option(7, help="The same seed gives the same city and the same month."),
             days: int | None = typer.Option(None, help="Simulated days to run (3 ticks a day)."),
             ticks: int = typer.Option(10, help="Ticks to run when neither --live nor --days is given."),
             interval: float | None = typer.Option(None, help="Real seconds a tick (default 2 / DEMO_SPEED).")
             ) -> None:
    """Drive the running system through its API as residents, coordinators and enterprises would.

    An empty database gets the city of --size first (in bulk for city and province).
    """
    from services.demo.city import build_sized_city
    from services.demo.seed import is_empty, load_city
    from services.demo.simulator import SLOTS
    from services.demo.simulator import run as run_sim
    from store.db import make_engine
    from store.migrate import upgrade

    _logging()
    settings = get_settings()
    bulk = size in ("city", "province")
    upgrade(settings.database_url)
    engine = make_engine(settings.database_url)
    if is_empty(engine):
        plan = build_sized_city(size, seed=seed)
        with _progress(len(plan.residents), f"loading the {size} ({len(plan.residents):,} residents)") as advance:
            load_city(engine, settings, plan, bulk=bulk, progress=advance)
    engine.dispose()
    total = None if live else (days * len(SLOTS) if days is not None else ticks)
    step = interval if interval is not None else 2.0 / settings.demo_speed
    if total is None:
        run_sim(settings.api_base, interval_s=step, size=size, seed=seed, bulk_loaded=bulk)
        return
    with _progress(total, f"simulating {size}, seed {seed}") as advance:
        run_sim(settings.api_base, interval_s=step, ticks=total, size=size, seed=seed, bulk_loaded=bulk,
                on_tick=lambda _: advance(1))


@contextmanager
def _progress(total: int, what: str) -> Iterator[Callable[[int], None]]:
    """A progress bar on stderr for long runs (rich comes with typer)."""
    from rich.console import Console
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeRemainingColumn

    with Progress(TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn(), TimeRemainingColumn(),
                  console=Console(stderr=True)) as bar:
        task = bar.add_task(what, total=total)
        yield lambda n: bar.advance(task, n)


@schemas_app.command("export")
def export(directory: Path) -> None:
    """Write the JSON Schema of every event and command, and the topic catalogue, to DIRECTORY."""
    from schemas.export import export_all

    written = export_all(directory)
    typer.echo(f"wrote {len(written)} files to {directory}")


@app.command()
def reconcile() -> None:
    """Recompute every total from the inspections and compare with the ledger; exit 1 on any difference."""
    from store.db import make_engine
    from usecases.reconcile import in_flight
    from usecases.reconcile import reconcile as run_reconcile
    from usecases.reconcile_points import reconcile_points

    engine = make_engine(get_settings().database_url)
    waiting = in_flight(engine)  # counted first: one applied in between is then compared, not missed
    differences = run_reconcile(engine)
    for d in differences:
        typer.echo(json.dumps(d, ensure_ascii=False))
    typer.echo("ledger matches the inspections to the fen" if not differences
               else f"{len(differences)} differences")
    typer.echo(f"compared the inspections the earnings consumer has applied; {waiting} still in flight left out")
    points = reconcile_points(engine)  # the second ledger (积分): never money, checked the same way
    for d in points:
        typer.echo(json.dumps(d, ensure_ascii=False))
    typer.echo("points ledger matches the inspections and redemptions" if not points
               else f"{len(points)} points differences")
    raise typer.Exit(1 if differences or points else 0)


@app.command()
def audit(every: float = typer.Option(
        0.0, "--every", min=0, help="Seconds between runs, for ever (0: once, exit 1 on any violation).")) -> None:
    """Check every invariant on the live database (not the audit trail); one JSON line a violation; exit 1 on any.

    Each run is recorded in `invariant_check` and shown by /health. With --every S it runs again every S seconds
    until stopped (`microfactory run` and docker-compose.yml's auditor run it so), so /health always tells how the
    system held lately, not only after someone ran it by hand.
    """
    from store.db import make_engine
    from usecases.invariants import run as run_checks

    engine = make_engine(get_settings().database_url, pooled=False)
    while True:
        outcome = run_checks(engine)
        for v in outcome.violations:
            typer.echo(json.dumps(v.as_dict(), ensure_ascii=False))
        typer.echo(json.dumps({"summary": "ok" if outcome.ok else "violations", "violations": len(outcome.violations),
                               "checks": sorted({v.check for v in outcome.violations}),
                               "inspections_in_flight": outcome.in_flight,
                               "seconds": round((outcome.finished_at - outcome.started_at).total_seconds(), 3)},
                              ensure_ascii=False))
        if not every:
            raise typer.Exit(0 if outcome.ok else 1)
        sys.stdout.flush()
        time.sleep(every)


@app.command("rebuild-read-models")
def rebuild_read_models() -> None:
    """Recompute the read models (ledger_day, lot_paid, ledger_period, point_month) from the ledgers' lines, with
    appends held off; print how many rows of each differed. Safe to run again; the lines are only read."""
    from store.db import make_engine
    from usecases.read_models import rebuild_read_models as rebuild

    for r in rebuild(make_engine(get_settings().database_url, pooled=False)):
        typer.echo(f"{r.name_zh} {r.table}：重算前 {r.differed} 行与台账不符，现有 {r.rows} 行 / "
                   f"{r.differed} rows differed from the lines, {r.rows} rows now")


if __name__ == "__main__":
    app()
