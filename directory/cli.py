"""Command-line tasks: init-db, seed, reindex, translations."""

from pathlib import Path

import click
from flask import Flask, current_app
from flask.cli import AppGroup, with_appcontext

from directory.extensions import db
from directory.services import providers
from directory.services.seeding import SeedError, load_seed
from directory.translations import fill_english


@click.command("init-db")
@with_appcontext
def init_db_command():
    """Create the tables that do not exist yet (existing data is kept)."""
    db.create_all()
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
    if if_needed:
        rebuilt = providers.ensure_search_index()
        click.echo("Search index rebuilt." if rebuilt else "Search index is up to date.")
        return
    total = providers.count()
    with click.progressbar(length=total, label="Indexing providers") as bar:
        count = providers.reindex_all(on_progress=bar.update)
    click.echo(f"{count} providers indexed.")


@click.group("translations", cls=AppGroup)
def translations_group():
    """Upkeep of the translation catalogues."""


@translations_group.command("fill-english")
def fill_english_command():
    """Fill the English catalogue from the English source strings."""
    po_path = Path(current_app.config["TRANSLATIONS_DIR"]) / "en" / "LC_MESSAGES" / "messages.po"
    click.echo(f"{fill_english(po_path)} English entries filled.")


def init_app(app: Flask) -> None:
    for command in (init_db_command, seed_command, reindex_command, translations_group):
        app.cli.add_command(command)
