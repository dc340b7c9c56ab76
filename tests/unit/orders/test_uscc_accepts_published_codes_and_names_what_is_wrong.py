"""Unified social credit codes: real ones pass, each kind of mistake is named."""

import pytest

from domain.orders.uscc import check_uscc, make_uscc, make_uscc_from_parts, org_code_check_char

# Codes printed on these companies' business licences and public filings.
PUBLISHED = {
    "91350100M000100Y43": "worked example circulated with GB 32100 (Fuzhou)",
    "91100000100003962T": "Industrial and Commercial Bank of China (national registration)",
    "914403001922038216": "Huawei Technologies Co., Ltd.",
    "9144030071526726XG": "Shenzhen Tencent Computer Systems Co., Ltd.",
    "91110108551385082Q": "Beijing Xiaomi Technology Co., Ltd.",
    "91110000802100433B": "Beijing Baidu Netcom Science and Technology Co., Ltd.",
    "91330100716105852F": "Alibaba (China) Co., Ltd.",
}


@pytest.mark.parametrize("code", sorted(PUBLISHED))
def test_accepts_published_codes(code: str) -> None:
    assert check_uscc(code) is None


def test_names_the_expected_check_character() -> None:
    assert check_uscc("91350100M000100Y4X") == "check character should be '3', got 'X'"


def test_checks_the_organisation_code_inside_with_its_own_check_character() -> None:
    # 911100001000000000: the final check is irrelevant, GB 11714 wants '8' at character 17.
    reason = check_uscc("911100001000000000")
    assert reason is not None
    assert "organisation code" in reason and "should be '8'" in reason


def test_rejects_wrong_length() -> None:
    assert check_uscc("91350100M000100Y4") == "must be 18 characters, got 17"


@pytest.mark.parametrize("letter", list("IOZSV"))
def test_rejects_letters_the_standard_leaves_out(letter: str) -> None:
    reason = check_uscc("91350100M000100" + letter + "43")
    assert reason is not None and "character 16" in reason and "never used" in reason


def test_asks_for_upper_case() -> None:
    assert check_uscc("91350100m000100Y43") == "character 9 'm' must be upper case"


def test_rejects_unassigned_registration_authority() -> None:
    code = make_uscc_from_parts(authority="B", kind="1", division="350100", org_body8="M000100Y")
    assert check_uscc(code) == "registration authority code 'B' (character 1) is not assigned"


def test_rejects_type_code_not_defined_for_the_authority() -> None:
    # Market regulation (9) registers enterprises, sole traders and cooperatives only.
    code = make_uscc_from_parts(authority="9", kind="4", division="350100", org_body8="M000100Y")
    reason = check_uscc(code)
    assert reason is not None and "institution type '4'" in reason and "1, 2, 3" in reason


@pytest.mark.parametrize(("division", "ok"), [("110108", True), ("100000", True), ("990000", False)])
def test_division_must_be_national_or_start_with_a_province(division: str, ok: bool) -> None:
    code = make_uscc_from_parts(authority="9", kind="1", division=division, org_body8="MA1FL000")
    assert (check_uscc(code) is None) is ok


def test_make_uscc_appends_a_check_character_that_validates() -> None:
    assert make_uscc("91350100M000100Y4") == "91350100M000100Y43"


def test_make_uscc_refuses_bad_prefixes() -> None:
    with pytest.raises(ValueError):
        make_uscc("91350100M000100Y")
    with pytest.raises(ValueError):
        make_uscc("91350100M000100I4")


def test_organisation_check_character_maps_10_to_x_and_11_to_0() -> None:
    assert org_code_check_char("71526726") == "X"  # Tencent's organisation code 71526726-X
    assert org_code_check_char("10000000") == "8"
    assert {org_code_check_char(f"{n:08d}") for n in range(200)} >= {"0", "X"}
