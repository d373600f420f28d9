"""A small, safe evaluator for XLSForm expressions (`relevant`, `constraint`, `calculation`, `choice_filter`).

Supports what ejecutores write in KoBoToolbox/ODK forms: `${q}` references, `.` (the
answer being checked), bare names (a choice's columns, in a `choice_filter`), strings,
numbers, `= != < <= > >=`, `+ - * div mod`, `and`, `or`, and the functions in
`FUNCTIONS`. In a form with repeats the answers handed in may say where the expression
stands (`position`, the instance) and give every instance's value of a repeated question
(`nodes(name)`): then `count()`, `sum()`, `max()`, `min()` and `indexed-repeat()` read all
instances (but, as pyxform writes paths, count() and sum() of a sibling inside its own repeat
read just this instance), and `position(..)` is the current instance's number. Expressions are parsed into
a tuple tree once and evaluated by walking it: nothing is ever handed to Python's `eval`.
Length and nesting are bounded, so a pathological expression is an `ExpressionError` when
the form is loaded, never a RecursionError while a vecino answers.
"""

import math
import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import date, datetime, timedelta, tzinfo
from decimal import ROUND_HALF_UP, Decimal
from typing import Any
from zoneinfo import ZoneInfo

Node = tuple[Any, ...]
Answers = Mapping[str, Any]

MAX_LENGTH = 2000  # characters of one expression
MAX_DEPTH = 40  # nesting of the tree (parentheses, calls, chained operators)
MAX_REGEX = 200  # characters of a regex() pattern


class ExpressionError(ValueError):
    """The expression cannot be parsed (the message says where)."""


_TOKEN = re.compile(r"""
    \s*(?:
      (?P<ref>\$\{[A-Za-z_][\w.-]*\})
    | (?P<number>\d+(?:\.\d+)?|\.\d+)
    | (?P<string>'[^']*'|"[^"]*")
    | (?P<op>!=|<=|>=|=|<|>|\+|-|\*|\(|\)|,)
    | (?P<name>[A-Za-z_][\w.-]*(?::[A-Za-z_][\w-]*)?)
    | (?P<parent>\.\.)
    | (?P<dot>\.)
    )""", re.VERBOSE)
# name -> (fewest, most) arguments; None: any number
FUNCTIONS: dict[str, tuple[int, int | None]] = {
    "not": (1, 1), "true": (0, 0), "false": (0, 0), "boolean": (1, 1),
    "selected": (2, 2), "count-selected": (1, 1), "selected-at": (2, 2), "jr:choice-name": (2, 2),
    "string-length": (1, 1), "concat": (0, None), "substr": (2, 3), "contains": (2, 2),
    "starts-with": (2, 2), "ends-with": (2, 2), "regex": (2, 2), "string": (1, 1), "normalize-space": (1, 1),
    "if": (3, 3), "coalesce": (2, 2),
    "round": (1, 2), "int": (1, 1), "number": (1, 1), "abs": (1, 1), "pow": (2, 2), "max": (1, None),
    "min": (1, None),
    "today": (0, 0), "now": (0, 0), "date": (1, 1), "format-date": (2, 2), "format-date-time": (2, 2),
    "position": (0, 1), "count": (1, 1), "count-non-empty": (1, 1), "sum": (1, 1), "indexed-repeat": (3, 3),
}
# functions that read every instance of a repeated question given as their argument
AGGREGATES = frozenset({"count", "count-non-empty", "sum", "max", "min", "indexed-repeat"})
Nodes = Callable[[str, bool], list[Any] | None]  # a repeated question's value in every instance; None: just one
_KEYWORDS = {"and", "or", "div", "mod"}
EPOCH = date(1970, 1, 1)
SANTIAGO = ZoneInfo("America/Santiago")  # where the programme runs; a barrio may be elsewhere


@dataclass(frozen=True)
class Scope:
    """What an expression can see: the answers, `.`, a choice's columns, and choice labels."""

    answers: Answers
    current: Any = None
    row: Mapping[str, Any] | None = None  # the choice a choice_filter is checking
    choice_name: Callable[[str, str], str] | None = None  # (value, question) -> label, for jr:choice-name
    zone: tzinfo = SANTIAGO  # the barrio's time zone: today() and now() are its date and time

    @property
    def position(self) -> int:
        """The number of the repeat instance the expression is evaluated in (0 outside repeats)."""
        return getattr(self.answers, "position", 0)

    def nodes(self, name: str, absolute: bool = False) -> list[Any] | None:
        """Every instance's answer to a repeated question (or the repeat's instances); None if not repeated,
        or (unless `absolute`) when it is a sibling in the same repeat, which is this instance's answer only."""
        found: Nodes | None = getattr(self.answers, "nodes", None)
        return found(name, absolute) if found is not None else None


def parse(text: str) -> Node:
    """The expression tree of `text`; ExpressionError when it is not a supported expression."""
    if len(text) > MAX_LENGTH:
        raise ExpressionError(f"the expression is longer than {MAX_LENGTH} characters")
    tokens = _tokenize(text)
    parser = _Parser(tokens, text)
    tree = parser.expression()
    if parser.peek() is not None:
        raise ExpressionError(f"unexpected {parser.peek()[1]!r} in {text!r}")  # type: ignore[index]
    if _depth(tree) > MAX_DEPTH:
        raise ExpressionError(f"the expression nests more than {MAX_DEPTH} levels: {text[:40]!r}...")
    return tree


def references(tree: Node) -> set[str]:
    """The question names `${...}` used in a tree."""
    return {node[1] for node in _nodes(tree) if node[0] == "ref"}


def clocked(tree: Node) -> bool:
    """Whether the value depends on the time of day (today(), now()), not only on the answers."""
    return any(node[0] == "call" and node[1] in ("today", "now") for node in _nodes(tree))


def instanced(tree: Node) -> bool:
    """Whether the value depends on more than the answers it names: all instances of a repeat, or where it stands."""
    return any(node[0] == "call" and (node[1] in AGGREGATES or node[1] == "position") for node in _nodes(tree))


def columns(tree: Node) -> set[str]:
    """The bare names (choice columns) used in a tree."""
    return {node[1] for node in _nodes(tree) if node[0] == "col"}


def evaluate(tree: Node, answers: Answers, current: Any = None, **scope: Any) -> bool:
    """Whether the expression holds for these answers (`current` is `.`)."""
    return _truthy(_value(tree, Scope(answers, current, **scope)))


def value(tree: Node, answers: Answers, **scope: Any) -> Any:
    """The expression's value (a calculation): a string, a number (int when whole) or a bool."""
    result = _value(tree, Scope(answers, **scope))
    if isinstance(result, float):
        if result != result or math.isinf(result):
            return ""
        if result.is_integer():
            return int(result)
    return result


def _nodes(tree: Node) -> list[Node]:
    """Every node of the tree, without recursion."""
    found, stack = [], [tree]
    while stack:
        node = stack.pop()
        found.append(node)
        for child in node[1:]:
            if isinstance(child, tuple):
                stack.append(child)
            elif isinstance(child, list):
                stack.extend(child)
    return found


def _depth(tree: Node) -> int:
    deepest, stack = 0, [(tree, 1)]
    while stack:
        node, level = stack.pop()
        deepest = max(deepest, level)
        for child in node[1:]:
            if isinstance(child, tuple):
                stack.append((child, level + 1))
            elif isinstance(child, list):
                stack.extend((item, level + 1) for item in child)
    return deepest


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
        self.tokens, self.position, self.text, self.nesting = tokens, 0, text, 0

    def peek(self, ahead: int = 0) -> tuple[str, str] | None:
        at = self.position + ahead
        return self.tokens[at] if at < len(self.tokens) else None

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

    def nest(self) -> None:
        """One more level of parentheses, call or sign; bounded before Python's own stack is."""
        self.nesting += 1
        if self.nesting > MAX_DEPTH:
            raise ExpressionError(f"the expression nests more than {MAX_DEPTH} levels: {self.text[:40]!r}...")

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
            self.nest()
            node = ("math", "-", ("lit", 0.0), self.unary())
            self.nesting -= 1
            return node
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
        if kind == "parent":
            raise ExpressionError(f"'..' is understood only as position(..) in {self.text!r}")
        if kind == "op" and value == "(":
            self.nest()
            node = self.expression()
            self.expect(")")
            self.nesting -= 1
            return node
        following = self.peek()
        if kind == "name" and following is not None and following == ("op", "("):
            return self.call(value)
        if kind == "name" and value not in _KEYWORDS and ":" not in value:
            return ("col", value)
        raise ExpressionError(f"unexpected {value!r} in {self.text!r}")

    def call(self, name: str) -> Node:
        if name not in FUNCTIONS:
            raise ExpressionError(f"the function {name}() is not supported in {self.text!r}")
        self.expect("(")
        self.nest()
        args: list[Node] = []
        if name == "position" and self.peek() == ("parent", ".."):
            self.take()  # position(..): the instance of the repeat around the question
            self.expect(")")
        elif self.accept(")") is None:
            args.append(self.expression())
            while self.accept(","):
                args.append(self.expression())
            self.expect(")")
        self.nesting -= 1
        fewest, most = FUNCTIONS[name]
        if len(args) < fewest or (most is not None and len(args) > most):
            wanted = str(fewest) if fewest == most else f"{fewest} or more" if most is None else f"{fewest} to {most}"
            raise ExpressionError(f"{name}() takes {wanted} argument(s) in {self.text!r}")
        if name == "regex":
            _check_pattern(args[1], self.text)
        if name == "position" and args:
            raise ExpressionError(f"write position(..) for the number of the repeat's instance in {self.text!r}")
        return ("call", name, args)


def _value(node: Node, scope: Scope) -> Any:
    match node[0]:
        case "lit":
            return node[1]
        case "ref":
            return _plain(scope.answers.get(node[1]))
        case "dot":
            return _plain(scope.current)
        case "col":
            return _plain((scope.row or {}).get(node[1]))
        case "or":
            return _truthy(_value(node[1], scope)) or _truthy(_value(node[2], scope))
        case "and":
            return _truthy(_value(node[1], scope)) and _truthy(_value(node[2], scope))
        case "cmp":
            return _compare(node[1], _value(node[2], scope), _value(node[3], scope))
        case "math":
            return _math(node[1], _value(node[2], scope), _value(node[3], scope))
        case "call":
            if node[1] == "if":  # only the branch taken is evaluated
                condition, then, otherwise = node[2]
                return _value(then if _truthy(_value(condition, scope)) else otherwise, scope)
            if node[1] in AGGREGATES or node[1] == "position":
                return _aggregate(node[1], node[2], scope)
            return _call(node[1], [_value(arg, scope) for arg in node[2]], scope)
    raise ExpressionError(f"unknown node {node[0]!r}")


def _aggregate(name: str, args: list[Node], scope: Scope) -> Any:
    """The functions that read a repeated question in every instance (a plain value counts as one)."""
    if name == "position":
        return float(scope.position)
    if name == "indexed-repeat":
        values, at = _nodeset(args[0], scope, absolute=True), _number(_value(args[2], scope))
        return values[int(at) - 1] if at is not None and at == at and 1 <= at <= len(values) else ""
    values = [value for arg in args for value in _nodeset(arg, scope)]
    match name:
        case "count":
            return float(len(values))
        case "count-non-empty":
            return float(sum(1 for value in values if value != ""))
        case "sum":
            numbers = [_number(value) for value in values]
            return float("nan") if any(n is None for n in numbers) else float(sum(numbers))  # type: ignore[arg-type]
    return _call(name, values, scope) if values else float("nan")  # max, min


def _nodeset(node: Node, scope: Scope, absolute: bool = False) -> list[Any]:
    """A `${name}` argument's values in every instance when it is repeated, else its one value. As pyxform
    writes paths, a sibling in the same repeat is this instance's node, except in indexed-repeat()."""
    if node[0] == "ref":
        values = scope.nodes(node[1], absolute)
        if values is not None:
            return [_plain(value) for value in values]
    return [_value(node, scope)]


def _plain(value: Any) -> Any:
    """Answers as XLSForm sees them: missing is '', multiple choices are space-separated."""
    if value is None:
        return ""
    if isinstance(value, list):
        return " ".join(str(item) for item in value)
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int):
        return float(value)
    return value


_DATE = re.compile(r"(\d{4})-(\d{2})-(\d{2})(?:[T ](\d{2}):(\d{2})(?::(\d{2}))?)?")


def _moment(value: Any) -> datetime | None:
    """A date or date-time written as XLSForm stores them (ISO), else None."""
    match = _DATE.match(str(value)) if isinstance(value, str) else None
    if match is None:
        return None
    try:
        parts = [int(p) if p else 0 for p in match.groups()]
        return datetime(*parts)  # type: ignore[arg-type, misc]
    except ValueError:
        return None


def _number(value: Any) -> float | None:
    """Numbers as XPath converts them: dates count days since 1970-01-01; '' and text are None."""
    if isinstance(value, bool):
        return 1.0 if value else 0.0
    if isinstance(value, int | float):
        return float(value)
    moment = _moment(value)
    if moment is not None:
        return (moment - datetime(1970, 1, 1)).total_seconds() / 86400
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
    results = {"+": a + b, "-": a - b, "*": a * b, "div": a / b if b else 0.0, "mod": math.fmod(a, b) if b else 0.0}
    return results[operator]


def _text(value: Any) -> str:
    if isinstance(value, float):
        if value != value:
            return "NaN"
        return str(int(value)) if value.is_integer() else str(value)
    if isinstance(value, bool):
        return "true" if value else "false"
    return str(value)


def _call(name: str, args: list[Any], scope: Scope) -> Any:  # noqa: C901, PLR0911, PLR0912 - one table of functions
    match name:
        case "not":
            return not _truthy(args[0])
        case "true" | "false":
            return name == "true"
        case "boolean":
            return _truthy(args[0])
        case "selected":
            return _text(args[1]) in _text(args[0]).split()
        case "count-selected":
            return float(len(_text(args[0]).split()))
        case "selected-at":
            chosen, at = _text(args[0]).split(), _number(args[1])
            return chosen[int(at)] if at is not None and 0 <= at < len(chosen) else ""
        case "jr:choice-name":
            question = re.sub(r"^\$\{(.*)\}$", r"\1", _text(args[1]).strip())
            return scope.choice_name(_text(args[0]), question) if scope.choice_name else _text(args[0])
        case "string-length":
            return float(len(_text(args[0])))
        case "concat":
            return "".join(_text(arg) for arg in args)
        case "substr":
            text, start = _text(args[0]), int(_number(args[1]) or 0)
            end = int(_number(args[2]) or 0) if len(args) == 3 else len(text)
            return text[max(start, 0):max(end, 0)]
        case "contains":
            return _text(args[1]) in _text(args[0])
        case "starts-with":
            return _text(args[0]).startswith(_text(args[1]))
        case "ends-with":
            return _text(args[0]).endswith(_text(args[1]))
        case "regex":
            return _regex(_text(args[0]), _text(args[1]))
        case "string":
            return _text(args[0])
        case "normalize-space":
            return " ".join(_text(args[0]).split())
        case "coalesce":
            return args[0] if args[0] != "" else args[1]
        case "round":
            number, digits = _number(args[0]), int(_number(args[1]) or 0) if len(args) == 2 else 0
            return _round(number, digits)
        case "int":
            number = _number(args[0])
            return float("nan") if number is None or number != number else float(math.trunc(number))
        case "number":
            number = _number(args[0])
            return float("nan") if number is None else number
        case "abs":
            number = _number(args[0])
            return float("nan") if number is None else abs(number)
        case "pow":
            base, exponent = _number(args[0]), _number(args[1])
            if base is None or exponent is None or abs(exponent) > 1000:
                return float("nan")
            try:
                return float(base ** exponent)
            except (OverflowError, ZeroDivisionError):
                return float("nan")
        case "max" | "min":
            numbers = [_number(arg) for arg in args]
            if any(n is None for n in numbers):
                return float("nan")
            return (max if name == "max" else min)(numbers)  # type: ignore[type-var]
        case "today":
            return datetime.now(scope.zone).date().isoformat()
        case "now":  # with its offset, as ODK writes it: 2026-11-29T09:15:00-03:00
            return datetime.now(scope.zone).replace(microsecond=0).isoformat()
        case "date":
            return _date(args[0])
        case "format-date" | "format-date-time":
            moment = _moment(_date(args[0]) if isinstance(args[0], float) else args[0])
            return _format(moment, _text(args[1])) if moment is not None else ""
    raise ExpressionError(f"unknown function {name!r}")


def _round(number: float | None, digits: int) -> float:
    """XPath rounds halves up (2.5 -> 3), not to even as Python's round() does."""
    if number is None or number != number or math.isinf(number) or not -20 <= digits <= 20:
        return float("nan")
    exponent = Decimal(1).scaleb(-digits)
    return float(Decimal(repr(number)).quantize(exponent, rounding=ROUND_HALF_UP))


def _date(value: Any) -> str:
    """date(): a day count since 1970-01-01 or an ISO text, as an ISO date."""
    if isinstance(value, float):
        if value != value or abs(value) > 3_000_000:
            return ""
        return (EPOCH + timedelta(days=math.floor(value))).isoformat()
    moment = _moment(value)
    return moment.date().isoformat() if moment else ""


_FORMATS = {"%Y": "%Y", "%y": "%y", "%m": "%m", "%d": "%d", "%H": "%H", "%M": "%M", "%S": "%S",
            "%b": "%b", "%a": "%a", "%h": "%H"}


def _format(moment: datetime, pattern: str) -> str:
    """format-date(): ODK's %Y %y %m %n %d %e %H %h %M %S %a %b, other text kept."""
    def one(match: re.Match[str]) -> str:
        code = match.group(0)
        if code == "%n":
            return str(moment.month)
        if code == "%e":
            return str(moment.day)
        return moment.strftime(_FORMATS[code]) if code in _FORMATS else code

    return re.sub(r"%[a-zA-Z]", one, pattern)


# a repeated group that itself repeats, "(a+)+": Python's re can take forever on such a pattern
_REPEATS = r"(?:[+*]|\{\d*,\d*\})"  # +, *, {2,}, {1,3}; not a fixed {2}
_NESTED_REPETITION = re.compile(rf"\((?:[^()\\]|\\.)*{_REPEATS}(?:[^()\\]|\\.)*\)\s*{_REPEATS}")


def _check_pattern(node: Node, text: str) -> None:
    """regex()'s pattern: written as text, valid, short, and with no nested repetition."""
    if node[0] != "lit" or not isinstance(node[1], str):
        raise ExpressionError(f"regex() needs its pattern written between quotes in {text!r}")
    pattern = node[1]
    if len(pattern) > MAX_REGEX:
        raise ExpressionError(f"the regex() pattern is longer than {MAX_REGEX} characters")
    if _NESTED_REPETITION.search(pattern):
        raise ExpressionError(f"the regex() pattern {pattern!r} repeats a group that repeats; it could take "
                              "forever to check (write it without the outer repetition)")
    try:
        re.compile(pattern)
    except re.error as error:
        raise ExpressionError(f"the regex() pattern {pattern!r} is not valid: {error}") from error


def _regex(text: str, pattern: str) -> bool:
    if len(pattern) > MAX_REGEX:
        return False
    try:
        return re.search(pattern, text[:1000]) is not None
    except re.error:
        return False


def _truthy(value: Any) -> bool:
    if isinstance(value, bool):
        return value
    if isinstance(value, float):
        return value == value and value != 0
    return value != ""
