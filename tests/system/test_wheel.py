"""The package as an operator installs it: a wheel, in a fresh virtual environment, outside the checkout.

Builds the wheel (`pip wheel --no-deps`), installs it alone into a new venv whose other
dependencies come from this test's own environment (a `.pth` line: offline and quick),
and runs the installed `accion-local` from an empty folder, where no `locales/` is near:
the migrations, the demo, and the console chat answering in Kreyòl and in English.
"""

import os
import site
import subprocess
import sys
import sysconfig
import zipfile
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def wheel(tmp_path_factory: pytest.TempPathFactory) -> Path:
    work = tmp_path_factory.mktemp("dist")
    subprocess.run([sys.executable, "-m", "pip", "wheel", "-q", "--no-deps", "--no-build-isolation",
                    "-w", str(work), str(ROOT)], check=True, cwd=work)
    (built,) = work.glob("accion_local-*.whl")
    return built


@pytest.fixture(scope="module")
def installed(wheel: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The `accion-local` command of a fresh venv holding only the built wheel."""
    work = tmp_path_factory.mktemp("wheel")
    venv = work / "venv"
    subprocess.run([sys.executable, "-m", "venv", "--without-pip", str(venv)], check=True)
    python = venv / "bin" / "python"
    purelib = subprocess.run([str(python), "-c", "import sysconfig; print(sysconfig.get_paths()['purelib'])"],
                             check=True, capture_output=True, text=True).stdout.strip()
    # The dependencies, from this environment; the package itself only from the wheel (site
    # directories listed in a .pth come after the venv's own, and their .pth files are not read).
    ours = {sysconfig.get_paths()["purelib"], *site.getsitepackages()}
    (Path(purelib) / "test-dependencies.pth").write_text("\n".join(sorted(ours)) + "\n")
    subprocess.run([sys.executable, "-m", "pip", "--python", str(python), "install", "-q", "--no-deps",
                    "--no-index", str(wheel)], check=True, cwd=work)
    return venv / "bin" / "accion-local"


def test_the_wheel_carries_every_file_of_the_packages_and_the_compiled_catalogs(wheel: Path) -> None:
    """Templates, migrations, static files: whatever the packages hold in the checkout, the wheel holds."""
    names = set(zipfile.ZipFile(wheel).namelist())
    for package in ("api", "bot", "conversations"):
        for path in (ROOT / package).rglob("*"):
            if path.is_file() and "__pycache__" not in path.parts and path.suffix != ".pyc":
                assert path.relative_to(ROOT).as_posix() in names, f"{path.relative_to(ROOT)} is not in the wheel"
    for locale in ("es", "ht", "en"):
        assert f"conversations/kernel/locales/{locale}/LC_MESSAGES/messages.mo" in names


def _run(command: Path, *args: str, cwd: Path, input: str | None = None) -> str:
    env = {key: value for key, value in os.environ.items()
           if key not in {"PYTHONPATH", "LOCALES_DIR", "ADMIN_TOKEN", "TELEGRAM_BOT_TOKEN", "WEBHOOK_URL"}}
    env["DATABASE_URL"] = f"sqlite:///{cwd / 'installed.db'}"
    done = subprocess.run([str(command), *args], cwd=cwd, env=env, input=input, capture_output=True, text=True,
                          timeout=120)
    assert done.returncode == 0, done.stderr
    return done.stdout


def test_the_installed_wheel_migrates_and_speaks_kreyol_and_english(installed: Path, tmp_path: Path) -> None:
    which = "import conversations; print(conversations.__file__)"
    where = subprocess.run([str(installed.parent / "python"), "-c", which], cwd=tmp_path, capture_output=True,
                           text=True, check=True).stdout
    assert str(ROOT) not in where  # the installed copy, not the checkout
    docs = ("from api.kernel.docs import SWAGGER_UI; "
            "print(all((SWAGGER_UI / name).is_file() for name in ('swagger-ui-bundle.js', 'swagger-ui.css')))")
    assert subprocess.run([str(installed.parent / "python"), "-c", docs], cwd=tmp_path, capture_output=True,
                          text=True, check=True).stdout.strip() == "True"  # /docs needs no CDN once installed

    _run(installed, "migrate", cwd=tmp_path)
    tables = subprocess.run(["sqlite3", str(tmp_path / "installed.db"), "select version_num from alembic_version"],
                            capture_output=True, text=True)
    if tables.returncode == 0:  # the sqlite3 tool may be missing; the demo below needs the tables anyway
        assert tables.stdout.strip()
    demo = _run(installed, "demo", cwd=tmp_path)
    code = demo.split("join code:")[1].split()[0]

    kreyol = _run(installed, "chat", "--join", code, "--as", "rose", cwd=tmp_path, input="2\n1\n/q\n")
    assert "Chwazi lang ou" in kreyol and "Ou dakò?" in kreyol and "Byenvini nan Acción Local" in kreyol
    english = _run(installed, "chat", "--join", code, "--as", "mary", cwd=tmp_path, input="3\n1\n/q\n")
    assert "Do you agree?" in english and "What would you like to do?" in english
