"""Real gunicorn servers on one database: 4 workers sharing an index, and two servers with
an index each, approving through HTTP and searching through the API."""

import json
import subprocess
import sys
import time
import urllib.error
import urllib.parse
import urllib.request
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager
from http.cookiejar import CookieJar
from pathlib import Path

from bs4 import BeautifulSoup

from directory.services import applications
from tests.conftest import PASSWORD, _free_port, worker_config
from tests.forms import provider_form

WSGI = """
import json, pathlib
from directory import create_app
app = create_app(json.loads((pathlib.Path(__file__).parent / "config.json").read_text()))
"""


def _server_config(app, **overrides) -> dict:
    """The test app's configuration as JSON (each worker keeps its own connection pool)."""
    config = worker_config(app, **overrides)
    return {
        key: value
        for key, value in config.items()
        if key != "SQLALCHEMY_ENGINE_OPTIONS" and isinstance(value, str | int | float | bool)
    }


class Server:
    """One gunicorn server, and a browser-like client (cookies, CSRF tokens) to talk to it."""

    def __init__(self, folder: Path, port: int, process: subprocess.Popen):
        self.folder, self.port, self.process = folder, port, process
        self.opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(CookieJar()))

    def request(self, path: str, data: dict | None = None) -> tuple[int, str]:
        body = urllib.parse.urlencode(data).encode() if data is not None else None
        url = f"http://127.0.0.1:{self.port}{path}"
        try:
            with self.opener.open(url, data=body, timeout=30) as response:
                return response.status, response.read().decode()
        except urllib.error.HTTPError as error:
            return error.code, error.read().decode()

    def token(self, path: str) -> str:
        _status, page = self.request(path)
        return BeautifulSoup(page, "html.parser").select_one("input[name=csrf_token]")["value"]

    def login(self) -> None:
        form = {"email": "moderator@example.org", "password": PASSWORD}
        status, page = self.request("/login", {**form, "csrf_token": self.token("/login")})
        assert status == 200 and "/logout" in page, page[:500]

    def approve(self, application_id: int, token: str) -> int:
        path = f"/moderation/items/{application_id}/approve"
        return self.request(path, {"csrf_token": token, "version": "1"})[0]

    def search(self, text: str = "") -> set[str]:
        query = urllib.parse.urlencode({"q": text, "per_page": 100})
        status, body = self.request(f"/api/v1/providers?{query}")
        assert status == 200, body[:500]
        return {item["id"] for item in json.loads(body)["items"]}  # the slug

    def worker_pids(self, path_start: str) -> set[str]:
        """The workers that served requests whose path starts with `path_start`."""
        lines = (self.folder / "access.log").read_text().splitlines()
        return {line.split()[0] for line in lines if line.split()[1].startswith(path_start)}

    def errors(self) -> str:
        return (self.folder / "error.log").read_text()


@contextmanager
def gunicorn(folder: Path, config: dict, workers: int):
    """Serves the app with `config` from `workers` gunicorn workers on a free loopback port."""
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "config.json").write_text(json.dumps(config))
    (folder / "server_app.py").write_text(WSGI)
    port = _free_port()
    command = [
        *(sys.executable, "-m", "gunicorn", "--workers", str(workers)),
        *("--bind", f"127.0.0.1:{port}", "--chdir", str(folder)),
        *("--access-logfile", str(folder / "access.log"), "--access-logformat", "%(p)s %(U)s"),
        *("--error-logfile", str(folder / "error.log"), "server_app:app"),
    ]
    process = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    server = Server(folder, port, process)
    try:
        deadline = time.monotonic() + 60
        while True:
            try:
                if server.request("/api/v1/taxonomy")[0] == 200:
                    break
            except OSError:
                pass
            assert process.poll() is None, (folder / "error.log").read_text()
            assert time.monotonic() < deadline, "gunicorn did not start"
            time.sleep(0.2)
        yield server
    finally:
        process.terminate()
        process.wait(timeout=30)


def _queue(app, names: list[str]) -> list[int]:
    with app.test_request_context():
        rows = [(provider_form(name=name), "owner@example.net") for name in names]
        return [application.id for application in applications.queue_imported(rows)]


def test_four_workers_see_an_approval_at_once_and_lose_no_concurrent_one(app, moderator, tmp_path):
    first, *others = _queue(app, ["Premier Hébergeur"] + [f"Hébergeur {n}" for n in range(10)])
    config = _server_config(app, SEARCH_REBUILD_ON_START=True)
    with gunicorn(tmp_path / "server", config, workers=4) as server:
        server.login()
        token = server.token("/moderation/")
        assert server.approve(first, token) == 200
        approved_at = time.monotonic()

        def search_for_a_second(_) -> list[set[str]]:
            answers = []
            while time.monotonic() - approved_at < 1.0:
                answers.append(server.search("premier"))
            return answers

        # Four clients at once, so that the searches reach several workers (one client alone
        # may be served by the same worker every time).
        with ThreadPoolExecutor(max_workers=4) as pool:
            answers = [a for batch in pool.map(search_for_a_second, range(4)) for a in batch]
        assert len(answers) >= 8
        assert all(answer == {"premier-hebergeur"} for answer in answers), answers
        assert len(server.worker_pids("/api/v1/providers")) >= 2

        # Ten approvals at once, spread over the workers.
        with ThreadPoolExecutor(max_workers=5) as pool:
            codes = list(pool.map(lambda i: server.approve(i, token), others))
        assert codes == [200] * 10
        assert len(server.search()) == 11
        assert len(server.worker_pids("/moderation/items/")) >= 2
        log = server.errors()
    for trouble in ("Traceback", "LockError", "locked", "deadlock", "Exception"):
        assert trouble not in log, log


def test_two_servers_with_an_index_each_converge(app, moderator, tmp_path):
    ids = _queue(app, ["Coop Alpha", "Coop Beta"] + [f"Coop Lot {n}" for n in range(8)])
    a_config = _server_config(app, SEARCH_REBUILD_ON_START=True)
    b_config = {**a_config, "SEARCH_INDEX_DIR": str(tmp_path / "index-b")}
    with (
        gunicorn(tmp_path / "a", a_config, workers=2) as a,
        gunicorn(tmp_path / "b", b_config, workers=2) as b,
    ):
        assert a.search() == b.search() == set()
        a.login()
        b.login()
        assert a.approve(ids[0], a.token("/moderation/")) == 200
        assert a.search("alpha") == b.search("alpha") == {"coop-alpha"}
        assert b.approve(ids[1], b.token("/moderation/")) == 200
        assert a.search("beta") == b.search("beta") == {"coop-beta"}
        assert a.search() == b.search() == {"coop-alpha", "coop-beta"}

        # Approvals through both servers at once: neither index misses one.
        tokens = {a: a.token("/moderation/"), b: b.token("/moderation/")}
        jobs = [(a if n % 2 else b, i) for n, i in enumerate(ids[2:])]
        with ThreadPoolExecutor(max_workers=4) as pool:
            codes = list(pool.map(lambda job: job[0].approve(job[1], tokens[job[0]]), jobs))
        assert codes == [200] * 8
        assert len(a.search("lot")) == len(b.search("lot")) == 8
        assert a.search() == b.search()
        errors = a.errors() + b.errors()
    assert "Traceback" not in errors, errors
    assert Path(a_config["SEARCH_INDEX_DIR"]) != Path(b_config["SEARCH_INDEX_DIR"])
