"""The app refuses to start without the settings a public server needs, and a developer's
machine gets them without asking."""

import pytest

import directory
from directory import create_app
from directory.config import TestConfig
from directory.deployment import UnsafeConfiguration


def _settings(tmp_path, **overrides) -> dict:
    base = {k: getattr(TestConfig, k) for k in dir(TestConfig) if k.isupper()}
    return {
        **base,
        "TESTING": False,
        "DEVELOPMENT": False,
        "SECRET_KEY": "a long random production value",
        "PUBLIC_URL": "https://annuaire.example.org",
        "SQLALCHEMY_DATABASE_URI": f"sqlite:///{tmp_path / 'db.sqlite3'}",
        **overrides,
    }


@pytest.mark.parametrize("key", ["", None, "dev-only-change-me"])
def test_a_server_refuses_to_start_without_a_secret_key(tmp_path, key):
    with pytest.raises(UnsafeConfiguration, match="SECRET_KEY"):
        create_app(_settings(tmp_path, SECRET_KEY=key))


def test_a_server_refuses_to_start_without_a_public_url(tmp_path):
    with pytest.raises(UnsafeConfiguration, match="PUBLIC_URL"):
        create_app(_settings(tmp_path, PUBLIC_URL=""))


def test_a_configured_server_starts(tmp_path):
    app = create_app(_settings(tmp_path))
    assert app.config["SECRET_KEY"] == "a long random production value"
    assert app.config["TRUSTED_HOSTS"] == ["annuaire.example.org"]


def test_development_generates_one_key_and_keeps_it(tmp_path, monkeypatch):
    monkeypatch.setattr(directory, "ROOT", tmp_path)
    settings = _settings(tmp_path, DEVELOPMENT=True, SECRET_KEY="", PUBLIC_URL="")
    first = create_app(settings)
    second = create_app(settings)
    key = first.config["SECRET_KEY"]
    assert len(key) == 64 and key == second.config["SECRET_KEY"]
    assert (tmp_path / "instance" / "development-secret-key").stat().st_mode & 0o077 == 0
    assert first.config["PUBLIC_URL"] == "http://127.0.0.1:5000"


def test_tests_without_a_key_get_a_random_one(tmp_path):
    one = create_app(_settings(tmp_path, TESTING=True, SECRET_KEY=""))
    other = create_app(_settings(tmp_path, TESTING=True, SECRET_KEY=""))
    assert one.config["SECRET_KEY"] != other.config["SECRET_KEY"]
