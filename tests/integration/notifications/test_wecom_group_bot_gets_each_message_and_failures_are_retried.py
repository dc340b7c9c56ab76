"""The WeCom (企业微信) group bot: a local HTTP receiver stands in for the webhook."""

from __future__ import annotations

import json
import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

import pytest
from lots_world import LotsWorld
from sqlmodel import select

from domain.lifecycle.notification import MAX_ATTEMPTS
from store.db import reading
from store.tables import Notification
from usecases.wecom import send_pending


class Receiver(ThreadingHTTPServer):
    """Records every POST body; answers as WeCom does, or fails as told."""

    def __init__(self) -> None:
        super().__init__(("127.0.0.1", 0), _Hook)
        self.bodies: list[dict[str, Any]] = []
        self.reply: tuple[int, dict[str, Any]] = (200, {"errcode": 0, "errmsg": "ok"})

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.server_address[1]}/cgi-bin/webhook/send?key=test"


class _Hook(BaseHTTPRequestHandler):
    server: Receiver

    def do_POST(self) -> None:  # noqa: N802 - the name http.server calls
        body = self.rfile.read(int(self.headers["Content-Length"]))
        self.server.bodies.append(json.loads(body))
        status, answer = self.server.reply
        payload = json.dumps(answer).encode()
        self.send_response(status)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(payload)))
        self.end_headers()
        self.wfile.write(payload)

    def log_message(self, *_: Any) -> None:
        pass


@pytest.fixture
def receiver() -> Iterator[Receiver]:
    server = Receiver()
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield server
    server.shutdown()
    server.server_close()


def _wecom_notes(world: LotsWorld) -> list[Notification]:
    with reading(world.engine) as session:
        return list(session.exec(select(Notification).where(Notification.channel == "wecom")
                                 .order_by(Notification.id)).all())


def _offer_and_escalation(world: LotsWorld, receiver: Receiver, cid: str) -> list[Notification]:
    world.settings = world.settings.model_copy(update={"wecom_webhook_url": receiver.url})
    world.community(cid)
    world.resident(f"{cid}-r1", cid, max_open_lots=1)
    world.order(cid, quantity=20)  # one lot offered, the other escalated: resident at their limit
    world.pump()
    notes = _wecom_notes(world)
    assert len(notes) == 2 and {n.status for n in notes} == {"pending"}
    return notes


def test_each_offer_and_escalation_is_posted_once_as_a_text_message(world: LotsWorld, receiver: Receiver) -> None:
    notes = _offer_and_escalation(world, receiver, "wc")
    assert send_pending(world.engine, receiver.url) == 2
    assert receiver.bodies == [{"msgtype": "text", "text": {"content": n.text}} for n in notes]
    assert any("暂时无人可接" in b["text"]["content"] for b in receiver.bodies)
    assert {n.status for n in _wecom_notes(world)} == {"sent"}
    assert send_pending(world.engine, receiver.url) == 0 and len(receiver.bodies) == 2  # never twice


@pytest.mark.parametrize("failure", [(500, {"error": "down"}), (200, {"errcode": 93000, "errmsg": "invalid key"})])
def test_failed_sends_are_retried_then_marked_failed(world: LotsWorld, receiver: Receiver,
                                                    failure: tuple[int, dict[str, Any]]) -> None:
    _offer_and_escalation(world, receiver, "wf")
    receiver.reply = failure
    for attempt in range(1, MAX_ATTEMPTS):
        assert send_pending(world.engine, receiver.url) == 0
        assert [(n.status, n.attempts) for n in _wecom_notes(world)] == [("pending", attempt)] * 2
    assert send_pending(world.engine, receiver.url) == 0
    assert [(n.status, n.attempts) for n in _wecom_notes(world)] == [("failed", MAX_ATTEMPTS)] * 2
    assert len(receiver.bodies) == 2 * MAX_ATTEMPTS

    receiver.reply = (200, {"errcode": 0})
    assert send_pending(world.engine, receiver.url) == 0, "a message marked failed is not sent again"
    assert len(receiver.bodies) == 2 * MAX_ATTEMPTS
