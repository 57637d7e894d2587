"""Message templates: the placeholder check when one is saved (examples and
hypothesis), ClientCare's defaults in four languages, the owner's edits, and rendering
with a real client's data formatted for the template's language."""

from __future__ import annotations

import string
from datetime import date
from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from app.errors import DomainError, ValidationError
from app.models import Task
from app.models.enums import Channel, TaskKind, TaskStatus
from app.services import clients as client_service
from app.services import settings as settings_service
from app.services.messages import defaults
from app.services.messages.templates import (
    KINDS,
    LANGUAGES,
    PLACEHOLDERS,
    TemplateData,
    check_template,
    client_values,
    get_template,
    list_templates,
    placeholders_in,
    render,
    reset_template,
    save_template,
)


def data(body: str, subject: str = "Hello {first_name}", channel=Channel.EMAIL):
    return TemplateData("follow_up", "en", channel, subject, body)


def field_codes(exc: ValidationError) -> list[tuple[str, str]]:
    return [(e.field, e.code) for e in exc.errors]


@pytest.mark.parametrize("body,code", [
    ("Hello {firstname}", "template.unknown_placeholder"),
    ("Hello {first_name.upper}", "template.unknown_placeholder"),
    ("Hello {date:%Y}", "template.unknown_placeholder"),
    ("Hello {first_name!r}", "template.unknown_placeholder"),
    ("Hello {}", "template.unknown_placeholder"),
    ("Hello {0}", "template.unknown_placeholder"),
    ("Hello {first_name", "template.brace"),
    ("Hello first_name}", "template.brace"),
    ("Hello {", "template.brace"),
])
def test_a_bad_placeholder_is_refused_beside_the_body(body, code):
    with pytest.raises(ValidationError) as err:
        check_template(data(body))
    assert field_codes(err.value) == [("body", code)]


def test_the_subject_is_checked_too_and_named():
    with pytest.raises(ValidationError) as err:
        check_template(data("Fine {first_name}", subject="Hi {plann}"))
    assert field_codes(err.value) == [("subject", "template.unknown_placeholder")]
    assert err.value.errors[0].values["placeholder"] == "{plann}"


def test_doubled_braces_are_literal():
    check_template(data("Use {{braces}} freely, {first_name}"))
    assert render(data("{{x}} {first_name}"), {"first_name": "Ala"}).body == "{x} Ala"


def test_an_sms_needs_no_subject_and_an_email_does():
    check_template(data("Hi {first_name}", subject="", channel=Channel.SMS))
    with pytest.raises(ValidationError) as err:
        check_template(data("Hi {first_name}", subject=" "))
    assert field_codes(err.value) == [("subject", "template.subject_required")]
    with pytest.raises(ValidationError) as err:
        check_template(data("   "))
    assert field_codes(err.value) == [("body", "template.body_required")]


words = st.text(alphabet=st.characters(blacklist_characters="{}"), max_size=30)


@given(st.lists(st.tuples(words, st.sampled_from(PLACEHOLDERS)), max_size=6), words)
def test_any_text_of_known_placeholders_passes_and_renders(parts, tail):
    body = "x" + "".join(f"{w}{{{p}}}" for w, p in parts) + tail
    check_template(data(body))
    values = {p: f"<{p}>" for p in PLACEHOLDERS}
    assert render(data(body), values).body == (
        "x" + "".join(f"{w}<{p}>" for w, p in parts) + tail)


@given(st.text(max_size=60))
def test_the_check_agrees_with_python_formatting(text):
    """Whatever the check lets through renders without an error; what it refuses
    would have failed, or used a name that is not a placeholder."""
    try:
        names = placeholders_in(text)
    except ValidationError:
        try:
            fields = [f for _l, f, _s, _c in string.Formatter().parse(text) if f is not None]
        except ValueError:
            return  # a broken brace, refused rightly
        assert any(f not in PLACEHOLDERS for f in fields) or any(
            s or c for _l, f, s, c in string.Formatter().parse(text) if f is not None)
        return
    assert set(names) <= set(PLACEHOLDERS)
    text.format_map({p: "v" for p in PLACEHOLDERS})


def test_every_default_template_passes_its_own_check():
    keys = defaults.all_keys()
    assert len(keys) == len(KINDS) * len(LANGUAGES) * 2
    for kind, lang, ch in keys:
        subject, body = defaults.default_template(kind, lang, ch)
        check_template(TemplateData(kind, lang, Channel(ch), subject, body))


def test_defaults_use_the_glossary_words():
    assert "reklamacji" in defaults.default_template("complaint_callback", "pl", "email")[1]
    assert "жалоб" in defaults.default_template("complaint_callback", "ru", "sms")[1]
    assert "оплакване" in defaults.default_template("complaint_callback", "bg", "sms")[1]


def test_the_owner_edits_and_resets_a_template(db):
    with db.session() as s:
        assert get_template(s, "birthday", "pl", Channel.SMS).edited is False
        with pytest.raises(ValidationError):
            save_template(s, TemplateData("birthday", "pl", Channel.SMS, "", "Sto lat {imie}!"))
        t = save_template(s, TemplateData("birthday", "pl", Channel.SMS, "ignored",
                                          "Sto lat, {first_name}!"))
        assert t.edited and t.subject == ""  # an SMS keeps no subject
    with db.session() as s:
        assert get_template(s, "birthday", "pl", Channel.SMS).body == "Sto lat, {first_name}!"
        assert len(list_templates(s, "pl")) == len(KINDS) * 2
        back = reset_template(s, "birthday", "pl", Channel.SMS)
        assert not back.edited
        assert back.body == defaults.default_template("birthday", "pl", "sms")[1]


def test_render_with_the_clients_data_in_the_templates_language(db):
    with db.session() as s:
        settings_service.put(s, "business.name", "Salon Anna")
        cid = client_service.save_client(s, client_service.ClientData(
            name="Jan Kowalski", purchases=[client_service.PurchaseData(
                purchased_on=date(2026, 3, 5), amount=Decimal("1234.50"), item="rower")]),
            region="PL")
        from app.models import Client, Purchase
        client = s.get(Client, cid)
        pid = s.query(Purchase.id).filter_by(client_id=cid).scalar()
        task = Task(client_id=cid, kind=TaskKind.FOLLOW_UP, due_on=date(2026, 3, 8),
                    status=TaskStatus.OPEN, source_kind="purchase", source_id=pid)
        s.add(task)
        s.flush()
        pl = client_values(s, client, "pl", "follow_up", task, date(2026, 3, 8))
        ru = client_values(s, client, "ru", "follow_up", task, date(2026, 3, 8))
    assert pl["first_name"] == "Jan" and pl["last_name"] == "Kowalski"
    assert pl["date"] == "5 marca 2026"
    assert ru["date"].startswith("5 марта 2026")
    assert pl["amount"] == "1\xa0234,50\xa0zł"
    out = render(get_template_default("follow_up", "pl", Channel.EMAIL), pl)
    assert out.subject == "Jak sprawdza się rower?"
    assert "z dnia 5 marca 2026" in out.body and out.body.endswith("Salon Anna")


def get_template_default(kind, lang, channel):
    subject, body = defaults.default_template(kind, lang, str(channel))
    return TemplateData(kind, lang, channel, subject, body)


def test_a_value_the_client_has_not_got_is_refused():
    with pytest.raises(DomainError) as err:
        render(get_template_default("renewal", "en", Channel.SMS),
               {p: "x" for p in PLACEHOLDERS} | {"plan": "", "date": ""})
    assert err.value.code == "message.value_missing"
    assert err.value.values["placeholders"] == "{plan}, {date}"


def test_the_kind_a_task_asks_for(db):
    from app.models import Client, PersonalDate, Relative
    from app.models.enums import DateKind
    from app.services.messages.templates import kind_for_task
    with db.session() as s:
        c = Client(name="Ala Kot", sort_name="ala kot")
        s.add(c)
        s.flush()
        rel = Relative(client_id=c.id, name="Ola")
        s.add(rel)
        s.flush()
        own_bd = PersonalDate(client_id=c.id, kind=DateKind.BIRTHDAY, month=3, day=1)
        own_nd = PersonalDate(client_id=c.id, kind=DateKind.NAME_DAY, month=6, day=2)
        child = PersonalDate(client_id=c.id, relative_id=rel.id, kind=DateKind.BIRTHDAY,
                             month=4, day=4)
        s.add_all([own_bd, own_nd, child])
        s.flush()

        def task(kind, source=None):
            return Task(client_id=c.id, kind=kind, due_on=date(2026, 3, 1),
                        source_kind="personal_date" if source else None,
                        source_id=source.id if source else None)

        assert kind_for_task(s, task(TaskKind.PERSONAL_DATE, own_bd)) == "birthday"
        assert kind_for_task(s, task(TaskKind.PERSONAL_DATE, own_nd)) == "name_day"
        # a child's birthday: a template greeting the client would be wrong
        assert kind_for_task(s, task(TaskKind.PERSONAL_DATE, child)) == "free"
        assert kind_for_task(s, task(TaskKind.ONBOARDING)) == "follow_up"
        assert kind_for_task(s, task(TaskKind.RENEWAL)) == "renewal"
        assert kind_for_task(s, task(TaskKind.COMPLAINT_CALLBACK)) == "complaint_callback"
        assert kind_for_task(s, task(TaskKind.KEEP_IN_TOUCH)) == "free"
        assert kind_for_task(s, None) == "free"


@pytest.mark.parametrize("lang,word", [("en", "purchase"), ("pl", "zakup"),
                                       ("ru", "покупка"), ("bg", "покупката")])
def test_an_item_not_written_down_reads_purchase(db, lang, word):
    from app.models import Client
    with db.session() as s:
        cid = client_service.save_client(s, client_service.ClientData(
            name="Jan Kowalski", purchases=[client_service.PurchaseData(
                purchased_on=date(2026, 3, 5), amount=Decimal("10"))]), region="PL")
        values = client_values(s, s.get(Client, cid), lang, "follow_up")
    assert values["item"] == word


def test_a_company_is_greeted_by_its_name(db):
    from app.models import Client
    from app.models.enums import ClientKind
    from app.services.messages.templates import split_name
    assert split_name(Client(name="Kwiaty  Sp. z o.o.", kind=ClientKind.COMPANY)) == (
        "Kwiaty Sp. z o.o.", "")
    assert split_name(Client(name="Anna Maria Nowak")) == ("Anna", "Maria Nowak")
