"""A small, safe evaluator for XLSForm `relevant` and `constraint` expressions.

Supports what ejecutores write in KoBoToolbox/ODK forms: `${q}` references, `.` (the
answer being checked), strings, numbers, `= != < <= > >=`, `+ - * div mod`, `and`, `or`,
and the functions `not()`, `selected()`, `count-selected()`, `string-length()`,
`true()`, `false()`. Expressions are parsed into a tuple tree once and evaluated by
walking it: nothing is ever handed to Python's `eval`.
"""

import re
from collections.abc import Mapping
from typing import Any

Node = tuple[Any, ...]
Answers = Mapping[str, Any]


class ExpressionError(ValueError):
    """The expression cannot be parsed (the message says where)."""


_TOKEN = re.compile(r"""
    \s*(?:
      (?P<ref>\$\{[A-Za-z_][\w.-]*\})
    | (?P<number>\d+(?:\.\d+)?|\.\d+)
    | (?P<string>'[^']*'|"[^"]*")
    | (?P<op>!=|<=|>=|=|<|>|\+|-|\*|\(|\)|,)
    | (?P<name>[A-Za-z_][\w-]*)
    | (?P<dot>\.)
    )""", re.VERBOSE)
_FUNCTIONS = {"not": 1, "selected": 2, "count-selected": 1, "string-length": 1, "true": 0, "false": 0}


def parse(text: str) -> Node:
    """The expression tree of `text`; ExpressionError when it is not a supported expression."""
    tokens = _tokenize(text)
    parser = _Parser(tokens, text)
    tree = parser.expression()
    if parser.peek() is not None:
        raise ExpressionError(f"unexpected {parser.peek()[1]!r} in {text!r}")  # type: ignore[index]
    return tree


def references(tree: Node) -> set[str]:
    """The question names `${...}` used in a tree."""
    if tree[0] == "ref":
        return {tree[1]}
    found: set[str] = set()
    for child in tree[1:]:
        if isinstance(child, tuple):
            found |= references(child)
        elif isinstance(child, list):
            for item in child:
                found |= references(item)
    return found


def evaluate(tree: Node, answers: Answers, current: Any = None) -> bool:
    """Whether the expression holds for these answers (`current` is `.`)."""
    return _truthy(_value(tree, answers, current))


def _tokenize(text: str) -> list[tuple[str, str]]:
    tokens: list[tuple[str, str]] = []
    position = 0
    text = text.rstrip()
    while position < len(text):
        match = _TOKEN.match(text, position)
        if match is None or match.end() == position:
            raise ExpressionError(f"cannot read {text[position:].strip()[:20]!r} in {text!r}")
        kind = match.lastgroup or ""
        tokens.append((kind, match.group(kind)))
        position = match.end()
    return tokens


class _Parser:
    def __init__(self, tokens: list[tuple[str, str]], text: str) -> None:
        self.tokens, self.position, self.text = tokens, 0, text

    def peek(self) -> tuple[str, str] | None:
        return self.tokens[self.position] if self.position < len(self.tokens) else None

    def take(self) -> tuple[str, str]:
        token = self.peek()
        if token is None:
            raise ExpressionError(f"{self.text!r} ends too early")
        self.position += 1
        return token

    def accept(self, *values: str) -> str | None:
        token = self.peek()
        if token is not None and token[0] in ("op", "name") and token[1] in values:
            self.position += 1
            return token[1]
        return None

    def expect(self, value: str) -> None:
        if self.accept(value) is None:
            raise ExpressionError(f"expected {value!r} in {self.text!r}")

    def expression(self) -> Node:
        node = self.conjunction()
        while self.accept("or"):
            node = ("or", node, self.conjunction())
        return node

    def conjunction(self) -> Node:
        node = self.comparison()
        while self.accept("and"):
            node = ("and", node, self.comparison())
        return node

    def comparison(self) -> Node:
        node = self.sum()
        operator = self.accept("=", "!=", "<", "<=", ">", ">=")
        if operator:
            node = ("cmp", operator, node, self.sum())
        return node

    def sum(self) -> Node:
        node = self.product()
        while operator := self.accept("+", "-"):
            node = ("math", operator, node, self.product())
        return node

    def product(self) -> Node:
        node = self.unary()
        while operator := self.accept("*", "div", "mod"):
            node = ("math", operator, node, self.unary())
        return node

    def unary(self) -> Node:
        if self.accept("-"):
            return ("math", "-", ("lit", 0.0), self.unary())
        return self.primary()

    def primary(self) -> Node:
        kind, value = self.take()
        if kind == "ref":
            return ("ref", value[2:-1])
        if kind == "number":
            return ("lit", float(value))
        if kind == "string":
            return ("lit", value[1:-1])
        if kind == "dot":
            return ("dot",)
        if kind == "op" and value == "(":
            node = self.expression()
            self.expect(")")
            return node
        if kind == "name" and value in _FUNCTIONS:
            self.expect("(")
            args: list[Node] = []
            if self.accept(")") is None:
                args.append(self.expression())
                while self.accept(","):
                    args.append(self.expression())
                self.expect(")")
            if len(args) != _FUNCTIONS[value]:
                raise ExpressionError(f"{value}() takes {_FUNCTIONS[value]} argument(s) in {self.text!r}")
            return ("call", value, args)
        raise ExpressionError(f"unexpected {value!r} in {self.text!r}")


def _value(node: Node, answers: Answers, current: Any) -> Any:
    match node[0]:
        case "lit":
            return node[1]
        case "ref":
            return _plain(answers.get(node[1]))
        case "dot":
            return _plain(current)
        case "or":
            return evaluate(node[1], answers, current) or evaluate(node[2], answers, current)
        case "and":
            return evaluate(node[1], answers, current) and evaluate(node[2], answers, current)
        case "cmp":
            return _compare(node[1], _value(node[2], answers, current), _value(node[3], answers, current))
        case "math":
            return _math(node[1], _value(node[2], answers, current), _value(node[3], answers, current))
        case "call":
            args = [_value(arg, answers, current) for arg in node[2]]
            return _call(node[1], args)
    raise ExpressionError(f"unknown node {node[0]!r}")


def _plain(value: Any) -> Any:
    """Answers as XLSForm sees them: missing is '', multiple choices are space-separated."""
    if value is None:
        return ""
    if isinstance(value, list):
        return " ".join(str(item) for item in value)
    if isinstance(value, bool):
        return "true" if value else "false"
    return value


def _number(value: Any) -> float | None:
    if isinstance(value, int | float):
        return float(value)
    try:
        return float(str(value))
    except ValueError:
        return None


def _compare(operator: str, left: Any, right: Any) -> bool:
    a, b = _number(left), _number(right)
    if a is None or b is None or left == "" or right == "":
        a, b = str(left), str(right)  # type: ignore[assignment]
        if operator not in ("=", "!=") and (left == "" or right == ""):
            return False
    return {
        "=": a == b, "!=": a != b, "<": a < b, "<=": a <= b, ">": a > b, ">=": a >= b,  # type: ignore[operator]
    }[operator]


def _math(operator: str, left: Any, right: Any) -> float:
    a, b = _number(left), _number(right)
    if a is None or b is None:
        return float("nan")
    if operator in ("div", "mod") and b == 0:
        return float("nan")
    return {"+": a + b, "-": a - b, "*": a * b, "div": a / b if b else 0.0, "mod": a % b if b else 0.0}[operator]


def _call(name: str, args: list[Any]) -> Any:
    if name == "not":
        return not _truthy(args[0])
    if name == "selected":
        return str(args[1]) in str(args[0]).split()
    if name == "count-selected":
        return float(len(str(args[0]).split()))
    if name == "string-length":
        return float(len(str(args[0])))
    return name == "true"


def _truthy(value: Any) -> bool:
    if isinstance(value, bool):
        return value
    if isinstance(value, float):
        return value == value and value != 0
    return value != ""
