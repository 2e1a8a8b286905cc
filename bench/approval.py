"""Approval to searchable: a moderator approves a new entry through the public service
functions, then the next search (a new searcher, as in any worker) must find it."""

import time

from bench.timing import summary
from directory import search
from directory.search import SearchRequest
from directory.services import accounts, applications, moderation, providers
from directory.services.provider_data import snapshot

PASSWORD = "correct horse battery staple of the bench"


def _new_application(word: str):
    template = snapshot(providers.get_many([1])[0])
    data = {**template, "name": f"Bench {word}"}
    return applications.submit_new(data, "bench@example.org", "fr")


def _moderator():
    return accounts.create_moderator(f"bench-{time.time_ns()}@example.org", PASSWORD)


def approve_new_entry(app) -> str:
    """Approves a new entry named after a word no other holds; returns that word."""
    word = f"zorglub{time.time_ns()}"
    with app.test_request_context():
        application = _new_application(word)
        moderation.approve(application.id, _moderator().id, application.version)
    return word


def approval_figures(app, times: int = 5) -> dict:
    """Milliseconds from calling approve() to a search that finds the entry: the database
    commit, the index update (one add and commit) and the first search on the new searcher."""
    samples, index_only = [], []
    with app.test_request_context():
        search.search(SearchRequest())
        moderator = _moderator()
        for _number in range(times):
            word = f"zorglub{time.time_ns()}"
            application = _new_application(word)
            started = time.perf_counter()
            moderation.approve(application.id, moderator.id, application.version)
            approved = time.perf_counter()
            result = search.search(SearchRequest(text=word, facets=True))
            found = time.perf_counter()
            assert result.total == 1, (word, result.total)
            samples.append((found - started) * 1000)
            index_only.append((found - approved) * 1000)
    return {"approval": summary(samples), "search_after": summary(index_only)}
