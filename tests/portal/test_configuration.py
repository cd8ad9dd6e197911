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
