"""The built-in línea base / línea de salida instrument: 27 short items over nine dimensions.

The six dimensions of the World Bank's Integrated Questionnaire for the Measurement of
Social Capital (SC-IQ) and the three capacidades sociocomunitarias the programme sets out
to raise. Every item is a 1–5 scale (5 always the stronger capacity) or a yes/no (yes the
stronger one), so each maps onto 0–100 without reversing. Its words, in every language, are
data in `instrument.json` beside this module: one source for the JSON definition (with each
question's `dimension`), the downloadable XLSForm (with a `dimension` column) and the
dimension of a question by its name, which the comparison falls back on when a stored
definition does not carry it.
"""

import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any


@dataclass(frozen=True)
class Dimension:
    code: str
    label: dict[str, str]  # for staff: tables, charts, the XLSForm's notes
    intro: dict[str, str]  # the note a vecino reads before its items


@dataclass(frozen=True)
class Item:
    name: str
    dimension: str
    type: str  # "scale" (1 to 5) or "yes_no"
    label: dict[str, str]


_DATA: dict[str, Any] = json.loads((Path(__file__).parent / "instrument.json").read_text(encoding="utf-8"))
DIMENSIONS: tuple[Dimension, ...] = tuple(Dimension(**d) for d in _DATA["dimensions"])
ITEMS: tuple[Item, ...] = tuple(Item(**i) for i in _DATA["items"])
DIMENSION_OF: dict[str, str] = {item.name: item.dimension for item in ITEMS}
DIMENSION_LABELS: dict[str, dict[str, str]] = {d.code: d.label for d in DIMENSIONS}
YES_NO: list[dict[str, Any]] = _DATA["yes_no"]
TITLE: dict[str, str] = _DATA["title"]
WELCOME: dict[str, str] = _DATA["welcome"]


def definition(title: dict[str, str] | None = None) -> dict[str, Any]:
    """The instrument as a survey definition (the JSON API's shape), each question with its `dimension`.

    Before each dimension's items a note introduces them to the vecino and names, for
    staff reading the definition, the dimension they measure (its own `dimension` too).
    """
    questions: list[dict[str, Any]] = [{"name": "bienvenida", "type": "note", "label": WELCOME}]
    for dimension in DIMENSIONS:
        questions.append({"name": f"nota_{dimension.code}", "type": "note", "label": dimension.intro,
                          "hint": dimension.label, "dimension": dimension.code})
        for item in ITEMS:
            if item.dimension != dimension.code:
                continue
            question: dict[str, Any] = {"name": item.name, "label": item.label, "required": True,
                                        "dimension": item.dimension}
            if item.type == "scale":
                question["type"] = "scale"
            else:
                question.update(type="select_one", choices=YES_NO)
            questions.append(question)
    return {"title": title or TITLE, "default_language": "es", "questions": questions}
