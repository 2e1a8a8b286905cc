"""When an entry counts as not verified for too long: the one rule that the "to be verified"
badge, the dashboard and the search's lower rank for such entries all read."""

from datetime import date, timedelta

from flask import current_app


def badge_limit(today: date | None = None) -> date:
    """Entries last verified before this day (or never) show the "to be verified" badge:
    VERIFY_AFTER_DAYS for the yearly check, plus VERIFY_GRACE_DAYS after the reminder."""
    config = current_app.config
    grace = timedelta(days=config["VERIFY_AFTER_DAYS"] + config["VERIFY_GRACE_DAYS"])
    return (today or date.today()) - grace


def needs_verification(last_verified_on: date | None, today: date | None = None) -> bool:
    return last_verified_on is None or last_verified_on < badge_limit(today)
