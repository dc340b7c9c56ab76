"""Every `microfactory …` the deployment runs is a command the console script really has."""

from __future__ import annotations

import json
import re
import shlex
from pathlib import Path
from typing import Any

import typer.main

from services.cli import app


def _resolves(argv: list[str]) -> bool:
    """Whether `microfactory <argv>` names an existing command, walking groups such as `schemas export`."""
    # Typer ships its own copy of click, so a group is told by its `commands`, not by isinstance.
    command: Any = typer.main.get_command(app)
    for word in argv:
        if not hasattr(command, "commands"):
            return True  # the rest are the command's own arguments
        if word not in command.commands:
            return False
        command = command.commands[word]
    return not hasattr(command, "commands")


def _argv(command: str | list[str]) -> list[str]:
    return shlex.split(command) if isinstance(command, str) else [str(word) for word in command]


def test_every_microfactory_command_in_compose_exists(services: dict[str, dict[str, Any]]) -> None:
    commands = {name: _argv(s["command"]) for name, s in services.items() if "command" in s}
    ours = {name: argv for name, argv in commands.items() if argv and argv[0] == "microfactory"}
    assert {"migrate", "relay", "worker", "api", "dashboard"} <= set(ours), f"services running microfactory: {ours}"
    unknown = {name: argv for name, argv in ours.items() if not _resolves(argv[1:])}
    assert not unknown, f"commands the CLI does not have: {unknown}"


def test_the_image_starts_the_api_by_default(repo: Path) -> None:
    dockerfile = (repo / "Dockerfile").read_text(encoding="utf-8")
    cmd = re.search(r"^CMD\s+(\[.*\])\s*$", dockerfile, re.MULTILINE)
    assert cmd, "the Dockerfile has no exec-form CMD"
    argv = json.loads(cmd.group(1))
    assert argv == ["microfactory", "api"] and _resolves(argv[1:])


def test_command_check_refuses_unknown_and_incomplete_commands() -> None:
    assert _resolves(["schemas", "export", "out/"])
    assert not _resolves(["wroker"])
    assert not _resolves(["schemas"])
    assert not _resolves(["schemas", "import"])
