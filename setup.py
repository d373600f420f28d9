"""Build hook: the package carries the Babel catalogs, compiled.

The catalogs stay in the checkout's top-level `locales/` (where translators and
`pybabel update` find them). Building the package compiles each `.po` into
`conversations/kernel/locales/<locale>/LC_MESSAGES/messages.mo` inside it, where
conversations/kernel/i18n.py looks first; a catalog with errors stops the build.
An editable install reads `locales/` in the checkout and needs nothing here.
Everything else about the package is in pyproject.toml.
"""

from pathlib import Path

from setuptools import setup
from setuptools.command.build_py import build_py

SOURCE = Path(__file__).resolve().parent / "locales"
PACKAGED = Path("conversations", "kernel", "locales")
DOMAIN = "messages"


def compile_catalogs(source: Path, target: Path) -> list[Path]:
    """Babel's compile step (`pybabel compile`): every `<locale>/LC_MESSAGES/messages.po` to a `.mo`."""
    from babel.messages.mofile import write_mo
    from babel.messages.pofile import read_po

    written = []
    for po in sorted(source.glob(f"*/LC_MESSAGES/{DOMAIN}.po")):
        locale = po.parent.parent.name
        with po.open("rb") as handle:
            catalog = read_po(handle, locale=locale, domain=DOMAIN, abort_invalid=True)
        errors = [f"{po}: {message.id!r}: {error}" for message, problems in catalog.check() for error in problems]
        if errors:
            raise SystemExit("catalog errors:\n" + "\n".join(errors))
        mo = target / locale / "LC_MESSAGES" / f"{DOMAIN}.mo"
        mo.parent.mkdir(parents=True, exist_ok=True)
        with mo.open("wb") as handle:
            write_mo(handle, catalog)
        written.append(mo)
    if not written:
        raise SystemExit(f"no catalogs found under {source}")
    return written


class BuildWithCatalogs(build_py):
    """build_py, then the compiled catalogs into the built package."""

    def run(self) -> None:
        super().run()
        if not getattr(self, "editable_mode", False):
            compile_catalogs(SOURCE, Path(self.build_lib) / PACKAGED)


setup(cmdclass={"build_py": BuildWithCatalogs})
