"""How often one sender may use a public form that writes to someone (a message to a
provider, a report of a problem): counted in the rate limits' storage, the app's database
by default, so that the limit holds across every worker process and server."""

import hashlib
import hmac

from flask import current_app
from limits import parse

from directory.rate_limits import counters


def allow(scope: str, limit_setting: str, client_address: str, email: str | None = None) -> bool:
    """Counts one use of `scope` ("contact", "report") against the client's address and, when
    given, the sender's email; False when either is over the setting `limit_setting`.
    Counted first (one atomic increment each), so that two workers at once cannot both pass.
    Emails are keyed by a keyed hash: the counters table holds no address."""
    if not current_app.config.get("RATELIMIT_ENABLED", True):
        return True
    limit = parse(current_app.config[limit_setting])
    allowed = counters().hit(limit, f"{scope}-address", client_address or "unknown")
    if email:
        secret = str(current_app.config["SECRET_KEY"]).encode()
        typed = email.strip().casefold().encode("utf-8", "replace")
        mark = hmac.new(secret, f"{scope}:".encode() + typed, hashlib.sha256).hexdigest()[:32]
        allowed = counters().hit(limit, f"{scope}-email", mark) and allowed
    return allowed
