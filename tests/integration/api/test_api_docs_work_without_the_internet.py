"""/docs and /redoc load every script and stylesheet from this server: a community may have no internet."""

from __future__ import annotations

import re
from pathlib import Path

from fastapi.testclient import TestClient

from services.api.app import create_app
from store.migrate import upgrade
from usecases.settings import Settings


def test_docs_pages_reference_only_assets_this_server_serves(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'mf.db'}"
    upgrade(url)
    client = TestClient(create_app(Settings(DATABASE_URL=url, DEMO=False)))
    for page in ("/docs", "/redoc"):
        html = client.get(page)
        assert html.status_code == 200, page
        assets = re.findall(r"""(?:src|href)=["']([^"']+)["']""", html.text)
        assert assets, f"{page} loads no assets at all"
        assert [a for a in assets if a.startswith(("http:", "https:", "//"))] == [], f"{page} reaches out"
        for asset in assets:
            assert client.get(asset).status_code == 200, f"{page}: {asset} is not served"
    assert client.get("/openapi.json").json()["info"]["title"].startswith("Micro-factory")
