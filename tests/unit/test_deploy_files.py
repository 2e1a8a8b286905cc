"""deploy/'s files agree with the code: every setting in the environment file, every command
the systemd units run exists, the proxies send to where gunicorn listens, and nothing in the
app trusts a proxy unless the deployment says so."""

import re
import runpy
from configparser import ConfigParser
from pathlib import Path

from deploy.check.stack import (
    EXAMPLE_CHECKOUT,
    EXAMPLE_SITE,
    EXAMPLE_UPSTREAM,
    caddyfile,
    read_env_file,
)
from directory.config import ROOT, Config

DEPLOY = ROOT / "deploy"
UNITS = DEPLOY / "systemd"
HARDENING = {
    "NoNewPrivileges": "yes",
    "ProtectSystem": "strict",
    "ReadWritePaths": f"{EXAMPLE_CHECKOUT}/instance",
    "PrivateTmp": "yes",
    "ProtectHome": "yes",
    "PrivateDevices": "yes",
    "CapabilityBoundingSet": "",
}


def _unit(path: Path) -> ConfigParser:
    """A unit file's sections; systemd allows a key more than once (the last one is kept)."""
    parser = ConfigParser(strict=False, interpolation=None, delimiters=("=",))
    parser.optionxform = str
    parser.read_string(path.read_text())
    return parser


def _environment_names() -> set[str]:
    source = (ROOT / "directory" / "config.py").read_text()
    return set(re.findall(r'os\.environ\.get\("([A-Z_]+)"', source))


def test_the_environment_file_lists_every_setting_the_app_reads():
    text = (DEPLOY / "libre-assos.env.example").read_text()
    listed = set(re.findall(r"^#?([A-Z_]+)=", text, re.M))
    assert _environment_names() - listed == set()
    assert listed - _environment_names() == set()


def test_the_proxy_is_trusted_by_the_environment_file_and_not_by_default():
    values = read_env_file(DEPLOY / "libre-assos.env.example")
    assert values["TRUSTED_PROXY_HOPS"] == "1"
    assert values["SECURE_COOKIES"] == "1"
    assert values["PUBLIC_URL"].startswith("https://")
    assert "DIRECTORY_DEV" not in values
    assert Config.TRUSTED_PROXY_HOPS == 0


def test_the_app_unit_runs_gunicorn_with_the_config_and_is_hardened():
    service = _unit(UNITS / "libre-assos.service")["Service"]
    command = service["ExecStart"].split()
    assert command[0] == f"{EXAMPLE_CHECKOUT}/.venv/bin/gunicorn"
    config = command[command.index("--config") + 1]
    assert (ROOT / config).is_file()
    module, _, name = command[-1].partition(":")
    assert (ROOT / f"{module}.py").is_file() and name == "app"
    assert service["Restart"] == "on-failure"
    assert service["EnvironmentFile"] == "/etc/libre-assos/libre-assos.env"
    for key, value in HARDENING.items():
        assert service[key] == value, key


def test_the_timers_run_existing_commands_with_the_same_hardening(app):
    template = _unit(UNITS / "libre-assos-task@.service")["Service"]
    assert template["ExecStart"] == f"{EXAMPLE_CHECKOUT}/.venv/bin/flask --app app %i"
    for key, value in HARDENING.items():
        assert template[key] == value, key
    schedules = {}
    for timer in UNITS.glob("*.timer"):
        section = _unit(timer)["Timer"]
        instance = re.fullmatch(r"libre-assos-task@([a-z-]+)\.service", section["Unit"])
        assert instance, timer.name
        assert instance.group(1) in app.cli.commands
        schedules[instance.group(1)] = section["OnCalendar"]
    assert schedules["send-outbox"] == "minutely"
    assert set(schedules) == {"send-outbox", "send-reminders", "purge"}
    daily = r"\*-\*-\* \d\d:\d\d:00"
    assert re.fullmatch(daily, schedules["purge"]) and re.fullmatch(
        daily, schedules["send-reminders"]
    )


def test_the_proxies_send_to_where_gunicorn_listens_and_serve_the_static_folder():
    gunicorn = runpy.run_path(str(DEPLOY / "gunicorn.conf.py"))
    assert gunicorn["bind"] == EXAMPLE_UPSTREAM
    assert gunicorn["workers"] == 4
    caddy = (DEPLOY / "caddy" / "Caddyfile").read_text()
    nginx = (DEPLOY / "nginx" / "libre-assos.conf").read_text()
    assert f"reverse_proxy {EXAMPLE_UPSTREAM}" in caddy
    assert f"server {EXAMPLE_UPSTREAM};" in nginx
    assert f"root * {EXAMPLE_CHECKOUT}/static" in caddy
    assert f"alias {EXAMPLE_CHECKOUT}/static/;" in nginx
    for config in (caddy, nginx):
        assert "public, max-age=31536000, immutable" in config
        assert "no-cache" in config
    # nginx replaces the visitor's X-Forwarded-For (Caddy does it by itself).
    assert "proxy_set_header X-Forwarded-For $remote_addr;" in nginx
    assert nginx.count("{") == nginx.count("}")


def test_prod_check_runs_the_caddyfile_with_only_the_machine_specific_values_changed(tmp_path):
    source = (DEPLOY / "caddy" / "Caddyfile").read_text()
    local = caddyfile(source, "directory.test", "127.0.0.1:9999", 8080, 8443, tmp_path)
    assert EXAMPLE_SITE not in local and EXAMPLE_CHECKOUT not in local
    assert "directory.test {\n\ttls internal\n" in local
    assert "https:// {\n\ttls internal\n" in local
    assert "reverse_proxy 127.0.0.1:9999" in local
    assert f"root * {ROOT}/static" in local
    assert local.count("{") == local.count("}")
    # Every line of the site blocks is kept.
    kept = source[source.index(f"{EXAMPLE_SITE} {{") :].count("\n")
    assert local[local.index("directory.test {") :].count("\n") == kept + 2


def test_gunicorn_warms_each_new_workers_searches_before_it_serves(app, monkeypatch):
    from directory.services import providers

    warmed = []
    monkeypatch.setattr(providers, "warm_up", lambda: warmed.append(True) or 1)
    gunicorn = runpy.run_path(str(DEPLOY / "gunicorn.conf.py"))

    class Worker:
        wsgi = app

    gunicorn["post_worker_init"](Worker())
    assert warmed == [True]
