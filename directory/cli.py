"""Command-line tasks: init-db, seed, reindex, translations."""

import json
import sys
from pathlib import Path

import click
from flask import Flask, current_app
from flask.cli import AppGroup, with_appcontext

from directory import database, search
from directory.extensions import db
from directory.importing import ImportRejected, import_csv
from directory.models import Role
from directory.services import (
    accounts,
    contact,
    index_check,
    index_log,
    indexing,
    mail,
    personal_data,
    providers,
    reminders,
    reports,
    requests,
    testimonial_invitations,
    visitor_testimonials,
)
from directory.services.backup import BackupError, export_all, import_all
from directory.services.seeding import SeedError, load_seed
from directory.translations import fill_english


@click.command("init-db")
@with_appcontext
def init_db_command():
    """Apply the database migrations (same as `flask db upgrade`; existing data is kept)."""
    database.upgrade()
    click.echo("Database ready.")


@click.command("seed")
@with_appcontext
@click.option("--if-empty", is_flag=True, help="Only load when there is no provider yet.")
def seed_command(if_empty: bool):
    """Load the taxonomy and the demonstration providers from seed/ (idempotent)."""
    db.create_all()
    if if_empty and providers.count() > 0:
        click.echo("Providers already present: seed data not loaded.")
        return
    try:
        report = load_seed(current_app.config["SEED_DIR"])
    except SeedError as error:
        raise click.ClickException(str(error)) from error
    click.echo(
        f"Taxonomy: {report.terms} entries. Providers: {report.providers_created} created, "
        f"{report.providers_kept} already present."
    )


@click.command("reindex")
@with_appcontext
@click.option("--if-needed", is_flag=True, help="Only rebuild a missing or outdated index.")
def reindex_command(if_needed: bool):
    """Rebuild the search index from the database, with a progress bar."""
    try:
        if if_needed:
            rebuilt = indexing.ensure_search_index()
            click.echo("Search index rebuilt." if rebuilt else "Search index is up to date.")
            return
        total = providers.count()
        with click.progressbar(length=total, label="Indexing providers") as bar:
            count = indexing.reindex_all(on_progress=bar.update)
    except search.IndexUnavailable as error:
        raise click.ClickException(f"The index cannot be written: {error}") from None
    click.echo(f"{count} providers indexed.")


def _echo_report(report: index_check.IndexReport) -> None:
    for label, ids in (
        ("missing from the index", report.missing),
        ("stale in the index", report.stale),
        ("in the index but not published", report.orphans),
    ):
        shown = ", ".join(map(str, ids[:20])) + (", …" if len(ids) > 20 else "")
        click.echo(f"{len(ids)} providers {label}" + (f": {shown}" if ids else "."))


@click.command("check-index")
@click.option("--repair", is_flag=True, help="Fix the differences found (no full rebuild).")
@with_appcontext
def check_index_command(repair: bool):
    """Compare the search index with the database; exit with 1 if they differ (unrepaired)."""
    try:
        report = index_check.check()
        _echo_report(report)
        if report.clean:
            click.echo("The index matches the database.")
            return
        if not repair:
            raise click.exceptions.Exit(1)
        index_check.repair(report)
        if not index_check.check().clean:
            click.echo("Differences remain after the repair.", err=True)
            raise click.exceptions.Exit(1)
    except search.IndexUnavailable as error:
        raise click.ClickException(f"The index cannot be read ({error}): run reindex.") from None
    click.echo("Repaired: the index matches the database.")


@click.command("create-moderator")
@click.argument("email")
@click.option(
    "--role",
    type=click.Choice([r.value for r in Role]),
    default=Role.MODERATOR.value,
    show_default=True,
)
@click.option("--password-stdin", is_flag=True, help="Read the password from standard input.")
@with_appcontext
def create_moderator_command(email: str, role: str, password_stdin: bool):
    """Create a moderator account; the password is asked at the prompt."""
    db.create_all()
    if password_stdin:
        password = sys.stdin.readline().rstrip("\r\n")
    else:
        password = click.prompt("Password", hide_input=True, confirmation_prompt=True)
    try:
        accounts.create_moderator(email, password, Role(role))
    except accounts.AccountError as error:
        messages = {
            "invalid_email": "This is not a valid email address.",
            "email_taken": "A moderator already has this email.",
            "password_too_short": f"The password needs at least {accounts.MIN_PASSWORD_LENGTH} "
            "characters.",
            "password_too_common": "This password is too easy to guess; try a sentence of "
            "several words.",
        }
        raise click.ClickException(messages.get(error.code, error.code)) from error
    click.echo(f"{role.capitalize()} account created.")


@click.command("import-csv")
@click.argument("path", type=click.Path(exists=True, dir_okay=False))
@with_appcontext
def import_csv_command(path: str):
    """Queue the providers of a CSV file (the export's columns) for moderation."""
    try:
        count = import_csv(path)
    except ImportRejected as rejected:
        for error in rejected.errors:
            click.echo(str(error), err=True)
        raise click.ClickException(f"{len(rejected.errors)} errors: nothing imported.") from None
    click.echo(f"{count} providers queued for moderation.")


@click.command("export")
@click.argument("path", type=click.Path(dir_okay=False, writable=True))
@with_appcontext
def export_command(path: str):
    """Write the whole directory (moderation history included) to one JSON file."""
    backup = export_all()
    Path(path).write_text(json.dumps(backup, ensure_ascii=False, indent=1), encoding="utf-8")
    rows = sum(len(rows) for rows in backup["tables"].values())
    click.echo(f"{rows} rows written to {path}.")


@click.command("import")
@click.argument("path", type=click.Path(exists=True, dir_okay=False))
@with_appcontext
def import_command(path: str):
    """Restore a backup written by `export` into an empty database, then rebuild the index."""
    db.create_all()
    try:
        written = import_all(json.loads(Path(path).read_text(encoding="utf-8")))
    except (BackupError, ValueError, KeyError) as error:
        raise click.ClickException(f"Nothing restored: {error}") from error
    count = indexing.reindex_all()
    click.echo(f"{written} rows restored; {count} providers indexed.")


@click.command("purge")
@with_appcontext
def purge_command():
    """Erase personal data past its retention period, prune the index change log and
    optimise the index (run daily)."""
    messages = contact.purge()
    reporters = reports.purge_emails()
    db.session.commit()
    service_requests = requests.purge()
    db.session.commit()
    visitor_links = visitor_testimonials.purge()
    db.session.commit()
    count = personal_data.purge()
    click.echo(f"{count} applications purged; search index optimised.")
    click.echo(f"{messages} contact messages erased.")
    click.echo(f"{service_requests} requests to several providers erased.")
    click.echo(f"{reporters} emails of reports erased.")
    click.echo(f"{visitor_links} expired testimonial links of visitors deleted.")
    click.echo(f"{index_log.prune()} index changes pruned.")
    pruned = mail.prune_sent(current_app.config["OUTBOX_RETENTION_DAYS"])
    db.session.commit()
    click.echo(f"{pruned} sent emails pruned from the outbox.")


@click.command("send-outbox")
@with_appcontext
def send_outbox_command():
    """Send the emails due in the outbox: those a crash or a mail server down left behind,
    retried with a growing delay (run every few minutes)."""
    sent = mail.deliver()
    click.echo(f"{sent} emails sent; {mail.pending_count()} waiting.")


@click.command("send-reminders")
@with_appcontext
def send_reminders_command():
    """Apply the freshness policy (run daily): take offline the entries not verified for
    FRESHNESS_UNPUBLISH_DAYS, then remind those not verified for a year, and once more a
    month later; and invite the associations that wrote to a provider, or sent a request
    that a provider said it would answer, TESTIMONIAL_DELAY_DAYS ago to leave a testimonial."""
    with current_app.test_request_context(base_url=current_app.config["PUBLIC_URL"]):
        report = reminders.run()
        invited = testimonial_invitations.invite_due()
    click.echo(f"{report.first_reminders + report.second_reminders} reminders sent.")
    click.echo(f"{report.second_reminders} of them second reminders.")
    click.echo(f"{report.unpublished} entries taken offline, never verified for too long.")
    click.echo(f"{invited} invitations to leave a testimonial sent.")


@click.group("translations", cls=AppGroup)
def translations_group():
    """Upkeep of the translation catalogues."""


@translations_group.command("fill-english")
def fill_english_command():
    """Fill the English catalogue from the English source strings."""
    po_path = Path(current_app.config["TRANSLATIONS_DIR"]) / "en" / "LC_MESSAGES" / "messages.po"
    click.echo(f"{fill_english(po_path)} English entries filled.")


def init_app(app: Flask) -> None:
    for command in (
        init_db_command,
        seed_command,
        reindex_command,
        check_index_command,
        create_moderator_command,
        import_csv_command,
        export_command,
        purge_command,
        import_command,
        send_reminders_command,
        send_outbox_command,
        translations_group,
    ):
        app.cli.add_command(command)
