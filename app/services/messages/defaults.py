"""ClientCare's own message templates, in the four languages of the app.

Keyed by (kind, language, channel): (subject, body). An SMS has no subject. The words
follow docs/glossary.md (client, complaint: klient/reklamacja, клиент/жалоба,
клиент/оплакване). The placeholders are those of templates.PLACEHOLDERS."""

from __future__ import annotations

EMAIL, SMS = "email", "sms"

_T: dict[tuple[str, str], dict[str, tuple[str, str]]] = {
    # ------------------------------------------------------------------ English
    ("follow_up", "en"): {
        EMAIL: ("How is your {item}?",
                "Dear {first_name},\n\nthank you for your purchase on {date}. We hope you "
                "are happy with your {item}. If anything is not right, just reply to this "
                "message and we will help.\n\nKind regards,\n{business}"),
        SMS: ("", "{first_name}, thank you for choosing {business}! How is your {item}? "
                  "Reply if we can help."),
    },
    ("renewal", "en"): {
        EMAIL: ("Your {plan} ends on {date}",
                "Dear {first_name},\n\nyour {plan} ends on {date}. Renew it in time and "
                "keep everything as it is: reply to this message or call us to book a "
                "moment.\n\nKind regards,\n{business}"),
        SMS: ("", "{first_name}, your {plan} at {business} ends on {date}. Reply or "
                  "call us to renew."),
    },
    ("birthday", "en"): {
        EMAIL: ("Happy birthday, {first_name}!",
                "Dear {first_name},\n\nhappy birthday from all of us at {business}! We "
                "wish you health, joy and a wonderful year.\n\nWarm regards,\n{business}"),
        SMS: ("", "Happy birthday, {first_name}! Best wishes from {business}."),
    },
    ("name_day", "en"): {
        EMAIL: ("Happy name day, {first_name}!",
                "Dear {first_name},\n\nall the best on your name day from {business}!"
                "\n\nWarm regards,\n{business}"),
        SMS: ("", "Happy name day, {first_name}! Best wishes from {business}."),
    },
    ("win_back", "en"): {
        EMAIL: ("We miss you, {first_name}",
                "Dear {first_name},\n\nit has been a while since your last visit to "
                "{business}. We would be glad to see you again: reply to this message "
                "and tell us how we can help.\n\nKind regards,\n{business}"),
        SMS: ("", "{first_name}, we miss you at {business}! We would be glad to see "
                  "you again."),
    },
    ("complaint_callback", "en"): {
        EMAIL: ("Is everything all right now?",
                "Dear {first_name},\n\nthank you again for telling us about the problem. "
                "We would like to know: is everything all right now? Reply to this "
                "message if anything is still not as it should be.\n\nKind regards,\n"
                "{business}"),
        SMS: ("", "{first_name}, is everything all right now after your complaint? "
                  "Reply if not. {business}"),
    },
    ("free", "en"): {
        EMAIL: ("A message from {business}", "Dear {first_name},\n\n\n\nKind regards,\n"
                                             "{business}"),
        SMS: ("", "{first_name}, "),
    },
    # ------------------------------------------------------------------ Polski
    ("follow_up", "pl"): {
        EMAIL: ("Jak sprawdza się {item}?",
                "Dzień dobry, {first_name}!\n\ndziękujemy za zakupy z dnia {date}. Mamy "
                "nadzieję, że {item} spełnia oczekiwania. Jeśli coś jest nie tak, wystarczy "
                "odpowiedzieć na tę wiadomość, a pomożemy.\n\nPozdrawiamy serdecznie,\n"
                "{business}"),
        SMS: ("", "{first_name}, dziękujemy za wybór {business}! Jak sprawdza się "
                  "{item}? Odpisz, jeśli możemy pomóc."),
    },
    ("renewal", "pl"): {
        EMAIL: ("{plan} kończy się {date}",
                "Dzień dobry, {first_name}!\n\n{plan} kończy się {date}. Warto przedłużyć "
                "go na czas: wystarczy odpowiedzieć na tę wiadomość albo zadzwonić i "
                "umówić termin.\n\nPozdrawiamy serdecznie,\n{business}"),
        SMS: ("", "{first_name}, {plan} w {business} kończy się {date}. Odpisz lub "
                  "zadzwoń, aby przedłużyć."),
    },
    ("birthday", "pl"): {
        EMAIL: ("Wszystkiego najlepszego, {first_name}!",
                "Dzień dobry, {first_name}!\n\nz okazji urodzin życzymy zdrowia, radości i "
                "wspaniałego roku!\n\nZespół {business}"),
        SMS: ("", "{first_name}, wszystkiego najlepszego z okazji urodzin! "
                  "Życzy {business}."),
    },
    ("name_day", "pl"): {
        EMAIL: ("Wszystkiego najlepszego z okazji imienin!",
                "Dzień dobry, {first_name}!\n\nz okazji imienin życzymy wszystkiego, co "
                "najlepsze!\n\nZespół {business}"),
        SMS: ("", "{first_name}, wszystkiego najlepszego z okazji imienin! "
                  "Życzy {business}."),
    },
    ("win_back", "pl"): {
        EMAIL: ("Tęsknimy, {first_name}",
                "Dzień dobry, {first_name}!\n\ndawno nie widzieliśmy się w {business}. "
                "Chętnie znów się spotkamy: odpowiedz na tę wiadomość i napisz, jak możemy "
                "pomóc.\n\nPozdrawiamy serdecznie,\n{business}"),
        SMS: ("", "{first_name}, tęsknimy za Tobą w {business}! Chętnie znów się "
                  "zobaczymy."),
    },
    ("complaint_callback", "pl"): {
        EMAIL: ("Czy wszystko jest już w porządku?",
                "Dzień dobry, {first_name}!\n\njeszcze raz dziękujemy za zgłoszenie "
                "reklamacji. Chcemy się upewnić: czy wszystko jest już w porządku? "
                "Jeśli nie, prosimy o odpowiedź na tę wiadomość.\n\nPozdrawiamy "
                "serdecznie,\n{business}"),
        SMS: ("", "{first_name}, czy po reklamacji wszystko jest już w porządku? "
                  "Odpisz, jeśli nie. {business}"),
    },
    ("free", "pl"): {
        EMAIL: ("Wiadomość od {business}", "Dzień dobry, {first_name}!\n\n\n\n"
                                           "Pozdrawiamy serdecznie,\n{business}"),
        SMS: ("", "{first_name}, "),
    },
    # ------------------------------------------------------------------ Русский
    ("follow_up", "ru"): {
        EMAIL: ("Как вам {item}?",
                "Здравствуйте, {first_name}!\n\nСпасибо за покупку {date}. Надеемся, "
                "что {item} вам нравится. Если что-то не так, просто ответьте на это "
                "письмо, и мы поможем.\n\nС уважением,\n{business}"),
        SMS: ("", "{first_name}, спасибо, что выбрали {business}! Как вам {item}? "
                  "Ответьте, если нужна помощь."),
    },
    ("renewal", "ru"): {
        EMAIL: ("{plan}: срок заканчивается {date}",
                "Здравствуйте, {first_name}!\n\nСрок действия «{plan}» заканчивается "
                "{date}. Продлите вовремя: ответьте на это письмо или позвоните нам, "
                "чтобы записаться.\n\nС уважением,\n{business}"),
        SMS: ("", "{first_name}, «{plan}» в {business} заканчивается {date}. "
                  "Ответьте или позвоните, чтобы продлить."),
    },
    ("birthday", "ru"): {
        EMAIL: ("С днём рождения, {first_name}!",
                "Здравствуйте, {first_name}!\n\nПоздравляем с днём рождения! Желаем "
                "здоровья, радости и прекрасного года.\n\nКоманда {business}"),
        SMS: ("", "{first_name}, с днём рождения! Всего наилучшего от {business}."),
    },
    ("name_day", "ru"): {
        EMAIL: ("С днём ангела, {first_name}!",
                "Здравствуйте, {first_name}!\n\nПоздравляем с днём ангела! Всего "
                "наилучшего!\n\nКоманда {business}"),
        SMS: ("", "{first_name}, с днём ангела! Всего наилучшего от {business}."),
    },
    ("win_back", "ru"): {
        EMAIL: ("Мы скучаем, {first_name}",
                "Здравствуйте, {first_name}!\n\nВы давно не были в {business}. Будем "
                "рады увидеть вас снова: ответьте на это письмо и расскажите, чем мы "
                "можем помочь.\n\nС уважением,\n{business}"),
        SMS: ("", "{first_name}, мы скучаем по вам в {business}! Будем рады видеть "
                  "вас снова."),
    },
    ("complaint_callback", "ru"): {
        EMAIL: ("Теперь всё в порядке?",
                "Здравствуйте, {first_name}!\n\nЕщё раз спасибо, что сообщили нам о "
                "проблеме. Скажите, пожалуйста: теперь всё в порядке? Если нет, ответьте "
                "на это письмо.\n\nС уважением,\n{business}"),
        SMS: ("", "{first_name}, после вашей жалобы теперь всё в порядке? Ответьте, "
                  "если нет. {business}"),
    },
    ("free", "ru"): {
        EMAIL: ("Сообщение от {business}", "Здравствуйте, {first_name}!\n\n\n\n"
                                           "С уважением,\n{business}"),
        SMS: ("", "{first_name}, "),
    },
    # ------------------------------------------------------------------ Български
    ("follow_up", "bg"): {
        EMAIL: ("Как е {item}?",
                "Здравейте, {first_name}!\n\nБлагодарим ви за покупката на {date}. "
                "Надяваме се, че сте доволни от {item}. Ако нещо не е наред, просто "
                "отговорете на това писмо и ще помогнем.\n\nПоздрави,\n{business}"),
        SMS: ("", "{first_name}, благодарим, че избрахте {business}! Как е {item}? "
                  "Отговорете, ако можем да помогнем."),
    },
    ("renewal", "bg"): {
        EMAIL: ("{plan} изтича на {date}",
                "Здравейте, {first_name}!\n\n{plan} изтича на {date}. Подновете навреме: "
                "отговорете на това писмо или ни се обадете, за да си запазите час."
                "\n\nПоздрави,\n{business}"),
        SMS: ("", "{first_name}, {plan} в {business} изтича на {date}. Отговорете или "
                  "се обадете, за да подновите."),
    },
    ("birthday", "bg"): {
        EMAIL: ("Честит рожден ден, {first_name}!",
                "Здравейте, {first_name}!\n\nЧестит рожден ден! Пожелаваме ви здраве, "
                "радост и прекрасна година.\n\nЕкипът на {business}"),
        SMS: ("", "{first_name}, честит рожден ден! Най-добри пожелания от {business}."),
    },
    ("name_day", "bg"): {
        EMAIL: ("Честит имен ден, {first_name}!",
                "Здравейте, {first_name}!\n\nЧестит имен ден! Всичко най-хубаво!"
                "\n\nЕкипът на {business}"),
        SMS: ("", "{first_name}, честит имен ден! Най-добри пожелания от {business}."),
    },
    ("win_back", "bg"): {
        EMAIL: ("Липсвате ни, {first_name}",
                "Здравейте, {first_name}!\n\nОтдавна не сте идвали в {business}. Ще се "
                "радваме да ви видим отново: отговорете на това писмо и ни кажете как "
                "можем да помогнем.\n\nПоздрави,\n{business}"),
        SMS: ("", "{first_name}, липсвате ни в {business}! Ще се радваме да ви видим "
                  "отново."),
    },
    ("complaint_callback", "bg"): {
        EMAIL: ("Всичко наред ли е вече?",
                "Здравейте, {first_name}!\n\nОще веднъж благодарим, че ни казахте за "
                "проблема. Искаме да знаем: всичко наред ли е вече? Ако не, отговорете "
                "на това писмо.\n\nПоздрави,\n{business}"),
        SMS: ("", "{first_name}, след вашето оплакване всичко наред ли е вече? "
                  "Отговорете, ако не. {business}"),
    },
    ("free", "bg"): {
        EMAIL: ("Съобщение от {business}", "Здравейте, {first_name}!\n\n\n\n"
                                          "Поздрави,\n{business}"),
        SMS: ("", "{first_name}, "),
    },
}


#: {item} of a purchase whose item was not written down: the word for "the purchase"
ITEM_FALLBACK = {"en": "purchase", "pl": "zakup", "ru": "покупка", "bg": "покупката"}


def default_template(kind: str, language: str, channel: str) -> tuple[str, str]:
    """(subject, body) of ClientCare's template; English where the language has none."""
    texts = _T.get((kind, language)) or _T[(kind, "en")]
    return texts[channel]


def all_keys() -> list[tuple[str, str, str]]:
    """Every (kind, language, channel) ClientCare has a template for."""
    return [(k, lang, ch) for (k, lang), texts in _T.items() for ch in texts]
