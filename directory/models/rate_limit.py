"""Counters of the rate limits, shared by every worker through the database."""

from sqlalchemy import Float, String
from sqlalchemy.orm import Mapped, mapped_column

from directory.extensions import db


class RateLimitCounter(db.Model):
    """One fixed window of one limit for one client: a count and when the window ends."""

    __tablename__ = "rate_limit_counter"

    key: Mapped[str] = mapped_column(String(255), primary_key=True)
    count: Mapped[int] = mapped_column(default=0)
    # Unix time (seconds) at which the window ends and the count starts again.
    expires_at: Mapped[float] = mapped_column(Float)
