<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="pl">
<context>
    <name>App</name>
    <message>
        <location filename="../../app/ui/app.py" line="41"/>
        <location filename="../../app/ui/app.py" line="89"/>
        <source>ClientCare</source>
        <translation>ClientCare</translation>
    </message>
    <message>
        <location filename="../../app/ui/app.py" line="42"/>
        <source>Something unexpected went wrong. What you saved before is safe. Details were written to the log: %1</source>
        <translation>Wystąpił nieoczekiwany błąd. Wszystko, co zapisano wcześniej, jest bezpieczne. Szczegóły zapisano w dzienniku: %1</translation>
    </message>
</context>
<context>
    <name>ClientCardDialog</name>
    <message>
        <location filename="../../app/ui/client_card.py" line="89"/>
        <source>New client</source>
        <translation>Nowy klient</translation>
    </message>
    <message>
        <location filename="../../app/ui/client_card.py" line="96"/>
        <source>Details</source>
        <translation>Dane</translation>
    </message>
    <message>
        <location filename="../../app/ui/client_card.py" line="97"/>
        <source>Family and dates</source>
        <translation>Rodzina i daty</translation>
    </message>
    <message>
        <location filename="../../app/ui/client_card.py" line="98"/>
        <source>Purchases</source>
        <translation>Zakupy</translation>
    </message>
    <message>
        <location filename="../../app/ui/client_card.py" line="99"/>
        <source>Memberships</source>
        <translation>Karnety</translation>
    </message>
    <message>
        <location filename="../../app/ui/client_card.py" line="100"/>
        <source>Preferences and notes</source>
        <translation>Preferencje i notatki</translation>
    </message>
    <message>
        <location filename="../../app/ui/client_card.py" line="101"/>
        <source>Contact history</source>
        <translation>Historia kontaktów</translation>
    </message>
    <message>
        <location filename="../../app/ui/client_card.py" line="107"/>
        <source>Save (Ctrl+S)</source>
        <translation>Zapisz (Ctrl+S)</translation>
    </message>
    <message>
        <location filename="../../app/ui/client_card.py" line="140"/>
        <location filename="../../app/ui/client_card.py" line="265"/>
        <source>Kind</source>
        <translation>Rodzaj</translation>
    </message>
    <message>
        <location filename="../../app/ui/client_card.py" line="143"/>
        <source>First and last name, or the company</source>
        <translation>Imię i nazwisko albo nazwa firmy</translation>
    </message>
    <message>
        <location filename="../../app/ui/client_card.py" line="144"/>
        <source>Name *</source>
        <translation>Nazwa *</translation>
    </message>
    <message>
        <location filename="../../app/ui/client_card.py" line="148"/>
        <source>Loyalty card or patient number</source>
        <translation>Numer karty lojalnościowej lub pacjenta</translation>
    </message>
    <message>
        <location filename="../../app/ui/client_card.py" line="149"/>
        <source>Card number</source>
        <translation>Numer karty</translation>
    </message>
    <message>
        <location filename="../../app/ui/client_card.py" line="153"/>
        <source>Phone</source>
        <translation>Telefon</translation>
    </message>
    <message>
        <location filename="../../app/ui/client_card.py" line="157"/>
        <source>E-mail</source>
        <translation>E-mail</translation>
    </message>
    <message>
        <location filename="../../app/ui/client_card.py" line="161"/>
        <source>Comma-separated, e.g. VIP, kids</source>
        <translation>Oddzielone przecinkami, np. VIP, dzieci</translation>
    </message>
    <message>
        <location filename="../../app/ui/client_card.py" line="162"/>
        <source>Tags</source>
        <translation>Tagi</translation>
    </message>
    <message>
        <location filename="../../app/ui/client_card.py" line="165"/>
        <source>not yet computed</source>
        <translation>jeszcze nie obliczono</translation>
    </message>
    <message>
        <location filename="../../app/ui/client_card.py" line="166"/>
        <source>Automatic (%1)</source>
        <translation>Automatycznie (%1)</translation>
    </message>
    <message>
        <location filename="../../app/ui/client_card.py" line="168"/>
        <source>Always %1</source>
        <translation>Zawsze %1</translation>
    </message>
    <message>
        <location filename="../../app/ui/client_card.py" line="171"/>
        <source>A/B/C group</source>
        <translation>Grupa A/B/C</translation>
    </message>
    <message>
        <location filename="../../app/ui/client_card.py" line="177"/>
        <source>Came from</source>
        <translation>Źródło</translation>
    </message>
    <message>
        <location filename="../../app/ui/client_card.py" line="180"/>
        <source>Type a name to pick the client</source>
        <translation>Wpisz nazwę, aby wybrać klienta</translation>
    </message>
    <message>
        <location filename="../../app/ui/client_card.py" line="182"/>
        <source>Referred by</source>
        <translation>Polecony przez</translation>
    </message>
    <message>
        <location filename="../../app/ui/client_card.py" line="185"/>
        <source>Contact rules</source>
        <translation>Zasady kontaktu</translation>
    </message>
    <message>
        <location filename="../../app/ui/client_card.py" line="192"/>
        <source>Preferred channel</source>
        <translation>Preferowany kanał</translation>
    </message>
    <message>
        <location filename="../../app/ui/client_card.py" line="194"/>
        <source>Any time</source>
        <translation>Dowolna pora</translation>
    </message>
    <message>
        <location filename="../../app/ui/client_card.py" line="210"/>
        <source>Best hours</source>
        <translation>Najlepsze godziny</translation>
    </message>
    <message>
        <location filename="../../app/ui/client_card.py" line="220"/>
        <source>Days (none = any)</source>
        <translation>Dni (brak = dowolne)</translation>
    </message>
    <message>
        <location filename="../../app/ui/client_card.py" line="221"/>
        <source>Do not contact this client</source>
        <translation>Nie kontaktować się z tym klientem</translation>
    </message>
    <message>
        <location filename="../../app/ui/client_card.py" line="225"/>
        <source>Agreed to marketing on</source>
        <translation>Zgoda marketingowa z dnia</translation>
    </message>
    <message>
        <location filename="../../app/ui/client_card.py" line="229"/>
        <source>Consent</source>
        <translation>Zgoda</translation>
    </message>
    <message>
        <location filename="../../app/ui/client_card.py" line="241"/>
        <source>Add</source>
        <translation>Dodaj</translation>
    </message>
    <message>
        <location filename="../../app/ui/client_card.py" line="242"/>
        <source>Edit</source>
        <translation>Edytuj</translation>
    </message>
    <message>
        <location filename="../../app/ui/client_card.py" line="243"/>
        <source>Remove</source>
        <translation>Usuń</translation>
    </message>
    <message>
        <location filename="../../app/ui/client_card.py" line="256"/>
        <source>&lt;b&gt;Family&lt;/b&gt; — spouse, children, parents</source>
        <translation>&lt;b&gt;Rodzina&lt;/b&gt; — małżonek, dzieci, rodzice</translation>
    </message>
    <message>
        <location filename="../../app/ui/client_card.py" line="257"/>
        <source>Name</source>
        <translation>Imię</translation>
    </message>
    <message>
        <location filename="../../app/ui/client_card.py" line="257"/>
        <source>Relation</source>
        <translation>Relacja</translation>
    </message>
    <message>
        <location filename="../../app/ui/client_card.py" line="257"/>
        <location filename="../../app/ui/client_card.py" line="279"/>
        <location filename="../../app/ui/client_card.py" line="322"/>
        <source>Note</source>
        <translation>Notatka</translation>
    </message>
    <message>
        <location filename="../../app/ui/client_card.py" line="263"/>
        <source>&lt;b&gt;Personal dates&lt;/b&gt; — birthdays, name days, anniversaries of the client and the family</source>
        <translation>&lt;b&gt;Daty osobiste&lt;/b&gt; — urodziny, imieniny, rocznice klienta i jego rodziny</translation>
    </message>
    <message>
        <location filename="../../app/ui/client_card.py" line="265"/>
        <source>Whose</source>
        <translation>Czyja</translation>
    </message>
    <message>
        <location filename="../../app/ui/client_card.py" line="265"/>
        <location filename="../../app/ui/client_card.py" line="278"/>
        <source>Date</source>
        <translation>Data</translation>
    </message>
    <message>
        <location filename="../../app/ui/client_card.py" line="266"/>
        <source>Gift reminder</source>
        <translation>Przypomnienie o prezencie</translation>
    </message>
    <message>
        <location filename="../../app/ui/client_card.py" line="278"/>
        <source>Item or service</source>
        <translation>Produkt lub usługa</translation>
    </message>
    <message>
        <location filename="../../app/ui/client_card.py" line="279"/>
        <source>Quantity</source>
        <translation>Ilość</translation>
    </message>
    <message>
        <location filename="../../app/ui/client_card.py" line="279"/>
        <source>Amount</source>
        <translation>Kwota</translation>
    </message>
    <message>
        <location filename="../../app/ui/client_card.py" line="295"/>
        <source>Plan</source>
        <translation>Pakiet</translation>
    </message>
    <message>
        <location filename="../../app/ui/client_card.py" line="295"/>
        <source>Starts</source>
        <translation>Początek</translation>
    </message>
    <message>
        <location filename="../../app/ui/client_card.py" line="295"/>
        <source>Ends</source>
        <translation>Koniec</translation>
    </message>
    <message>
        <location filename="../../app/ui/client_card.py" line="295"/>
        <source>Status</source>
        <translation>Status</translation>
    </message>
    <message>
        <location filename="../../app/ui/client_card.py" line="296"/>
        <source>Frozen</source>
        <translation>Zamrożenie</translation>
    </message>
    <message>
        <location filename="../../app/ui/client_card.py" line="296"/>
        <source>Marks</source>
        <translation>Oznaczenia</translation>
    </message>
    <message>
        <location filename="../../app/ui/client_card.py" line="311"/>
        <source>Tastes, favourite products, what they expect from us, what to avoid</source>
        <translation>Gusty, ulubione produkty, czego od nas oczekuje, czego unikać</translation>
    </message>
    <message>
        <location filename="../../app/ui/client_card.py" line="314"/>
        <source>Preferences</source>
        <translation>Preferencje</translation>
    </message>
    <message>
        <location filename="../../app/ui/client_card.py" line="315"/>
        <source>Notes</source>
        <translation>Notatki</translation>
    </message>
    <message>
        <location filename="../../app/ui/client_card.py" line="321"/>
        <source>When</source>
        <translation>Kiedy</translation>
    </message>
    <message>
        <location filename="../../app/ui/client_card.py" line="321"/>
        <source>Channel</source>
        <translation>Kanał</translation>
    </message>
    <message>
        <location filename="../../app/ui/client_card.py" line="321"/>
        <source>Purpose</source>
        <translation>Cel</translation>
    </message>
    <message>
        <location filename="../../app/ui/client_card.py" line="321"/>
        <source>Outcome</source>
        <translation>Wynik</translation>
    </message>
    <message>
        <location filename="../../app/ui/client_card.py" line="322"/>
        <source>Tone</source>
        <translation>Ton</translation>
    </message>
    <message>
        <location filename="../../app/ui/client_card.py" line="334"/>
        <source>No contact logged yet.</source>
        <translation>Nie zapisano jeszcze żadnego kontaktu.</translation>
    </message>
    <message>
        <location filename="../../app/ui/client_card.py" line="346"/>
        <source>Group %1</source>
        <translation>Grupa %1</translation>
    </message>
    <message>
        <location filename="../../app/ui/client_card.py" line="348"/>
        <source>client since %1</source>
        <translation>klient od %1</translation>
    </message>
    <message>
        <location filename="../../app/ui/client_card.py" line="353"/>
        <source>12-month value %1</source>
        <translation>wartość z 12 miesięcy: %1</translation>
    </message>
    <message>
        <location filename="../../app/ui/client_card.py" line="356"/>
        <source>do not contact</source>
        <translation>nie kontaktować się</translation>
    </message>
    <message>
        <location filename="../../app/ui/client_card.py" line="361"/>
        <source>the client</source>
        <translation>klient</translation>
    </message>
    <message>
        <location filename="../../app/ui/client_card.py" line="384"/>
        <source>default</source>
        <translation>domyślnie</translation>
    </message>
    <message>
        <location filename="../../app/ui/client_card.py" line="385"/>
        <source>%1 days before</source>
        <translation>%1 dni wcześniej</translation>
    </message>
    <message numerus="yes">
        <location filename="../../app/ui/client_card.py" line="400"/>
        <source>%n purchase(s), total %1</source>
        <translation>
            <numerusform>%n zakup, łącznie %1</numerusform>
            <numerusform>%n zakupy, łącznie %1</numerusform>
            <numerusform>%n zakupów, łącznie %1</numerusform>
        </translation>
    </message>
    <message>
        <location filename="../../app/ui/client_card.py" line="410"/>
        <source>promo</source>
        <translation>promocja</translation>
    </message>
    <message>
        <location filename="../../app/ui/client_card.py" line="411"/>
        <source>discount</source>
        <translation>rabat</translation>
    </message>
    <message>
        <location filename="../../app/ui/client_card.py" line="494"/>
        <source>Remove purchase</source>
        <translation>Usuń zakup</translation>
    </message>
    <message>
        <location filename="../../app/ui/client_card.py" line="495"/>
        <source>Remove the purchase of %1 on %2? It is removed when you save the card.</source>
        <translation>Usunąć zakup na kwotę %1 z dnia %2? Zostanie usunięty po zapisaniu karty.</translation>
    </message>
    <message>
        <location filename="../../app/ui/client_card.py" line="609"/>
        <source>Unsaved changes</source>
        <translation>Niezapisane zmiany</translation>
    </message>
    <message>
        <location filename="../../app/ui/client_card.py" line="610"/>
        <source>Discard the changes to this client?</source>
        <translation>Odrzucić zmiany w danych tego klienta?</translation>
    </message>
    <message>
        <location filename="../../app/ui/client_card.py" line="625"/>
        <source>%1 (in the Trash)</source>
        <translation>%1 (w Koszu)</translation>
    </message>
</context>
<context>
    <name>ClientTableModel</name>
    <message>
        <location filename="../../app/ui/client_model.py" line="104"/>
        <source>Name</source>
        <translation>Nazwa</translation>
    </message>
    <message>
        <location filename="../../app/ui/client_model.py" line="104"/>
        <source>Phone</source>
        <translation>Telefon</translation>
    </message>
    <message>
        <location filename="../../app/ui/client_model.py" line="105"/>
        <source>Group</source>
        <translation>Grupa</translation>
    </message>
    <message>
        <location filename="../../app/ui/client_model.py" line="105"/>
        <source>Status</source>
        <translation>Status</translation>
    </message>
    <message>
        <location filename="../../app/ui/client_model.py" line="106"/>
        <source>Last purchase</source>
        <translation>Ostatni zakup</translation>
    </message>
    <message>
        <location filename="../../app/ui/client_model.py" line="107"/>
        <source>12-month value</source>
        <translation>Wartość (12 mies.)</translation>
    </message>
    <message>
        <location filename="../../app/ui/client_model.py" line="108"/>
        <source>Next contact</source>
        <translation>Następny kontakt</translation>
    </message>
    <message>
        <location filename="../../app/ui/client_model.py" line="108"/>
        <source>Tags</source>
        <translation>Tagi</translation>
    </message>
    <message>
        <location filename="../../app/ui/client_model.py" line="142"/>
        <source>Do not contact</source>
        <translation>Nie kontaktować</translation>
    </message>
</context>
<context>
    <name>ClientsPage</name>
    <message>
        <location filename="../../app/ui/clients_page.py" line="72"/>
        <source>Search by name, phone, e-mail or notes (Ctrl+F)</source>
        <translation>Szukaj po nazwie, telefonie, e-mailu lub notatkach (Ctrl+F)</translation>
    </message>
    <message>
        <location filename="../../app/ui/clients_page.py" line="74"/>
        <source>All groups</source>
        <translation>Wszystkie grupy</translation>
    </message>
    <message>
        <location filename="../../app/ui/clients_page.py" line="76"/>
        <source>Group %1</source>
        <translation>Grupa %1</translation>
    </message>
    <message>
        <location filename="../../app/ui/clients_page.py" line="78"/>
        <source>Any status</source>
        <translation>Dowolny status</translation>
    </message>
    <message>
        <location filename="../../app/ui/clients_page.py" line="83"/>
        <source>New client</source>
        <translation>Nowy klient</translation>
    </message>
    <message>
        <location filename="../../app/ui/clients_page.py" line="84"/>
        <source>New client (Ctrl+N)</source>
        <translation>Nowy klient (Ctrl+N)</translation>
    </message>
    <message>
        <location filename="../../app/ui/clients_page.py" line="85"/>
        <source>Delete</source>
        <translation>Usuń</translation>
    </message>
    <message>
        <location filename="../../app/ui/clients_page.py" line="86"/>
        <source>Move the selected clients to the Trash (Del)</source>
        <translation>Przenieś zaznaczonych klientów do Kosza (Del)</translation>
    </message>
    <message>
        <location filename="../../app/ui/clients_page.py" line="87"/>
        <source>Restore</source>
        <translation>Przywróć</translation>
    </message>
    <message>
        <location filename="../../app/ui/clients_page.py" line="88"/>
        <source>Trash</source>
        <translation>Kosz</translation>
    </message>
    <message>
        <location filename="../../app/ui/clients_page.py" line="90"/>
        <source>Show clients moved to the Trash</source>
        <translation>Pokaż klientów przeniesionych do Kosza</translation>
    </message>
    <message>
        <location filename="../../app/ui/clients_page.py" line="179"/>
        <source>Any tag</source>
        <translation>Dowolny tag</translation>
    </message>
    <message numerus="yes">
        <location filename="../../app/ui/clients_page.py" line="199"/>
        <source>%Ln client(s) in the Trash</source>
        <translation>
            <numerusform>%Ln klient w Koszu</numerusform>
            <numerusform>%Ln klientów w Koszu</numerusform>
            <numerusform>%Ln klientów w Koszu</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <location filename="../../app/ui/clients_page.py" line="201"/>
        <source>%Ln client(s)</source>
        <translation>
            <numerusform>%Ln klient</numerusform>
            <numerusform>%Ln klientów</numerusform>
            <numerusform>%Ln klientów</numerusform>
        </translation>
    </message>
    <message>
        <location filename="../../app/ui/clients_page.py" line="207"/>
        <source>The Trash is empty.</source>
        <translation>Kosz jest pusty.</translation>
    </message>
    <message>
        <location filename="../../app/ui/clients_page.py" line="209"/>
        <source>No client matches the search and filters.</source>
        <translation>Żaden klient nie pasuje do wyszukiwania i filtrów.</translation>
    </message>
    <message>
        <location filename="../../app/ui/clients_page.py" line="212"/>
        <source>No clients yet. Press Ctrl+N or “New client” to add the first one.</source>
        <translation>Nie ma jeszcze klientów. Naciśnij Ctrl+N lub „Nowy klient”, aby dodać pierwszego.</translation>
    </message>
    <message numerus="yes">
        <location filename="../../app/ui/clients_page.py" line="287"/>
        <source>%Ln client(s) moved to the Trash.</source>
        <translation>
            <numerusform>Przeniesiono %Ln klienta do Kosza.</numerusform>
            <numerusform>Przeniesiono %Ln klientów do Kosza.</numerusform>
            <numerusform>Przeniesiono %Ln klientów do Kosza.</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>Labels</name>
    <message>
        <location filename="../../app/ui/labels.py" line="16"/>
        <source>Person</source>
        <translation>Osoba prywatna</translation>
    </message>
    <message>
        <location filename="../../app/ui/labels.py" line="16"/>
        <source>Company</source>
        <translation>Firma</translation>
    </message>
    <message>
        <location filename="../../app/ui/labels.py" line="21"/>
        <source>Any</source>
        <translation>Dowolny</translation>
    </message>
    <message>
        <location filename="../../app/ui/labels.py" line="22"/>
        <source>Phone</source>
        <translation>Telefon</translation>
    </message>
    <message>
        <location filename="../../app/ui/labels.py" line="22"/>
        <source>SMS</source>
        <translation>SMS</translation>
    </message>
    <message>
        <location filename="../../app/ui/labels.py" line="22"/>
        <source>E-mail</source>
        <translation>E-mail</translation>
    </message>
    <message>
        <location filename="../../app/ui/labels.py" line="23"/>
        <source>In person</source>
        <translation>Osobiście</translation>
    </message>
    <message>
        <location filename="../../app/ui/labels.py" line="23"/>
        <source>Messenger</source>
        <translation>Komunikator</translation>
    </message>
    <message>
        <location filename="../../app/ui/labels.py" line="24"/>
        <source>Letter</source>
        <translation>List</translation>
    </message>
    <message>
        <location filename="../../app/ui/labels.py" line="32"/>
        <source>New</source>
        <translation>Nowy</translation>
    </message>
    <message>
        <location filename="../../app/ui/labels.py" line="32"/>
        <location filename="../../app/ui/labels.py" line="50"/>
        <source>Active</source>
        <translation>Aktywny</translation>
    </message>
    <message>
        <location filename="../../app/ui/labels.py" line="33"/>
        <source>At risk</source>
        <translation>Zagrożony</translation>
    </message>
    <message>
        <location filename="../../app/ui/labels.py" line="33"/>
        <source>Lapsed</source>
        <translation>Utracony</translation>
    </message>
    <message>
        <location filename="../../app/ui/labels.py" line="38"/>
        <source>Spouse</source>
        <translation>Małżonek</translation>
    </message>
    <message>
        <location filename="../../app/ui/labels.py" line="38"/>
        <source>Partner</source>
        <translation>Partner</translation>
    </message>
    <message>
        <location filename="../../app/ui/labels.py" line="39"/>
        <source>Child</source>
        <translation>Dziecko</translation>
    </message>
    <message>
        <location filename="../../app/ui/labels.py" line="39"/>
        <source>Parent</source>
        <translation>Rodzic</translation>
    </message>
    <message>
        <location filename="../../app/ui/labels.py" line="40"/>
        <source>Sibling</source>
        <translation>Rodzeństwo</translation>
    </message>
    <message>
        <location filename="../../app/ui/labels.py" line="40"/>
        <source>Grandchild</source>
        <translation>Wnuk</translation>
    </message>
    <message>
        <location filename="../../app/ui/labels.py" line="41"/>
        <source>Other</source>
        <translation>Inne</translation>
    </message>
    <message>
        <location filename="../../app/ui/labels.py" line="45"/>
        <source>Birthday</source>
        <translation>Urodziny</translation>
    </message>
    <message>
        <location filename="../../app/ui/labels.py" line="45"/>
        <source>Name day</source>
        <translation>Imieniny</translation>
    </message>
    <message>
        <location filename="../../app/ui/labels.py" line="46"/>
        <source>Anniversary</source>
        <translation>Rocznica</translation>
    </message>
    <message>
        <location filename="../../app/ui/labels.py" line="46"/>
        <source>Other date</source>
        <translation>Inna data</translation>
    </message>
    <message>
        <location filename="../../app/ui/labels.py" line="50"/>
        <source>Frozen</source>
        <translation>Zamrożony</translation>
    </message>
    <message>
        <location filename="../../app/ui/labels.py" line="51"/>
        <source>Expired</source>
        <translation>Wygasły</translation>
    </message>
    <message>
        <location filename="../../app/ui/labels.py" line="51"/>
        <source>Renewed</source>
        <translation>Przedłużony</translation>
    </message>
    <message>
        <location filename="../../app/ui/labels.py" line="52"/>
        <source>Cancelled</source>
        <translation>Anulowany</translation>
    </message>
    <message>
        <location filename="../../app/ui/labels.py" line="56"/>
        <source>Reached</source>
        <translation>Rozmowa odbyta</translation>
    </message>
    <message>
        <location filename="../../app/ui/labels.py" line="56"/>
        <source>No answer</source>
        <translation>Brak odpowiedzi</translation>
    </message>
    <message>
        <location filename="../../app/ui/labels.py" line="57"/>
        <source>Left a message</source>
        <translation>Zostawiono wiadomość</translation>
    </message>
    <message>
        <location filename="../../app/ui/labels.py" line="58"/>
        <source>Meeting booked</source>
        <translation>Umówiono spotkanie</translation>
    </message>
    <message>
        <location filename="../../app/ui/labels.py" line="59"/>
        <source>Complaint found</source>
        <translation>Zgłoszono reklamację</translation>
    </message>
    <message>
        <location filename="../../app/ui/labels.py" line="59"/>
        <source>Declined</source>
        <translation>Odmowa</translation>
    </message>
    <message>
        <location filename="../../app/ui/labels.py" line="60"/>
        <source>Wrong number</source>
        <translation>Błędny numer</translation>
    </message>
    <message>
        <location filename="../../app/ui/labels.py" line="61"/>
        <source>Call back later</source>
        <translation>Oddzwonić później</translation>
    </message>
    <message>
        <location filename="../../app/ui/labels.py" line="67"/>
        <source>Positive</source>
        <translation>Pozytywny</translation>
    </message>
    <message>
        <location filename="../../app/ui/labels.py" line="67"/>
        <source>Neutral</source>
        <translation>Neutralny</translation>
    </message>
    <message>
        <location filename="../../app/ui/labels.py" line="68"/>
        <source>Negative</source>
        <translation>Negatywny</translation>
    </message>
    <message>
        <location filename="../../app/ui/labels.py" line="72"/>
        <source>Follow-up after purchase</source>
        <translation>Telefon po zakupie</translation>
    </message>
    <message>
        <location filename="../../app/ui/labels.py" line="73"/>
        <source>Onboarding check-in</source>
        <translation>Kontakt z nowym klientem</translation>
    </message>
    <message>
        <location filename="../../app/ui/labels.py" line="73"/>
        <source>Renewal</source>
        <translation>Przedłużenie</translation>
    </message>
    <message>
        <location filename="../../app/ui/labels.py" line="74"/>
        <source>Personal date</source>
        <translation>Data osobista</translation>
    </message>
    <message>
        <location filename="../../app/ui/labels.py" line="74"/>
        <source>Gift reminder</source>
        <translation>Przypomnienie o prezencie</translation>
    </message>
    <message>
        <location filename="../../app/ui/labels.py" line="75"/>
        <source>Complaint call-back</source>
        <translation>Oddzwonienie w sprawie reklamacji</translation>
    </message>
    <message>
        <location filename="../../app/ui/labels.py" line="76"/>
        <source>Complaint review</source>
        <translation>Przegląd reklamacji</translation>
    </message>
    <message>
        <location filename="../../app/ui/labels.py" line="77"/>
        <source>Win-back</source>
        <translation>Odzyskanie klienta</translation>
    </message>
    <message>
        <location filename="../../app/ui/labels.py" line="77"/>
        <source>Keep in touch</source>
        <translation>Podtrzymanie kontaktu</translation>
    </message>
    <message>
        <location filename="../../app/ui/labels.py" line="78"/>
        <source>Quarterly A/B/C review</source>
        <translation>Kwartalny przegląd grup A/B/C</translation>
    </message>
    <message>
        <location filename="../../app/ui/labels.py" line="79"/>
        <source>Manual</source>
        <translation>Ręczne</translation>
    </message>
</context>
<context>
    <name>MainWindow</name>
    <message>
        <location filename="../../app/ui/main_window.py" line="37"/>
        <source>ClientCare — %1</source>
        <translation>ClientCare — %1</translation>
    </message>
    <message>
        <location filename="../../app/ui/main_window.py" line="47"/>
        <source>This part of ClientCare arrives in a coming version. Your clients, purchases and dates are already kept for it.</source>
        <translation>Ta część ClientCare pojawi się w jednej z kolejnych wersji. Twoi klienci, zakupy i daty są już dla niej zapisywane.</translation>
    </message>
    <message>
        <location filename="../../app/ui/main_window.py" line="50"/>
        <source>Clients</source>
        <translation>Klienci</translation>
    </message>
    <message>
        <location filename="../../app/ui/main_window.py" line="51"/>
        <source>Today</source>
        <translation>Dziś</translation>
    </message>
    <message>
        <location filename="../../app/ui/main_window.py" line="51"/>
        <source>Today&apos;s calls</source>
        <translation>Dzisiejsze telefony</translation>
    </message>
    <message>
        <location filename="../../app/ui/main_window.py" line="52"/>
        <source>Calendar</source>
        <translation>Kalendarz</translation>
    </message>
    <message>
        <location filename="../../app/ui/main_window.py" line="53"/>
        <source>Complaints</source>
        <translation>Reklamacje</translation>
    </message>
    <message>
        <location filename="../../app/ui/main_window.py" line="54"/>
        <source>Charts</source>
        <translation>Wykresy</translation>
    </message>
    <message>
        <location filename="../../app/ui/main_window.py" line="55"/>
        <source>Settings</source>
        <translation>Ustawienia</translation>
    </message>
    <message>
        <location filename="../../app/ui/main_window.py" line="60"/>
        <source>%1 (Ctrl+%2)</source>
        <translation>%1 (Ctrl+%2)</translation>
    </message>
    <message>
        <location filename="../../app/ui/main_window.py" line="81"/>
        <source>&amp;File</source>
        <translation>&amp;Plik</translation>
    </message>
    <message>
        <location filename="../../app/ui/main_window.py" line="82"/>
        <source>&amp;Quit</source>
        <translation>&amp;Zakończ</translation>
    </message>
    <message>
        <location filename="../../app/ui/main_window.py" line="85"/>
        <source>&amp;Clients</source>
        <translation>&amp;Klienci</translation>
    </message>
    <message>
        <location filename="../../app/ui/main_window.py" line="86"/>
        <source>&amp;New client</source>
        <translation>&amp;Nowy klient</translation>
    </message>
    <message>
        <location filename="../../app/ui/main_window.py" line="90"/>
        <source>&amp;Help</source>
        <translation>Pomo&amp;c</translation>
    </message>
    <message>
        <location filename="../../app/ui/main_window.py" line="91"/>
        <source>&amp;About ClientCare</source>
        <translation>&amp;O programie ClientCare</translation>
    </message>
    <message>
        <location filename="../../app/ui/main_window.py" line="99"/>
        <source>About ClientCare</source>
        <translation>O programie ClientCare</translation>
    </message>
    <message>
        <location filename="../../app/ui/main_window.py" line="100"/>
        <source>&lt;h3&gt;ClientCare %1&lt;/h3&gt;&lt;p&gt;Keep the clients you already have.&lt;/p&gt;&lt;p&gt;Database: %2&lt;/p&gt;</source>
        <translation>&lt;h3&gt;ClientCare %1&lt;/h3&gt;&lt;p&gt;Zadbaj o klientów, których już masz.&lt;/p&gt;&lt;p&gt;Baza danych: %2&lt;/p&gt;</translation>
    </message>
</context>
<context>
    <name>MembershipDialog</name>
    <message>
        <location filename="../../app/ui/card_dialogs.py" line="134"/>
        <source>Membership</source>
        <translation>Karnet</translation>
    </message>
    <message>
        <location filename="../../app/ui/card_dialogs.py" line="137"/>
        <source>Plan</source>
        <translation>Pakiet</translation>
    </message>
    <message>
        <location filename="../../app/ui/card_dialogs.py" line="139"/>
        <source>Starts</source>
        <translation>Początek</translation>
    </message>
    <message>
        <location filename="../../app/ui/card_dialogs.py" line="140"/>
        <source>Ends</source>
        <translation>Koniec</translation>
    </message>
    <message>
        <location filename="../../app/ui/card_dialogs.py" line="145"/>
        <source>Status</source>
        <translation>Status</translation>
    </message>
    <message>
        <location filename="../../app/ui/card_dialogs.py" line="146"/>
        <source>from</source>
        <translation>od</translation>
    </message>
    <message>
        <location filename="../../app/ui/card_dialogs.py" line="147"/>
        <source>until</source>
        <translation>do</translation>
    </message>
    <message>
        <location filename="../../app/ui/card_dialogs.py" line="148"/>
        <source>Frozen</source>
        <translation>Zamrożenie</translation>
    </message>
    <message>
        <location filename="../../app/ui/card_dialogs.py" line="150"/>
        <source>Price</source>
        <translation>Cena</translation>
    </message>
    <message>
        <location filename="../../app/ui/card_dialogs.py" line="152"/>
        <source>Bought on a promotion</source>
        <translation>Kupiony w promocji</translation>
    </message>
    <message>
        <location filename="../../app/ui/card_dialogs.py" line="154"/>
        <source>Has a discount</source>
        <translation>Z rabatem</translation>
    </message>
    <message>
        <location filename="../../app/ui/card_dialogs.py" line="156"/>
        <source>Marks</source>
        <translation>Oznaczenia</translation>
    </message>
    <message>
        <location filename="../../app/ui/card_dialogs.py" line="158"/>
        <source>Special conditions</source>
        <translation>Warunki specjalne</translation>
    </message>
    <message>
        <location filename="../../app/ui/card_dialogs.py" line="160"/>
        <source>Note</source>
        <translation>Notatka</translation>
    </message>
</context>
<context>
    <name>Messages</name>
    <message>
        <location filename="../../app/ui/messages.py" line="15"/>
        <source>Please enter a name.</source>
        <translation>Wpisz imię lub nazwę.</translation>
    </message>
    <message>
        <location filename="../../app/ui/messages.py" line="16"/>
        <source>This is too long (at most {maximum} characters).</source>
        <translation>Ten tekst jest za długi (maksymalnie {maximum} znaków).</translation>
    </message>
    <message>
        <location filename="../../app/ui/messages.py" line="17"/>
        <source>“{value}” is not a valid phone number.</source>
        <translation>„{value}” nie jest prawidłowym numerem telefonu.</translation>
    </message>
    <message>
        <location filename="../../app/ui/messages.py" line="18"/>
        <source>“{value}” is not a valid e-mail address.</source>
        <translation>„{value}” nie jest prawidłowym adresem e-mail.</translation>
    </message>
    <message>
        <location filename="../../app/ui/messages.py" line="19"/>
        <source>Please enter an amount.</source>
        <translation>Podaj kwotę.</translation>
    </message>
    <message>
        <location filename="../../app/ui/messages.py" line="20"/>
        <source>“{value}” is not an amount.</source>
        <translation>„{value}” nie jest kwotą.</translation>
    </message>
    <message>
        <location filename="../../app/ui/messages.py" line="21"/>
        <source>The amount cannot be negative.</source>
        <translation>Kwota nie może być ujemna.</translation>
    </message>
    <message>
        <location filename="../../app/ui/messages.py" line="22"/>
        <source>Use at most two decimal places.</source>
        <translation>Użyj najwyżej dwóch miejsc po przecinku.</translation>
    </message>
    <message>
        <location filename="../../app/ui/messages.py" line="23"/>
        <source>The amount is too large.</source>
        <translation>Kwota jest zbyt duża.</translation>
    </message>
    <message>
        <location filename="../../app/ui/messages.py" line="24"/>
        <source>The quantity must be more than zero.</source>
        <translation>Ilość musi być większa od zera.</translation>
    </message>
    <message>
        <location filename="../../app/ui/messages.py" line="25"/>
        <source>Please enter a date.</source>
        <translation>Podaj datę.</translation>
    </message>
    <message>
        <location filename="../../app/ui/messages.py" line="26"/>
        <source>A purchase cannot be dated in the future.</source>
        <translation>Data zakupu nie może przypadać w przyszłości.</translation>
    </message>
    <message>
        <location filename="../../app/ui/messages.py" line="27"/>
        <source>This is not a valid date.</source>
        <translation>To nie jest prawidłowa data.</translation>
    </message>
    <message>
        <location filename="../../app/ui/messages.py" line="28"/>
        <source>The year must be between 1900 and 2100.</source>
        <translation>Rok musi mieścić się w przedziale 1900–2100.</translation>
    </message>
    <message>
        <location filename="../../app/ui/messages.py" line="29"/>
        <source>The relative of this date was removed.</source>
        <translation>Członek rodziny, do którego należy ta data, został usunięty.</translation>
    </message>
    <message>
        <location filename="../../app/ui/messages.py" line="30"/>
        <source>Gift reminder days must be between 0 and 60.</source>
        <translation>Liczba dni przypomnienia o prezencie musi wynosić od 0 do 60.</translation>
    </message>
    <message>
        <location filename="../../app/ui/messages.py" line="31"/>
        <source>Give both the start and the end of the hours.</source>
        <translation>Podaj początek i koniec przedziału godzin.</translation>
    </message>
    <message>
        <location filename="../../app/ui/messages.py" line="32"/>
        <source>The hours must start before they end.</source>
        <translation>Początek przedziału godzin musi być wcześniejszy niż koniec.</translation>
    </message>
    <message>
        <location filename="../../app/ui/messages.py" line="33"/>
        <source>Give the date the client gave consent.</source>
        <translation>Podaj datę wyrażenia zgody przez klienta.</translation>
    </message>
    <message>
        <location filename="../../app/ui/messages.py" line="34"/>
        <source>A client cannot refer themselves.</source>
        <translation>Klient nie może polecić sam siebie.</translation>
    </message>
    <message>
        <location filename="../../app/ui/messages.py" line="35"/>
        <source>The referring client no longer exists.</source>
        <translation>Klient polecający już nie istnieje.</translation>
    </message>
    <message>
        <location filename="../../app/ui/messages.py" line="36"/>
        <source>The number “{value}” already belongs to another client.</source>
        <translation>Numer „{value}” należy już do innego klienta.</translation>
    </message>
    <message>
        <location filename="../../app/ui/messages.py" line="37"/>
        <source>Please enter the plan&apos;s name.</source>
        <translation>Podaj nazwę pakietu.</translation>
    </message>
    <message>
        <location filename="../../app/ui/messages.py" line="38"/>
        <source>The membership ends before it starts.</source>
        <translation>Karnet kończy się przed datą rozpoczęcia.</translation>
    </message>
    <message>
        <location filename="../../app/ui/messages.py" line="39"/>
        <source>Give both the first and the last frozen day.</source>
        <translation>Podaj pierwszy i ostatni dzień zamrożenia.</translation>
    </message>
    <message>
        <location filename="../../app/ui/messages.py" line="40"/>
        <source>The freeze ends before it starts.</source>
        <translation>Zamrożenie kończy się przed datą rozpoczęcia.</translation>
    </message>
    <message>
        <location filename="../../app/ui/messages.py" line="41"/>
        <source>A frozen membership needs its frozen days.</source>
        <translation>Dla zamrożonego karnetu podaj dni zamrożenia.</translation>
    </message>
    <message>
        <location filename="../../app/ui/messages.py" line="42"/>
        <source>This value has the wrong form.</source>
        <translation>Ta wartość ma nieprawidłowy format.</translation>
    </message>
    <message>
        <location filename="../../app/ui/messages.py" line="43"/>
        <source>The value must be at least {minimum}.</source>
        <translation>Wartość musi wynosić co najmniej {minimum}.</translation>
    </message>
    <message>
        <location filename="../../app/ui/messages.py" line="44"/>
        <source>The value must be at most {maximum}.</source>
        <translation>Wartość może wynosić najwyżej {maximum}.</translation>
    </message>
    <message>
        <location filename="../../app/ui/messages.py" line="45"/>
        <source>This client no longer exists.</source>
        <translation>Ten klient już nie istnieje.</translation>
    </message>
    <message>
        <location filename="../../app/ui/messages.py" line="46"/>
        <source>“{name}” was changed elsewhere since you opened it. Close the card and open it again to see the changes.</source>
        <translation>Dane „{name}” zostały zmienione w innym miejscu po ich otwarciu. Zamknij kartę i otwórz ją ponownie, aby zobaczyć zmiany.</translation>
    </message>
    <message>
        <location filename="../../app/ui/messages.py" line="48"/>
        <source>“{path}” is a folder, not a database file.</source>
        <translation>„{path}” to folder, a nie plik bazy danych.</translation>
    </message>
    <message>
        <location filename="../../app/ui/messages.py" line="49"/>
        <source>ClientCare may not read “{path}”. Check the file&apos;s permissions.</source>
        <translation>ClientCare nie ma uprawnień do odczytu „{path}”. Sprawdź uprawnienia pliku.</translation>
    </message>
    <message>
        <location filename="../../app/ui/messages.py" line="50"/>
        <source>The database “{path}” cannot be read or written: {detail}</source>
        <translation>Nie można odczytać ani zapisać bazy danych „{path}”: {detail}</translation>
    </message>
    <message>
        <location filename="../../app/ui/messages.py" line="51"/>
        <source>“{path}” is not a ClientCare database. Nothing was changed in it.</source>
        <translation>„{path}” nie jest bazą danych ClientCare. Niczego w nim nie zmieniono.</translation>
    </message>
    <message>
        <location filename="../../app/ui/messages.py" line="52"/>
        <source>“{path}” is a database of another program. Nothing was changed in it.</source>
        <translation>„{path}” to baza danych innego programu. Niczego w niej nie zmieniono.</translation>
    </message>
    <message>
        <location filename="../../app/ui/messages.py" line="54"/>
        <source>The database “{path}” is damaged and was not opened. Nothing was changed in it. Restore a backup or contact support. ({detail})</source>
        <translation>Baza danych „{path}” jest uszkodzona i nie została otwarta. Niczego w niej nie zmieniono. Przywróć kopię zapasową lub skontaktuj się z pomocą techniczną. ({detail})</translation>
    </message>
    <message>
        <location filename="../../app/ui/messages.py" line="57"/>
        <source>“{path}” was saved by a newer version of ClientCare. Please install the newer version to open it.</source>
        <translation>Plik „{path}” został zapisany przez nowszą wersję ClientCare. Zainstaluj nowszą wersję, aby go otworzyć.</translation>
    </message>
    <message>
        <location filename="../../app/ui/messages.py" line="59"/>
        <source>The database “{path}” is in use by another program. Close it and try again.</source>
        <translation>Baza danych „{path}” jest używana przez inny program. Zamknij go i spróbuj ponownie.</translation>
    </message>
    <message>
        <location filename="../../app/ui/messages.py" line="61"/>
        <source>The database “{path}” cannot be written (read-only folder or file). Nothing was changed.</source>
        <translation>Nie można zapisać bazy danych „{path}” (folder lub plik tylko do odczytu). Niczego nie zmieniono.</translation>
    </message>
    <message>
        <location filename="../../app/ui/messages.py" line="63"/>
        <source>The folder “{path}” cannot be created: {detail}</source>
        <translation>Nie można utworzyć folderu „{path}”: {detail}</translation>
    </message>
    <message>
        <location filename="../../app/ui/messages.py" line="64"/>
        <source>The database “{path}” does not exist.</source>
        <translation>Baza danych „{path}” nie istnieje.</translation>
    </message>
    <message>
        <location filename="../../app/ui/messages.py" line="65"/>
        <source>The database is busy in another program; your change was not saved. Please try again in a moment.</source>
        <translation>Baza danych jest zajęta przez inny program; zmiana nie została zapisana. Spróbuj ponownie za chwilę.</translation>
    </message>
    <message>
        <location filename="../../app/ui/messages.py" line="67"/>
        <source>The database cannot be written (read-only). Your change was not saved.</source>
        <translation>Nie można zapisywać w bazie danych (tylko do odczytu). Zmiana nie została zapisana.</translation>
    </message>
    <message>
        <location filename="../../app/ui/messages.py" line="69"/>
        <source>The disk is full; your change was not saved. Free some space and try again.</source>
        <translation>Dysk jest pełny; zmiana nie została zapisana. Zwolnij trochę miejsca i spróbuj ponownie.</translation>
    </message>
    <message>
        <location filename="../../app/ui/messages.py" line="71"/>
        <source>The database reported an error; your change was not saved. ({detail})</source>
        <translation>Baza danych zgłosiła błąd; zmiana nie została zapisana. ({detail})</translation>
    </message>
    <message>
        <location filename="../../app/ui/messages.py" line="79"/>
        <source>Something went wrong ({code}).</source>
        <translation>Coś poszło nie tak ({code}).</translation>
    </message>
</context>
<context>
    <name>Ops</name>
    <message>
        <location filename="../../app/ui/ops.py" line="98"/>
        <source>ClientCare</source>
        <translation>ClientCare</translation>
    </message>
</context>
<context>
    <name>PersonalDateDialog</name>
    <message>
        <location filename="../../app/ui/card_dialogs.py" line="223"/>
        <source>Personal date</source>
        <translation>Data osobista</translation>
    </message>
    <message>
        <location filename="../../app/ui/card_dialogs.py" line="229"/>
        <source>Whose</source>
        <translation>Czyja</translation>
    </message>
    <message>
        <location filename="../../app/ui/card_dialogs.py" line="234"/>
        <source>Kind</source>
        <translation>Rodzaj</translation>
    </message>
    <message>
        <location filename="../../app/ui/card_dialogs.py" line="235"/>
        <source>Label</source>
        <translation>Nazwa</translation>
    </message>
    <message>
        <location filename="../../app/ui/card_dialogs.py" line="247"/>
        <source>year unknown</source>
        <translation>rok nieznany</translation>
    </message>
    <message>
        <location filename="../../app/ui/card_dialogs.py" line="250"/>
        <source>Day</source>
        <translation>Dzień</translation>
    </message>
    <message>
        <location filename="../../app/ui/card_dialogs.py" line="251"/>
        <source>Month</source>
        <translation>Miesiąc</translation>
    </message>
    <message>
        <location filename="../../app/ui/card_dialogs.py" line="252"/>
        <source>Year</source>
        <translation>Rok</translation>
    </message>
    <message>
        <location filename="../../app/ui/card_dialogs.py" line="255"/>
        <source>business default</source>
        <translation>domyślne dla firmy</translation>
    </message>
    <message>
        <location filename="../../app/ui/card_dialogs.py" line="257"/>
        <source>Gift reminder, days before</source>
        <translation>Przypomnienie o prezencie, dni wcześniej</translation>
    </message>
</context>
<context>
    <name>PurchaseDialog</name>
    <message>
        <location filename="../../app/ui/card_dialogs.py" line="90"/>
        <source>Purchase</source>
        <translation>Zakup</translation>
    </message>
    <message>
        <location filename="../../app/ui/card_dialogs.py" line="91"/>
        <source>Edit purchase</source>
        <translation>Edycja zakupu</translation>
    </message>
    <message>
        <location filename="../../app/ui/card_dialogs.py" line="94"/>
        <source>Date</source>
        <translation>Data</translation>
    </message>
    <message>
        <location filename="../../app/ui/card_dialogs.py" line="95"/>
        <source>Amount</source>
        <translation>Kwota</translation>
    </message>
    <message>
        <location filename="../../app/ui/card_dialogs.py" line="99"/>
        <source>Item or service</source>
        <translation>Produkt lub usługa</translation>
    </message>
    <message>
        <location filename="../../app/ui/card_dialogs.py" line="101"/>
        <source>Quantity</source>
        <translation>Ilość</translation>
    </message>
    <message>
        <location filename="../../app/ui/card_dialogs.py" line="104"/>
        <source>Note</source>
        <translation>Notatka</translation>
    </message>
</context>
<context>
    <name>RelativeDialog</name>
    <message>
        <location filename="../../app/ui/card_dialogs.py" line="192"/>
        <source>Family member</source>
        <translation>Członek rodziny</translation>
    </message>
    <message>
        <location filename="../../app/ui/card_dialogs.py" line="194"/>
        <source>Name</source>
        <translation>Imię</translation>
    </message>
    <message>
        <location filename="../../app/ui/card_dialogs.py" line="200"/>
        <source>Relation</source>
        <translation>Relacja</translation>
    </message>
    <message>
        <location filename="../../app/ui/card_dialogs.py" line="203"/>
        <source>Note (tastes, gift ideas)</source>
        <translation>Notatka (gusty, pomysły na prezenty)</translation>
    </message>
</context>
<context>
    <name>SettingsPage</name>
    <message>
        <location filename="../../app/ui/settings_page.py" line="23"/>
        <source>The business</source>
        <translation>Firma</translation>
    </message>
    <message>
        <location filename="../../app/ui/settings_page.py" line="39"/>
        <source>Name</source>
        <translation>Nazwa</translation>
    </message>
    <message>
        <location filename="../../app/ui/settings_page.py" line="40"/>
        <source>Country (for phone numbers)</source>
        <translation>Kraj (dla numerów telefonów)</translation>
    </message>
    <message>
        <location filename="../../app/ui/settings_page.py" line="41"/>
        <source>Currency</source>
        <translation>Waluta</translation>
    </message>
    <message>
        <location filename="../../app/ui/settings_page.py" line="44"/>
        <source>Save</source>
        <translation>Zapisz</translation>
    </message>
    <message>
        <location filename="../../app/ui/settings_page.py" line="47"/>
        <source>Phone numbers typed without a country code are read as numbers of this country.</source>
        <translation>Numery telefonów wpisane bez kodu kraju są traktowane jako numery z tego kraju.</translation>
    </message>
    <message>
        <location filename="../../app/ui/settings_page.py" line="66"/>
        <source>A currency is a three-letter code such as PLN or EUR.</source>
        <translation>Waluta to trzyliterowy kod, np. PLN lub EUR.</translation>
    </message>
</context>
<context>
    <name>UndoBar</name>
    <message>
        <location filename="../../app/ui/clients_page.py" line="41"/>
        <source>Undo</source>
        <translation>Cofnij</translation>
    </message>
    <message>
        <location filename="../../app/ui/clients_page.py" line="42"/>
        <source>Undo (Ctrl+Z)</source>
        <translation>Cofnij (Ctrl+Z)</translation>
    </message>
    <message>
        <location filename="../../app/ui/clients_page.py" line="46"/>
        <source>Close</source>
        <translation>Zamknij</translation>
    </message>
</context>
</TS>
