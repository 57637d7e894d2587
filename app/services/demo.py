"""The demo business: a living client base for a new owner to look around in (no Qt).

``create_demo(session, clients=300, locale="pl_PL", seed=2026, today=...)`` fills an
(empty) database with staff, clients with tags, families and personal dates (name days
for Poland, Russia and Bulgaria, from app/services/name_days.py), purchases with
regular, occasional, one-off and lapsed buyers, memberships, a call log and a few complaints in every stage. The result depends
only on the seed, the locale and ``today``. Tasks are not created here: the scheduling
engine makes them from these data.

Money is always :class:`~decimal.Decimal`. Large client counts (benchmarks) go through
batched flushes and executemany INSERTs of the big tables, never a query per row.
"""

from __future__ import annotations

import random
import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from decimal import Decimal

import phonenumbers
from faker import Faker
from sqlalchemy import bindparam, insert, select, update
from sqlalchemy.orm import Session
from sqlalchemy.orm.attributes import set_committed_value

from app.enums import REFUND_ITEM
from app.models import (
    Client,
    Complaint,
    ComplaintCheck,
    ConsentEvent,
    Contact,
    EditLog,
    Membership,
    PersonalDate,
    Purchase,
    Relative,
    Staff,
    Tag,
    client_tags,
)
from app.models.enums import (
    Channel,
    CheckState,
    ClientKind,
    CompensationKind,
    ComplaintStatus,
    DateKind,
    Direction,
    Fault,
    MembershipStatus,
    Outcome,
    Relation,
    Severity,
    StaffRole,
    TaskKind,
    Tone,
)
from app.services import clients as client_service
from app.services import demo_texts as texts
from app.services import history, name_days

__all__ = ["SUPPORTED_LOCALES", "DemoSummary", "create_demo", "demo_locale"]

SUPPORTED_LOCALES = ("en_US", "ru_RU", "pl_PL", "bg_BG")
_LOCALE_BY_LANGUAGE = {"en": "en_US", "ru": "ru_RU", "pl": "pl_PL", "bg": "bg_BG"}
_REGION = {"en_US": "US", "ru_RU": "RU", "pl_PL": "PL", "bg_BG": "BG"}

BATCH = 2000
CENT = Decimal("0.01")


@dataclass(frozen=True)
class DemoSummary:
    """How many rows of each kind the demo created."""

    clients: int = 0
    purchases: int = 0
    memberships: int = 0
    relatives: int = 0
    personal_dates: int = 0
    contacts: int = 0
    complaints: int = 0
    staff: int = 0


def demo_locale(locale: str | None) -> str:
    """One of SUPPORTED_LOCALES for a locale name ("pl", "ru-RU", "bg_BG"...); en_US
    for anything else."""
    text = (locale or "").strip().replace("-", "_")
    if text in SUPPORTED_LOCALES:
        return text
    return _LOCALE_BY_LANGUAGE.get(text.split("_")[0].lower(), "en_US")


# --------------------------------------------------------------------------- tables

def name_day(first_name: str, language: str) -> tuple[int, int] | None:
    """The (month, day) a first name is mostly celebrated on in the calendar of
    ``language`` (app/services/name_days.py), if it has a name day."""
    days = name_days.lookup(first_name, language)
    return days[0] if days else None


#: The most common first names of each language, (men, women); most demo people get one
#: of these (Faker's own lists are long and full of rare names).
_COMMON_FIRST = {
    "pl": (
        ["Jan", "Piotr", "Paweł", "Andrzej", "Krzysztof", "Józef", "Stanisław", "Marek",
         "Michał", "Wojciech", "Adam", "Łukasz", "Mateusz", "Jakub", "Marcin", "Tomasz",
         "Grzegorz", "Kamil", "Dawid", "Maciej", "Rafał", "Mikołaj", "Damian"],
        ["Anna", "Maria", "Katarzyna", "Agnieszka", "Barbara", "Ewa", "Krystyna",
         "Elżbieta", "Magdalena", "Zofia", "Joanna", "Aleksandra", "Monika", "Teresa",
         "Dorota", "Natalia", "Karolina", "Paulina", "Agata", "Helena", "Jadwiga"],
    ),
    "ru": (
        ["Александр", "Сергей", "Дмитрий", "Андрей", "Алексей", "Николай", "Михаил",
         "Иван", "Владимир", "Пётр", "Павел", "Юрий", "Константин", "Кирилл", "Илья",
         "Олег", "Игорь", "Максим", "Артём", "Евгений", "Антон", "Денис", "Борис"],
        ["Татьяна", "Ольга", "Наталья", "Екатерина", "Елена", "Анастасия", "Анна",
         "Мария", "Ирина", "Светлана", "Юлия", "Марина", "Людмила", "Валентина",
         "Галина", "Ксения", "Дарья", "Вера", "Надежда", "Софья", "Виктория"],
    ),
    "bg": (
        ["Георги", "Иван", "Николай", "Димитър", "Петър", "Стефан", "Христо", "Васил",
         "Йордан", "Михаил", "Атанас", "Александър", "Константин", "Кирил", "Тодор",
         "Пламен", "Мартин", "Борислав", "Илия", "Андрей"],
        ["Мария", "Елена", "Иванка", "Йорданка", "Гергана", "Десислава", "Христина",
         "Николина", "Петя", "Екатерина", "Надежда", "Вяра", "София", "Стефка",
         "Цветелина", "Радка", "Василка", "Ивелина"],
    ),
}

_TRANSLIT = {
    "а": "a", "б": "b", "в": "v", "г": "g", "д": "d", "е": "e", "ё": "e", "ж": "zh",
    "з": "z", "и": "i", "й": "y", "к": "k", "л": "l", "м": "m", "н": "n", "о": "o",
    "п": "p", "р": "r", "с": "s", "т": "t", "у": "u", "ф": "f", "х": "h", "ц": "ts",
    "ч": "ch", "ш": "sh", "щ": "sht", "ъ": "a", "ы": "y", "ь": "", "э": "e", "ю": "yu",
    "я": "ya", "ą": "a", "ć": "c", "ę": "e", "ł": "l", "ń": "n", "ó": "o", "ś": "s",
    "ź": "z", "ż": "z",
}


def _ascii(text: str) -> str:
    out = "".join(_TRANSLIT.get(ch, ch) for ch in text.casefold())
    return re.sub(r"[^a-z0-9]", "", out)


def _feminine(last: str, lang: str) -> str:
    """The women's form of a men's surname (Kowalski → Kowalska, Белов → Белова)."""
    if lang == "pl":
        for m, f in (("ski", "ska"), ("cki", "cka"), ("dzki", "dzka")):
            if last.endswith(m):
                return last[: -len(m)] + f
        return last
    if lang == "ru":
        if last.endswith(("ский", "цкий")):
            return last[:-2] + "ая"
        if last.endswith(("ов", "ев", "ёв", "ин", "ын")):
            return last + "а"
        return last
    if lang == "bg":
        if last.endswith("ски"):
            return last[:-1] + "а"
        if last.endswith(("ов", "ев", "ин")):
            return last + "а"
    return last


#: (item, lowest price, highest price) of a wellness studio; prices in the local currency
#: (the item's words in each language: demo_texts.ITEM_NAMES, in this order).
ITEMS: list[tuple[str, Decimal, Decimal]] = [
    ("Haircut", Decimal(40), Decimal(90)),
    ("Hair colouring", Decimal(120), Decimal(320)),
    ("Manicure", Decimal(35), Decimal(80)),
    ("Pedicure", Decimal(45), Decimal(95)),
    ("Massage 60 min", Decimal(90), Decimal(160)),
    ("Massage 90 min", Decimal(130), Decimal(220)),
    ("Facial treatment", Decimal(110), Decimal(260)),
    ("Personal training", Decimal(70), Decimal(150)),
    ("Yoga class", Decimal(20), Decimal(40)),
    ("Group classes (10 visits)", Decimal(180), Decimal(300)),
    ("Consultation", Decimal(50), Decimal(120)),
    ("Care products", Decimal(25), Decimal(180)),
    ("Cosmetics set", Decimal(60), Decimal(250)),
    ("Gift voucher", Decimal(100), Decimal(500)),
    ("Spa day", Decimal(350), Decimal(900)),
]
_PRODUCTS = {11, 12}  # the care products and the cosmetics sets: sold by the piece

#: (plan, days, price)
PLANS: list[tuple[str, int, Decimal]] = [
    ("Monthly", 30, Decimal("129.00")),
    ("Quarterly", 91, Decimal("349.00")),
    ("Annual", 365, Decimal("899.00")),
]

SOURCES = ["walk-in", "Google", "Facebook", "Instagram", "referral", "flyer", "website"]
_SOURCE_WEIGHTS = [26, 18, 12, 12, 16, 6, 10]
# the codes the app offers (app.enums.DECLINE_REASONS), shown in the user's language
DECLINE_REASONS = ["too expensive", "moved away", "no time", "went to a competitor",
                   "not satisfied", "health", "other"]

_NOTES = {
    "en": ["Comes with her daughter on Saturdays.", "Pays by card only.",
           "Asked to be called after 5 pm.", "Works nearby, usually drops in at lunch.",
           "Likes to book two weeks ahead.", "Recommended us to colleagues.",
           "Was unhappy once about a late appointment.", "Prefers the same specialist."],
    "pl": ["Przychodzi z córką w soboty.", "Płaci tylko kartą.", "Prosi o telefon po 17.",
           "Pracuje obok, wpada w przerwie na lunch.", "Lubi rezerwować z wyprzedzeniem.",
           "Polecił nas znajomym z pracy.", "Raz był niezadowolony ze spóźnienia.",
           "Woli zawsze tego samego specjalistę."],
    "ru": ["Приходит с дочерью по субботам.", "Платит только картой.",
           "Просит звонить после 17:00.", "Работает рядом, заходит в обед.",
           "Любит записываться заранее.", "Порекомендовал нас коллегам.",
           "Однажды был недоволен опозданием мастера.", "Предпочитает одного мастера."],
    "bg": ["Идва с дъщеря си в събота.", "Плаща само с карта.",
           "Моли да се обаждаме след 17 ч.", "Работи наблизо, идва в обедна почивка.",
           "Обича да си запазва час предварително.", "Препоръча ни на колеги.",
           "Веднъж беше недоволен от закъснение.", "Предпочита един и същ специалист."],
}
_PREFERENCES = {
    "en": ["Green tea, no sugar.", "Quiet music, no small talk.", "Allergic to nuts.",
           "Likes lavender oil.", "Morning appointments only.", "Strong pressure massage."],
    "pl": ["Zielona herbata bez cukru.", "Cicha muzyka, bez rozmów.",
           "Alergia na orzechy.", "Lubi olejek lawendowy.", "Tylko poranne wizyty.",
           "Mocny masaż."],
    "ru": ["Зелёный чай без сахара.", "Тихая музыка, без разговоров.",
           "Аллергия на орехи.", "Любит лавандовое масло.", "Только утренние визиты.",
           "Сильный массаж."],
    "bg": ["Зелен чай без захар.", "Тиха музика, без разговори.", "Алергия към ядки.",
           "Харесва лавандулово масло.", "Само сутрешни часове.", "Силен масаж."],
}
_CLIENT_WORDS = {
    "en": ["I waited forty minutes although I had an appointment.",
           "I was charged twice for the same visit.",
           "The result is not what we agreed on.",
           "Your receptionist was rude to me on the phone.",
           "Nobody called me back as promised."],
    "pl": ["Czekałam czterdzieści minut, chociaż byłam umówiona.",
           "Pobrano ode mnie opłatę dwa razy za tę samą wizytę.",
           "Efekt nie jest taki, jak się umawialiśmy.",
           "Recepcjonistka była dla mnie niemiła przez telefon.",
           "Nikt do mnie nie oddzwonił, choć obiecano."],
    "ru": ["Я ждала сорок минут, хотя была записана.",
           "С меня дважды списали деньги за один визит.",
           "Результат не такой, как мы договаривались.",
           "Администратор грубо разговаривала со мной по телефону.",
           "Мне так и не перезвонили, хотя обещали."],
    "bg": ["Чаках четиридесет минути, въпреки че имах час.",
           "Таксуваха ме два пъти за едно и също посещение.",
           "Резултатът не е този, за който се договорихме.",
           "Рецепционистката беше груба с мен по телефона.",
           "Никой не ми се обади, както обещаха."],
}
_APOLOGY = {
    "en": "We are sorry that your visit was unpleasant.",
    "pl": "Przykro nam, że wizyta była dla Pani/Pana nieprzyjemna.",
    "ru": "Нам очень жаль, что визит оставил у вас неприятное впечатление.",
    "bg": "Съжаляваме, че посещението ви е било неприятно.",
}


# --------------------------------------------------------------------------- phones

_US_AREAS = ["212", "415", "617", "312", "213", "646", "718", "305", "404", "206", "303",
             "512", "702", "215", "919", "773", "503", "612"]


def _digits(rng: random.Random, n: int) -> str:
    return "".join(rng.choice("0123456789") for _ in range(n))


def _candidate(rng: random.Random, region: str) -> str:
    if region == "PL":
        return "+48" + rng.choice("5678") + _digits(rng, 8)
    if region == "RU":
        return "+79" + _digits(rng, 9)
    if region == "BG":
        return "+359" + rng.choice(["87", "88", "89"]) + _digits(rng, 7)
    return "+1" + rng.choice(_US_AREAS) + rng.choice("23456789") + _digits(rng, 6)


_MOBILE = (phonenumbers.PhoneNumberType.MOBILE,
           phonenumbers.PhoneNumberType.FIXED_LINE_OR_MOBILE)


def demo_phone(rng: random.Random, region: str, taken: set[str] | None = None, *,
               mobile: bool = True) -> str:
    """A random phone number that phonenumbers accepts as valid in ``region``, in E.164;
    a mobile one unless ``mobile`` is False (then a landline may come out too)."""
    for _ in range(1000):
        text = _candidate(rng, region)
        if taken is not None and text in taken:
            continue
        number = phonenumbers.parse(text, None)
        if (phonenumbers.is_valid_number(number)
                and phonenumbers.region_code_for_number(number) == region
                and (not mobile or phonenumbers.number_type(number) in _MOBILE)):
            e164 = phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)
            if taken is not None:
                taken.add(e164)
            return e164
    raise RuntimeError(f"no valid phone number found for {region}")  # pragma: no cover


# --------------------------------------------------------------------------- helpers


def _weighted(rng: random.Random, pairs: Sequence[tuple[object, float]]):
    total = sum(w for _, w in pairs)
    x = rng.random() * total
    for value, w in pairs:
        x -= w
        if x < 0:
            return value
    return pairs[-1][0]


def _money(rng: random.Random, low: Decimal, high: Decimal) -> Decimal:
    """A price between low and high, rounded to whole units or .50 / .99 like a price list."""
    span = int((high - low) * 2)
    value = low + Decimal(rng.randint(0, span)) / 2
    if rng.random() < 0.15:
        value = value.to_integral_value() - Decimal("0.01")
    return max(low, value).quantize(CENT)


def _at(rng: random.Random, day: date, first_hour: int = 9, last_hour: int = 19) -> datetime:
    return datetime.combine(day, time(rng.randint(first_hour, last_hour - 1),
                                      rng.randrange(0, 60, 5)))


def _open_day(day: date) -> date:
    """The studio is closed on Sundays: a Sunday moves to the Saturday before."""
    return day - timedelta(days=1) if day.isoweekday() == 7 else day


@dataclass
class _Plan:
    """Everything decided about one demo client before the rows are written."""

    client: Client
    person: bool
    female: bool = False
    first_name: str = ""
    family_name: str = ""
    birth_year: int | None = None
    created: date = date.min
    profile: str = "none"
    visits: list[date] = field(default_factory=list)
    member: bool = False
    has_kids: bool = False
    tags: list[str] = field(default_factory=list)


class _Builder:
    def __init__(self, session: Session, n: int, locale: str, seed: int, today: date):
        self.s = session
        self.n = n
        self.locale = locale
        self.lang = locale[:2]
        self.region = _REGION[locale]
        self.today = today
        self.fake = Faker(locale)
        self.fake.seed_instance(seed)
        self.rng = random.Random(seed)
        self.counts: dict[str, int] = dict.fromkeys(
            ("clients", "purchases", "memberships", "relatives", "personal_dates",
             "contacts", "complaints", "staff"), 0)
        self.plans: list[_Plan] = []
        self.complaints: list[Complaint] = []
        self.staff: list[Staff] = []
        self.front: list[int] = []   # staff ids of the people who serve and call
        self.bosses: list[int] = []  # owner and manager
        self.member_ends: dict[int, list[tuple[date, date]]] = {}
        #: nothing is stamped later than this on ``today`` (the day is not over yet)
        self.first_hour = datetime.combine(today, time(9))

    # ---------------------------------------------------------------- staff and tags

    def make_staff(self) -> None:
        roles = [StaffRole.OWNER, StaffRole.MANAGER, StaffRole.RECEPTIONIST,
                 StaffRole.RECEPTIONIST]
        created = datetime.combine(self.today - timedelta(days=3 * 365), time(9))
        for role in roles:
            female = self.rng.random() < 0.6
            first, last = self.person_name(female)
            self.staff.append(Staff(name=f"{first} {last}", role=role, active=True,
                                    created_at=created, updated_at=created))
        self.s.add_all(self.staff)
        self.s.flush()
        self.bosses = [st.id for st in self.staff[:2]]
        self.front = [st.id for st in self.staff[1:]]
        self.counts["staff"] = len(self.staff)

    def make_tags(self) -> dict[str, int]:
        existing = {t.key: t for t in self.s.scalars(select(Tag))}
        tags: dict[str, Tag] = {}
        for name in texts.TAGS[self.lang]:
            key = name.casefold()
            tag = existing.get(key)
            if tag is None:
                tag = Tag(name=name, key=key)
                self.s.add(tag)
            tags[name] = tag
        self.s.flush()
        return {name: tag.id for name, tag in tags.items()}

    # ---------------------------------------------------------------- names

    def person_name(self, female: bool) -> tuple[str, str]:
        fake, rng = self.fake, self.rng
        common = _COMMON_FIRST.get(self.lang)
        if common and rng.random() < 0.8:
            first = rng.choice(common[1] if female else common[0])
        else:
            first = fake.first_name_female() if female else fake.first_name_male()
        return first, self.family_name(fake.last_name_male(), female)

    def family_name(self, male_form: str, female: bool) -> str:
        return _feminine(male_form, self.lang) if female else male_form

    # ---------------------------------------------------------------- clients

    def make_clients(self, tag_ids: dict[str, int]) -> None:
        rng, fake, today = self.rng, self.fake, self.today
        taken_refs = {r for r in self.s.scalars(
            select(Client.external_ref).where(Client.external_ref.is_not(None)))}
        taken_phones: set[str] = set()
        taken_emails: set[str] = set()
        domains = [fake.free_email_domain() for _ in range(6)]
        ref_numbers = rng.sample(range(1, max(1_000_000, self.n * 20)), self.n)
        tag_rows: list[dict[str, int]] = []
        referrals: list[tuple[int, int]] = []  # (client index, referrer index)
        batch: list[_Plan] = []

        for i in range(self.n):
            company = rng.random() < 0.08
            # most clients registered over the last 2.7 years, a batch of newcomers lately
            age_days = rng.randint(0, 60) if rng.random() < 0.1 else rng.randint(0, 1000)
            created = _open_day(today - timedelta(days=age_days))
            plan = _Plan(client=_blank_client(), person=not company, created=created)
            c = plan.client
            if company:
                c.kind = ClientKind.COMPANY
                c.name = fake.company()
            else:
                plan.female = rng.random() < 0.62
                plan.first_name, last = self.person_name(plan.female)
                plan.family_name = last
                c.kind = ClientKind.PERSON
                c.name = f"{plan.first_name} {last}"
            if rng.random() < (0.95 if company else 0.85):
                c.phone = demo_phone(rng, self.region, taken_phones, mobile=not company)
                c.phone_digits = c.phone[1:]
            if rng.random() < (0.8 if company else 0.6):
                c.email = self.email(plan, domains, taken_emails)
            if rng.random() < 0.4:
                ref = f"LC-{ref_numbers[i]:06d}"
                c.external_ref = ref if ref not in taken_refs else None
            c.preferred_channel = self.channel(c)
            if rng.random() < 0.22:
                start = rng.choice([9, 10, 12, 16, 17])
                c.contact_from = time(start)
                c.contact_to = time(min(start + rng.choice([2, 3, 4]), 21))
            if rng.random() < 0.08:
                c.contact_days = rng.choice(["12345", "135", "246", "6"])
            c.do_not_contact = rng.random() < 0.04
            consent = rng.random() < 0.55 and not c.do_not_contact
            c.marketing_consent = consent
            if consent:
                c.marketing_consent_on = created + timedelta(days=rng.choice([0, 0, 0, 3, 40]))
                c.marketing_consent_on = min(c.marketing_consent_on, today)
            source = _weighted(rng, list(zip(SOURCES, _SOURCE_WEIGHTS, strict=True)))
            if source == "referral":
                if i == 0:
                    source = "walk-in"
                else:
                    referrals.append((i, rng.randrange(0, i)))
            c.source_channel = source
            if rng.random() < 0.25:
                c.notes = rng.choice(_NOTES[self.lang])
            if not company and rng.random() < 0.2:
                c.preferences = rng.choice(_PREFERENCES[self.lang])
            c.sort_name = c.name.casefold()
            c.search_text = _search_text(c)
            stamp = min(_at(rng, created), self.first_hour)
            c.created_at = stamp
            c.updated_at = stamp

            if not company and rng.random() < 0.7:
                plan.birth_year = today.year - rng.randint(18, 72)
            if rng.random() < 0.3:
                tags = texts.TAGS[self.lang]
                pool = [tags[texts.WHOLESALE], tags[texts.CORPORATE]] if company else [
                    t for i, t in enumerate(tags)
                    if i not in (texts.WHOLESALE, texts.CORPORATE, texts.VIP)]
                plan.tags = rng.sample(pool, k=1 if rng.random() < 0.75 else 2)
            self.plans.append(plan)
            batch.append(plan)

            if len(batch) >= BATCH:
                self.flush_clients(batch, tag_rows, tag_ids)
                batch = []
        self.flush_clients(batch, tag_rows, tag_ids)

        # Clients who came by recommendation point at an earlier client (one executemany;
        # the rows are brand new, so their version counter stays as it is).
        if referrals:
            pairs = [(self.plans[i].client, self.plans[j].client.id) for i, j in referrals]
            t = Client.__table__
            self.s.execute(update(t).where(t.c.id == bindparam("cid"))
                           .values(referred_by_id=bindparam("ref"),
                                   updated_at=bindparam("stamp")),
                           [{"cid": c.id, "ref": ref, "stamp": c.updated_at}
                            for c, ref in pairs])
            for c, ref in pairs:
                set_committed_value(c, "referred_by_id", ref)
        if tag_rows:
            self.s.execute(insert(client_tags), tag_rows)
        self.counts["clients"] = len(self.plans)

    def flush_clients(self, batch: list[_Plan], tag_rows: list[dict[str, int]],
                      tag_ids: dict[str, int]) -> None:
        if not batch:
            return
        self.s.add_all([plan.client for plan in batch])
        self.s.flush()
        events = []
        for plan in batch:
            c = plan.client
            for name in plan.tags:
                tag_rows.append({"client_id": c.id, "tag_id": tag_ids[name]})
            if c.marketing_consent:
                events.append({"client_id": c.id, "consent": True,
                               "consent_on": c.marketing_consent_on,
                               "changed_at": datetime.combine(c.marketing_consent_on, time(12)),
                               "note": texts.CONSENT_NOTE[self.lang]})
        if events:
            self.s.execute(insert(ConsentEvent.__table__), events)

    def email(self, plan: _Plan, domains: list[str], taken: set[str]) -> str:
        rng = self.rng
        if plan.person:
            first, last = _ascii(plan.first_name), _ascii(plan.family_name)
            local = rng.choice([f"{first}.{last}", f"{first}{last}", f"{first[:1]}{last}",
                                f"{last}.{first}", f"{first}{rng.randint(1, 99)}"])
            domain = rng.choice(domains)
        else:
            words = [w for w in (_ascii(x) for x in plan.client.name.split()) if len(w) > 2]
            base = words[0] if words else "firm"
            local = rng.choice(["office", "info", "biuro" if self.lang == "pl" else "contact"])
            tld = self.lang if self.lang in ("pl", "ru", "bg") else "com"
            domain = f"{base[:20]}.{tld}"
        local = local.strip(".") or "client"
        address = f"{local}@{domain}".lower()
        n = 2
        while address in taken:
            address = f"{local}{n}@{domain}".lower()
            n += 1
        taken.add(address)
        return address

    def channel(self, c: Client) -> Channel | None:
        rng = self.rng
        if rng.random() < 0.35:
            return None
        choices: list[tuple[object, float]] = [(Channel.IN_PERSON, 1)]
        if c.phone:
            choices += [(Channel.PHONE, 5), (Channel.SMS, 2)]
        if c.email:
            choices.append((Channel.EMAIL, 2))
        return _weighted(rng, choices)

    # ---------------------------------------------------------------- purchases

    def make_purchases(self) -> None:
        rng, today = self.rng, self.today
        rows: list[dict] = []
        for plan in self.plans:
            plan.profile = _weighted(rng, [("regular", 36), ("occasional", 18), ("lapsed", 16),
                                           ("one_off", 22), ("none", 8)])
            start = plan.created
            # Before the last ~13 months most clients came only now and then; the
            # long-time regulars have kept their rhythm for years.
            window_start = today - timedelta(days=395 + rng.randint(0, 40))
            long_timer = plan.profile in ("regular", "lapsed") and rng.random() < 0.35
            gap = 0
            end = today
            if plan.profile == "regular":
                gap = rng.randint(12, 40)
            elif plan.profile == "occasional":
                gap = rng.randint(55, 130)
            elif plan.profile == "lapsed":
                gap = rng.randint(14, 45)
                end = today - timedelta(days=rng.randint(120, 240))
            visits: list[date] = []
            if plan.profile == "none":
                pass
            elif plan.profile == "one_off" or end < start:
                visits = [min(start + timedelta(days=rng.choice([0, 0, 0, 1, 5])), today)]
                if rng.random() < 0.2:  # came back once, weeks later
                    later = visits[0] + timedelta(days=rng.randint(20, 120))
                    if later <= today:
                        visits.append(later)
            else:
                day = start
                while day <= end:
                    visits.append(day)
                    if long_timer or day >= window_start:
                        step = max(4, int(rng.gauss(gap, gap * 0.3)))
                    else:
                        step = rng.randint(max(gap, 60), max(gap, 60) * 3)
                    if rng.random() < 0.05:  # a holiday or an illness
                        step += rng.randint(20, 60)
                    day += timedelta(days=step)
            plan.visits = sorted({_open_day(v) for v in visits if v <= today})
            if plan.visits and plan.visits[0] < plan.created:
                plan.visits[0] = plan.created

            favourites = rng.sample(range(len(ITEMS)), k=rng.randint(1, 3))
            company_factor = 2 if not plan.person else 1
            cid = plan.client.id
            for day in plan.visits:
                lines = _weighted(rng, [(1, 70), (2, 25), (3, 5)])
                for _ in range(lines):
                    idx = rng.choice(favourites) if rng.random() < 0.75 else rng.randrange(
                        len(ITEMS))
                    _, low, high = ITEMS[idx]
                    item = texts.ITEM_NAMES[self.lang][idx]
                    qty = 1
                    if idx in _PRODUCTS and rng.random() < 0.3:
                        qty = rng.randint(2, 3) * company_factor
                    price = _money(rng, low, high)
                    amount = min(price * qty, Decimal("900.00"))
                    rows.append({
                        "client_id": cid, "purchased_on": day, "amount": amount,
                        "item": item, "quantity": Decimal(qty),
                        "staff_id": rng.choice(self.front), "note": "", "is_credit": False,
                        "created_at": min(_at(rng, day), self.first_hour),
                    })
            if len(rows) >= 10 * BATCH:
                self.insert_purchases(rows)
                rows = []
        self.insert_purchases(rows)

    def insert_purchases(self, rows: list[dict]) -> None:
        if rows:
            self.s.execute(insert(Purchase.__table__), rows)
            self.counts["purchases"] += len(rows)

    # ---------------------------------------------------------------- memberships

    def make_memberships(self) -> None:
        rng, today = self.rng, self.today
        members: list[Membership] = []
        sales: list[dict] = []
        for plan in self.plans:
            if not plan.visits:
                continue
            chance = {"regular": 0.36, "lapsed": 0.28, "occasional": 0.08}.get(plan.profile, 0.03)
            if rng.random() >= chance:
                continue
            plan.member = True
            which = _weighted(rng, [(0, 50), (1, 32), (2, 18)])
            _, days, price = PLANS[which]
            name = texts.PLAN_NAMES[self.lang][which]
            last_visit = plan.visits[-1]
            start = max(plan.visits[0], today - timedelta(days=rng.randint(days, days + 330)))
            start = min(start, last_visit)
            cid = plan.client.id
            chain: list[Membership] = []
            while True:
                ends = start + timedelta(days=days - 1)
                promo = rng.random() < 0.15
                discount = not promo and rng.random() < 0.12
                cost = price
                if promo:
                    cost = (price * Decimal("0.8")).quantize(CENT)
                elif discount:
                    cost = (price * Decimal("0.9")).quantize(CENT)
                m = Membership(client_id=cid, plan=name, starts_on=start, ends_on=ends,
                               price=cost, promo=promo, discount=discount,
                               status=MembershipStatus.ACTIVE, frozen_from=None,
                               frozen_until=None, special_conditions="", note="")
                if promo:
                    m.special_conditions = rng.choice(texts.PROMOS[self.lang])
                elif discount:
                    m.special_conditions = rng.choice(texts.DISCOUNTS[self.lang])
                elif rng.random() < 0.05:
                    m.special_conditions = texts.MOVE_VISITS[self.lang]
                current = ends >= today
                if current:
                    self.current_membership(m, plan.visits[0])
                stamp = min(datetime.combine(m.starts_on, time(11)), self.first_hour)
                m.created_at, m.updated_at = stamp, stamp
                chain.append(m)
                sales.append({
                    "client_id": cid, "purchased_on": min(m.starts_on, today), "amount": cost,
                    "item": texts.MEMBERSHIP_LINE[self.lang].format(plan=name),
                    "quantity": Decimal(1),
                    "staff_id": rng.choice(self.front), "note": "", "is_credit": False,
                    "created_at": stamp, "updated_at": stamp,
                })
                if current:
                    break
                stops = ends > last_visit or (plan.profile != "regular" and rng.random() < 0.3)
                if stops or rng.random() < 0.15:
                    m.status = (MembershipStatus.CANCELLED if rng.random() < 0.1
                                else MembershipStatus.EXPIRED)
                    break
                m.status = MembershipStatus.RENEWED
                start = ends + timedelta(days=1 if rng.random() < 0.8 else rng.randint(3, 20))
                if start > today:
                    m.status = MembershipStatus.EXPIRED
                    break
            members.extend(chain)
            self.member_ends[cid] = [(m.starts_on, m.ends_on) for m in chain]
        self.s.add_all(members)
        self.s.flush()
        self.counts["memberships"] = len(members)
        self.insert_purchases(sales)

    def current_membership(self, m: Membership, earliest: date) -> None:
        rng, today = self.rng, self.today
        left = (m.ends_on - today).days
        if left > 30 and rng.random() < 0.3:
            # some of the long ones end within the next 30 days (renewal calls soon)
            shift = left - rng.randint(1, 30)
            if m.starts_on - timedelta(days=shift) >= earliest:
                m.starts_on -= timedelta(days=shift)
                m.ends_on -= timedelta(days=shift)
        if rng.random() < 0.1:
            m.status = MembershipStatus.FROZEN
            m.frozen_from = today - timedelta(days=rng.randint(1, 20))
            m.frozen_until = m.frozen_from + timedelta(days=rng.randint(14, 45))
            m.note = rng.choice(texts.FREEZE_NOTES[self.lang])
        elif rng.random() < 0.06:
            # frozen earlier and back again: the freeze is history
            m.frozen_from = max(m.starts_on, today - timedelta(days=rng.randint(40, 80)))
            m.frozen_until = min(m.frozen_from + timedelta(days=14), today - timedelta(days=1))
            if m.frozen_until < m.frozen_from:
                m.frozen_from = m.frozen_until = None

    # ---------------------------------------------------------------- family and dates

    def make_family(self) -> None:
        rng, today = self.rng, self.today
        relatives: list[Relative] = []
        dates: list[dict] = []
        n_dates = 0
        leap_done = False
        for plan in self.plans:
            cid = plan.client.id
            if not plan.person:
                if rng.random() < 0.25:  # the day the cooperation started
                    day = plan.created
                    dates.append(self.date_row(cid, DateKind.ANNIVERSARY, day.month, day.day,
                                               day.year, texts.COOPERATION_START[self.lang]))
                continue
            if plan.birth_year is not None:
                year: int | None = plan.birth_year
                month, day = _random_day(rng, plan.birth_year)
                if not leap_done:
                    year = _leap_year_near(year)
                    month, day = 2, 29
                    leap_done = True
                elif rng.random() < 0.12:
                    year = None  # the client told the day, not the year
                dates.append(self.date_row(cid, DateKind.BIRTHDAY, month, day, year, "",
                                           gift=rng.choice([None, None, None, 3, 7])))
            nd = name_day(plan.first_name, self.lang)
            if nd is not None and rng.random() < 0.7:  # not every client tells it
                dates.append(self.date_row(cid, DateKind.NAME_DAY, nd[0], nd[1], None, ""))
            if rng.random() < 0.12:
                wed = today - timedelta(days=rng.randint(365, 30 * 365))
                dates.append(self.date_row(cid, DateKind.ANNIVERSARY, wed.month, wed.day,
                                           wed.year, texts.WEDDING[self.lang]))

            if rng.random() >= 0.3:
                continue
            members = [Relation.SPOUSE] if rng.random() < 0.55 else []
            if rng.random() < 0.55:
                members += [Relation.CHILD] * rng.choice([1, 1, 2, 3])
            if rng.random() < 0.15 or not members:
                members.append(rng.choice([Relation.PARENT, Relation.SIBLING,
                                           Relation.PARTNER]))
            base_year = plan.birth_year or today.year - rng.randint(25, 55)
            for relation in members:
                rel, born = self.relative(plan, relation, base_year)
                relatives.append(rel)
                if relation == Relation.CHILD:
                    plan.has_kids = True
                if rng.random() < 0.9:
                    month, day = _random_day(rng, born)
                    year = born if rng.random() < 0.75 else None
                    rel.dates.append(PersonalDate(
                        client_id=cid, kind=DateKind.BIRTHDAY, month=month, day=day,
                        year=year, label="",
                        gift_reminder_days=7 if relation == Relation.CHILD else None))
                    n_dates += 1
                first = rel.name.split()[0]
                nd = name_day(first, self.lang)
                if nd is not None and rng.random() < 0.5:
                    rel.dates.append(PersonalDate(client_id=cid, kind=DateKind.NAME_DAY,
                                                  month=nd[0], day=nd[1], year=None,
                                                  label="", gift_reminder_days=None))
                    n_dates += 1
            if len(relatives) >= BATCH:
                self.s.add_all(relatives)
                self.s.flush()
                self.counts["relatives"] += len(relatives)
                relatives = []
        self.s.add_all(relatives)
        self.s.flush()
        self.counts["relatives"] += len(relatives)
        if dates:
            self.s.execute(insert(PersonalDate.__table__), dates)
        self.counts["personal_dates"] = n_dates + len(dates)

    def date_row(self, cid: int, kind: DateKind, month: int, day: int, year: int | None,
                 label: str, gift: int | None = None) -> dict:
        return {"client_id": cid, "relative_id": None, "kind": kind, "label": label,
                "month": month, "day": day, "year": year, "gift_reminder_days": gift}

    def relative(self, plan: _Plan, relation: Relation, base_year: int) -> tuple[Relative, int]:
        rng, today = self.rng, self.today
        family_male = plan.family_name
        if self.lang != "en" and plan.female:
            # recover a men's form for the family when the client is a woman
            family_male = _masculine(plan.family_name, self.lang)
        female = rng.random() < 0.5
        note = ""
        if relation in (Relation.SPOUSE, Relation.PARTNER):
            female = not plan.female
            born = base_year + rng.randint(-5, 5)
        elif relation == Relation.CHILD:
            born = min(base_year + rng.randint(22, 40), today.year - 1)
            note = rng.choice(texts.CHILD_NOTES[self.lang])
        elif relation == Relation.PARENT:
            born = base_year - rng.randint(22, 38)
        else:
            born = base_year + rng.randint(-8, 8)
        first, _ = self.person_name(female)
        if relation == Relation.PARTNER or (relation == Relation.PARENT and rng.random() < 0.3):
            _, last = self.person_name(female)
        else:
            last = self.family_name(family_male, female)
        return Relative(client_id=plan.client.id, name=f"{first} {last}", relation=relation,
                        note=note), born

    # ---------------------------------------------------------------- contacts

    def make_contacts(self) -> None:
        rng, today = self.rng, self.today
        rows: list[dict] = []
        recent = today - timedelta(days=200)
        for plan in self.plans:
            c = plan.client
            if c.do_not_contact and rng.random() < 0.8:
                continue
            events: list[tuple[date, TaskKind]] = []
            new_client = plan.visits and plan.visits[0] >= recent
            for k, v in enumerate(plan.visits):
                if v < recent:
                    continue
                if (new_client and k < 3) or rng.random() < 0.12:
                    events.append((v + timedelta(days=rng.randint(3, 7)), TaskKind.FOLLOW_UP))
            if plan.profile == "lapsed" and plan.visits:
                gap_end = plan.visits[-1] + timedelta(days=rng.randint(60, 110))
                events.append((gap_end, TaskKind.WIN_BACK))
                if rng.random() < 0.5:
                    events.append((gap_end + timedelta(days=rng.randint(1, 3)),
                                   TaskKind.WIN_BACK))
            for _start, end in self.member_ends.get(c.id, []):
                call = end - timedelta(days=14)
                if recent <= call < today:
                    events.append((call, TaskKind.RENEWAL))
                if recent <= _start + timedelta(days=7) < today and rng.random() < 0.5:
                    events.append((_start + timedelta(days=7), TaskKind.ONBOARDING))
            if plan.profile == "regular" and rng.random() < 0.35:
                events.append((today - timedelta(days=rng.randint(5, 180)),
                               TaskKind.KEEP_IN_TOUCH))
            if rng.random() < 0.08:
                events.append((today - timedelta(days=rng.randint(1, 180)), TaskKind.MANUAL))
            events = [(d, k) for d, k in events if recent <= d < today]
            if not events:
                continue
            events.sort(key=lambda e: (e[0], e[1].value))
            limit = rng.randint(1, 3)
            if len(events) > limit:
                keep = sorted(rng.sample(range(len(events)), limit))
                events = [events[k] for k in keep]
            for day, purpose in events:
                rows.append(self.contact_row(c, _open_day(day), purpose))
            if len(rows) >= 10 * BATCH:
                self.s.execute(insert(Contact.__table__), rows)
                self.counts["contacts"] += len(rows)
                rows = []
        if rows:
            self.s.execute(insert(Contact.__table__), rows)
            self.counts["contacts"] += len(rows)

    def contact_row(self, c: Client, day: date, purpose: TaskKind) -> dict:
        rng = self.rng
        inbound = purpose == TaskKind.MANUAL and rng.random() < 0.6
        if c.phone:
            channel = Channel.PHONE if rng.random() < 0.85 else Channel.SMS
        elif c.email:
            channel = Channel.EMAIL
        else:
            channel = Channel.IN_PERSON
        # (a preferred e-mail or SMS channel is only ever set when the address exists)
        if c.preferred_channel in (Channel.EMAIL, Channel.SMS) and rng.random() < 0.5:
            channel = c.preferred_channel
        weights = {
            TaskKind.FOLLOW_UP: [(Outcome.REACHED, 55), (Outcome.NO_ANSWER, 20),
                                 (Outcome.LEFT_MESSAGE, 8), (Outcome.MEETING_BOOKED, 8),
                                 (Outcome.CALL_BACK_LATER, 5), (Outcome.COMPLAINT_FOUND, 3),
                                 (Outcome.WRONG_NUMBER, 1)],
            TaskKind.WIN_BACK: [(Outcome.REACHED, 20), (Outcome.NO_ANSWER, 30),
                                (Outcome.LEFT_MESSAGE, 10), (Outcome.MEETING_BOOKED, 12),
                                (Outcome.DECLINED, 22), (Outcome.CALL_BACK_LATER, 4),
                                (Outcome.WRONG_NUMBER, 2)],
            TaskKind.RENEWAL: [(Outcome.MEETING_BOOKED, 40), (Outcome.REACHED, 15),
                               (Outcome.NO_ANSWER, 20), (Outcome.DECLINED, 12),
                               (Outcome.CALL_BACK_LATER, 10), (Outcome.LEFT_MESSAGE, 3)],
        }.get(purpose, [(Outcome.REACHED, 60), (Outcome.NO_ANSWER, 18),
                        (Outcome.MEETING_BOOKED, 10), (Outcome.CALL_BACK_LATER, 7),
                        (Outcome.LEFT_MESSAGE, 5)])
        outcome: Outcome = Outcome.REACHED if inbound else _weighted(rng, weights)
        if channel in (Channel.EMAIL, Channel.SMS) and outcome == Outcome.NO_ANSWER:
            outcome = Outcome.LEFT_MESSAGE
        at = _at(rng, day)
        row = {
            "client_id": c.id, "at": at, "channel": channel,
            "direction": Direction.INBOUND if inbound else Direction.OUTBOUND,
            "purpose": purpose, "outcome": outcome, "tone": None, "duration_seconds": None,
            "staff_id": rng.choice(self.front), "note": "", "decline_reason": None,
            "meeting_at": None, "call_back_on": None, "task_id": None,
        }
        talked = outcome in (Outcome.REACHED, Outcome.MEETING_BOOKED, Outcome.DECLINED,
                             Outcome.COMPLAINT_FOUND, Outcome.CALL_BACK_LATER)
        if talked:
            if outcome == Outcome.DECLINED:
                tone = _weighted(rng, [(Tone.NEUTRAL, 6), (Tone.NEGATIVE, 4)])
            elif outcome == Outcome.COMPLAINT_FOUND:
                tone = Tone.NEGATIVE
            elif outcome == Outcome.MEETING_BOOKED:
                tone = _weighted(rng, [(Tone.POSITIVE, 8), (Tone.NEUTRAL, 2)])
            else:
                tone = _weighted(rng, [(Tone.POSITIVE, 5), (Tone.NEUTRAL, 4),
                                       (Tone.NEGATIVE, 1)])
            row["tone"] = tone
            if channel in (Channel.PHONE, Channel.IN_PERSON):
                row["duration_seconds"] = rng.randint(40, 600)
        elif outcome == Outcome.LEFT_MESSAGE and channel == Channel.PHONE:
            row["duration_seconds"] = rng.randint(15, 60)
        elif outcome == Outcome.WRONG_NUMBER:
            row["duration_seconds"] = rng.randint(5, 30)
        if outcome == Outcome.DECLINED:
            row["decline_reason"] = rng.choice(DECLINE_REASONS)
        elif outcome == Outcome.MEETING_BOOKED:
            meeting = day + timedelta(days=rng.randint(1, 10))
            if meeting.isoweekday() == 7:
                meeting += timedelta(days=1)
            row["meeting_at"] = _at(rng, meeting, 10, 18)
        elif outcome == Outcome.CALL_BACK_LATER:
            row["call_back_on"] = day + timedelta(days=rng.randint(2, 10))
        return row

    # ---------------------------------------------------------------- complaints

    def make_complaints(self) -> None:
        rng, today = self.rng, self.today
        wanted = min(self.n, max(8, self.n // 40))
        recent = [p for p in self.plans if p.visits and p.visits[-1] >= today - timedelta(
            days=150) and p.visits[0] <= today - timedelta(days=30)]
        if not recent:
            recent = [p for p in self.plans if p.visits]
        if not recent:
            return
        chosen = rng.sample(recent, min(wanted, len(recent)))
        statuses = list(ComplaintStatus)
        complaints: list[Complaint] = []
        credits: list[tuple[Complaint, _Plan]] = []
        for k, plan in enumerate(chosen):
            status = statuses[k % len(statuses)]
            complaints.append(self.complaint(plan, status))
            if complaints[-1].compensation_kind == CompensationKind.REFUND:
                credits.append((complaints[-1], plan))
        self.s.add_all(complaints)
        self.s.flush()
        self.complaints = complaints
        self.counts["complaints"] = len(complaints)
        refunds = [{
            "client_id": plan.client.id, "purchased_on": cpl.resolved_at.date(),
            "amount": -cpl.compensation_value, "item": REFUND_ITEM, "quantity": Decimal(1),
            "staff_id": cpl.compensation_approved_by_id, "note": texts.REFUND_NOTE[self.lang],
            "is_credit": True, "complaint_id": cpl.id,
            "created_at": cpl.resolved_at, "updated_at": cpl.resolved_at,
        } for cpl, plan in credits if cpl.resolved_at is not None]
        if refunds:
            self.s.execute(insert(Purchase.__table__), refunds)
            self.counts["purchases"] += len(refunds)

    def complaint(self, plan: _Plan, status: ComplaintStatus) -> Complaint:
        rng, today = self.rng, self.today
        age = {ComplaintStatus.OPEN: (0, 3), ComplaintStatus.IN_PROGRESS: (2, 10),
               ComplaintStatus.RESOLVED: (4, 20)}.get(status, (15, 150))
        opened_day = max(plan.visits[0], today - timedelta(days=rng.randint(*age)))
        opened = _at(rng, opened_day)
        if opened_day == today:
            opened = datetime.combine(today, time(9, 30))
        category = rng.choice(texts.COMPLAINT_CATEGORIES[self.lang])
        handler = rng.choice(self.front)
        boss = rng.choice(self.bosses)
        cpl = Complaint(
            client_id=plan.client.id, opened_at=opened,
            channel=_weighted(rng, [(Channel.PHONE, 5), (Channel.IN_PERSON, 4),
                                    (Channel.EMAIL, 2)]),
            category=category, client_words=rng.choice(_CLIENT_WORDS[self.lang]),
            severity=_weighted(rng, [(Severity.LOW, 3), (Severity.MEDIUM, 5),
                                     (Severity.HIGH, 2)]),
            fault=_weighted(rng, [(Fault.US, 5), (Fault.CLIENT, 1), (Fault.THIRD_PARTY, 1),
                                  (Fault.UNCLEAR, 2)]),
            status=status, accountable_staff_id=handler,
            created_at=opened, updated_at=opened,
        )
        started = status != ComplaintStatus.OPEN
        resolved = status in (ComplaintStatus.RESOLVED, ComplaintStatus.CLOSED_KEPT,
                              ComplaintStatus.CLOSED_LOST)
        closed = status in (ComplaintStatus.CLOSED_KEPT, ComplaintStatus.CLOSED_LOST)
        cap = datetime.combine(today, time(9)) if opened_day < today else opened

        def later(moment: datetime, lo_days: int, hi_days: int) -> datetime:
            """A moment in working hours some days after ``moment``, never after ``cap``."""
            days = rng.randint(lo_days, hi_days)
            if days == 0:
                step = moment + timedelta(minutes=rng.randrange(10, 120, 5))
            else:
                step = _at(rng, moment.date() + timedelta(days=days))
            return min(step, max(cap, moment))

        moment = opened
        if started or rng.random() < 0.5:
            cpl.apology = _APOLOGY[self.lang]
            cpl.apology_given_at = moment = later(opened, 0, 0)
            cpl.first_response_at = moment
        if started:
            cpl.client_request = rng.choice(texts.CLIENT_REQUESTS[self.lang])
            if rng.random() < 0.7 or status == ComplaintStatus.CLOSED_KEPT:
                kind = _weighted(rng, [(CompensationKind.REFUND, 3),
                                       (CompensationKind.DISCOUNT, 3),
                                       (CompensationKind.FREE_SERVICE, 3),
                                       (CompensationKind.GIFT, 1)])
                cpl.compensation_kind = kind
                cpl.compensation_value = _money(rng, Decimal(20), Decimal(150))
                cpl.compensation_approved_by_id = boss
        if resolved:
            cpl.resolved_at = moment = later(moment, 1, 4)
            cpl.corrective_action = rng.choice(texts.CORRECTIVE_ACTIONS[self.lang])
        if closed:
            cpl.closed_at = later(moment, 2, 5)
            kept = status == ComplaintStatus.CLOSED_KEPT
            cpl.satisfied = kept
            cpl.rating = rng.randint(4, 5) if kept else rng.randint(1, 2)
            cpl.reviewed_at = later(cpl.resolved_at, 1, 2)
            cpl.review_main_complaint = category
            (cpl.review_presentation, cpl.review_our_view, cpl.review_helped,
             cpl.review_hurt, cpl.review_care_shown, cpl.review_differently,
             cpl.lesson) = texts.REVIEW[self.lang]
        # the eight needs, ticked as the complaint moves on
        done_items = 0
        if cpl.apology_given_at:
            done_items = 2
        if started:
            done_items = rng.randint(3, 6)
        if resolved:
            done_items = 8 if closed else rng.randint(6, 8)
        checks = []
        for item in range(1, 9):
            state, by, at = CheckState.OPEN, None, None
            if item == 3 and cpl.compensation_kind == CompensationKind.NONE and started:
                state = CheckState.NOT_APPLICABLE
                by, at = handler, cpl.first_response_at
            elif item <= done_items:
                state, by = CheckState.DONE, handler
                at = cpl.resolved_at if item > 5 and cpl.resolved_at else cpl.apology_given_at
                at = at or opened
            checks.append(ComplaintCheck(item=item, state=state, by_staff_id=by, at=at))
        cpl.checks = checks
        return cpl

    # ---------------------------------------------------------------- who changed what

    def make_history(self, seed: int) -> None:
        """The card's history (app/services/history.py) as the desk would have left it:
        each client added by one of the staff, some details changed later, each complaint
        opened, apologised for, resolved and closed by its handler. A generator of its
        own, so the rest of the demo stays as it was for a seed."""
        rng = random.Random(seed + 17)
        if not self.front:
            return
        later_parts = ["phone", "email", "notes", "preferences", "tags",
                       "contact_days contact_from contact_to", "purchases", "relatives"]
        rows = []
        for plan in self.plans:
            c = plan.client
            rows.append({"at": c.created_at, "staff_id": rng.choice(self.front),
                         "subject": "client", "subject_id": c.id, "client_id": c.id,
                         "fields": "created"})
            if rng.random() < 0.4:
                days = (self.first_hour - c.created_at).days
                if days > 1:
                    at = _at(rng, c.created_at.date() + timedelta(days=rng.randint(1, days)))
                    rows.append({"at": min(at, self.first_hour),
                                 "staff_id": rng.choice(self.front), "subject": "client",
                                 "subject_id": c.id, "client_id": c.id,
                                 "fields": rng.choice(later_parts)})
        steps = (("opened_at", "created"), ("apology_given_at", "apology apology_given_at status"),
                 ("resolved_at", "corrective_action resolved_at status"),
                 ("closed_at", "closed_at rating satisfied status"))
        for cpl in self.complaints:
            for column, fields in steps:
                at = getattr(cpl, column)
                if at is not None:
                    rows.append({"at": at, "staff_id": cpl.accountable_staff_id,
                                 "subject": "complaint", "subject_id": cpl.id,
                                 "client_id": cpl.client_id, "fields": fields})
        for start in range(0, len(rows), BATCH):
            self.s.execute(insert(EditLog.__table__), rows[start:start + BATCH])

    # ---------------------------------------------------------------- tags from data

    def follow_up_tags(self, tag_ids: dict[str, int]) -> None:
        """VIP on some of the biggest regular clients, kids on a few families with children
        (only where the tag is not there yet)."""
        rng = self.rng
        rows = []
        tags = texts.TAGS[self.lang]
        vip, kids = tags[texts.VIP], tags[texts.KIDS]
        for plan in self.plans:
            have = plan.tags
            if plan.profile == "regular" and len(plan.visits) >= 12 and rng.random() < 0.3:
                if vip not in have:
                    rows.append({"client_id": plan.client.id, "tag_id": tag_ids[vip]})
            elif plan.has_kids and rng.random() < 0.25 and kids not in have:
                rows.append({"client_id": plan.client.id, "tag_id": tag_ids[kids]})
        if rows:
            self.s.execute(insert(client_tags), rows)


def _masculine(last: str, lang: str) -> str:
    if lang == "pl":
        for f, m in (("ska", "ski"), ("cka", "cki"), ("dzka", "dzki")):
            if last.endswith(f):
                return last[: -len(f)] + m
        return last
    if lang == "ru" and last.endswith(("ская", "цкая")):
        return last[:-2] + "ий"
    if lang == "bg" and last.endswith("ска"):
        return last[:-1] + "и"
    if lang in ("ru", "bg") and last.endswith(("ова", "ева", "ёва", "ина", "ына")):
        return last[:-1]
    return last


def _random_day(rng: random.Random, year: int) -> tuple[int, int]:
    first = date(year, 1, 1)
    length = (date(year + 1, 1, 1) - first).days
    d = first + timedelta(days=rng.randrange(length))
    return d.month, d.day


def _leap_year_near(year: int) -> int:
    while not (year % 4 == 0 and (year % 100 != 0 or year % 400 == 0)):
        year -= 1
    return year


def _blank_client() -> Client:
    """A Client with every column the demo writes given a value up front, so that the
    ORM inserts them all with one statement shape (batched) instead of many."""
    return Client(kind=ClientKind.PERSON, name="", sort_name="", search_text="",
                  external_ref=None, phone=None, phone_digits=None, email=None,
                  preferred_channel=None, contact_from=None, contact_to=None, contact_days="",
                  do_not_contact=False, marketing_consent=False, marketing_consent_on=None,
                  source_channel=None, referred_by_id=None, segment=None,
                  segment_override=None, preferences="", notes="", deleted_at=None,
                  erased_at=None)


def _search_text(c: Client) -> str:
    parts = [c.name, c.email or "", c.external_ref or "", c.notes or "", c.preferences or ""]
    return " ".join(p for p in parts if p).casefold()


def create_demo(session: Session, *, clients: int = 300, locale: str = "en_US",
                seed: int = 2026, today: date | None = None) -> DemoSummary:
    """Fill the database behind ``session`` with a demo business; returns the counts.

    Deterministic for a given (clients, locale, seed, today). Meant for an empty database:
    it adds to whatever is there (existing tags are reused, taken loyalty-card numbers
    are skipped). Runs inside the caller's transaction and does not commit.
    """
    if clients < 0:
        raise ValueError("clients must not be negative")
    today = today or date.today()
    b = _Builder(session, clients, demo_locale(locale), seed, today)
    session.info[history.OFF] = True  # the business's history is written as it happened
    try:
        b.make_staff()
        tag_ids = b.make_tags()
        b.make_clients(tag_ids)
        b.make_purchases()
        b.make_memberships()
        b.make_family()
        b.follow_up_tags(tag_ids)
        b.make_contacts()
        b.make_complaints()
        session.flush()
    finally:
        session.info.pop(history.OFF, None)
    b.make_history(seed)
    client_service.refresh_client_stats(session, today=today)
    return DemoSummary(**b.counts)
