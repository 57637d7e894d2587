<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="pl">
<context>
    <name>App</name>
    <message>
        <location filename="../../app/ui/app.py" line="48"/>
        <location filename="../../app/ui/app.py" line="117"/>
        <source>ClientCare</source>
        <translation>ClientCare</translation>
    </message>
    <message>
        <location filename="../../app/ui/app.py" line="49"/>
        <source>Something unexpected went wrong. What you saved before is safe. Details were written to the log: %1</source>
        <translation>Wystąpił nieoczekiwany błąd. Wszystko, co zapisano wcześniej, jest bezpieczne. Szczegóły zapisano w dzienniku: %1</translation>
    </message>
</context>
<context>
    <name>CalendarPage</name>
    <message>
        <location filename="../../app/ui/calendar_page.py" line="72"/>
        <source>Export to a calendar file (.ics)…</source>
        <translation>Eksportuj do pliku kalendarza (.ics)…</translation>
    </message>
    <message>
        <location filename="../../app/ui/calendar_page.py" line="113"/>
        <source>Nothing on this day.</source>
        <translation>Na ten dzień nic nie zaplanowano.</translation>
    </message>
    <message>
        <location filename="../../app/ui/calendar_page.py" line="123"/>
        <source>Meeting: %1</source>
        <translation>Spotkanie: %1</translation>
    </message>
    <message numerus="yes">
        <location filename="../../app/ui/calendar_page.py" line="131"/>
        <source>%Ln year(s)</source>
        <translation>
            <numerusform>%Ln rok</numerusform>
            <numerusform>%Ln lata</numerusform>
            <numerusform>%Ln lat</numerusform>
        </translation>
    </message>
    <message>
        <location filename="../../app/ui/calendar_page.py" line="140"/>
        <source>Export calendar</source>
        <translation>Eksport kalendarza</translation>
    </message>
    <message>
        <location filename="../../app/ui/calendar_page.py" line="142"/>
        <source>Calendar files (*.ics)</source>
        <translation>Pliki kalendarza (*.ics)</translation>
    </message>
    <message>
        <location filename="../../app/ui/calendar_page.py" line="153"/>
        <source>Meeting</source>
        <translation>Spotkanie</translation>
    </message>
    <message numerus="yes">
        <location filename="../../app/ui/calendar_page.py" line="161"/>
        <source>%Ln event(s) written to %1</source>
        <translation>
            <numerusform>Zapisano %Ln wydarzenie w pliku %1</numerusform>
            <numerusform>Zapisano %Ln wydarzenia w pliku %1</numerusform>
            <numerusform>Zapisano %Ln wydarzeń w pliku %1</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>ClientCardDialog</name>
    <message>
        <location filename="../../app/ui/client_card.py" line="86"/>
        <source>New client</source>
        <translation>Nowy klient</translation>
    </message>
    <message>
        <location filename="../../app/ui/client_card.py" line="93"/>
        <source>Details</source>
        <translation>Dane</translation>
    </message>
    <message>
        <location filename="../../app/ui/client_card.py" line="94"/>
        <source>Family and dates</source>
        <translation>Rodzina i daty</translation>
    </message>
    <message>
        <location filename="../../app/ui/client_card.py" line="95"/>
        <source>Purchases</source>
        <translation>Zakupy</translation>
    </message>
    <message>
        <location filename="../../app/ui/client_card.py" line="96"/>
        <source>Memberships</source>
        <translation>Karnety</translation>
    </message>
    <message>
        <location filename="../../app/ui/client_card.py" line="97"/>
        <source>Preferences and notes</source>
        <translation>Preferencje i notatki</translation>
    </message>
    <message>
        <location filename="../../app/ui/client_card.py" line="98"/>
        <source>Contact history</source>
        <translation>Historia kontaktów</translation>
    </message>
    <message>
        <location filename="../../app/ui/client_card.py" line="104"/>
        <source>Save (Ctrl+S)</source>
        <translation>Zapisz (Ctrl+S)</translation>
    </message>
    <message>
        <location filename="../../app/ui/client_card.py" line="137"/>
        <location filename="../../app/ui/client_card.py" line="262"/>
        <source>Kind</source>
        <translation>Rodzaj</translation>
    </message>
    <message>
        <location filename="../../app/ui/client_card.py" line="140"/>
        <source>First and last name, or the company</source>
        <translation>Imię i nazwisko albo nazwa firmy</translation>
    </message>
    <message>
        <location filename="../../app/ui/client_card.py" line="141"/>
        <source>Name *</source>
        <translation>Nazwa *</translation>
    </message>
    <message>
        <location filename="../../app/ui/client_card.py" line="145"/>
        <source>Loyalty card or patient number</source>
        <translation>Numer karty lojalnościowej lub pacjenta</translation>
    </message>
    <message>
        <location filename="../../app/ui/client_card.py" line="146"/>
        <source>Card number</source>
        <translation>Numer karty</translation>
    </message>
    <message>
        <location filename="../../app/ui/client_card.py" line="150"/>
        <source>Phone</source>
        <translation>Telefon</translation>
    </message>
    <message>
        <location filename="../../app/ui/client_card.py" line="154"/>
        <source>E-mail</source>
        <translation>E-mail</translation>
    </message>
    <message>
        <location filename="../../app/ui/client_card.py" line="158"/>
        <source>Comma-separated, e.g. VIP, kids</source>
        <translation>Oddzielone przecinkami, np. VIP, dzieci</translation>
    </message>
    <message>
        <location filename="../../app/ui/client_card.py" line="159"/>
        <source>Tags</source>
        <translation>Tagi</translation>
    </message>
    <message>
        <location filename="../../app/ui/client_card.py" line="162"/>
        <source>not yet computed</source>
        <translation>jeszcze nie obliczono</translation>
    </message>
    <message>
        <location filename="../../app/ui/client_card.py" line="163"/>
        <source>Automatic (%1)</source>
        <translation>Automatycznie (%1)</translation>
    </message>
    <message>
        <location filename="../../app/ui/client_card.py" line="165"/>
        <source>Always %1</source>
        <translation>Zawsze %1</translation>
    </message>
    <message>
        <location filename="../../app/ui/client_card.py" line="168"/>
        <source>A/B/C group</source>
        <translation>Grupa A/B/C</translation>
    </message>
    <message>
        <location filename="../../app/ui/client_card.py" line="174"/>
        <source>Came from</source>
        <translation>Źródło</translation>
    </message>
    <message>
        <location filename="../../app/ui/client_card.py" line="177"/>
        <source>Type a name to pick the client</source>
        <translation>Wpisz nazwę, aby wybrać klienta</translation>
    </message>
    <message>
        <location filename="../../app/ui/client_card.py" line="179"/>
        <source>Referred by</source>
        <translation>Polecony przez</translation>
    </message>
    <message>
        <location filename="../../app/ui/client_card.py" line="182"/>
        <source>Contact rules</source>
        <translation>Zasady kontaktu</translation>
    </message>
    <message>
        <location filename="../../app/ui/client_card.py" line="189"/>
        <source>Preferred channel</source>
        <translation>Preferowany kanał</translation>
    </message>
    <message>
        <location filename="../../app/ui/client_card.py" line="191"/>
        <source>Any time</source>
        <translation>Dowolna pora</translation>
    </message>
    <message>
        <location filename="../../app/ui/client_card.py" line="207"/>
        <source>Best hours</source>
        <translation>Najlepsze godziny</translation>
    </message>
    <message>
        <location filename="../../app/ui/client_card.py" line="217"/>
        <source>Days (none = any)</source>
        <translation>Dni (brak = dowolne)</translation>
    </message>
    <message>
        <location filename="../../app/ui/client_card.py" line="218"/>
        <source>Do not contact this client</source>
        <translation>Nie kontaktować się z tym klientem</translation>
    </message>
    <message>
        <location filename="../../app/ui/client_card.py" line="222"/>
        <source>Agreed to marketing on</source>
        <translation>Zgoda marketingowa z dnia</translation>
    </message>
    <message>
        <location filename="../../app/ui/client_card.py" line="226"/>
        <source>Consent</source>
        <translation>Zgoda</translation>
    </message>
    <message>
        <location filename="../../app/ui/client_card.py" line="238"/>
        <source>Add</source>
        <translation>Dodaj</translation>
    </message>
    <message>
        <location filename="../../app/ui/client_card.py" line="239"/>
        <source>Edit</source>
        <translation>Edytuj</translation>
    </message>
    <message>
        <location filename="../../app/ui/client_card.py" line="240"/>
        <source>Remove</source>
        <translation>Usuń</translation>
    </message>
    <message>
        <location filename="../../app/ui/client_card.py" line="253"/>
        <source>&lt;b&gt;Family&lt;/b&gt; — spouse, children, parents</source>
        <translation>&lt;b&gt;Rodzina&lt;/b&gt; — małżonek, dzieci, rodzice</translation>
    </message>
    <message>
        <location filename="../../app/ui/client_card.py" line="254"/>
        <source>Name</source>
        <translation>Imię</translation>
    </message>
    <message>
        <location filename="../../app/ui/client_card.py" line="254"/>
        <source>Relation</source>
        <translation>Relacja</translation>
    </message>
    <message>
        <location filename="../../app/ui/client_card.py" line="254"/>
        <location filename="../../app/ui/client_card.py" line="276"/>
        <location filename="../../app/ui/client_card.py" line="319"/>
        <source>Note</source>
        <translation>Notatka</translation>
    </message>
    <message>
        <location filename="../../app/ui/client_card.py" line="260"/>
        <source>&lt;b&gt;Personal dates&lt;/b&gt; — birthdays, name days, anniversaries of the client and the family</source>
        <translation>&lt;b&gt;Daty osobiste&lt;/b&gt; — urodziny, imieniny, rocznice klienta i jego rodziny</translation>
    </message>
    <message>
        <location filename="../../app/ui/client_card.py" line="262"/>
        <source>Whose</source>
        <translation>Czyja</translation>
    </message>
    <message>
        <location filename="../../app/ui/client_card.py" line="262"/>
        <location filename="../../app/ui/client_card.py" line="275"/>
        <source>Date</source>
        <translation>Data</translation>
    </message>
    <message>
        <location filename="../../app/ui/client_card.py" line="263"/>
        <source>Gift reminder</source>
        <translation>Przypomnienie o prezencie</translation>
    </message>
    <message>
        <location filename="../../app/ui/client_card.py" line="275"/>
        <source>Item or service</source>
        <translation>Produkt lub usługa</translation>
    </message>
    <message>
        <location filename="../../app/ui/client_card.py" line="276"/>
        <source>Quantity</source>
        <translation>Ilość</translation>
    </message>
    <message>
        <location filename="../../app/ui/client_card.py" line="276"/>
        <source>Amount</source>
        <translation>Kwota</translation>
    </message>
    <message>
        <location filename="../../app/ui/client_card.py" line="292"/>
        <source>Plan</source>
        <translation>Pakiet</translation>
    </message>
    <message>
        <location filename="../../app/ui/client_card.py" line="292"/>
        <source>Starts</source>
        <translation>Początek</translation>
    </message>
    <message>
        <location filename="../../app/ui/client_card.py" line="292"/>
        <source>Ends</source>
        <translation>Koniec</translation>
    </message>
    <message>
        <location filename="../../app/ui/client_card.py" line="292"/>
        <source>Status</source>
        <translation>Status</translation>
    </message>
    <message>
        <location filename="../../app/ui/client_card.py" line="293"/>
        <source>Frozen</source>
        <translation>Zamrożenie</translation>
    </message>
    <message>
        <location filename="../../app/ui/client_card.py" line="293"/>
        <source>Marks</source>
        <translation>Oznaczenia</translation>
    </message>
    <message>
        <location filename="../../app/ui/client_card.py" line="308"/>
        <source>Tastes, favourite products, what they expect from us, what to avoid</source>
        <translation>Gusty, ulubione produkty, czego od nas oczekuje, czego unikać</translation>
    </message>
    <message>
        <location filename="../../app/ui/client_card.py" line="311"/>
        <source>Preferences</source>
        <translation>Preferencje</translation>
    </message>
    <message>
        <location filename="../../app/ui/client_card.py" line="312"/>
        <source>Notes</source>
        <translation>Notatki</translation>
    </message>
    <message>
        <location filename="../../app/ui/client_card.py" line="318"/>
        <source>When</source>
        <translation>Kiedy</translation>
    </message>
    <message>
        <location filename="../../app/ui/client_card.py" line="318"/>
        <source>Channel</source>
        <translation>Kanał</translation>
    </message>
    <message>
        <location filename="../../app/ui/client_card.py" line="318"/>
        <source>Purpose</source>
        <translation>Cel</translation>
    </message>
    <message>
        <location filename="../../app/ui/client_card.py" line="318"/>
        <source>Outcome</source>
        <translation>Wynik</translation>
    </message>
    <message>
        <location filename="../../app/ui/client_card.py" line="319"/>
        <source>Tone</source>
        <translation>Ton</translation>
    </message>
    <message>
        <location filename="../../app/ui/client_card.py" line="331"/>
        <source>No contact logged yet.</source>
        <translation>Nie zapisano jeszcze żadnego kontaktu.</translation>
    </message>
    <message>
        <location filename="../../app/ui/client_card.py" line="343"/>
        <source>Group %1</source>
        <translation>Grupa %1</translation>
    </message>
    <message>
        <location filename="../../app/ui/client_card.py" line="345"/>
        <source>client since %1</source>
        <translation>klient od %1</translation>
    </message>
    <message>
        <location filename="../../app/ui/client_card.py" line="350"/>
        <source>12-month value %1</source>
        <translation>wartość z 12 miesięcy: %1</translation>
    </message>
    <message>
        <location filename="../../app/ui/client_card.py" line="353"/>
        <source>do not contact</source>
        <translation>nie kontaktować się</translation>
    </message>
    <message>
        <location filename="../../app/ui/client_card.py" line="358"/>
        <source>the client</source>
        <translation>klient</translation>
    </message>
    <message>
        <location filename="../../app/ui/client_card.py" line="381"/>
        <source>default</source>
        <translation>domyślnie</translation>
    </message>
    <message>
        <location filename="../../app/ui/client_card.py" line="382"/>
        <source>%1 days before</source>
        <translation>%1 dni wcześniej</translation>
    </message>
    <message numerus="yes">
        <location filename="../../app/ui/client_card.py" line="397"/>
        <source>%n purchase(s), total %1</source>
        <translation>
            <numerusform>%n zakup, łącznie %1</numerusform>
            <numerusform>%n zakupy, łącznie %1</numerusform>
            <numerusform>%n zakupów, łącznie %1</numerusform>
        </translation>
    </message>
    <message>
        <location filename="../../app/ui/client_card.py" line="407"/>
        <source>promo</source>
        <translation>promocja</translation>
    </message>
    <message>
        <location filename="../../app/ui/client_card.py" line="408"/>
        <source>discount</source>
        <translation>rabat</translation>
    </message>
    <message>
        <location filename="../../app/ui/client_card.py" line="491"/>
        <source>Remove purchase</source>
        <translation>Usuń zakup</translation>
    </message>
    <message>
        <location filename="../../app/ui/client_card.py" line="492"/>
        <source>Remove the purchase of %1 on %2? It is removed when you save the card.</source>
        <translation>Usunąć zakup na kwotę %1 z dnia %2? Zostanie usunięty po zapisaniu karty.</translation>
    </message>
    <message>
        <location filename="../../app/ui/client_card.py" line="606"/>
        <source>Unsaved changes</source>
        <translation>Niezapisane zmiany</translation>
    </message>
    <message>
        <location filename="../../app/ui/client_card.py" line="607"/>
        <source>Discard the changes to this client?</source>
        <translation>Odrzucić zmiany w danych tego klienta?</translation>
    </message>
    <message>
        <location filename="../../app/ui/client_card.py" line="622"/>
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
        <location filename="../../app/ui/clients_page.py" line="70"/>
        <source>Search by name, phone, e-mail or notes (Ctrl+F)</source>
        <translation>Szukaj po nazwie, telefonie, e-mailu lub notatkach (Ctrl+F)</translation>
    </message>
    <message>
        <location filename="../../app/ui/clients_page.py" line="72"/>
        <source>All groups</source>
        <translation>Wszystkie grupy</translation>
    </message>
    <message>
        <location filename="../../app/ui/clients_page.py" line="74"/>
        <source>Group %1</source>
        <translation>Grupa %1</translation>
    </message>
    <message>
        <location filename="../../app/ui/clients_page.py" line="76"/>
        <source>Any status</source>
        <translation>Dowolny status</translation>
    </message>
    <message>
        <location filename="../../app/ui/clients_page.py" line="81"/>
        <source>New client</source>
        <translation>Nowy klient</translation>
    </message>
    <message>
        <location filename="../../app/ui/clients_page.py" line="82"/>
        <source>New client (Ctrl+N)</source>
        <translation>Nowy klient (Ctrl+N)</translation>
    </message>
    <message>
        <location filename="../../app/ui/clients_page.py" line="83"/>
        <source>Delete</source>
        <translation>Usuń</translation>
    </message>
    <message>
        <location filename="../../app/ui/clients_page.py" line="84"/>
        <source>Move the selected clients to the Trash (Del)</source>
        <translation>Przenieś zaznaczonych klientów do Kosza (Del)</translation>
    </message>
    <message>
        <location filename="../../app/ui/clients_page.py" line="85"/>
        <source>Restore</source>
        <translation>Przywróć</translation>
    </message>
    <message>
        <location filename="../../app/ui/clients_page.py" line="86"/>
        <source>Trash</source>
        <translation>Kosz</translation>
    </message>
    <message>
        <location filename="../../app/ui/clients_page.py" line="88"/>
        <source>Show clients moved to the Trash</source>
        <translation>Pokaż klientów przeniesionych do Kosza</translation>
    </message>
    <message>
        <location filename="../../app/ui/clients_page.py" line="177"/>
        <source>Any tag</source>
        <translation>Dowolny tag</translation>
    </message>
    <message numerus="yes">
        <location filename="../../app/ui/clients_page.py" line="197"/>
        <source>%Ln client(s) in the Trash</source>
        <translation>
            <numerusform>%Ln klient w Koszu</numerusform>
            <numerusform>%Ln klientów w Koszu</numerusform>
            <numerusform>%Ln klientów w Koszu</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <location filename="../../app/ui/clients_page.py" line="199"/>
        <source>%Ln client(s)</source>
        <translation>
            <numerusform>%Ln klient</numerusform>
            <numerusform>%Ln klientów</numerusform>
            <numerusform>%Ln klientów</numerusform>
        </translation>
    </message>
    <message>
        <location filename="../../app/ui/clients_page.py" line="205"/>
        <source>The Trash is empty.</source>
        <translation>Kosz jest pusty.</translation>
    </message>
    <message>
        <location filename="../../app/ui/clients_page.py" line="207"/>
        <source>No client matches the search and filters.</source>
        <translation>Żaden klient nie pasuje do wyszukiwania i filtrów.</translation>
    </message>
    <message>
        <location filename="../../app/ui/clients_page.py" line="210"/>
        <source>No clients yet. Press Ctrl+N or “New client” to add the first one.</source>
        <translation>Nie ma jeszcze klientów. Naciśnij Ctrl+N lub „Nowy klient”, aby dodać pierwszego.</translation>
    </message>
    <message numerus="yes">
        <location filename="../../app/ui/clients_page.py" line="285"/>
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
        <location filename="../../app/ui/main_window.py" line="39"/>
        <source>ClientCare — %1</source>
        <translation>ClientCare — %1</translation>
    </message>
    <message>
        <location filename="../../app/ui/main_window.py" line="53"/>
        <source>This part of ClientCare arrives in a coming version. Your clients, purchases and dates are already kept for it.</source>
        <translation>Ta część ClientCare pojawi się w jednej z kolejnych wersji. Twoi klienci, zakupy i daty są już dla niej zapisywane.</translation>
    </message>
    <message>
        <location filename="../../app/ui/main_window.py" line="56"/>
        <source>Clients</source>
        <translation>Klienci</translation>
    </message>
    <message>
        <location filename="../../app/ui/main_window.py" line="57"/>
        <source>Today</source>
        <translation>Dziś</translation>
    </message>
    <message>
        <location filename="../../app/ui/main_window.py" line="58"/>
        <source>Calendar</source>
        <translation>Kalendarz</translation>
    </message>
    <message>
        <location filename="../../app/ui/main_window.py" line="59"/>
        <source>Complaints</source>
        <translation>Reklamacje</translation>
    </message>
    <message>
        <location filename="../../app/ui/main_window.py" line="60"/>
        <source>Charts</source>
        <translation>Wykresy</translation>
    </message>
    <message>
        <location filename="../../app/ui/main_window.py" line="61"/>
        <source>Settings</source>
        <translation>Ustawienia</translation>
    </message>
    <message>
        <location filename="../../app/ui/main_window.py" line="66"/>
        <source>%1 (Ctrl+%2)</source>
        <translation>%1 (Ctrl+%2)</translation>
    </message>
    <message>
        <location filename="../../app/ui/main_window.py" line="87"/>
        <source>&amp;File</source>
        <translation>&amp;Plik</translation>
    </message>
    <message>
        <location filename="../../app/ui/main_window.py" line="88"/>
        <source>&amp;Quit</source>
        <translation>&amp;Zakończ</translation>
    </message>
    <message>
        <location filename="../../app/ui/main_window.py" line="91"/>
        <source>&amp;Clients</source>
        <translation>&amp;Klienci</translation>
    </message>
    <message>
        <location filename="../../app/ui/main_window.py" line="92"/>
        <source>&amp;New client</source>
        <translation>&amp;Nowy klient</translation>
    </message>
    <message>
        <location filename="../../app/ui/main_window.py" line="96"/>
        <source>&amp;Help</source>
        <translation>Pomo&amp;c</translation>
    </message>
    <message>
        <location filename="../../app/ui/main_window.py" line="97"/>
        <source>&amp;About ClientCare</source>
        <translation>&amp;O programie ClientCare</translation>
    </message>
    <message>
        <location filename="../../app/ui/main_window.py" line="105"/>
        <source>About ClientCare</source>
        <translation>O programie ClientCare</translation>
    </message>
    <message>
        <location filename="../../app/ui/main_window.py" line="106"/>
        <source>&lt;h3&gt;ClientCare %1&lt;/h3&gt;&lt;p&gt;Keep the clients you already have.&lt;/p&gt;&lt;p&gt;Database: %2&lt;/p&gt;</source>
        <translation>&lt;h3&gt;ClientCare %1&lt;/h3&gt;&lt;p&gt;Zadbaj o klientów, których już masz.&lt;/p&gt;&lt;p&gt;Baza danych: %2&lt;/p&gt;</translation>
    </message>
</context>
<context>
    <name>ManualTaskDialog</name>
    <message>
        <location filename="../../app/ui/today_page.py" line="498"/>
        <source>New task</source>
        <translation>Nowe zadanie</translation>
    </message>
    <message>
        <location filename="../../app/ui/today_page.py" line="503"/>
        <source>Type a name to pick the client</source>
        <translation>Wpisz nazwę, aby wybrać klienta</translation>
    </message>
    <message>
        <location filename="../../app/ui/today_page.py" line="509"/>
        <source>What the call is about</source>
        <translation>Czego dotyczy rozmowa</translation>
    </message>
    <message>
        <location filename="../../app/ui/today_page.py" line="512"/>
        <source>Client</source>
        <translation>Klient</translation>
    </message>
    <message>
        <location filename="../../app/ui/today_page.py" line="513"/>
        <source>Day</source>
        <translation>Dzień</translation>
    </message>
    <message>
        <location filename="../../app/ui/today_page.py" line="514"/>
        <source>About</source>
        <translation>Temat</translation>
    </message>
    <message>
        <location filename="../../app/ui/today_page.py" line="528"/>
        <source>Pick the client from the suggestions.</source>
        <translation>Wybierz klienta z podpowiedzi.</translation>
    </message>
    <message>
        <location filename="../../app/ui/today_page.py" line="531"/>
        <source>Say what the call is about.</source>
        <translation>Napisz, czego dotyczy rozmowa.</translation>
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
        <source>The file “{path}” cannot be written: {detail}</source>
        <translation>Nie można zapisać pliku „{path}”: {detail}</translation>
    </message>
    <message>
        <location filename="../../app/ui/messages.py" line="50"/>
        <source>“{path}” is a folder, not a database file.</source>
        <translation>„{path}” to folder, a nie plik bazy danych.</translation>
    </message>
    <message>
        <location filename="../../app/ui/messages.py" line="51"/>
        <source>ClientCare may not read “{path}”. Check the file&apos;s permissions.</source>
        <translation>ClientCare nie ma uprawnień do odczytu „{path}”. Sprawdź uprawnienia pliku.</translation>
    </message>
    <message>
        <location filename="../../app/ui/messages.py" line="52"/>
        <source>The database “{path}” cannot be read or written: {detail}</source>
        <translation>Nie można odczytać ani zapisać bazy danych „{path}”: {detail}</translation>
    </message>
    <message>
        <location filename="../../app/ui/messages.py" line="53"/>
        <source>“{path}” is not a ClientCare database. Nothing was changed in it.</source>
        <translation>„{path}” nie jest bazą danych ClientCare. Niczego w nim nie zmieniono.</translation>
    </message>
    <message>
        <location filename="../../app/ui/messages.py" line="54"/>
        <source>“{path}” is a database of another program. Nothing was changed in it.</source>
        <translation>„{path}” to baza danych innego programu. Niczego w niej nie zmieniono.</translation>
    </message>
    <message>
        <location filename="../../app/ui/messages.py" line="56"/>
        <source>The database “{path}” is damaged and was not opened. Nothing was changed in it. Restore a backup or contact support. ({detail})</source>
        <translation>Baza danych „{path}” jest uszkodzona i nie została otwarta. Niczego w niej nie zmieniono. Przywróć kopię zapasową lub skontaktuj się z pomocą techniczną. ({detail})</translation>
    </message>
    <message>
        <location filename="../../app/ui/messages.py" line="59"/>
        <source>“{path}” was saved by a newer version of ClientCare. Please install the newer version to open it.</source>
        <translation>Plik „{path}” został zapisany przez nowszą wersję ClientCare. Zainstaluj nowszą wersję, aby go otworzyć.</translation>
    </message>
    <message>
        <location filename="../../app/ui/messages.py" line="61"/>
        <source>The database “{path}” is in use by another program. Close it and try again.</source>
        <translation>Baza danych „{path}” jest używana przez inny program. Zamknij go i spróbuj ponownie.</translation>
    </message>
    <message>
        <location filename="../../app/ui/messages.py" line="63"/>
        <source>The database “{path}” cannot be written (read-only folder or file). Nothing was changed.</source>
        <translation>Nie można zapisać bazy danych „{path}” (folder lub plik tylko do odczytu). Niczego nie zmieniono.</translation>
    </message>
    <message>
        <location filename="../../app/ui/messages.py" line="65"/>
        <source>The folder “{path}” cannot be created: {detail}</source>
        <translation>Nie można utworzyć folderu „{path}”: {detail}</translation>
    </message>
    <message>
        <location filename="../../app/ui/messages.py" line="66"/>
        <source>The database “{path}” does not exist.</source>
        <translation>Baza danych „{path}” nie istnieje.</translation>
    </message>
    <message>
        <location filename="../../app/ui/messages.py" line="67"/>
        <source>The database is busy in another program; your change was not saved. Please try again in a moment.</source>
        <translation>Baza danych jest zajęta przez inny program; zmiana nie została zapisana. Spróbuj ponownie za chwilę.</translation>
    </message>
    <message>
        <location filename="../../app/ui/messages.py" line="69"/>
        <source>The database cannot be written (read-only). Your change was not saved.</source>
        <translation>Nie można zapisywać w bazie danych (tylko do odczytu). Zmiana nie została zapisana.</translation>
    </message>
    <message>
        <location filename="../../app/ui/messages.py" line="71"/>
        <source>The disk is full; your change was not saved. Free some space and try again.</source>
        <translation>Dysk jest pełny; zmiana nie została zapisana. Zwolnij trochę miejsca i spróbuj ponownie.</translation>
    </message>
    <message>
        <location filename="../../app/ui/messages.py" line="73"/>
        <source>The database reported an error; your change was not saved. ({detail})</source>
        <translation>Baza danych zgłosiła błąd; zmiana nie została zapisana. ({detail})</translation>
    </message>
    <message>
        <location filename="../../app/ui/messages.py" line="81"/>
        <source>Something went wrong ({code}).</source>
        <translation>Coś poszło nie tak ({code}).</translation>
    </message>
</context>
<context>
    <name>MonthCalendar</name>
    <message numerus="yes">
        <location filename="../../app/ui/calendar_page.py" line="41"/>
        <source>%Ln call(s)</source>
        <translation>
            <numerusform>%Ln telefon</numerusform>
            <numerusform>%Ln telefony</numerusform>
            <numerusform>%Ln telefonów</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <location filename="../../app/ui/calendar_page.py" line="43"/>
        <source>%Ln meeting(s)</source>
        <translation>
            <numerusform>%Ln spotkanie</numerusform>
            <numerusform>%Ln spotkania</numerusform>
            <numerusform>%Ln spotkań</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <location filename="../../app/ui/calendar_page.py" line="45"/>
        <source>%Ln date(s)</source>
        <translation>
            <numerusform>%Ln data</numerusform>
            <numerusform>%Ln daty</numerusform>
            <numerusform>%Ln dat</numerusform>
        </translation>
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
    <name>QueueModel</name>
    <message>
        <location filename="../../app/ui/today_page.py" line="94"/>
        <source>Due</source>
        <translation>Termin</translation>
    </message>
    <message>
        <location filename="../../app/ui/today_page.py" line="94"/>
        <source>Client</source>
        <translation>Klient</translation>
    </message>
    <message>
        <location filename="../../app/ui/today_page.py" line="94"/>
        <source>Reason</source>
        <translation>Powód</translation>
    </message>
    <message>
        <location filename="../../app/ui/today_page.py" line="94"/>
        <source>Phone</source>
        <translation>Telefon</translation>
    </message>
    <message>
        <location filename="../../app/ui/today_page.py" line="95"/>
        <source>When to call</source>
        <translation>Kiedy dzwonić</translation>
    </message>
    <message>
        <location filename="../../app/ui/today_page.py" line="95"/>
        <source>Before you call</source>
        <translation>Przed telefonem</translation>
    </message>
    <message numerus="yes">
        <location filename="../../app/ui/today_page.py" line="115"/>
        <source>%Ln day(s) late</source>
        <translation>
            <numerusform>%Ln dzień po terminie</numerusform>
            <numerusform>%Ln dni po terminie</numerusform>
            <numerusform>%Ln dni po terminie</numerusform>
        </translation>
    </message>
    <message>
        <location filename="../../app/ui/today_page.py" line="116"/>
        <source>today</source>
        <translation>dziś</translation>
    </message>
    <message>
        <location filename="../../app/ui/today_page.py" line="119"/>
        <source>(the business)</source>
        <translation>(firma)</translation>
    </message>
    <message>
        <location filename="../../app/ui/today_page.py" line="123"/>
        <source>try %1</source>
        <translation>próba %1</translation>
    </message>
    <message>
        <location filename="../../app/ui/today_page.py" line="139"/>
        <source>do not contact</source>
        <translation>nie kontaktować się</translation>
    </message>
    <message>
        <location filename="../../app/ui/today_page.py" line="141"/>
        <source>open complaint</source>
        <translation>otwarta reklamacja</translation>
    </message>
    <message>
        <location filename="../../app/ui/today_page.py" line="143"/>
        <source>promo</source>
        <translation>promocja</translation>
    </message>
    <message>
        <location filename="../../app/ui/today_page.py" line="145"/>
        <source>discount</source>
        <translation>rabat</translation>
    </message>
    <message>
        <location filename="../../app/ui/today_page.py" line="147"/>
        <source>frozen</source>
        <translation>zamrożenie</translation>
    </message>
    <message>
        <location filename="../../app/ui/today_page.py" line="149"/>
        <source>new client</source>
        <translation>nowy klient</translation>
    </message>
    <message>
        <location filename="../../app/ui/today_page.py" line="151"/>
        <source>last contact %1 (%2)</source>
        <translation>ostatni kontakt %1 (%2)</translation>
    </message>
    <message>
        <location filename="../../app/ui/today_page.py" line="155"/>
        <source>no answer %1 times</source>
        <translation>nie odbiera (prób: %1)</translation>
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
    <name>RescheduleDialog</name>
    <message>
        <location filename="../../app/ui/today_page.py" line="547"/>
        <source>Reschedule</source>
        <translation>Zmiana terminu</translation>
    </message>
    <message>
        <location filename="../../app/ui/today_page.py" line="556"/>
        <source>Call on:</source>
        <translation>Zadzwonić dnia:</translation>
    </message>
</context>
<context>
    <name>RulesSettings</name>
    <message>
        <location filename="../../app/ui/rules_settings.py" line="27"/>
        <source>Follow-up after a purchase</source>
        <translation>Telefon po zakupie</translation>
    </message>
    <message>
        <location filename="../../app/ui/rules_settings.py" line="28"/>
        <source>Make follow-up calls</source>
        <translation>Dzwoń do klientów po zakupie</translation>
    </message>
    <message>
        <location filename="../../app/ui/rules_settings.py" line="29"/>
        <source>Days after the purchase</source>
        <translation>Dni po zakupie</translation>
    </message>
    <message>
        <location filename="../../app/ui/rules_settings.py" line="30"/>
        <source>Call no later than, days</source>
        <translation>Termin na telefon, dni</translation>
    </message>
    <message>
        <location filename="../../app/ui/rules_settings.py" line="32"/>
        <source>A client is new until purchase number</source>
        <translation>Klient jest nowy do zakupu nr</translation>
    </message>
    <message>
        <location filename="../../app/ui/rules_settings.py" line="34"/>
        <source>Also for other clients from this amount (0 = only new)</source>
        <translation>Także dla pozostałych klientów od kwoty (0 = tylko nowi)</translation>
    </message>
    <message>
        <location filename="../../app/ui/rules_settings.py" line="36"/>
        <source>Memberships</source>
        <translation>Karnety</translation>
    </message>
    <message>
        <location filename="../../app/ui/rules_settings.py" line="37"/>
        <source>Onboarding check-in</source>
        <translation>Kontakt z nowym klientem</translation>
    </message>
    <message>
        <location filename="../../app/ui/rules_settings.py" line="38"/>
        <source>Days after the start</source>
        <translation>Dni od rozpoczęcia</translation>
    </message>
    <message>
        <location filename="../../app/ui/rules_settings.py" line="39"/>
        <source>Renewal calls</source>
        <translation>Telefony w sprawie przedłużenia</translation>
    </message>
    <message>
        <location filename="../../app/ui/rules_settings.py" line="40"/>
        <source>Days before the end</source>
        <translation>Dni przed końcem</translation>
    </message>
    <message>
        <location filename="../../app/ui/rules_settings.py" line="42"/>
        <source>Frozen days extend the membership</source>
        <translation>Dni zamrożenia przedłużają karnet</translation>
    </message>
    <message>
        <location filename="../../app/ui/rules_settings.py" line="44"/>
        <source>Personal dates</source>
        <translation>Daty osobiste</translation>
    </message>
    <message>
        <location filename="../../app/ui/rules_settings.py" line="46"/>
        <source>Congratulate on birthdays and name days</source>
        <translation>Składaj życzenia z okazji urodzin i imienin</translation>
    </message>
    <message>
        <location filename="../../app/ui/rules_settings.py" line="47"/>
        <source>Gift reminder, days before</source>
        <translation>Przypomnienie o prezencie, dni wcześniej</translation>
    </message>
    <message>
        <location filename="../../app/ui/rules_settings.py" line="49"/>
        <source>Show dates this many days ahead</source>
        <translation>Pokazuj daty z wyprzedzeniem, dni</translation>
    </message>
    <message>
        <location filename="../../app/ui/rules_settings.py" line="51"/>
        <source>Complaints</source>
        <translation>Reklamacje</translation>
    </message>
    <message>
        <location filename="../../app/ui/rules_settings.py" line="53"/>
        <source>Call back, days after the fix</source>
        <translation>Oddzwonić, dni po rozwiązaniu</translation>
    </message>
    <message>
        <location filename="../../app/ui/rules_settings.py" line="55"/>
        <source>Team review, days after the fix</source>
        <translation>Omówienie z zespołem, dni po rozwiązaniu</translation>
    </message>
    <message>
        <location filename="../../app/ui/rules_settings.py" line="57"/>
        <source>First response within, hours</source>
        <translation>Pierwsza odpowiedź w ciągu, godz.</translation>
    </message>
    <message>
        <location filename="../../app/ui/rules_settings.py" line="59"/>
        <source>Clients who stop coming</source>
        <translation>Klienci, którzy przestają przychodzić</translation>
    </message>
    <message>
        <location filename="../../app/ui/rules_settings.py" line="60"/>
        <source>Win-back calls</source>
        <translation>Telefony w celu odzyskania klienta</translation>
    </message>
    <message>
        <location filename="../../app/ui/rules_settings.py" line="62"/>
        <source>At risk when the gap is this many times the usual</source>
        <translation>Zagrożony, gdy przerwa jest tyle razy dłuższa niż zwykle</translation>
    </message>
    <message>
        <location filename="../../app/ui/rules_settings.py" line="64"/>
        <source>Purchases needed to know a client&apos;s usual gap</source>
        <translation>Zakupy potrzebne do ustalenia typowej przerwy klienta</translation>
    </message>
    <message>
        <location filename="../../app/ui/rules_settings.py" line="66"/>
        <source>Otherwise at risk after, days</source>
        <translation>W przeciwnym razie zagrożony po, dni</translation>
    </message>
    <message>
        <location filename="../../app/ui/rules_settings.py" line="67"/>
        <source>Lapsed after, days</source>
        <translation>Utracony po, dni</translation>
    </message>
    <message>
        <location filename="../../app/ui/rules_settings.py" line="69"/>
        <source>Keep in touch with A clients</source>
        <translation>Podtrzymanie kontaktu z klientami z grupy A</translation>
    </message>
    <message>
        <location filename="../../app/ui/rules_settings.py" line="71"/>
        <source>Days without a pleasant contact</source>
        <translation>Dni bez miłego kontaktu</translation>
    </message>
    <message>
        <location filename="../../app/ui/rules_settings.py" line="73"/>
        <source>Touch, don&apos;t pester</source>
        <translation>Kontakt bez natręctwa</translation>
    </message>
    <message>
        <location filename="../../app/ui/rules_settings.py" line="74"/>
        <source>At most this many contacts</source>
        <translation>Najwyżej tyle kontaktów</translation>
    </message>
    <message>
        <location filename="../../app/ui/rules_settings.py" line="75"/>
        <source>in this many days</source>
        <translation>w ciągu tylu dni</translation>
    </message>
    <message>
        <location filename="../../app/ui/rules_settings.py" line="76"/>
        <source>Tries when nobody answers</source>
        <translation>Liczba prób, gdy nikt nie odbiera</translation>
    </message>
    <message>
        <location filename="../../app/ui/rules_settings.py" line="78"/>
        <source>Groups and value</source>
        <translation>Grupy i wartość</translation>
    </message>
    <message>
        <location filename="../../app/ui/rules_settings.py" line="79"/>
        <source>Group A: top percent of buyers</source>
        <translation>Grupa A: procent najlepszych klientów</translation>
    </message>
    <message>
        <location filename="../../app/ui/rules_settings.py" line="80"/>
        <source>Group B: next percent</source>
        <translation>Grupa B: kolejny procent</translation>
    </message>
    <message>
        <location filename="../../app/ui/rules_settings.py" line="81"/>
        <source>Client value over, days</source>
        <translation>Wartość klienta z okresu, dni</translation>
    </message>
    <message>
        <location filename="../../app/ui/rules_settings.py" line="83"/>
        <source>Quarterly A/B/C review reminder</source>
        <translation>Przypomnienie o kwartalnym przeglądzie grup A/B/C</translation>
    </message>
    <message>
        <location filename="../../app/ui/rules_settings.py" line="124"/>
        <source>Save the rules</source>
        <translation>Zapisz zasady</translation>
    </message>
    <message>
        <location filename="../../app/ui/rules_settings.py" line="126"/>
        <source>Back to the defaults</source>
        <translation>Przywróć domyślne</translation>
    </message>
    <message>
        <location filename="../../app/ui/rules_settings.py" line="182"/>
        <source>Defaults filled in; save to use them.</source>
        <translation>Wstawiono wartości domyślne; zapisz, aby je zastosować.</translation>
    </message>
    <message>
        <location filename="../../app/ui/rules_settings.py" line="202"/>
        <source>Nothing was saved: please correct the marked values.</source>
        <translation>Niczego nie zapisano: popraw zaznaczone wartości.</translation>
    </message>
    <message>
        <location filename="../../app/ui/rules_settings.py" line="213"/>
        <source>Saved. %1 new call(s) scheduled, %2 cancelled.</source>
        <translation>Zapisano. Zaplanowane nowe telefony: %1, anulowane: %2.</translation>
    </message>
</context>
<context>
    <name>SettingsPage</name>
    <message>
        <location filename="../../app/ui/settings_page.py" line="26"/>
        <source>The business</source>
        <translation>Firma</translation>
    </message>
    <message>
        <location filename="../../app/ui/settings_page.py" line="42"/>
        <source>Name</source>
        <translation>Nazwa</translation>
    </message>
    <message>
        <location filename="../../app/ui/settings_page.py" line="43"/>
        <source>Country (for phone numbers)</source>
        <translation>Kraj (dla numerów telefonów)</translation>
    </message>
    <message>
        <location filename="../../app/ui/settings_page.py" line="44"/>
        <source>Currency</source>
        <translation>Waluta</translation>
    </message>
    <message>
        <location filename="../../app/ui/settings_page.py" line="51"/>
        <source>Open on</source>
        <translation>Dni otwarcia</translation>
    </message>
    <message>
        <location filename="../../app/ui/settings_page.py" line="54"/>
        <source>Save</source>
        <translation>Zapisz</translation>
    </message>
    <message>
        <location filename="../../app/ui/settings_page.py" line="57"/>
        <source>Phone numbers typed without a country code are read as numbers of this country.</source>
        <translation>Numery telefonów wpisane bez kodu kraju są traktowane jako numery z tego kraju.</translation>
    </message>
    <message>
        <location filename="../../app/ui/settings_page.py" line="67"/>
        <source>Business</source>
        <translation>Firma</translation>
    </message>
    <message>
        <location filename="../../app/ui/settings_page.py" line="68"/>
        <source>Rules</source>
        <translation>Zasady</translation>
    </message>
    <message>
        <location filename="../../app/ui/settings_page.py" line="86"/>
        <source>A currency is a three-letter code such as PLN or EUR.</source>
        <translation>Waluta to trzyliterowy kod, np. PLN lub EUR.</translation>
    </message>
    <message>
        <location filename="../../app/ui/settings_page.py" line="91"/>
        <source>Choose at least one day the business is open.</source>
        <translation>Wybierz co najmniej jeden dzień, w którym firma jest otwarta.</translation>
    </message>
</context>
<context>
    <name>Today</name>
    <message>
        <location filename="../../app/ui/today_page.py" line="48"/>
        <source>Book a meeting; do not sell on the phone. Check the promo, discount and frozen marks first.</source>
        <extracomment>keys that log at once, and keys that open the form with an outcome chosen</extracomment>
        <translation>Umów spotkanie; nie sprzedawaj przez telefon. Najpierw sprawdź oznaczenia promocji, rabatu i zamrożenia.</translation>
    </message>
    <message>
        <location filename="../../app/ui/today_page.py" line="50"/>
        <source>Ask how the purchase serves them and whether anything could be better.</source>
        <translation>Zapytaj, jak sprawdza się zakup i czy coś mogłoby być lepsze.</translation>
    </message>
    <message>
        <location filename="../../app/ui/today_page.py" line="52"/>
        <source>Ask how the first week went and whether they need help getting started.</source>
        <translation>Zapytaj, jak minął pierwszy tydzień i czy klient potrzebuje pomocy na start.</translation>
    </message>
    <message>
        <location filename="../../app/ui/today_page.py" line="54"/>
        <source>Congratulate them; nothing to sell today.</source>
        <translation>Złóż życzenia; dziś niczego nie sprzedajemy.</translation>
    </message>
    <message>
        <location filename="../../app/ui/today_page.py" line="56"/>
        <source>Prepare a small gift or card for the date.</source>
        <translation>Przygotuj na tę okazję drobny upominek lub kartkę.</translation>
    </message>
    <message>
        <location filename="../../app/ui/today_page.py" line="57"/>
        <source>Ask whether the fix worked and whether they are satisfied now.</source>
        <translation>Zapytaj, czy rozwiązanie pomogło i czy klient jest teraz zadowolony.</translation>
    </message>
    <message>
        <location filename="../../app/ui/today_page.py" line="59"/>
        <source>Review the complaint with the team and write down the lesson.</source>
        <translation>Omów reklamację z zespołem i zapisz wnioski.</translation>
    </message>
    <message>
        <location filename="../../app/ui/today_page.py" line="61"/>
        <source>They have not been back for longer than usual: ask why, listen, invite them back.</source>
        <translation>Klient nie wraca dłużej niż zwykle: zapytaj dlaczego, wysłuchaj, zaproś ponownie.</translation>
    </message>
    <message>
        <location filename="../../app/ui/today_page.py" line="63"/>
        <source>A valued client with no pleasant contact for a while: call with good news.</source>
        <translation>Cenny klient, z którym od dawna nie było miłego kontaktu: zadzwoń z dobrą wiadomością.</translation>
    </message>
    <message>
        <location filename="../../app/ui/today_page.py" line="65"/>
        <source>Review the A/B/C groups of the quarter and ask why clients moved.</source>
        <translation>Przejrzyj grupy A/B/C z kwartału i ustal, dlaczego klienci zmienili grupę.</translation>
    </message>
    <message>
        <location filename="../../app/ui/today_page.py" line="67"/>
        <source>See the note.</source>
        <translation>Zobacz notatkę.</translation>
    </message>
</context>
<context>
    <name>TodayPage</name>
    <message>
        <location filename="../../app/ui/today_page.py" line="193"/>
        <source>Keys: N no answer · M left a message · W wrong number · R reached · B meeting booked · D declined · L call back later · C complaint found · Enter open the client</source>
        <translation>Klawisze: N brak odpowiedzi · M zostawiono wiadomość · W błędny numer · R rozmowa odbyta · B umówiono spotkanie · D odmowa · L oddzwonić później · C zgłoszono reklamację · Enter otwórz klienta</translation>
    </message>
    <message>
        <location filename="../../app/ui/today_page.py" line="199"/>
        <source>Log the call</source>
        <translation>Zapis rozmowy</translation>
    </message>
    <message>
        <location filename="../../app/ui/today_page.py" line="206"/>
        <source>not set</source>
        <translation>nie określono</translation>
    </message>
    <message>
        <location filename="../../app/ui/today_page.py" line="211"/>
        <source> min</source>
        <translation> min</translation>
    </message>
    <message>
        <location filename="../../app/ui/today_page.py" line="226"/>
        <source>Log call (Ctrl+Enter)</source>
        <translation>Zapisz rozmowę (Ctrl+Enter)</translation>
    </message>
    <message>
        <location filename="../../app/ui/today_page.py" line="231"/>
        <source>Outcome</source>
        <translation>Wynik</translation>
    </message>
    <message>
        <location filename="../../app/ui/today_page.py" line="232"/>
        <source>Tone</source>
        <translation>Ton</translation>
    </message>
    <message>
        <location filename="../../app/ui/today_page.py" line="233"/>
        <source>Duration</source>
        <translation>Czas trwania</translation>
    </message>
    <message>
        <location filename="../../app/ui/today_page.py" line="234"/>
        <source>Note</source>
        <translation>Notatka</translation>
    </message>
    <message>
        <location filename="../../app/ui/today_page.py" line="235"/>
        <source>Why declined</source>
        <translation>Powód odmowy</translation>
    </message>
    <message>
        <location filename="../../app/ui/today_page.py" line="236"/>
        <source>Meeting</source>
        <translation>Spotkanie</translation>
    </message>
    <message>
        <location filename="../../app/ui/today_page.py" line="237"/>
        <source>Call back on</source>
        <translation>Oddzwonić dnia</translation>
    </message>
    <message>
        <location filename="../../app/ui/today_page.py" line="243"/>
        <source>Tomorrow</source>
        <translation>Jutro</translation>
    </message>
    <message>
        <location filename="../../app/ui/today_page.py" line="244"/>
        <source>Snooze the call to the next day</source>
        <translation>Przełóż telefon na następny dzień</translation>
    </message>
    <message>
        <location filename="../../app/ui/today_page.py" line="245"/>
        <source>Reschedule…</source>
        <translation>Zmień termin…</translation>
    </message>
    <message>
        <location filename="../../app/ui/today_page.py" line="246"/>
        <source>Cancel task…</source>
        <translation>Anuluj zadanie…</translation>
    </message>
    <message>
        <location filename="../../app/ui/today_page.py" line="247"/>
        <source>Open client</source>
        <translation>Otwórz klienta</translation>
    </message>
    <message>
        <location filename="../../app/ui/today_page.py" line="248"/>
        <source>New task…</source>
        <translation>Nowe zadanie…</translation>
    </message>
    <message>
        <location filename="../../app/ui/today_page.py" line="249"/>
        <source>Plan a call to any client</source>
        <translation>Zaplanuj telefon do dowolnego klienta</translation>
    </message>
    <message>
        <location filename="../../app/ui/today_page.py" line="304"/>
        <source>Today, %1</source>
        <translation>Dziś, %1</translation>
    </message>
    <message numerus="yes">
        <location filename="../../app/ui/today_page.py" line="307"/>
        <source>%Ln call(s) to make</source>
        <translation>
            <numerusform>%Ln telefon do wykonania</numerusform>
            <numerusform>%Ln telefony do wykonania</numerusform>
            <numerusform>%Ln telefonów do wykonania</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <location filename="../../app/ui/today_page.py" line="308"/>
        <source>%Ln overdue</source>
        <translation>
            <numerusform>%Ln zaległy</numerusform>
            <numerusform>%Ln zaległe</numerusform>
            <numerusform>%Ln zaległych</numerusform>
        </translation>
    </message>
    <message>
        <location filename="../../app/ui/today_page.py" line="309"/>
        <source>Nothing due today. Well done!</source>
        <translation>Na dziś nie ma już żadnych telefonów. Dobra robota!</translation>
    </message>
    <message>
        <location filename="../../app/ui/today_page.py" line="335"/>
        <source>Note: %1</source>
        <translation>Notatka: %1</translation>
    </message>
    <message>
        <location filename="../../app/ui/today_page.py" line="409"/>
        <source>A complaint was opened for %1.</source>
        <translation>Otwarto reklamację klienta %1.</translation>
    </message>
    <message>
        <location filename="../../app/ui/today_page.py" line="457"/>
        <source>Cancel task</source>
        <translation>Anulowanie zadania</translation>
    </message>
    <message>
        <location filename="../../app/ui/today_page.py" line="458"/>
        <source>Why is this call no longer needed?</source>
        <translation>Dlaczego ten telefon nie jest już potrzebny?</translation>
    </message>
</context>
<context>
    <name>UndoBar</name>
    <message>
        <location filename="../../app/ui/clients_page.py" line="39"/>
        <source>Undo</source>
        <translation>Cofnij</translation>
    </message>
    <message>
        <location filename="../../app/ui/clients_page.py" line="40"/>
        <source>Undo (Ctrl+Z)</source>
        <translation>Cofnij (Ctrl+Z)</translation>
    </message>
    <message>
        <location filename="../../app/ui/clients_page.py" line="44"/>
        <source>Close</source>
        <translation>Zamknij</translation>
    </message>
</context>
</TS>
