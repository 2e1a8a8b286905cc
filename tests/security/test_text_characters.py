"""One text check for every field of every form: what XML 1.0 cannot carry (C0 controls but
TAB, LF and CR, surrogates, non-characters such as U+FFFF) is refused with a message, so
that the feeds stay well-formed and PostgreSQL never sees a NUL."""

import inspect
import pkgutil
import xml.etree.ElementTree as ET
from importlib import import_module

import pytest
from flask_wtf import FlaskForm
from sqlalchemy import select

import directory.forms
from directory.extensions import db
from directory.forms.base import DirectoryForm
from directory.forms.validators import unstorable_characters
from directory.models import Application
from directory.services import moderation
from tests.conftest import PASSWORD, csrf_token, html
from tests.forms import application_form

BAD = ["\x00", "\x01", "\x1b", "\x0b", "\uffff", "\ufffe", "\ufdd0", "\U0001ffff", "\ud800"]
TEXT_FIELDS = ["name", "pitch_fr", "description_en", "city", "software", "website"]


def _poisoned(client, character: str) -> dict:
    """A valid application whose every text field ends with `character`."""
    form = application_form(client)
    return {**form, **{field: form[field] + character for field in TEXT_FIELDS}}


@pytest.mark.parametrize("character", [*BAD[:-1], "\U0010fffe"])
def test_the_application_form_refuses_what_xml_cannot_carry(client, character):
    response = client.post("/apply", data=_poisoned(client, character))
    assert response.status_code == 400
    page = html(response)
    for field in TEXT_FIELDS:
        error = page.select_one(f"#{field}-error")
        assert error is not None, field
        assert "Ce champ contient des caractères non autorisés." in error.get_text()


@pytest.mark.parametrize("good", ["é", "\t", "Ça va ? Œuvre — 😀", "\u00a0", "ﬁ"])
def test_ordinary_text_is_accepted(good):
    assert unstorable_characters(f"a{good}b") == ""


@pytest.mark.parametrize("bad", BAD)
def test_the_check_names_each_refused_character(bad):
    assert unstorable_characters(f"a{bad}b")


def test_every_form_of_the_app_has_the_check():
    forms = []
    for module in pkgutil.iter_modules(directory.forms.__path__):
        imported = import_module(f"directory.forms.{module.name}")
        forms += [
            cls
            for _name, cls in inspect.getmembers(imported, inspect.isclass)
            if issubclass(cls, FlaskForm) and cls.__module__ == imported.__name__
        ]
    assert len(forms) >= 8
    assert [form for form in forms if not issubclass(form, DirectoryForm)] == []


def test_the_login_and_edit_link_forms_refuse_a_nul(client, moderator):
    token = csrf_token(client, "/login")
    for path, data in [
        ("/login", {"email": "moderator@example.org\x00", "password": PASSWORD}),
        ("/login", {"email": "moderator@example.org", "password": PASSWORD + "\uffff"}),
        ("/edit-link", {"email": "x\x00@example.org"}),
    ]:
        response = client.post(path, data={**data, "csrf_token": token})
        assert response.status_code in (200, 400), path
        errors = html(response).select(".field-error")
        assert any("caractères non autorisés" in e.get_text() for e in errors), path


def test_the_french_atom_feed_stays_well_formed(app, client, moderator):
    for character in BAD[:-1]:
        client.post("/apply", data=_poisoned(client, character))
    client.post("/apply", data=application_form(client, name="Coop Valide"))
    with app.test_request_context():
        for application in db.session.scalars(select(Application)).all():
            moderation.approve(application.id, moderator, application.version)
    response = client.get("/feeds/providers.atom?lang=fr")
    assert response.status_code == 200
    feed = ET.fromstring(response.data)
    titles = [e.text for e in feed.iter("{http://www.w3.org/2005/Atom}title")]
    assert "Coop Valide" in titles
