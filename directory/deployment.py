"""Settings a public server cannot do without, checked when the app is built.

A default secret key lets anyone who read the source forge sessions, status and edit links,
and a default PUBLIC_URL writes 127.0.0.1 into every emailed link: outside development and
tests the app refuses to start without them rather than run unsafe. On a developer's machine
(DEVELOPMENT, set by `make run`) a random key is generated once into the instance folder.
"""

import os
import secrets
from pathlib import Path

from flask import Flask
from werkzeug.middleware.proxy_fix import ProxyFix

from directory.urls import default_trusted_hosts

DEVELOPMENT_URL = "http://127.0.0.1:5000"
TEST_URL = "http://localhost"
DEVELOPMENT_KEY_FILE = "development-secret-key"
# Values that were once defaults or examples: known to anyone, so no secret.
KNOWN_KEYS = frozenset({"dev-only-change-me", "change-me", "secret", "dev"})


class UnsafeConfiguration(RuntimeError):
    """A setting a public server needs is missing; the message says which and how."""


def check_settings(app: Flask) -> None:
    """Fills in the development and test defaults, or raises UnsafeConfiguration."""
    config = app.config
    missing = []
    if not config.get("SECRET_KEY") or config["SECRET_KEY"] in KNOWN_KEYS:
        if config.get("DEVELOPMENT"):
            config["SECRET_KEY"] = _development_key(Path(app.instance_path))
        elif config.get("TESTING"):
            config["SECRET_KEY"] = secrets.token_hex(32)
        else:
            missing.append("SECRET_KEY (a long random value, e.g. `openssl rand -hex 32`)")
    if not config.get("PUBLIC_URL"):
        if config.get("DEVELOPMENT"):
            config["PUBLIC_URL"] = DEVELOPMENT_URL
        elif config.get("TESTING"):
            config["PUBLIC_URL"] = TEST_URL
        else:
            missing.append("PUBLIC_URL (the site's public address, e.g. https://annuaire.org)")
    if missing:
        raise UnsafeConfiguration(
            "Refusing to start: set "
            + " and ".join(missing)
            + " in the environment (or DIRECTORY_DEV=1 on a developer's machine)."
        )
    if config.get("TRUSTED_HOSTS") is None:
        local = bool(config.get("DEVELOPMENT") or config.get("TESTING"))
        config["TRUSTED_HOSTS"] = default_trusted_hosts(config["PUBLIC_URL"], local)


def _development_key(instance: Path) -> str:
    """A random key kept in the instance folder, so that sessions survive a restart."""
    path = instance / DEVELOPMENT_KEY_FILE
    instance.mkdir(parents=True, exist_ok=True)
    try:
        descriptor = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    except FileExistsError:
        return path.read_text().strip()
    with os.fdopen(descriptor, "w") as file:
        file.write(secrets.token_hex(32))
    return path.read_text().strip()


def trust_proxies(app: Flask) -> None:
    """Behind TRUSTED_PROXY_HOPS reverse proxies, the client's address and scheme come from
    their X-Forwarded-For and X-Forwarded-Proto, so that rate limits and logs see the
    visitor, not the proxy. Off by default: without a proxy, anyone can send these headers.
    The host is never taken from X-Forwarded-Host: links come from PUBLIC_URL."""
    hops = app.config["TRUSTED_PROXY_HOPS"]
    if hops > 0:
        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=hops, x_proto=hops, x_host=0, x_port=0)
