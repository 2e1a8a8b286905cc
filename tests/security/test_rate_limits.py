"""Rate limits are counted in the database, so they hold across worker processes."""

import multiprocessing

import pytest

from directory import create_app
from directory.extensions import limiter
from tests.conftest import csrf_token, make_app, worker_config
from tests.forms import application_form


def _worker(config: dict, attempts: int, results) -> None:
    try:
        app = create_app(config)
        client = app.test_client()
        invalid = application_form(client, name="")
        results.put([client.post("/apply", data=invalid).status_code for _ in range(attempts)])
    except BaseException as error:
        results.put(repr(error))
        raise


@pytest.mark.parametrize("path", ["/apply", "/edit-link", "/login"])
def test_each_public_form_is_limited(tmp_path, path):
    app = make_app(
        tmp_path,
        RATELIMIT_ENABLED=True,
        APPLY_RATE_LIMIT="2 per hour",
        EDIT_LINK_RATE_LIMIT="2 per hour",
        LOGIN_RATE_LIMIT="2 per hour",
    )
    limiter.reset()
    client = app.test_client()
    token = csrf_token(client, path)
    codes = [
        client.post(
            path, data={"csrf_token": token, "email": "x@example.org", "password": "wrong password"}
        ).status_code
        for _ in range(3)
    ]
    assert codes[2] == 429
    assert codes[0] != 429


def test_a_limit_holds_across_worker_processes(tmp_path):
    app = make_app(tmp_path, RATELIMIT_ENABLED=True, APPLY_RATE_LIMIT="5 per hour")
    assert app.config["RATELIMIT_STORAGE_URI"].startswith("dbcounter+")
    limiter.reset()
    config = worker_config(app, RATELIMIT_ENABLED=True, APPLY_RATE_LIMIT="5 per hour")
    context = multiprocessing.get_context("fork")
    results = context.Queue()
    workers = [context.Process(target=_worker, args=(config, 4, results)) for _ in range(2)]
    for worker in workers:
        worker.start()
    codes = [code for _ in workers for code in results.get(timeout=120)]
    for worker in workers:
        worker.join(timeout=30)
    assert sorted(codes) == [400] * 5 + [429] * 3
