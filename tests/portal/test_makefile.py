"""`make run` and `make test` on a fresh machine: what is missing is named, as apt packages."""

import os
import re
import shlex
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
MAKE = shutil.which("make")

pytestmark = pytest.mark.skipif(MAKE is None, reason="needs make")


def _make_prerequisites(tmp_path, commands: list[str]) -> subprocess.CompletedProcess:
    """Run `make prerequisites` with only the given commands on the PATH."""
    bin_dir = tmp_path / "bin"
    bin_dir.mkdir()
    for command in commands:
        (bin_dir / command).symlink_to(shutil.which(command))
    return subprocess.run(
        [MAKE, "--no-print-directory", "-C", str(ROOT), "prerequisites"],
        env={**os.environ, "PATH": str(bin_dir)},
        capture_output=True,
        text=True,
        timeout=60,
    )


def test_a_machine_without_node_is_told_which_packages_to_install(tmp_path):
    result = _make_prerequisites(tmp_path, ["python3"])
    assert result.returncode != 0
    assert "missing: nodejs npm" in result.stdout
    assert "apt-get install -y python3-venv nodejs npm chromium" in result.stdout


@pytest.mark.skipif(shutil.which("npm") is None, reason="needs npm")
def test_a_machine_with_everything_passes_the_check(tmp_path):
    result = _make_prerequisites(tmp_path, ["python3", "npm", "node"])
    assert result.returncode == 0, result.stdout + result.stderr
    assert "missing" not in result.stdout


def test_run_and_test_check_the_machine_before_installing_anything():
    dry_run = subprocess.run(
        [MAKE, "-n", "-C", str(ROOT), "run", "test"], capture_output=True, text=True, timeout=60
    )
    assert "This machine is missing" in dry_run.stdout


def _dry_run(*arguments: str, env: dict | None = None) -> list[str]:
    """The commands `make` would run, one a line (nothing is run)."""
    done = subprocess.run(
        [MAKE, "-n", "--no-print-directory", "-C", str(ROOT), *arguments],
        env={k: v for k, v in os.environ.items() if k != "SITE_URL"} if env is None else env,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert done.returncode == 0, done.stderr
    return done.stdout.splitlines()


def _manage_commands(lines: list[str]) -> dict[str, str]:
    """`manage.py <command>` -> the whole line that runs it."""
    found = {}
    for line in lines:
        match = re.search(r"manage\.py (\w+)", line)
        if match:
            found[match.group(1)] = line.strip().rstrip("& \\")
    return found


def test_make_run_on_another_port_serves_there_and_links_there():
    commands = _manage_commands(_dry_run("run", "PORT=8123"))
    assert "runserver 127.0.0.1:8123" in commands["runserver"]
    # Everything that writes a link (the demo's Wagtail site, emails sent by the web server
    # and by the worker) is told the address.
    for name in ("seed_demo", "runserver", "qcluster", "migrate"):
        assert "SITE_URL='http://127.0.0.1:8123'" in commands[name], commands[name]


def test_a_site_url_that_is_set_wins_over_the_port():
    env = {**os.environ, "SITE_URL": "https://demo.example.org.uk"}
    commands = _manage_commands(_dry_run("run", "PORT=8123", env=env))
    assert "runserver 127.0.0.1:8123" in commands["runserver"]
    assert "SITE_URL='https://demo.example.org.uk'" in commands["qcluster"]


@pytest.mark.slow
def test_the_processes_make_run_starts_write_links_on_its_port():
    """The settings the worker gets from `make run PORT=8123`, read by the portal itself."""
    worker = _manage_commands(_dry_run("run", "PORT=8123"))["qcluster"]
    prefix = worker.split(".venv/bin/python")[0]
    script = (
        "import django; django.setup(); from django.conf import settings; "
        "print(settings.SITE_URL, settings.WAGTAILADMIN_BASE_URL)"
    )
    env = {k: v for k, v in os.environ.items() if k not in {"SITE_URL", "PYTEST_VERSION"}}
    env["DJANGO_SETTINGS_MODULE"] = "portal.settings"
    done = subprocess.run(
        ["sh", "-c", f"{prefix} {sys.executable} -c {shlex.quote(script)}"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert done.returncode == 0, done.stderr
    assert done.stdout.split() == ["http://127.0.0.1:8123", "http://127.0.0.1:8123"]


def test_the_readme_names_port():
    readme = (ROOT / "README.md").read_text()
    assert "make run PORT=" in readme
