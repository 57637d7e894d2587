"""Messages in the window (issue 18), used as a receptionist and an owner would: S on
Today opens the preview and sends it; several rows selected, a confirmation says how
many go, to whom, and which are refused and why; a failure is marked on the row and on
the card and sent again from there; Settings → Messages checks a template as it is
typed, previews it with a client, and tests the mail server and the SMS gateway. The
mail server and the gateway are local (aiosmtpd, http.server); the keyring lives in
memory."""

from __future__ import annotations

from datetime import date, timedelta

import keyring
import pytest
from aiosmtpd.controller import Controller
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QDialog, QMessageBox
from sqlalchemy import select

from app.models import Contact, MessageTemplate, OutgoingMessage, Task
from app.models.enums import Channel, Outcome, TaskStatus
from app.services import schedule
from app.services import settings as settings_service
from app.services.messages import config, secrets
from app.ui import message_dialog
from app.ui.message_card import MessagesPanel
from app.ui.message_dialog import BatchDialog, MessageDialog
from app.ui.messages_settings import MessagesSettings
from app.ui.today_page import TodayPage
from tests.messages_support import Gateway, Inbox, free_port, install_memory_keyring
from tests.ui.keys import type_keys

TODAY = date(2026, 11, 23)  # a Monday


@pytest.fixture
def memory_keyring():
    mem, before = install_memory_keyring()
    yield mem
    keyring.set_keyring(before)


@pytest.fixture
def smtp():
    inbox = Inbox()
    ctl = Controller(inbox, hostname="127.0.0.1", port=free_port())
    ctl.start()
    inbox.port = ctl.port
    yield inbox
    ctl.stop()


@pytest.fixture
def gateway():
    gw = Gateway("smsapi")
    yield gw
    gw.close()


def _set_up(db, smtp, gateway):
    with db.session() as s:
        settings_service.put(s, "business.name", "Salon Anna")
        config.save_email(s, config.EmailSettings(host="127.0.0.1", port=smtp.port,
                                                  security="none",
                                                  from_address="biuro@example.pl", timeout=5))
        sms = config.save_sms(s, config.SmsSettings(base_url=gateway.url))
    secrets.set_secret(secrets.SMS_SERVICE, sms.keyring_account, "tok")


def _queue(db, make_client) -> list[int]:
    """Three new clients who bought three days ago: three follow-ups due today."""
    people = (("Anna Nowak", "601 234 567", "anna@example.pl", Channel.EMAIL),
              ("Bartek Lis", "602 345 678", "", Channel.SMS),
              ("Celina Wrona", "", "", None))  # neither address: refused
    ids = [make_client(name, phone=phone, email=email, preferred_channel=pref,
                       purchases=[(TODAY - timedelta(days=3), "50.00")])
           for name, phone, email, pref in people]
    with db.session() as s:
        schedule.regenerate(s, TODAY, rules=schedule.ScheduleRules(
            personal_dates=False, quarterly_review=False, win_back=False,
            keep_in_touch=False))
    return ids


def _page(qtbot, ops) -> TodayPage:
    page = TodayPage(ops, today=TODAY)
    qtbot.addWidget(page)
    page.resize(1200, 650)
    page.show()
    qtbot.waitExposed(page)
    page.activateWindow()
    qtbot.waitUntil(page.isActiveWindow)
    qtbot.waitUntil(lambda: not page.loading)
    page.table.setFocus()
    return page


def _row_of(page, name) -> int:
    return next(i for i, r in enumerate(page.model.rows) if r.client_name == name)


def test_s_opens_the_preview_and_sends_the_mail(qtbot, ops, db, make_client, smtp,
                                                 gateway, memory_keyring):
    _set_up(db, smtp, gateway)
    anna, *_ = _queue(db, make_client)
    page = _page(qtbot, ops)
    row = _row_of(page, "Anna Nowak")
    assert "prefers a message (S)" in page.model.data(page.model.index(row, 4))
    page.table.selectRow(row)
    qtbot.keyClick(page.table, Qt.Key.Key_S)
    dlg = page.message_dialog
    assert isinstance(dlg, MessageDialog) and dlg.isVisible()
    assert dlg.channel.currentData() == Channel.EMAIL  # Anna prefers e-mail
    assert dlg.to.text() == "anna@example.pl"
    # in the business's language (a Polish business); no item written down: "zakup"
    assert dlg.language.currentData() == "pl"
    assert dlg.subject.text() == "Jak sprawdza się zakup?"
    assert "Dzień dobry, Anna!" in dlg.body.toPlainText()
    dlg.language.setCurrentIndex(dlg.language.findData("en"))
    assert dlg.subject.text() == "How is your purchase?"
    assert "Dear Anna," in dlg.body.toPlainText()
    dlg.body.moveCursor(dlg.body.textCursor().MoveOperation.End)
    type_keys(qtbot, dlg.body, " PS: see you soon")
    qtbot.mouseClick(dlg.send_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: not dlg.isVisible(), timeout=10_000)
    assert ops.wait()
    qtbot.waitUntil(lambda: page.model.rows[_row_of(page, "Anna Nowak")].settled)
    assert len(smtp.envelopes) == 1
    assert b"see you soon" in smtp.envelopes[0].original_content
    with db.session() as s:
        contact = s.scalar(select(Contact).where(Contact.client_id == anna))
        assert (contact.channel, contact.outcome) == (Channel.EMAIL, Outcome.LEFT_MESSAGE)
        assert s.get(Task, contact.task_id).status == TaskStatus.DONE
    assert "1 message(s) sent." in page.notice.text()


def test_sms_count_follows_the_text_key_by_key(qtbot, ops, db, make_client, smtp, gateway,
                                               memory_keyring):
    _set_up(db, smtp, gateway)
    _anna, bartek, _c = _queue(db, make_client)
    dlg = MessageDialog(None, ops, bartek, clock=lambda: __import__("datetime").datetime(
        2026, 11, 23, 11, 0))
    qtbot.addWidget(dlg)
    dlg.show()
    assert dlg.channel.currentData() == Channel.SMS  # Bartek prefers SMS
    assert not dlg.subject.isVisible()
    assert dlg.kind.currentData() == "free"  # no task: a free message, which is marketing
    assert "not given marketing consent" in dlg.refusal.text()
    assert not dlg.send_button.isEnabled()
    dlg.kind.setCurrentIndex(dlg.kind.findData("follow_up"))
    assert not dlg.refusal.isVisible() and dlg.send_button.isEnabled()
    dlg.body.clear()
    type_keys(qtbot, dlg.body, "a" * 160)
    # (the source texts: the tests run without a translator, see tests/ui/conftest.py)
    assert dlg.count.text() == "160 character(s), 1 message(s)"
    type_keys(qtbot, dlg.body, "a")
    assert dlg.count.text() == "161 character(s), 2 message(s)"
    dlg.body.clear()
    type_keys(qtbot, dlg.body, "Zażółć" * 12)  # Polish letters: UCS-2, 67 a part
    assert dlg.count.text() == "72 character(s), 2 message(s)"
    dlg.body.clear()
    assert not dlg.send_button.isEnabled()  # nothing to send
    assert dlg.refusal.isVisible() and "empty" in dlg.refusal.text()


def test_a_batch_says_how_many_to_whom_and_who_is_refused(qtbot, ops, db, make_client,
                                                           smtp, gateway, memory_keyring,
                                                           monkeypatch):
    _set_up(db, smtp, gateway)
    _queue(db, make_client)
    page = _page(qtbot, ops)
    seen = {}

    def answer(dlg: BatchDialog):
        seen["summary"], seen["refused"] = dlg.summary.text(), dlg.refused.text()
        seen["button"] = dlg.send_button.text()
        return QDialog.DialogCode.Accepted

    monkeypatch.setattr(BatchDialog, "exec", answer)
    page.table.selectRow(0)  # the first call, then Shift+Down twice: all three
    for _ in range(2):
        qtbot.keyClick(page.table, Qt.Key.Key_Down, Qt.KeyboardModifier.ShiftModifier)
    assert [r.client_name for r in page.selected_calls()] == [
        "Anna Nowak", "Bartek Lis", "Celina Wrona"]
    qtbot.keyClick(page.table, Qt.Key.Key_S)
    qtbot.waitUntil(lambda: "summary" in seen, timeout=10_000)
    assert "Send 2 message(s):" in seen["summary"]
    assert "1 by e-mail" in seen["summary"] and "1 by SMS" in seen["summary"]
    assert "Anna Nowak, Bartek Lis" in seen["summary"]
    assert "1 will not be sent:" in seen["refused"]  # (the source's plural)
    assert "Celina Wrona" in seen["refused"] and "no e-mail address" in seen["refused"]
    assert seen["button"] == "Send 2"
    assert ops.wait()
    qtbot.waitUntil(lambda: "2 message(s) sent." in page.notice.text(), timeout=10_000)
    assert len(smtp.envelopes) == 1 and len(gateway.requests) == 1
    assert gateway.requests[0][2]["to"] == "48602345678"


def test_a_failure_is_marked_and_sent_again_from_the_card(qtbot, ops, db, make_client,
                                                          smtp, gateway, memory_keyring,
                                                          monkeypatch):
    _set_up(db, smtp, gateway)
    _anna, bartek, _c = _queue(db, make_client)
    gateway.mode = "rate_limit"
    page = _page(qtbot, ops)
    page.table.selectRow(_row_of(page, "Bartek Lis"))
    qtbot.keyClick(page.table, Qt.Key.Key_S)
    dlg = page.message_dialog
    qtbot.mouseClick(dlg.send_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: dlg.send_button.text() == "Try again", timeout=10_000)
    assert "wait 30 seconds" in dlg.refusal.text()
    assert "kept as not sent" in dlg.refusal.text()
    dlg.reject()
    qtbot.waitUntil(lambda: bartek in page.model.failed_messages, timeout=10_000)
    row = _row_of(page, "Bartek Lis")
    assert not page.model.rows[row].settled  # the call is still to do
    assert "message not sent" in page.model.data(page.model.index(row, 4))
    # the card lists it, marked, and sends it again
    panel = MessagesPanel(ops, bartek)
    qtbot.addWidget(panel)
    panel.show()
    assert "1 not sent" in panel.title.text()  # "%n not sent", the source text
    assert "not sent" in panel.table.item(0, 3).text()
    assert "wait 30 seconds" in panel.table.item(0, 3).text()
    assert panel.retry_button.isEnabled()
    gateway.mode = "ok"
    qtbot.mouseClick(panel.retry_button, Qt.MouseButton.LeftButton)
    assert ops.wait()
    qtbot.waitUntil(lambda: panel.table.item(0, 3).text() == "sent", timeout=10_000)
    assert not panel.retry_button.isEnabled()
    with db.session() as s:
        msg = s.scalar(select(OutgoingMessage))
        assert (msg.status, msg.attempts) == ("sent", 2)


def test_an_sms_outside_the_hours_asks_first(qtbot, ops, db, make_client, smtp, gateway,
                                             memory_keyring, monkeypatch):
    from datetime import datetime, time
    _set_up(db, smtp, gateway)
    cid = make_client("Dorota Kos", phone="604 567 890", contact_from=time(17, 0),
                      contact_to=time(20, 0),
                      purchases=[(TODAY - timedelta(days=3), "50.00")])
    dlg = MessageDialog(None, ops, cid, clock=lambda: datetime(2026, 11, 23, 9, 0))
    qtbot.addWidget(dlg)
    dlg.show()
    dlg.kind.setCurrentIndex(dlg.kind.findData("follow_up"))  # no consent needed
    dlg.channel.setCurrentIndex(dlg.channel.findData(Channel.SMS))
    assert "from 17:00 to 20:00" in dlg.refusal.text()
    assert dlg.send_button.isEnabled()
    asked = []
    monkeypatch.setattr(QMessageBox, "question", lambda *a, **k: (
        asked.append(a[2]), QMessageBox.StandardButton.No)[1])
    qtbot.mouseClick(dlg.send_button, Qt.MouseButton.LeftButton)
    assert asked and gateway.requests == []  # "no": nothing sent
    monkeypatch.setattr(QMessageBox, "question",
                        lambda *a, **k: QMessageBox.StandardButton.Yes)
    qtbot.mouseClick(dlg.send_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: not dlg.isVisible(), timeout=10_000)
    assert len(gateway.requests) == 1


# --------------------------------------------------------------------------- Settings


def _settings(qtbot, ops) -> MessagesSettings:
    w = MessagesSettings(ops)
    qtbot.addWidget(w)
    w.resize(1100, 650)
    w.show()
    qtbot.waitExposed(w)
    return w


def test_a_template_is_checked_beside_the_field_as_it_is_typed(qtbot, ops, db):
    w = _settings(qtbot, ops)
    t = w.templates
    assert t.language.currentData() == "pl"  # the business's language first
    t.language.setCurrentIndex(t.language.findData("en"))
    t.list.setCurrentRow(next(i for i, x in enumerate(t._templates)
                              if x.kind == "birthday" and x.channel == Channel.SMS))
    t.body.clear()
    type_keys(qtbot, t.body, "Sto lat, {imie")
    assert t.body_error.isVisible() and "brace is not closed" in t.body_error.text()
    type_keys(qtbot, t.body, "}!")
    assert "{imie} is not a placeholder" in t.body_error.text()
    qtbot.mouseClick(t.save_button, Qt.MouseButton.LeftButton)
    with db.session() as s:
        assert s.scalar(select(MessageTemplate.id)) is None  # refused: nothing saved
    for _ in range(len("imie}!")):
        qtbot.keyClick(t.body, Qt.Key.Key_Backspace)
    type_keys(qtbot, t.body, "first_name}!")
    assert not t.body_error.isVisible()
    assert t.count.text().startswith("22 character(s), 1 message(s)")
    qtbot.mouseClick(t.save_button, Qt.MouseButton.LeftButton)
    with db.session() as s:
        row = s.scalar(select(MessageTemplate))
        assert (row.kind, row.language, row.channel, row.body) == (
            "birthday", "en", Channel.SMS, "Sto lat, {first_name}!")
    assert "(edited)" in t.list.currentItem().text()
    qtbot.mouseClick(t.reset_button, Qt.MouseButton.LeftButton)
    with db.session() as s:
        assert s.scalar(select(MessageTemplate.id)) is None
    assert t.body.toPlainText().startswith("Happy birthday, {first_name}!")


def test_a_template_is_previewed_with_a_real_client(qtbot, ops, db, make_client):
    with db.session() as s:
        settings_service.put(s, "business.name", "Salon Anna")
    cid = make_client("Jan Kowalski", purchases=[(date(2026, 3, 5), "120.00")])
    w = _settings(qtbot, ops)
    t = w.templates
    t.language.setCurrentIndex(t.language.findData("pl"))
    t.list.setCurrentRow(next(i for i, x in enumerate(t._templates)
                              if x.kind == "follow_up" and x.channel == Channel.EMAIL))
    qtbot.mouseClick(t.preview_button, Qt.MouseButton.LeftButton)
    assert "Choose a client" in t.preview_error.text()
    type_keys(qtbot, t.preview_client, "Kowal")
    t.preview_client.set_client(cid, "Jan Kowalski")  # as picking the suggestion does
    qtbot.mouseClick(t.preview_button, Qt.MouseButton.LeftButton)
    text = t.preview.toPlainText()
    assert text.startswith("Jak sprawdza się zakup?")
    assert "Dzień dobry, Jan!" in text and "5 marca 2026" in text
    assert text.rstrip().endswith("Salon Anna")


def test_the_mail_server_is_saved_without_its_password_and_tested(qtbot, ops, db, smtp,
                                                                  memory_keyring):
    w = _settings(qtbot, ops)
    e = w.email
    w.setCurrentWidget(e)
    e.security.setCurrentIndex(e.security.findData("none"))
    assert e.port.value() == 25  # the usual port of the connection chosen
    type_keys(qtbot, e.host, "127.0.0.1")
    e.port.setValue(smtp.port)
    type_keys(qtbot, e.user, "")
    type_keys(qtbot, e.from_address, "biuro@")
    qtbot.mouseClick(e.save_button, Qt.MouseButton.LeftButton)
    assert e.errors["from_address"].isVisible()  # refused beside the field
    type_keys(qtbot, e.from_address, "example.pl")
    type_keys(qtbot, e.test_to, "owner@example.pl")
    qtbot.mouseClick(e.test_button, Qt.MouseButton.LeftButton)
    assert ops.wait()
    qtbot.waitUntil(lambda: "A test message went to owner@example.pl." in e.status.text(),
                    timeout=10_000)
    assert smtp.envelopes[0].rcpt_tos == ["owner@example.pl"]
    with db.session() as s:
        saved = config.load_email(s)
    assert (saved.host, saved.port, saved.from_address) == ("127.0.0.1", smtp.port,
                                                            "biuro@example.pl")


def test_a_password_goes_to_the_keyring_not_the_database(qtbot, ops, db, memory_keyring):
    w = _settings(qtbot, ops)
    e = w.email
    type_keys(qtbot, e.host, "poczta.example.pl")
    type_keys(qtbot, e.user, "biuro")
    type_keys(qtbot, e.password, "Zażółć-123")
    type_keys(qtbot, e.from_address, "biuro@example.pl")
    qtbot.mouseClick(e.save_button, Qt.MouseButton.LeftButton)
    assert ops.wait()
    qtbot.waitUntil(lambda: e.password.text() == "", timeout=5000)
    assert memory_keyring.items == {(secrets.SMTP_SERVICE, "biuro@poczta.example.pl:587"):
                                    "Zażółć-123"}
    raw = db.path.read_bytes()
    assert "Zażółć-123".encode() not in raw


def test_the_sms_gateway_is_tested_and_a_bad_token_said(qtbot, ops, db, gateway,
                                                        memory_keyring):
    w = _settings(qtbot, ops)
    g = w.sms
    w.setCurrentWidget(g)
    assert g.account.isHidden()  # SMSAPI needs no account
    g.provider.setCurrentIndex(g.provider.findData(config.TWILIO))
    assert not g.account.isHidden()
    g.provider.setCurrentIndex(g.provider.findData(config.SMSAPI_PL))
    type_keys(qtbot, g.base_url, gateway.url)
    type_keys(qtbot, g.token, "tok-1")
    type_keys(qtbot, g.test_to, "601 234 567")
    qtbot.mouseClick(g.test_button, Qt.MouseButton.LeftButton)
    assert ops.wait()
    qtbot.waitUntil(lambda: "A test SMS went to +48601234567." in g.status.text(),
                    timeout=10_000)
    assert gateway.requests[0][1]["Authorization"] == "Bearer tok-1"
    gateway.mode = "bad_token"
    qtbot.mouseClick(g.test_button, Qt.MouseButton.LeftButton)
    assert ops.wait()
    qtbot.waitUntil(lambda: "refused the token" in g.status.text(), timeout=10_000)


def test_settings_has_the_messages_tab(qtbot, ops):
    from app.ui.settings_page import SettingsPage, SettingsTab
    page = SettingsPage(ops)
    qtbot.addWidget(page)
    assert page.tabs.widget(SettingsTab.MESSAGES) is page.messages
    assert page.tabs.tabText(SettingsTab.MESSAGES) == "Messages"
    assert QApplication.instance() is not None
    assert message_dialog.kind_label("win_back") == "Win-back"


def test_s_on_a_row_whose_message_failed_sends_it_again_or_writes_anew(
        qtbot, ops, db, make_client, smtp, gateway, memory_keyring, monkeypatch):
    _set_up(db, smtp, gateway)
    _anna, bartek, _c = _queue(db, make_client)
    gateway.mode = "error"  # the gateway refuses the number
    page = _page(qtbot, ops)
    page.table.selectRow(_row_of(page, "Bartek Lis"))
    qtbot.keyClick(page.table, Qt.Key.Key_S)
    dlg = page.message_dialog
    qtbot.mouseClick(dlg.send_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: dlg.send_button.text() == "Try again", timeout=10_000)
    dlg.reject()
    qtbot.waitUntil(lambda: bartek in page.model.failed_messages, timeout=10_000)
    asked = []

    def answer(box):
        asked.append(box.text())
        return QMessageBox.StandardButton.Yes

    monkeypatch.setattr(QMessageBox, "exec", answer)
    gateway.mode = "ok"
    page.table.selectRow(_row_of(page, "Bartek Lis"))
    qtbot.keyClick(page.table, Qt.Key.Key_S)
    assert "was not sent" in asked[0] and "refused the message" in asked[0]
    assert ops.wait()
    qtbot.waitUntil(lambda: page.model.rows[_row_of(page, "Bartek Lis")].settled,
                    timeout=10_000)
    assert bartek not in page.model.failed_messages
    assert "1 message(s) sent." in page.notice.text()
    with db.session() as s:
        msg = s.scalar(select(OutgoingMessage))
        assert (msg.status, msg.attempts) == ("sent", 2)


def test_writing_anew_lets_the_failed_message_go(qtbot, ops, db, make_client, smtp,
                                                 gateway, memory_keyring, monkeypatch):
    _set_up(db, smtp, gateway)
    _anna, bartek, _c = _queue(db, make_client)
    gateway.mode = "bad_token"
    page = _page(qtbot, ops)
    page.table.selectRow(_row_of(page, "Bartek Lis"))
    qtbot.keyClick(page.table, Qt.Key.Key_S)
    first = page.message_dialog
    qtbot.mouseClick(first.send_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: first.send_button.text() == "Try again", timeout=10_000)
    first.reject()
    qtbot.waitUntil(lambda: bartek in page.model.failed_messages, timeout=10_000)
    monkeypatch.setattr(QMessageBox, "exec", lambda box: QMessageBox.StandardButton.No)
    page.table.selectRow(_row_of(page, "Bartek Lis"))
    qtbot.keyClick(page.table, Qt.Key.Key_S)
    assert page.message_dialog is not first and page.message_dialog.isVisible()
    with db.session() as s:
        assert s.scalar(select(OutgoingMessage.status)) == "dismissed"
    assert bartek not in page.model.failed_messages
