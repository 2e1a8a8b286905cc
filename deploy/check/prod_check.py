"""`make prod-check`: the production stack started for real on this machine, then checked
from outside as a visitor, an applicant, a moderator and a hoster would.

PostgreSQL (.ci/postgres, a database of its own), the migrations and the seed data, the app
under gunicorn with 4 workers and the settings of deploy/libre-assos.env.example (a real
secret key, an HTTPS PUBLIC_URL, no DIRECTORY_DEV), Caddy with deploy/caddy/Caddyfile and an
internal certificate for directory.test, and aiosmtpd as the mail relay. Prints each check
(OK or FAIL, with its figure), the requests per second through the proxy, and exits 1 when a
check failed. Everything it started is stopped at the end, whatever happened. Run as root
(it may install Caddy and PostgreSQL with apt-get), from the checkout:

    PYTHONPATH=. .venv/bin/python -m deploy.check
"""

import signal
import sys

from deploy.check import data, throughput, web
from deploy.check.report import Report
from deploy.check.stack import DATABASE, Stack, free_port


def main() -> int:
    # A CI job cancelled (SIGTERM) still stops the stack: SystemExit runs the finally below.
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(143))
    report = Report()
    with Stack() as stack:
        databases = (DATABASE, data.RESTORED, data.UPGRADED)
        try:
            run(stack, report)
        except Exception as error:
            report.check("the stack started", False, f"{type(error).__name__}: {error}")
        finally:
            stack.stop()
            try:
                stack.drop_databases(*databases)
            except Exception as error:
                report.note(f"databases not dropped: {error}")
    return report.summary()


def run(stack: Stack, report: Report) -> None:
    stack.postgres()
    app_port, http_port, https_port = free_port(), free_port(), free_port()
    stack.settings(stack.recreate_database(DATABASE), https_port)
    stack.flask("init-db")
    seeded = stack.flask("seed", "--if-empty").strip().splitlines()[-1]
    stack.flask("reindex")
    stack.flask("create-moderator", web.MODERATOR, "--password-stdin", stdin=web.PASSWORD + "\n")
    report.note(f"PostgreSQL database {DATABASE}: migrated, seeded ({seeded})")
    stack.gunicorn("gunicorn", app_port)
    cafile = stack.caddy(app_port, http_port, https_port)
    report.note(f"gunicorn (4 workers) on 127.0.0.1:{app_port}, Caddy on {stack.base_url}")
    site = web.Site(stack, report, https_port, str(cafile), app_port, http_port)
    for name, step in (
        ("public pages", web.public_pages),
        ("compression and caching", web.compression_and_caching),
        ("hosts", web.hosts),
        ("rate limits", web.rate_limits),
        ("an application approved", web.application_approved),
        ("backup and restore", data.backup_and_restore),
        ("upgrade", data.upgrade),
        ("throughput", throughput.measure),
    ):
        report.run(name, lambda step=step: step(site))


if __name__ == "__main__":
    sys.exit(main())
