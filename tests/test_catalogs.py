"""The Babel catalogs are complete, current and consistent with the source.

Fails when a vecino-facing string is missing from a catalog, when `locales/messages.pot`
is out of date (run the extract/update commands in the README), when a translation is
fuzzy or empty, or when placeholders differ between the source and a translation.
"""

import ast
import string
from pathlib import Path

import pytest
from babel.messages.catalog import Catalog
from babel.messages.extract import extract_from_dir
from babel.messages.pofile import read_po

from conversations.kernel.i18n import LOCALES_DIR, SOURCE_LOCALE, SUPPORTED, Translator

ROOT = Path(__file__).resolve().parent.parent
SOURCE_DIRS = ("conversations", "bot", "web", "api")
# How each folder's strings are found: Python everywhere, and the console's Jinja2 templates.
METHODS = [("**.py", "python"), ("templates/**.html", "jinja2")]
TRANSLATED = [locale for locale in SUPPORTED if locale != SOURCE_LOCALE]


def _extracted() -> set[str | tuple[str, str]]:
    found: set[str | tuple[str, str]] = set()
    for folder in SOURCE_DIRS:
        for _file, _line, message, _comments, _context in extract_from_dir(
            ROOT / folder, method_map=METHODS
        ):
            found.add(message if isinstance(message, str) else tuple(message[:2]))  # type: ignore[arg-type]
    return found


def _catalog(path: Path) -> Catalog:
    with path.open("rb") as handle:
        return read_po(handle)


def _ids(catalog: Catalog) -> set[str | tuple[str, str]]:
    return {m.id if isinstance(m.id, str) else tuple(m.id) for m in catalog if m.id}  # type: ignore[misc]


def _fields(text: str) -> set[str]:
    return {name for _, name, _, _ in string.Formatter().parse(text) if name}


def test_template_is_current() -> None:
    template = _ids(_catalog(LOCALES_DIR / "messages.pot"))
    source = _extracted()
    assert not source - template, f"strings missing from messages.pot (run pybabel extract): {source - template}"
    assert not template - source, f"strings in messages.pot no longer in the code: {template - source}"


@pytest.mark.parametrize("locale", SUPPORTED)
def test_every_string_is_in_the_catalog(locale: str) -> None:
    catalog = _catalog(LOCALES_DIR / locale / "LC_MESSAGES" / "messages.po")
    missing = _extracted() - _ids(catalog)
    assert not missing, f"{locale}: run pybabel update; missing {missing}"


@pytest.mark.parametrize("locale", TRANSLATED)
def test_every_string_is_translated_with_the_same_placeholders(locale: str) -> None:
    catalog = _catalog(LOCALES_DIR / locale / "LC_MESSAGES" / "messages.po")
    for message in catalog:
        if not message.id:
            continue
        sources = [message.id] if isinstance(message.id, str) else list(message.id)
        targets = [message.string] if isinstance(message.string, str) else list(message.string)
        assert not message.fuzzy, f"{locale}: fuzzy translation of {sources[0]!r}"
        assert all(targets), f"{locale}: no translation of {sources[0]!r}"
        expected = set().union(*(_fields(s) for s in sources))
        for target in targets:
            assert _fields(target) <= expected and _fields(target) >= _fields(sources[0]) - {"n"}, (
                f"{locale}: placeholders differ in {sources[0]!r} -> {target!r}"
            )


def test_translations_are_used() -> None:
    assert Translator("en")._("Mis datos") == "My data"
    assert Translator("es")._("Mis datos") == "Mis datos"


def test_no_formatted_strings_inside_gettext() -> None:
    """`_(f"...")` would make a msgid that no catalog can contain."""
    for folder in SOURCE_DIRS:
        for path in (ROOT / folder).rglob("*.py"):
            for node in ast.walk(ast.parse(path.read_text())):
                if isinstance(node, ast.Call) and _name(node.func) in ("_", "ngettext") and node.args:
                    first = node.args[0]
                    assert not isinstance(first, ast.JoinedStr | ast.BinOp), f"{path}:{node.lineno}"


def _name(func: ast.expr) -> str:
    if isinstance(func, ast.Name):
        return func.id
    return func.attr if isinstance(func, ast.Attribute) else ""
