"""Every setting read from the environment is documented, in .env.example and the README."""

import re
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def _variables_read_by_settings() -> set[str]:
    source = (ROOT / "portal" / "settings.py").read_text()
    names = set(re.findall(r'(?:environ\.get|env_bool|env_list)\(\s*"([A-Z_0-9]+)"', source))
    assert {"SECRET_KEY", "Q_SYNC", "STATIC_ROOT"} <= names
    # DATABASE_URL is read by dj_database_url; PYTEST_VERSION is pytest's own.
    return (names - {"PYTEST_VERSION"}) | {"DATABASE_URL"}


def test_every_environment_variable_is_in_env_example():
    example = (ROOT / ".env.example").read_text()
    documented = set(re.findall(r"^#?\s*([A-Z][A-Z_0-9]+)=", example, flags=re.MULTILINE))
    assert _variables_read_by_settings() - documented == set()


def test_every_environment_variable_is_in_the_readme():
    readme = (ROOT / "README.md").read_text()
    missing = {name for name in _variables_read_by_settings() if f"`{name}`" not in readme}
    assert missing == set()


def _env_example_values() -> dict[str, str]:
    example = (ROOT / ".env.example").read_text()
    return dict(re.findall(r"^([A-Z][A-Z_0-9]+)=(.*)$", example, flags=re.MULTILINE))


def test_env_example_has_no_secret_key_that_django_would_warn_about_or_anyone_could_reuse():
    from django.core.checks.security.base import _check_secret_key

    secret = _env_example_values()["SECRET_KEY"]
    # Empty: the portal refuses to start until a real one is set (a placeholder long enough
    # to pass Django's check would be a known key in production).
    assert secret == "" or _check_secret_key(secret)


def _deploy_check(**env: str):
    import os
    import subprocess
    import sys

    from cryptography.fernet import Fernet

    production = {
        "DEBUG": "0",
        "SECRET_KEY": "x" + Fernet.generate_key().decode() + Fernet.generate_key().decode(),
        "FIELD_ENCRYPTION_KEYS": Fernet.generate_key().decode(),
        "BLIND_INDEX_KEYS": Fernet.generate_key().decode(),
        "ALLOWED_HOSTS": "portal.example.org.uk",
    }
    clean = {k: v for k, v in os.environ.items() if k not in production and k != "PYTEST_VERSION"}
    return subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy"],
        cwd=ROOT,
        env={**clean, **production, **env},
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_an_invalid_field_encryption_key_fails_the_deploy_check_and_start_up():
    from cryptography.fernet import Fernet

    good = Fernet.generate_key().decode()
    result = _deploy_check(FIELD_ENCRYPTION_KEYS=f"{good},not-a-fernet-key")
    assert result.returncode != 0
    assert "FIELD_ENCRYPTION_KEYS: key 2 of 2 is not a valid Fernet key" in result.stderr
    assert "not-a-fernet-key" not in result.stderr
    missing = _deploy_check(BLIND_INDEX_KEYS="")
    assert missing.returncode != 0
    assert "BLIND_INDEX_KEYS must be set when DEBUG is off" in missing.stderr
