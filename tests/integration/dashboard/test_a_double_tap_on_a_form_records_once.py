"""A double tap records once: her 交货; a coordinator's 发料, 退料, 代交货, 验收, 志愿服务; an enterprise's 发布.

An attacker double-clicked each of these and got two hand-ins (pieces pending doubled, then paid twice), two issues,
two returns, two volunteer tasks and two orders. Each form now carries an entry reference minted when it is drawn
(dashboard.ui.entry_reference) and its button is keyed by it. The two cases a double tap can be:
- the second tap reaches the page after the first was answered: it is the button of the form as the browser still
  shows it (AppTest: the widget states drawn before the first answer, sent again), which no longer exists — nothing
  runs;
- the second tap reaches the server before the page redrew: it carries the same reference, and the use case answers
  with what the first recorded (simulated by recording the entry with the form's reference first, as a tap whose
  answer was lost) — the person is told it was recorded, and nothing is recorded again.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import func
from sqlmodel import select
from streamlit.testing.v1 import AppTest

from bench.dashboard_world import COORD1, COORD2, ENT1, _lots, _post, actor, dispatch_by_hand, put_in_work
from schemas import commands as c
from store.db import reading
from store.tables import Inspection, Lot, MaterialIssue, Order, Submission, VolunteerTask
from tests.entry_buttons import entry_button
from usecases import work
from usecases.execute import execute


def double_tap(at: AppTest, button: Any) -> None:
    """The first tap answered, then the second tap of the same drawn button with the values it was drawn with."""
    button.click()
    drawn = button.root.get_widget_states()
    at.run()
    at._run(drawn)  # noqa: SLF001 - AppTest has no public way to send a page's old widget states


def section(open_page: Any, name: str) -> AppTest:
    """The coordinator's page (coord1) opened at a section."""
    at = open_page("views/coordinator.py", COORD1)
    at.session_state["co_section"] = name
    return at.run()


def count(world: Any, model: Any, *where: Any) -> int:
    with reading(world.engine) as session:
        return int(session.exec(select(func.count()).select_from(model).where(*where)).one())


def repeated(at: AppTest) -> list[str]:
    """The page's warnings that a tap was taken for the second of a double tap."""
    return [w.value for w in at.warning if "连点了两次" in str(w.value)]


def told(at: AppTest) -> tuple[list[str], list[str]]:
    return [s.value for s in at.success], [e.value for e in at.error]


def test_her_double_tap_on_hand_in_hands_in_once_and_her_next_hand_in_counts(world, open_page) -> None:
    lot_id, her = world.offered_lot, world.offered_to
    me = actor(her, "resident", resident_id=her, community_ids=frozenset({"comm-002"}))
    put_in_work(world, lot_id, her, COORD2, answered_by=me)
    at = open_page("views/resident.py", me)
    at.number_input(key=f"handin-{lot_id}").set_value(10)
    double_tap(at, entry_button(at, f"submit-{lot_id}"))
    assert not at.exception
    assert count(world, Submission, Submission.lot_id == lot_id) == 1
    at.number_input(key=f"handin-{lot_id}").set_value(5)
    entry_button(at, f"submit-{lot_id}").click().run()  # a new hand-in is a new entry
    with reading(world.engine) as session:
        assert sorted(s.pieces for s in session.exec(select(Submission).where(Submission.lot_id == lot_id))) == [5, 10]


def test_a_coordinator_s_double_clicks_issue_hand_in_and_return_once(world, open_page) -> None:
    lot_id, who = world.proxy_lot, world.proxy_for
    put_in_work(world, lot_id, who, COORD1, pieces=0)
    at = section(open_page, "materials")
    at.selectbox(key="mat_lot").select(lot_id).run()
    at.number_input(key="mat_issue_n").set_value(20)
    double_tap(at, entry_button(at, "mat_issue_go"))
    assert not at.exception and count(world, MaterialIssue, MaterialIssue.lot_id == lot_id) == 1

    at = section(open_page, "handin")
    at.selectbox(key="hand_resident").select(who).run()
    at.selectbox(key="hand_lot").select(lot_id).run()
    at.number_input(key="hand_pieces").set_value(10)
    double_tap(at, entry_button(at, "hand_go"))
    assert not at.exception and count(world, Submission, Submission.lot_id == lot_id) == 1

    at = section(open_page, "materials")
    at.selectbox(key="mat_lot").select(lot_id).run()
    at.number_input(key="mat_unused").set_value(2)
    double_tap(at, entry_button(at, "mat_return_go"))
    assert not at.exception
    with reading(world.engine) as session:
        lot = session.get(Lot, lot_id)
        assert lot is not None and lot.pieces_issued == 18  # 20 issued, 2 back once
    assert count(world, MaterialIssue, MaterialIssue.lot_id == lot_id) == 2  # the issue and one return


def test_an_inspection_whose_answer_was_lost_is_told_recorded_not_refused(world, open_page) -> None:
    """The second tap carries the same reference: she reads that it was recorded, not 已验收 as an error."""
    lot_id, who = world.proxy_lot, world.proxy_for
    put_in_work(world, lot_id, who, COORD1, pieces=10)
    sub, _ = execute(world.engine, world.settings, work.submit_output, who, c.SubmitOutput(lot_id=lot_id, pieces=10),
                     actor=COORD1)
    at = section(open_page, "inspect")
    at.selectbox(key="inspect_submission").select(sub.id).run()
    at.number_input(key="inspect_passed").set_value(10).run()
    reference = str(at.session_state["inspect_reference"])
    execute(world.engine, world.settings, work.record_inspection,  # the first tap, its answer lost
            c.RecordInspection(submission_id=sub.id, passed=10, rejected=0, reference=reference), actor=COORD1)
    entry_button(at, "inspect_go").click().run()
    assert not at.exception
    successes, errors = told(at)
    assert errors == [] and any("已记录验收" in s for s in successes), (successes, errors)
    assert count(world, Inspection, Inspection.submission_id == sub.id) == 1


def test_a_double_click_records_one_volunteer_task_and_posts_one_order(world, open_page) -> None:
    at = section(open_page, "points")
    before = count(world, VolunteerTask)
    at.text_input(key="vol_task").input("扶老人过马路")
    [submit] = [b for b in at.button if "volunteer_form" in str(b.id)]
    double_tap(at, submit)
    assert not at.exception and count(world, VolunteerTask) == before + 1, told(at)

    at = open_page("views/enterprise.py", ENT1)
    before = count(world, Order)
    at.text_input(key="po_rate").input("1.5").run()
    at.multiselect(key="po_communities").select("comm-001").run()
    double_tap(at, entry_button(at, "po_go"))
    assert not at.exception and count(world, Order) == before + 1, told(at)


def test_a_real_second_bag_of_the_same_count_is_one_more_tap_never_dropped(world, open_page) -> None:
    """Two bags of 10 from her: the second, typed and tapped right after the first, is held back with a warning
    that says so (it could be a double tap), and the next tap records it (the attacker's F3: it was dropped while
    the page said it was recorded)."""
    lot_id, who = world.proxy_lot, world.proxy_for
    put_in_work(world, lot_id, who, COORD1, pieces=20)
    at = section(open_page, "handin")
    at.selectbox(key="hand_resident").select(who).run()
    at.selectbox(key="hand_lot").select(lot_id).run()
    at.number_input(key="hand_pieces").set_value(10)
    entry_button(at, "hand_go").click().run()
    at.number_input(key="hand_pieces").set_value(10)
    entry_button(at, "hand_go").click().run()
    [warned] = repeated(at)
    assert "只记录了一次" in warned and count(world, Submission, Submission.lot_id == lot_id) == 1
    entry_button(at, "hand_go").click().run()  # she meant it
    assert count(world, Submission, Submission.lot_id == lot_id) == 2
    assert not repeated(at)


def test_an_empty_form_for_someone_else_or_another_act_is_not_taken_for_a_repeat(world, open_page) -> None:
    """After a hand-in for one resident, an empty tap for another is told to fill in the count (not the first's
    success); after an issue, an empty return is told there is nothing to return (the attacker's F4)."""
    lot_id, who = world.proxy_lot, world.proxy_for
    put_in_work(world, lot_id, who, COORD1, pieces=20)
    other = next(r for r in world.phoneless["comm-001"] if r != who)  # another resident with a lot in work
    other_lot = _lots(world, _post(world, ENT1, "ent-01", ["comm-001"], quantity=60))["comm-001"][0]
    dispatch_by_hand(world, other_lot, other, COORD1)
    put_in_work(world, other_lot, other, COORD1, pieces=20)
    at = section(open_page, "handin")
    at.selectbox(key="hand_resident").select(who).run()
    at.selectbox(key="hand_lot").select(lot_id).run()
    at.number_input(key="hand_pieces").set_value(10)
    entry_button(at, "hand_go").click().run()
    at.selectbox(key="hand_resident").select(other).run()
    at.selectbox(key="hand_lot").select(other_lot).run()
    before = count(world, Submission, Submission.lot_id == other_lot)
    entry_button(at, "hand_go").click().run()  # the count left empty
    successes, errors = told(at)
    assert errors and not successes and not repeated(at), (successes, errors)
    assert count(world, Submission, Submission.lot_id == other_lot) == before

    at = section(open_page, "materials")
    at.selectbox(key="mat_lot").select(lot_id).run()
    at.number_input(key="mat_issue_n").set_value(5)
    entry_button(at, "mat_issue_go").click().run()
    entry_button(at, "mat_return_go").click().run()  # nothing typed
    successes, errors = told(at)
    assert errors and not successes and not repeated(at), (successes, errors)
