"""JSON Schema export, for enterprises whose ERP produces events in another language."""

from __future__ import annotations

import inspect
import json
from pathlib import Path

from pydantic import BaseModel

from schemas import commands, registry
from schemas.catalogue import CATALOGUE, DEAD_LETTER_TOPIC, EVENT_TYPES
from schemas.envelope import Event


def command_types() -> list[type[BaseModel]]:
    return [obj for module in (commands, registry) for _, obj in inspect.getmembers(module, inspect.isclass)
            if issubclass(obj, commands.Command) and obj not in (commands.Command, commands.PricedCommand)]


def export_all(directory: Path) -> list[Path]:
    """Write events/<type>.v<N>.json, commands/<Name>.json and topics.json; returns the paths."""
    written: list[Path] = []
    for sub in ("events", "commands"):
        (directory / sub).mkdir(parents=True, exist_ok=True)
    for event in EVENT_TYPES:
        name = event.model_fields["type"].default
        version = event.model_fields["schema_version"].default
        written.append(_write(directory / "events" / f"{name}.v{version}.json", event, topic=event.topic))
    for command in command_types():
        written.append(_write(directory / "commands" / f"{command.__name__}.json", command))
    topics = [{"topic": s.name, "key": s.key, "partitions": s.partitions, "consumers": list(s.consumers),
               "events": [e.model_fields["type"].default for e in s.events]} for s in CATALOGUE]
    topics.append({"topic": DEAD_LETTER_TOPIC, "key": "original key", "partitions": CATALOGUE[0].partitions,
                   "consumers": [], "events": ["original bytes, headers: reason, source"]})
    path = directory / "topics.json"
    path.write_text(json.dumps(topics, indent=2, ensure_ascii=False))
    return [*written, path]


def _write(path: Path, model: type[BaseModel], *, topic: str | None = None) -> Path:
    schema = model.model_json_schema(mode="validation")
    schema["$schema"] = "https://json-schema.org/draft/2020-12/schema"
    if topic and issubclass(model, Event):
        schema["x-topic"] = topic
    path.write_text(json.dumps(schema, indent=2, ensure_ascii=False))
    return path
