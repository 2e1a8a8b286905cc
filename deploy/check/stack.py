"""The production stack on this machine, without systemd: PostgreSQL (.ci/postgres), the app
under gunicorn with deploy/gunicorn.conf.py and the settings of deploy/libre-assos.env.example,
Caddy with deploy/caddy/Caddyfile and an internal certificate, an SMTP relay (aiosmtpd).

Every process is started in a session of its own and stopped with its whole process group,
whatever happens (Stack is a context manager)."""

import contextlib
import os
import secrets
import shlex
import shutil
import signal
import socket
import ssl
import subprocess  # nosec B404: runs the stack's programs, fixed arguments
import sys
import tempfile
import threading
import time
from pathlib import Path

import psycopg
from aiosmtpd.controller import Controller

ROOT = Path(__file__).resolve().parent.parent.parent
DEPLOY = ROOT / "deploy"
BIN = Path(sys.executable).parent
SITE = "directory.test"
# The values the deploy files hold for the things that name a real server.
EXAMPLE_SITE = "annuaire.example.org"
EXAMPLE_CHECKOUT = "/srv/libre-assos"
EXAMPLE_UPSTREAM = "127.0.0.1:8000"
DATABASE = "directory_prod_check"


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def read_env_file(path: Path) -> dict[str, str]:
    """The KEY=value lines of a systemd environment file (comments skipped, quotes removed)."""
    values = {}
    for line in path.read_text().splitlines():
        line = line.strip()
        if line and not line.startswith("#"):
            key, _, value = line.partition("=")
            values[key.strip()] = " ".join(shlex.split(value))
    return values


def caddyfile(source: str, site: str, upstream: str, http_port: int, https_port: int, data: Path):
    """deploy/caddy/Caddyfile for this machine: its own global options (ports, storage, no
    admin endpoint, the local authority not installed system-wide), the site's name, the
    checkout and the app's address replaced, and `tls internal` in every site block."""
    for example in (EXAMPLE_SITE, EXAMPLE_CHECKOUT, EXAMPLE_UPSTREAM):
        if example not in source:
            raise SystemExit(f"deploy/caddy/Caddyfile no longer names {example}")
    lines = source.splitlines()
    start = lines.index("{")
    end = lines.index("}", start)
    options = [
        "{",
        "\tadmin off",
        "\tskip_install_trust",
        f"\thttp_port {http_port}",
        f"\thttps_port {https_port}",
        f"\tstorage file_system {data}",
        "}",
    ]
    body = []
    for line in lines[end + 1 :]:
        line = line.replace(EXAMPLE_SITE, site).replace(EXAMPLE_CHECKOUT, str(ROOT))
        body.append(line.replace(EXAMPLE_UPSTREAM, upstream))
        if line.endswith("{") and not line[:1].isspace() and not line.startswith("#"):
            body.append("\ttls internal")
    return "\n".join(options + body) + "\n"


class Relay:
    """An SMTP server on loopback keeping every message it receives."""

    def __init__(self):
        self.messages: list[tuple[list[str], bytes]] = []
        self.lock = threading.Lock()
        self.port = free_port()
        self.controller = Controller(self, hostname="127.0.0.1", port=self.port)

    async def handle_DATA(self, _server, _session, envelope):
        with self.lock:
            self.messages.append((list(envelope.rcpt_tos), envelope.content))
        return "250 OK"


class Stack:
    """Starts the stack's parts on demand; stops all of them on exit."""

    def __init__(self):
        self.folder = Path(tempfile.mkdtemp(prefix="prod-check-"))
        self.processes: list[tuple[str, subprocess.Popen]] = []
        self.relay: Relay | None = None
        self.base_url = ""
        self.env: dict[str, str] = {}

    def __enter__(self):
        return self

    def __exit__(self, *_exc):
        self.stop()

    # -- PostgreSQL --------------------------------------------------------------------
    def postgres(self) -> str:
        """The URL of the test suite's server (.ci/postgres installs and starts it as root)."""
        url = subprocess.run(  # nosec B603
            [str(ROOT / ".ci/postgres")], capture_output=True, text=True, check=True
        ).stdout.strip()
        self.server_url = url.rsplit("/", 1)[0]
        return url

    def database_url(self, name: str) -> str:
        return f"{self.server_url}/{name}"

    def recreate_database(self, name: str) -> str:
        """An empty database `name` (dropped first if a previous run left it)."""
        with psycopg.connect(self.libpq(self.database_url("postgres")), autocommit=True) as c:
            c.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
            c.execute(f'CREATE DATABASE "{name}"')
        return self.database_url(name)

    def drop_databases(self, *names: str) -> None:
        with psycopg.connect(self.libpq(self.database_url("postgres")), autocommit=True) as c:
            for name in names:
                c.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')

    @staticmethod
    def libpq(url: str) -> str:
        """The SQLAlchemy URL as libpq (psql, pg_dump) reads it."""
        return url.replace("postgresql+psycopg://", "postgresql://", 1)

    # -- the app's settings and commands -----------------------------------------------
    def settings(self, database_url: str, https_port: int) -> dict[str, str]:
        """deploy/libre-assos.env.example, with the values that name this machine; starts the
        SMTP relay they name."""
        self.relay = Relay()
        self.relay.controller.start()
        self.base_url = f"https://{SITE}:{https_port}"
        values = read_env_file(DEPLOY / "libre-assos.env.example")
        values.update(
            SECRET_KEY=secrets.token_hex(32),
            PUBLIC_URL=self.base_url,
            DATABASE_URL=database_url,
            MAIL_SERVER="127.0.0.1",
            MAIL_PORT=str(self.relay.port),
            MAIL_USE_TLS="0",
            MAIL_USERNAME="",
            MAIL_PASSWORD="",
            SEARCH_INDEX_DIR=str(self.folder / "index"),
            LOGO_DIR=str(self.folder / "logos"),
            MAIL_OUTBOX_DIR=str(self.folder / "mail"),
        )
        base = {k: os.environ[k] for k in ("PATH", "LANG", "LC_ALL") if k in os.environ}
        self.env = {**base, "HOME": str(self.folder), **values}
        self.env.pop("DIRECTORY_DEV", None)
        return self.env

    def flask(self, *args: str, env: dict | None = None, stdin: str = "") -> str:
        """Runs `flask --app app <args>` with the production settings; its output."""
        done = subprocess.run(  # nosec B603
            [str(BIN / "flask"), "--app", "app", *args],
            cwd=ROOT,
            env={**self.env, **(env or {})},
            input=stdin,
            capture_output=True,
            text=True,
            timeout=300,
        )
        if done.returncode != 0:
            raise RuntimeError(f"flask {' '.join(args)}: {done.stderr.strip()[-600:]}")
        return done.stdout

    # -- processes ---------------------------------------------------------------------
    def start(self, name: str, command: list[str], env: dict) -> subprocess.Popen:
        log = open(self.folder / f"{name}.log", "wb")  # noqa: SIM115 (kept by the process)
        process = subprocess.Popen(  # nosec B603
            command, cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT,
            start_new_session=True,
        )  # fmt: skip
        self.processes.append((name, process))
        return process

    def log(self, name: str) -> str:
        path = self.folder / f"{name}.log"
        return path.read_text(errors="replace")[-2000:] if path.exists() else ""

    def gunicorn(self, name: str, port: int, env: dict | None = None, workers: int = 4):
        """gunicorn with deploy/gunicorn.conf.py on a free loopback port; waits for /healthz."""
        command = [
            str(BIN / "gunicorn"), "--config", str(DEPLOY / "gunicorn.conf.py"),
            "--bind", f"127.0.0.1:{port}", "--workers", str(workers), "app:app",
        ]  # fmt: skip
        process = self.start(name, command, {**self.env, **(env or {})})
        self.wait(name, process, lambda: _http_ok(port))
        return process

    def caddy(self, app_port: int, http_port: int, https_port: int) -> Path:
        """Caddy in front of the app; returns the path of its local authority's certificate."""
        if shutil.which("caddy") is None:
            subprocess.run([str(ROOT / ".ci/caddy")], check=True)  # nosec B603
        data = self.folder / "caddy"
        source = (DEPLOY / "caddy" / "Caddyfile").read_text()
        config = self.folder / "Caddyfile"
        config.write_text(
            caddyfile(source, SITE, f"127.0.0.1:{app_port}", http_port, https_port, data)
        )
        env = {"PATH": self.env["PATH"], "HOME": str(self.folder)}
        command = ["caddy", "run", "--config", str(config), "--adapter", "caddyfile"]
        process = self.start("caddy", command, env)
        root = data / "pki" / "authorities" / "local" / "root.crt"
        self.wait("caddy", process, lambda: root.exists() and _https_ok(https_port, root))
        return root

    def wait(self, name: str, process: subprocess.Popen, ready, seconds: float = 60) -> None:
        deadline = time.monotonic() + seconds
        while not ready():
            if process.poll() is not None or time.monotonic() > deadline:
                raise RuntimeError(f"{name} did not start:\n{self.log(name)}")
            time.sleep(0.2)

    def stop(self) -> None:
        """Stops every process group started (TERM, then KILL), then the relay."""
        for _name, process in reversed(self.processes):
            if process.poll() is None:
                _signal_group(process, signal.SIGTERM)
        for _name, process in reversed(self.processes):
            try:
                process.wait(timeout=20)
            except subprocess.TimeoutExpired:
                _signal_group(process, signal.SIGKILL)
                process.wait(timeout=10)
        self.processes.clear()
        if self.relay is not None:
            self.relay.controller.stop()
            self.relay = None
        shutil.rmtree(self.folder, ignore_errors=True)


def _signal_group(process: subprocess.Popen, number: int) -> None:
    with contextlib.suppress(ProcessLookupError):
        os.killpg(process.pid, number)


def _http_ok(port: int) -> bool:
    try:
        with socket.create_connection(("127.0.0.1", port), timeout=5) as connection:
            connection.sendall(f"GET /healthz HTTP/1.0\r\nHost: {SITE}\r\n\r\n".encode())
            return b" 200 " in connection.recv(64)
    except OSError:
        return False


def _https_ok(port: int, root: Path) -> bool:
    context = ssl.create_default_context(cafile=str(root))
    try:
        with (
            socket.create_connection(("127.0.0.1", port), timeout=2) as raw,
            context.wrap_socket(raw, server_hostname=SITE) as tls,
        ):
            tls.sendall(f"GET /healthz HTTP/1.0\r\nHost: {SITE}\r\n\r\n".encode())
            return tls.recv(64).startswith(b"HTTP/1.")
    except (OSError, ssl.SSLError):
        return False
