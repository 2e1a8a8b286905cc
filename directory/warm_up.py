"""A new worker's searches and pages are warmed before it takes its first request (gunicorn
calls this from deploy/gunicorn.conf.py), so that no visitor pays for them: word scores and
sort orders (services.providers.warm_up), then the templates' compilation and the
catalogues of both languages, by asking the app itself for its main pages. What the
warm-up built lives as long as the worker: it is then frozen out of the garbage collector,
whose full collections walked it all (93 ms at 100,000 providers, at a random visitor's
request)."""

import gc
import logging
import time

from directory import search
from directory.i18n import supported_locales
from directory.services import providers

log = logging.getLogger(__name__)
PAGES = ("/", "/search", "/search?q=formation")


def warm_up_worker(app) -> None:
    """Never stops a worker from starting: a failure is logged and the worker serves cold."""
    started = time.perf_counter()
    try:
        with app.test_request_context("/"):
            count = providers.warm_up()
            locales = supported_locales()
        client = app.test_client()
        for locale in locales:
            for page in PAGES:
                client.get(
                    page, headers={"Accept-Language": locale}, base_url=app.config["PUBLIC_URL"]
                )
    except (search.IndexUnavailable, OSError) as error:
        log.warning("search warm-up skipped: %s", error)
        return
    finally:
        gc.collect()
        gc.freeze()
    log.info("warm-up: %d searches in %.2f s", count, time.perf_counter() - started)
