"""Runs judged queries through the search page of a fresh app loaded with the real seed.

The app is built the way `make db` builds one (tables, the seed through the app's own
seeding service, a full reindex) on a temporary folder, then every query goes through the
HTTP test client to /search, exactly as a visitor's browser sends it, so that whatever the
page does with the words (places in the query, vocabulary, operators, local first) is
measured. The ranking is read from the result cards of the HTML, following the "next" links
of the pagination: a provider is known by the slug of its page's link (/providers/<slug>).
"""

import re
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from urllib.parse import urlsplit

from bs4 import BeautifulSoup

from bench.load import bench_app
from bench.relevance.judgements import SEED_DIR, Judgement
from directory.extensions import db
from directory.services import indexing
from directory.services.seeding import load_seed

PROVIDER_LINK = re.compile(r"^/providers/([^/?#]+)/?$")
# Enough for every page of the seed's results: a safety stop, not a limit of the measure.
MAX_PAGES = 20


@contextmanager
def seeded_client(seed_dir: Path = SEED_DIR) -> Iterator:
    """A test client of a new app on a temporary database and index holding the seed."""
    with tempfile.TemporaryDirectory(prefix="relevance-") as tmp:
        # Page cache off: every query is searched, never served from an earlier page.
        app = bench_app(Path(tmp), PAGE_CACHE_SIZE=0)
        with app.app_context():
            db.create_all()
            load_seed(seed_dir)
            indexing.reindex_all()
        try:
            yield app.test_client()
        finally:
            app.extensions["directory.search"].index.close()


def query_string(judgement: Judgement) -> list[tuple[str, str]]:
    """The parameters the search form sends for this query, in the page's own names."""
    params = [("q", judgement.q), ("lang", judgement.locale)]
    for name, values in judgement.filters:
        params += [(name, value) for value in values]
    return params


def card_slugs(html: str) -> list[str]:
    """The providers of the result cards, in page order (each card counted once)."""
    soup = BeautifulSoup(html, "html.parser")
    slugs = []
    for card in soup.select("#results article"):
        for link in card.select("a[href]"):
            found = PROVIDER_LINK.match(urlsplit(link["href"]).path)
            if found:
                if found.group(1) not in slugs:
                    slugs.append(found.group(1))
                break
    return slugs


def next_page(html: str) -> str | None:
    link = BeautifulSoup(html, "html.parser").select_one("#results a[rel~=next]")
    return link["href"] if link else None


def ranking(client, judgement: Judgement) -> list[str]:
    """Every result of the judged query, in the order the search page shows them."""
    # A search page may redirect (to a canonical form of the query): the visitor follows.
    response = client.get("/search", query_string=query_string(judgement), follow_redirects=True)
    slugs: list[str] = []
    for _ in range(MAX_PAGES):
        if response.status_code != 200:
            raise RuntimeError(f"{judgement.id}: /search answered {response.status_code}")
        html = response.get_data(as_text=True)
        slugs += [slug for slug in card_slugs(html) if slug not in slugs]
        url = next_page(html)
        if url is None:
            break
        response = client.get(url, follow_redirects=True)
    return slugs
