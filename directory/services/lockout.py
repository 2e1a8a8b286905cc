"""Failed logins, counted per (typed email, client address) and per client address.

A lock on the account itself let anyone who knew a moderator's email keep them locked out,
and answered differently for accounts that exist. Counting per (email, address) locks the
stranger out of that account, not the moderator at their own desk; counting per address
stops one address from trying many accounts. Unknown emails are counted exactly like
existing ones, so the answers cannot tell them apart.

The counters are fixed windows of LOGIN_LOCK_MINUTES in the rate limits' storage
(RATELIMIT_STORAGE_URI: the app's database unless Redis is set), shared by every worker.
Typed emails are keyed by a keyed hash, so that the counters table holds no address.
"""

import hashlib
import hmac
from datetime import UTC, datetime

from flask import current_app
from limits import RateLimitItem, parse

from directory.rate_limits import counters as _counters


def _windows(email: str, address: str) -> list[tuple[RateLimitItem, tuple[str, ...]]]:
    config = current_app.config
    minutes = config["LOGIN_LOCK_MINUTES"]
    secret = str(config["SECRET_KEY"]).encode()
    typed = email.strip().casefold().encode("utf-8", "replace")
    account = hmac.new(secret, typed, hashlib.sha256).hexdigest()[:32]
    return [
        (
            parse(f"{config['LOGIN_MAX_FAILURES']} per {minutes} minutes"),
            ("login", account, address),
        ),
        (
            parse(f"{config['LOGIN_MAX_FAILURES_PER_ADDRESS']} per {minutes} minutes"),
            ("login-address", address),
        ),
    ]


def locked_until(email: str, address: str) -> datetime | None:
    """When attempts on `email` from `address` may start again (naive UTC), or None when
    they may now."""
    counters = _counters()
    ends = [
        counters.get_window_stats(item, *key).reset_time
        for item, key in _windows(email, address)
        if not counters.test(item, *key)
    ]
    return datetime.fromtimestamp(max(ends), UTC).replace(tzinfo=None) if ends else None


def record_failure(email: str, address: str) -> datetime | None:
    """Counts one failed attempt; returns when the lock it caused ends, if it caused one."""
    counters = _counters()
    for item, key in _windows(email, address):
        counters.hit(item, *key)
    return locked_until(email, address)


def forget_failures(email: str, address: str) -> None:
    """A successful login clears its (email, address) count, not its address's."""
    item, key = _windows(email, address)[0]
    _counters().clear(item, *key)
