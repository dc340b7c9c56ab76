"""The HTTP API (FastAPI): thin routes over the use cases; OpenAPI at /docs."""

from __future__ import annotations

from fastapi import FastAPI
from fastapi.middleware.cors import CORSMiddleware
from fastapi.routing import APIRoute
from fastapi_offline import FastAPIOffline

from services.api import errors
from services.api.controls import RefuseControlCharacters
from services.api.deps import ActorCache
from services.api.query_names import refuse_unknown_query
from services.api.routes import adjustments as pay_adjustments  # issue 16
from services.api.routes import auth, health, imports, inbox, orders, pay, points, registry, service, work
from services.api.routes import exports as sheets  # issue 16 (spreadsheets)
from store.db import make_engine
from usecases.settings import Settings, get_settings


def create_app(settings: Settings | None = None) -> FastAPI:
    """Build the API for the given settings (tests pass their own)."""
    settings = settings or get_settings()
    # Swagger UI and ReDoc served from the installed package: the default loads them from a CDN, which a
    # community's network may not reach (a blank /docs).
    # FastAPI's own OpenTelemetry off: nothing here exports traces or metrics, and asking on every request whether a
    # provider was configured cost ≈ 2 % of the API's CPU (issue 19, py-spy of the open-loop mix).
    app = FastAPIOffline(title="Micro-factory matcher API (社区微工厂派单)", version="1.0.0",
                  description="Piecework orders, lots, offers, inspections and exact piece-rate pay.",
                  telemetry={"tracing": False, "metrics": False, "logs": False})
    app.state.settings = settings
    app.state.engine = make_engine(settings.database_url, busy_timeout_s=settings.sqlite_busy_timeout_s)
    app.state.actors = ActorCache()  # who each token's user is, read at most every few seconds (issue 19)
    app.add_middleware(RefuseControlCharacters)  # a NUL in an id made PostgreSQL fail the request (a 500)
    app.add_middleware(CORSMiddleware, allow_origins=["*"], allow_methods=["*"], allow_headers=["*"])
    errors.install(app)
    # The routes are the app's own, not included routers: FastAPI matched a request against each included router in
    # turn (and the chosen one's routes twice), ≈ 7 % of the API's CPU in py-spy of the open-loop mix (issue 19). The
    # order is kept: sheets before pay, so '….xlsx' is not read as a period id (issue 16). The OpenAPI document is the
    # same; app.dependency_overrides would not reach these routes (nothing here sets it).
    for module in (sheets, health, auth, registry, orders, work, pay, imports, inbox, points, service, pay_adjustments):
        app.router.routes.extend(module.router.routes)
    for route in app.router.routes:
        if isinstance(route, APIRoute):
            refuse_unknown_query(route)
    return app
