"""A query parameter an address does not read is refused, naming it and the ones it takes, and nothing is answered as
if it were not there: GET /api/v1/lots?order_id=… returned every lot of the caller's communities (new-user trial,
2026-11-30), and a misspelt filter (?stauts=open) every lot whatever its status. Both stores (city_api)."""

from __future__ import annotations

from fastapi import FastAPI
from fastapi.routing import APIRoute

from services.api.query_names import query_names
from tests.integration.api.test_errors_are_json_naming_the_field_or_the_cause import signed_in


def test_a_filter_the_list_has_not_is_a_422_naming_it(city_api: FastAPI) -> None:
    client, auth = signed_in(city_api, "coord1")
    assert client.get("/api/v1/lots?status=open", headers=auth).status_code == 200
    for query, name in (("order_id=ord-1", "order_id"), ("stauts=open", "stauts"), ("status=open&x=", "x")):
        reply = client.get(f"/api/v1/lots?{query}", headers=auth)
        assert reply.status_code == 422, (query, reply.text)
        [problem] = reply.json()["detail"]
        assert problem["field"] == name and "不认识的查询参数" in problem["reason"] and "status" in problem["reason"]
    english = client.get("/api/v1/lots?order_id=x", headers={**auth, "Accept-Language": "en"}).json()
    assert english["detail"][0]["reason"].startswith("not a query parameter of this address")


def test_an_address_that_reads_no_query_refuses_one_and_writes_nothing(city_api: FastAPI) -> None:
    client, auth = signed_in(city_api, "coord1")
    before = client.get("/api/v1/residents?community_id=comm-001", headers=auth).json()
    reply = client.post("/api/v1/residents?dry_run=1", headers=auth, json={
        "resident_id": "comm-001-q1", "community_id": "comm-001", "name": "查询参数", "password": "long-enough-1"})
    assert reply.status_code == 422 and reply.json()["detail"][0]["field"] == "dry_run", reply.text
    assert client.get("/api/v1/residents?community_id=comm-001", headers=auth).json() == before


def test_every_parameter_a_route_declares_is_still_taken(city_api: FastAPI) -> None:
    """What each route reads (its own and its dependencies' query parameters) passes the check: the paging every
    list's next link carries (limit, cursor) among them."""
    lists = [r for r in city_api.routes if isinstance(r, APIRoute) and "limit" in query_names(r.dependant)]
    assert len(lists) > 20 and all("cursor" in query_names(r.dependant) for r in lists)
    client, auth = signed_in(city_api, "city")
    page = client.get("/api/v1/communities?limit=1", headers=auth)
    assert page.status_code == 200 and page.headers["X-Has-More"] in ("true", "false")
    if page.headers["X-Has-More"] == "true":
        link = page.headers["Link"].split(";")[0].strip("<>")
        assert client.get(link, headers=auth).status_code == 200  # the next link's own query passes
