"""Where the password reset emails go: the outbox file, or an SMTP server once one is set."""

from __future__ import annotations

import asyncio
import json
import socket
from collections.abc import Iterator
from email import message_from_bytes
from email.message import Message
from pathlib import Path
from typing import Any

import pytest
from aiosmtpd.controller import Controller
from supertokens_python import init
from supertokens_python.recipe.emailpassword import SMTPService
from supertokens_python.recipe.emailpassword.asyncio import send_email
from supertokens_python.recipe.emailpassword.types import (
    EmailTemplateVars,
    PasswordResetEmailTemplateVarsUser,
)
from supertokens_python.types import RecipeUserId

from core.additions.password_reset import (
    OutboxEmailService,
    ResetEmailSettings,
    email_delivery,
)
from core.recipes import recipe_list
from core.settings import Settings
from tests.devcore.sdk import reset_sdk

LINK = "http://localhost:3000/auth/reset-password?token=abc123&tenantId=public"
SMTP = {"SMTP_HOST": "smtp.example.com", "SMTP_FROM": "no-reply@example.com"}


def delivery(env: dict[str, str]) -> Any:
    """The email delivery an app with ``env`` sets up."""
    settings = Settings.from_env(env)
    return email_delivery(settings.read(ResetEmailSettings), settings.app_name)


def reset_email(to: str = "ada@example.com") -> EmailTemplateVars:
    user = PasswordResetEmailTemplateVarsUser("user-1", RecipeUserId("user-1"), to)
    return EmailTemplateVars(user=user, password_reset_link=LINK, tenant_id="public")


def test_links_go_to_the_outbox_file_until_smtp_is_configured(tmp_path: Path) -> None:
    outbox = tmp_path / "emails.jsonl"
    service = delivery({"EMAIL_OUTBOX": str(outbox)}).service
    assert isinstance(service, OutboxEmailService)

    asyncio.run(service.send_email(reset_email(), {}))

    [line] = outbox.read_text().splitlines()
    message = json.loads(line)
    assert message.pop("sentAt")
    assert message == {
        "type": "PASSWORD_RESET",
        "email": "ada@example.com",
        "userId": "user-1",
        "passwordResetLink": LINK,
        "tenantId": "public",
    }
    assert outbox.stat().st_mode & 0o077 == 0  # a reset link is as good as the password


def test_every_smtp_setting_reaches_the_sdk() -> None:
    service = delivery(
        {
            **SMTP,
            "SMTP_PORT": "2525",
            "SMTP_SECURE": "true",
            "SMTP_USERNAME": "mailer",
            "SMTP_PASSWORD": "secret",
            "SMTP_FROM_NAME": "Example accounts",
        }
    ).service

    assert isinstance(service, SMTPService)
    sent_with = service.service_implementation.transporter.smtp_settings
    assert (sent_with.host, sent_with.port, sent_with.secure) == (
        "smtp.example.com",
        2525,
        True,
    )
    assert (sent_with.username, sent_with.password) == ("mailer", "secret")
    assert (sent_with.from_.name, sent_with.from_.email) == (
        "Example accounts",
        "no-reply@example.com",
    )


class Mailbox:
    """What an SMTP server received."""

    def __init__(self) -> None:
        self.received: list[tuple[str, list[str], Message]] = []

    async def handle_DATA(
        self, server: Any, session: Any, envelope: Any
    ) -> str:  # aiosmtpd names it
        message = message_from_bytes(envelope.original_content)
        self.received.append((envelope.mail_from, list(envelope.rcpt_tos), message))
        return "250 OK"


@pytest.fixture
def smtp_server() -> Iterator[tuple[int, Mailbox]]:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = int(sock.getsockname()[1])
    mailbox = Mailbox()
    controller = Controller(mailbox, hostname="127.0.0.1", port=port)
    controller.start()
    try:
        yield port, mailbox
    finally:
        controller.stop()


@pytest.fixture
def app_mailing_through(
    smtp_server: tuple[int, Mailbox], tmp_path: Path
) -> Iterator[tuple[Settings, Mailbox]]:
    """The SDK initialised with this app's recipes, SMTP pointing at the local server."""
    port, mailbox = smtp_server
    settings = Settings.from_env(
        {
            "SMTP_HOST": "127.0.0.1",
            "SMTP_PORT": str(port),
            "SMTP_FROM": "no-reply@example.com",
            "EMAIL_OUTBOX": str(tmp_path / "emails.jsonl"),
            "STATE_DB": str(tmp_path / "throttle.sqlite3"),
        }
    )
    reset_sdk()  # whatever another test initialised, this app's recipes from here on
    init(
        app_info=settings.app_info(),
        supertokens_config=settings.supertokens_config(),
        framework="fastapi",
        recipe_list=recipe_list(settings),
    )
    try:
        yield settings, mailbox
    finally:
        reset_sdk()


def test_with_smtp_set_the_app_mails_the_link_through_that_server(
    app_mailing_through: tuple[Settings, Mailbox],
) -> None:
    settings, mailbox = app_mailing_through

    asyncio.run(send_email(reset_email()))  # what emailpassword does with a reset link

    [(sender, recipients, message)] = mailbox.received
    assert (sender, recipients) == ("no-reply@example.com", ["ada@example.com"])
    assert message["From"] == f"{settings.app_name} <no-reply@example.com>"
    assert message["To"] == "ada@example.com"
    body = message.get_payload(decode=True)
    assert isinstance(body, bytes) and LINK.encode() in body
    assert not Path(settings.read(ResetEmailSettings).email_outbox).exists()
