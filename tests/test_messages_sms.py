"""SMS gateways against a local HTTP server that plays them: SMSAPI (smsapi.pl/.bg)
and Twilio — a message sent, a bad token (401), a rate limit (429 with Retry-After),
a refused number, the network down — and the token read from the keyring."""

from __future__ import annotations

import base64

import keyring
import pytest

from app.errors import DomainError
from app.services.messages import secrets
from app.services.messages.config import SMSAPI_BG, SMSAPI_PL, TWILIO, SmsSettings
from app.services.messages.sms import SmsApiGateway, TwilioGateway, gateway_for
from tests.messages_support import Gateway, free_port, install_memory_keyring


@pytest.fixture
def memory_keyring():
    mem, before = install_memory_keyring()
    yield mem
    keyring.set_keyring(before)


@pytest.fixture
def smsapi():
    gw = Gateway("smsapi")
    yield gw
    gw.close()


@pytest.fixture
def twilio():
    gw = Gateway("twilio")
    yield gw
    gw.close()


def test_smsapi_sends_with_the_bearer_token(smsapi):
    gid = SmsApiGateway("tok-123", smsapi.url, sender="SalonAnna").send(
        "+48601234567", "Wszystkiego najlepszego, Zażółć!")
    assert gid == "id-1"
    path, headers, form = smsapi.requests[0]
    assert path == "/sms.do"
    assert headers["Authorization"] == "Bearer tok-123"
    assert form == {"to": "48601234567", "message": "Wszystkiego najlepszego, Zażółć!",
                    "encoding": "utf-8", "format": "json", "from": "SalonAnna"}


def test_smsapi_bad_token(smsapi):
    smsapi.mode = "bad_token"
    with pytest.raises(DomainError) as err:
        SmsApiGateway("wrong", smsapi.url).send("+48601234567", "x")
    assert err.value.code == "sms.bad_token"


def test_smsapi_rate_limit_says_when_to_try_again(smsapi):
    smsapi.mode = "rate_limit"
    with pytest.raises(DomainError) as err:
        SmsApiGateway("tok", smsapi.url).send("+48601234567", "x")
    assert err.value.code == "sms.rate_limited"
    assert err.value.values["retry_after"] == "30"


def test_smsapi_refused_number_keeps_its_words(smsapi):
    smsapi.mode = "error"
    with pytest.raises(DomainError) as err:
        SmsApiGateway("tok", smsapi.url).send("+48000", "x")
    assert err.value.code == "sms.rejected"
    assert "No correct phone numbers" in err.value.values["detail"]


def test_network_down():
    url = f"http://127.0.0.1:{free_port()}"  # nothing listens there
    for gw in (SmsApiGateway("tok", url), TwilioGateway("AC1", "tok", "+15550001", url)):
        with pytest.raises(DomainError) as err:
            gw.send("+48601234567", "x")
        assert err.value.code == "sms.network"


def test_twilio_sends_with_basic_auth(twilio):
    gid = TwilioGateway("AC42", "secret", "+15550001", twilio.url).send(
        "+359881234567", "Честит имен ден!")
    assert gid.startswith("SM")
    path, headers, form = twilio.requests[0]
    assert path == "/2010-04-01/Accounts/AC42/Messages.json"
    assert headers["Authorization"] == "Basic " + base64.b64encode(b"AC42:secret").decode()
    assert form == {"To": "+359881234567", "From": "+15550001", "Body": "Честит имен ден!"}


@pytest.mark.parametrize("mode,code", [("bad_token", "sms.bad_token"),
                                       ("rate_limit", "sms.rate_limited"),
                                       ("error", "sms.rejected")])
def test_twilio_failures(twilio, mode, code):
    twilio.mode = mode
    with pytest.raises(DomainError) as err:
        TwilioGateway("AC42", "secret", "+15550001", twilio.url).send("+1", "x")
    assert err.value.code == code


def test_the_token_comes_from_the_keyring(memory_keyring, smsapi):
    s = SmsSettings(provider=SMSAPI_BG, base_url=smsapi.url)
    with pytest.raises(DomainError) as err:
        gateway_for(s)
    assert err.value.code == "sms.not_set_up"  # no token kept yet
    secrets.set_secret(secrets.SMS_SERVICE, s.keyring_account, "bg-token")
    gateway_for(s).send("+359881234567", "x")
    assert smsapi.requests[0][1]["Authorization"] == "Bearer bg-token"
    secrets.set_secret(secrets.SMS_SERVICE, s.keyring_account, "")  # removed
    assert memory_keyring.items == {}


def test_settings_choose_the_adapter_and_its_address():
    assert SmsSettings(provider=SMSAPI_PL).url == "https://api.smsapi.pl"
    assert SmsSettings(provider=SMSAPI_BG).url == "https://api.smsapi.bg"
    assert isinstance(gateway_for(SmsSettings(provider=TWILIO, account="AC1",
                                              sender="+1555"), token="t"), TwilioGateway)
    with pytest.raises(DomainError) as err:
        gateway_for(SmsSettings(provider=TWILIO), token="t")  # no SID, no number
    assert err.value.code == "sms.not_set_up"
