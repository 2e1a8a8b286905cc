"""Without an SMTP server, emails land in the outbox folder and the log names the file only."""

import logging
from email import message_from_bytes
from email.policy import default
from pathlib import Path

import pytest

from directory.extensions import db
from directory.services import applications, mail, mail_transport
from tests.factories import make_provider


def test_emails_go_to_the_outbox_without_a_server(app, caplog):
    caplog.set_level(logging.INFO)
    with app.app_context():
        mail.send("someone@private.example.net", "Sujet", "Corps du message\n", "fr")
    (path,) = Path(app.config["MAIL_OUTBOX_DIR"]).glob("*.eml")
    message = message_from_bytes(path.read_bytes(), policy=default)
    assert message["To"] == "someone@private.example.net"
    assert message["Content-Language"] == "fr"
    assert message.get_body(("plain",)).get_content() == "Corps du message\n"
    assert str(path) in caplog.text
    assert "someone@private.example.net" not in caplog.text


def test_templates_render_in_the_requested_language(app, smtp):
    with app.test_request_context():
        mail.render_and_send("a@example.net", "erased", "en")
        mail.render_and_send("b@example.net", "erased", "fr")
        db.session.commit()
    english, french = smtp.messages
    assert english["Subject"] == "Your data has been erased"
    assert french["Subject"] != english["Subject"]
    assert french.get_body(("plain",)).get_content().startswith("Bonjour")


EVIL_NAMES = [
    "Evil =?utf-8?q?=0D=0ABcc:_v@x.org?=",
    "Evil =?utf-8?b?DQpCY2M6IHZAeC5vcmc=?=",
    "Evil\r\nBcc: v@x.org",
    "Evil\u2028Bcc: v@x.org",
    "Evil =?=?utf-8?q?=0ABcc:_v@x.org?=?=",
]


@pytest.mark.parametrize("name", EVIL_NAMES)
def test_a_name_cannot_add_a_header_to_an_email(app, smtp, name):
    with app.test_request_context():
        make_provider(name=name, contact_email="owner@private.example.net")
        applications.send_edit_link("owner@private.example.net", "en")
    (message,) = smtp.messages
    assert message["X-Envelope-To"] == "owner@private.example.net"
    assert sorted(message.keys()) == sorted(
        [
            "From",
            "To",
            "Subject",
            "Message-ID",
            "Content-Type",
            "Content-Transfer-Encoding",
            "MIME-Version",
            "Content-Language",
            "X-Envelope-To",
        ]
    )
    assert message["Bcc"] is None
    subject = str(message["Subject"])
    assert "\n" not in subject and "\r" not in subject and "=?" not in subject
    assert subject.startswith("Your link to update Evil")


def test_header_text_is_one_line_without_encoded_words():
    for name in EVIL_NAMES:
        text = mail_transport.header_text(name)
        assert "=?" not in text
        assert all(character.isprintable() for character in text)


@pytest.mark.parametrize(
    "address", ["a@x.org\r\nBcc: v@x.org", "a@x.org, v@x.org", "A <a@x.org>", "=?utf-8?q?a?=@x.org"]
)
def test_only_plain_addresses_reach_a_header(address):
    with pytest.raises(mail_transport.BadAddress):
        mail_transport.address(address)
