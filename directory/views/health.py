"""A trivial liveness endpoint: the throughput ceiling the search page is measured against."""

from flask import Blueprint

bp = Blueprint("health", __name__)


@bp.get("/healthz")
def check():
    """Answers without touching the database or the index, so that a load balancer (and
    bench/) sees the cost of the app's request handling alone."""
    return "ok\n", 200, {"Content-Type": "text/plain; charset=utf-8"}
