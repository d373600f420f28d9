"""XLSForm relevant/constraint expressions, evaluated without Python's eval."""

import pytest

from conversations.surveys.expr import ExpressionError, evaluate, parse, references

ANSWERS = {"sexo": "f", "edad": 34, "problemas": ["basura", "trabajo"], "nombre": "", "nota": 2.5}


@pytest.mark.parametrize(("expression", "current", "expected"), [
    ("${sexo} = 'f'", None, True),
    ("${sexo} != 'f'", None, False),
    ('${sexo} = "m" or ${edad} >= 18', None, True),
    ("${edad} > 18 and ${edad} < 30", None, False),
    ("not(${edad} < 18)", None, True),
    ("selected(${problemas}, 'basura')", None, True),
    ("selected(${problemas}, 'luz')", None, False),
    ("count-selected(${problemas}) <= 3", None, True),
    ("${nombre} = ''", None, True),
    ("${sin_respuesta} > 3", None, False),  # unanswered compares false, as in ODK
    (". >= 0 and . <= 100", 150, False),
    (". >= 0 and . <= 100", 12, True),
    ("string-length(.) <= 5", "hola", True),
    ("${edad} + 1 = 35", None, True),
    ("${nota} * 2 = 5", None, True),
    ("${edad} mod 2 = 0", None, True),
    ("(${sexo} = 'f' or ${sexo} = 'm') and not(selected(${problemas}, 'luz'))", None, True),
    ("-1 < 0", None, True),
    ("true()", None, True),
])
def test_expressions(expression: str, current: object, expected: bool) -> None:
    assert evaluate(parse(expression), ANSWERS, current) is expected


@pytest.mark.parametrize("expression", [
    "__import__('os').system('ls')",
    "${a} = ",
    "${a} === 'x'",
    "selected(${a})",
    "(${a} = 1",
    "${a} = 1 ${b}",
    "open('x')",
])
def test_anything_else_is_rejected(expression: str) -> None:
    with pytest.raises(ExpressionError):
        parse(expression)


def test_references_are_found() -> None:
    assert references(parse("selected(${a}, 'x') and not(${b} > ${c})")) == {"a", "b", "c"}
