"""Which questions two rounds can compare, and how, on in-memory answers (no database)."""

from typing import Any

from api.comparison.compare import RoundData, compare, dimensions_of
from conversations.surveys.form import Form

CHOICES = [{"name": "a", "label": "A"}, {"name": "b", "label": "B"}, {"name": "c", "label": "C"}]


def _form(*questions: dict[str, Any]) -> Form:
    return Form.load({"title": "Ronda", "questions": list(questions)})


def test_what_is_compared_and_what_is_left_out_with_the_reason() -> None:
    base = _form({"name": "edad", "type": "integer", "label": "¿Edad?"},
                 {"name": "usos", "type": "select_multiple", "label": "¿Usos?", "choices": CHOICES},
                 {"name": "nota", "type": "scale", "label": "¿Nota?"},
                 {"name": "cambia", "type": "text", "label": "¿Idea?"})
    salida = _form({"name": "edad", "type": "decimal", "label": "¿Edad?"},
                   {"name": "usos", "type": "select_multiple", "label": "¿Usos?", "choices": CHOICES},
                   {"name": "nota", "type": "select_one", "label": "¿Nota?", "choices": CHOICES},
                   {"name": "cambia", "type": "scale", "label": "¿Nota?"})
    people = [f"m{n}" for n in range(12)]
    before = {"edad": {p: 30 + n for n, p in enumerate(people)}, "nota": {p: 3 for p in people}}
    after = {"edad": {p: 31.5 + n for n, p in enumerate(people)}}
    found = compare(RoundData(base, before), RoundData(salida, after), {}, locale="es", min_cell=5)
    assert [q.name for q in found.questions] == ["edad"]
    edad = found.questions[0]
    assert (edad.type, edad.base.mean, edad.salida.mean, edad.change) == ("numeric", 35.5, 37.0, 1.5)
    assert (edad.paired.test, edad.paired.effect) == ("wilcoxon", 1.0)
    assert {s.name: s.reason for s in found.skipped} == {
        "usos": "multiple-choice questions are not compared",
        "nota": "asked as scale in the línea base and as select_one in the línea de salida",
        "cambia": "asked as text in the línea base and as scale in the línea de salida"}
    assert {s.name: (s.code, s.base_type, s.salida_type) for s in found.skipped} == {
        "usos": ("select_multiple", None, None), "nota": ("type_changed", "scale", "select_one"),
        "cambia": ("type_changed", "text", "scale")}
    assert found.dimensions == [] and found.overall.items == 0


def test_a_stored_dimension_wins_over_the_instruments_and_unknown_dimensions_follow_the_known_ones() -> None:
    definition = {"questions": [{"name": "cs_confianza", "dimension": "mi_dimension"},
                                {"name": "propia", "dimension": "otra"}]}
    found = dimensions_of(definition)
    assert (found["cs_confianza"], found["propia"], found["gr_participa"]) == ("mi_dimension", "otra", "grupos_redes")
    form = _form({"name": "propia", "type": "scale", "label": "¿?"},
                 {"name": "gr_conoce", "type": "scale", "label": "¿?"},
                 {"name": "x", "type": "select_one", "label": "¿?", "choices": CHOICES})
    answers = {"propia": {"m1": 1}, "gr_conoce": {"m1": 5}, "x": {"m1": "a"}}
    result = compare(RoundData(form, answers), RoundData(form, answers), found, locale="en", min_cell=1)
    assert [(d.dimension, d.label, d.base.mean) for d in result.dimensions] == [
        ("grupos_redes", "Groups and networks", 100.0), ("otra", "otra", 0.0)]
    assert result.questions[2].type == "categorical"  # three choices: neither a scale nor yes/no
    assert result.overall.base.mean == 50.0  # the mean of the respondent's two dimensions
