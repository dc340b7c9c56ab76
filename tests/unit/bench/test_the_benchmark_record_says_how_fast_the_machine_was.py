"""The benchmark record says how fast the machine ran: stolen CPU time and a reference loop beside the figures."""

from __future__ import annotations

from bench.report import cpu_ticks, markdown, python_reference_ms, steal_pct


def test_stolen_time_is_the_share_of_all_cpu_time_spent_between_two_readings() -> None:
    # user nice system idle iowait irq softirq steal guest guest_nice
    before = [100, 0, 50, 800, 0, 0, 0, 50, 0, 0]
    after = [400, 0, 150, 1100, 0, 0, 0, 350, 30, 0]  # guest time is already counted inside user
    assert steal_pct(before, after) == 30.0  # 300 stolen of 1,000 ticks
    assert steal_pct(before, before) is None  # no time passed
    assert steal_pct([], after) is None  # no /proc/stat (not Linux)


def test_this_machine_reports_its_ticks_and_a_reference_time() -> None:
    ticks = cpu_ticks()
    assert len(ticks) >= 8 and all(t >= 0 for t in ticks)
    assert python_reference_ms() > 0


def test_the_markdown_shows_the_reference_loop_and_the_stolen_time() -> None:
    machine = {"cpu": "x", "cores": 2, "ram_gb": 24, "python": "3.11", "date": "2026-11-24", "commit": "abc",
               "python_reference_ms_at_start": 5.1, "python_reference_ms_at_end": 7.3, "cpu_steal_pct": 12.5}
    page = markdown({"machine": machine}, [], quick=True)
    assert "| Python reference loop at start / end | 5.1 / 7.3 ms" in page
    assert "| CPU time stolen by the hypervisor during the run | 12.5% |" in page
