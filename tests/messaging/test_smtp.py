"""Outbound e-mail through a real SMTP server on loopback (aiosmtpd): what arrives is
what the customer will read, replies thread, and each failure is the kind the caller
can act on."""

import email
import email.policy
import socket
import subprocess
from pathlib import Path

import pytest
from aiosmtpd.controller import Controller
from aiosmtpd.smtp import AuthResult

from hearth.messaging import smtp

HOST = "127.0.0.1"


class Mailbox:
    """Keeps every message the server accepted; refuses the addresses it is told to."""

    def __init__(self):
        self.messages = []
        self.refuse = {}

    async def handle_RCPT(self, server, session, envelope, address, rcpt_options):  # noqa: N802
        if address in self.refuse:
            return self.refuse[address]
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server, session, envelope):  # noqa: N802
        self.messages.append(
            (envelope, email.message_from_bytes(envelope.content, policy=email.policy.default))
        )
        return "250 Message accepted for delivery"


def certificate(directory: Path) -> tuple[Path, Path]:
    key, cert = directory / "key.pem", directory / "cert.pem"
    subprocess.run(
        [
            "openssl",
            "req",
            "-x509",
            "-newkey",
            "rsa:2048",
            "-nodes",
            "-keyout",
            key,
            "-out",
            cert,
            "-days",
            "1",
            "-subj",
            "/CN=127.0.0.1",
        ],
        check=True,
        capture_output=True,
    )
    return key, cert


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind((HOST, 0))
        return sock.getsockname()[1]


@pytest.fixture(scope="module")
def mail_server(tmp_path_factory):
    """STARTTLS required, and a sign-in with the one right password."""
    import ssl

    key, cert = certificate(tmp_path_factory.mktemp("tls"))
    context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
    context.load_cert_chain(cert, key)
    mailbox = Mailbox()

    def authenticator(server, session, envelope, mechanism, auth_data):
        right = auth_data.login == b"hearth" and auth_data.password == b"right"
        return AuthResult(success=right, handled=False)

    controller = Controller(
        mailbox,
        hostname=HOST,
        port=free_port(),
        tls_context=context,
        require_starttls=True,
        authenticator=authenticator,
        auth_require_tls=True,
    )
    controller.start()
    yield mailbox, controller.port
    controller.stop()


def server(port: int, **changes) -> smtp.Server:
    return smtp.Server(
        **{
            "host": HOST,
            "port": port,
            "username": "hearth",
            "password": "right",
            "verify_certificate": False,
            "timeout_s": 5,
            **changes,
        }
    )


def outgoing(**changes) -> smtp.Outgoing:
    return smtp.Outgoing(
        **{
            "sender_name": "Ana at Studio Lumen",
            "sender_address": "ana@studio-lumen.test",
            "to": "maria@example.org",
            "subject": "Your quote",
            "text": "Hi Maria,\n\nAttached.",
            "html": "<p>Hi Maria,</p><p>Attached.</p>",
            **changes,
        }
    )


def test_a_message_arrives_over_starttls_with_both_parts_and_our_message_id(mail_server):
    mailbox, port = mail_server
    msgid = smtp.message_id("studio-lumen.test")
    smtp.send(server(port), smtp.build(outgoing(), msgid))
    envelope, message = mailbox.messages[-1]
    assert envelope.rcpt_tos == ["maria@example.org"]
    assert message["Message-ID"] == msgid
    assert message["From"] == "Ana at Studio Lumen <ana@studio-lumen.test>"
    assert message.get_body(("plain",)).get_content().startswith("Hi Maria,")
    assert "<p>Attached.</p>" in message.get_body(("html",)).get_content()


def test_a_reply_threads_to_the_customers_message(mail_server):
    mailbox, port = mail_server
    mail = outgoing(in_reply_to="<abc@example.org>", references=["<first@example.org>"])
    smtp.send(server(port), smtp.build(mail, smtp.message_id("studio-lumen.test")))
    _, message = mailbox.messages[-1]
    assert message["In-Reply-To"] == "<abc@example.org>"
    assert message["References"] == "<first@example.org> <abc@example.org>"


def test_a_wrong_password_is_refused_in_words_the_owner_can_act_on(mail_server):
    _, port = mail_server
    with pytest.raises(smtp.MailRefusedError) as refused:
        smtp.send(server(port, password="wrong"), smtp.build(outgoing(), "<x@y>"))
    assert "SMTP password" in refused.value.message


def test_a_refused_address_and_a_try_later_are_told_apart(mail_server):
    mailbox, port = mail_server
    mailbox.refuse = {"gone@example.org": "550 No such user", "busy@example.org": "451 Try later"}
    with pytest.raises(smtp.MailRefusedError):
        smtp.send(server(port), smtp.build(outgoing(to="gone@example.org"), "<a@y>"))
    with pytest.raises(smtp.MailUnavailableError):
        smtp.send(server(port), smtp.build(outgoing(to="busy@example.org"), "<b@y>"))


def test_no_server_is_unavailability():
    with pytest.raises(smtp.MailUnavailableError):
        smtp.send(server(1, timeout_s=1), smtp.build(outgoing(), "<c@y>"))
