"""The programme's calendar and the PDL's rules as pure tables: default dates, overlaps, status moves."""

from datetime import date

import pytest

from conversations.ballots.rules import Option, Rules, tally
from conversations.programme.activities import ACTIVITIES, BY_KEY, Evidence
from conversations.programme.phases import Phase, PhaseStatus, Span, add_months, default_spans, following
from conversations.programme.rules import allowed, next_statuses, prioritised


def test_default_phases_follow_the_programme_text_with_one_month_of_overlap() -> None:
    spans = default_spans(date(2026, 3, 1))
    assert spans[Phase.FASE_1] == Span(date(2026, 3, 1), date(2026, 6, 1))  # 3 months
    assert spans[Phase.FASE_2] == Span(date(2026, 5, 1), date(2026, 9, 1))  # starts a month before I ends; 4
    assert spans[Phase.FASE_3] == Span(date(2026, 8, 1), date(2027, 2, 1))  # 6
    assert spans[Phase.FASE_4] == Span(date(2027, 1, 1), date(2027, 3, 1))  # 2
    # Fase V: 22 months, planned from the end of Fase II until the PDL is validated
    assert spans[Phase.FASE_5] == Span(date(2026, 9, 1), date(2028, 7, 1))


def test_fase_v_starts_when_the_pdl_is_validated() -> None:
    spans = default_spans(date(2026, 3, 1), pdl_validated_on=date(2026, 7, 15))
    assert spans[Phase.FASE_5] == Span(date(2026, 7, 15), date(2028, 5, 15))
    assert spans[Phase.FASE_2] == Span(date(2026, 5, 1), date(2026, 9, 1))  # the rest does not move


def test_month_arithmetic_keeps_the_day_or_the_last_of_a_shorter_month() -> None:
    assert add_months(date(2026, 11, 30), 3) == date(2027, 2, 28)
    assert add_months(date(2028, 1, 31), 1) == date(2028, 2, 29)
    assert add_months(date(2026, 1, 15), -1) == date(2025, 12, 15)


def test_a_phase_is_active_from_its_first_day_up_to_the_day_before_its_end() -> None:
    span = Span(date(2026, 5, 1), date(2026, 9, 1))
    assert span.status(date(2026, 4, 30)) == PhaseStatus.PLANNED
    assert span.status(date(2026, 5, 1)) == PhaseStatus.ACTIVE
    assert span.status(date(2026, 8, 31)) == PhaseStatus.ACTIVE
    assert span.status(date(2026, 9, 1)) == PhaseStatus.DONE
    assert following(Phase.FASE_1) == Phase.FASE_2 and following(Phase.FASE_4) is None


def test_every_phase_has_its_activities_and_four_tick_themselves() -> None:
    assert {a.phase for a in ACTIVITIES} == set(Phase)
    assert {a.key: a.evidence for a in ACTIVITIES if a.evidence} == {
        "diagnostico_territorial": Evidence.DIAGNOSTICO_CLOSED, "difusion_validacion": Evidence.ASSEMBLY_HELD,
        "determinacion_iniciativas": Evidence.BALLOT_CLOSED, "linea_salida": Evidence.LINEA_SALIDA_CLOSED}
    assert BY_KEY["iniciativa_urgencia"].phase == Phase.FASE_1


@pytest.mark.parametrize(("current", "to", "ok"), [
    ("propuesta", "priorizada", True),
    ("priorizada", "aprobada", True),
    ("aprobada", "en_ejecucion", True),
    ("en_ejecucion", "terminada", True),
    ("propuesta", "aprobada", False),  # one step at a time
    ("aprobada", "priorizada", False),  # never back
    ("en_ejecucion", "descartada", True),
    ("terminada", "descartada", False),
    ("descartada", "propuesta", False),
    ("propuesta", "propuesta", False),
])
def test_only_the_allowed_status_moves(current: str, to: str, ok: bool) -> None:
    assert allowed(current, to) is ok


def test_final_statuses_go_nowhere() -> None:
    assert next_statuses("terminada") == () and next_statuses("descartada") == ()


OPTIONS = (Option(0, "Huerto", "", "huertos", 1_000), Option(1, "Luces", "", "habitabilidad", 2_000),
           Option(2, "Plaza", "", "habitabilidad", 500))


def test_a_closed_ballot_prioritises_its_selected_set_or_its_top_k_with_votes() -> None:
    budget = Rules("budget", budget=2_500)
    assert prioritised(budget, tally(budget, OPTIONS, [(1,), (1, 2), (0,)])) == {1, 2}
    approval = Rules("approval", max_choices=2)
    assert prioritised(approval, tally(approval, OPTIONS, [(0, 1), (0,)])) == {0, 1}
    assert prioritised(approval, tally(approval, OPTIONS, [(2,)])) == {2}  # no votes, not prioritised
    single = Rules("single")
    assert prioritised(single, tally(single, OPTIONS, [])) == set()
