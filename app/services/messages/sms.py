"""SMS through a gateway, behind one small interface: ``gateway.send(to, text)`` returns
the gateway's id of the message or raises a DomainError:

* ``sms.bad_token``: the gateway refused the token (HTTP 401/403, SMSAPI error 101-103);
* ``sms.rate_limited``: too many messages for now (HTTP 429), ``retry_after`` seconds
  from its ``Retry-After`` header (``sms.rate_limited_later`` when it gave none);
* ``sms.network``: the gateway cannot be reached (no network, refused, timeout);
* ``sms.rejected``: the gateway refused this message (a wrong number, no credit...),
  with its own words;
* ``sms.not_set_up``: no token kept.

Two adapters, both one HTTPS request with the standard library's ``urllib``:

SMSAPI (smsapi.pl for Poland, smsapi.bg for Bulgaria, the same API):
``POST {base}/sms.do`` with ``Authorization: Bearer <OAuth token>`` (made in the SMSAPI
panel: API settings -> OAuth tokens, with the "SMS" permission) and the form fields
``to`` (the number without "+"), ``message``, ``from`` (a registered sender name, else
the account's default), ``encoding=utf-8``, ``format=json``. The answer is
``{"count": 1, "list": [{"id": "...", "points": 0.16, "parts": 1, ...}]}``, or
``{"error": 13, "message": "..."}`` (101 bad token, 13 no valid number, 103 no credit).

Twilio (international): ``POST {base}/2010-04-01/Accounts/{AccountSid}/Messages.json``
with HTTP Basic auth (Account SID, Auth Token) and the form fields ``To``, ``From``
(a Twilio number), ``Body``. The answer is the message with its ``sid``; an error is
``{"code": 21211, "message": "...", "status": 400}``.

The base URL is a setting, so the tests run both against a local ``http.server``.
"""

from __future__ import annotations

import base64
import json
import urllib.error
import urllib.parse
import urllib.request
from typing import Protocol

from app.errors import DomainError
from app.services.messages.config import SMSAPI_BG, SMSAPI_PL, TWILIO, SmsSettings
from app.services.messages.secrets import SMS_SERVICE, get_secret


class SmsGateway(Protocol):
    def send(self, to: str, text: str) -> str:
        """Send ``text`` to ``to`` (E.164, "+48..."); the gateway's id of the message."""
        ...


def _post(url: str, form: dict[str, str], headers: dict[str, str],
          timeout: float) -> tuple[int, dict, dict]:
    """(HTTP status, the JSON answer, the headers); an HTTP error is an answer too."""
    data = urllib.parse.urlencode(form).encode("utf-8")
    req = urllib.request.Request(url, data=data, method="POST", headers={
        "Content-Type": "application/x-www-form-urlencoded; charset=utf-8",
        "Accept": "application/json", "User-Agent": "ClientCare", **headers})
    try:
        with urllib.request.urlopen(req, timeout=timeout) as resp:  # noqa: S310 (https)
            status, raw, head = resp.status, resp.read(), dict(resp.headers)
    except urllib.error.HTTPError as exc:
        status, raw, head = exc.code, exc.read(), dict(exc.headers or {})
    except (urllib.error.URLError, TimeoutError, ConnectionError) as exc:
        reason = getattr(exc, "reason", exc)
        raise DomainError("sms.network", f"the SMS gateway cannot be reached: {reason}",
                          detail=str(reason)) from exc
    try:
        body = json.loads(raw.decode("utf-8") or "{}")
    except ValueError:
        body = {"message": raw.decode("utf-8", "replace")[:300]}
    if not isinstance(body, dict):
        body = {"message": str(body)[:300]}
    return status, body, head


def _common_errors(status: int, body: dict, head: dict) -> None:
    if status in (401, 403):
        raise DomainError("sms.bad_token", f"the gateway refused the token ({status}): "
                          f"{body.get('message', '')}", detail=str(body.get("message", "")))
    if status == 429:
        after = str(next((v for k, v in head.items() if k.lower() == "retry-after"),
                         "")).strip()
        code = "sms.rate_limited" if after else "sms.rate_limited_later"
        raise DomainError(code, f"the gateway asks to wait {after or 'a while'} s",
                          retry_after=after)
    if status >= 500:
        raise DomainError("sms.network", f"the gateway failed ({status})",
                          detail=f"HTTP {status}")


class SmsApiGateway:
    """smsapi.pl / smsapi.bg."""

    def __init__(self, token: str, base_url: str, sender: str = "",
                 timeout: float = 20.0) -> None:
        self.token, self.base_url, self.sender, self.timeout = (
            token, base_url.rstrip("/"), sender, timeout)

    def send(self, to: str, text: str) -> str:
        form = {"to": to.lstrip("+"), "message": text, "encoding": "utf-8",
                "format": "json"}
        if self.sender:
            form["from"] = self.sender
        status, body, head = _post(f"{self.base_url}/sms.do", form,
                                   {"Authorization": f"Bearer {self.token}"}, self.timeout)
        _common_errors(status, body, head)
        if "error" in body:
            code = body.get("error")
            if code in (101, 102, 105):
                raise DomainError("sms.bad_token", f"SMSAPI refused the token: "
                                  f"{body.get('message', '')}",
                                  detail=str(body.get("message", "")))
            raise DomainError("sms.rejected", f"SMSAPI refused the message ({code}): "
                              f"{body.get('message', '')}",
                              detail=f"{code}: {body.get('message', '')}")
        items = body.get("list") or []
        if status >= 400 or not items or not items[0].get("id"):
            raise DomainError("sms.rejected", f"SMSAPI answered {status} without a "
                              "message id", detail=f"HTTP {status}")
        return str(items[0]["id"])


class TwilioGateway:
    """Twilio's Messages API."""

    def __init__(self, account_sid: str, token: str, sender: str, base_url: str,
                 timeout: float = 20.0) -> None:
        self.sid, self.token, self.sender = account_sid, token, sender
        self.base_url, self.timeout = base_url.rstrip("/"), timeout

    def send(self, to: str, text: str) -> str:
        auth = base64.b64encode(f"{self.sid}:{self.token}".encode()).decode("ascii")
        url = (f"{self.base_url}/2010-04-01/Accounts/"
               f"{urllib.parse.quote(self.sid, safe='')}/Messages.json")
        status, body, head = _post(url, {"To": to, "From": self.sender, "Body": text},
                                   {"Authorization": f"Basic {auth}"}, self.timeout)
        _common_errors(status, body, head)
        if status >= 400 or not body.get("sid"):
            raise DomainError("sms.rejected", f"Twilio refused the message: "
                              f"{body.get('code', status)} {body.get('message', '')}",
                              detail=f"{body.get('code', status)}: {body.get('message', '')}")
        return str(body["sid"])


def gateway_for(settings: SmsSettings, token: str | None = None) -> SmsGateway:
    """The adapter the settings name, with the token from the keyring (or ``token``)."""
    if not settings.ready:
        raise DomainError("sms.not_set_up", "the SMS gateway is not set up")
    if token is None:
        token = get_secret(SMS_SERVICE, settings.keyring_account)
    if not token:
        raise DomainError("sms.not_set_up", "no token is kept for the SMS gateway")
    if settings.provider in (SMSAPI_PL, SMSAPI_BG):
        return SmsApiGateway(token, settings.url, settings.sender, settings.timeout)
    if settings.provider == TWILIO:
        return TwilioGateway(settings.account, token, settings.sender, settings.url,
                             settings.timeout)
    raise DomainError("sms.not_set_up", f"unknown gateway {settings.provider}")
