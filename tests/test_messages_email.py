"""E-mail through the owner's SMTP server, against a local aiosmtpd server started here:
what arrives (headers, a Cyrillic subject in RFC 2047, the UTF-8 body, From/To, Date,
Message-ID), over no encryption, STARTTLS and TLS, with a login, and each failure as
its own error code."""

from __future__ import annotations

import email
import email.policy
import socket
import threading

import keyring
import pytest
from aiosmtpd.controller import Controller

from app.errors import DomainError
from app.services.messages import secrets
from app.services.messages.config import EmailSettings
from app.services.messages.email import send_mail
from tests.messages_support import (
    Inbox,
    Logins,
    client_context,
    free_port,
    install_memory_keyring,
    self_signed,
    server_context,
)


@pytest.fixture
def memory_keyring():
    mem, before = install_memory_keyring()
    yield mem
    keyring.set_keyring(before)


@pytest.fixture
def certs(tmp_path):
    return self_signed(tmp_path)


def start(inbox, **kw) -> Controller:
    port = free_port()
    ctl = Controller(inbox, hostname="127.0.0.1", port=port, **kw)
    ctl.start()
    return ctl


def settings(port: int, security: str = "none", user: str = "", timeout: float = 5) -> EmailSettings:
    return EmailSettings(host="127.0.0.1", port=port, security=security, user=user,
                         from_address="biuro@salon-anna.pl", from_name="Salon Anna",
                         timeout=timeout)


def arrived(inbox: Inbox):
    assert len(inbox.envelopes) == 1
    env = inbox.envelopes[0]
    return env, email.message_from_bytes(env.original_content, policy=email.policy.default)


def test_a_cyrillic_mail_arrives_with_every_header(memory_keyring):
    inbox = Inbox()
    ctl = start(inbox)
    try:
        sent = send_mail(settings(ctl.port), "ivan@example.ru", "С днём рождения, Иван!",
                         "Здравствуйте, Иван!\n\nПоздравляем с днём рождения.\n")
    finally:
        ctl.stop()
    env, msg = arrived(inbox)
    assert env.mail_from == "biuro@salon-anna.pl"
    assert env.rcpt_tos == ["ivan@example.ru"]
    raw = env.original_content.decode("ascii")  # 7-bit on the wire, headers and body
    subject_line = next(line for line in raw.splitlines() if line.startswith("Subject:"))
    assert "=?utf-8?" in subject_line.lower()  # RFC 2047 encoded word
    assert msg["Subject"] == "С днём рождения, Иван!"
    assert msg["To"] == "ivan@example.ru"
    assert msg["From"].addresses[0].display_name == "Salon Anna"
    assert msg["From"].addresses[0].addr_spec == "biuro@salon-anna.pl"
    assert msg["Date"].datetime is not None
    assert msg["Message-ID"] == sent.message_id
    assert sent.message_id.endswith("@salon-anna.pl>")
    assert msg.get_content_type() == "text/plain"
    assert msg.get_content_charset() == "utf-8"
    assert msg.get_content().replace("\r\n", "\n") == ("Здравствуйте, Иван!\n\n"
                                                        "Поздравляем с днём рождения.\n")


def test_starttls_with_a_login_from_the_keyring(memory_keyring, certs):
    cert, key = certs
    inbox = Inbox()
    ctl = start(inbox, tls_context=server_context(cert, key), require_starttls=True,
                authenticator=Logins("anna", "tajne-hasło"), auth_required=True)
    s = settings(ctl.port, "starttls", user="anna")
    secrets.set_secret(secrets.SMTP_SERVICE, s.account, "tajne-hasło")
    try:
        send_mail(s, "jan@example.pl", "Dziękujemy za zakupy", "Dzień dobry, Jan!",
                  context=client_context(cert))
    finally:
        ctl.stop()
    _env, msg = arrived(inbox)
    assert msg["Subject"] == "Dziękujemy za zakupy"
    assert memory_keyring.items == {(secrets.SMTP_SERVICE, "anna@127.0.0.1:" + str(ctl.port)):
                                    "tajne-hasło"}


def test_implicit_tls(memory_keyring, certs):
    cert, key = certs
    inbox = Inbox()
    ctl = start(inbox, ssl_context=server_context(cert, key))
    try:
        send_mail(settings(ctl.port, "tls"), "a@example.bg", "Честит имен ден!", "Здравейте!",
                  context=client_context(cert))
    finally:
        ctl.stop()
    _env, msg = arrived(inbox)
    assert msg["Subject"] == "Честит имен ден!"


def test_a_wrong_password_is_an_auth_error(memory_keyring, certs):
    cert, key = certs
    inbox = Inbox()
    ctl = start(inbox, tls_context=server_context(cert, key), require_starttls=True,
                authenticator=Logins("anna", "right"), auth_required=True)
    try:
        with pytest.raises(DomainError) as err:
            send_mail(settings(ctl.port, "starttls", user="anna"), "x@example.pl", "S", "B",
                      password="wrong", context=client_context(cert))
    finally:
        ctl.stop()
    assert err.value.code == "email.auth"
    assert err.value.values["user"] == "anna"
    assert inbox.envelopes == []


def test_an_untrusted_certificate_is_a_tls_error(memory_keyring, certs):
    cert, key = certs
    ctl = start(Inbox(), tls_context=server_context(cert, key), require_starttls=True)
    try:
        with pytest.raises(DomainError) as err:
            send_mail(settings(ctl.port, "starttls"), "x@example.pl", "S", "B")  # system CAs
    finally:
        ctl.stop()
    assert err.value.code == "email.tls"


def test_starttls_asked_of_a_server_without_it(memory_keyring):
    ctl = start(Inbox())
    try:
        with pytest.raises(DomainError) as err:
            send_mail(settings(ctl.port, "starttls"), "x@example.pl", "S", "B")
    finally:
        ctl.stop()
    assert err.value.code == "email.tls"


def test_connection_refused(memory_keyring):
    port = free_port()  # nothing listens there
    with pytest.raises(DomainError) as err:
        send_mail(settings(port), "x@example.pl", "S", "B")
    assert err.value.code == "email.refused"
    assert err.value.values["port"] == port


def test_a_server_that_never_answers_is_a_timeout(memory_keyring):
    listener = socket.socket()
    listener.bind(("127.0.0.1", 0))
    listener.listen(1)  # accepts the connection, never says hello
    held = []
    t = threading.Thread(target=lambda: held.append(listener.accept()), daemon=True)
    t.start()
    try:
        with pytest.raises(DomainError) as err:
            send_mail(settings(listener.getsockname()[1], timeout=0.5), "x@example.pl",
                      "S", "B")
    finally:
        for conn, _addr in held:
            conn.close()
        listener.close()
    assert err.value.code == "email.timeout"


def test_a_refused_recipient(memory_keyring):
    class Picky(Inbox):
        async def handle_RCPT(self, server, session, envelope, address, rcpt_options):
            return "550 no such mailbox"

    inbox = Picky()
    ctl = start(inbox)
    try:
        with pytest.raises(DomainError) as err:
            send_mail(settings(ctl.port), "nobody@example.pl", "S", "B")
    finally:
        ctl.stop()
    assert err.value.code == "email.recipient"
    assert "550" in err.value.values["detail"]


def test_not_set_up():
    with pytest.raises(DomainError) as err:
        send_mail(EmailSettings(), "x@example.pl", "S", "B")
    assert err.value.code == "email.not_set_up"
