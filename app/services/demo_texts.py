"""The words of the demo business in each of its languages: a local beauty and fitness
studio, as its own staff would write its price list, tags, complaints and lessons.

Every list has the same length and order in every language (the demo draws positions,
so a seed gives the same business in each language, only in other words)."""

from __future__ import annotations

#: the price list, in the order of ``demo.ITEMS`` (its prices)
ITEM_NAMES = {
    "en": ["Haircut", "Hair colouring", "Manicure", "Pedicure", "Massage 60 min",
           "Massage 90 min", "Facial treatment", "Personal training", "Yoga class",
           "Group classes (10 visits)", "Consultation", "Care products", "Cosmetics set",
           "Gift voucher", "Spa day"],
    "pl": ["Strzyżenie", "Koloryzacja włosów", "Manicure", "Pedicure", "Masaż 60 min",
           "Masaż 90 min", "Zabieg na twarz", "Trening personalny", "Zajęcia jogi",
           "Zajęcia grupowe (10 wejść)", "Konsultacja", "Kosmetyki pielęgnacyjne",
           "Zestaw kosmetyków", "Bon podarunkowy", "Dzień spa"],
    "ru": ["Стрижка", "Окрашивание волос", "Маникюр", "Педикюр", "Массаж 60 мин",
           "Массаж 90 мин", "Уход за лицом", "Персональная тренировка", "Занятие йогой",
           "Групповые занятия (10 посещений)", "Консультация", "Средства по уходу",
           "Набор косметики", "Подарочный сертификат", "СПА-день"],
    "bg": ["Подстригване", "Боядисване на коса", "Маникюр", "Педикюр", "Масаж 60 мин",
           "Масаж 90 мин", "Терапия за лице", "Персонална тренировка", "Час по йога",
           "Групови занимания (10 посещения)", "Консултация", "Продукти за грижа",
           "Комплект козметика", "Ваучер за подарък", "СПА ден"],
}

#: the membership plans, in the order of ``demo.PLANS`` (their days and prices)
PLAN_NAMES = {
    "en": ["Monthly", "Quarterly", "Annual"],
    "pl": ["Karnet miesięczny", "Karnet kwartalny", "Karnet roczny"],
    "ru": ["Месячный абонемент", "Квартальный абонемент", "Годовой абонемент"],
    "bg": ["Месечен абонамент", "Тримесечен абонамент", "Годишен абонамент"],
}

#: the purchase line of a membership sold ({plan}: its name above)
MEMBERSHIP_LINE = {"en": "Membership: {plan}", "pl": "{plan}", "ru": "{plan}", "bg": "{plan}"}

#: tags; positions 0, 1, 2 and 7 are VIP, wholesale, kids and corporate (companies get
#: wholesale and corporate)
TAGS = {
    "en": ["VIP", "wholesale", "kids", "allergy", "prefers mornings", "student",
           "sensitive skin", "corporate"],
    "pl": ["VIP", "hurt", "dzieci", "alergia", "woli rano", "student", "skóra wrażliwa",
           "firma"],
    "ru": ["VIP", "опт", "дети", "аллергия", "предпочитает утро", "студент",
           "чувствительная кожа", "корпоративный"],
    "bg": ["VIP", "на едро", "деца", "алергия", "предпочита сутрин", "студент",
           "чувствителна кожа", "корпоративен"],
}
VIP, WHOLESALE, KIDS, CORPORATE = 0, 1, 2, 7

#: complaint categories: the words the complaint window offers in that language
#: (app/ui/complaint_dialog.default_categories) and one of the studio's own
COMPLAINT_CATEGORIES = {
    "en": ["Service quality", "Waiting time", "Prices and billing", "Staff attitude",
           "Booking error", "Product quality"],
    "pl": ["Jakość usługi", "Czas oczekiwania", "Ceny i rozliczenia", "Zachowanie personelu",
           "Błąd rezerwacji", "Jakość produktu"],
    "ru": ["Качество услуги", "Время ожидания", "Цены и расчёты", "Отношение персонала",
           "Ошибка записи", "Качество товара"],
    "bg": ["Качество на услугата", "Време за чакане", "Цени и плащания",
           "Отношение на персонала", "Грешка при записването", "Качество на продукта"],
}

PROMOS = {
    "en": ["Black Friday promo: 20% off", "New-year promo price", "Bring-a-friend promo"],
    "pl": ["Promocja Black Friday: -20%", "Cena noworoczna", "Promocja „Przyprowadź znajomą”"],
    "ru": ["Акция «Чёрная пятница»: −20%", "Новогодняя цена", "Акция «Приведи подругу»"],
    "bg": ["Промоция Black Friday: −20%", "Новогодишна цена", "Промоция „Доведи приятелка“"],
}
DISCOUNTS = {
    "en": ["Student discount 10%", "Family discount 10%", "Loyalty discount after two years"],
    "pl": ["Zniżka studencka 10%", "Zniżka rodzinna 10%", "Rabat za dwa lata lojalności"],
    "ru": ["Студенческая скидка 10%", "Семейная скидка 10%",
           "Скидка постоянного клиента после двух лет"],
    "bg": ["Студентска отстъпка 10%", "Семейна отстъпка 10%",
           "Отстъпка за лоялност след две години"],
}
MOVE_VISITS = {
    "en": "Can move visits to another day without notice.",
    "pl": "Może przełożyć wizytę na inny dzień bez uprzedzenia.",
    "ru": "Может перенести посещение на другой день без предупреждения.",
    "bg": "Може да премести посещение за друг ден без предупреждение.",
}
COOPERATION_START = {"en": "Start of cooperation", "pl": "Początek współpracy",
                     "ru": "Начало сотрудничества", "bg": "Начало на сътрудничеството"}
WEDDING = {"en": "Wedding anniversary", "pl": "Rocznica ślubu", "ru": "Годовщина свадьбы",
           "bg": "Годишнина от сватбата"}

CORRECTIVE_ACTIONS = {
    "en": ["Booking system now sends reminders a day before.",
           "The double charge was returned; the card terminal was checked.",
           "Talked with the specialist; the procedure is redone for free.",
           "Reception scripts updated; the team discussed the case."],
    "pl": ["System rezerwacji wysyła teraz przypomnienie dzień wcześniej.",
           "Podwójna opłata została zwrócona; terminal płatniczy sprawdzony.",
           "Rozmowa ze specjalistą; zabieg zostanie powtórzony bezpłatnie.",
           "Zaktualizowano scenariusze recepcji; zespół omówił sprawę."],
    "ru": ["Система записи теперь присылает напоминание за день.",
           "Двойное списание вернули; платёжный терминал проверили.",
           "Поговорили с мастером; процедуру переделают бесплатно.",
           "Обновили скрипты ресепшена; команда разобрала случай."],
    "bg": ["Системата за записване вече изпраща напомняне ден по-рано.",
           "Двойното плащане е върнато; терминалът за карти е проверен.",
           "Говорихме със специалиста; процедурата се прави отново безплатно.",
           "Обновихме сценариите на рецепцията; екипът обсъди случая."],
}

#: what the client asked for to put a complaint right, in the client's words
CLIENT_REQUESTS = {
    "en": ["money back", "a free visit", "a new appointment",
           "an apology from the manager", "a discount"],
    "pl": ["zwrot pieniędzy", "bezpłatna wizyta", "nowy termin",
           "przeprosiny od kierownika", "rabat"],
    "ru": ["вернуть деньги", "бесплатное посещение", "новая запись",
           "извинения от управляющего", "скидка"],
    "bg": ["връщане на парите", "безплатно посещение", "нов час",
           "извинение от управителя", "отстъпка"],
}

#: the review of a closed complaint: how the client came across, our view, what helped,
#: what hurt, the care shown, what to do differently, and the lesson
REVIEW = {
    "en": ("Upset, but calm once listened to.", "Our fault: the process allowed it.",
           "Listening without interrupting; a clear apology.",
           "Explaining our rules too early.", "Called back the next day as promised.",
           "Offer compensation right away.",
           "Confirm appointments a day before and keep the client informed."),
    "pl": ("Zdenerwowana, ale spokojniejsza, gdy ją wysłuchano.",
           "Nasza wina: proces na to pozwolił.",
           "Wysłuchanie bez przerywania; jasne przeprosiny.",
           "Zbyt wczesne tłumaczenie naszych zasad.",
           "Oddzwoniliśmy następnego dnia, jak obiecaliśmy.",
           "Od razu zaproponować rekompensatę.",
           "Potwierdzać wizyty dzień wcześniej i informować klienta na bieżąco."),
    "ru": ("Расстроена, но успокоилась, когда её выслушали.",
           "Наша вина: процесс это допустил.",
           "Выслушали, не перебивая; ясное извинение.",
           "Слишком рано начали объяснять наши правила.",
           "Перезвонили на следующий день, как обещали.",
           "Сразу предложить компенсацию.",
           "Подтверждать запись за день и держать клиента в курсе."),
    "bg": ("Разстроена, но се успокои, когато я изслушахме.",
           "Наша грешка: процесът го допусна.",
           "Изслушване, без да прекъсваме; ясно извинение.",
           "Твърде рано започнахме да обясняваме правилата си.",
           "Обадихме се на следващия ден, както обещахме.",
           "Веднага да предложим компенсация.",
           "Потвърждавайте часовете ден по-рано и дръжте клиента в течение."),
}

#: a note on a child in the family (two of five children have none)
CHILD_NOTES = {
    "en": ["", "", "loves dinosaurs", "plays football", "likes drawing"],
    "pl": ["", "", "uwielbia dinozaury", "gra w piłkę nożną", "lubi rysować"],
    "ru": ["", "", "обожает динозавров", "играет в футбол", "любит рисовать"],
    "bg": ["", "", "обожава динозаврите", "играе футбол", "обича да рисува"],
}

#: why a membership is frozen
FREEZE_NOTES = {
    "en": ["Frozen: holiday abroad", "Frozen: medical certificate", "Frozen: business trip"],
    "pl": ["Zamrożony: urlop za granicą", "Zamrożony: zwolnienie lekarskie",
           "Zamrożony: wyjazd służbowy"],
    "ru": ["Заморожен: отпуск за границей", "Заморожен: медицинская справка",
           "Заморожен: командировка"],
    "bg": ["Замразен: почивка в чужбина", "Замразен: медицинска бележка",
           "Замразен: командировка"],
}

#: the note of a client's marketing consent, as signed at the desk
CONSENT_NOTE = {"en": "signed the consent form", "pl": "podpisał(a) formularz zgody",
                "ru": "подписал(а) форму согласия", "bg": "подписа формуляра за съгласие"}

#: the note of the credit line a refund after a complaint writes among the purchases
REFUND_NOTE = {"en": "refund after a complaint", "pl": "zwrot po reklamacji",
               "ru": "возврат по жалобе", "bg": "възстановяване след оплакване"}
