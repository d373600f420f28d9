"""The README's first commands, exactly as written, in a fresh checkout: install, serve the demo, join it.

The checkout is `git archive` of HEAD. The README's blocks under "Two commands" run in bash as
written (the one running the test suite is left out: it is the command running this test). So
that installing takes seconds, not minutes, the checkout's `.venv` is made first, then given a
`.pth` line to this environment's packages, as tests/system/test_wheel.py does: the README's
`python3 -m venv .venv` then keeps it, and its `pip install -e .` finds every dependency
installed and installs only the project. The commands run in a network
namespace of their own (`unshare -n`), where the server the README starts on port 8000 meets
no other; pip's configured indexes still work there when they are local (file://).
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


def _readme_blocks(section: str) -> list[str]:
    """The ```sh blocks of one `## ` section of the README."""
    text = (ROOT / "README.md").read_text()
    body = text.split(f"\n## {section}\n", 1)[1].split("\n## ", 1)[0]
    return re.findall(r"```sh\n(.*?)```", body, re.S)


def _isolated() -> bool:
    return shutil.which("unshare") is not None and subprocess.run(
        ["unshare", "-n", "true"], capture_output=True).returncode == 0


@pytest.mark.skipif(not _isolated(), reason="needs `unshare -n` (root or user namespaces) for a port of its own")
def test_the_readme_installs_serves_the_demo_and_a_vecina_joins(tmp_path: Path) -> None:
    blocks = _readme_blocks("Two commands")
    runnable = [block for block in blocks if "pytest" not in block]
    assert len(blocks) == 3 and len(runnable) == 2, blocks  # install and serve; chat; (the tests)
    serve, chat = runnable
    assert "accion-local serve --demo" in serve and "<JOIN CODE>" in chat

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
    (tmp_path / "blocks.json").write_text(json.dumps([serve, chat]))

    env = {key: value for key, value in os.environ.items()
           if key not in {"PYTHONPATH", "VIRTUAL_ENV", "DATABASE_URL", "LOCALES_DIR", "ADMIN_TOKEN",
                          "TELEGRAM_BOT_TOKEN", "WEBHOOK_URL", "WEBHOOK_SECRET"}}
    env["PIP_RETRIES"] = "0"  # no network in the namespace: a remote index fails at once, local ones answer
    done = subprocess.run(["unshare", "-n", sys.executable, str(Path(__file__).with_name("readme_commands.py")),
                           str(checkout), str(tmp_path / "blocks.json")],
                          cwd=checkout, env=env, capture_output=True, text=True, timeout=240)
    assert done.returncode == 0, done.stdout + done.stderr
    ran = json.loads(done.stdout.strip().splitlines()[-1])

    assert "Successfully installed accion-local" in ran["printed"]
    assert ran["health"] == 200
    assert ran["me"] == 200  # the API token the demo printed works
    assert ran["chat_exit"] == 0, ran["chat"]
    assert "¡Bienvenida, bienvenido a Acción Local" in ran["chat"] and "¿Qué quieres hacer?" in ran["chat"]
    assert (checkout / "accion_local.db").exists()  # SQLite, in the checkout, by default
