"""`make run` and `make test` on a fresh machine: what is missing is named, as apt packages."""

import os
import shutil
import subprocess
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
