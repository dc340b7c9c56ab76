"""Kafka, PostgreSQL and the API have healthchecks, and every start-up wait rests on a real one."""

from __future__ import annotations

from typing import Any

import pytest


@pytest.mark.parametrize("name", ["kafka", "postgres", "api"])
def test_service_has_a_healthcheck(services: dict[str, dict[str, Any]], name: str) -> None:
    check = services[name].get("healthcheck") or {}
    assert not check.get("disable"), f"{name}: healthcheck disabled"
    test = check.get("test")
    assert test and test != ["NONE"], f"{name}: no healthcheck test"


def test_api_healthcheck_asks_the_health_endpoint(services: dict[str, dict[str, Any]]) -> None:
    test = services["api"]["healthcheck"]["test"]
    assert "/health" in " ".join(test if isinstance(test, list) else [test])


def test_waits_for_healthy_or_completed_services_are_satisfiable(services: dict[str, dict[str, Any]]) -> None:
    problems = []
    for name, service in services.items():
        depends = service.get("depends_on") or {}
        for target, rule in (depends.items() if isinstance(depends, dict) else []):
            condition = rule.get("condition")
            if target not in services:
                problems.append(f"{name} waits for unknown service {target}")
            elif condition == "service_healthy" and not services[target].get("healthcheck"):
                problems.append(f"{name} waits for {target} to be healthy, but it has no healthcheck")
            elif condition == "service_completed_successfully" and services[target].get("restart") != "no":
                problems.append(f"{name} waits for {target} to complete, but {target} restarts")
    assert not problems, "\n".join(problems)


def test_processes_wait_for_the_migration_and_the_migration_for_postgres(services: dict[str, dict[str, Any]]) -> None:
    assert services["migrate"]["depends_on"]["postgres"]["condition"] == "service_healthy"
    for name in ("relay", "worker", "api", "dashboard"):
        assert services[name]["depends_on"]["migrate"]["condition"] == "service_completed_successfully", name
