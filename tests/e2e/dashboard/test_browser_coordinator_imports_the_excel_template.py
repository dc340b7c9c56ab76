"""In a real browser (issue 16): a coordinator downloads the residents' Excel template from the import page, fills it
in as Excel would save it (a U+30FB dot in the name, a full-width ID number), uploads the .xlsx, sees the row
previewed with the ID masked, imports it, and the resident is stored in the one canonical form. The uploader speaks
Chinese before and after the file is chosen, on the page and to a screen reader (issue 15)."""

from __future__ import annotations

import io
from pathlib import Path

import pytest
from openpyxl import load_workbook
from playwright.sync_api import Browser, Download, Page, expect
from playwright.sync_api import TimeoutError as PlaywrightTimeout
from sqlmodel import select

from bench.dashboard_world import World
from domain.orders.id_number import make_id_number
from store.db import reading
from store.tables import Resident
from tests.e2e.dashboard.conftest import ARTIFACTS
from tests.e2e.dashboard.leftovers import english_in_widgets
from tests.e2e.dashboard.test_browser_coordinator_carries_a_lot_from_dispatch_to_payout import settled
from tests.e2e.dashboard.test_browser_each_role_sees_its_own_page_on_phone_and_desktop import sign_in

pytestmark = pytest.mark.browser
ID_NUMBER = make_id_number("37010219660101123")  # a born-1966 Jinan number no demo resident has
FULL_WIDTH = str.maketrans({str(d): chr(0xFF10 + d) for d in range(10)})


def download(page: Page, button: str) -> Download:
    """Click a download button once the page has settled and is connected, as a person waits for the page to stop
    moving, taps again when nothing came, and reloads a page that stays greyed out.

    Two ways it failed in CI (stop 26, and a fresh clone of 30 Nov), each while the other test process ran the random
    kills beside it: a click during a rerun hit the last run's button, whose file Streamlit had dropped, and no
    download started; and the page lost its connection to the server, when Streamlit greys out every widget
    (widgetsDisabled = connection state is not CONNECTED) until it reconnects, by a back-off that can outlast 30 s.
    """
    for _ in range(3):
        target = page.get_by_role("button", name=button).first
        try:
            settled(page)
            expect(target).to_be_enabled(timeout=60_000)
        except AssertionError:
            page.reload()  # still greyed out: what a person does with a page that says it is connecting
            continue
        try:
            with page.expect_download(timeout=20_000) as got:
                target.click()
            return got.value
        except PlaywrightTimeout:
            continue
    page.screenshot(path=str(ARTIFACTS / "import-template-no-download.png"), full_page=True)
    raise AssertionError(f"no download from {button!r} after three tries; see test-artifacts")


def test_a_coordinator_fills_in_the_excel_template_and_imports_it(browser: Browser, dashboard_url: str,
                                                                   world: World, tmp_path: Path) -> None:
    page = sign_in(browser, dashboard_url, "desktop", "coord1")
    page.get_by_role("link", name="批量导入").click()
    expect(page.get_by_role("heading", name="批量导入")).to_be_visible(timeout=30_000)
    # Streamlit's uploader in Chinese, for the eye and for a screen reader (issue 15; dashboard/streamlit_words.py)
    expect(page.get_by_role("button", name="选择文件").first).to_be_visible(timeout=30_000)
    expect(page.get_by_text("单个文件不超过 5MB").first).to_be_visible()  # the import's own limit
    assert english_in_widgets(page) == []
    got = download(page, "下载模板（Excel）")
    book = load_workbook(io.BytesIO(Path(got.path()).read_bytes()))  # saved without a name's suffix
    sheet = book.active
    assert [c.value for c in sheet[1]][:5] == ["姓名", "手机号", "身份证号", "社区编号", "工作方式"]
    sheet.delete_rows(2, sheet.max_row)
    sheet.append(["买买提・艾力", None, ID_NUMBER.translate(FULL_WIDTH), "comm-001", "居家"])
    filled = tmp_path / "居民.xlsx"
    book.save(filled)

    page.locator("input[type='file']").first.set_input_files(filled)
    expect(page.get_by_text("预览：1 行可导入")).to_be_visible(timeout=30_000)
    preview = page.locator("[data-testid='stDataFrame']").first
    expect(preview).to_be_visible(timeout=30_000)  # the grid loads its chunk first; slow on a busy machine
    expect(page.get_by_label("删除 居民.xlsx")).to_be_visible()  # the chosen file's button, named in Chinese
    assert english_in_widgets(page) == []
    page.get_by_role("button", name="导入全部 1 行").click()
    expect(page.get_by_text("已导入 1 行。")).to_be_visible(timeout=30_000)
    with reading(world.engine) as session:
        [person] = session.exec(select(Resident).where(Resident.id_number == ID_NUMBER)).all()
    assert (person.name, person.community_id, person.work_mode) == ("买买提·艾力", "comm-001", "home")
