"""Layers point one way: conversations <- api <- adapters (bot/, web/), and each kernel stands alone.

Every import in every module counts, also one inside a function: a lazy import is still
a dependency.
"""

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
FEATURE_FOLDERS = ("barrios", "surveys", "convocatorias", "ballots")


def _imports(package: str, root: Path = ROOT) -> list[tuple[str, str]]:
    """(module file, imported module) for every import under `package`."""
    found = []
    for path in sorted((root / package).rglob("*.py")):
        for node in ast.walk(ast.parse(path.read_text(), str(path))):
            if isinstance(node, ast.Import):
                found += [(str(path.relative_to(root)), alias.name) for alias in node.names]
            elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
                found.append((str(path.relative_to(root)), node.module))
    return found


def _offending(package: str, forbidden: tuple[str, ...], under: str = "", root: Path = ROOT) -> list[str]:
    return [f"{where} imports {module}" for where, module in _imports(package, root)
            if where.startswith(under) and any(module == f or module.startswith(f + ".") for f in forbidden)]


def test_the_layers_are_real_packages() -> None:
    assert len(_imports("conversations")) > 50 and len(_imports("api")) > 100


def test_conversations_know_no_channel_driver_or_storage() -> None:
    forbidden = ("telegram", "sqlalchemy", "sqlmodel", "fastapi", "starlette", "httpx", "psycopg", "api", "bot", "web")
    assert _offending("conversations", forbidden) == []


def test_the_api_never_imports_an_adapter() -> None:
    assert _offending("api", ("bot", "telegram", "web")) == []


def test_the_web_console_is_an_adapter_of_the_api_not_of_telegram() -> None:
    assert _imports("web"), "web/ is a package with modules"
    assert _offending("web", ("bot", "telegram")) == []


@pytest.mark.parametrize("side", ["conversations", "api"])
def test_each_kernel_knows_no_feature(side: str) -> None:
    features = tuple(f"{side}.{name}" for name in FEATURE_FOLDERS)
    assert _offending(side, features, under=f"{side}/kernel/") == []


def test_the_check_catches_a_lazy_import(tmp_path: Path) -> None:
    (tmp_path / "api").mkdir()
    (tmp_path / "api" / "m.py").write_text("def serve():\n    from bot.main import FEATURES\n    return FEATURES\n")
    assert _offending("api", ("bot",), root=tmp_path) == ["api/m.py imports bot.main"]
