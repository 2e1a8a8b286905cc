"""Sends emails through SMTP, or writes them to the instance folder when no server is set."""

import smtplib
import ssl
from datetime import UTC, datetime
from email.message import EmailMessage
from email.utils import make_msgid
from pathlib import Path

from flask import current_app, render_template
from flask_babel import force_locale


def render_and_send(to: str, template: str, locale: str, **context) -> None:
    """Renders templates/email/<template>.txt in `locale` (its first line is the subject)
    and sends it to `to`."""
    with force_locale(locale):
        text = render_template(f"email/{template}.txt", **context)
    subject, _, body = text.strip().partition("\n")
    send(to, subject.strip(), body.strip() + "\n", locale)


def send(to: str, subject: str, body: str, locale: str = "fr") -> None:
    config = current_app.config
    message = EmailMessage()
    message["From"] = config["MAIL_SENDER"]
    message["To"] = to
    # A line break in a header would fail the send (or forge a header): keep one line.
    message["Subject"] = " ".join(subject.split())
    message["Message-ID"] = make_msgid(domain="directory.invalid")
    message.set_content(body)
    # After set_content, which resets the Content-* headers.
    message["Content-Language"] = locale
    if not config.get("MAIL_SERVER"):
        _write_to_outbox(message)
        return
    if config["MAIL_USE_SSL"]:
        smtp = smtplib.SMTP_SSL(
            config["MAIL_SERVER"],
            config["MAIL_PORT"],
            context=ssl.create_default_context(),
            timeout=config["MAIL_TIMEOUT"],
        )
    else:
        smtp = smtplib.SMTP(
            config["MAIL_SERVER"], config["MAIL_PORT"], timeout=config["MAIL_TIMEOUT"]
        )
    with smtp:
        if config["MAIL_USE_TLS"]:
            smtp.starttls(context=ssl.create_default_context())
        if config.get("MAIL_USERNAME"):
            smtp.login(config["MAIL_USERNAME"], config["MAIL_PASSWORD"])
        smtp.send_message(message)


def _write_to_outbox(message: EmailMessage) -> None:
    """For development: one .eml file per email. The log names the file, never the
    recipient, whose address is personal data."""
    outbox = Path(current_app.config["MAIL_OUTBOX_DIR"] or Path(current_app.instance_path) / "mail")
    outbox.mkdir(parents=True, exist_ok=True)
    stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%S%f")
    path = outbox / f"{stamp}.eml"
    path.write_bytes(bytes(message))
    current_app.logger.info("Email %r written to %s", message["Subject"], path)
