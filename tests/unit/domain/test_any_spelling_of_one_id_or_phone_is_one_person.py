"""Any way a person's ID or phone number is typed — full-width, spaced, dashed, lower-case x, +86 — is one form."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from domain.orders.id_number import make_id_number
from domain.people import BadIdentity, normalise_id_number, normalise_name, normalise_phone

FULL_WIDTH = str.maketrans({**{str(d): chr(0xFF10 + d) for d in range(10)}, "X": "ｘ", "x": "Ｘ"})
bodies = st.from_regex(r"\A(11|31|37|44)0[1-9]0[1-9](19[5-9][0-9]|200[0-5])(0[1-9]|1[0-2])(0[1-9]|1[0-9]|2[0-8])"
                       r"[0-9]{3}\Z")


def spellings(canonical: str) -> st.SearchStrategy[str]:
    """The canonical text with any characters full-width and separators or spaces between any of them."""
    def spell(flags: list[bool], gaps: list[str]) -> str:
        chars = [c.translate(FULL_WIDTH) if wide else c for c, wide in zip(canonical, flags, strict=True)]
        return "".join(c + gap for c, gap in zip(chars, gaps, strict=True))
    n = len(canonical)
    return st.builds(spell, st.lists(st.booleans(), min_size=n, max_size=n),
                     st.lists(st.sampled_from(["", "", "", " ", "-", "　"]), min_size=n, max_size=n))


@given(bodies.flatmap(lambda body: st.tuples(st.just(make_id_number(body)), spellings(make_id_number(body)))))
def test_any_spelling_of_one_id_number_is_the_same_number(pair: tuple[str, str]) -> None:
    canonical, typed = pair
    assert normalise_id_number(typed) == canonical
    assert normalise_id_number(canonical.lower()) == canonical


@given(st.from_regex(r"\A1[3-9][0-9]{9}\Z").flatmap(
    lambda p: st.tuples(st.just(p), spellings(p), st.sampled_from(["", "+86", "+86 ", "0086", "86"]))))
def test_any_spelling_of_one_mobile_number_is_the_same_number(triple: tuple[str, str, str]) -> None:
    canonical, typed, prefix = triple
    assert normalise_phone(prefix + typed) == canonical


@pytest.mark.parametrize("damaged", ["3.70102199001011E+17", "3.70102E17", "370102199001011000"])
def test_numbers_a_spreadsheet_damaged_are_refused_saying_so(damaged: str) -> None:
    with pytest.raises(BadIdentity, match="表格"):
        normalise_id_number(damaged)


def test_names_keep_their_characters_unify_middle_dots_and_refuse_destroyed_ones() -> None:
    assert normalise_name(" 阿依古丽・买买提 ") == "阿依古丽·买买提"
    assert normalise_name("𠮷田") == "𠮷田"  # a character outside the BMP is a character, not damage
    assert normalise_name("J. Smith") == "J. Smith"  # a full stop in a Latin name stays
    for destroyed in ("?田", "\ufffd田", "王？"):
        with pytest.raises(BadIdentity, match="生僻字"):
            normalise_name(destroyed)
