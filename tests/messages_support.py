"""Test helpers of the message tests (issue 18): an in-memory keyring, a local SMTP
server (aiosmtpd) that keeps what arrives, a self-signed certificate for its TLS, and a
local HTTP server that plays an SMS gateway."""

from __future__ import annotations

import datetime as dt
import http.server
import json
import socket
import ssl
import threading
import urllib.parse
from pathlib import Path

import keyring
from keyring.backend import KeyringBackend


class MemoryKeyring(KeyringBackend):
    """A keyring that lives in a dict, so no test touches the real one."""

    priority = 1

    def __init__(self) -> None:
        super().__init__()
        self.items: dict[tuple[str, str], str] = {}

    def get_password(self, service, username):
        return self.items.get((service, username))

    def set_password(self, service, username, password):
        self.items[(service, username)] = password

    def delete_password(self, service, username):
        from keyring.errors import PasswordDeleteError
        if (service, username) not in self.items:
            raise PasswordDeleteError(username)
        del self.items[(service, username)]


def install_memory_keyring() -> tuple[MemoryKeyring, object]:
    """(the new keyring, the one before it) — give the second back to keyring.set_keyring."""
    before = keyring.get_keyring()
    mem = MemoryKeyring()
    keyring.set_keyring(mem)
    return mem, before


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def self_signed(folder: Path) -> tuple[Path, Path]:
    """A certificate for 127.0.0.1 and its key (PEM files in ``folder``)."""
    import ipaddress

    from cryptography import x509
    from cryptography.hazmat.primitives import hashes, serialization
    from cryptography.hazmat.primitives.asymmetric import ec
    from cryptography.x509.oid import NameOID

    key = ec.generate_private_key(ec.SECP256R1())
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "127.0.0.1")])
    now = dt.datetime.now(dt.UTC)
    cert = (x509.CertificateBuilder().subject_name(name).issuer_name(name)
            .public_key(key.public_key()).serial_number(x509.random_serial_number())
            .not_valid_before(now - dt.timedelta(days=1))
            .not_valid_after(now + dt.timedelta(days=2))
            .add_extension(x509.SubjectAlternativeName(
                [x509.IPAddress(ipaddress.ip_address("127.0.0.1"))]), critical=False)
            .add_extension(x509.BasicConstraints(ca=True, path_length=None), critical=True)
            .sign(key, hashes.SHA256()))
    cert_file, key_file = folder / "cert.pem", folder / "key.pem"
    cert_file.write_bytes(cert.public_bytes(serialization.Encoding.PEM))
    key_file.write_bytes(key.private_bytes(serialization.Encoding.PEM,
                                           serialization.PrivateFormat.PKCS8,
                                           serialization.NoEncryption()))
    return cert_file, key_file


def server_context(cert: Path, key: Path) -> ssl.SSLContext:
    ctx = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
    ctx.load_cert_chain(cert, key)
    return ctx


def client_context(cert: Path) -> ssl.SSLContext:
    return ssl.create_default_context(cafile=str(cert))


class Inbox:
    """An aiosmtpd handler that keeps every mail (envelope) that arrives."""

    def __init__(self) -> None:
        self.envelopes = []

    async def handle_DATA(self, server, session, envelope):
        self.envelopes.append(envelope)
        return "250 Message accepted for delivery"


class Logins:
    """An aiosmtpd authenticator that knows one user."""

    def __init__(self, user: str, password: str) -> None:
        self.user, self.password = user.encode(), password.encode()

    def __call__(self, server, session, envelope, mechanism, auth_data):
        from aiosmtpd.smtp import AuthResult, LoginPassword
        ok = (isinstance(auth_data, LoginPassword) and auth_data.login == self.user
              and auth_data.password == self.password)
        return AuthResult(success=ok, handled=False)


# --------------------------------------------------------------------------- SMS gateway


class Gateway:
    """A local HTTP server playing an SMS gateway: ``mode`` says how it answers the
    next requests ("ok", "bad_token", "rate_limit", "error"); ``requests`` keeps each
    request (path, headers, form)."""

    def __init__(self, kind: str) -> None:
        self.kind, self.mode, self.requests = kind, "ok", []
        gateway = self

        class Handler(http.server.BaseHTTPRequestHandler):
            def log_message(self, *_a):
                pass

            def do_POST(self):
                length = int(self.headers.get("Content-Length") or 0)
                form = dict(urllib.parse.parse_qsl(self.rfile.read(length).decode()))
                gateway.requests.append((self.path, dict(self.headers), form))
                status, body, extra = gateway.answer(form)
                raw = json.dumps(body).encode()
                self.send_response(status)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(raw)))
                for k, v in extra.items():
                    self.send_header(k, v)
                self.end_headers()
                self.wfile.write(raw)

        self.server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)
        self.thread.start()

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.server.server_address[1]}"

    def answer(self, form: dict) -> tuple[int, dict, dict]:
        n = len(self.requests)
        if self.mode == "bad_token":
            if self.kind == "twilio":
                return 401, {"code": 20003, "message": "Authenticate", "status": 401}, {}
            return 401, {"error": 101, "message": "Authorization failed"}, {}
        if self.mode == "rate_limit":
            return 429, {"message": "Too many requests"}, {"Retry-After": "30"}
        if self.mode == "error":
            if self.kind == "twilio":
                return 400, {"code": 21211, "message": "Invalid 'To' Phone Number",
                             "status": 400}, {}
            return 200, {"error": 13, "message": "No correct phone numbers"}, {}
        if self.kind == "twilio":
            return 201, {"sid": f"SM{n:032d}", "status": "queued", "to": form.get("To")}, {}
        return 200, {"count": 1, "list": [{"id": f"id-{n}", "points": 0.16,
                                           "number": form.get("to"), "status": "QUEUE"}]}, {}

    def close(self) -> None:
        self.server.shutdown()
        self.server.server_close()
