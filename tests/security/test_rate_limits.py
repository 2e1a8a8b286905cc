"""Rate limits are counted in the database, so they hold across worker processes."""

import io
import multiprocessing
from urllib.parse import urlencode

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


def _apply_codes(app, forwarded_for: list[str]) -> list[int]:
    limiter.reset()
    client = app.test_client()
    invalid = application_form(client, name="")
    return [
        client.post("/apply", data=invalid, headers={"X-Forwarded-For": address}).status_code
        for address in forwarded_for
    ]


def test_x_forwarded_for_is_ignored_without_a_trusted_proxy(tmp_path):
    app = make_app(tmp_path, RATELIMIT_ENABLED=True, APPLY_RATE_LIMIT="2 per hour")
    assert _apply_codes(app, ["10.0.0.1", "10.0.0.2", "10.0.0.3"]) == [400, 400, 429]


def test_behind_a_trusted_proxy_each_visitor_has_their_own_limit(tmp_path):
    app = make_app(
        tmp_path, RATELIMIT_ENABLED=True, APPLY_RATE_LIMIT="2 per hour", TRUSTED_PROXY_HOPS=1
    )
    assert _apply_codes(app, ["10.0.0.1", "10.0.0.2", "10.0.0.3"]) == [400, 400, 400]
    # The proxy appends the address it saw: a visitor cannot choose theirs.
    spoofed = ["1.1.1.1, 10.0.0.1", "2.2.2.2, 10.0.0.1", "3.3.3.3, 10.0.0.1"]
    assert _apply_codes(app, spoofed) == [400, 400, 429]


@pytest.mark.parametrize("path", ["/apply", "/edit-link", "/login"])
def test_requests_that_fail_the_csrf_check_are_counted(tmp_path, path):
    app = make_app(
        tmp_path,
        RATELIMIT_ENABLED=True,
        APPLY_RATE_LIMIT="2 per hour",
        EDIT_LINK_RATE_LIMIT="2 per hour",
        LOGIN_RATE_LIMIT="2 per hour",
    )
    limiter.reset()
    client = app.test_client()
    form = {"email": "x@example.org", "password": "wrong password", "csrf_token": "forged"}
    codes = [client.post(path, data=form).status_code for _ in range(3)]
    assert codes == [400, 400, 429]
    assert (
        client.post(path, data={**form, "csrf_token": csrf_token(client, path)}).status_code == 429
    )


def test_a_post_refused_by_a_limit_is_read_to_the_end(tmp_path):
    """Answered before its form was read, the body stayed unread: the server then closed the
    connection on unread bytes, and through Caddy a 429 page arrived 100 bytes short."""
    app = make_app(tmp_path, RATELIMIT_ENABLED=True, APPLY_RATE_LIMIT="1 per hour")
    limiter.reset()
    client = app.test_client()
    client.post("/apply", data=application_form(client, name=""))
    body = urlencode(application_form(client, name="")).encode()
    stream = io.BytesIO(body)
    response = client.post(
        "/apply",
        input_stream=stream,
        content_type="application/x-www-form-urlencoded",
        content_length=len(body),
    )
    assert response.status_code == 429
    assert stream.tell() == len(body)
