"""Survey definitions are bounded (labels, expressions, choices, total size) and the parsed-form
cache by the bytes of the definitions it holds, not their number."""

from typing import Any

import httpx
import pytest
from sqlmodel import Session

from api.surveys.models import MAX_CHOICES, MAX_DEFINITION_BYTES, MAX_EXPRESSION, MAX_LABEL
from api.surveys.store import FormCache
from tests.factories import SMALL, auth, make_barrio, make_ejecutor


def _survey(barrio_id: int, **question: Any) -> dict[str, Any]:
    asked = {"name": "q", "type": "text", "label": "¿Qué?", **question}
    return {"barrio_id": barrio_id, "title": "Encuesta", "questions": [asked]}


@pytest.mark.parametrize("question, field", [
    ({"label": "x" * (MAX_LABEL + 1)}, "questions.0.label"),
    ({"label": {"es": "x" * (MAX_LABEL + 1)}}, "questions.0.label"),
    ({"label": {f"l{n}": "x" for n in range(20)}}, "questions.0.label"),
    ({"relevant": "1 = 1 and " * (MAX_EXPRESSION // 10 + 1)}, "questions.0.relevant"),
    ({"type": "select_one", "choices": [{"name": f"c{n}", "label": "C"} for n in range(MAX_CHOICES + 1)]},
     "questions.0.choices"),
])
async def test_oversized_parts_of_a_definition_get_422(client: httpx.AsyncClient, session: Session,
                                                       question: dict[str, Any], field: str) -> None:
    ejecutor, token = make_ejecutor(session)
    barrio = make_barrio(session, ejecutor)
    answer = await client.post("/api/surveys", json=_survey(barrio.id or 0, **question), headers=auth(token))
    assert answer.status_code == 422
    assert any(error["field"].startswith(field) for error in answer.json()["errors"]), answer.json()


async def test_a_definition_larger_than_the_limit_gets_422(client: httpx.AsyncClient, session: Session) -> None:
    ejecutor, token = make_ejecutor(session)
    barrio = make_barrio(session, ejecutor)
    questions = [{"name": f"q{n}", "type": "text", "label": "x" * MAX_LABEL, "hint": "y" * MAX_LABEL}
                 for n in range(MAX_DEFINITION_BYTES // (2 * MAX_LABEL) + 1)][:200]
    body = {"barrio_id": barrio.id, "title": "Grande", "questions": questions}
    answer = await client.post("/api/surveys", json=body, headers=auth(token))
    assert answer.status_code == 422 and "larger than" in answer.json()["detail"]


def test_the_form_cache_is_bounded_by_size_not_count() -> None:
    cache = FormCache(budget=20_000)
    reads: list[int] = []

    def definition(n: int) -> Any:
        return lambda: reads.append(n) or SMALL

    for n in range(100):  # small forms: many fit
        cache.get(n, "s", definition(n))
    assert len(cache) > 10 and cache.used <= 20_000
    large = {**SMALL, "questions": [{**SMALL["questions"][4], "name": f"t{n}", "label": "x" * 500}
                                    for n in range(30)]}  # ~17 kB: pushes most small ones out
    cache.get(1000, "s", lambda: large)
    assert len(cache) < 10 and cache.used <= 20_000
    reads.clear()
    cache.get(1000, "s", definition(1000))
    assert reads == []  # still cached: the most recent
    huge = {**large, "questions": [{**q, "name": f"{q['name']}{copy}"} for copy in "ab" for q in large["questions"]]}
    assert cache.get(2000, "s", lambda: huge).title is not None  # larger than the budget: parsed, not kept
    assert (2000, "s") not in cache._forms and cache.used <= 20_000
