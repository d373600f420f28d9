"""Every ```sh block of the README, in a fresh checkout: run exactly as written, or listed here with why not.

The checkout is `git archive` of HEAD. So that installing takes seconds, not minutes, the
checkout's `.venv` is made first, then given a `.pth` line to this environment's packages,
as tests/system/test_wheel.py does: the README's `python3 -m venv .venv` then keeps it, and
its `pip install -e .` finds every dependency installed and installs only the project. The
blocks run in bash, in the README's order, through tests/system/readme_commands.py, in a
network namespace of their own (`unshare -n`), where the servers the README starts on port
8000 meet no other; pip's configured indexes still work there when they are local (file://).

What runs, and what each must show:

- "Two commands": install and `serve --demo` (/health, the printed API token works), then the
  console chat with the printed join code (`<JOIN CODE>` in the block) reaches the menu.
- "Using the API": after stopping the demo server, as the block says, the whole block: a new
  ADMIN_TOKEN, `serve &` with it, the ejecutor created with it, then the barrio created with
  the ejecutor's token (the block's `al_...`): both answers are checked.
- "Backups": the SQLite command while that server runs, on the checkout's database (the
  block's /var/lib/accion-local/) into a folder of the checkout (its /var/backups/accion-local/);
  the copy is checked. The pg_dump command runs, outside the namespace, when TEST_DATABASE_URL
  names a PostgreSQL (as the storage tests do): `DATABASE_URL` is that server's `postgres`
  database, without `+psycopg` as the block's note says.
- Performance: the command lines whose block says "append ..." run with those tiny sizes
  appended. The other benchmark lines are listed in NOT_RUN; their module and every flag
  they use are checked against the script.

A README ```sh block that is neither run here nor in NOT_RUN fails the test, so the README
cannot grow an untested command.
"""

import json
import os
import re
import shutil
import site
import subprocess
import sys
import sysconfig
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]

pytestmark = pytest.mark.slow

_BENCH_AT_CI = ("its script runs at a tiny size in .ci/run (tests/test_bench.py checks that every script under "
                "bench/ does); at the README's size it takes minutes, and all the benchmarks at their tiny sizes "
                "take about two minutes on this 2-core machine, more than this test may. Its module and flags are "
                "checked against the script below")

# Each block exactly as in the README (a changed block must be looked at again), and why it is not run.
NOT_RUN = {
    "python3 -m venv .venv && .venv/bin/pip install -e '.[test]' && .venv/bin/pytest\n":
        "the whole test suite, this test among them (7+ minutes); .ci/run runs this very line",
    "export DATABASE_URL=postgresql://accion@db.internal/accion\n"
    "export TELEGRAM_BOT_TOKEN=123456:ABC...  WEBHOOK_URL=https://accion.example.org  "
    "WEBHOOK_SECRET=$(openssl rand -hex 24)\n"
    "export ADMIN_TOKEN=$(openssl rand -hex 24)\n"
    "accion-local serve --host 0.0.0.0 --port 8000     # behind TLS (nginx, Caddy) at WEBHOOK_URL\n":
        "a deployment: needs a PostgreSQL server at db.internal, a real bot token from BotFather, a public "
        "HTTPS URL Telegram can reach, and the installed wheel's `accion-local` on PATH "
        "(tests/system/test_wheel.py and test_two_processes.py run the same serve on PostgreSQL with a fake Telegram)",
    "/opt/accion-local/venv/bin/pip install --upgrade dist/accion_local-*.whl\n"
    "sudo -u accion /opt/accion-local/venv/bin/accion-local migrate   # optional: serve runs the migrations at start\n"
    "systemctl restart accion-local@8000                               # then @8001, ... one at a time\n":
        "needs root, the `accion` system user, the server's venv under /opt and the systemd unit "
        "(tests/system/test_wheel.py installs the wheel in a fresh venv and migrates with it)",
    ".venv/bin/python -m bench.load --targets echo,sqlite,postgresql --vecinos 400 --seconds 10\n"
    ".venv/bin/python -m bench.load --targets postgresql --processes 2 --vecinos 400 --seconds 10\n"
    ".venv/bin/python -m bench.hot_path --vecinos 300     # the same vecinas straight into ChatService "
    "(--postgres URL)\n": _BENCH_AT_CI + "; it also needs a PostgreSQL",
    ".venv/bin/python -m bench.broadcast_bench --recipients 10000     # also --rate 28.5 (the default), "
    "--database-url URL\n": _BENCH_AT_CI,
    ".venv/bin/python -m bench.export_bench --responses 100000\n": _BENCH_AT_CI,
    ".venv/bin/python -m bench.comparison_bench --respondents 5000\n": _BENCH_AT_CI,
    ".venv/bin/python -m bench.console_pages --responses 10000 --barrios 200 --db /tmp/console_bench.db\n"
    ".venv/bin/python -m bench.console_pages --responses 10000 --barrios 200 \\\n"
    "    --postgres postgresql+psycopg://postgres@127.0.0.1:5432/test   "
    "# in a console_bench_<pid> database of its own\n":
        _BENCH_AT_CI + "; the second line also needs a PostgreSQL",
}

APPEND = re.compile(r"\s+# a quick try: append (.+)$")


def _readme_blocks() -> list[tuple[str, str]]:
    """Every ```sh block of the README with the `## ` section it is in."""
    blocks, section = [], ""
    for match in re.finditer(r"^## ([^\n]+)$|^```sh\n(.*?)^```", (ROOT / "README.md").read_text(), re.M | re.S):
        if match.group(1) is not None:
            section = match.group(1)
        else:
            blocks.append((section, match.group(2)))
    return blocks


def _steps() -> tuple[dict, str | None]:
    """What readme_commands.py runs, and the pg_dump command; fails on a block neither run nor listed."""
    blocks = _readme_blocks()
    unlisted = [(section, block) for section, block in blocks if block not in NOT_RUN]
    assert not set(NOT_RUN) - {block for _, block in blocks}, "NOT_RUN lists a block the README no longer has"

    def claim(section: str, test) -> list[str]:
        found = [block for where, block in unlisted if where == section and test(block)]
        for block in found:
            unlisted.remove((section, block))
        return found

    [serve] = claim("Two commands", lambda block: "accion-local serve --demo" in block)
    [chat] = claim("Two commands", lambda block: "<JOIN CODE>" in block)
    [api] = claim("Using the API", lambda block: True)
    [backup] = claim("Deployment (Telegram webhook, PostgreSQL)", lambda block: "sqlite3" in block)
    quick = claim("Performance", lambda block: APPEND.search(block.splitlines()[0]) is not None)
    assert not unlisted, f"README blocks neither run by this test nor listed in NOT_RUN: {unlisted}"

    assert api.count("# -> ") == 2 and "Bearer al_..." in api, api
    created, barrio = re.split(r"(?<=\n)(?=curl -s -X POST localhost:8000/api/barrios)", api)
    commands = [line for line in backup.splitlines() if line and not line.startswith("#")]
    [sqlite_backup] = [line for line in commands if "sqlite3" in line]
    [pg_dump] = [line for line in commands if "pg_dump" in line]
    bench = []
    for block in quick:
        for line in block.splitlines():
            tiny = APPEND.search(line)
            assert tiny, f"a quick benchmark block says what to append on each line: {line}"
            bench.append(line[:tiny.start()] + " " + tiny.group(1).strip("`"))
    local = sqlite_backup.replace("/var/lib/accion-local/", "./").replace("/var/backups/accion-local/", "backups/")
    return {"serve": serve, "chat": chat, "api": [created, barrio], "backup": "mkdir -p backups; " + local,
            "bench": bench}, pg_dump


def test_the_benchmark_lines_not_run_name_real_scripts_and_flags() -> None:
    for block in NOT_RUN:
        for line in block.splitlines():
            command = line.split("#", 1)[0]
            module = re.search(r"^\.venv/bin/python -m bench\.(\w+)", command)
            if module is None:
                continue
            source = (ROOT / "bench" / f"{module.group(1)}.py").read_text()
            for flag in re.findall(r"(?<!\S)(--[\w-]+)", command):
                assert f'"{flag}"' in source, f"{line}: bench/{module.group(1)}.py has no {flag}"


def _isolated() -> bool:
    return shutil.which("unshare") is not None and subprocess.run(
        ["unshare", "-n", "true"], capture_output=True).returncode == 0


@pytest.mark.skipif(not _isolated(), reason="needs `unshare -n` (root or user namespaces) for a port of its own")
def test_every_readme_command_runs_as_written(tmp_path: Path) -> None:
    steps, pg_dump = _steps()

    checkout = tmp_path / "checkout"
    checkout.mkdir()
    archive = subprocess.run(["git", "-C", str(ROOT), "archive", "HEAD"], check=True, capture_output=True).stdout
    subprocess.run(["tar", "-x", "-C", str(checkout)], input=archive, check=True)
    venv = checkout / ".venv"
    subprocess.run([sys.executable, "-m", "venv", str(venv)], check=True)
    purelib = subprocess.run([str(venv / "bin" / "python"), "-c",
                              "import sysconfig; print(sysconfig.get_paths()['purelib'])"],
                             check=True, capture_output=True, text=True).stdout.strip()
    ours = {sysconfig.get_paths()["purelib"], *site.getsitepackages()}
    (Path(purelib) / "test-dependencies.pth").write_text("\n".join(sorted(ours)) + "\n")
    (tmp_path / "steps.json").write_text(json.dumps(steps))

    env = {key: value for key, value in os.environ.items()
           if key not in {"PYTHONPATH", "VIRTUAL_ENV", "DATABASE_URL", "LOCALES_DIR", "ADMIN_TOKEN",
                          "TELEGRAM_BOT_TOKEN", "WEBHOOK_URL", "WEBHOOK_SECRET", "TEST_DATABASE_URL"}}
    env["PIP_RETRIES"] = "0"  # no network in the namespace: a remote index fails at once, local ones answer
    done = subprocess.run(["unshare", "-n", sys.executable, str(Path(__file__).with_name("readme_commands.py")),
                           str(checkout), str(tmp_path / "steps.json")],
                          cwd=checkout, env=env, capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stdout + done.stderr
    ran = json.loads(done.stdout.strip().splitlines()[-1])
    print("seconds per step:", ran["seconds"])  # shown with pytest -s

    # Two commands
    assert "Successfully installed accion-local" in ran["printed"]
    assert ran["health"] == 200
    assert ran["me"] == 200  # the API token the demo printed works
    assert ran["chat_exit"] == 0, ran["chat"]
    assert "¡Bienvenida, bienvenido a Acción Local" in ran["chat"] and "¿Qué quieres hacer?" in ran["chat"]
    assert (checkout / "accion_local.db").exists()  # SQLite, in the checkout, by default

    # Using the API
    assert ran["ejecutor"]["name"] == "ONG Territorio Común" and ran["ejecutor"]["token"].startswith("al_")
    barrio = ran["barrio"]
    assert (barrio["name"], barrio["comuna"], barrio["region"]) == ("Villa Los Aromos", "Lo Espejo", "Metropolitana")
    assert re.fullmatch(r"[A-Z0-9]{6}", barrio["join_code"]) and barrio["join_link"].endswith(barrio["join_code"])

    # Backups: an online copy, readable by its owner only, holding what the API just created
    [copy] = (checkout / "backups").glob("accion-*.db")
    assert copy.stat().st_mode & 0o777 == 0o600
    query = f"PRAGMA integrity_check; SELECT name FROM barrio WHERE join_code = '{barrio['join_code']}';"
    assert subprocess.run(["sqlite3", str(copy), query], capture_output=True, text=True,
                          check=True).stdout.split() == ["ok", "Villa", "Los", "Aromos"]

    # Performance: the quick benchmark runs printed their figures
    assert steps["bench"] and all(printed.strip() for printed in ran["bench"]), ran["bench"]

    # Backups, PostgreSQL: the pg_dump line against the test server, when there is one
    url = os.environ.get("TEST_DATABASE_URL", "")
    if url.startswith("postgresql") and shutil.which("pg_dump"):
        dumps = tmp_path / "pg-backups"
        dumps.mkdir()
        database = re.sub(r"/[^/?]*(\?|$)", r"/postgres\1", url.replace("+psycopg", "", 1).split("://", 1)[1])
        subprocess.run(["bash", "-c", pg_dump.replace("/var/backups/accion-local/", f"{dumps}/")],
                       env=env | {"DATABASE_URL": "postgresql://" + database}, check=True, timeout=60)
        [dump] = dumps.glob("accion-*.dump")
        assert dump.stat().st_mode & 0o777 == 0o600
        subprocess.run(["pg_restore", "--list", str(dump)], check=True, capture_output=True)
