"""Sending a message: the contact rules (consent, do-not-contact, the cap, best hours,
an address), the log (a sent message is a contact on the card that closes its tasks, a
failure is kept and retried), on SQLite and PostgreSQL; and the whole path once over
the local SMTP server and the local SMS gateway."""

from __future__ import annotations

from datetime import date, datetime, time, timedelta
from decimal import Decimal

import keyring
import pytest
from aiosmtpd.controller import Controller
from sqlalchemy import select

from app.errors import DomainError
from app.models import Client, Contact, ContactEffect, OutgoingMessage, Task
from app.models.enums import Channel, Direction, Outcome, TaskKind, TaskStatus
from app.services import calls
from app.services import clients as client_service
from app.services import settings as settings_service
from app.services.messages import config, secrets, sending
from app.services.messages.sending import MessageRequest, Transport
from tests.messages_support import Gateway, Inbox, free_port, install_memory_keyring

NOW = datetime(2026, 12, 2, 10, 30)


class FakeTransport(Transport):
    """Keeps what it was asked to send; ``fail`` raises that error instead."""

    def __init__(self, fail: DomainError | None = None) -> None:
        super().__init__()
        self.sent: list[tuple] = []
        self.fail = fail

    def send(self, channel, to, subject, body):
        if self.fail is not None:
            raise self.fail
        self.sent.append((channel, to, subject, body))
        return f"gw-{len(self.sent)}"


def set_up(db):
    with db.session() as s:
        settings_service.put(s, "business.name", "Salon Anna")
        config.save_email(s, config.EmailSettings(host="mail.example.pl", port=587,
                                                  from_address="biuro@example.pl"))
        config.save_sms(s, config.SmsSettings())


def client(db, name="Anna Nowak", **kw) -> int:
    kw.setdefault("email", "anna@example.pl")
    kw.setdefault("phone", "+48601234567")
    if kw.get("marketing_consent"):
        kw.setdefault("marketing_consent_on", date(2026, 1, 1))
    data = client_service.ClientData(name=name, **kw)
    # a follow-up names what was bought ({item})
    data.purchases = [client_service.PurchaseData(purchased_on=date(2026, 11, 28),
                                                  amount=Decimal("120"), item="krem")]
    with db.session() as s:
        return client_service.save_client(s, data, region="PL")


def task(db, cid, kind=TaskKind.FOLLOW_UP) -> int:
    with db.session() as s:
        t = Task(client_id=cid, kind=kind, due_on=NOW.date(), status=TaskStatus.OPEN,
                 priority=40)
        s.add(t)
        s.flush()
        return t.id


def send(db, *reqs, transport=None):
    return sending.send(db, reqs, transport or FakeTransport(), clock=lambda: NOW)


def test_a_sent_message_is_a_contact_that_closes_its_task(any_db):
    db = any_db
    set_up(db)
    cid = client(db)
    tid = task(db, cid)
    tr = FakeTransport()
    result = send(db, MessageRequest(cid, Channel.EMAIL, (tid,)), transport=tr)
    assert len(result.sent) == 1 and not result.failed and not result.refused
    channel, to, subject, body = tr.sent[0]
    assert (channel, to) == (Channel.EMAIL, "anna@example.pl")
    assert "Anna" in body and "Salon Anna" in body
    with db.session() as s:
        contact = s.scalar(select(Contact).where(Contact.client_id == cid))
        assert (contact.channel, contact.outcome, contact.direction) == (
            Channel.EMAIL, Outcome.LEFT_MESSAGE, Direction.OUTBOUND)
        assert contact.purpose == TaskKind.FOLLOW_UP and contact.task_id == tid
        assert contact.note == subject
        assert s.get(Task, tid).status == TaskStatus.DONE
        msg = s.scalar(select(OutgoingMessage))
        assert (msg.status, msg.contact_id, msg.gateway_id, msg.body) == (
            "sent", contact.id, "gw-1", body)
        assert s.scalar(select(ContactEffect.task_id)) == tid
    # like a call, the message can be undone from the card: the task opens again
    with db.session() as s:
        calls.undo_call(s, contact.id)
    with db.session() as s:
        assert s.get(Task, tid).status == TaskStatus.OPEN


def test_the_rules_refuse_with_the_reason(any_db):
    db = any_db
    set_up(db)
    no_consent = client(db, "Bez Zgody")
    dnc = client(db, "Nie Dzwonić", do_not_contact=True, marketing_consent=True)
    no_mail = client(db, "Bez Maila", email="", marketing_consent=True)
    ok = client(db, "Z Zgodą", marketing_consent=True)
    result = send(db, MessageRequest(no_consent, Channel.SMS, kind="birthday"),
                  MessageRequest(dnc, Channel.SMS, kind="follow_up"),
                  MessageRequest(no_mail, Channel.EMAIL, kind="birthday"),
                  MessageRequest(ok, Channel.SMS, kind="birthday"),
                  # a service message needs no marketing consent
                  MessageRequest(no_consent, Channel.SMS, kind="follow_up"))
    codes = [(o.client_name, o.error.code if o.error else None) for o in result.outcomes]
    assert codes == [("Bez Zgody", "message.no_consent"),
                     ("Nie Dzwonić", "message.do_not_contact"),
                     ("Bez Maila", "message.no_email"), ("Z Zgodą", None),
                     ("Bez Zgody", None)]
    assert len(result.refused) == 3
    with db.session() as s:  # a refusal writes nothing
        assert s.scalar(select(OutgoingMessage.client_id).where(
            OutgoingMessage.client_id == dnc)) is None


def test_the_cap_counts_messages_and_spares_complaint_call_backs(any_db):
    db = any_db
    set_up(db)
    cid = client(db)
    with db.session() as s:
        settings_service.put(s, "contact.cap_count", 2)
    assert len(send(db, MessageRequest(cid, Channel.SMS, kind="follow_up")).sent) == 1
    assert len(send(db, MessageRequest(cid, Channel.EMAIL, kind="renewal",
                                       body="Your plan ends soon.", subject="Plan")).sent) == 1
    third = send(db, MessageRequest(cid, Channel.SMS, kind="follow_up"))
    assert third.outcomes[0].error.code == "message.cap"
    assert third.outcomes[0].error.values["count"] == 2
    callback = send(db, MessageRequest(cid, Channel.SMS, kind="complaint_callback"))
    assert len(callback.sent) == 1


def test_an_sms_outside_the_clients_hours_needs_a_confirmation(any_db):
    db = any_db
    set_up(db)
    cid = client(db, contact_from=time(16, 0), contact_to=time(19, 0))
    first = send(db, MessageRequest(cid, Channel.SMS, kind="follow_up"))
    assert first.outcomes[0].error.code == "message.outside_hours"
    assert first.outcomes[0].error.values["start"] == "16:00"
    # an e-mail waits in the inbox: the hours do not hold it back
    assert len(send(db, MessageRequest(cid, Channel.EMAIL, kind="follow_up")).sent) == 1
    confirmed = send(db, MessageRequest(cid, Channel.SMS, kind="follow_up",
                                        outside_hours_ok=True))
    assert len(confirmed.sent) == 1


def test_a_failure_is_kept_shown_and_retried(any_db):
    db = any_db
    set_up(db)
    cid = client(db)
    tid = task(db, cid)
    down = FakeTransport(DomainError("sms.network", "down", detail="unreachable"))
    result = send(db, MessageRequest(cid, Channel.SMS, (tid,)), transport=down)
    assert len(result.failed) == 1 and result.failed[0].error.code == "sms.network"
    with db.session() as s:
        msg = s.scalar(select(OutgoingMessage))
        assert (msg.status, msg.error_code, msg.contact_id) == ("failed", "sms.network", None)
        assert sending.client_messages(s, cid)[0].error_values == {"detail": "unreachable"}
        assert s.get(Task, tid).status == TaskStatus.OPEN  # still to do
        assert s.scalar(select(Contact.id)) is None  # nothing reached the client
        assert set(sending.failed_by_client(s, [cid])) == {cid}
        assert sending.client_messages(s, cid)[0].needs_attention
    up = FakeTransport()
    again = sending.retry(db, msg.id, up, clock=lambda: NOW + timedelta(minutes=5))
    assert again.sent
    assert up.sent[0][3] == msg.body  # the same text
    with db.session() as s:
        msg = s.get(OutgoingMessage, msg.id)
        assert (msg.status, msg.attempts, msg.error_code) == ("sent", 2, None)
        assert s.get(Task, tid).status == TaskStatus.DONE
        assert sending.failed_by_client(s, [cid]) == {}
    with pytest.raises(DomainError) as err:
        sending.retry(db, msg.id, up)
    assert err.value.code == "message.not_failed"


def test_a_retry_checks_the_rules_again_and_a_failure_can_be_let_go(any_db):
    db = any_db
    set_up(db)
    cid = client(db, marketing_consent=True)
    result = send(db, MessageRequest(cid, Channel.SMS, kind="win_back"),
                  transport=FakeTransport(DomainError("sms.rate_limited", "wait",
                                                      retry_after="30")))
    mid = result.failed[0].message_id
    with db.session() as s:
        c = s.get(Client, cid)
        c.marketing_consent, c.marketing_consent_on = False, None
    with pytest.raises(DomainError) as err:
        sending.retry(db, mid, FakeTransport(), clock=lambda: NOW)
    assert err.value.code == "message.no_consent"
    with db.session() as s:
        sending.dismiss(s, mid)
    with db.session() as s:
        assert s.get(OutgoingMessage, mid).status == "dismissed"
        assert sending.failed_by_client(s, [cid]) == {}


def test_the_preview_counts_sms_parts_and_names_a_missing_value(any_db):
    db = any_db
    set_up(db)
    cid = client(db, marketing_consent=True)
    with db.session() as s:
        d = sending.prepare(s, MessageRequest(cid, Channel.SMS, kind="birthday",
                                              language="pl"), NOW)
        assert d.refusal is None
        assert d.sms.encoding == "ucs2" and d.sms.segments == 1
        assert d.body.startswith("Anna, wszystkiego najlepszego")
        renewal = sending.prepare(s, MessageRequest(cid, Channel.SMS, kind="renewal"), NOW)
        assert renewal.refusal.code == "message.value_missing"  # no membership: no {plan}
        unset = sending.prepare(s, MessageRequest(cid, Channel.SMS, kind="follow_up"), NOW,
                                ready={Channel.EMAIL})
        assert unset.refusal.code == "sms.not_set_up"


# --------------------------------------------------------------------------- the wire


@pytest.fixture
def memory_keyring():
    mem, before = install_memory_keyring()
    yield mem
    keyring.set_keyring(before)


def test_the_whole_path_over_smtp_and_the_sms_gateway(db, memory_keyring):
    inbox = Inbox()
    ctl = Controller(inbox, hostname="127.0.0.1", port=free_port())
    ctl.start()
    gw = Gateway("smsapi")
    try:
        with db.session() as s:
            settings_service.put(s, "business.name", "Салон Анна")
            config.save_email(s, config.EmailSettings(
                host="127.0.0.1", port=ctl.port, security="none",
                from_address="biuro@example.bg", timeout=5))
            sms = config.save_sms(s, config.SmsSettings(provider="smsapi_bg",
                                                        base_url=gw.url))
        secrets.set_secret(secrets.SMS_SERVICE, sms.keyring_account, "token-bg")
        cid = client(db, "Иван Петров", marketing_consent=True, email="ivan@example.bg",
                     phone="+359881234567")
        result = sending.send(db, [
            MessageRequest(cid, Channel.EMAIL, kind="name_day", language="bg"),
            MessageRequest(cid, Channel.SMS, kind="name_day", language="bg")],
            clock=lambda: NOW)
    finally:
        ctl.stop()
        gw.close()
    assert len(result.sent) == 2, [o.error for o in result.outcomes]
    assert len(inbox.envelopes) == 1 and inbox.envelopes[0].rcpt_tos == ["ivan@example.bg"]
    assert gw.requests[0][2]["message"].startswith("Иван, честит имен ден!")
    assert gw.requests[0][1]["Authorization"] == "Bearer token-bg"
    with db.session() as s:
        ids = sorted(m.gateway_id for m in s.scalars(select(OutgoingMessage)))
        assert ids[1] == "id-1" and ids[0].startswith("<")
        assert s.scalar(select(Contact.id).where(Contact.channel == Channel.SMS)) is not None


def test_the_channel_a_message_goes_by():
    from app.services.messages.sending import default_channel
    both = Client(name="A", email="a@example.pl", phone="+48601234567")
    assert default_channel(both) == Channel.EMAIL
    both.preferred_channel = Channel.SMS
    assert default_channel(both) == Channel.SMS
    assert default_channel(both, ready={Channel.EMAIL}) == Channel.EMAIL
    phone_only = Client(name="B", phone="+48601234567", preferred_channel=Channel.EMAIL)
    assert default_channel(phone_only) == Channel.SMS  # no address for the one preferred
    assert sending.prefers_message(Channel.SMS) and not sending.prefers_message(Channel.PHONE)


def test_a_batch_stops_between_two_messages_when_asked(any_db):
    db = any_db
    set_up(db)
    a, b = client(db, "A a"), client(db, "B b")
    calls_made = []

    def check():
        calls_made.append(1)
        if len(calls_made) > 1:
            raise RuntimeError("stopped")

    with pytest.raises(RuntimeError):
        sending.send(db, [MessageRequest(a, Channel.SMS, kind="follow_up"),
                          MessageRequest(b, Channel.SMS, kind="follow_up")],
                     FakeTransport(), clock=lambda: NOW, check=check)
    with db.session() as s:  # the first went out and is logged, the second was not tried
        assert [m.client_id for m in s.scalars(select(OutgoingMessage))] == [a]
