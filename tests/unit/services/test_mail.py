"""Without an SMTP server, emails land in the outbox folder and the log names the file only."""

import logging
from email import message_from_bytes
from email.policy import default
from pathlib import Path

from directory.services import mail


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
    english, french = smtp.messages
    assert english["Subject"] == "Your data has been erased"
    assert french["Subject"] != english["Subject"]
    assert french.get_body(("plain",)).get_content().startswith("Bonjour")
