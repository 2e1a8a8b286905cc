"""Builds an email with safe headers and hands it to the SMTP server, or to a file.

Header values never carry what a reader of the mail could take for another header: user text
reaches only the Subject, as one line without control characters or RFC 2047 encoded-word
markers (`=?`), and addresses are built with email.headerregistry.Address from validated
addresses only. This holds whatever the Python patch level (CVE-2024-6923: a Bcc forged
through an encoded word holding a line break).
"""

import re
import smtplib
import ssl
import unicodedata
from datetime import UTC, datetime
from email.headerregistry import Address
from email.message import EmailMessage
from email.utils import parseaddr
from pathlib import Path

from flask import current_app

# A plain address: no spaces, quotes, brackets, commas or controls; one @; a host name.
_ADDRESS = re.compile(r"[A-Za-z0-9.!#$%&'*+/=?^_`{|}~-]+@[A-Za-z0-9-]+(\.[A-Za-z0-9-]+)*")


class BadAddress(ValueError):
    """An address that cannot be put in a header as it is."""


def header_text(value: str) -> str:
    """`value` as one line of plain text: control, format and separator characters (CR, LF,
    NEL, U+2028...) become spaces, and every `=?` is dropped, so that no encoded word can
    be smuggled through."""
    text = "".join(
        " " if unicodedata.category(character) in ("Cc", "Cf", "Zl", "Zp") else character
        for character in value
    )
    while "=?" in text:
        text = text.replace("=?", "")
    return " ".join(text.split())


def is_plain_address(addr_spec: str) -> bool:
    """True when `addr_spec` can go in a header as it is (what forms check before queuing)."""
    try:
        address(addr_spec)
    except BadAddress:
        return False
    return True


def address(addr_spec: str, display_name: str = "") -> Address:
    """An Address from a validated plain address. Raises BadAddress."""
    if not _ADDRESS.fullmatch(addr_spec) or "=?" in addr_spec:
        raise BadAddress("not a plain address")
    local, _, domain = addr_spec.rpartition("@")
    return Address(display_name=header_text(display_name), username=local, domain=domain)


def build(
    message_id: str,
    recipient: str,
    subject: str,
    body: str,
    locale: str,
    reply_to: str | None = None,
) -> EmailMessage:
    """The email as it is sent, with a Reply-To when `reply_to` is given; raises BadAddress."""
    name, sender = parseaddr(current_app.config["MAIL_SENDER"])
    message = EmailMessage()
    message["From"] = address(sender, name)
    message["To"] = address(recipient)
    if reply_to:
        message["Reply-To"] = address(reply_to)
    message["Subject"] = header_text(subject)
    message["Message-ID"] = f"<{header_text(message_id).strip('<>')}>"
    message.set_content(body)
    # After set_content, which resets the Content-* headers.
    message["Content-Language"] = header_text(locale)
    return message


def transmit(message: EmailMessage) -> None:
    """Sends through MAIL_SERVER, or writes the message to the outbox folder without one."""
    config = current_app.config
    if not config.get("MAIL_SERVER"):
        _write_to_folder(message)
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


def _write_to_folder(message: EmailMessage) -> None:
    """For development: one .eml file per email. The log names the file, never the
    recipient, whose address is personal data."""
    outbox = Path(current_app.config["MAIL_OUTBOX_DIR"] or Path(current_app.instance_path) / "mail")
    outbox.mkdir(parents=True, exist_ok=True)
    stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%S%f")
    # The Message-ID's random part too: two senders may write in the same microsecond.
    unique = message["Message-ID"].strip("<>").partition("@")[0][:12]
    path = outbox / f"{stamp}-{unique}.eml"
    path.write_bytes(bytes(message))
    current_app.logger.info("Email %r written to %s", message["Subject"], path)
