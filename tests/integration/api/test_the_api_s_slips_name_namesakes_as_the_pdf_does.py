"""The API's printable HTML slip and the names its PDF and CSV downloads are saved as name the resident as the PDF
does since 148f3c1 (domain.pay.slips.slip_name): '高珍英', told apart by her phone's last digits where another of her
community has her name, and her community by its name. The HTML still read '姓名：高珍英（comm-001-r001）' with no
community, and two namesakes' slips were both saved as '工资条-高珍英-….pdf'."""

from __future__ import annotations

from typing import Any
from urllib.parse import quote

from fastapi.testclient import TestClient

from domain.pay.periods import period_name
from services.api.app import create_app
from store.db import reading, transaction
from store.tables import Community, Resident
from tests.integration.api.test_pay_slips_settlements_and_payouts_over_http import _login, _paid_work


def _saved_as(reply: Any) -> str:
    disposition = reply.headers["content-disposition"]
    assert "filename*=UTF-8''" in disposition, disposition
    return disposition.split("filename*=UTF-8''", 1)[1]


def test_the_html_slip_and_the_saved_names_tell_namesakes_apart(pay_world: Any, residents: list[str]) -> None:
    owner, namesake = residents[0], residents[1]
    period = _paid_work(pay_world, owner)
    with transaction(pay_world.engine) as s:
        her, other = s.get(Resident, owner), s.get(Resident, namesake)
        assert her is not None and other is not None and her.phone and other.phone
        assert her.phone[-4:] != other.phone[-4:]
        other.name = her.name
        s.add(other)
    with reading(pay_world.engine) as s:
        her, community = s.get(Resident, owner), s.get(Community, "comm-001")
        assert her is not None and her.phone and community is not None
        told = f"{her.name}（尾号{her.phone[-4:]}）"
    client = TestClient(create_app(pay_world.settings))
    me = _login(client, owner)
    url = f"/api/v1/residents/{owner}/pay-slips/{period}"

    html = client.get(url, params={"format": "html"}, headers=me).text
    assert f"姓名：{told}" in html and f"社区：{community.name}" in html, html[:600]
    assert owner not in html and her.phone not in html
    for suffix, params in ((".pdf", {}), ("", {"format": "csv"})):
        saved = _saved_as(client.get(f"{url}{suffix}", params=params, headers=me))
        assert saved == quote(f"工资条-{told}-{period_name(period)}{suffix or '.csv'}")
