<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="pl">
<context>
    <name>AboutDialog</name>
    <message>
        <location filename="../../app/ui/about.py" line="122"/>
        <source>About ClientCare</source>
        <translation>O programie ClientCare</translation>
    </message>
    <message>
        <location filename="../../app/ui/about.py" line="125"/>
        <source>&lt;h2&gt;ClientCare %1&lt;/h2&gt;</source>
        <translation>&lt;h2&gt;ClientCare %1&lt;/h2&gt;</translation>
    </message>
    <message>
        <location filename="../../app/ui/about.py" line="128"/>
        <source>Portable: the data is in the folder beside the program, %1</source>
        <translation>Wersja przenośna: dane są w folderze obok programu, %1</translation>
    </message>
    <message>
        <location filename="../../app/ui/about.py" line="129"/>
        <source>Data folder: %1</source>
        <translation>Folder danych: %1</translation>
    </message>
    <message>
        <location filename="../../app/ui/about.py" line="130"/>
        <source>Keep the clients you already have.</source>
        <translation>Zadbaj o klientów, których już masz.</translation>
    </message>
    <message>
        <location filename="../../app/ui/about.py" line="133"/>
        <source>Database: %1</source>
        <translation>Baza danych: %1</translation>
    </message>
    <message>
        <location filename="../../app/ui/about.py" line="145"/>
        <source>Check for &amp;updates…</source>
        <translation>Sprawdź &amp;aktualizacje…</translation>
    </message>
</context>
<context>
    <name>App</name>
    <message>
        <location filename="../../app/ui/app.py" line="138"/>
        <location filename="../../app/ui/app.py" line="142"/>
        <location filename="../../app/ui/app.py" line="332"/>
        <location filename="../../app/ui/app.py" line="351"/>
        <location filename="../../app/ui/app.py" line="402"/>
        <location filename="../../app/ui/app.py" line="414"/>
        <location filename="../../app/ui/first_paint.py" line="43"/>
        <location filename="../../app/ui/start.py" line="85"/>
        <location filename="../../app/ui/start.py" line="122"/>
        <location filename="../../app/ui/start.py" line="227"/>
        <location filename="../../app/ui/start.py" line="242"/>
        <source>ClientCare</source>
        <translation>ClientCare</translation>
    </message>
    <message>
        <location filename="../../app/ui/app.py" line="143"/>
        <source>Something unexpected went wrong. What you saved before is safe. Details were written to the log: %1</source>
        <translation>Wystąpił nieoczekiwany błąd. Wszystko, co zapisano wcześniej, jest bezpieczne. Szczegóły zapisano w dzienniku: %1</translation>
    </message>
    <message>
        <location filename="../../app/ui/app.py" line="300"/>
        <source>ClientCare could not load all of its parts, so the database was not opened.</source>
        <extracomment>the start could not import a part of the program (a damaged installation)</extracomment>
        <translation>ClientCare nie mógł wczytać wszystkich swoich części, więc baza danych nie została otwarta.</translation>
    </message>
    <message>
        <location filename="../../app/ui/app.py" line="333"/>
        <source>The database “%1” is in a network folder (%2). SQLite cannot lock a file reliably there: two computers working on it at once can damage it.

Keep the database on this computer&apos;s own disk. For several computers, move it to a PostgreSQL server (office mode): clientcare migrate-to-postgres --from FILE --to postgresql+psycopg://user@server/database.</source>
        <translation>Baza danych „%1” znajduje się w folderze sieciowym (%2). SQLite nie potrafi tam niezawodnie blokować pliku: dwa komputery pracujące na nim jednocześnie mogą go uszkodzić.

Trzymaj bazę danych na własnym dysku tego komputera. Dla kilku komputerów przenieś ją na serwer PostgreSQL (tryb biurowy): clientcare migrate-to-postgres --from PLIK --to postgresql+psycopg://użytkownik@serwer/baza.</translation>
    </message>
    <message>
        <location filename="../../app/ui/app.py" line="403"/>
        <source>This PC&apos;s own file opens meanwhile.</source>
        <translation>Tymczasem otwiera się własny plik tego komputera.</translation>
    </message>
    <message>
        <location filename="../../app/ui/start.py" line="63"/>
        <source>Owner</source>
        <translation>Właściciel</translation>
    </message>
    <message>
        <location filename="../../app/ui/start.py" line="118"/>
        <source>The file “%1” is read-only.</source>
        <translation>Plik „%1” jest tylko do odczytu.</translation>
    </message>
    <message>
        <location filename="../../app/ui/start.py" line="120"/>
        <source>The folder of “%1” is read-only: ClientCare cannot save there.</source>
        <translation>Folder pliku „%1” jest tylko do odczytu: ClientCare nie może w nim zapisywać.</translation>
    </message>
    <message>
        <location filename="../../app/ui/start.py" line="124"/>
        <source>Nothing in it was changed. You can look at it read-only (nothing can be saved then), or copy it to a folder you can write to and work on the copy.</source>
        <translation>Niczego w nim nie zmieniono. Możesz go przeglądać w trybie tylko do odczytu (wtedy nie da się niczego zapisać) albo skopiować go do folderu, w którym możesz zapisywać, i pracować na kopii.</translation>
    </message>
    <message>
        <location filename="../../app/ui/start.py" line="128"/>
        <source>Open read-only</source>
        <translation>Otwórz tylko do odczytu</translation>
    </message>
    <message>
        <location filename="../../app/ui/start.py" line="131"/>
        <source>Copy to another folder…</source>
        <translation>Skopiuj do innego folderu…</translation>
    </message>
    <message>
        <location filename="../../app/ui/start.py" line="146"/>
        <source>Copy the database to</source>
        <translation>Skopiuj bazę danych do</translation>
    </message>
    <message>
        <location filename="../../app/ui/start.py" line="148"/>
        <source>ClientCare database (*.sqlite *.db)</source>
        <translation>Baza danych ClientCare (*.sqlite *.db)</translation>
    </message>
    <message>
        <location filename="../../app/ui/start.py" line="194"/>
        <source>Wait a moment, then try again.</source>
        <translation>Poczekaj chwilę i spróbuj ponownie.</translation>
    </message>
    <message>
        <location filename="../../app/ui/start.py" line="219"/>
        <source>You may restore a backup: choose one in the list. The damaged file is kept aside, not deleted.</source>
        <translation>Możesz przywrócić kopię zapasową: wybierz ją z listy. Uszkodzony plik zostanie odłożony na bok, a nie usunięty.</translation>
    </message>
    <message>
        <location filename="../../app/ui/start.py" line="239"/>
        <source>Check that the office server is on and this PC is on its network, or ask whoever set it up for the address, user and password.</source>
        <translation>Sprawdź, czy serwer biura jest włączony, a ten komputer jest w jego sieci, albo zapytaj osobę, która go skonfigurowała, o adres, użytkownika i hasło.</translation>
    </message>
    <message>
        <location filename="../../app/ui/start.py" line="248"/>
        <source>Meanwhile you can work on this PC&apos;s own file: what you save there stays on this PC and does not reach the server.</source>
        <translation>Tymczasem możesz pracować na własnym pliku tego komputera: to, co w nim zapiszesz, zostaje na tym komputerze i nie trafia na serwer.</translation>
    </message>
    <message>
        <location filename="../../app/ui/start.py" line="251"/>
        <source>Open this PC&apos;s file</source>
        <translation>Otwórz plik tego komputera</translation>
    </message>
    <message>
        <location filename="../../app/ui/app.py" line="415"/>
        <source>ClientCare is already open with this database. Switch to its window; two windows on one file could overwrite each other&apos;s work.</source>
        <translation>ClientCare jest już otwarty z tą bazą danych. Przejdź do jego okna — dwa okna pracujące na jednym pliku mogłyby nawzajem nadpisywać swoje zmiany.</translation>
    </message>
    <message>
        <location filename="../../app/ui/first_paint.py" line="46"/>
        <source>Nothing was changed. Retry once the file can be read again, or quit.</source>
        <translation>Nic nie zostało zmienione. Spróbuj ponownie, gdy plik znów będzie można odczytać, albo zakończ.</translation>
    </message>
    <message>
        <location filename="../../app/ui/first_paint.py" line="50"/>
        <source>Retry</source>
        <translation>Ponów</translation>
    </message>
    <message>
        <location filename="../../app/ui/first_paint.py" line="53"/>
        <source>Quit</source>
        <translation>Zakończ</translation>
    </message>
</context>
<context>
    <name>BackgroundStart</name>
    <message>
        <location filename="../../app/ui/start.py" line="380"/>
        <source>Checking the database…</source>
        <translation>Sprawdzanie bazy danych…</translation>
    </message>
    <message>
        <location filename="../../app/ui/start.py" line="393"/>
        <source>ClientCare</source>
        <translation>ClientCare</translation>
    </message>
    <message>
        <location filename="../../app/ui/start.py" line="419"/>
        <source>Restoring the backup…</source>
        <translation>Przywracanie kopii zapasowej…</translation>
    </message>
    <message>
        <location filename="../../app/ui/start.py" line="425"/>
        <source>Preparing the database…</source>
        <translation>Przygotowywanie bazy danych…</translation>
    </message>
    <message>
        <location filename="../../app/ui/start.py" line="437"/>
        <source>Applying the erasure log…</source>
        <translation>Ponowne stosowanie rejestru usunięć…</translation>
    </message>
    <message>
        <location filename="../../app/ui/start.py" line="449"/>
        <source>Bringing the calls of the day up to date…</source>
        <translation>Aktualizowanie połączeń na dziś…</translation>
    </message>
    <message>
        <location filename="../../app/ui/start.py" line="457"/>
        <source>Backing up…</source>
        <translation>Tworzenie kopii zapasowej…</translation>
    </message>
    <message>
        <location filename="../../app/ui/start.py" line="483"/>
        <source>Getting ready…</source>
        <translation>Przygotowywanie…</translation>
    </message>
</context>
<context>
    <name>BackupPickerDialog</name>
    <message>
        <location filename="../../app/ui/backup_settings.py" line="93"/>
        <source>Restore a backup</source>
        <translation>Przywracanie kopii zapasowej</translation>
    </message>
    <message>
        <location filename="../../app/ui/backup_settings.py" line="98"/>
        <source>Made</source>
        <translation>Rodzaj</translation>
    </message>
    <message>
        <location filename="../../app/ui/backup_settings.py" line="98"/>
        <source>When</source>
        <translation>Kiedy</translation>
    </message>
    <message>
        <location filename="../../app/ui/backup_settings.py" line="98"/>
        <source>Size</source>
        <translation>Rozmiar</translation>
    </message>
    <message>
        <location filename="../../app/ui/backup_settings.py" line="104"/>
        <source>Restore the chosen backup</source>
        <translation>Przywróć wybraną kopię</translation>
    </message>
    <message>
        <location filename="../../app/ui/backup_settings.py" line="109"/>
        <source>Close without changes</source>
        <translation>Zamknij bez zmian</translation>
    </message>
</context>
<context>
    <name>BackupSettings</name>
    <message>
        <location filename="../../app/ui/backup_settings.py" line="56"/>
        <source>At start-up</source>
        <translation>Przy uruchomieniu</translation>
    </message>
    <message>
        <location filename="../../app/ui/backup_settings.py" line="57"/>
        <source>At exit</source>
        <translation>Przy zamknięciu</translation>
    </message>
    <message>
        <location filename="../../app/ui/backup_settings.py" line="58"/>
        <source>Before an import</source>
        <translation>Przed importem</translation>
    </message>
    <message>
        <location filename="../../app/ui/backup_settings.py" line="59"/>
        <source>Made by hand</source>
        <translation>Ręcznie</translation>
    </message>
    <message>
        <location filename="../../app/ui/backup_settings.py" line="60"/>
        <source>Before a restore</source>
        <translation>Przed przywróceniem</translation>
    </message>
    <message>
        <location filename="../../app/ui/backup_settings.py" line="63"/>
        <source>Before an update of ClientCare</source>
        <translation>Przed aktualizacją ClientCare</translation>
    </message>
    <message>
        <location filename="../../app/ui/backup_settings.py" line="68"/>
        <source>%1 KB</source>
        <translation>%1 KB</translation>
    </message>
    <message>
        <location filename="../../app/ui/backup_settings.py" line="69"/>
        <source>%1 MB</source>
        <translation>%1 MB</translation>
    </message>
    <message>
        <location filename="../../app/ui/backup_settings.py" line="178"/>
        <source>Checking the database…</source>
        <translation>Sprawdzanie bazy danych…</translation>
    </message>
    <message>
        <location filename="../../app/ui/backup_settings.py" line="152"/>
        <location filename="../../app/ui/backup_settings.py" line="161"/>
        <location filename="../../app/ui/backup_settings.py" line="256"/>
        <source>Check the database</source>
        <translation>Sprawdź bazę danych</translation>
    </message>
    <message>
        <location filename="../../app/ui/backup_settings.py" line="153"/>
        <source>The database is in good order.</source>
        <translation>Baza danych jest w porządku.</translation>
    </message>
    <message>
        <location filename="../../app/ui/backup_settings.py" line="157"/>
        <source>The database has problems: %1</source>
        <translation>W bazie danych wykryto problemy: %1</translation>
    </message>
    <message>
        <location filename="../../app/ui/backup_settings.py" line="162"/>
        <source>There is no good backup to restore. Keep working carefully and contact support.</source>
        <translation>Brak poprawnej kopii zapasowej do przywrócenia. Pracuj dalej ostrożnie i skontaktuj się z pomocą techniczną.</translation>
    </message>
    <message>
        <location filename="../../app/ui/backup_settings.py" line="167"/>
        <source>You may restore a backup: choose one in the list. The current file is backed up or kept aside first.</source>
        <translation>Możesz przywrócić kopię zapasową: wybierz ją z listy. Bieżący plik zostanie najpierw skopiowany lub odłożony na bok.</translation>
    </message>
    <message>
        <location filename="../../app/ui/backup_settings.py" line="272"/>
        <source>ClientCare backs the database up when it starts and when it closes (unless nothing changed), before an update, before each import and before a restore, checks every backup, and keeps one backup a day and one a week (Settings, Rules). Keep the backups on another disk: choose the folder.</source>
        <translation>ClientCare tworzy kopię zapasową bazy danych przy uruchomieniu i przy zamknięciu (chyba że nic się nie zmieniło), przed aktualizacją, przed każdym importem i przed przywróceniem, sprawdza każdą kopię i przechowuje po jednej kopii z dnia i z tygodnia (Ustawienia, Zasady). Trzymaj kopie na innym dysku: wybierz folder.</translation>
    </message>
    <message>
        <location filename="../../app/ui/backup_settings.py" line="386"/>
        <source>Delete a backup</source>
        <translation>Usuwanie kopii zapasowej</translation>
    </message>
    <message>
        <location filename="../../app/ui/backup_settings.py" line="387"/>
        <source>Delete the backup of %1 (%2)? It cannot be brought back.</source>
        <translation>Usunąć kopię zapasową z %1 (%2)? Nie da się jej przywrócić.</translation>
    </message>
    <message>
        <location filename="../../app/ui/backup_settings.py" line="400"/>
        <source>Deleted the backup of %1.</source>
        <translation>Usunięto kopię zapasową z %1.</translation>
    </message>
    <message>
        <location filename="../../app/ui/backup_settings.py" line="408"/>
        <source>The folder for the backups</source>
        <translation>Folder na kopie zapasowe</translation>
    </message>
    <message>
        <location filename="../../app/ui/backup_settings.py" line="424"/>
        <source>New backups go to %1.</source>
        <translation>Nowe kopie zapasowe trafią do %1.</translation>
    </message>
    <message>
        <location filename="../../app/ui/backup_settings.py" line="245"/>
        <source>Made</source>
        <translation>Rodzaj</translation>
    </message>
    <message>
        <location filename="../../app/ui/backup_settings.py" line="224"/>
        <source>Restoring the backup…</source>
        <translation>Przywracanie kopii zapasowej…</translation>
    </message>
    <message>
        <location filename="../../app/ui/backup_settings.py" line="245"/>
        <source>When</source>
        <translation>Data utworzenia</translation>
    </message>
    <message>
        <location filename="../../app/ui/backup_settings.py" line="245"/>
        <source>Size</source>
        <translation>Rozmiar</translation>
    </message>
    <message>
        <location filename="../../app/ui/backup_settings.py" line="251"/>
        <source>Back up now</source>
        <translation>Wykonaj kopię zapasową teraz</translation>
    </message>
    <message>
        <location filename="../../app/ui/backup_settings.py" line="252"/>
        <source>Restore the chosen backup…</source>
        <translation>Przywróć wybraną kopię zapasową…</translation>
    </message>
    <message>
        <location filename="../../app/ui/backup_settings.py" line="254"/>
        <source>Delete the chosen backup…</source>
        <translation>Usuń wybraną kopię…</translation>
    </message>
    <message>
        <location filename="../../app/ui/backup_settings.py" line="257"/>
        <source>Choose the folder…</source>
        <translation>Wybierz folder…</translation>
    </message>
    <message>
        <location filename="../../app/ui/backup_settings.py" line="259"/>
        <source>Open the folder</source>
        <translation>Otwórz folder</translation>
    </message>
    <message>
        <location filename="../../app/ui/backup_settings.py" line="291"/>
        <source>Folder: %1</source>
        <translation>Folder: %1</translation>
    </message>
    <message>
        <location filename="../../app/ui/backup_settings.py" line="295"/>
        <source>The dates of the backups do not fit the order they were made in, or lie in the future: check the computer&apos;s clock. Old backups are removed by their order, not by these dates.</source>
        <translation>Daty kopii zapasowych nie zgadzają się z kolejnością, w jakiej powstały, albo leżą w przyszłości: sprawdź zegar komputera. Stare kopie są usuwane według kolejności, nie według tych dat.</translation>
    </message>
    <message>
        <location filename="../../app/ui/backup_settings.py" line="314"/>
        <source>Backing up…</source>
        <translation>Tworzenie kopii zapasowej…</translation>
    </message>
    <message>
        <location filename="../../app/ui/backup_settings.py" line="321"/>
        <source>Backing up and checking the copy…</source>
        <translation>Tworzenie i sprawdzanie kopii…</translation>
    </message>
    <message>
        <location filename="../../app/ui/backup_settings.py" line="332"/>
        <source>Backed up to %1.</source>
        <translation>Utworzono kopię zapasową: %1.</translation>
    </message>
    <message>
        <location filename="../../app/ui/backup_settings.py" line="356"/>
        <location filename="../../app/ui/backup_settings.py" line="383"/>
        <source>Choose a backup in the list first.</source>
        <translation>Najpierw wybierz kopię zapasową z listy.</translation>
    </message>
    <message>
        <location filename="../../app/ui/backup_settings.py" line="359"/>
        <source>Restore a backup</source>
        <translation>Przywracanie kopii zapasowej</translation>
    </message>
    <message>
        <location filename="../../app/ui/backup_settings.py" line="360"/>
        <source>Replace all data with the backup of %1?

What is in the database now is backed up first, so this can be undone by restoring that backup.</source>
        <translation>Zastąpić wszystkie dane kopią zapasową z %1?

Najpierw zostanie utworzona kopia zapasowa obecnej zawartości bazy danych, więc tę operację można cofnąć, przywracając tamtą kopię.</translation>
    </message>
    <message>
        <location filename="../../app/ui/backup_settings.py" line="371"/>
        <source>Restored the backup of %1.</source>
        <translation>Przywrócono kopię zapasową z %1.</translation>
    </message>
</context>
<context>
    <name>BatchDialog</name>
    <message>
        <location filename="../../app/ui/message_dialog.py" line="305"/>
        <source>Send messages</source>
        <translation>Wyślij wiadomości</translation>
    </message>
    <message numerus="yes">
        <location filename="../../app/ui/message_dialog.py" line="312"/>
        <source>Send %n message(s):</source>
        <translation>
            <numerusform>Wyślij %n wiadomość:</numerusform>
            <numerusform>Wyślij %n wiadomości:</numerusform>
            <numerusform>Wyślij %n wiadomości:</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <location filename="../../app/ui/message_dialog.py" line="314"/>
        <source>%n by e-mail</source>
        <translation>
            <numerusform>%n e-mailem</numerusform>
            <numerusform>%n e-mailem</numerusform>
            <numerusform>%n e-mailem</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <location filename="../../app/ui/message_dialog.py" line="316"/>
        <source>%n by SMS</source>
        <translation>
            <numerusform>%n SMS-em</numerusform>
            <numerusform>%n SMS-ami</numerusform>
            <numerusform>%n SMS-ami</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <location filename="../../app/ui/message_dialog.py" line="317"/>
        <source>%n SMS part(s) in all</source>
        <translation>
            <numerusform>razem %n część SMS</numerusform>
            <numerusform>razem %n części SMS</numerusform>
            <numerusform>razem %n części SMS</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <location filename="../../app/ui/message_dialog.py" line="320"/>
        <location filename="../../app/ui/message_dialog.py" line="336"/>
        <source>and %n more</source>
        <translation>
            <numerusform>i %n więcej</numerusform>
            <numerusform>i %n więcej</numerusform>
            <numerusform>i %n więcej</numerusform>
        </translation>
    </message>
    <message>
        <location filename="../../app/ui/message_dialog.py" line="322"/>
        <source>To: %1</source>
        <translation>Do: %1</translation>
    </message>
    <message numerus="yes">
        <location filename="../../app/ui/message_dialog.py" line="332"/>
        <source>%n will not be sent:</source>
        <translation>
            <numerusform>%n nie zostanie wysłana:</numerusform>
            <numerusform>%n nie zostaną wysłane:</numerusform>
            <numerusform>%n nie zostanie wysłanych:</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <location filename="../../app/ui/message_dialog.py" line="342"/>
        <source>Send %n</source>
        <translation>
            <numerusform>Wyślij %n</numerusform>
            <numerusform>Wyślij %n</numerusform>
            <numerusform>Wyślij %n</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>BusyIndicator</name>
    <message>
        <location filename="../../app/ui/progress.py" line="119"/>
        <source>%1 (and %2 more)</source>
        <translation>%1 (i jeszcze %2)</translation>
    </message>
</context>
<context>
    <name>CalendarPage</name>
    <message>
        <location filename="../../app/ui/calendar_page.py" line="146"/>
        <source>Nothing on this day.</source>
        <translation>Na ten dzień nic nie zaplanowano.</translation>
    </message>
    <message>
        <location filename="../../app/ui/calendar_page.py" line="191"/>
        <source>Export to a calendar file (.ics)…</source>
        <translation>Eksportuj do pliku kalendarza (.ics)…</translation>
    </message>
    <message>
        <location filename="../../app/ui/calendar_page.py" line="248"/>
        <location filename="../../app/ui/calendar_page.py" line="285"/>
        <location filename="../../app/ui/calendar_page.py" line="288"/>
        <location filename="../../app/ui/calendar_page.py" line="309"/>
        <source>Reading the calendar</source>
        <translation>Wczytywanie kalendarza</translation>
    </message>
    <message numerus="yes">
        <location filename="../../app/ui/calendar_page.py" line="280"/>
        <source>%Ln item(s)</source>
        <translation>
            <numerusform>%Ln pozycja</numerusform>
            <numerusform>%Ln pozycje</numerusform>
            <numerusform>%Ln pozycji</numerusform>
        </translation>
    </message>
    <message>
        <location filename="../../app/ui/calendar_page.py" line="328"/>
        <source>Meeting: %1</source>
        <translation>Spotkanie: %1</translation>
    </message>
    <message numerus="yes">
        <location filename="../../app/ui/calendar_page.py" line="336"/>
        <source>%Ln year(s)</source>
        <translation>
            <numerusform>%Ln rok</numerusform>
            <numerusform>%Ln lata</numerusform>
            <numerusform>%Ln lat</numerusform>
        </translation>
    </message>
    <message>
        <location filename="../../app/ui/calendar_page.py" line="346"/>
        <source>Export calendar</source>
        <translation>Eksport kalendarza</translation>
    </message>
    <message>
        <location filename="../../app/ui/calendar_page.py" line="347"/>
        <source>Calendar files (*.ics)</source>
        <translation>Pliki kalendarza (*.ics)</translation>
    </message>
    <message>
        <location filename="../../app/ui/calendar_page.py" line="356"/>
        <source>Meeting</source>
        <translation>Spotkanie</translation>
    </message>
    <message numerus="yes">
        <location filename="../../app/ui/calendar_page.py" line="373"/>
        <source>%Ln event(s) written to %1</source>
        <translation>
            <numerusform>Zapisano %Ln wydarzenie w pliku %1</numerusform>
            <numerusform>Zapisano %Ln wydarzenia w pliku %1</numerusform>
            <numerusform>Zapisano %Ln wydarzeń w pliku %1</numerusform>
        </translation>
    </message>
    <message>
        <location filename="../../app/ui/calendar_page.py" line="378"/>
        <source>The export was stopped; no file was written.</source>
        <translation>Eksport został zatrzymany; nie zapisano żadnego pliku.</translation>
    </message>
    <message>
        <location filename="../../app/ui/calendar_page.py" line="382"/>
        <source>Exporting the calendar…</source>
        <translation>Eksportowanie kalendarza…</translation>
    </message>
</context>
<context>
    <name>CallCorrectionDialog</name>
    <message>
        <location filename="../../app/ui/call_dialogs.py" line="173"/>
        <source>Correct the call</source>
        <translation>Popraw połączenie</translation>
    </message>
    <message>
        <location filename="../../app/ui/call_dialogs.py" line="177"/>
        <source>Logged %1</source>
        <translation>Zapisano %1</translation>
    </message>
    <message>
        <location filename="../../app/ui/call_dialogs.py" line="185"/>
        <source>not set</source>
        <translation>nie określono</translation>
    </message>
    <message>
        <location filename="../../app/ui/call_dialogs.py" line="202"/>
        <source>Outcome</source>
        <translation>Wynik</translation>
    </message>
    <message>
        <location filename="../../app/ui/call_dialogs.py" line="203"/>
        <source>Tone</source>
        <translation>Ton</translation>
    </message>
    <message>
        <location filename="../../app/ui/call_dialogs.py" line="204"/>
        <source>Note</source>
        <translation>Notatka</translation>
    </message>
    <message>
        <location filename="../../app/ui/call_dialogs.py" line="205"/>
        <source>Why declined</source>
        <translation>Powód odmowy</translation>
    </message>
    <message>
        <location filename="../../app/ui/call_dialogs.py" line="206"/>
        <source>Meeting</source>
        <translation>Spotkanie</translation>
    </message>
    <message>
        <location filename="../../app/ui/call_dialogs.py" line="207"/>
        <source>Call back on</source>
        <translation>Oddzwonić dnia</translation>
    </message>
</context>
<context>
    <name>CallDialogs</name>
    <message>
        <location filename="../../app/ui/call_dialogs.py" line="52"/>
        <source>%1 is a public holiday. Call on %2 instead?</source>
        <translation>%1 to święto państwowe. Zadzwonić zamiast tego w %2?</translation>
    </message>
    <message>
        <location filename="../../app/ui/call_dialogs.py" line="55"/>
        <source>%1 is a closed day. Call on %2 instead?</source>
        <translation>%1 to dzień wolny od pracy. Zadzwonić zamiast tego w %2?</translation>
    </message>
    <message>
        <location filename="../../app/ui/call_dialogs.py" line="59"/>
        <source>Not a working day</source>
        <translation>Dzień wolny od pracy</translation>
    </message>
</context>
<context>
    <name>ChartWidget</name>
    <message>
        <location filename="../../app/ui/charts_page.py" line="316"/>
        <source>Export</source>
        <translation>Eksportuj</translation>
    </message>
    <message>
        <location filename="../../app/ui/charts_page.py" line="319"/>
        <source>Picture (PNG)…</source>
        <translation>Obraz (PNG)…</translation>
    </message>
    <message>
        <location filename="../../app/ui/charts_page.py" line="320"/>
        <source>Document (PDF)…</source>
        <translation>Dokument (PDF)…</translation>
    </message>
    <message>
        <location filename="../../app/ui/charts_page.py" line="321"/>
        <source>Numbers (CSV)…</source>
        <translation>Dane liczbowe (CSV)…</translation>
    </message>
    <message>
        <location filename="../../app/ui/charts_page.py" line="353"/>
        <source>PNG picture (*.png)</source>
        <translation>Obraz PNG (*.png)</translation>
    </message>
    <message>
        <location filename="../../app/ui/charts_page.py" line="353"/>
        <source>PDF document (*.pdf)</source>
        <translation>Dokument PDF (*.pdf)</translation>
    </message>
    <message>
        <location filename="../../app/ui/charts_page.py" line="354"/>
        <source>CSV table (*.csv)</source>
        <translation>Tabela CSV (*.csv)</translation>
    </message>
    <message>
        <location filename="../../app/ui/charts_page.py" line="356"/>
        <source>Export the chart</source>
        <translation>Eksport wykresu</translation>
    </message>
    <message>
        <location filename="../../app/ui/charts_page.py" line="366"/>
        <source>Exporting the chart…</source>
        <translation>Eksportowanie wykresu…</translation>
    </message>
</context>
<context>
    <name>Charts</name>
    <message>
        <location filename="../../app/ui/charts_page.py" line="73"/>
        <source>Repeat-purchase share</source>
        <translation>Udział zakupów powtórnych</translation>
    </message>
    <message>
        <location filename="../../app/ui/charts_page.py" line="74"/>
        <source>New and returning clients</source>
        <translation>Nowi i powracający klienci</translation>
    </message>
    <message>
        <location filename="../../app/ui/charts_page.py" line="75"/>
        <source>Second purchase within 90 days</source>
        <translation>Drugi zakup w ciągu 90 dni</translation>
    </message>
    <message>
        <location filename="../../app/ui/charts_page.py" line="76"/>
        <source>Cohort retention</source>
        <translation>Utrzymanie klientów w kohortach</translation>
    </message>
    <message>
        <location filename="../../app/ui/charts_page.py" line="77"/>
        <source>New clients by channel</source>
        <translation>Nowi klienci według kanału</translation>
    </message>
    <message>
        <location filename="../../app/ui/charts_page.py" line="78"/>
        <source>Clients and revenue by A/B/C group</source>
        <translation>Klienci i przychód według grup A/B/C</translation>
    </message>
    <message>
        <location filename="../../app/ui/charts_page.py" line="79"/>
        <source>Call outcomes</source>
        <translation>Wyniki połączeń</translation>
    </message>
    <message>
        <location filename="../../app/ui/charts_page.py" line="80"/>
        <source>Why clients declined</source>
        <translation>Dlaczego klienci odmówili</translation>
    </message>
    <message>
        <location filename="../../app/ui/charts_page.py" line="81"/>
        <source>Tone of contacts</source>
        <translation>Ton kontaktów</translation>
    </message>
    <message>
        <location filename="../../app/ui/charts_page.py" line="82"/>
        <source>Complaints by category</source>
        <translation>Reklamacje według kategorii</translation>
    </message>
    <message>
        <location filename="../../app/ui/charts_page.py" line="83"/>
        <source>Repeat purchases after a complaint</source>
        <translation>Zakupy powtórne po reklamacji</translation>
    </message>
    <message>
        <location filename="../../app/ui/charts_page.py" line="84"/>
        <source>Call time against client value</source>
        <translation>Czas połączeń a wartość klienta</translation>
    </message>
    <message>
        <location filename="../../app/ui/charts_page.py" line="91"/>
        <source>Purchases dated after the client&apos;s first purchase day, as a share of all purchases in the period, by revenue and by count.</source>
        <translation>Udział zakupów dokonanych po dniu pierwszego zakupu klienta we wszystkich zakupach z okresu — według przychodu i według liczby.</translation>
    </message>
    <message>
        <location filename="../../app/ui/charts_page.py" line="94"/>
        <source>Clients who bought in the period: returning if they made a purchase after their first purchase day, new otherwise.</source>
        <translation>Klienci, którzy kupowali w okresie: powracający — ci, którzy kupili coś po dniu swojego pierwszego zakupu; pozostali — nowi.</translation>
    </message>
    <message>
        <location filename="../../app/ui/charts_page.py" line="97"/>
        <source>Clients whose first purchase fell in the month and who bought again within 90 days. Hatched: 90 days not over yet.</source>
        <translation>Klienci, których pierwszy zakup przypadł w danym miesiącu i którzy kupili ponownie w ciągu 90 dni. Słupki kreskowane: 90 dni jeszcze nie minęło.</translation>
    </message>
    <message>
        <location filename="../../app/ui/charts_page.py" line="100"/>
        <source>Of the clients who first bought in a month (rows), the share buying in each month after (columns).</source>
        <translation>Spośród klientów, którzy po raz pierwszy kupili w danym miesiącu (wiersze), udział kupujących w każdym kolejnym miesiącu (kolumny).</translation>
    </message>
    <message>
        <location filename="../../app/ui/charts_page.py" line="103"/>
        <source>Clients whose first purchase is in the period, by the channel they came from; referred = recommended by a client.</source>
        <translation>Klienci, których pierwszy zakup przypada na ten okres, według kanału, z którego przyszli; z polecenia — poleceni przez innego klienta.</translation>
    </message>
    <message>
        <location filename="../../app/ui/charts_page.py" line="106"/>
        <source>Clients and their 12-month revenue per group (the owner&apos;s override counted); clients with no purchases in 12 months are a band of their own.</source>
        <translation>Klienci i ich przychód z 12 miesięcy w każdej grupie (z uwzględnieniem decyzji właściciela); klienci bez zakupów w ciągu 12 miesięcy są pokazani osobno.</translation>
    </message>
    <message>
        <location filename="../../app/ui/charts_page.py" line="109"/>
        <source>Outbound calls logged, by outcome.</source>
        <translation>Zapisane połączenia wychodzące według wyniku.</translation>
    </message>
    <message>
        <location filename="../../app/ui/charts_page.py" line="110"/>
        <source>Calls with the outcome &quot;declined&quot;, by the reason recorded.</source>
        <translation>Połączenia z wynikiem „Odmowa” według zapisanego powodu.</translation>
    </message>
    <message>
        <location filename="../../app/ui/charts_page.py" line="112"/>
        <source>Contacts by the tone staff recorded.</source>
        <translation>Kontakty według tonu zapisanego przez personel.</translation>
    </message>
    <message>
        <location filename="../../app/ui/charts_page.py" line="113"/>
        <source>Complaints opened in the period, kept or lost when closed; median hours from opening to resolution.</source>
        <translation>Reklamacje otwarte w okresie; przy zamknięciu klient utrzymany lub utracony; mediana czasu od otwarcia do rozwiązania (w godzinach).</translation>
    </message>
    <message>
        <location filename="../../app/ui/charts_page.py" line="116"/>
        <source>Share of clients buying again in the period: clients kept after a complaint against clients who never complained.</source>
        <translation>Udział klientów, którzy ponownie kupili w okresie: klienci utrzymani po reklamacji w porównaniu z klientami, którzy nigdy nie składali reklamacji.</translation>
    </message>
    <message>
        <location filename="../../app/ui/charts_page.py" line="119"/>
        <source>Minutes of logged calls in the period against each client&apos;s 12-month revenue: who takes much time and brings little.</source>
        <translation>Minuty zapisanych połączeń w danym okresie zestawione z przychodem od każdego klienta z ostatnich 12 miesięcy: kto zajmuje dużo czasu, a przynosi niewiele.</translation>
    </message>
    <message>
        <location filename="../../app/ui/charts_page.py" line="128"/>
        <source>Incomplete: up to %1</source>
        <translation>Niepełny: do %1</translation>
    </message>
    <message>
        <location filename="../../app/ui/charts_page.py" line="130"/>
        <source>Groups computed on %1</source>
        <translation>Grupy wyznaczone %1</translation>
    </message>
    <message>
        <location filename="../../app/ui/charts_page.py" line="131"/>
        <source>The day the groups were computed is not recorded</source>
        <translation>Dzień wyznaczenia grup nie został zapisany</translation>
    </message>
    <message>
        <location filename="../../app/ui/charts_page.py" line="146"/>
        <location filename="../../app/ui/charts_page.py" line="378"/>
        <source>%1 %</source>
        <translation>%1%</translation>
    </message>
    <message>
        <location filename="../../app/ui/charts_page.py" line="154"/>
        <location filename="../../app/ui/segment_review.py" line="51"/>
        <source>Q%1 %2</source>
        <translation>%1 kw. %2</translation>
    </message>
    <message>
        <location filename="../../app/ui/charts_page.py" line="158"/>
        <source>Median resolution: —</source>
        <translation>Mediana czasu rozwiązania: —</translation>
    </message>
    <message>
        <location filename="../../app/ui/charts_page.py" line="159"/>
        <source>Median resolution: %1 h</source>
        <translation>Mediana czasu rozwiązania: %1 godz.</translation>
    </message>
    <message>
        <location filename="../../app/ui/charts_page.py" line="162"/>
        <source>Kept after a complaint</source>
        <translation>Utrzymani po reklamacji</translation>
    </message>
    <message>
        <location filename="../../app/ui/charts_page.py" line="163"/>
        <source>Never complained</source>
        <translation>Bez reklamacji</translation>
    </message>
    <message>
        <location filename="../../app/ui/charts_page.py" line="165"/>
        <source>No data for this period</source>
        <translation>Brak danych za ten okres</translation>
    </message>
    <message>
        <location filename="../../app/ui/charts_page.py" line="166"/>
        <source>Period</source>
        <translation>Okres</translation>
    </message>
    <message>
        <location filename="../../app/ui/charts_page.py" line="167"/>
        <source>First-purchase month</source>
        <translation>Miesiąc pierwszego zakupu</translation>
    </message>
    <message>
        <location filename="../../app/ui/charts_page.py" line="168"/>
        <source>Months since the first purchase</source>
        <translation>Miesiące od pierwszego zakupu</translation>
    </message>
    <message>
        <location filename="../../app/ui/charts_page.py" line="169"/>
        <source>Share</source>
        <translation>Udział</translation>
    </message>
    <message>
        <location filename="../../app/ui/charts_page.py" line="170"/>
        <source>Bought again within 90 days</source>
        <translation>Ponowny zakup w ciągu 90 dni</translation>
    </message>
    <message>
        <location filename="../../app/ui/charts_page.py" line="171"/>
        <source>Clients buying</source>
        <translation>Kupujący klienci</translation>
    </message>
    <message>
        <location filename="../../app/ui/charts_page.py" line="172"/>
        <source>Clients who bought again</source>
        <translation>Klienci, którzy kupili ponownie</translation>
    </message>
    <message>
        <location filename="../../app/ui/charts_page.py" line="173"/>
        <source>Clients</source>
        <translation>Klienci</translation>
    </message>
    <message>
        <location filename="../../app/ui/charts_page.py" line="173"/>
        <source>Calls</source>
        <translation>Połączenia</translation>
    </message>
    <message>
        <location filename="../../app/ui/charts_page.py" line="174"/>
        <source>Contacts</source>
        <translation>Kontakty</translation>
    </message>
    <message>
        <location filename="../../app/ui/charts_page.py" line="175"/>
        <source>Complaints</source>
        <translation>Reklamacje</translation>
    </message>
    <message>
        <location filename="../../app/ui/charts_page.py" line="176"/>
        <source>Call minutes</source>
        <translation>Minuty połączeń</translation>
    </message>
    <message>
        <location filename="../../app/ui/charts_page.py" line="177"/>
        <source>12-month revenue</source>
        <translation>Przychód z 12 miesięcy</translation>
    </message>
    <message>
        <location filename="../../app/ui/charts_page.py" line="178"/>
        <source>By revenue</source>
        <translation>Według przychodu</translation>
    </message>
    <message>
        <location filename="../../app/ui/charts_page.py" line="178"/>
        <source>By count</source>
        <translation>Według liczby</translation>
    </message>
    <message>
        <location filename="../../app/ui/charts_page.py" line="179"/>
        <source>New</source>
        <translation>Nowi</translation>
    </message>
    <message>
        <location filename="../../app/ui/charts_page.py" line="179"/>
        <source>Returning</source>
        <translation>Powracający</translation>
    </message>
    <message>
        <location filename="../../app/ui/charts_page.py" line="180"/>
        <source>Returning rate</source>
        <translation>Odsetek powracających</translation>
    </message>
    <message>
        <location filename="../../app/ui/charts_page.py" line="181"/>
        <source>90 days over</source>
        <translation>90 dni minęło</translation>
    </message>
    <message>
        <location filename="../../app/ui/charts_page.py" line="182"/>
        <source>Under 90 days (can still rise)</source>
        <translation>Mniej niż 90 dni (może jeszcze wzrosnąć)</translation>
    </message>
    <message>
        <location filename="../../app/ui/charts_page.py" line="183"/>
        <source>New clients</source>
        <translation>Nowi klienci</translation>
    </message>
    <message>
        <location filename="../../app/ui/charts_page.py" line="184"/>
        <source>Referred by a client</source>
        <translation>Z polecenia klienta</translation>
    </message>
    <message>
        <location filename="../../app/ui/charts_page.py" line="185"/>
        <source>Not recorded</source>
        <translation>Nie określono</translation>
    </message>
    <message>
        <location filename="../../app/ui/charts_page.py" line="186"/>
        <source>Share of clients</source>
        <translation>Udział w liczbie klientów</translation>
    </message>
    <message>
        <location filename="../../app/ui/charts_page.py" line="187"/>
        <source>Share of 12-month revenue</source>
        <translation>Udział w przychodzie z 12 miesięcy</translation>
    </message>
    <message>
        <location filename="../../app/ui/charts_page.py" line="188"/>
        <source>Kept</source>
        <translation>Klient utrzymany</translation>
    </message>
    <message>
        <location filename="../../app/ui/charts_page.py" line="188"/>
        <source>Lost</source>
        <translation>Klient utracony</translation>
    </message>
    <message>
        <location filename="../../app/ui/charts_page.py" line="189"/>
        <source>Not closed yet</source>
        <translation>Jeszcze niezamknięte</translation>
    </message>
    <message>
        <location filename="../../app/ui/charts_page.py" line="189"/>
        <source>Total</source>
        <translation>Razem</translation>
    </message>
    <message numerus="yes">
        <location filename="../../app/ui/charts_page.py" line="193"/>
        <source>%n client(s)</source>
        <translation>
            <numerusform>%n klient</numerusform>
            <numerusform>%n klientów</numerusform>
            <numerusform>%n klientów</numerusform>
        </translation>
    </message>
    <message>
        <location filename="../../app/ui/charts_page.py" line="196"/>
        <source>No group</source>
        <translation>Bez grupy</translation>
    </message>
    <message>
        <location filename="../../app/ui/charts_page.py" line="197"/>
        <source>No purchases in 12 months</source>
        <translation>Bez zakupów od 12 miesięcy</translation>
    </message>
    <message>
        <location filename="../../app/ui/charts_page.py" line="199"/>
        <source>No reason given</source>
        <translation>Nie podano powodu</translation>
    </message>
    <message>
        <location filename="../../app/ui/charts_page.py" line="202"/>
        <source>No category</source>
        <translation>Bez kategorii</translation>
    </message>
</context>
<context>
    <name>ChartsPage</name>
    <message>
        <location filename="../../app/ui/charts_page.py" line="768"/>
        <source>Charts</source>
        <translation>Wykresy</translation>
    </message>
    <message>
        <location filename="../../app/ui/charts_page.py" line="779"/>
        <source>Quarterly A/B/C review</source>
        <translation>Kwartalny przegląd grup A/B/C</translation>
    </message>
</context>
<context>
    <name>ChartsView</name>
    <message>
        <location filename="../../app/ui/charts_page.py" line="505"/>
        <source>Last 12 months</source>
        <translation>Ostatnie 12 miesięcy</translation>
    </message>
    <message>
        <location filename="../../app/ui/charts_page.py" line="505"/>
        <source>This year</source>
        <translation>Bieżący rok</translation>
    </message>
    <message>
        <location filename="../../app/ui/charts_page.py" line="506"/>
        <source>Last year</source>
        <translation>Poprzedni rok</translation>
    </message>
    <message>
        <location filename="../../app/ui/charts_page.py" line="506"/>
        <source>Last 24 months</source>
        <translation>Ostatnie 24 miesiące</translation>
    </message>
    <message>
        <location filename="../../app/ui/charts_page.py" line="507"/>
        <source>Custom range</source>
        <translation>Własny zakres</translation>
    </message>
    <message>
        <location filename="../../app/ui/charts_page.py" line="521"/>
        <source>From</source>
        <translation>Od</translation>
    </message>
    <message>
        <location filename="../../app/ui/charts_page.py" line="523"/>
        <source>to</source>
        <translation>do</translation>
    </message>
    <message>
        <location filename="../../app/ui/charts_page.py" line="536"/>
        <source>By month</source>
        <translation>Według miesięcy</translation>
    </message>
    <message>
        <location filename="../../app/ui/charts_page.py" line="537"/>
        <source>By quarter</source>
        <translation>Według kwartałów</translation>
    </message>
    <message>
        <location filename="../../app/ui/charts_page.py" line="548"/>
        <source>Period</source>
        <translation>Okres</translation>
    </message>
    <message>
        <location filename="../../app/ui/charts_page.py" line="558"/>
        <source>Repeat-purchase share this month</source>
        <translation>Udział zakupów powtórnych w tym miesiącu</translation>
    </message>
    <message>
        <location filename="../../app/ui/charts_page.py" line="559"/>
        <source>Returning clients this month</source>
        <translation>Powracający klienci w tym miesiącu</translation>
    </message>
    <message>
        <location filename="../../app/ui/charts_page.py" line="560"/>
        <source>New clients this month</source>
        <translation>Nowi klienci w tym miesiącu</translation>
    </message>
    <message>
        <location filename="../../app/ui/charts_page.py" line="561"/>
        <source>Open complaints</source>
        <translation>Otwarte reklamacje</translation>
    </message>
    <message>
        <location filename="../../app/ui/charts_page.py" line="562"/>
        <source>Overdue calls</source>
        <translation>Zaległe połączenia</translation>
    </message>
    <message>
        <location filename="../../app/ui/charts_page.py" line="629"/>
        <source>The end cannot be after today (%1).</source>
        <translation>Koniec nie może być po dzisiejszym dniu (%1).</translation>
    </message>
    <message>
        <location filename="../../app/ui/charts_page.py" line="632"/>
        <source>The start must be on or before the end.</source>
        <translation>Początek musi przypadać nie później niż koniec.</translation>
    </message>
    <message numerus="yes">
        <location filename="../../app/ui/charts_page.py" line="704"/>
        <source>%1 of the %Ln client(s) who bought this month had bought before</source>
        <translation>
            <numerusform>Kupowali już wcześniej: %1 z %Ln klienta, który kupił w tym miesiącu</numerusform>
            <numerusform>Kupowali już wcześniej: %1 z %Ln klientów, którzy kupili w tym miesiącu</numerusform>
            <numerusform>Kupowali już wcześniej: %1 z %Ln klientów, którzy kupili w tym miesiącu</numerusform>
        </translation>
    </message>
    <message>
        <location filename="../../app/ui/charts_page.py" line="731"/>
        <source>This chart could not be drawn: %1</source>
        <translation>Nie udało się narysować tego wykresu: %1</translation>
    </message>
    <message>
        <location filename="../../app/ui/charts_page.py" line="737"/>
        <source>Drawing the charts…</source>
        <translation>Rysowanie wykresów…</translation>
    </message>
    <message>
        <location filename="../../app/ui/charts_page.py" line="275"/>
        <location filename="../../app/ui/charts_page.py" line="668"/>
        <source>Calculating…</source>
        <translation>Obliczanie…</translation>
    </message>
    <message>
        <location filename="../../app/ui/charts_page.py" line="601"/>
        <source>Preparing the charts…</source>
        <translation>Przygotowywanie wykresów…</translation>
    </message>
    <message>
        <location filename="../../app/ui/charts_page.py" line="682"/>
        <source>The numbers could not be calculated: %1</source>
        <translation>Nie udało się obliczyć liczb: %1</translation>
    </message>
    <message>
        <location filename="../../app/ui/charts_page.py" line="685"/>
        <source>Calculating the charts…</source>
        <translation>Obliczanie wykresów…</translation>
    </message>
    <message>
        <location filename="../../app/ui/charts_page.py" line="695"/>
        <source>%1 – %2</source>
        <translation>%1 – %2</translation>
    </message>
</context>
<context>
    <name>ClientCardDialog</name>
    <message>
        <location filename="../../app/ui/client_card.py" line="207"/>
        <source>New client</source>
        <extracomment>where the card keeps its size (QSettings) how many changes the card&apos;s history shows at first, and more at each &quot;Show more&quot; a background save ended: True when stored (the card then closes), False refused</extracomment>
        <translation>Nowy klient</translation>
    </message>
    <message>
        <location filename="../../app/ui/client_card.py" line="218"/>
        <source>Details</source>
        <translation>Dane</translation>
    </message>
    <message>
        <location filename="../../app/ui/client_card.py" line="219"/>
        <source>Family and dates</source>
        <translation>Rodzina i daty</translation>
    </message>
    <message>
        <location filename="../../app/ui/client_card.py" line="220"/>
        <source>Purchases</source>
        <translation>Zakupy</translation>
    </message>
    <message>
        <location filename="../../app/ui/client_card.py" line="221"/>
        <source>Memberships</source>
        <translation>Karnety</translation>
    </message>
    <message>
        <location filename="../../app/ui/client_card.py" line="222"/>
        <source>Preferences and notes</source>
        <translation>Preferencje i notatki</translation>
    </message>
    <message>
        <location filename="../../app/ui/client_card.py" line="223"/>
        <source>Contact history</source>
        <translation>Historia kontaktów</translation>
    </message>
    <message>
        <location filename="../../app/ui/client_card.py" line="224"/>
        <source>Complaints</source>
        <translation>Reklamacje</translation>
    </message>
    <message>
        <location filename="../../app/ui/client_card.py" line="225"/>
        <source>Changes</source>
        <translation>Zmiany</translation>
    </message>
    <message>
        <location filename="../../app/ui/client_card.py" line="226"/>
        <source>Who changed what on this card, and when</source>
        <translation>Kto i kiedy zmieniał tę kartę</translation>
    </message>
    <message>
        <location filename="../../app/ui/client_card.py" line="236"/>
        <source>Save (Ctrl+S)</source>
        <translation>Zapisz (Ctrl+S)</translation>
    </message>
    <message>
        <location filename="../../app/ui/client_card.py" line="242"/>
        <source>Personal data</source>
        <translation>Dane osobowe</translation>
    </message>
    <message>
        <location filename="../../app/ui/client_card.py" line="245"/>
        <source>Save all their data to a file…</source>
        <translation>Zapisz wszystkie dane klienta do pliku…</translation>
    </message>
    <message>
        <location filename="../../app/ui/client_card.py" line="247"/>
        <source>Erase their personal data…</source>
        <translation>Usuń dane osobowe klienta…</translation>
    </message>
    <message>
        <location filename="../../app/ui/client_card.py" line="296"/>
        <location filename="../../app/ui/client_card.py" line="452"/>
        <source>Kind</source>
        <translation>Rodzaj</translation>
    </message>
    <message>
        <location filename="../../app/ui/client_card.py" line="299"/>
        <source>First and last name, or the company</source>
        <translation>Imię i nazwisko albo nazwa firmy</translation>
    </message>
    <message>
        <location filename="../../app/ui/client_card.py" line="300"/>
        <source>Name *</source>
        <translation>Nazwa *</translation>
    </message>
    <message>
        <location filename="../../app/ui/client_card.py" line="309"/>
        <source>Loyalty card or patient number</source>
        <translation>Numer karty lojalnościowej lub pacjenta</translation>
    </message>
    <message>
        <location filename="../../app/ui/client_card.py" line="310"/>
        <source>Card number</source>
        <translation>Numer karty</translation>
    </message>
    <message>
        <location filename="../../app/ui/client_card.py" line="315"/>
        <source>Phone</source>
        <translation>Telefon</translation>
    </message>
    <message>
        <location filename="../../app/ui/client_card.py" line="319"/>
        <source>⚠ Check this number: it is not a valid phone number of %1. Correct it, or leave it as it is to keep it.</source>
        <translation>⚠ Sprawdź ten numer: nie jest prawidłowym numerem telefonu w kraju: %1. Popraw go albo zostaw bez zmian, aby go zachować.</translation>
    </message>
    <message>
        <location filename="../../app/ui/client_card.py" line="331"/>
        <source>E-mail</source>
        <translation>E-mail</translation>
    </message>
    <message>
        <location filename="../../app/ui/client_card.py" line="335"/>
        <source>Comma-separated, e.g. VIP, kids</source>
        <translation>Oddzielone przecinkami, np. VIP, dzieci</translation>
    </message>
    <message>
        <location filename="../../app/ui/client_card.py" line="336"/>
        <source>Tags</source>
        <translation>Tagi</translation>
    </message>
    <message>
        <location filename="../../app/ui/client_card.py" line="339"/>
        <source>not yet computed</source>
        <translation>jeszcze nie obliczono</translation>
    </message>
    <message>
        <location filename="../../app/ui/client_card.py" line="340"/>
        <source>Automatic (%1)</source>
        <translation>Automatycznie (%1)</translation>
    </message>
    <message>
        <location filename="../../app/ui/client_card.py" line="342"/>
        <source>Always %1</source>
        <translation>Zawsze %1</translation>
    </message>
    <message>
        <location filename="../../app/ui/client_card.py" line="345"/>
        <source>A/B/C group</source>
        <translation>Grupa A/B/C</translation>
    </message>
    <message>
        <location filename="../../app/ui/client_card.py" line="348"/>
        <source>Why this group, whatever the numbers say</source>
        <translation>Dlaczego ta grupa, niezależnie od liczb</translation>
    </message>
    <message>
        <location filename="../../app/ui/client_card.py" line="353"/>
        <source>Reason</source>
        <translation>Powód</translation>
    </message>
    <message>
        <location filename="../../app/ui/client_card.py" line="357"/>
        <source>Came from</source>
        <translation>Źródło</translation>
    </message>
    <message>
        <location filename="../../app/ui/client_card.py" line="360"/>
        <source>Type a name to pick the client</source>
        <translation>Wpisz nazwę, aby wybrać klienta</translation>
    </message>
    <message>
        <location filename="../../app/ui/client_card.py" line="362"/>
        <source>Referred by</source>
        <translation>Polecony przez</translation>
    </message>
    <message>
        <location filename="../../app/ui/client_card.py" line="365"/>
        <source>Contact rules</source>
        <translation>Zasady kontaktu</translation>
    </message>
    <message>
        <location filename="../../app/ui/client_card.py" line="372"/>
        <source>Preferred channel</source>
        <translation>Preferowany kanał</translation>
    </message>
    <message>
        <location filename="../../app/ui/client_card.py" line="374"/>
        <source>Any time</source>
        <translation>Dowolna pora</translation>
    </message>
    <message>
        <location filename="../../app/ui/client_card.py" line="390"/>
        <source>Best hours</source>
        <translation>Najlepsze godziny</translation>
    </message>
    <message>
        <location filename="../../app/ui/client_card.py" line="400"/>
        <source>Days (none = any)</source>
        <translation>Dni (brak = dowolne)</translation>
    </message>
    <message>
        <location filename="../../app/ui/client_card.py" line="401"/>
        <source>Do not contact this client</source>
        <translation>Nie kontaktować się z tym klientem</translation>
    </message>
    <message>
        <location filename="../../app/ui/client_card.py" line="405"/>
        <source>Agreed to marketing on</source>
        <translation>Zgoda marketingowa z dnia</translation>
    </message>
    <message>
        <location filename="../../app/ui/client_card.py" line="410"/>
        <source>Consent</source>
        <translation>Zgoda</translation>
    </message>
    <message>
        <location filename="../../app/ui/client_card.py" line="425"/>
        <source>Add</source>
        <translation>Dodaj</translation>
    </message>
    <message>
        <location filename="../../app/ui/client_card.py" line="426"/>
        <source>Edit</source>
        <translation>Edytuj</translation>
    </message>
    <message>
        <location filename="../../app/ui/client_card.py" line="427"/>
        <source>Remove</source>
        <translation>Usuń</translation>
    </message>
    <message>
        <location filename="../../app/ui/client_card.py" line="440"/>
        <source>&lt;b&gt;Family&lt;/b&gt; — spouse, children, parents</source>
        <translation>&lt;b&gt;Rodzina&lt;/b&gt; — małżonek, dzieci, rodzice</translation>
    </message>
    <message>
        <location filename="../../app/ui/client_card.py" line="441"/>
        <source>Name</source>
        <translation>Imię</translation>
    </message>
    <message>
        <location filename="../../app/ui/client_card.py" line="441"/>
        <source>Relation</source>
        <translation>Relacja</translation>
    </message>
    <message>
        <location filename="../../app/ui/client_card.py" line="441"/>
        <location filename="../../app/ui/client_card.py" line="466"/>
        <location filename="../../app/ui/client_card.py" line="517"/>
        <source>Note</source>
        <translation>Notatka</translation>
    </message>
    <message>
        <location filename="../../app/ui/client_card.py" line="447"/>
        <source>&lt;b&gt;Personal dates&lt;/b&gt; — birthdays, name days, anniversaries of the client and the family</source>
        <translation>&lt;b&gt;Daty osobiste&lt;/b&gt; — urodziny, imieniny, rocznice klienta i jego rodziny</translation>
    </message>
    <message>
        <location filename="../../app/ui/client_card.py" line="452"/>
        <source>Whose</source>
        <translation>Czyja</translation>
    </message>
    <message>
        <location filename="../../app/ui/client_card.py" line="452"/>
        <location filename="../../app/ui/client_card.py" line="465"/>
        <source>Date</source>
        <translation>Data</translation>
    </message>
    <message>
        <location filename="../../app/ui/client_card.py" line="453"/>
        <source>Gift reminder</source>
        <translation>Przypomnienie o prezencie</translation>
    </message>
    <message>
        <location filename="../../app/ui/client_card.py" line="465"/>
        <source>Item or service</source>
        <translation>Produkt lub usługa</translation>
    </message>
    <message>
        <location filename="../../app/ui/client_card.py" line="466"/>
        <source>Quantity</source>
        <translation>Ilość</translation>
    </message>
    <message>
        <location filename="../../app/ui/client_card.py" line="466"/>
        <source>Amount</source>
        <translation>Kwota</translation>
    </message>
    <message>
        <location filename="../../app/ui/client_card.py" line="482"/>
        <source>Plan</source>
        <translation>Pakiet</translation>
    </message>
    <message>
        <location filename="../../app/ui/client_card.py" line="482"/>
        <source>Starts</source>
        <translation>Początek</translation>
    </message>
    <message>
        <location filename="../../app/ui/client_card.py" line="482"/>
        <source>Ends</source>
        <translation>Koniec</translation>
    </message>
    <message>
        <location filename="../../app/ui/client_card.py" line="482"/>
        <location filename="../../app/ui/client_card.py" line="667"/>
        <source>Status</source>
        <translation>Status</translation>
    </message>
    <message>
        <location filename="../../app/ui/client_card.py" line="483"/>
        <source>Frozen</source>
        <translation>Zamrożenie</translation>
    </message>
    <message>
        <location filename="../../app/ui/client_card.py" line="483"/>
        <source>Marks</source>
        <translation>Oznaczenia</translation>
    </message>
    <message>
        <location filename="../../app/ui/client_card.py" line="488"/>
        <source>Freeze…</source>
        <translation>Zamroź…</translation>
    </message>
    <message>
        <location filename="../../app/ui/client_card.py" line="490"/>
        <source>Freeze the chosen membership for some days; its end and the renewal call move with it</source>
        <translation>Zamroź wybrany karnet na kilka dni; jego koniec i połączenie w sprawie przedłużenia przesuną się razem z nim</translation>
    </message>
    <message>
        <location filename="../../app/ui/client_card.py" line="506"/>
        <source>Tastes, favourite products, what they expect from us, what to avoid</source>
        <translation>Gusty, ulubione produkty, czego od nas oczekuje, czego unikać</translation>
    </message>
    <message>
        <location filename="../../app/ui/client_card.py" line="509"/>
        <source>Preferences</source>
        <translation>Preferencje</translation>
    </message>
    <message>
        <location filename="../../app/ui/client_card.py" line="510"/>
        <source>Notes</source>
        <translation>Notatki</translation>
    </message>
    <message>
        <location filename="../../app/ui/client_card.py" line="516"/>
        <location filename="../../app/ui/client_card.py" line="578"/>
        <source>When</source>
        <translation>Kiedy</translation>
    </message>
    <message>
        <location filename="../../app/ui/client_card.py" line="516"/>
        <source>Channel</source>
        <translation>Kanał</translation>
    </message>
    <message>
        <location filename="../../app/ui/client_card.py" line="516"/>
        <source>Purpose</source>
        <translation>Cel</translation>
    </message>
    <message>
        <location filename="../../app/ui/client_card.py" line="516"/>
        <source>Outcome</source>
        <translation>Wynik</translation>
    </message>
    <message>
        <location filename="../../app/ui/client_card.py" line="517"/>
        <source>Tone</source>
        <translation>Ton</translation>
    </message>
    <message>
        <location filename="../../app/ui/client_card.py" line="517"/>
        <source>Logged by</source>
        <translation>Zapisał(a)</translation>
    </message>
    <message>
        <location filename="../../app/ui/client_card.py" line="520"/>
        <source>No contact logged yet.</source>
        <translation>Nie zapisano jeszcze żadnego kontaktu.</translation>
    </message>
    <message>
        <location filename="../../app/ui/client_card.py" line="523"/>
        <source>Correct the call…</source>
        <translation>Popraw połączenie…</translation>
    </message>
    <message>
        <location filename="../../app/ui/client_card.py" line="525"/>
        <source>Change the outcome, tone or note of the selected call</source>
        <translation>Zmień wynik, ton lub notatkę wybranego połączenia</translation>
    </message>
    <message>
        <location filename="../../app/ui/client_card.py" line="566"/>
        <source>Logged while nobody was signed in, or brought in by an import</source>
        <translation>Zapisane, gdy nikt nie był zalogowany, albo przeniesione importem</translation>
    </message>
    <message>
        <location filename="../../app/ui/client_card.py" line="578"/>
        <source>Who</source>
        <translation>Kto</translation>
    </message>
    <message>
        <location filename="../../app/ui/client_card.py" line="578"/>
        <source>What changed</source>
        <translation>Co zmieniono</translation>
    </message>
    <message>
        <location filename="../../app/ui/client_card.py" line="586"/>
        <source>Show more</source>
        <translation>Pokaż więcej</translation>
    </message>
    <message>
        <location filename="../../app/ui/client_card.py" line="611"/>
        <location filename="../../app/ui/client_card.py" line="1268"/>
        <source>Reading the changes…</source>
        <translation>Wczytywanie zmian…</translation>
    </message>
    <message>
        <location filename="../../app/ui/client_card.py" line="631"/>
        <source>No change recorded yet.</source>
        <translation>Nie zapisano jeszcze żadnej zmiany.</translation>
    </message>
    <message numerus="yes">
        <location filename="../../app/ui/client_card.py" line="634"/>
        <source>The latest %1 of %n change(s).</source>
        <translation>
            <numerusform>Ostatnie %1 z %n zmiany.</numerusform>
            <numerusform>Ostatnie %1 z %n zmian.</numerusform>
            <numerusform>Ostatnie %1 z %n zmian.</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <location filename="../../app/ui/client_card.py" line="637"/>
        <source>%n change(s).</source>
        <translation>
            <numerusform>%n zmiana.</numerusform>
            <numerusform>%n zmiany.</numerusform>
            <numerusform>%n zmian.</numerusform>
        </translation>
    </message>
    <message>
        <location filename="../../app/ui/client_card.py" line="666"/>
        <source>Opened</source>
        <translation>Data otwarcia</translation>
    </message>
    <message>
        <location filename="../../app/ui/client_card.py" line="666"/>
        <source>Category</source>
        <translation>Kategoria</translation>
    </message>
    <message>
        <location filename="../../app/ui/client_card.py" line="667"/>
        <source>First response</source>
        <translation>Pierwsza odpowiedź</translation>
    </message>
    <message>
        <location filename="../../app/ui/client_card.py" line="672"/>
        <source>New complaint…</source>
        <translation>Nowa reklamacja…</translation>
    </message>
    <message>
        <location filename="../../app/ui/client_card.py" line="675"/>
        <source>Open complaint</source>
        <translation>Otwórz reklamację</translation>
    </message>
    <message>
        <location filename="../../app/ui/client_card.py" line="597"/>
        <location filename="../../app/ui/client_card.py" line="685"/>
        <source>Save the new client first.</source>
        <translation>Najpierw zapisz nowego klienta.</translation>
    </message>
    <message>
        <location filename="../../app/ui/client_card.py" line="701"/>
        <source>overdue</source>
        <translation>po terminie</translation>
    </message>
    <message>
        <location filename="../../app/ui/client_card.py" line="704"/>
        <source>%1 h</source>
        <translation>%1 godz.</translation>
    </message>
    <message>
        <location filename="../../app/ui/client_card.py" line="730"/>
        <source>Group %1</source>
        <translation>Grupa %1</translation>
    </message>
    <message>
        <location filename="../../app/ui/client_card.py" line="732"/>
        <source>client since %1</source>
        <translation>klient od %1</translation>
    </message>
    <message>
        <location filename="../../app/ui/client_card.py" line="737"/>
        <source>12-month value %1</source>
        <translation>wartość z 12 miesięcy: %1</translation>
    </message>
    <message>
        <location filename="../../app/ui/client_card.py" line="740"/>
        <source>do not contact</source>
        <translation>nie kontaktować się</translation>
    </message>
    <message>
        <location filename="../../app/ui/client_card.py" line="760"/>
        <source>Risk %1: %2</source>
        <translation>Ryzyko %1: %2</translation>
    </message>
    <message>
        <location filename="../../app/ui/client_card.py" line="766"/>
        <source>the client</source>
        <translation>klient</translation>
    </message>
    <message>
        <location filename="../../app/ui/client_card.py" line="767"/>
        <source>%1, %2</source>
        <comment>a relative in a list: the name, then who they are to the client (Anna Nowak, daughter)</comment>
        <translation>%1, %2</translation>
    </message>
    <message>
        <location filename="../../app/ui/client_card.py" line="808"/>
        <source>default</source>
        <translation>domyślnie</translation>
    </message>
    <message numerus="yes">
        <location filename="../../app/ui/client_card.py" line="809"/>
        <source>%n day(s) before</source>
        <translation>
            <numerusform>%n dzień wcześniej</numerusform>
            <numerusform>%n dni wcześniej</numerusform>
            <numerusform>%n dni wcześniej</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <location filename="../../app/ui/client_card.py" line="825"/>
        <source>%n purchase(s), total %1</source>
        <translation>
            <numerusform>%n zakup, łącznie %1</numerusform>
            <numerusform>%n zakupy, łącznie %1</numerusform>
            <numerusform>%n zakupów, łącznie %1</numerusform>
        </translation>
    </message>
    <message>
        <location filename="../../app/ui/client_card.py" line="835"/>
        <source>promo</source>
        <translation>promocja</translation>
    </message>
    <message>
        <location filename="../../app/ui/client_card.py" line="836"/>
        <source>discount</source>
        <translation>rabat</translation>
    </message>
    <message numerus="yes">
        <location filename="../../app/ui/client_card.py" line="842"/>
        <source> (+%n day(s) frozen)</source>
        <translation>
            <numerusform> (+%n dzień zamrożenia)</numerusform>
            <numerusform> (+%n dni zamrożenia)</numerusform>
            <numerusform> (+%n dni zamrożenia)</numerusform>
        </translation>
    </message>
    <message>
        <location filename="../../app/ui/client_card.py" line="990"/>
        <source>Remove purchase</source>
        <translation>Usuń zakup</translation>
    </message>
    <message>
        <location filename="../../app/ui/client_card.py" line="991"/>
        <source>Remove the purchase of %1 on %2? It is removed when you save the card.</source>
        <translation>Usunąć zakup na kwotę %1 z dnia %2? Zostanie usunięty po zapisaniu karty.</translation>
    </message>
    <message>
        <location filename="../../app/ui/client_card.py" line="1018"/>
        <source>Choose the membership to freeze.</source>
        <translation>Wybierz karnet do zamrożenia.</translation>
    </message>
    <message>
        <location filename="../../app/ui/client_card.py" line="1188"/>
        <source>Unsaved changes</source>
        <translation>Niezapisane zmiany</translation>
    </message>
    <message>
        <location filename="../../app/ui/client_card.py" line="1189"/>
        <source>Save the changes to this client?</source>
        <translation>Zapisać zmiany tego klienta?</translation>
    </message>
    <message>
        <location filename="../../app/ui/client_card.py" line="1228"/>
        <source>%1 (in the Trash)</source>
        <translation>%1 (w Koszu)</translation>
    </message>
    <message>
        <location filename="../../app/ui/client_card.py" line="229"/>
        <location filename="../../app/ui/client_card.py" line="1308"/>
        <source>Saving the card…</source>
        <translation>Zapisywanie karty…</translation>
    </message>
</context>
<context>
    <name>ClientTableModel</name>
    <message>
        <location filename="../../app/ui/client_model.py" line="222"/>
        <source>Searching the clients</source>
        <extracomment>the first page shown before the model was attached (None: attached) every id of the list, for a sort no index serves (a page costs the whole sort there, so it is done once): 8 bytes a client; None for a paged sort how many times the id query ran (what a test counts)</extracomment>
        <translation>Wyszukiwanie klientów</translation>
    </message>
    <message>
        <location filename="../../app/ui/client_model.py" line="244"/>
        <source>Counting the clients</source>
        <translation>Liczenie klientów</translation>
    </message>
    <message>
        <location filename="../../app/ui/client_model.py" line="264"/>
        <location filename="../../app/ui/client_model.py" line="369"/>
        <source>Reading the clients</source>
        <translation>Wczytywanie klientów</translation>
    </message>
    <message>
        <location filename="../../app/ui/client_model.py" line="485"/>
        <source>Name</source>
        <translation>Nazwa</translation>
    </message>
    <message>
        <location filename="../../app/ui/client_model.py" line="485"/>
        <source>Phone</source>
        <translation>Telefon</translation>
    </message>
    <message>
        <location filename="../../app/ui/client_model.py" line="486"/>
        <source>Group</source>
        <translation>Grupa</translation>
    </message>
    <message>
        <location filename="../../app/ui/client_model.py" line="486"/>
        <source>Status</source>
        <translation>Status</translation>
    </message>
    <message>
        <location filename="../../app/ui/client_model.py" line="487"/>
        <source>Last purchase</source>
        <translation>Ostatni zakup</translation>
    </message>
    <message>
        <location filename="../../app/ui/client_model.py" line="488"/>
        <source>12-month value</source>
        <translation>Wartość (12 mies.)</translation>
    </message>
    <message>
        <location filename="../../app/ui/client_model.py" line="489"/>
        <source>Next contact</source>
        <translation>Następny kontakt</translation>
    </message>
    <message>
        <location filename="../../app/ui/client_model.py" line="489"/>
        <source>Tags</source>
        <translation>Tagi</translation>
    </message>
    <message>
        <location filename="../../app/ui/client_model.py" line="490"/>
        <source>Risk</source>
        <translation>Ryzyko</translation>
    </message>
    <message>
        <location filename="../../app/ui/client_model.py" line="546"/>
        <source>Check this number: it is not a valid phone number of %1. Open the card to correct it.</source>
        <translation>Sprawdź ten numer: nie jest prawidłowym numerem telefonu w kraju: %1. Otwórz kartę klienta, aby go poprawić.</translation>
    </message>
    <message>
        <location filename="../../app/ui/client_model.py" line="557"/>
        <source>Do not contact</source>
        <translation>Nie kontaktować</translation>
    </message>
    <message>
        <location filename="../../app/ui/client_model.py" line="558"/>
        <source>Open complaint</source>
        <translation>Otwarta reklamacja</translation>
    </message>
</context>
<context>
    <name>ClientsPage</name>
    <message>
        <location filename="../../app/ui/clients_page.py" line="163"/>
        <source>Search by name, phone, e-mail or notes (Ctrl+F)</source>
        <translation>Szukaj po nazwie, telefonie, e-mailu lub notatkach (Ctrl+F)</translation>
    </message>
    <message>
        <location filename="../../app/ui/clients_page.py" line="165"/>
        <source>All groups</source>
        <translation>Wszystkie grupy</translation>
    </message>
    <message>
        <location filename="../../app/ui/clients_page.py" line="167"/>
        <source>Group %1</source>
        <translation>Grupa %1</translation>
    </message>
    <message>
        <location filename="../../app/ui/clients_page.py" line="169"/>
        <source>Any status</source>
        <translation>Dowolny status</translation>
    </message>
    <message>
        <location filename="../../app/ui/clients_page.py" line="174"/>
        <source>Any risk</source>
        <translation>Każde ryzyko</translation>
    </message>
    <message>
        <location filename="../../app/ui/clients_page.py" line="179"/>
        <source>New client</source>
        <translation>Nowy klient</translation>
    </message>
    <message>
        <location filename="../../app/ui/clients_page.py" line="180"/>
        <source>New client (Ctrl+N)</source>
        <translation>Nowy klient (Ctrl+N)</translation>
    </message>
    <message>
        <location filename="../../app/ui/clients_page.py" line="181"/>
        <source>Delete</source>
        <translation>Usuń</translation>
    </message>
    <message>
        <location filename="../../app/ui/clients_page.py" line="182"/>
        <source>Move the selected clients to the Trash (Del)</source>
        <translation>Przenieś zaznaczonych klientów do Kosza (Del)</translation>
    </message>
    <message>
        <location filename="../../app/ui/clients_page.py" line="183"/>
        <source>Restore</source>
        <translation>Przywróć</translation>
    </message>
    <message>
        <location filename="../../app/ui/clients_page.py" line="184"/>
        <source>Merge…</source>
        <translation>Scal…</translation>
    </message>
    <message>
        <location filename="../../app/ui/clients_page.py" line="186"/>
        <source>Two records of one person: select both and merge them into one</source>
        <translation>Dwa rekordy tej samej osoby: zaznacz oba i scal je w jeden</translation>
    </message>
    <message>
        <location filename="../../app/ui/clients_page.py" line="189"/>
        <source>Trash</source>
        <translation>Kosz</translation>
    </message>
    <message>
        <location filename="../../app/ui/clients_page.py" line="191"/>
        <source>Show clients moved to the Trash</source>
        <translation>Pokaż klientów przeniesionych do Kosza</translation>
    </message>
    <message>
        <location filename="../../app/ui/clients_page.py" line="380"/>
        <source>Any tag</source>
        <translation>Dowolny tag</translation>
    </message>
    <message>
        <location filename="../../app/ui/clients_page.py" line="403"/>
        <source>Searching…</source>
        <translation>Wyszukiwanie…</translation>
    </message>
    <message numerus="yes">
        <location filename="../../app/ui/clients_page.py" line="408"/>
        <source>%Ln+ client(s), counting…</source>
        <translation>
            <numerusform>%Ln+ klient, trwa liczenie…</numerusform>
            <numerusform>%Ln+ klientów, trwa liczenie…</numerusform>
            <numerusform>%Ln+ klientów, trwa liczenie…</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <location filename="../../app/ui/clients_page.py" line="410"/>
        <source>%Ln client(s) in the Trash</source>
        <translation>
            <numerusform>%Ln klient w Koszu</numerusform>
            <numerusform>%Ln klientów w Koszu</numerusform>
            <numerusform>%Ln klientów w Koszu</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <location filename="../../app/ui/clients_page.py" line="412"/>
        <source>%Ln client(s)</source>
        <translation>
            <numerusform>%Ln klient</numerusform>
            <numerusform>%Ln klientów</numerusform>
            <numerusform>%Ln klientów</numerusform>
        </translation>
    </message>
    <message>
        <location filename="../../app/ui/clients_page.py" line="419"/>
        <source>The Trash is empty.</source>
        <translation>Kosz jest pusty.</translation>
    </message>
    <message>
        <location filename="../../app/ui/clients_page.py" line="421"/>
        <source>No client matches the search and filters.</source>
        <translation>Żaden klient nie pasuje do wyszukiwania i filtrów.</translation>
    </message>
    <message>
        <location filename="../../app/ui/clients_page.py" line="424"/>
        <source>No clients yet. Press Ctrl+N or “New client” to add the first one.</source>
        <translation>Nie ma jeszcze klientów. Naciśnij Ctrl+N lub „Nowy klient”, aby dodać pierwszego.</translation>
    </message>
    <message numerus="yes">
        <location filename="../../app/ui/clients_page.py" line="539"/>
        <source>%Ln client(s) moved to the Trash.</source>
        <translation>
            <numerusform>Przeniesiono %Ln klienta do Kosza.</numerusform>
            <numerusform>Przeniesiono %Ln klientów do Kosza.</numerusform>
            <numerusform>Przeniesiono %Ln klientów do Kosza.</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>Complaint</name>
    <message>
        <location filename="../../app/ui/complaint_dialog.py" line="72"/>
        <source>To be heard and taken seriously</source>
        <translation>Zostać wysłuchanym i potraktowanym poważnie</translation>
    </message>
    <message>
        <location filename="../../app/ui/complaint_dialog.py" line="73"/>
        <source>To see that we understand the problem and why they are upset</source>
        <translation>Zobaczyć, że rozumiemy problem i to, dlaczego jest zdenerwowany</translation>
    </message>
    <message>
        <location filename="../../app/ui/complaint_dialog.py" line="74"/>
        <source>Compensation or restitution</source>
        <translation>Rekompensata lub zadośćuczynienie</translation>
    </message>
    <message>
        <location filename="../../app/ui/complaint_dialog.py" line="75"/>
        <source>A sense of speed: the problem handled quickly</source>
        <translation>Poczucie, że sprawa jest załatwiana szybko</translation>
    </message>
    <message>
        <location filename="../../app/ui/complaint_dialog.py" line="76"/>
        <source>No further inconvenience</source>
        <translation>Brak dalszych niedogodności</translation>
    </message>
    <message>
        <location filename="../../app/ui/complaint_dialog.py" line="77"/>
        <source>To be treated with respect</source>
        <translation>Być traktowanym z szacunkiem</translation>
    </message>
    <message>
        <location filename="../../app/ui/complaint_dialog.py" line="78"/>
        <source>Someone accountable for the problem</source>
        <translation>Osoba odpowiedzialna za sprawę</translation>
    </message>
    <message>
        <location filename="../../app/ui/complaint_dialog.py" line="79"/>
        <source>A guarantee that it will not happen again</source>
        <translation>Gwarancja, że to się nie powtórzy</translation>
    </message>
    <message>
        <location filename="../../app/ui/complaint_dialog.py" line="86"/>
        <source>What was the main complaint?</source>
        <translation>Czego przede wszystkim dotyczyła reklamacja?</translation>
    </message>
    <message>
        <location filename="../../app/ui/complaint_dialog.py" line="87"/>
        <source>How did the client present the problem? Whose fault was it? What angered them most? Why were they upset?</source>
        <translation>Jak klient przedstawił problem? Czyja to była wina? Co najbardziej go rozzłościło? Dlaczego był zdenerwowany?</translation>
    </message>
    <message>
        <location filename="../../app/ui/complaint_dialog.py" line="90"/>
        <source>How do you see the problem? Was the client at fault in any way?</source>
        <translation>Jak oceniasz ten problem? Czy klient w jakimś stopniu ponosi winę?</translation>
    </message>
    <message>
        <location filename="../../app/ui/complaint_dialog.py" line="92"/>
        <source>What did you say that improved the situation?</source>
        <translation>Jakie słowa poprawiły sytuację?</translation>
    </message>
    <message>
        <location filename="../../app/ui/complaint_dialog.py" line="94"/>
        <source>What did you say that seemed to make it worse?</source>
        <translation>Jakie słowa chyba pogorszyły sytuację?</translation>
    </message>
    <message>
        <location filename="../../app/ui/complaint_dialog.py" line="96"/>
        <source>How did you show you cared about the client?</source>
        <translation>Jak okazano klientowi, że nam na nim zależy?</translation>
    </message>
    <message>
        <location filename="../../app/ui/complaint_dialog.py" line="98"/>
        <source>What would you do differently?</source>
        <translation>Co należałoby zrobić inaczej?</translation>
    </message>
    <message>
        <location filename="../../app/ui/complaint_dialog.py" line="104"/>
        <source>the apology, given to the client</source>
        <translation>przeprosiny złożone klientowi</translation>
    </message>
    <message>
        <location filename="../../app/ui/complaint_dialog.py" line="105"/>
        <source>what the client asked for</source>
        <translation>oczekiwania klienta</translation>
    </message>
    <message>
        <location filename="../../app/ui/complaint_dialog.py" line="106"/>
        <source>a compensation or a corrective action</source>
        <translation>rekompensata lub działanie naprawcze</translation>
    </message>
    <message>
        <location filename="../../app/ui/complaint_dialog.py" line="108"/>
        <source>every checklist item ticked or marked not applicable</source>
        <translation>wszystkie punkty listy kontrolnej odhaczone lub oznaczone jako „nie dotyczy”</translation>
    </message>
    <message>
        <location filename="../../app/ui/complaint_dialog.py" line="110"/>
        <source>the call-back to the client after the fix (or, to close without it, the reason below)</source>
        <translation>oddzwonienie do klienta po naprawie (albo, aby zamknąć bez niego, powód poniżej)</translation>
    </message>
    <message>
        <location filename="../../app/ui/complaint_dialog.py" line="122"/>
        <source>Open</source>
        <translation>Otwarta</translation>
    </message>
    <message>
        <location filename="../../app/ui/complaint_dialog.py" line="123"/>
        <source>In progress</source>
        <translation>W toku</translation>
    </message>
    <message>
        <location filename="../../app/ui/complaint_dialog.py" line="124"/>
        <source>Resolved</source>
        <translation>Rozwiązana</translation>
    </message>
    <message>
        <location filename="../../app/ui/complaint_dialog.py" line="125"/>
        <source>Closed, client kept</source>
        <translation>Zamknięta, klient utrzymany</translation>
    </message>
    <message>
        <location filename="../../app/ui/complaint_dialog.py" line="126"/>
        <source>Closed, client lost</source>
        <translation>Zamknięta, klient utracony</translation>
    </message>
    <message>
        <location filename="../../app/ui/complaint_dialog.py" line="131"/>
        <source>Low</source>
        <translation>Niska</translation>
    </message>
    <message>
        <location filename="../../app/ui/complaint_dialog.py" line="132"/>
        <source>Medium</source>
        <translation>Średnia</translation>
    </message>
    <message>
        <location filename="../../app/ui/complaint_dialog.py" line="133"/>
        <source>High</source>
        <translation>Wysoka</translation>
    </message>
    <message>
        <location filename="../../app/ui/complaint_dialog.py" line="137"/>
        <source>Us</source>
        <translation>My</translation>
    </message>
    <message>
        <location filename="../../app/ui/complaint_dialog.py" line="138"/>
        <source>The client</source>
        <translation>Klient</translation>
    </message>
    <message>
        <location filename="../../app/ui/complaint_dialog.py" line="139"/>
        <source>A third party</source>
        <translation>Strona trzecia</translation>
    </message>
    <message>
        <location filename="../../app/ui/complaint_dialog.py" line="140"/>
        <source>Unclear</source>
        <translation>Nie wiadomo</translation>
    </message>
    <message>
        <location filename="../../app/ui/complaint_dialog.py" line="144"/>
        <source>None</source>
        <translation>Brak</translation>
    </message>
    <message>
        <location filename="../../app/ui/complaint_dialog.py" line="145"/>
        <source>Refund</source>
        <translation>Zwrot pieniędzy</translation>
    </message>
    <message>
        <location filename="../../app/ui/complaint_dialog.py" line="146"/>
        <source>Discount</source>
        <translation>Rabat</translation>
    </message>
    <message>
        <location filename="../../app/ui/complaint_dialog.py" line="147"/>
        <source>Free service</source>
        <translation>Bezpłatna usługa</translation>
    </message>
    <message>
        <location filename="../../app/ui/complaint_dialog.py" line="148"/>
        <source>Replacement</source>
        <translation>Wymiana</translation>
    </message>
    <message>
        <location filename="../../app/ui/complaint_dialog.py" line="149"/>
        <source>Gift</source>
        <translation>Prezent</translation>
    </message>
    <message>
        <location filename="../../app/ui/complaint_dialog.py" line="153"/>
        <source>Not yet</source>
        <translation>Jeszcze nie</translation>
    </message>
    <message>
        <location filename="../../app/ui/complaint_dialog.py" line="154"/>
        <source>Done</source>
        <translation>Zrobione</translation>
    </message>
    <message>
        <location filename="../../app/ui/complaint_dialog.py" line="155"/>
        <source>Not applicable</source>
        <translation>Nie dotyczy</translation>
    </message>
    <message>
        <location filename="../../app/ui/complaint_dialog.py" line="159"/>
        <source>Product quality</source>
        <translation>Jakość produktu</translation>
    </message>
    <message>
        <location filename="../../app/ui/complaint_dialog.py" line="160"/>
        <source>Service quality</source>
        <translation>Jakość usługi</translation>
    </message>
    <message>
        <location filename="../../app/ui/complaint_dialog.py" line="161"/>
        <source>Waiting time</source>
        <translation>Czas oczekiwania</translation>
    </message>
    <message>
        <location filename="../../app/ui/complaint_dialog.py" line="162"/>
        <source>Prices and billing</source>
        <translation>Ceny i rozliczenia</translation>
    </message>
    <message>
        <location filename="../../app/ui/complaint_dialog.py" line="163"/>
        <source>Staff attitude</source>
        <translation>Zachowanie personelu</translation>
    </message>
    <message>
        <location filename="../../app/ui/complaint_dialog.py" line="164"/>
        <source>Delivery</source>
        <translation>Dostawa</translation>
    </message>
    <message>
        <location filename="../../app/ui/complaint_dialog.py" line="165"/>
        <source>Other</source>
        <translation>Inne</translation>
    </message>
</context>
<context>
    <name>ComplaintDialog</name>
    <message>
        <location filename="../../app/ui/complaint_dialog.py" line="238"/>
        <source>You are signed in: every step you take here is recorded in your name.</source>
        <extracomment>where the complaint window keeps its size (QSettings)</extracomment>
        <translation>Jesteś zalogowany(-a): każdy twój krok jest tu zapisywany na twoje nazwisko.</translation>
    </message>
    <message>
        <location filename="../../app/ui/complaint_dialog.py" line="245"/>
        <source>Who is handling it</source>
        <translation>Kto prowadzi sprawę</translation>
    </message>
    <message>
        <location filename="../../app/ui/complaint_dialog.py" line="249"/>
        <source>1. Listen</source>
        <translation>1. Wysłuchanie</translation>
    </message>
    <message>
        <location filename="../../app/ui/complaint_dialog.py" line="250"/>
        <source>2. Needs</source>
        <translation>2. Potrzeby</translation>
    </message>
    <message>
        <location filename="../../app/ui/complaint_dialog.py" line="251"/>
        <source>3. Apologise, ask</source>
        <translation>3. Przeprosiny, pytanie</translation>
    </message>
    <message>
        <location filename="../../app/ui/complaint_dialog.py" line="253"/>
        <source>4. Compensate, fix</source>
        <translation>4. Rekompensata, naprawa</translation>
    </message>
    <message>
        <location filename="../../app/ui/complaint_dialog.py" line="254"/>
        <source>5. Resolve, close</source>
        <translation>5. Rozwiązanie, zamknięcie</translation>
    </message>
    <message>
        <location filename="../../app/ui/complaint_dialog.py" line="255"/>
        <source>6. Review, lesson</source>
        <translation>6. Omówienie, wnioski</translation>
    </message>
    <message>
        <location filename="../../app/ui/complaint_dialog.py" line="267"/>
        <source>What is at stake</source>
        <translation>Co możemy stracić</translation>
    </message>
    <message>
        <location filename="../../app/ui/complaint_dialog.py" line="280"/>
        <source>Save</source>
        <translation>Zapisz</translation>
    </message>
    <message>
        <location filename="../../app/ui/complaint_dialog.py" line="282"/>
        <source>Save (Ctrl+S)</source>
        <translation>Zapisz (Ctrl+S)</translation>
    </message>
    <message>
        <location filename="../../app/ui/complaint_dialog.py" line="285"/>
        <source>Close window</source>
        <translation>Zamknij okno</translation>
    </message>
    <message>
        <location filename="../../app/ui/complaint_dialog.py" line="333"/>
        <source>What the client said, in their own words</source>
        <translation>Co powiedział klient — jego własnymi słowami</translation>
    </message>
    <message>
        <location filename="../../app/ui/complaint_dialog.py" line="346"/>
        <source>The client&apos;s words</source>
        <translation>Słowa klienta</translation>
    </message>
    <message>
        <location filename="../../app/ui/complaint_dialog.py" line="347"/>
        <source>Channel</source>
        <translation>Kanał</translation>
    </message>
    <message>
        <location filename="../../app/ui/complaint_dialog.py" line="348"/>
        <source>Category</source>
        <translation>Kategoria</translation>
    </message>
    <message>
        <location filename="../../app/ui/complaint_dialog.py" line="350"/>
        <source>Severity</source>
        <translation>Waga</translation>
    </message>
    <message>
        <location filename="../../app/ui/complaint_dialog.py" line="351"/>
        <source>Who was at fault</source>
        <translation>Kto zawinił</translation>
    </message>
    <message>
        <location filename="../../app/ui/complaint_dialog.py" line="352"/>
        <source>Let the client finish. Do not argue or explain yet: write down what they say and why it upset them.</source>
        <translation>Pozwól klientowi dokończyć. Nie dyskutuj i na razie niczego nie wyjaśniaj: zapisz, co mówi i co go zdenerwowało.</translation>
    </message>
    <message>
        <location filename="../../app/ui/complaint_dialog.py" line="386"/>
        <source>The apology was given to the client</source>
        <translation>Przeprosiny zostały złożone klientowi</translation>
    </message>
    <message>
        <location filename="../../app/ui/complaint_dialog.py" line="389"/>
        <source>Suggested wording</source>
        <translation>Proponowane sformułowanie</translation>
    </message>
    <message>
        <location filename="../../app/ui/complaint_dialog.py" line="392"/>
        <source>An apology is regret that the client&apos;s experience was unpleasant, not an admission of guilt. It costs nothing.</source>
        <translation>Przeprosiny to wyraz żalu, że klient miał nieprzyjemne doświadczenie, a nie przyznanie się do winy. Nic nie kosztują.</translation>
    </message>
    <message>
        <location filename="../../app/ui/complaint_dialog.py" line="399"/>
        <source>In the client&apos;s own words</source>
        <translation>Własnymi słowami klienta</translation>
    </message>
    <message>
        <location filename="../../app/ui/complaint_dialog.py" line="400"/>
        <source>Apology</source>
        <translation>Przeprosiny</translation>
    </message>
    <message>
        <location filename="../../app/ui/complaint_dialog.py" line="404"/>
        <source>“What would put it right for you?”</source>
        <translation>„Jakie rozwiązanie byłoby dla Pana/Pani odpowiednie?”</translation>
    </message>
    <message>
        <location filename="../../app/ui/complaint_dialog.py" line="422"/>
        <source>nobody</source>
        <translation>nikt</translation>
    </message>
    <message>
        <location filename="../../app/ui/complaint_dialog.py" line="428"/>
        <source>nobody yet</source>
        <translation>jeszcze nikt</translation>
    </message>
    <message>
        <location filename="../../app/ui/complaint_dialog.py" line="432"/>
        <source>What changes so that it will not happen again</source>
        <translation>Co zmieniamy, żeby to się nie powtórzyło</translation>
    </message>
    <message>
        <location filename="../../app/ui/complaint_dialog.py" line="433"/>
        <source>Compensation</source>
        <translation>Rekompensata</translation>
    </message>
    <message>
        <location filename="../../app/ui/complaint_dialog.py" line="434"/>
        <source>Value</source>
        <translation>Wartość</translation>
    </message>
    <message>
        <location filename="../../app/ui/complaint_dialog.py" line="437"/>
        <source>Approved by the owner</source>
        <translation>Zatwierdzone przez właściciela</translation>
    </message>
    <message>
        <location filename="../../app/ui/complaint_dialog.py" line="439"/>
        <source>Accountable</source>
        <translation>Odpowiedzialny</translation>
    </message>
    <message>
        <location filename="../../app/ui/complaint_dialog.py" line="440"/>
        <source>Corrective action</source>
        <translation>Działanie naprawcze</translation>
    </message>
    <message>
        <location filename="../../app/ui/complaint_dialog.py" line="441"/>
        <source>A refund is entered among the client&apos;s purchases as a credit, so revenue and the client&apos;s 12-month value stay true.</source>
        <translation>Zwrot pieniędzy jest zapisywany w zakupach klienta jako kwota ujemna, dzięki czemu przychód i wartość klienta z 12 miesięcy pozostają zgodne z rzeczywistością.</translation>
    </message>
    <message>
        <location filename="../../app/ui/complaint_dialog.py" line="455"/>
        <source>The fix is done: mark resolved</source>
        <translation>Problem usunięty: oznacz jako rozwiązaną</translation>
    </message>
    <message numerus="yes">
        <location filename="../../app/ui/complaint_dialog.py" line="460"/>
        <source>Marking it resolved plans the call-back to the client after %n day(s).</source>
        <translation>
            <numerusform>Po oznaczeniu reklamacji jako rozwiązanej zostanie zaplanowane oddzwonienie do klienta po %n dniu.</numerusform>
            <numerusform>Po oznaczeniu reklamacji jako rozwiązanej zostanie zaplanowane oddzwonienie do klienta po %n dniach.</numerusform>
            <numerusform>Po oznaczeniu reklamacji jako rozwiązanej zostanie zaplanowane oddzwonienie do klienta po %n dniach.</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <location filename="../../app/ui/complaint_dialog.py" line="462"/>
        <source>The team review follows after %n day(s).</source>
        <translation>
            <numerusform>Omówienie z zespołem nastąpi po %n dniu.</numerusform>
            <numerusform>Omówienie z zespołem nastąpi po %n dniach.</numerusform>
            <numerusform>Omówienie z zespołem nastąpi po %n dniach.</numerusform>
        </translation>
    </message>
    <message>
        <location filename="../../app/ui/complaint_dialog.py" line="464"/>
        <location filename="../../app/ui/complaint_dialog.py" line="485"/>
        <source>Close the complaint</source>
        <translation>Zamknij reklamację</translation>
    </message>
    <message>
        <location filename="../../app/ui/complaint_dialog.py" line="466"/>
        <source>The client is satisfied</source>
        <translation>Klient jest zadowolony</translation>
    </message>
    <message>
        <location filename="../../app/ui/complaint_dialog.py" line="470"/>
        <source>not given</source>
        <translation>brak oceny</translation>
    </message>
    <message>
        <location filename="../../app/ui/complaint_dialog.py" line="473"/>
        <source>We kept the client</source>
        <translation>Klient został z nami</translation>
    </message>
    <message>
        <location filename="../../app/ui/complaint_dialog.py" line="475"/>
        <source>We lost the client</source>
        <translation>Straciliśmy klienta</translation>
    </message>
    <message>
        <location filename="../../app/ui/complaint_dialog.py" line="496"/>
        <source>Only when closing before the call-back: why</source>
        <translation>Tylko przy zamykaniu przed oddzwonieniem: dlaczego</translation>
    </message>
    <message>
        <location filename="../../app/ui/complaint_dialog.py" line="498"/>
        <source>Rating (1–5)</source>
        <translation>Ocena (1–5)</translation>
    </message>
    <message>
        <location filename="../../app/ui/complaint_dialog.py" line="500"/>
        <source>Closed without the call-back because</source>
        <translation>Zamknięta bez oddzwonienia, ponieważ</translation>
    </message>
    <message>
        <location filename="../../app/ui/complaint_dialog.py" line="517"/>
        <source>After a day or two, when feelings have cooled, answer these with the team. The lesson is what everyone can read later. The review task is done when all seven answers and the lesson are saved.</source>
        <translation>Po dniu lub dwóch, gdy emocje opadną, odpowiedz na te pytania razem z zespołem. Wnioski każdy będzie mógł później przeczytać. Zadanie omówienia jest wykonane, gdy zapisano wszystkie siedem odpowiedzi i wnioski.</translation>
    </message>
    <message>
        <location filename="../../app/ui/complaint_dialog.py" line="533"/>
        <source>What went wrong, how it was put right, what we do from now on</source>
        <translation>Co poszło nie tak, jak to naprawiliśmy, co robimy od teraz</translation>
    </message>
    <message>
        <location filename="../../app/ui/complaint_dialog.py" line="535"/>
        <source>The lesson for the team</source>
        <translation>Wnioski dla zespołu</translation>
    </message>
    <message>
        <location filename="../../app/ui/complaint_dialog.py" line="545"/>
        <source>I am sorry that your experience with us was unpleasant. Thank you for telling us; we want to put it right. What would put it right for you?</source>
        <translation>Bardzo mi przykro, że kontakt z nami okazał się dla Pana/Pani nieprzyjemny. Dziękuję, że nam Pan/Pani o tym mówi — chcemy to naprawić. Jakie rozwiązanie byłoby dla Pana/Pani odpowiednie?</translation>
    </message>
    <message>
        <location filename="../../app/ui/complaint_dialog.py" line="553"/>
        <source>Complaint — %1</source>
        <translation>Reklamacja — %1</translation>
    </message>
    <message>
        <location filename="../../app/ui/complaint_dialog.py" line="567"/>
        <source>%1, %2</source>
        <translation>%1, %2</translation>
    </message>
    <message>
        <location filename="../../app/ui/complaint_dialog.py" line="572"/>
        <source>given %1</source>
        <translation>złożono %1</translation>
    </message>
    <message>
        <location filename="../../app/ui/complaint_dialog.py" line="575"/>
        <source>by %1</source>
        <comment>who gave the apology</comment>
        <translation>osoba: %1</translation>
    </message>
    <message>
        <location filename="../../app/ui/complaint_dialog.py" line="607"/>
        <source>opened %1 by %2</source>
        <translation>zgłoszona %1, osoba: %2</translation>
    </message>
    <message>
        <location filename="../../app/ui/complaint_dialog.py" line="609"/>
        <source>opened %1</source>
        <translation>zgłoszona %1</translation>
    </message>
    <message>
        <location filename="../../app/ui/complaint_dialog.py" line="611"/>
        <source>first response %1</source>
        <translation>pierwsza odpowiedź %1</translation>
    </message>
    <message>
        <location filename="../../app/ui/complaint_dialog.py" line="614"/>
        <source>resolved %1 by %2</source>
        <translation>rozwiązana %1, osoba: %2</translation>
    </message>
    <message>
        <location filename="../../app/ui/complaint_dialog.py" line="616"/>
        <source>resolved %1</source>
        <translation>rozwiązana %1</translation>
    </message>
    <message>
        <location filename="../../app/ui/complaint_dialog.py" line="618"/>
        <source>closed %1 by %2</source>
        <translation>zamknięta %1, osoba: %2</translation>
    </message>
    <message>
        <location filename="../../app/ui/complaint_dialog.py" line="620"/>
        <source>closed %1</source>
        <translation>zamknięta %1</translation>
    </message>
    <message>
        <location filename="../../app/ui/complaint_dialog.py" line="621"/>
        <source>New complaint</source>
        <translation>Nowa reklamacja</translation>
    </message>
    <message>
        <location filename="../../app/ui/complaint_dialog.py" line="621"/>
        <source>Complaint</source>
        <translation>Reklamacja</translation>
    </message>
    <message>
        <location filename="../../app/ui/complaint_dialog.py" line="624"/>
        <source>apology given</source>
        <translation>przeprosiny złożone</translation>
    </message>
    <message>
        <location filename="../../app/ui/complaint_dialog.py" line="625"/>
        <source>the client&apos;s request recorded</source>
        <translation>oczekiwania klienta zapisane</translation>
    </message>
    <message>
        <location filename="../../app/ui/complaint_dialog.py" line="627"/>
        <source>compensation or corrective action</source>
        <translation>rekompensata lub działanie naprawcze</translation>
    </message>
    <message>
        <location filename="../../app/ui/complaint_dialog.py" line="628"/>
        <source>checklist complete</source>
        <translation>lista kontrolna ukończona</translation>
    </message>
    <message>
        <location filename="../../app/ui/complaint_dialog.py" line="629"/>
        <source>resolved: call-back planned</source>
        <translation>rozwiązana: zaplanowano oddzwonienie</translation>
    </message>
    <message>
        <location filename="../../app/ui/complaint_dialog.py" line="630"/>
        <source>call-back made</source>
        <translation>oddzwonienie wykonane</translation>
    </message>
    <message>
        <location filename="../../app/ui/complaint_dialog.py" line="631"/>
        <source>review and lesson recorded</source>
        <translation>omówienie i wnioski zapisane</translation>
    </message>
    <message>
        <location filename="../../app/ui/complaint_dialog.py" line="645"/>
        <source>Client since %1</source>
        <translation>Klient od %1</translation>
    </message>
    <message numerus="yes">
        <location filename="../../app/ui/complaint_dialog.py" line="647"/>
        <source>Client since %1 (%n month(s))</source>
        <translation>
            <numerusform>Klient od %1 (%n miesiąc)</numerusform>
            <numerusform>Klient od %1 (%n miesiące)</numerusform>
            <numerusform>Klient od %1 (%n miesięcy)</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <location filename="../../app/ui/complaint_dialog.py" line="649"/>
        <source>Client since %1 (%n year(s))</source>
        <translation>
            <numerusform>Klient od %1 (%n rok)</numerusform>
            <numerusform>Klient od %1 (%n lata)</numerusform>
            <numerusform>Klient od %1 (%n lat)</numerusform>
        </translation>
    </message>
    <message>
        <location filename="../../app/ui/complaint_dialog.py" line="656"/>
        <source>12-month value: &lt;b&gt;%1&lt;/b&gt;</source>
        <translation>Wartość z 12 miesięcy: &lt;b&gt;%1&lt;/b&gt;</translation>
    </message>
    <message>
        <location filename="../../app/ui/complaint_dialog.py" line="658"/>
        <source>Group: &lt;b&gt;%1&lt;/b&gt;</source>
        <translation>Grupa: &lt;b&gt;%1&lt;/b&gt;</translation>
    </message>
    <message>
        <location filename="../../app/ui/complaint_dialog.py" line="659"/>
        <source>Purchases: &lt;b&gt;%1&lt;/b&gt;</source>
        <translation>Zakupy: &lt;b&gt;%1&lt;/b&gt;</translation>
    </message>
    <message numerus="yes">
        <location filename="../../app/ui/complaint_dialog.py" line="667"/>
        <source>Referred %n client(s): %1</source>
        <translation>
            <numerusform>Z polecenia klienta przyszła %n osoba: %1</numerusform>
            <numerusform>Z polecenia klienta przyszły %n osoby: %1</numerusform>
            <numerusform>Z polecenia klienta przyszło %n osób: %1</numerusform>
        </translation>
    </message>
    <message>
        <location filename="../../app/ui/complaint_dialog.py" line="670"/>
        <source>Referred nobody yet.</source>
        <translation>Z polecenia klienta nikt jeszcze nie przyszedł.</translation>
    </message>
    <message>
        <location filename="../../app/ui/complaint_dialog.py" line="672"/>
        <source>An unhappy client tells about 22 people; a happy one tells 2.</source>
        <translation>Niezadowolony klient opowiada o tym około 22 osobom, a zadowolony — 2.</translation>
    </message>
    <message>
        <location filename="../../app/ui/complaint_dialog.py" line="681"/>
        <source>Choose who is handling the complaint.</source>
        <translation>Wybierz, kto prowadzi reklamację.</translation>
    </message>
    <message>
        <location filename="../../app/ui/complaint_dialog.py" line="683"/>
        <source>The owner may grant any amount.</source>
        <translation>Właściciel może przyznać dowolną kwotę.</translation>
    </message>
    <message>
        <location filename="../../app/ui/complaint_dialog.py" line="685"/>
        <source>You may grant up to %1; more needs the owner&apos;s approval.</source>
        <translation>Możesz przyznać do %1; wyższa kwota wymaga zgody właściciela.</translation>
    </message>
    <message>
        <location filename="../../app/ui/complaint_dialog.py" line="832"/>
        <source>Refund more than was paid?</source>
        <translation>Zwrócić więcej, niż zapłacono?</translation>
    </message>
    <message numerus="yes">
        <location filename="../../app/ui/complaint_dialog.py" line="833"/>
        <source>The refund of %1 is more than the client paid in the last %n day(s) (%2). Refund %1 all the same?</source>
        <translation>
            <numerusform>Zwrot %1 to więcej, niż klient zapłacił w ciągu ostatniego %n dnia (%2). Mimo to zwrócić %1?</numerusform>
            <numerusform>Zwrot %1 to więcej, niż klient zapłacił w ciągu ostatnich %n dni (%2). Mimo to zwrócić %1?</numerusform>
            <numerusform>Zwrot %1 to więcej, niż klient zapłacił w ciągu ostatnich %n dni (%2). Mimo to zwrócić %1?</numerusform>
        </translation>
    </message>
    <message>
        <location filename="../../app/ui/complaint_dialog.py" line="846"/>
        <source>Saved.</source>
        <translation>Zapisano.</translation>
    </message>
    <message>
        <location filename="../../app/ui/complaint_dialog.py" line="857"/>
        <source>Resolved. The call-back is planned for %1.</source>
        <translation>Rozwiązano. Oddzwonienie do klienta zaplanowano na %1.</translation>
    </message>
    <message>
        <location filename="../../app/ui/complaint_dialog.py" line="883"/>
        <source>The complaint cannot be closed yet. Still missing:</source>
        <translation>Reklamacji nie można jeszcze zamknąć. Brakuje:</translation>
    </message>
    <message>
        <location filename="../../app/ui/complaint_dialog.py" line="884"/>
        <source>What you typed is saved.</source>
        <translation>To, co wpisano, zostało zapisane.</translation>
    </message>
    <message>
        <location filename="../../app/ui/complaint_dialog.py" line="892"/>
        <source>The complaint is closed.</source>
        <translation>Reklamacja została zamknięta.</translation>
    </message>
    <message>
        <location filename="../../app/ui/complaint_dialog.py" line="901"/>
        <source>Unsaved changes</source>
        <translation>Niezapisane zmiany</translation>
    </message>
    <message>
        <location filename="../../app/ui/complaint_dialog.py" line="902"/>
        <source>Save the changes to this complaint?</source>
        <translation>Zapisać zmiany tej reklamacji?</translation>
    </message>
</context>
<context>
    <name>ComplaintsPage</name>
    <message>
        <location filename="../../app/ui/complaints_page.py" line="248"/>
        <source>Complaints</source>
        <translation>Reklamacje</translation>
    </message>
    <message>
        <location filename="../../app/ui/complaints_page.py" line="249"/>
        <source>Lessons</source>
        <translation>Wnioski</translation>
    </message>
    <message>
        <location filename="../../app/ui/complaints_page.py" line="270"/>
        <source>All statuses</source>
        <translation>Wszystkie statusy</translation>
    </message>
    <message>
        <location filename="../../app/ui/complaints_page.py" line="271"/>
        <source>Not closed</source>
        <translation>Niezamknięte</translation>
    </message>
    <message>
        <location filename="../../app/ui/complaints_page.py" line="279"/>
        <source>New complaint…</source>
        <translation>Nowa reklamacja…</translation>
    </message>
    <message>
        <location filename="../../app/ui/complaints_page.py" line="280"/>
        <source>Open</source>
        <translation>Otwórz</translation>
    </message>
    <message>
        <location filename="../../app/ui/complaints_page.py" line="240"/>
        <location filename="../../app/ui/complaints_page.py" line="284"/>
        <source>Status</source>
        <translation>Status</translation>
    </message>
    <message>
        <location filename="../../app/ui/complaints_page.py" line="239"/>
        <location filename="../../app/ui/complaints_page.py" line="242"/>
        <location filename="../../app/ui/complaints_page.py" line="286"/>
        <source>Category</source>
        <translation>Kategoria</translation>
    </message>
    <message>
        <location filename="../../app/ui/complaints_page.py" line="239"/>
        <location filename="../../app/ui/complaints_page.py" line="242"/>
        <source>Opened</source>
        <translation>Data otwarcia</translation>
    </message>
    <message>
        <location filename="../../app/ui/complaints_page.py" line="239"/>
        <location filename="../../app/ui/complaints_page.py" line="242"/>
        <source>Client</source>
        <translation>Klient</translation>
    </message>
    <message>
        <location filename="../../app/ui/complaints_page.py" line="240"/>
        <source>Severity</source>
        <translation>Waga</translation>
    </message>
    <message>
        <location filename="../../app/ui/complaints_page.py" line="240"/>
        <source>Age</source>
        <translation>Czas od otwarcia</translation>
    </message>
    <message>
        <location filename="../../app/ui/complaints_page.py" line="241"/>
        <source>First response</source>
        <translation>Pierwsza odpowiedź</translation>
    </message>
    <message>
        <location filename="../../app/ui/complaints_page.py" line="241"/>
        <source>Resolution</source>
        <translation>Rozwiązanie</translation>
    </message>
    <message>
        <location filename="../../app/ui/complaints_page.py" line="302"/>
        <source>Red: no first response within the set hours (Settings, Rules). Enter opens a complaint.</source>
        <translation>Na czerwono: brak pierwszej odpowiedzi w ustalonym czasie (Ustawienia, Zasady). Enter otwiera reklamację.</translation>
    </message>
    <message>
        <location filename="../../app/ui/complaints_page.py" line="316"/>
        <source>%1 h</source>
        <translation>%1 godz.</translation>
    </message>
    <message>
        <location filename="../../app/ui/complaints_page.py" line="317"/>
        <source>%1 d</source>
        <translation>%1 dnia</translation>
    </message>
    <message>
        <location filename="../../app/ui/complaints_page.py" line="245"/>
        <source>waiting</source>
        <translation>oczekuje</translation>
    </message>
    <message>
        <location filename="../../app/ui/complaints_page.py" line="246"/>
        <source>First response overdue</source>
        <translation>Pierwsza odpowiedź po terminie</translation>
    </message>
    <message>
        <location filename="../../app/ui/complaints_page.py" line="375"/>
        <source>%1 shown · %2 not closed · %3 waiting too long for a first response</source>
        <translation>Wyświetlane: %1 · niezamknięte: %2 · zbyt długo czekające na pierwszą odpowiedź: %3</translation>
    </message>
    <message>
        <location filename="../../app/ui/complaints_page.py" line="278"/>
        <location filename="../../app/ui/complaints_page.py" line="427"/>
        <source>All categories</source>
        <translation>Wszystkie kategorie</translation>
    </message>
    <message>
        <location filename="../../app/ui/complaints_page.py" line="455"/>
        <source>Search the lessons: a word of the complaint, the fix or the lesson</source>
        <translation>Szukaj we wnioskach: słowo z reklamacji, rozwiązania lub wniosków</translation>
    </message>
    <message>
        <location filename="../../app/ui/complaints_page.py" line="243"/>
        <source>What went wrong</source>
        <translation>Co poszło nie tak</translation>
    </message>
    <message>
        <location filename="../../app/ui/complaints_page.py" line="243"/>
        <source>How it was put right</source>
        <translation>Jak to naprawiono</translation>
    </message>
    <message>
        <location filename="../../app/ui/complaints_page.py" line="244"/>
        <source>The lesson</source>
        <translation>Wnioski</translation>
    </message>
    <message>
        <location filename="../../app/ui/complaints_page.py" line="365"/>
        <source>Reading the complaints</source>
        <translation>Wczytywanie reklamacji</translation>
    </message>
    <message>
        <location filename="../../app/ui/complaints_page.py" line="492"/>
        <source>Searching the lessons</source>
        <translation>Wyszukiwanie wniosków</translation>
    </message>
    <message numerus="yes">
        <location filename="../../app/ui/complaints_page.py" line="502"/>
        <source>%n lesson(s)</source>
        <translation>
            <numerusform>%n wniosek</numerusform>
            <numerusform>%n wnioski</numerusform>
            <numerusform>%n wniosków</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>DataDialogs</name>
    <message>
        <location filename="../../app/ui/data_dialogs.py" line="56"/>
        <source>Clients</source>
        <translation>Klienci</translation>
    </message>
    <message>
        <location filename="../../app/ui/data_dialogs.py" line="57"/>
        <location filename="../../app/ui/data_dialogs.py" line="81"/>
        <source>Purchases</source>
        <translation>Zakupy</translation>
    </message>
    <message>
        <location filename="../../app/ui/data_dialogs.py" line="58"/>
        <source>Calls and contacts</source>
        <translation>Połączenia i kontakty</translation>
    </message>
    <message>
        <location filename="../../app/ui/data_dialogs.py" line="64"/>
        <source>Number</source>
        <translation>Numer</translation>
    </message>
    <message>
        <location filename="../../app/ui/data_dialogs.py" line="65"/>
        <source>Name</source>
        <translation>Nazwa</translation>
    </message>
    <message>
        <location filename="../../app/ui/data_dialogs.py" line="66"/>
        <source>Person or company</source>
        <translation>Osoba czy firma</translation>
    </message>
    <message>
        <location filename="../../app/ui/data_dialogs.py" line="67"/>
        <source>Card number</source>
        <translation>Numer karty</translation>
    </message>
    <message>
        <location filename="../../app/ui/data_dialogs.py" line="68"/>
        <source>Phone</source>
        <translation>Telefon</translation>
    </message>
    <message>
        <location filename="../../app/ui/data_dialogs.py" line="69"/>
        <source>E-mail</source>
        <translation>E-mail</translation>
    </message>
    <message>
        <location filename="../../app/ui/data_dialogs.py" line="70"/>
        <source>Preferred channel</source>
        <translation>Preferowany kanał</translation>
    </message>
    <message>
        <location filename="../../app/ui/data_dialogs.py" line="71"/>
        <source>Do not contact</source>
        <translation>Nie kontaktować się</translation>
    </message>
    <message>
        <location filename="../../app/ui/data_dialogs.py" line="72"/>
        <source>Marketing consent</source>
        <translation>Zgoda marketingowa</translation>
    </message>
    <message>
        <location filename="../../app/ui/data_dialogs.py" line="73"/>
        <source>Consent given on</source>
        <translation>Data zgody</translation>
    </message>
    <message>
        <location filename="../../app/ui/data_dialogs.py" line="74"/>
        <source>Came from</source>
        <translation>Skąd przyszedł</translation>
    </message>
    <message>
        <location filename="../../app/ui/data_dialogs.py" line="75"/>
        <source>Referred by (number)</source>
        <translation>Z polecenia (numer)</translation>
    </message>
    <message>
        <location filename="../../app/ui/data_dialogs.py" line="76"/>
        <source>Group</source>
        <translation>Grupa</translation>
    </message>
    <message>
        <location filename="../../app/ui/data_dialogs.py" line="77"/>
        <source>Why this group</source>
        <translation>Dlaczego ta grupa</translation>
    </message>
    <message>
        <location filename="../../app/ui/data_dialogs.py" line="78"/>
        <source>Tags</source>
        <translation>Etykiety</translation>
    </message>
    <message>
        <location filename="../../app/ui/data_dialogs.py" line="79"/>
        <source>First purchase</source>
        <translation>Pierwszy zakup</translation>
    </message>
    <message>
        <location filename="../../app/ui/data_dialogs.py" line="80"/>
        <source>Last purchase</source>
        <translation>Ostatni zakup</translation>
    </message>
    <message>
        <location filename="../../app/ui/data_dialogs.py" line="82"/>
        <source>12-month value</source>
        <translation>Wartość z 12 miesięcy</translation>
    </message>
    <message>
        <location filename="../../app/ui/data_dialogs.py" line="83"/>
        <source>Preferences</source>
        <translation>Preferencje</translation>
    </message>
    <message>
        <location filename="../../app/ui/data_dialogs.py" line="84"/>
        <source>Notes</source>
        <translation>Notatki</translation>
    </message>
    <message>
        <location filename="../../app/ui/data_dialogs.py" line="85"/>
        <source>Client since</source>
        <translation>Klient od</translation>
    </message>
    <message>
        <location filename="../../app/ui/data_dialogs.py" line="86"/>
        <source>Client number</source>
        <translation>Numer klienta</translation>
    </message>
    <message>
        <location filename="../../app/ui/data_dialogs.py" line="87"/>
        <source>Client</source>
        <translation>Klient</translation>
    </message>
    <message>
        <location filename="../../app/ui/data_dialogs.py" line="88"/>
        <source>Date</source>
        <translation>Data</translation>
    </message>
    <message>
        <location filename="../../app/ui/data_dialogs.py" line="89"/>
        <source>Item or service</source>
        <translation>Towar lub usługa</translation>
    </message>
    <message>
        <location filename="../../app/ui/data_dialogs.py" line="90"/>
        <source>Quantity</source>
        <translation>Ilość</translation>
    </message>
    <message>
        <location filename="../../app/ui/data_dialogs.py" line="91"/>
        <source>Amount</source>
        <translation>Kwota</translation>
    </message>
    <message>
        <location filename="../../app/ui/data_dialogs.py" line="92"/>
        <source>Refund</source>
        <translation>Zwrot</translation>
    </message>
    <message>
        <location filename="../../app/ui/data_dialogs.py" line="93"/>
        <source>Complaint number</source>
        <translation>Numer reklamacji</translation>
    </message>
    <message>
        <location filename="../../app/ui/data_dialogs.py" line="94"/>
        <source>Note</source>
        <translation>Notatka</translation>
    </message>
    <message>
        <location filename="../../app/ui/data_dialogs.py" line="95"/>
        <source>When</source>
        <translation>Kiedy</translation>
    </message>
    <message>
        <location filename="../../app/ui/data_dialogs.py" line="96"/>
        <source>Channel</source>
        <translation>Kanał</translation>
    </message>
    <message>
        <location filename="../../app/ui/data_dialogs.py" line="97"/>
        <source>Direction</source>
        <translation>Kierunek</translation>
    </message>
    <message>
        <location filename="../../app/ui/data_dialogs.py" line="98"/>
        <source>Purpose</source>
        <translation>Cel</translation>
    </message>
    <message>
        <location filename="../../app/ui/data_dialogs.py" line="99"/>
        <source>Outcome</source>
        <translation>Wynik</translation>
    </message>
    <message>
        <location filename="../../app/ui/data_dialogs.py" line="100"/>
        <source>Tone</source>
        <translation>Ton</translation>
    </message>
    <message>
        <location filename="../../app/ui/data_dialogs.py" line="101"/>
        <source>Minutes</source>
        <translation>Minuty</translation>
    </message>
    <message>
        <location filename="../../app/ui/data_dialogs.py" line="102"/>
        <source>Why declined</source>
        <translation>Powód odmowy</translation>
    </message>
    <message>
        <location filename="../../app/ui/data_dialogs.py" line="107"/>
        <source>Outgoing</source>
        <translation>Wychodzący</translation>
    </message>
    <message>
        <location filename="../../app/ui/data_dialogs.py" line="108"/>
        <source>Incoming</source>
        <translation>Przychodzący</translation>
    </message>
    <message>
        <location filename="../../app/ui/data_dialogs.py" line="115"/>
        <source>Yes</source>
        <translation>Tak</translation>
    </message>
    <message>
        <location filename="../../app/ui/data_dialogs.py" line="115"/>
        <source>No</source>
        <translation>Nie</translation>
    </message>
    <message>
        <location filename="../../app/ui/data_dialogs.py" line="206"/>
        <location filename="../../app/ui/data_dialogs.py" line="223"/>
        <location filename="../../app/ui/data_dialogs.py" line="231"/>
        <source>Export</source>
        <translation>Eksport</translation>
    </message>
    <message>
        <location filename="../../app/ui/data_dialogs.py" line="206"/>
        <source>The export was stopped; no file was written.</source>
        <translation>Eksport został zatrzymany; nie zapisano żadnego pliku.</translation>
    </message>
    <message>
        <location filename="../../app/ui/data_dialogs.py" line="209"/>
        <source>Exporting…</source>
        <translation>Eksportowanie…</translation>
    </message>
    <message>
        <location filename="../../app/ui/data_dialogs.py" line="224"/>
        <source>Excel workbook (*.xlsx);;CSV table (*.csv)</source>
        <translation>Skoroszyt programu Excel (*.xlsx);;Tabela CSV (*.csv)</translation>
    </message>
    <message numerus="yes">
        <location filename="../../app/ui/data_dialogs.py" line="230"/>
        <source>%n row(s) written to %1.</source>
        <translation>
            <numerusform>Zapisano %n wiersz do pliku %1.</numerusform>
            <numerusform>Zapisano %n wiersze do pliku %1.</numerusform>
            <numerusform>Zapisano %n wierszy do pliku %1.</numerusform>
        </translation>
    </message>
    <message>
        <location filename="../../app/ui/data_dialogs.py" line="243"/>
        <source>Writing the client&apos;s data…</source>
        <translation>Zapisywanie danych klienta…</translation>
    </message>
    <message>
        <location filename="../../app/ui/data_dialogs.py" line="253"/>
        <source>The client&apos;s data</source>
        <translation>Dane klienta</translation>
    </message>
    <message>
        <location filename="../../app/ui/data_dialogs.py" line="255"/>
        <source>JSON file (*.json)</source>
        <translation>Plik JSON (*.json)</translation>
    </message>
    <message>
        <location filename="../../app/ui/data_dialogs.py" line="290"/>
        <source>Erasing…</source>
        <translation>Usuwanie…</translation>
    </message>
    <message numerus="yes">
        <location filename="../../app/ui/data_dialogs.py" line="510"/>
        <source>%n purchase(s)</source>
        <translation>
            <numerusform>%n zakup</numerusform>
            <numerusform>%n zakupy</numerusform>
            <numerusform>%n zakupów</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>DateEntry</name>
    <message>
        <location filename="../../app/ui/widgets.py" line="137"/>
        <source>Pick the date from a calendar</source>
        <translation>Wybierz datę z kalendarza</translation>
    </message>
    <message>
        <location filename="../../app/ui/widgets.py" line="177"/>
        <source>e.g. %1</source>
        <translation>np. %1</translation>
    </message>
    <message>
        <location filename="../../app/ui/widgets.py" line="182"/>
        <source>Type the date as %1, or as 2026-01-31</source>
        <translation>Wpisz datę jako %1 albo jako 2026-01-31</translation>
    </message>
</context>
<context>
    <name>DayListActions</name>
    <message>
        <location filename="../../app/ui/printing.py" line="548"/>
        <source>Print…</source>
        <translation>Drukuj…</translation>
    </message>
    <message>
        <location filename="../../app/ui/printing.py" line="550"/>
        <source>Print the day&apos;s list of calls (Ctrl+P)</source>
        <translation>Drukuj listę połączeń na dziś (Ctrl+P)</translation>
    </message>
    <message>
        <location filename="../../app/ui/printing.py" line="551"/>
        <source>Save as PDF…</source>
        <translation>Zapisz jako PDF…</translation>
    </message>
    <message>
        <location filename="../../app/ui/printing.py" line="553"/>
        <source>Save the day&apos;s list of calls as a PDF file</source>
        <translation>Zapisz listę połączeń na dziś jako plik PDF</translation>
    </message>
    <message>
        <location filename="../../app/ui/printing.py" line="608"/>
        <source>Printing the day&apos;s list…</source>
        <translation>Drukowanie listy na dziś…</translation>
    </message>
</context>
<context>
    <name>DayNotice</name>
    <message>
        <location filename="../../app/ui/day_notice.py" line="136"/>
        <source>Counting the day&apos;s calls…</source>
        <translation>Liczenie połączeń na dziś…</translation>
    </message>
    <message>
        <location filename="../../app/ui/day_notice.py" line="183"/>
        <source>ClientCare</source>
        <translation>ClientCare</translation>
    </message>
</context>
<context>
    <name>DayNoticeBanner</name>
    <message>
        <location filename="../../app/ui/day_notice.py" line="75"/>
        <source>Close the notice (it is not shown again today)</source>
        <translation>Zamknij powiadomienie (dziś nie pojawi się ponownie)</translation>
    </message>
    <message>
        <location filename="../../app/ui/day_notice.py" line="77"/>
        <source>Close the notice</source>
        <translation>Zamknij powiadomienie</translation>
    </message>
</context>
<context>
    <name>DayNoticeText</name>
    <message numerus="yes">
        <location filename="../../app/ui/day_notice.py" line="50"/>
        <source>%Ln call(s)</source>
        <extracomment>how long the tray message stays (ms)</extracomment>
        <translation>
            <numerusform>%Ln połączenie</numerusform>
            <numerusform>%Ln połączenia</numerusform>
            <numerusform>%Ln połączeń</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <location filename="../../app/ui/day_notice.py" line="51"/>
        <source>%Ln overdue</source>
        <translation>
            <numerusform>%Ln zaległy</numerusform>
            <numerusform>%Ln zaległe</numerusform>
            <numerusform>%Ln zaległych</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <location filename="../../app/ui/day_notice.py" line="52"/>
        <source>%Ln birthday(s) or name day(s)</source>
        <translation>
            <numerusform>%Ln urodziny lub imieniny</numerusform>
            <numerusform>%Ln urodziny lub imieniny</numerusform>
            <numerusform>%Ln urodzin lub imienin</numerusform>
        </translation>
    </message>
    <message>
        <location filename="../../app/ui/day_notice.py" line="53"/>
        <source>Today: %1</source>
        <translation>Dziś: %1</translation>
    </message>
</context>
<context>
    <name>EmailTab</name>
    <message>
        <location filename="../../app/ui/messages_settings.py" line="263"/>
        <source>STARTTLS (usually port 587)</source>
        <translation>STARTTLS (zwykle port 587)</translation>
    </message>
    <message>
        <location filename="../../app/ui/messages_settings.py" line="264"/>
        <source>TLS (usually port 465)</source>
        <translation>TLS (zwykle port 465)</translation>
    </message>
    <message>
        <location filename="../../app/ui/messages_settings.py" line="265"/>
        <source>None (a relay inside the office)</source>
        <translation>Bez szyfrowania (przekaźnik w biurze)</translation>
    </message>
    <message>
        <location filename="../../app/ui/messages_settings.py" line="271"/>
        <source>kept in the system keyring</source>
        <translation>przechowywane w systemowym pęku kluczy</translation>
    </message>
    <message>
        <location filename="../../app/ui/messages_settings.py" line="277"/>
        <source>Save</source>
        <translation>Zapisz</translation>
    </message>
    <message>
        <location filename="../../app/ui/messages_settings.py" line="281"/>
        <source>Send a test message</source>
        <translation>Wyślij wiadomość próbną</translation>
    </message>
    <message>
        <location filename="../../app/ui/messages_settings.py" line="286"/>
        <source>Your mail server (SMTP)</source>
        <translation>Twój serwer poczty (SMTP)</translation>
    </message>
    <message>
        <location filename="../../app/ui/messages_settings.py" line="288"/>
        <source>Server</source>
        <translation>Serwer</translation>
    </message>
    <message>
        <location filename="../../app/ui/messages_settings.py" line="290"/>
        <source>Port</source>
        <translation>Port</translation>
    </message>
    <message>
        <location filename="../../app/ui/messages_settings.py" line="291"/>
        <source>Connection</source>
        <translation>Połączenie szyfrowane</translation>
    </message>
    <message>
        <location filename="../../app/ui/messages_settings.py" line="292"/>
        <source>User</source>
        <translation>Użytkownik</translation>
    </message>
    <message>
        <location filename="../../app/ui/messages_settings.py" line="293"/>
        <source>Password</source>
        <translation>Hasło</translation>
    </message>
    <message>
        <location filename="../../app/ui/messages_settings.py" line="294"/>
        <source>Sender&apos;s address</source>
        <translation>Adres nadawcy</translation>
    </message>
    <message>
        <location filename="../../app/ui/messages_settings.py" line="296"/>
        <source>Sender&apos;s name</source>
        <translation>Nazwa nadawcy</translation>
    </message>
    <message>
        <location filename="../../app/ui/messages_settings.py" line="301"/>
        <source>Test message to</source>
        <translation>Wiadomość próbna do</translation>
    </message>
    <message>
        <location filename="../../app/ui/messages_settings.py" line="304"/>
        <source>Gmail and Google Workspace need an app password (with 2-step verification). Microsoft 365 ends password login for sending at the end of 2026: use another provider or an SMTP relay. A mailbox at a local provider works with its own password. The README says more.</source>
        <translation>Gmail i Google Workspace wymagają hasła aplikacji (przy weryfikacji dwuetapowej). Microsoft 365 kończy logowanie hasłem do wysyłki pod koniec 2026 roku: użyj innego dostawcy albo przekaźnika SMTP. Skrzynka u lokalnego dostawcy działa z jej własnym hasłem. Więcej w pliku README.</translation>
    </message>
    <message>
        <location filename="../../app/ui/messages_settings.py" line="361"/>
        <source>Saved. The password is in the system keyring.</source>
        <translation>Zapisano. Hasło jest w systemowym pęku kluczy.</translation>
    </message>
    <message>
        <location filename="../../app/ui/messages_settings.py" line="370"/>
        <source>Saving the mail server</source>
        <translation>Zapisywanie serwera poczty</translation>
    </message>
    <message>
        <location filename="../../app/ui/messages_settings.py" line="376"/>
        <source>ClientCare: a test message</source>
        <translation>ClientCare: wiadomość próbna</translation>
    </message>
    <message>
        <location filename="../../app/ui/messages_settings.py" line="377"/>
        <source>This is a test message from ClientCare: the mail server is set up right.</source>
        <translation>To wiadomość próbna z ClientCare: serwer poczty jest ustawiony poprawnie.</translation>
    </message>
    <message>
        <location filename="../../app/ui/messages_settings.py" line="388"/>
        <source>A test message went to %1.</source>
        <translation>Wiadomość próbna poszła do %1.</translation>
    </message>
    <message>
        <location filename="../../app/ui/messages_settings.py" line="395"/>
        <source>Sending a test message</source>
        <translation>Wysyłanie wiadomości próbnej</translation>
    </message>
</context>
<context>
    <name>EraseDialog</name>
    <message>
        <location filename="../../app/ui/data_dialogs.py" line="301"/>
        <source>Erase personal data</source>
        <translation>Usuń dane osobowe</translation>
    </message>
    <message>
        <location filename="../../app/ui/data_dialogs.py" line="320"/>
        <source>Their purchases stay without a name, so the figures stay true. This cannot be undone; restoring a backup later erases this person again.</source>
        <translation>Zakupy zostają, ale bez nazwiska, więc liczby pozostają prawdziwe. Tego nie można cofnąć; przywrócenie kopii zapasowej później ponownie usunie tę osobę.</translation>
    </message>
    <message numerus="yes">
        <location filename="../../app/ui/data_dialogs.py" line="324"/>
        <source>%n backup(s) made earlier still hold this person&apos;s data.</source>
        <translation>
            <numerusform>%n wcześniejsza kopia zapasowa wciąż zawiera dane tej osoby.</numerusform>
            <numerusform>%n wcześniejsze kopie zapasowe wciąż zawierają dane tej osoby.</numerusform>
            <numerusform>%n wcześniejszych kopii zapasowych wciąż zawiera dane tej osoby.</numerusform>
        </translation>
    </message>
    <message>
        <location filename="../../app/ui/data_dialogs.py" line="326"/>
        <source>No backup holds this person&apos;s data.</source>
        <translation>Żadna kopia zapasowa nie zawiera danych tej osoby.</translation>
    </message>
    <message>
        <location filename="../../app/ui/data_dialogs.py" line="329"/>
        <source>Erase them from these backups too (now)</source>
        <translation>Usuń je również z tych kopii zapasowych (teraz)</translation>
    </message>
    <message>
        <location filename="../../app/ui/data_dialogs.py" line="348"/>
        <source>Erase</source>
        <translation>Usuń</translation>
    </message>
    <message>
        <location filename="../../app/ui/data_dialogs.py" line="265"/>
        <location filename="../../app/ui/data_dialogs.py" line="370"/>
        <source>Erasing…</source>
        <translation>Usuwanie…</translation>
    </message>
    <message>
        <location filename="../../app/ui/data_dialogs.py" line="263"/>
        <source>Erasing from backup %1 of %2…</source>
        <translation>Usuwanie z kopii zapasowej %1 z %2…</translation>
    </message>
    <message>
        <location filename="../../app/ui/data_dialogs.py" line="313"/>
        <source>Erase everything that identifies %1: name, phone, e-mail, card number, family, dates, tags, notes and the words of calls, memberships and complaints? Where other clients&apos; notes name this person, the name is replaced by “%2”.</source>
        <translation>Usunąć wszystko, co identyfikuje osobę %1: imię i nazwisko, telefon, e-mail, numer karty, rodzinę, daty, tagi, notatki oraz opisy połączeń, karnetów i reklamacji? Tam, gdzie notatki innych klientów wymieniają tę osobę, jej nazwisko zostanie zastąpione przez „%2”.</translation>
    </message>
    <message>
        <location filename="../../app/ui/data_dialogs.py" line="401"/>
        <source>The personal data was erased from the office server&apos;s database. Its backups made with pg_dump still hold it until they are replaced by newer ones.</source>
        <translation>Dane osobowe zostały usunięte z bazy danych serwera biura. Jej kopie zapasowe zrobione przez pg_dump nadal je zawierają, dopóki nie zastąpią ich nowsze.</translation>
    </message>
    <message>
        <location filename="../../app/ui/data_dialogs.py" line="405"/>
        <source>The personal data was erased and the database file compacted; its last changes leave the write-ahead log when ClientCare closes.</source>
        <translation>Dane osobowe zostały usunięte, a plik bazy danych skompaktowany; ostatnie zmiany opuszczą dziennik zapisu z wyprzedzeniem (WAL) przy zamknięciu ClientCare.</translation>
    </message>
    <message>
        <location filename="../../app/ui/data_dialogs.py" line="409"/>
        <source>The personal data was erased and the database file compacted.</source>
        <translation>Dane osobowe zostały usunięte, a plik bazy danych skompaktowany.</translation>
    </message>
    <message numerus="yes">
        <location filename="../../app/ui/data_dialogs.py" line="411"/>
        <source>Erased from %n backup(s).</source>
        <translation>
            <numerusform>Usunięto z %n kopii zapasowej.</numerusform>
            <numerusform>Usunięto z %n kopii zapasowych.</numerusform>
            <numerusform>Usunięto z %n kopii zapasowych.</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <location filename="../../app/ui/data_dialogs.py" line="414"/>
        <source>%n backup(s) still hold this person; a restore of one erases them again.</source>
        <translation>
            <numerusform>%n kopia zapasowa wciąż zawiera tę osobę; po jej przywróceniu osoba zostanie usunięta ponownie.</numerusform>
            <numerusform>%n kopie zapasowe wciąż zawierają tę osobę; po przywróceniu którejkolwiek osoba zostanie usunięta ponownie.</numerusform>
            <numerusform>%n kopii zapasowych wciąż zawiera tę osobę; po przywróceniu którejkolwiek osoba zostanie usunięta ponownie.</numerusform>
        </translation>
    </message>
    <message>
        <location filename="../../app/ui/data_dialogs.py" line="417"/>
        <source>Not erased from %1: %2</source>
        <translation>Nie usunięto z %1: %2</translation>
    </message>
</context>
<context>
    <name>ExportDialog</name>
    <message>
        <location filename="../../app/ui/data_dialogs.py" line="167"/>
        <location filename="../../app/ui/data_dialogs.py" line="174"/>
        <source>Export</source>
        <extracomment>the QSettings key of the last export folder (app/ui/window_state.py keeps it)</extracomment>
        <translation>Eksportuj</translation>
    </message>
    <message>
        <location filename="../../app/ui/data_dialogs.py" line="176"/>
        <source>A CSV file opens in any spreadsheet; an XLSX file in Excel or LibreOffice. Clients in the Trash and erased clients are left out.</source>
        <translation>Plik CSV można otworzyć w dowolnym arkuszu kalkulacyjnym, a plik XLSX — w programie Excel lub LibreOffice. Klienci w Koszu i klienci, których dane osobowe usunięto, są pomijani.</translation>
    </message>
</context>
<context>
    <name>FirstOwnerDialog</name>
    <message>
        <location filename="../../app/ui/sign_in.py" line="122"/>
        <source>ClientCare — the owner</source>
        <translation>ClientCare — właściciel</translation>
    </message>
    <message numerus="yes">
        <location filename="../../app/ui/sign_in.py" line="123"/>
        <source>Everyone signs in on this database. First, the owner: your name and a password of at least %n characters. You then add the staff and their passwords in Settings → Staff.</source>
        <translation>
            <numerusform>Na tej bazie danych każdy się loguje. Najpierw właściciel: Twoje imię i hasło o długości co najmniej %n znaku. Potem dodasz pracowników i ich hasła w Ustawienia → Personel.</numerusform>
            <numerusform>Na tej bazie danych każdy się loguje. Najpierw właściciel: Twoje imię i hasło o długości co najmniej %n znaków. Potem dodasz pracowników i ich hasła w Ustawienia → Personel.</numerusform>
            <numerusform>Na tej bazie danych każdy się loguje. Najpierw właściciel: Twoje imię i hasło o długości co najmniej %n znaków. Potem dodasz pracowników i ich hasła w Ustawienia → Personel.</numerusform>
        </translation>
    </message>
    <message>
        <location filename="../../app/ui/sign_in.py" line="125"/>
        <source>Create the owner</source>
        <translation>Utwórz właściciela</translation>
    </message>
    <message>
        <location filename="../../app/ui/sign_in.py" line="136"/>
        <source>Name</source>
        <translation>Imię i nazwisko</translation>
    </message>
    <message>
        <location filename="../../app/ui/sign_in.py" line="137"/>
        <source>Password</source>
        <translation>Hasło</translation>
    </message>
    <message>
        <location filename="../../app/ui/sign_in.py" line="138"/>
        <source>Password again</source>
        <translation>Hasło ponownie</translation>
    </message>
</context>
<context>
    <name>FreezeDialog</name>
    <message>
        <location filename="../../app/ui/card_dialogs.py" line="406"/>
        <source>Freeze the membership</source>
        <translation>Zamrożenie karnetu</translation>
    </message>
    <message>
        <location filename="../../app/ui/card_dialogs.py" line="410"/>
        <source>Frozen from</source>
        <translation>Zamrożony od</translation>
    </message>
    <message>
        <location filename="../../app/ui/card_dialogs.py" line="412"/>
        <source>Frozen until</source>
        <translation>Zamrożony do</translation>
    </message>
</context>
<context>
    <name>History</name>
    <message>
        <location filename="../../app/ui/history_words.py" line="17"/>
        <source>not signed in</source>
        <translation>bez logowania</translation>
    </message>
    <message>
        <location filename="../../app/ui/history_words.py" line="24"/>
        <source>A/B/C group</source>
        <translation>Grupa A/B/C</translation>
    </message>
    <message>
        <location filename="../../app/ui/history_words.py" line="25"/>
        <source>moved to the Trash</source>
        <translation>przeniesiono do kosza</translation>
    </message>
    <message>
        <location filename="../../app/ui/history_words.py" line="26"/>
        <source>restored from the Trash</source>
        <translation>przywrócono z kosza</translation>
    </message>
    <message>
        <location filename="../../app/ui/history_words.py" line="27"/>
        <location filename="../../app/ui/history_words.py" line="39"/>
        <location filename="../../app/ui/history_words.py" line="50"/>
        <source>other details</source>
        <translation>inne dane</translation>
    </message>
    <message>
        <location filename="../../app/ui/history_words.py" line="31"/>
        <source>what happened</source>
        <translation>co się stało</translation>
    </message>
    <message>
        <location filename="../../app/ui/history_words.py" line="32"/>
        <source>the checklist</source>
        <translation>lista kontrolna</translation>
    </message>
    <message>
        <location filename="../../app/ui/history_words.py" line="33"/>
        <source>the apology</source>
        <translation>przeprosiny</translation>
    </message>
    <message>
        <location filename="../../app/ui/history_words.py" line="34"/>
        <source>what the client asked for</source>
        <translation>prośba klienta</translation>
    </message>
    <message>
        <location filename="../../app/ui/history_words.py" line="35"/>
        <source>compensation</source>
        <translation>rekompensata</translation>
    </message>
    <message>
        <location filename="../../app/ui/history_words.py" line="36"/>
        <source>corrective action</source>
        <translation>działanie naprawcze</translation>
    </message>
    <message>
        <location filename="../../app/ui/history_words.py" line="37"/>
        <source>status</source>
        <translation>status</translation>
    </message>
    <message>
        <location filename="../../app/ui/history_words.py" line="38"/>
        <source>review and lesson</source>
        <translation>omówienie i wnioski</translation>
    </message>
    <message>
        <location filename="../../app/ui/history_words.py" line="41"/>
        <source>outcome</source>
        <translation>wynik</translation>
    </message>
    <message>
        <location filename="../../app/ui/history_words.py" line="42"/>
        <source>tone</source>
        <translation>ton</translation>
    </message>
    <message>
        <location filename="../../app/ui/history_words.py" line="43"/>
        <source>note</source>
        <translation>notatka</translation>
    </message>
    <message>
        <location filename="../../app/ui/history_words.py" line="44"/>
        <source>the day to call back</source>
        <translation>dzień oddzwonienia</translation>
    </message>
    <message>
        <location filename="../../app/ui/history_words.py" line="45"/>
        <source>meeting</source>
        <translation>spotkanie</translation>
    </message>
    <message>
        <location filename="../../app/ui/history_words.py" line="46"/>
        <source>time</source>
        <translation>godzina</translation>
    </message>
    <message>
        <location filename="../../app/ui/history_words.py" line="47"/>
        <source>channel</source>
        <translation>kanał</translation>
    </message>
    <message>
        <location filename="../../app/ui/history_words.py" line="48"/>
        <source>purpose</source>
        <translation>cel</translation>
    </message>
    <message>
        <location filename="../../app/ui/history_words.py" line="49"/>
        <source>duration</source>
        <translation>czas trwania</translation>
    </message>
    <message>
        <location filename="../../app/ui/history_words.py" line="63"/>
        <source>Client added</source>
        <translation>Dodano klienta</translation>
    </message>
    <message>
        <location filename="../../app/ui/history_words.py" line="65"/>
        <source>Moved to the Trash</source>
        <translation>Przeniesiono do kosza</translation>
    </message>
    <message>
        <location filename="../../app/ui/history_words.py" line="67"/>
        <source>Restored from the Trash</source>
        <translation>Przywrócono z kosza</translation>
    </message>
    <message>
        <location filename="../../app/ui/history_words.py" line="68"/>
        <source>Client details: %1</source>
        <translation>Dane klienta: %1</translation>
    </message>
    <message>
        <location filename="../../app/ui/history_words.py" line="71"/>
        <source>Complaint opened</source>
        <translation>Przyjęto reklamację</translation>
    </message>
    <message>
        <location filename="../../app/ui/history_words.py" line="73"/>
        <source>Complaint removed</source>
        <translation>Usunięto reklamację</translation>
    </message>
    <message>
        <location filename="../../app/ui/history_words.py" line="74"/>
        <source>Complaint: %1</source>
        <translation>Reklamacja: %1</translation>
    </message>
    <message>
        <location filename="../../app/ui/history_words.py" line="78"/>
        <source>Call logged</source>
        <translation>Zapisano połączenie</translation>
    </message>
    <message>
        <location filename="../../app/ui/history_words.py" line="79"/>
        <source>Contact logged: %1</source>
        <translation>Zapisano kontakt: %1</translation>
    </message>
    <message>
        <location filename="../../app/ui/history_words.py" line="82"/>
        <source>Logged call or message undone</source>
        <translation>Cofnięto zapisane połączenie lub wiadomość</translation>
    </message>
    <message>
        <location filename="../../app/ui/history_words.py" line="84"/>
        <source>Call corrected: %1</source>
        <translation>Poprawiono połączenie: %1</translation>
    </message>
    <message>
        <location filename="../../app/ui/history_words.py" line="85"/>
        <source>Contact corrected: %1</source>
        <translation>Poprawiono kontakt: %1</translation>
    </message>
</context>
<context>
    <name>ImportWizard</name>
    <message>
        <location filename="../../app/ui/import_wizard.py" line="88"/>
        <source>Name (whole)</source>
        <extracomment>the rows of the file the column page takes its examples from</extracomment>
        <translation>Nazwa (pełna)</translation>
    </message>
    <message>
        <location filename="../../app/ui/import_wizard.py" line="89"/>
        <source>First name</source>
        <translation>Imię</translation>
    </message>
    <message>
        <location filename="../../app/ui/import_wizard.py" line="90"/>
        <source>Last name</source>
        <translation>Nazwisko</translation>
    </message>
    <message>
        <location filename="../../app/ui/import_wizard.py" line="91"/>
        <source>Phone</source>
        <translation>Telefon</translation>
    </message>
    <message>
        <location filename="../../app/ui/import_wizard.py" line="92"/>
        <source>E-mail</source>
        <translation>E-mail</translation>
    </message>
    <message>
        <location filename="../../app/ui/import_wizard.py" line="93"/>
        <source>Birthday</source>
        <translation>Urodziny</translation>
    </message>
    <message>
        <location filename="../../app/ui/import_wizard.py" line="94"/>
        <source>Card number</source>
        <translation>Numer karty</translation>
    </message>
    <message>
        <location filename="../../app/ui/import_wizard.py" line="95"/>
        <source>Notes</source>
        <translation>Notatki</translation>
    </message>
    <message>
        <location filename="../../app/ui/import_wizard.py" line="96"/>
        <source>Came from</source>
        <translation>Źródło</translation>
    </message>
    <message>
        <location filename="../../app/ui/import_wizard.py" line="97"/>
        <source>Tags</source>
        <translation>Tagi</translation>
    </message>
    <message>
        <location filename="../../app/ui/import_wizard.py" line="98"/>
        <location filename="../../app/ui/import_wizard.py" line="610"/>
        <source>Marketing consent</source>
        <translation>Zgoda marketingowa</translation>
    </message>
    <message>
        <location filename="../../app/ui/import_wizard.py" line="99"/>
        <source>Client&apos;s name</source>
        <translation>Nazwa klienta</translation>
    </message>
    <message>
        <location filename="../../app/ui/import_wizard.py" line="100"/>
        <source>Date of purchase</source>
        <translation>Data zakupu</translation>
    </message>
    <message>
        <location filename="../../app/ui/import_wizard.py" line="101"/>
        <source>Amount</source>
        <translation>Kwota</translation>
    </message>
    <message>
        <location filename="../../app/ui/import_wizard.py" line="102"/>
        <source>Item or service</source>
        <translation>Produkt lub usługa</translation>
    </message>
    <message>
        <location filename="../../app/ui/import_wizard.py" line="103"/>
        <source>Quantity</source>
        <translation>Ilość</translation>
    </message>
    <message>
        <location filename="../../app/ui/import_wizard.py" line="104"/>
        <source>Note</source>
        <translation>Notatka</translation>
    </message>
    <message>
        <location filename="../../app/ui/import_wizard.py" line="109"/>
        <source>— not imported —</source>
        <translation>— nie importuj —</translation>
    </message>
    <message>
        <location filename="../../app/ui/import_wizard.py" line="113"/>
        <source>Skip</source>
        <translation>Pomiń</translation>
    </message>
    <message>
        <location filename="../../app/ui/import_wizard.py" line="114"/>
        <source>Merge into the existing client</source>
        <translation>Scal z istniejącym klientem</translation>
    </message>
    <message>
        <location filename="../../app/ui/import_wizard.py" line="115"/>
        <source>Import as a new client</source>
        <translation>Importuj jako nowego klienta</translation>
    </message>
    <message>
        <location filename="../../app/ui/import_wizard.py" line="119"/>
        <source>phone</source>
        <translation>telefon</translation>
    </message>
    <message>
        <location filename="../../app/ui/import_wizard.py" line="120"/>
        <source>e-mail</source>
        <translation>e-mail</translation>
    </message>
    <message>
        <location filename="../../app/ui/import_wizard.py" line="121"/>
        <source>card number</source>
        <translation>numer karty</translation>
    </message>
    <message>
        <location filename="../../app/ui/import_wizard.py" line="125"/>
        <source>UTF-16 (Excel&apos;s “Unicode Text”)</source>
        <translation>UTF-16 („Tekst Unicode” z Excela)</translation>
    </message>
    <message>
        <location filename="../../app/ui/import_wizard.py" line="126"/>
        <location filename="../../app/ui/import_wizard.py" line="127"/>
        <source>UTF-8</source>
        <translation>UTF-8</translation>
    </message>
    <message>
        <location filename="../../app/ui/import_wizard.py" line="129"/>
        <source>Windows-1251 (Cyrillic)</source>
        <translation>Windows-1251 (cyrylica)</translation>
    </message>
    <message>
        <location filename="../../app/ui/import_wizard.py" line="130"/>
        <source>Windows-1250 (Central European)</source>
        <translation>Windows-1250 (Europa Środkowa)</translation>
    </message>
    <message>
        <location filename="../../app/ui/import_wizard.py" line="131"/>
        <source>Windows-1252 (Western European)</source>
        <translation>Windows-1252 (zachodnioeuropejskie)</translation>
    </message>
    <message>
        <location filename="../../app/ui/import_wizard.py" line="132"/>
        <source>KOI8-R (Russian)</source>
        <translation>KOI8-R (rosyjskie)</translation>
    </message>
    <message>
        <location filename="../../app/ui/import_wizard.py" line="133"/>
        <source>ISO-8859-2 (Central European)</source>
        <translation>ISO-8859-2 (środkowoeuropejskie)</translation>
    </message>
    <message>
        <location filename="../../app/ui/import_wizard.py" line="153"/>
        <source>Excel workbook, first sheet</source>
        <translation>Skoroszyt programu Excel, pierwszy arkusz</translation>
    </message>
    <message>
        <location filename="../../app/ui/import_wizard.py" line="155"/>
        <source>vCard contacts</source>
        <translation>Kontakty vCard</translation>
    </message>
    <message>
        <location filename="../../app/ui/import_wizard.py" line="158"/>
        <source>separated by tabs</source>
        <translation>rozdzielane tabulatorami</translation>
    </message>
    <message>
        <location filename="../../app/ui/import_wizard.py" line="160"/>
        <source>separated by %1</source>
        <translation>rozdzielane znakiem %1</translation>
    </message>
    <message numerus="yes">
        <location filename="../../app/ui/import_wizard.py" line="162"/>
        <source>%n row(s)</source>
        <translation>
            <numerusform>%n wiersz</numerusform>
            <numerusform>%n wiersze</numerusform>
            <numerusform>%n wierszy</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <location filename="../../app/ui/import_wizard.py" line="186"/>
        <source>%n row(s) ready</source>
        <translation>
            <numerusform>%n wiersz gotowy</numerusform>
            <numerusform>%n wiersze gotowe</numerusform>
            <numerusform>%n wierszy gotowych</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <location filename="../../app/ui/import_wizard.py" line="187"/>
        <source>%n rejected</source>
        <translation>
            <numerusform>%n odrzucony</numerusform>
            <numerusform>%n odrzucone</numerusform>
            <numerusform>%n odrzuconych</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <location filename="../../app/ui/import_wizard.py" line="189"/>
        <source>%n duplicate(s)</source>
        <translation>
            <numerusform>%n duplikat</numerusform>
            <numerusform>%n duplikaty</numerusform>
            <numerusform>%n duplikatów</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <location filename="../../app/ui/import_wizard.py" line="191"/>
        <source>%n purchase(s) of unknown clients</source>
        <translation>
            <numerusform>%n zakup nieznanego klienta</numerusform>
            <numerusform>%n zakupy nieznanych klientów</numerusform>
            <numerusform>%n zakupów nieznanych klientów</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <location filename="../../app/ui/import_wizard.py" line="193"/>
        <source>%n already imported</source>
        <translation>
            <numerusform>%n już zaimportowany</numerusform>
            <numerusform>%n już zaimportowane</numerusform>
            <numerusform>%n już zaimportowanych</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <location filename="../../app/ui/import_wizard.py" line="196"/>
        <source>%n phone number(s) to check</source>
        <translation>
            <numerusform>%n numer telefonu do sprawdzenia</numerusform>
            <numerusform>%n numery telefonów do sprawdzenia</numerusform>
            <numerusform>%n numerów telefonów do sprawdzenia</numerusform>
        </translation>
    </message>
    <message>
        <location filename="../../app/ui/import_wizard.py" line="209"/>
        <source>The first %1 problems are listed; Save the report… saves all of them.</source>
        <translation>Pokazano pierwsze %1 problemów; „Zapisz raport…” zapisuje wszystkie.</translation>
    </message>
    <message numerus="yes">
        <location filename="../../app/ui/import_wizard.py" line="213"/>
        <source>The first %1 duplicates are listed; the %n others are skipped.</source>
        <translation>
            <numerusform>Pokazano pierwsze %1 duplikatów; pozostały %n duplikat zostanie pominięty.</numerusform>
            <numerusform>Pokazano pierwsze %1 duplikatów; pozostałe %n duplikaty zostaną pominięte.</numerusform>
            <numerusform>Pokazano pierwsze %1 duplikatów; pozostałych %n duplikatów zostanie pominiętych.</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <location filename="../../app/ui/import_wizard.py" line="222"/>
        <source>%n new client(s) created.</source>
        <translation>
            <numerusform>Utworzono %n nowego klienta.</numerusform>
            <numerusform>Utworzono %n nowych klientów.</numerusform>
            <numerusform>Utworzono %n nowych klientów.</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <location filename="../../app/ui/import_wizard.py" line="225"/>
        <source>%n client(s) merged into existing ones.</source>
        <translation>
            <numerusform>Scalono %n klienta z już istniejącym.</numerusform>
            <numerusform>Scalono %n klientów z już istniejącymi.</numerusform>
            <numerusform>Scalono %n klientów z już istniejącymi.</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <location filename="../../app/ui/import_wizard.py" line="227"/>
        <source>%n duplicate(s) skipped.</source>
        <translation>
            <numerusform>Pominięto %n duplikat.</numerusform>
            <numerusform>Pominięto %n duplikaty.</numerusform>
            <numerusform>Pominięto %n duplikatów.</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <location filename="../../app/ui/import_wizard.py" line="230"/>
        <source>%n purchase(s) added.</source>
        <translation>
            <numerusform>Dodano %n zakup.</numerusform>
            <numerusform>Dodano %n zakupy.</numerusform>
            <numerusform>Dodano %n zakupów.</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <location filename="../../app/ui/import_wizard.py" line="233"/>
        <source>%n purchase(s) had been imported before and were left out.</source>
        <translation>
            <numerusform>Pominięto %n zakup zaimportowany już wcześniej.</numerusform>
            <numerusform>Pominięto %n zakupy zaimportowane już wcześniej.</numerusform>
            <numerusform>Pominięto %n zakupów zaimportowanych już wcześniej.</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <location filename="../../app/ui/import_wizard.py" line="236"/>
        <source>%n purchase(s) of unknown clients skipped.</source>
        <translation>
            <numerusform>Pominięto %n zakup nieznanego klienta.</numerusform>
            <numerusform>Pominięto %n zakupy nieznanych klientów.</numerusform>
            <numerusform>Pominięto %n zakupów nieznanych klientów.</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <location filename="../../app/ui/import_wizard.py" line="238"/>
        <source>%n row(s) rejected.</source>
        <translation>
            <numerusform>Odrzucono %n wiersz.</numerusform>
            <numerusform>Odrzucono %n wiersze.</numerusform>
            <numerusform>Odrzucono %n wierszy.</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <location filename="../../app/ui/import_wizard.py" line="240"/>
        <source>Marketing consent recorded for %n client(s), in the consent log with its source and date.</source>
        <translation>
            <numerusform>Zapisano zgodę marketingową %n klienta w rejestrze zgód, ze źródłem i datą.</numerusform>
            <numerusform>Zapisano zgodę marketingową %n klientów w rejestrze zgód, ze źródłem i datą.</numerusform>
            <numerusform>Zapisano zgodę marketingową %n klientów w rejestrze zgód, ze źródłem i datą.</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <location filename="../../app/ui/import_wizard.py" line="244"/>
        <source>%n phone number(s) to check: kept as the file gives them and marked ⚠ in the client list and on the card.</source>
        <translation>
            <numerusform>%n numer telefonu do sprawdzenia: zachowany w postaci z pliku i oznaczony ⚠ na liście klientów i na karcie klienta.</numerusform>
            <numerusform>%n numery telefonów do sprawdzenia: zachowane w postaci z pliku i oznaczone ⚠ na liście klientów i na karcie klienta.</numerusform>
            <numerusform>%n numerów telefonów do sprawdzenia: zachowanych w postaci z pliku i oznaczonych ⚠ na liście klientów i na karcie klienta.</numerusform>
        </translation>
    </message>
    <message>
        <location filename="../../app/ui/import_wizard.py" line="257"/>
        <source>Choose the file</source>
        <translation>Wybierz plik</translation>
    </message>
    <message>
        <location filename="../../app/ui/import_wizard.py" line="258"/>
        <source>A CSV file (from Excel, LibreOffice or another program), an Excel workbook (XLSX) or contacts exported from a phone (vCard).</source>
        <translation>Plik CSV (z programu Excel, LibreOffice lub innego), skoroszyt programu Excel (XLSX) albo kontakty wyeksportowane z telefonu (vCard).</translation>
    </message>
    <message>
        <location filename="../../app/ui/import_wizard.py" line="263"/>
        <source>The file to import</source>
        <translation>Plik do zaimportowania</translation>
    </message>
    <message>
        <location filename="../../app/ui/import_wizard.py" line="264"/>
        <source>Choose…</source>
        <translation>Wybierz…</translation>
    </message>
    <message>
        <location filename="../../app/ui/import_wizard.py" line="271"/>
        <source>Clients</source>
        <translation>Klienci</translation>
    </message>
    <message>
        <location filename="../../app/ui/import_wizard.py" line="273"/>
        <source>Purchases</source>
        <translation>Zakupy</translation>
    </message>
    <message>
        <location filename="../../app/ui/import_wizard.py" line="279"/>
        <source>The file holds</source>
        <translation>Plik zawiera</translation>
    </message>
    <message>
        <location filename="../../app/ui/import_wizard.py" line="282"/>
        <source>One client a row: name, phone, e-mail, birthday, card number…</source>
        <translation>Jeden klient w wierszu: nazwa, telefon, e-mail, urodziny, numer karty…</translation>
    </message>
    <message>
        <location filename="../../app/ui/import_wizard.py" line="285"/>
        <source>One purchase a row: date, amount, and the client&apos;s card number, phone or e-mail, so each purchase finds its client.</source>
        <translation>Jeden zakup w wierszu: data, kwota oraz numer karty, telefon lub e-mail klienta, aby każdy zakup można było przypisać do klienta.</translation>
    </message>
    <message>
        <location filename="../../app/ui/import_wizard.py" line="288"/>
        <source>A vCard file holds contacts, so it is imported as clients.</source>
        <translation>Plik vCard zawiera kontakty, dlatego jest importowany jako klienci.</translation>
    </message>
    <message>
        <location filename="../../app/ui/import_wizard.py" line="297"/>
        <source>File</source>
        <translation>Plik</translation>
    </message>
    <message>
        <location filename="../../app/ui/import_wizard.py" line="302"/>
        <source>Nothing is written until you press Import on the last step; a backup of the database is made just before.</source>
        <translation>Nic nie zostanie zapisane, dopóki nie klikniesz „Importuj” w ostatnim kroku; tuż przedtem zostanie utworzona kopia zapasowa bazy danych.</translation>
    </message>
    <message>
        <location filename="../../app/ui/import_wizard.py" line="311"/>
        <source>Choose the file to import</source>
        <translation>Wybierz plik do zaimportowania</translation>
    </message>
    <message>
        <location filename="../../app/ui/import_wizard.py" line="312"/>
        <source>Tables and contacts (*.csv *.txt *.xlsx *.vcf);;CSV table (*.csv *.txt);;Excel workbook (*.xlsx);;vCard contacts (*.vcf)</source>
        <translation>Tabele i kontakty (*.csv *.txt *.xlsx *.vcf);;Tabela CSV (*.csv *.txt);;Skoroszyt programu Excel (*.xlsx);;Kontakty vCard (*.vcf)</translation>
    </message>
    <message>
        <location filename="../../app/ui/import_wizard.py" line="337"/>
        <source>Choose the file to import.</source>
        <translation>Wybierz plik do zaimportowania.</translation>
    </message>
    <message>
        <location filename="../../app/ui/import_wizard.py" line="360"/>
        <location filename="../../app/ui/import_wizard.py" line="1215"/>
        <source>Reading the file…</source>
        <extracomment>the work running on the database executor for this wizard (one at a time) how the file is read: the encoding the user chose (None: as found), and the country phones without a country code are numbers of, for this file</extracomment>
        <translation>Wczytywanie pliku…</translation>
    </message>
    <message>
        <location filename="../../app/ui/import_wizard.py" line="397"/>
        <source>Match the columns</source>
        <translation>Dopasuj kolumny</translation>
    </message>
    <message>
        <location filename="../../app/ui/import_wizard.py" line="398"/>
        <source>Say which column goes into which field. A column left “not imported” is ignored; each field can be filled by one column.</source>
        <translation>Wskaż, do którego pola trafia każda kolumna. Kolumna pozostawiona jako „nie importuj” jest pomijana; każde pole może być wypełnione tylko z jednej kolumny.</translation>
    </message>
    <message>
        <location filename="../../app/ui/import_wizard.py" line="407"/>
        <source>Encoding</source>
        <translation>Kodowanie</translation>
    </message>
    <message>
        <location filename="../../app/ui/import_wizard.py" line="412"/>
        <source>Headings on row</source>
        <translation>Nagłówki w wierszu</translation>
    </message>
    <message>
        <location filename="../../app/ui/import_wizard.py" line="425"/>
        <source>Column in the file</source>
        <translation>Kolumna w pliku</translation>
    </message>
    <message>
        <location filename="../../app/ui/import_wizard.py" line="426"/>
        <source>Example 1</source>
        <translation>Przykład 1</translation>
    </message>
    <message>
        <location filename="../../app/ui/import_wizard.py" line="427"/>
        <source>Example 2</source>
        <translation>Przykład 2</translation>
    </message>
    <message>
        <location filename="../../app/ui/import_wizard.py" line="428"/>
        <source>Example 3</source>
        <translation>Przykład 3</translation>
    </message>
    <message>
        <location filename="../../app/ui/import_wizard.py" line="429"/>
        <source>Imported as</source>
        <translation>Importowana jako</translation>
    </message>
    <message>
        <location filename="../../app/ui/import_wizard.py" line="459"/>
        <source>Found: %1</source>
        <translation>Rozpoznane: %1</translation>
    </message>
    <message>
        <location filename="../../app/ui/import_wizard.py" line="489"/>
        <source>Clients need a name (whole, or first and last name).</source>
        <translation>Klienci muszą mieć nazwę (pełną albo imię i nazwisko).</translation>
    </message>
    <message>
        <location filename="../../app/ui/import_wizard.py" line="491"/>
        <source>Purchases need a date, an amount, and the client&apos;s card number, phone or e-mail.</source>
        <translation>Zakupy wymagają daty, kwoty oraz numeru karty, telefonu lub e-maila klienta.</translation>
    </message>
    <message>
        <location filename="../../app/ui/import_wizard.py" line="510"/>
        <source>(column %1, no heading)</source>
        <translation>(kolumna %1, bez nagłówka)</translation>
    </message>
    <message>
        <location filename="../../app/ui/import_wizard.py" line="562"/>
        <source>Choose the column with the client&apos;s name (or the columns with the first and the last name).</source>
        <translation>Wybierz kolumnę z nazwą klienta (albo kolumny z imieniem i nazwiskiem).</translation>
    </message>
    <message>
        <location filename="../../app/ui/import_wizard.py" line="569"/>
        <source>Choose the columns of the purchase&apos;s date and amount. Missing: %1</source>
        <translation>Wybierz kolumny z datą i kwotą zakupu. Brakuje: %1</translation>
    </message>
    <message numerus="yes">
        <location filename="../../app/ui/import_wizard.py" line="586"/>
        <source>%n client(s) of this file will be marked as agreeing to marketing messages, with the consent given on %1 and its source “%2” kept in the consent log. Import the file with this consent?</source>
        <translation>
            <numerusform>%n klient z tego pliku zostanie oznaczony jako zgadzający się na wiadomości marketingowe; w rejestrze zgód zostanie zapisana zgoda udzielona %1 i jej źródło „%2”. Zaimportować plik z tą zgodą?</numerusform>
            <numerusform>%n klientów z tego pliku zostanie oznaczonych jako zgadzający się na wiadomości marketingowe; w rejestrze zgód zostanie zapisana zgoda udzielona %1 i jej źródło „%2”. Zaimportować plik z tą zgodą?</numerusform>
            <numerusform>%n klientów z tego pliku zostanie oznaczonych jako zgadzający się na wiadomości marketingowe; w rejestrze zgód zostanie zapisana zgoda udzielona %1 i jej źródło „%2”. Zaimportować plik z tą zgodą?</numerusform>
        </translation>
    </message>
    <message>
        <location filename="../../app/ui/import_wizard.py" line="595"/>
        <source>Marketing consent for the whole file</source>
        <translation>Zgoda marketingowa dla całego pliku</translation>
    </message>
    <message>
        <location filename="../../app/ui/import_wizard.py" line="600"/>
        <source>Import with consent</source>
        <translation>Importuj ze zgodą</translation>
    </message>
    <message>
        <location filename="../../app/ui/import_wizard.py" line="601"/>
        <source>Go back</source>
        <translation>Wróć</translation>
    </message>
    <message>
        <location filename="../../app/ui/import_wizard.py" line="612"/>
        <source>Record marketing consent for every client of this file</source>
        <translation>Zapisz zgodę marketingową dla każdego klienta z tego pliku</translation>
    </message>
    <message>
        <location filename="../../app/ui/import_wizard.py" line="618"/>
        <source>e.g. signed forms at the reception, the online shop&apos;s checkbox</source>
        <translation>np. podpisane formularze w recepcji, pole wyboru w sklepie internetowym</translation>
    </message>
    <message>
        <location filename="../../app/ui/import_wizard.py" line="629"/>
        <source>Where it comes from</source>
        <translation>Skąd pochodzi</translation>
    </message>
    <message>
        <location filename="../../app/ui/import_wizard.py" line="634"/>
        <source>Given on</source>
        <translation>Udzielona dnia</translation>
    </message>
    <message>
        <location filename="../../app/ui/import_wizard.py" line="653"/>
        <source>The file&apos;s column “%1” wins: a row that says yes or no there keeps its own answer; the rows left empty get this consent.</source>
        <translation>Decyduje kolumna pliku „%1”: wiersz, w którym jest tak lub nie, zachowuje własną odpowiedź; puste wiersze otrzymają tę zgodę.</translation>
    </message>
    <message>
        <location filename="../../app/ui/import_wizard.py" line="657"/>
        <source>A consent column in the file would win: a row that says yes or no keeps its own answer.</source>
        <translation>Kolumna zgody w pliku miałaby pierwszeństwo: wiersz z odpowiedzią tak lub nie zachowuje własną odpowiedź.</translation>
    </message>
    <message>
        <location filename="../../app/ui/import_wizard.py" line="660"/>
        <source>A client already in ClientCare who withdrew consent on or after that day stays withdrawn.</source>
        <translation>Klient, który jest już w ClientCare i wycofał zgodę tego dnia lub później, pozostaje bez zgody.</translation>
    </message>
    <message>
        <location filename="../../app/ui/import_wizard.py" line="701"/>
        <source>Check before importing</source>
        <translation>Sprawdź przed importem</translation>
    </message>
    <message>
        <location filename="../../app/ui/import_wizard.py" line="702"/>
        <source>Nothing has been written yet. Rejected rows are left out; fix them in the file and import it again later (rows already imported are not added twice).</source>
        <translation>Jeszcze niczego nie zapisano. Odrzucone wiersze zostaną pominięte; popraw je w pliku i zaimportuj go później ponownie (wiersze już zaimportowane nie zostaną dodane drugi raz).</translation>
    </message>
    <message>
        <location filename="../../app/ui/import_wizard.py" line="708"/>
        <location filename="../../app/ui/import_wizard.py" line="1095"/>
        <source>Import</source>
        <extracomment>items freed per turn of the event loop when the wizard lets go of a file&apos;s rows</extracomment>
        <translation>Importuj</translation>
    </message>
    <message>
        <location filename="../../app/ui/import_wizard.py" line="716"/>
        <source>Rows that cannot be imported</source>
        <translation>Wiersze, których nie można zaimportować</translation>
    </message>
    <message>
        <location filename="../../app/ui/import_wizard.py" line="717"/>
        <location filename="../../app/ui/import_wizard.py" line="743"/>
        <location filename="../../app/ui/import_wizard.py" line="768"/>
        <location filename="../../app/ui/import_wizard.py" line="973"/>
        <source>Row</source>
        <translation>Wiersz</translation>
    </message>
    <message>
        <location filename="../../app/ui/import_wizard.py" line="718"/>
        <location filename="../../app/ui/import_wizard.py" line="769"/>
        <location filename="../../app/ui/import_wizard.py" line="974"/>
        <source>Column</source>
        <translation>Kolumna</translation>
    </message>
    <message>
        <location filename="../../app/ui/import_wizard.py" line="719"/>
        <location filename="../../app/ui/import_wizard.py" line="975"/>
        <source>Problem</source>
        <translation>Problem</translation>
    </message>
    <message>
        <location filename="../../app/ui/import_wizard.py" line="720"/>
        <location filename="../../app/ui/import_wizard.py" line="976"/>
        <source>Value</source>
        <translation>Wartość</translation>
    </message>
    <message>
        <location filename="../../app/ui/import_wizard.py" line="729"/>
        <source>Save the report…</source>
        <translation>Zapisz raport…</translation>
    </message>
    <message>
        <location filename="../../app/ui/import_wizard.py" line="736"/>
        <source>Save the list to fix the rows in the file.</source>
        <translation>Zapisz listę, aby poprawić te wiersze w pliku.</translation>
    </message>
    <message>
        <location filename="../../app/ui/import_wizard.py" line="742"/>
        <source>Already in ClientCare</source>
        <translation>Już istnieją w ClientCare</translation>
    </message>
    <message>
        <location filename="../../app/ui/import_wizard.py" line="744"/>
        <source>In the file</source>
        <translation>W pliku</translation>
    </message>
    <message>
        <location filename="../../app/ui/import_wizard.py" line="745"/>
        <source>Already there as</source>
        <translation>Istnieje już jako</translation>
    </message>
    <message>
        <location filename="../../app/ui/import_wizard.py" line="746"/>
        <source>Same</source>
        <translation>Zgodne pole</translation>
    </message>
    <message>
        <location filename="../../app/ui/import_wizard.py" line="747"/>
        <source>What to do</source>
        <translation>Co zrobić</translation>
    </message>
    <message>
        <location filename="../../app/ui/import_wizard.py" line="761"/>
        <source>Merge fills the existing client&apos;s empty fields (phone, e-mail, card number, birthday) and adds the notes; nothing already there is overwritten.</source>
        <translation>Scalenie uzupełnia puste pola istniejącego klienta (telefon, e-mail, numer karty, urodziny) i dopisuje notatki; żadne istniejące dane nie są nadpisywane.</translation>
    </message>
    <message>
        <location filename="../../app/ui/import_wizard.py" line="766"/>
        <source>Phone numbers to check</source>
        <translation>Numery telefonów do sprawdzenia</translation>
    </message>
    <message>
        <location filename="../../app/ui/import_wizard.py" line="770"/>
        <source>Number as in the file</source>
        <translation>Numer jak w pliku</translation>
    </message>
    <message>
        <location filename="../../app/ui/import_wizard.py" line="792"/>
        <source>Create clients who are not in ClientCare yet</source>
        <translation>Utwórz klientów, których jeszcze nie ma w ClientCare</translation>
    </message>
    <message>
        <location filename="../../app/ui/import_wizard.py" line="795"/>
        <source>Otherwise the purchases of clients ClientCare does not know are skipped.</source>
        <translation>W przeciwnym razie zakupy klientów nieznanych w ClientCare zostaną pominięte.</translation>
    </message>
    <message>
        <location filename="../../app/ui/import_wizard.py" line="825"/>
        <location filename="../../app/ui/import_wizard.py" line="851"/>
        <source>Checking the rows of the file…</source>
        <translation>Sprawdzanie wierszy pliku…</translation>
    </message>
    <message>
        <location filename="../../app/ui/import_wizard.py" line="847"/>
        <source>Checking was stopped. Press Back and Next to check the file again.</source>
        <translation>Sprawdzanie zostało zatrzymane. Naciśnij Wstecz i Dalej, aby sprawdzić plik ponownie.</translation>
    </message>
    <message>
        <location filename="../../app/ui/import_wizard.py" line="878"/>
        <source>%1 (earlier in this file)</source>
        <translation>%1 (wcześniej w tym pliku)</translation>
    </message>
    <message>
        <location filename="../../app/ui/import_wizard.py" line="919"/>
        <source>These clients are imported; their numbers are not valid phone numbers of %1, so each is kept as the file gives it and marked ⚠ “check this number” in the client list and on the card.</source>
        <translation>Ci klienci zostaną zaimportowani. Ich numery nie są prawidłowymi numerami telefonów w kraju: %1, dlatego każdy zostanie zachowany w postaci z pliku i oznaczony ⚠ „sprawdź ten numer” na liście klientów i na karcie klienta.</translation>
    </message>
    <message>
        <location filename="../../app/ui/import_wizard.py" line="927"/>
        <source>Most phones of this file (%1 of %2) are not numbers of %3, but they are numbers of %4.</source>
        <translation>Większość telefonów w tym pliku (%1 z %2) to nie numery z kraju: %3, lecz numery z kraju: %4.</translation>
    </message>
    <message>
        <location filename="../../app/ui/import_wizard.py" line="931"/>
        <location filename="../../app/ui/import_wizard.py" line="938"/>
        <source>Read them as numbers of %1</source>
        <translation>Czytaj je jako numery z kraju: %1</translation>
    </message>
    <message>
        <location filename="../../app/ui/import_wizard.py" line="935"/>
        <source>Phones without a country code are read as numbers of %1 for this file.</source>
        <translation>Telefony bez numeru kierunkowego kraju są w tym pliku czytane jako numery z kraju: %1.</translation>
    </message>
    <message>
        <location filename="../../app/ui/import_wizard.py" line="960"/>
        <source>Save the report</source>
        <translation>Zapisywanie raportu</translation>
    </message>
    <message>
        <location filename="../../app/ui/import_wizard.py" line="961"/>
        <source>CSV table (*.csv)</source>
        <translation>Tabela CSV (*.csv)</translation>
    </message>
    <message>
        <location filename="../../app/ui/import_wizard.py" line="1005"/>
        <source>Imported</source>
        <translation>Zaimportowano</translation>
    </message>
    <message>
        <location filename="../../app/ui/import_wizard.py" line="1006"/>
        <source>The import is finished. The clients and purchases are in ClientCare now.</source>
        <translation>Import został zakończony. Klienci i zakupy są już w ClientCare.</translation>
    </message>
    <message>
        <location filename="../../app/ui/import_wizard.py" line="1027"/>
        <source>A backup of the database was made just before: %1</source>
        <translation>Tuż przed importem utworzono kopię zapasową bazy danych: %1</translation>
    </message>
    <message>
        <location filename="../../app/ui/import_wizard.py" line="1246"/>
        <source>Counting the clients…</source>
        <translation>Liczenie klientów…</translation>
    </message>
    <message>
        <location filename="../../app/ui/import_wizard.py" line="1269"/>
        <source>The import was stopped: nothing of it was kept, the clients and purchases are as they were before.</source>
        <translation>Import został zatrzymany: nic z niego nie zostało zachowane, klienci i zakupy są takie jak przedtem.</translation>
    </message>
    <message>
        <location filename="../../app/ui/import_wizard.py" line="1272"/>
        <source>Importing…</source>
        <translation>Importowanie…</translation>
    </message>
</context>
<context>
    <name>JobProgressDialog</name>
    <message>
        <location filename="../../app/ui/progress.py" line="24"/>
        <source>ClientCare</source>
        <extracomment>a dialog appears only for work that lasts longer than this</extracomment>
        <translation>ClientCare</translation>
    </message>
    <message>
        <location filename="../../app/ui/progress.py" line="33"/>
        <source>Stop</source>
        <translation>Zatrzymaj</translation>
    </message>
    <message>
        <location filename="../../app/ui/progress.py" line="44"/>
        <source>Stopping… nothing of this is kept.</source>
        <translation>Zatrzymywanie… nic z tego nie zostanie zapisane.</translation>
    </message>
</context>
<context>
    <name>Labels</name>
    <message>
        <location filename="../../app/ui/labels.py" line="23"/>
        <source>Person</source>
        <translation>Osoba prywatna</translation>
    </message>
    <message>
        <location filename="../../app/ui/labels.py" line="23"/>
        <source>Company</source>
        <translation>Firma</translation>
    </message>
    <message>
        <location filename="../../app/ui/labels.py" line="28"/>
        <source>Any</source>
        <translation>Dowolny</translation>
    </message>
    <message>
        <location filename="../../app/ui/labels.py" line="29"/>
        <source>Phone</source>
        <translation>Telefon</translation>
    </message>
    <message>
        <location filename="../../app/ui/labels.py" line="29"/>
        <source>SMS</source>
        <translation>SMS</translation>
    </message>
    <message>
        <location filename="../../app/ui/labels.py" line="29"/>
        <source>E-mail</source>
        <translation>E-mail</translation>
    </message>
    <message>
        <location filename="../../app/ui/labels.py" line="30"/>
        <source>In person</source>
        <translation>Osobiście</translation>
    </message>
    <message>
        <location filename="../../app/ui/labels.py" line="30"/>
        <source>Messenger</source>
        <translation>Komunikator</translation>
    </message>
    <message>
        <location filename="../../app/ui/labels.py" line="31"/>
        <source>Letter</source>
        <translation>List</translation>
    </message>
    <message>
        <location filename="../../app/ui/labels.py" line="39"/>
        <source>New</source>
        <translation>Nowy</translation>
    </message>
    <message>
        <location filename="../../app/ui/labels.py" line="39"/>
        <location filename="../../app/ui/labels.py" line="57"/>
        <source>Active</source>
        <translation>Aktywny</translation>
    </message>
    <message>
        <location filename="../../app/ui/labels.py" line="40"/>
        <source>At risk</source>
        <translation>Zagrożony</translation>
    </message>
    <message>
        <location filename="../../app/ui/labels.py" line="40"/>
        <source>Lapsed</source>
        <translation>Utracony</translation>
    </message>
    <message>
        <location filename="../../app/ui/labels.py" line="45"/>
        <source>Spouse</source>
        <translation>Małżonek</translation>
    </message>
    <message>
        <location filename="../../app/ui/labels.py" line="45"/>
        <source>Partner</source>
        <translation>Partner</translation>
    </message>
    <message>
        <location filename="../../app/ui/labels.py" line="46"/>
        <source>Child</source>
        <translation>Dziecko</translation>
    </message>
    <message>
        <location filename="../../app/ui/labels.py" line="46"/>
        <source>Parent</source>
        <translation>Rodzic</translation>
    </message>
    <message>
        <location filename="../../app/ui/labels.py" line="47"/>
        <source>Sibling</source>
        <translation>Rodzeństwo</translation>
    </message>
    <message>
        <location filename="../../app/ui/labels.py" line="47"/>
        <source>Grandchild</source>
        <translation>Wnuk</translation>
    </message>
    <message>
        <location filename="../../app/ui/labels.py" line="48"/>
        <source>Other</source>
        <translation>Inne</translation>
    </message>
    <message>
        <location filename="../../app/ui/labels.py" line="52"/>
        <source>Birthday</source>
        <translation>Urodziny</translation>
    </message>
    <message>
        <location filename="../../app/ui/labels.py" line="52"/>
        <source>Name day</source>
        <translation>Imieniny</translation>
    </message>
    <message>
        <location filename="../../app/ui/labels.py" line="53"/>
        <source>Anniversary</source>
        <translation>Rocznica</translation>
    </message>
    <message>
        <location filename="../../app/ui/labels.py" line="53"/>
        <source>Other date</source>
        <translation>Inna data</translation>
    </message>
    <message>
        <location filename="../../app/ui/labels.py" line="57"/>
        <source>Frozen</source>
        <translation>Zamrożony</translation>
    </message>
    <message>
        <location filename="../../app/ui/labels.py" line="58"/>
        <source>Expired</source>
        <translation>Wygasły</translation>
    </message>
    <message>
        <location filename="../../app/ui/labels.py" line="58"/>
        <source>Renewed</source>
        <translation>Przedłużony</translation>
    </message>
    <message>
        <location filename="../../app/ui/labels.py" line="59"/>
        <source>Cancelled</source>
        <translation>Anulowany</translation>
    </message>
    <message>
        <location filename="../../app/ui/labels.py" line="63"/>
        <source>Reached</source>
        <translation>Dodzwoniono się</translation>
    </message>
    <message>
        <location filename="../../app/ui/labels.py" line="63"/>
        <source>No answer</source>
        <translation>Brak odpowiedzi</translation>
    </message>
    <message>
        <location filename="../../app/ui/labels.py" line="64"/>
        <source>Left a message</source>
        <translation>Zostawiono wiadomość</translation>
    </message>
    <message>
        <location filename="../../app/ui/labels.py" line="65"/>
        <source>Meeting booked</source>
        <translation>Umówiono spotkanie</translation>
    </message>
    <message>
        <location filename="../../app/ui/labels.py" line="66"/>
        <source>Complaint found</source>
        <translation>Zgłoszono reklamację</translation>
    </message>
    <message>
        <location filename="../../app/ui/labels.py" line="66"/>
        <source>Declined</source>
        <translation>Odmowa</translation>
    </message>
    <message>
        <location filename="../../app/ui/labels.py" line="67"/>
        <source>Wrong number</source>
        <translation>Błędny numer</translation>
    </message>
    <message>
        <location filename="../../app/ui/labels.py" line="68"/>
        <source>Call back later</source>
        <translation>Oddzwonić później</translation>
    </message>
    <message>
        <location filename="../../app/ui/labels.py" line="74"/>
        <source>Positive</source>
        <translation>Pozytywny</translation>
    </message>
    <message>
        <location filename="../../app/ui/labels.py" line="74"/>
        <source>Neutral</source>
        <translation>Neutralny</translation>
    </message>
    <message>
        <location filename="../../app/ui/labels.py" line="75"/>
        <source>Negative</source>
        <translation>Negatywny</translation>
    </message>
    <message>
        <location filename="../../app/ui/labels.py" line="79"/>
        <source>Follow-up after purchase</source>
        <translation>Połączenie po zakupie</translation>
    </message>
    <message>
        <location filename="../../app/ui/labels.py" line="80"/>
        <source>Onboarding check-in</source>
        <translation>Kontakt z nowym klientem</translation>
    </message>
    <message>
        <location filename="../../app/ui/labels.py" line="80"/>
        <source>Renewal</source>
        <translation>Przedłużenie</translation>
    </message>
    <message>
        <location filename="../../app/ui/labels.py" line="81"/>
        <source>Personal date</source>
        <translation>Data osobista</translation>
    </message>
    <message>
        <location filename="../../app/ui/labels.py" line="81"/>
        <source>Gift reminder</source>
        <translation>Przypomnienie o prezencie</translation>
    </message>
    <message>
        <location filename="../../app/ui/labels.py" line="82"/>
        <source>Complaint call-back</source>
        <translation>Oddzwonienie w sprawie reklamacji</translation>
    </message>
    <message>
        <location filename="../../app/ui/labels.py" line="83"/>
        <source>Complaint review</source>
        <translation>Przegląd reklamacji</translation>
    </message>
    <message>
        <location filename="../../app/ui/labels.py" line="84"/>
        <source>Win-back</source>
        <translation>Odzyskanie klienta</translation>
    </message>
    <message>
        <location filename="../../app/ui/labels.py" line="84"/>
        <source>Keep in touch</source>
        <translation>Podtrzymanie kontaktu</translation>
    </message>
    <message>
        <location filename="../../app/ui/labels.py" line="85"/>
        <source>Quarterly A/B/C review</source>
        <translation>Kwartalny przegląd grup A/B/C</translation>
    </message>
    <message>
        <location filename="../../app/ui/labels.py" line="86"/>
        <source>Manual</source>
        <translation>Ręczne</translation>
    </message>
    <message>
        <location filename="../../app/ui/labels.py" line="93"/>
        <source>moved: not a working day</source>
        <translation>przeniesione: dzień wolny</translation>
    </message>
    <message>
        <location filename="../../app/ui/labels.py" line="94"/>
        <source>moved: contacted today</source>
        <translation>przeniesione: dziś już był kontakt</translation>
    </message>
    <message>
        <location filename="../../app/ui/labels.py" line="95"/>
        <source>moved: contact limit reached</source>
        <translation>przeniesione: limit kontaktów</translation>
    </message>
    <message>
        <location filename="../../app/ui/labels.py" line="96"/>
        <source>moved: the client&apos;s preferred days</source>
        <translation>przeniesione: dni wybrane przez klienta</translation>
    </message>
    <message>
        <location filename="../../app/ui/labels.py" line="97"/>
        <source>moved: no answer</source>
        <translation>przeniesione: brak odpowiedzi</translation>
    </message>
    <message>
        <location filename="../../app/ui/labels.py" line="98"/>
        <source>the client asked to call back</source>
        <translation>klient prosił, żeby oddzwonić</translation>
    </message>
    <message>
        <location filename="../../app/ui/labels.py" line="99"/>
        <source>snoozed</source>
        <translation>odłożone</translation>
    </message>
    <message>
        <location filename="../../app/ui/labels.py" line="100"/>
        <source>rescheduled</source>
        <translation>przełożone</translation>
    </message>
    <message>
        <location filename="../../app/ui/labels.py" line="107"/>
        <source>Walked in</source>
        <translation>Przyszedł sam</translation>
    </message>
    <message>
        <location filename="../../app/ui/labels.py" line="107"/>
        <source>Referral</source>
        <translation>Z polecenia</translation>
    </message>
    <message>
        <location filename="../../app/ui/labels.py" line="109"/>
        <source>Website</source>
        <translation>Strona internetowa</translation>
    </message>
    <message>
        <location filename="../../app/ui/labels.py" line="109"/>
        <source>Flyer</source>
        <translation>Ulotka</translation>
    </message>
    <message>
        <location filename="../../app/ui/labels.py" line="110"/>
        <source>Phone book</source>
        <translation>Książka telefoniczna</translation>
    </message>
    <message>
        <location filename="../../app/ui/labels.py" line="117"/>
        <source>Too expensive</source>
        <translation>Za drogo</translation>
    </message>
    <message>
        <location filename="../../app/ui/labels.py" line="117"/>
        <source>No time</source>
        <translation>Brak czasu</translation>
    </message>
    <message>
        <location filename="../../app/ui/labels.py" line="118"/>
        <source>Moved away</source>
        <translation>Wyprowadził się</translation>
    </message>
    <message>
        <location filename="../../app/ui/labels.py" line="119"/>
        <source>Went to a competitor</source>
        <translation>Przeszedł do konkurencji</translation>
    </message>
    <message>
        <location filename="../../app/ui/labels.py" line="120"/>
        <source>Not satisfied</source>
        <translation>Niezadowolony</translation>
    </message>
    <message>
        <location filename="../../app/ui/labels.py" line="120"/>
        <source>Health</source>
        <translation>Zdrowie</translation>
    </message>
    <message>
        <location filename="../../app/ui/labels.py" line="121"/>
        <source>Other reason</source>
        <translation>Inny powód</translation>
    </message>
    <message>
        <location filename="../../app/ui/labels.py" line="128"/>
        <source>Refund</source>
        <translation>Zwrot pieniędzy</translation>
    </message>
</context>
<context>
    <name>MainWindow</name>
    <message>
        <location filename="../../app/ui/main_window.py" line="119"/>
        <source>ClientCare — %1</source>
        <extracomment>where the window keeps its size, place and bars (QSettings)</extracomment>
        <translation>ClientCare — %1</translation>
    </message>
    <message>
        <location filename="../../app/ui/main_window.py" line="121"/>
        <source>(read-only)</source>
        <translation>(tylko do odczytu)</translation>
    </message>
    <message>
        <location filename="../../app/ui/main_window.py" line="148"/>
        <source>Clients</source>
        <extracomment>set when the database was found damaged and not restored: no exit backup</extracomment>
        <translation>Klienci</translation>
    </message>
    <message>
        <location filename="../../app/ui/main_window.py" line="149"/>
        <source>Today</source>
        <translation>Dziś</translation>
    </message>
    <message>
        <location filename="../../app/ui/main_window.py" line="150"/>
        <source>Calendar</source>
        <translation>Kalendarz</translation>
    </message>
    <message>
        <location filename="../../app/ui/main_window.py" line="151"/>
        <source>Complaints</source>
        <translation>Reklamacje</translation>
    </message>
    <message>
        <location filename="../../app/ui/main_window.py" line="152"/>
        <source>Charts</source>
        <translation>Wykresy</translation>
    </message>
    <message>
        <location filename="../../app/ui/main_window.py" line="153"/>
        <source>Settings</source>
        <translation>Ustawienia</translation>
    </message>
    <message>
        <location filename="../../app/ui/main_window.py" line="159"/>
        <source>%1 (Ctrl+%2)</source>
        <translation>%1 (Ctrl+%2)</translation>
    </message>
    <message>
        <location filename="../../app/ui/main_window.py" line="192"/>
        <source>Read-only: %1</source>
        <translation>Tylko do odczytu: %1</translation>
    </message>
    <message>
        <location filename="../../app/ui/main_window.py" line="243"/>
        <source>Signed in: %1 (%2)</source>
        <translation>Zalogowano: %1 (%2)</translation>
    </message>
    <message>
        <location filename="../../app/ui/main_window.py" line="246"/>
        <source>The charts are for managers and the owner.</source>
        <translation>Wykresy są dla kierowników i właściciela.</translation>
    </message>
    <message>
        <location filename="../../app/ui/main_window.py" line="248"/>
        <source>The settings are the owner&apos;s.</source>
        <translation>Ustawienia zmienia właściciel.</translation>
    </message>
    <message>
        <location filename="../../app/ui/main_window.py" line="341"/>
        <source>the file is read-only</source>
        <translation>plik jest tylko do odczytu</translation>
    </message>
    <message>
        <location filename="../../app/ui/main_window.py" line="342"/>
        <source>its folder is read-only</source>
        <translation>jej folder jest tylko do odczytu</translation>
    </message>
    <message>
        <location filename="../../app/ui/main_window.py" line="343"/>
        <source>as asked at start</source>
        <translation>na życzenie przy uruchomieniu</translation>
    </message>
    <message>
        <location filename="../../app/ui/main_window.py" line="344"/>
        <source>Nothing can be saved: this database is open read-only (%1). You can look and search; no backup is made. To work on it, copy the file to a folder you can write to and open the copy.</source>
        <translation>Niczego nie można zapisać: ta baza danych jest otwarta tylko do odczytu (%1). Możesz przeglądać i wyszukiwać; kopia zapasowa nie jest tworzona. Aby na niej pracować, skopiuj plik do folderu, w którym możesz zapisywać, i otwórz kopię.</translation>
    </message>
    <message>
        <location filename="../../app/ui/main_window.py" line="349"/>
        <source>&amp;File</source>
        <translation>&amp;Plik</translation>
    </message>
    <message>
        <location filename="../../app/ui/main_window.py" line="350"/>
        <source>&amp;Back up now</source>
        <translation>&amp;Wykonaj kopię zapasową teraz</translation>
    </message>
    <message>
        <location filename="../../app/ui/main_window.py" line="352"/>
        <source>&amp;Check the database…</source>
        <translation>&amp;Sprawdź bazę danych…</translation>
    </message>
    <message>
        <location filename="../../app/ui/main_window.py" line="354"/>
        <source>&amp;Import…</source>
        <translation>&amp;Importuj…</translation>
    </message>
    <message>
        <location filename="../../app/ui/main_window.py" line="357"/>
        <source>&amp;Export…</source>
        <translation>&amp;Eksportuj…</translation>
    </message>
    <message>
        <location filename="../../app/ui/main_window.py" line="361"/>
        <source>Change my &amp;password…</source>
        <translation>Zmień moje &amp;hasło…</translation>
    </message>
    <message>
        <location filename="../../app/ui/main_window.py" line="366"/>
        <source>&amp;Quit</source>
        <translation>&amp;Zakończ</translation>
    </message>
    <message>
        <location filename="../../app/ui/main_window.py" line="369"/>
        <source>&amp;Clients</source>
        <translation>&amp;Klienci</translation>
    </message>
    <message>
        <location filename="../../app/ui/main_window.py" line="370"/>
        <source>&amp;New client</source>
        <translation>&amp;Nowy klient</translation>
    </message>
    <message>
        <location filename="../../app/ui/main_window.py" line="374"/>
        <source>&amp;Help</source>
        <translation>Pomo&amp;c</translation>
    </message>
    <message>
        <location filename="../../app/ui/main_window.py" line="375"/>
        <source>Check for &amp;updates…</source>
        <translation>Sprawdź &amp;aktualizacje…</translation>
    </message>
    <message>
        <location filename="../../app/ui/main_window.py" line="378"/>
        <source>&amp;About ClientCare</source>
        <translation>&amp;O programie ClientCare</translation>
    </message>
    <message>
        <location filename="../../app/ui/main_window.py" line="420"/>
        <source>Backed up to %1</source>
        <translation>Utworzono kopię zapasową: %1</translation>
    </message>
    <message>
        <location filename="../../app/ui/main_window.py" line="453"/>
        <location filename="../../app/ui/main_window.py" line="489"/>
        <source>Backing up before closing…</source>
        <translation>Tworzenie kopii zapasowej przed zamknięciem…</translation>
    </message>
    <message>
        <location filename="../../app/ui/main_window.py" line="455"/>
        <source>ClientCare</source>
        <translation>ClientCare</translation>
    </message>
</context>
<context>
    <name>ManualTaskDialog</name>
    <message>
        <location filename="../../app/ui/today_page.py" line="1347"/>
        <source>New task</source>
        <translation>Nowe zadanie</translation>
    </message>
    <message>
        <location filename="../../app/ui/today_page.py" line="1352"/>
        <source>Type a name to pick the client</source>
        <translation>Wpisz nazwę, aby wybrać klienta</translation>
    </message>
    <message>
        <location filename="../../app/ui/today_page.py" line="1357"/>
        <source>What the call is about</source>
        <translation>Czego dotyczy połączenie</translation>
    </message>
    <message>
        <location filename="../../app/ui/today_page.py" line="1360"/>
        <source>Client</source>
        <translation>Klient</translation>
    </message>
    <message>
        <location filename="../../app/ui/today_page.py" line="1361"/>
        <source>Day</source>
        <translation>Dzień</translation>
    </message>
    <message>
        <location filename="../../app/ui/today_page.py" line="1362"/>
        <source>About</source>
        <translation>Temat</translation>
    </message>
    <message>
        <location filename="../../app/ui/today_page.py" line="1376"/>
        <source>Pick the client from the suggestions.</source>
        <translation>Wybierz klienta z podpowiedzi.</translation>
    </message>
    <message>
        <location filename="../../app/ui/today_page.py" line="1379"/>
        <source>Say what the call is about.</source>
        <translation>Napisz, czego dotyczy połączenie.</translation>
    </message>
</context>
<context>
    <name>MembershipDialog</name>
    <message>
        <location filename="../../app/ui/card_dialogs.py" line="193"/>
        <source>Membership</source>
        <translation>Karnet</translation>
    </message>
    <message>
        <location filename="../../app/ui/card_dialogs.py" line="196"/>
        <source>Plan</source>
        <translation>Pakiet</translation>
    </message>
    <message>
        <location filename="../../app/ui/card_dialogs.py" line="198"/>
        <source>Starts</source>
        <translation>Początek</translation>
    </message>
    <message>
        <location filename="../../app/ui/card_dialogs.py" line="200"/>
        <source>Ends</source>
        <translation>Koniec</translation>
    </message>
    <message>
        <location filename="../../app/ui/card_dialogs.py" line="206"/>
        <source>Status</source>
        <translation>Status</translation>
    </message>
    <message>
        <location filename="../../app/ui/card_dialogs.py" line="207"/>
        <source>Frozen from</source>
        <translation>Zamrożony od</translation>
    </message>
    <message>
        <location filename="../../app/ui/card_dialogs.py" line="209"/>
        <source>Frozen until</source>
        <translation>Zamrożony do</translation>
    </message>
    <message>
        <location filename="../../app/ui/card_dialogs.py" line="211"/>
        <source>Price</source>
        <translation>Cena</translation>
    </message>
    <message>
        <location filename="../../app/ui/card_dialogs.py" line="213"/>
        <source>Bought on a promotion</source>
        <translation>Kupiony w promocji</translation>
    </message>
    <message>
        <location filename="../../app/ui/card_dialogs.py" line="215"/>
        <source>Has a discount</source>
        <translation>Z rabatem</translation>
    </message>
    <message>
        <location filename="../../app/ui/card_dialogs.py" line="217"/>
        <source>Marks</source>
        <translation>Oznaczenia</translation>
    </message>
    <message>
        <location filename="../../app/ui/card_dialogs.py" line="219"/>
        <source>Special conditions</source>
        <translation>Warunki specjalne</translation>
    </message>
    <message>
        <location filename="../../app/ui/card_dialogs.py" line="221"/>
        <source>Note</source>
        <translation>Notatka</translation>
    </message>
</context>
<context>
    <name>MergeDialog</name>
    <message>
        <location filename="../../app/ui/data_dialogs.py" line="469"/>
        <source>Merge two clients</source>
        <translation>Scalanie dwóch klientów</translation>
    </message>
    <message>
        <location filename="../../app/ui/data_dialogs.py" line="473"/>
        <source>Keep which one?</source>
        <translation>Który rekord zachować?</translation>
    </message>
    <message>
        <location filename="../../app/ui/data_dialogs.py" line="483"/>
        <source>Purchases, memberships, calls, family, dates, complaints and tasks of the other client move to the one you keep; its empty fields take the other&apos;s values, and the other record is removed.</source>
        <translation>Zakupy, karnety, połączenia, rodzina, daty, reklamacje i zadania drugiego klienta zostaną przeniesione do zachowanego rekordu; jego puste pola zostaną uzupełnione wartościami z drugiego rekordu, a drugi rekord zostanie usunięty.</translation>
    </message>
</context>
<context>
    <name>MessageDialog</name>
    <message numerus="yes">
        <location filename="../../app/ui/message_dialog.py" line="71"/>
        <source>%Ln character(s)</source>
        <translation>
            <numerusform>%Ln znak</numerusform>
            <numerusform>%Ln znaki</numerusform>
            <numerusform>%Ln znaków</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <location filename="../../app/ui/message_dialog.py" line="72"/>
        <source>%Ln message(s)</source>
        <translation>
            <numerusform>%Ln wiadomość</numerusform>
            <numerusform>%Ln wiadomości</numerusform>
            <numerusform>%Ln wiadomości</numerusform>
        </translation>
    </message>
    <message>
        <location filename="../../app/ui/message_dialog.py" line="105"/>
        <source>Send a message</source>
        <translation>Wyślij wiadomość</translation>
    </message>
    <message>
        <location filename="../../app/ui/message_dialog.py" line="145"/>
        <source>Client</source>
        <translation>Klient</translation>
    </message>
    <message>
        <location filename="../../app/ui/message_dialog.py" line="146"/>
        <source>Send by</source>
        <translation>Wyślij przez</translation>
    </message>
    <message>
        <location filename="../../app/ui/message_dialog.py" line="147"/>
        <source>To</source>
        <translation>Do</translation>
    </message>
    <message>
        <location filename="../../app/ui/message_dialog.py" line="148"/>
        <source>Message</source>
        <translation>Wiadomość</translation>
    </message>
    <message>
        <location filename="../../app/ui/message_dialog.py" line="149"/>
        <source>Language</source>
        <translation>Język</translation>
    </message>
    <message>
        <location filename="../../app/ui/message_dialog.py" line="150"/>
        <source>Subject</source>
        <translation>Temat</translation>
    </message>
    <message>
        <location filename="../../app/ui/message_dialog.py" line="152"/>
        <source>Text</source>
        <translation>Treść</translation>
    </message>
    <message>
        <location filename="../../app/ui/message_dialog.py" line="155"/>
        <source>Send</source>
        <translation>Wyślij</translation>
    </message>
    <message>
        <location filename="../../app/ui/message_dialog.py" line="213"/>
        <source>(no address)</source>
        <translation>(brak adresu)</translation>
    </message>
    <message>
        <location filename="../../app/ui/message_dialog.py" line="219"/>
        <source>Send asks you to confirm.</source>
        <translation>Przed wysłaniem padnie pytanie o potwierdzenie.</translation>
    </message>
    <message>
        <location filename="../../app/ui/message_dialog.py" line="235"/>
        <source>Outside the client&apos;s hours</source>
        <translation>Poza godzinami klienta</translation>
    </message>
    <message>
        <location filename="../../app/ui/message_dialog.py" line="236"/>
        <source>Send the SMS now anyway?</source>
        <translation>Wysłać SMS mimo to teraz?</translation>
    </message>
    <message>
        <location filename="../../app/ui/message_dialog.py" line="247"/>
        <source>Sending the message</source>
        <translation>Wysyłanie wiadomości</translation>
    </message>
    <message>
        <location filename="../../app/ui/message_dialog.py" line="256"/>
        <source>Sending the message again</source>
        <translation>Ponowne wysyłanie wiadomości</translation>
    </message>
    <message>
        <location filename="../../app/ui/message_dialog.py" line="281"/>
        <source>Try again</source>
        <translation>Spróbuj ponownie</translation>
    </message>
    <message>
        <location filename="../../app/ui/message_dialog.py" line="283"/>
        <source>The message is kept as not sent: try again now, or later from the client&apos;s card.</source>
        <translation>Wiadomość zostaje zapisana jako niewysłana: spróbuj ponownie teraz albo później z karty klienta.</translation>
    </message>
    <message numerus="yes">
        <location filename="../../app/ui/message_dialog.py" line="402"/>
        <source>%n message(s) sent.</source>
        <translation>
            <numerusform>Wysłano %n wiadomość.</numerusform>
            <numerusform>Wysłano %n wiadomości.</numerusform>
            <numerusform>Wysłano %n wiadomości.</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <location filename="../../app/ui/message_dialog.py" line="404"/>
        <source>%n not sent: kept on the client&apos;s card to send again.</source>
        <translation>
            <numerusform>%n niewysłana: zostaje na karcie klienta do ponownej wysyłki.</numerusform>
            <numerusform>%n niewysłane: zostają na karcie klienta do ponownej wysyłki.</numerusform>
            <numerusform>%n niewysłanych: zostają na karcie klienta do ponownej wysyłki.</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <location filename="../../app/ui/message_dialog.py" line="407"/>
        <source>%n refused.</source>
        <translation>
            <numerusform>%n odrzucona.</numerusform>
            <numerusform>%n odrzucone.</numerusform>
            <numerusform>%n odrzuconych.</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>Messages</name>
    <message>
        <location filename="../../app/ui/messages.py" line="13"/>
        <source>Please enter a name.</source>
        <translation>Wpisz imię lub nazwę.</translation>
    </message>
    <message>
        <location filename="../../app/ui/messages.py" line="14"/>
        <source>This is too long (at most {maximum} characters).</source>
        <translation>Ten tekst jest za długi (maksymalnie {maximum} znaków).</translation>
    </message>
    <message>
        <location filename="../../app/ui/messages.py" line="15"/>
        <source>“{value}” is not a valid phone number.</source>
        <translation>„{value}” nie jest prawidłowym numerem telefonu.</translation>
    </message>
    <message>
        <location filename="../../app/ui/messages.py" line="16"/>
        <source>“{value}” is not a valid e-mail address.</source>
        <translation>„{value}” nie jest prawidłowym adresem e-mail.</translation>
    </message>
    <message>
        <location filename="../../app/ui/messages.py" line="17"/>
        <source>Please enter an amount.</source>
        <translation>Podaj kwotę.</translation>
    </message>
    <message>
        <location filename="../../app/ui/messages.py" line="18"/>
        <source>“{value}” is not an amount.</source>
        <translation>„{value}” nie jest kwotą.</translation>
    </message>
    <message>
        <location filename="../../app/ui/messages.py" line="19"/>
        <source>The amount cannot be negative.</source>
        <translation>Kwota nie może być ujemna.</translation>
    </message>
    <message>
        <location filename="../../app/ui/messages.py" line="20"/>
        <source>Use at most two decimal places.</source>
        <translation>Użyj najwyżej dwóch miejsc po przecinku.</translation>
    </message>
    <message>
        <location filename="../../app/ui/messages.py" line="21"/>
        <source>The amount is too large.</source>
        <translation>Kwota jest zbyt duża.</translation>
    </message>
    <message>
        <location filename="../../app/ui/messages.py" line="22"/>
        <source>The quantity must be more than zero.</source>
        <translation>Ilość musi być większa od zera.</translation>
    </message>
    <message>
        <location filename="../../app/ui/messages.py" line="23"/>
        <source>Please enter a date.</source>
        <translation>Podaj datę.</translation>
    </message>
    <message>
        <location filename="../../app/ui/messages.py" line="24"/>
        <source>A purchase cannot be dated in the future.</source>
        <translation>Data zakupu nie może przypadać w przyszłości.</translation>
    </message>
    <message>
        <location filename="../../app/ui/messages.py" line="25"/>
        <source>This is not a valid date.</source>
        <translation>To nie jest prawidłowa data.</translation>
    </message>
    <message>
        <location filename="../../app/ui/messages.py" line="26"/>
        <source>This date is after today; confirm it to save the purchase.</source>
        <translation>Ta data jest późniejsza niż dziś; potwierdź ją, aby zapisać zakup.</translation>
    </message>
    <message>
        <location filename="../../app/ui/messages.py" line="27"/>
        <source>The freeze must start while the membership runs.</source>
        <translation>Zamrożenie musi się zacząć, gdy karnet jest ważny.</translation>
    </message>
    <message>
        <location filename="../../app/ui/messages.py" line="28"/>
        <source>This line is the price of the membership “{plan}”: change it on the Memberships tab.</source>
        <translation>Ta pozycja to cena karnetu „{plan}”: zmień ją na karcie Karnety.</translation>
    </message>
    <message>
        <location filename="../../app/ui/messages.py" line="29"/>
        <source>Write the year with four digits.</source>
        <translation>Wpisz rok czterema cyframi.</translation>
    </message>
    <message>
        <location filename="../../app/ui/messages.py" line="30"/>
        <source>Choose {minimum} or a later day.</source>
        <translation>Wybierz {minimum} lub późniejszy dzień.</translation>
    </message>
    <message>
        <location filename="../../app/ui/messages.py" line="31"/>
        <source>The year cannot be in the future.</source>
        <translation>Rok nie może być w przyszłości.</translation>
    </message>
    <message>
        <location filename="../../app/ui/messages.py" line="32"/>
        <source>Read as {value}. If that is right, confirm again.</source>
        <translation>Odczytano jako {value}. Jeśli to się zgadza, potwierdź jeszcze raz.</translation>
    </message>
    <message>
        <location filename="../../app/ui/messages.py" line="33"/>
        <source>The year must be between 1900 and 2100.</source>
        <translation>Rok musi mieścić się w przedziale 1900–2100.</translation>
    </message>
    <message>
        <location filename="../../app/ui/messages.py" line="34"/>
        <source>The relative of this date was removed.</source>
        <translation>Członek rodziny, do którego należy ta data, został usunięty.</translation>
    </message>
    <message>
        <location filename="../../app/ui/messages.py" line="35"/>
        <source>Gift reminder days must be between 0 and 60.</source>
        <translation>Liczba dni przypomnienia o prezencie musi wynosić od 0 do 60.</translation>
    </message>
    <message>
        <location filename="../../app/ui/messages.py" line="36"/>
        <source>Give both the start and the end of the hours.</source>
        <translation>Podaj początek i koniec przedziału godzin.</translation>
    </message>
    <message>
        <location filename="../../app/ui/messages.py" line="37"/>
        <source>The hours must start before they end.</source>
        <translation>Początek przedziału godzin musi być wcześniejszy niż koniec.</translation>
    </message>
    <message>
        <location filename="../../app/ui/messages.py" line="38"/>
        <source>Give the date the client gave consent.</source>
        <translation>Podaj datę wyrażenia zgody przez klienta.</translation>
    </message>
    <message>
        <location filename="../../app/ui/messages.py" line="39"/>
        <source>Consent cannot be given after today.</source>
        <translation>Zgoda nie może być udzielona po dniu dzisiejszym.</translation>
    </message>
    <message>
        <location filename="../../app/ui/messages.py" line="40"/>
        <source>Say where the consent comes from, e.g. signed forms at the reception.</source>
        <translation>Podaj, skąd pochodzi zgoda, np. podpisane formularze w recepcji.</translation>
    </message>
    <message>
        <location filename="../../app/ui/messages.py" line="41"/>
        <source>Consent for a whole file can be recorded for a file of clients only.</source>
        <translation>Zgodę dla całego pliku można zapisać tylko dla pliku z klientami.</translation>
    </message>
    <message>
        <location filename="../../app/ui/messages.py" line="42"/>
        <source>A client cannot refer themselves.</source>
        <translation>Klient nie może polecić sam siebie.</translation>
    </message>
    <message>
        <location filename="../../app/ui/messages.py" line="43"/>
        <source>The referring client no longer exists.</source>
        <translation>Klient polecający już nie istnieje.</translation>
    </message>
    <message>
        <location filename="../../app/ui/messages.py" line="44"/>
        <source>The number “{value}” already belongs to another client.</source>
        <translation>Numer „{value}” należy już do innego klienta.</translation>
    </message>
    <message>
        <location filename="../../app/ui/messages.py" line="45"/>
        <source>Please enter the plan&apos;s name.</source>
        <translation>Podaj nazwę pakietu.</translation>
    </message>
    <message>
        <location filename="../../app/ui/messages.py" line="46"/>
        <source>The membership ends before it starts.</source>
        <translation>Karnet kończy się przed datą rozpoczęcia.</translation>
    </message>
    <message>
        <location filename="../../app/ui/messages.py" line="47"/>
        <source>Give both the first and the last frozen day.</source>
        <translation>Podaj pierwszy i ostatni dzień zamrożenia.</translation>
    </message>
    <message>
        <location filename="../../app/ui/messages.py" line="48"/>
        <source>The freeze ends before it starts.</source>
        <translation>Zamrożenie kończy się przed datą rozpoczęcia.</translation>
    </message>
    <message>
        <location filename="../../app/ui/messages.py" line="49"/>
        <source>A frozen membership needs its frozen days.</source>
        <translation>Dla zamrożonego karnetu podaj dni zamrożenia.</translation>
    </message>
    <message>
        <location filename="../../app/ui/messages.py" line="50"/>
        <source>This value has the wrong form.</source>
        <translation>Ta wartość ma nieprawidłowy format.</translation>
    </message>
    <message>
        <location filename="../../app/ui/messages.py" line="51"/>
        <source>The value must be at least {minimum}.</source>
        <translation>Wartość musi wynosić co najmniej {minimum}.</translation>
    </message>
    <message>
        <location filename="../../app/ui/messages.py" line="52"/>
        <source>The value must be at most {maximum}.</source>
        <translation>Wartość może wynosić najwyżej {maximum}.</translation>
    </message>
    <message>
        <location filename="../../app/ui/messages.py" line="53"/>
        <source>A currency is a three-letter code such as PLN or EUR.</source>
        <translation>Waluta to trzyliterowy kod, np. PLN lub EUR.</translation>
    </message>
    <message>
        <location filename="../../app/ui/messages.py" line="54"/>
        <source>This client no longer exists.</source>
        <translation>Ten klient już nie istnieje.</translation>
    </message>
    <message>
        <location filename="../../app/ui/messages.py" line="57"/>
        <source>The file “{path}” cannot be written: {detail}</source>
        <translation>Nie można zapisać pliku „{path}”: {detail}</translation>
    </message>
    <message>
        <location filename="../../app/ui/messages.py" line="59"/>
        <source>“{path}” is a folder, not a database file.</source>
        <translation>„{path}” to folder, a nie plik bazy danych.</translation>
    </message>
    <message>
        <location filename="../../app/ui/messages.py" line="60"/>
        <source>ClientCare may not read “{path}”. Check the file&apos;s permissions.</source>
        <translation>ClientCare nie ma uprawnień do odczytu „{path}”. Sprawdź uprawnienia pliku.</translation>
    </message>
    <message>
        <location filename="../../app/ui/messages.py" line="61"/>
        <source>The database “{path}” cannot be read or written: {detail}</source>
        <translation>Nie można odczytać ani zapisać bazy danych „{path}”: {detail}</translation>
    </message>
    <message>
        <location filename="../../app/ui/messages.py" line="62"/>
        <source>“{path}” is not a ClientCare database. Nothing was changed in it.</source>
        <translation>„{path}” nie jest bazą danych ClientCare. Niczego w nim nie zmieniono.</translation>
    </message>
    <message>
        <location filename="../../app/ui/messages.py" line="63"/>
        <source>“{path}” is a database of another program. Nothing was changed in it.</source>
        <translation>„{path}” to baza danych innego programu. Niczego w niej nie zmieniono.</translation>
    </message>
    <message>
        <location filename="../../app/ui/messages.py" line="65"/>
        <source>The database “{path}” is damaged and was not opened. Nothing was changed in it. Restore a backup or contact support. ({detail})</source>
        <translation>Baza danych „{path}” jest uszkodzona i nie została otwarta. Niczego w niej nie zmieniono. Przywróć kopię zapasową lub skontaktuj się z pomocą techniczną. ({detail})</translation>
    </message>
    <message>
        <location filename="../../app/ui/messages.py" line="68"/>
        <source>“{path}” was saved by a newer version of ClientCare. Please install the newer version to open it.</source>
        <translation>Plik „{path}” został zapisany przez nowszą wersję ClientCare. Zainstaluj nowszą wersję, aby go otworzyć.</translation>
    </message>
    <message>
        <location filename="../../app/ui/messages.py" line="70"/>
        <source>The database “{path}” is in use by another program. Close it and try again.</source>
        <translation>Baza danych „{path}” jest używana przez inny program. Zamknij go i spróbuj ponownie.</translation>
    </message>
    <message>
        <location filename="../../app/ui/messages.py" line="72"/>
        <source>The database “{path}” cannot be written (read-only folder or file). Nothing was changed.</source>
        <translation>Nie można zapisać bazy danych „{path}” (folder lub plik tylko do odczytu). Niczego nie zmieniono.</translation>
    </message>
    <message>
        <location filename="../../app/ui/messages.py" line="74"/>
        <source>The folder “{path}” cannot be created: {detail}</source>
        <translation>Nie można utworzyć folderu „{path}”: {detail}</translation>
    </message>
    <message>
        <location filename="../../app/ui/messages.py" line="75"/>
        <source>The database “{path}” cannot be opened: its folder may be read-only or its drive disconnected. Nothing was changed. Choose another folder for the database or reconnect the drive.</source>
        <translation>Nie można otworzyć bazy danych „{path}”: jej folder może być tylko do odczytu albo dysk odłączony. Nic nie zostało zmienione. Wybierz inny folder na bazę danych lub podłącz dysk ponownie.</translation>
    </message>
    <message>
        <location filename="../../app/ui/messages.py" line="76"/>
        <source>The database “{path}” was left in the middle of a save by a program that stopped. Open it in ClientCare, which finishes the recovery, then check it again. Nothing was changed.</source>
        <translation>Baza danych „{path}” została pozostawiona w trakcie zapisu przez program, który przestał działać. Otwórz ją w ClientCare, który dokończy odzyskiwanie, a potem sprawdź ją ponownie. Nic nie zostało zmienione.</translation>
    </message>
    <message>
        <location filename="../../app/ui/messages.py" line="77"/>
        <source>This database is open read-only: nothing was saved.</source>
        <translation>Ta baza danych jest otwarta tylko do odczytu: niczego nie zapisano.</translation>
    </message>
    <message>
        <location filename="../../app/ui/messages.py" line="78"/>
        <source>The database is being put back from a backup. Wait until that is done, then try again; nothing was saved.</source>
        <translation>Baza danych jest właśnie przywracana z kopii zapasowej. Poczekaj, aż to się skończy, i spróbuj ponownie; niczego nie zapisano.</translation>
    </message>
    <message>
        <location filename="../../app/ui/messages.py" line="79"/>
        <source>“{path}” was saved by an older version of ClientCare and must be updated before it can be opened. An update writes to the file, which cannot be done read-only. Copy it to a folder you can write to and open the copy. Nothing was changed.</source>
        <translation>Plik „{path}” został zapisany przez starszą wersję ClientCare i przed otwarciem musi zostać zaktualizowany. Aktualizacja zapisuje w pliku, czego nie da się zrobić w trybie tylko do odczytu. Skopiuj go do folderu, w którym możesz zapisywać, i otwórz kopię. Niczego nie zmieniono.</translation>
    </message>
    <message>
        <location filename="../../app/ui/messages.py" line="80"/>
        <source>“{path}” still holds data that was erased at a person&apos;s request (it is an older copy of the database). It cannot be opened read-only, because the erasure cannot be applied again without writing. Copy it to a folder you can write to and open the copy: the erasure is then applied again. Nothing was changed.</source>
        <translation>Plik „{path}” nadal zawiera dane usunięte na prośbę osoby (to starsza kopia bazy danych). Nie można go otworzyć tylko do odczytu, ponieważ ponowne usunięcie tych danych wymaga zapisu. Skopiuj go do folderu, w którym możesz zapisywać, i otwórz kopię: dane zostaną wtedy ponownie usunięte. Niczego nie zmieniono.</translation>
    </message>
    <message>
        <location filename="../../app/ui/messages.py" line="81"/>
        <source>“{path}” already exists; choose another name. Nothing was replaced.</source>
        <translation>Plik „{path}” już istnieje; wybierz inną nazwę. Niczego nie zastąpiono.</translation>
    </message>
    <message>
        <location filename="../../app/ui/messages.py" line="82"/>
        <source>The database could not be copied to “{path}”: {detail}. Nothing was changed.</source>
        <translation>Nie udało się skopiować bazy danych do „{path}”: {detail}. Niczego nie zmieniono.</translation>
    </message>
    <message>
        <location filename="../../app/ui/messages.py" line="83"/>
        <source>The database “{path}” does not exist.</source>
        <translation>Baza danych „{path}” nie istnieje.</translation>
    </message>
    <message>
        <location filename="../../app/ui/messages.py" line="84"/>
        <source>The database is busy in another program; your change was not saved. Please try again in a moment.</source>
        <translation>Baza danych jest zajęta przez inny program; zmiana nie została zapisana. Spróbuj ponownie za chwilę.</translation>
    </message>
    <message>
        <location filename="../../app/ui/messages.py" line="86"/>
        <source>The database cannot be written (read-only). Your change was not saved.</source>
        <translation>Nie można zapisywać w bazie danych (tylko do odczytu). Zmiana nie została zapisana.</translation>
    </message>
    <message>
        <location filename="../../app/ui/messages.py" line="88"/>
        <source>The disk is full; your change was not saved. Free some space and try again.</source>
        <translation>Dysk jest pełny; zmiana nie została zapisana. Zwolnij trochę miejsca i spróbuj ponownie.</translation>
    </message>
    <message>
        <location filename="../../app/ui/messages.py" line="90"/>
        <source>Please enter the person&apos;s name.</source>
        <translation>Wpisz imię i nazwisko osoby.</translation>
    </message>
    <message>
        <location filename="../../app/ui/messages.py" line="91"/>
        <source>At least one active owner must remain, so that somebody may approve compensation.</source>
        <translation>Musi pozostać co najmniej jeden aktywny właściciel, aby ktoś mógł zatwierdzać rekompensaty.</translation>
    </message>
    <message>
        <location filename="../../app/ui/messages.py" line="92"/>
        <source>This person no longer exists.</source>
        <translation>Tej osoby nie ma już w bazie danych.</translation>
    </message>
    <message>
        <location filename="../../app/ui/messages.py" line="93"/>
        <source>Choose who is handling the complaint (at the top of the window).</source>
        <translation>Wybierz, kto prowadzi reklamację (u góry okna).</translation>
    </message>
    <message>
        <location filename="../../app/ui/messages.py" line="94"/>
        <source>This complaint no longer exists.</source>
        <translation>Ta reklamacja już nie istnieje.</translation>
    </message>
    <message>
        <location filename="../../app/ui/messages.py" line="95"/>
        <source>This complaint is closed; only its review and lesson can still be changed.</source>
        <translation>Ta reklamacja jest zamknięta; można jeszcze zmieniać tylko jej omówienie i wnioski.</translation>
    </message>
    <message>
        <location filename="../../app/ui/messages.py" line="96"/>
        <source>Someone else saved this complaint since you opened it. Close it and open it again to see their changes.</source>
        <translation>Ktoś inny zapisał tę reklamację po jej otwarciu przez Ciebie. Zamknij ją i otwórz ponownie, aby zobaczyć wprowadzone zmiany.</translation>
    </message>
    <message>
        <location filename="../../app/ui/messages.py" line="97"/>
        <source>Write the apology as it was given.</source>
        <translation>Wpisz przeprosiny w takiej formie, w jakiej zostały złożone.</translation>
    </message>
    <message>
        <location filename="../../app/ui/messages.py" line="98"/>
        <source>Write what the client asked for.</source>
        <translation>Wpisz, czego oczekuje klient.</translation>
    </message>
    <message>
        <location filename="../../app/ui/messages.py" line="99"/>
        <source>The rating is from 1 to 5.</source>
        <translation>Ocena musi mieścić się w zakresie od 1 do 5.</translation>
    </message>
    <message>
        <location filename="../../app/ui/messages.py" line="100"/>
        <source>The refund ({value}) is more than the client paid in the period ({paid}).</source>
        <translation>Zwrot ({value}) jest wyższy niż to, co klient zapłacił w tym okresie ({paid}).</translation>
    </message>
    <message>
        <location filename="../../app/ui/messages.py" line="101"/>
        <source>Choose at least one day the business is open.</source>
        <translation>Wybierz co najmniej jeden dzień, w którym firma jest otwarta.</translation>
    </message>
    <message>
        <location filename="../../app/ui/messages.py" line="102"/>
        <source>This is more than your role may grant ({limit}). Choose the owner who approved it.</source>
        <translation>To więcej, niż możesz przyznać w swojej roli ({limit}). Wybierz właściciela, który to zatwierdził.</translation>
    </message>
    <message>
        <location filename="../../app/ui/messages.py" line="103"/>
        <source>Say why this client is always in this group.</source>
        <translation>Napisz, dlaczego ten klient jest zawsze w tej grupie.</translation>
    </message>
    <message>
        <location filename="../../app/ui/messages.py" line="104"/>
        <source>Choose why the client moved.</source>
        <translation>Wybierz, dlaczego klient zmienił grupę.</translation>
    </message>
    <message>
        <location filename="../../app/ui/messages.py" line="105"/>
        <source>Describe the other reason in a few words.</source>
        <translation>Opisz w kilku słowach inny powód.</translation>
    </message>
    <message>
        <location filename="../../app/ui/messages.py" line="106"/>
        <source>The backup “{path}” could not be written: {detail}. Nothing in the database was changed.</source>
        <translation>Nie udało się zapisać kopii zapasowej „{path}”: {detail}. W bazie danych niczego nie zmieniono.</translation>
    </message>
    <message>
        <location filename="../../app/ui/messages.py" line="107"/>
        <source>The backup “{path}” cannot be restored: {detail}. The database was not changed.</source>
        <translation>Nie można przywrócić kopii zapasowej „{path}”: {detail}. Baza danych nie została zmieniona.</translation>
    </message>
    <message>
        <location filename="../../app/ui/messages.py" line="108"/>
        <source>The backup could not be put in place: {detail}. The data you had is in the backup made just before.</source>
        <translation>Nie udało się umieścić kopii zapasowej w miejscu bazy danych: {detail}. Dotychczasowe dane znajdują się w kopii zapasowej utworzonej tuż przed tą operacją.</translation>
    </message>
    <message>
        <location filename="../../app/ui/messages.py" line="109"/>
        <source>“{path}” is not one of this database&apos;s backups.</source>
        <translation>„{path}” nie jest kopią zapasową tej bazy danych.</translation>
    </message>
    <message>
        <location filename="../../app/ui/messages.py" line="110"/>
        <source>The backup “{path}” could not be deleted: {detail}</source>
        <translation>Nie udało się usunąć kopii zapasowej „{path}”: {detail}</translation>
    </message>
    <message>
        <location filename="../../app/ui/messages.py" line="111"/>
        <source>Backups cannot be kept in “{path}”: {detail}. The backups stay where they were.</source>
        <translation>Kopii zapasowych nie można przechowywać w „{path}”: {detail}. Kopie zostają tam, gdzie były.</translation>
    </message>
    <message>
        <location filename="../../app/ui/messages.py" line="112"/>
        <source>The file “{path}” does not exist.</source>
        <translation>Plik „{path}” nie istnieje.</translation>
    </message>
    <message>
        <location filename="../../app/ui/messages.py" line="113"/>
        <source>The file “{path}” cannot be read. Check that it is a file and that it is not open in another program.</source>
        <translation>Nie można odczytać pliku „{path}”. Sprawdź, czy to plik i czy nie jest otwarty w innym programie.</translation>
    </message>
    <message>
        <location filename="../../app/ui/messages.py" line="114"/>
        <source>ClientCare may not read the file “{path}”. Check the file&apos;s permissions.</source>
        <translation>ClientCare nie ma uprawnień do odczytu pliku „{path}”. Sprawdź uprawnienia pliku.</translation>
    </message>
    <message>
        <location filename="../../app/ui/messages.py" line="116"/>
        <source>Row {row}: the file has more than {maximum} rows; split it into smaller files.</source>
        <translation>Wiersz {row}: plik ma więcej niż {maximum} wierszy; podziel go na mniejsze pliki.</translation>
    </message>
    <message>
        <location filename="../../app/ui/messages.py" line="117"/>
        <source>Row {row} has more than {maximum} columns. Is this the right file?</source>
        <translation>Wiersz {row} ma więcej niż {maximum} kolumn. Czy to właściwy plik?</translation>
    </message>
    <message>
        <location filename="../../app/ui/messages.py" line="118"/>
        <source>Row {row}: the file has more than {maximum} filled cells; split it into smaller files.</source>
        <translation>Wiersz {row}: plik ma więcej niż {maximum} wypełnionych komórek; podziel go na mniejsze pliki.</translation>
    </message>
    <message>
        <location filename="../../app/ui/messages.py" line="119"/>
        <source>Row {row} has a cell longer than {maximum} characters. Is this the right file?</source>
        <translation>Wiersz {row} ma komórkę dłuższą niż {maximum} znaków. Czy to właściwy plik?</translation>
    </message>
    <message>
        <location filename="../../app/ui/messages.py" line="120"/>
        <source>Row {row} is a line longer than {maximum} characters. Is this the right file?</source>
        <translation>Wiersz {row} to linia dłuższa niż {maximum} znaków. Czy to właściwy plik?</translation>
    </message>
    <message>
        <location filename="../../app/ui/messages.py" line="121"/>
        <source>Row {row} is not a row of a table (it holds a character no table has). Save the file again as CSV or as an Excel workbook.</source>
        <translation>Wiersz {row} nie jest wierszem tabeli (zawiera znak, którego nie ma w żadnej tabeli). Zapisz plik ponownie jako CSV lub jako skoroszyt Excela.</translation>
    </message>
    <message>
        <location filename="../../app/ui/messages.py" line="122"/>
        <source>Row {row} has characters that are not in the encoding {encoding}. Choose the file&apos;s encoding.</source>
        <translation>Wiersz {row} zawiera znaki spoza kodowania {encoding}. Wybierz kodowanie pliku.</translation>
    </message>
    <message>
        <location filename="../../app/ui/messages.py" line="123"/>
        <source>ClientCare does not know this encoding.</source>
        <translation>ClientCare nie zna tego kodowania.</translation>
    </message>
    <message>
        <location filename="../../app/ui/messages.py" line="124"/>
        <source>Row {row} of the file is empty or not there; choose the row with the headings.</source>
        <translation>Wiersz {row} pliku jest pusty lub go nie ma; wybierz wiersz z nagłówkami.</translation>
    </message>
    <message>
        <location filename="../../app/ui/messages.py" line="125"/>
        <source>The file “{path}” is not an Excel workbook (XLSX) or is damaged. Open it in Excel or LibreOffice and save it again.</source>
        <translation>Plik „{path}” nie jest skoroszytem Excela (XLSX) lub jest uszkodzony. Otwórz go w Excelu lub LibreOffice i zapisz ponownie.</translation>
    </message>
    <message>
        <location filename="../../app/ui/messages.py" line="126"/>
        <source>The workbook “{path}” has no sheet.</source>
        <translation>Skoroszyt „{path}” nie ma żadnego arkusza.</translation>
    </message>
    <message>
        <location filename="../../app/ui/messages.py" line="127"/>
        <source>Row {row} of the workbook “{path}” is damaged. Open it in Excel or LibreOffice and save it again.</source>
        <translation>Wiersz {row} skoroszytu „{path}” jest uszkodzony. Otwórz go w Excelu lub LibreOffice i zapisz ponownie.</translation>
    </message>
    <message>
        <location filename="../../app/ui/messages.py" line="128"/>
        <source>The workbook “{path}” unpacks to more than {maximum} MB; split it into smaller files.</source>
        <translation>Skoroszyt „{path}” po rozpakowaniu zajmuje ponad {maximum} MB; podziel go na mniejsze pliki.</translation>
    </message>
    <message>
        <location filename="../../app/ui/messages.py" line="129"/>
        <source>Line {row} of the contacts file is not text in the character set “{charset}” it names. Export the contacts again.</source>
        <translation>Linia {row} pliku kontaktów nie jest tekstem w podanym w niej zestawie znaków „{charset}”. Wyeksportuj kontakty ponownie.</translation>
    </message>
    <message>
        <location filename="../../app/ui/messages.py" line="130"/>
        <source>Choose the column of the client&apos;s card number, phone or e-mail, so each purchase finds its client. The file has the columns: {columns}.</source>
        <translation>Wybierz kolumnę z numerem karty, telefonem lub e-mailem klienta, aby każdy zakup trafił do właściwego klienta. Kolumny w pliku: {columns}.</translation>
    </message>
    <message>
        <location filename="../../app/ui/messages.py" line="131"/>
        <source>The column “{column}” holds the clients&apos; card numbers: import it as the card number.</source>
        <translation>Kolumna „{column}” zawiera numery kart klientów: zaimportuj ją jako numer karty.</translation>
    </message>
    <message>
        <location filename="../../app/ui/messages.py" line="132"/>
        <source>Row {row} could not be saved; nothing was imported. Fix the row in the file and import it again.</source>
        <translation>Nie udało się zapisać wiersza {row}; niczego nie zaimportowano. Popraw ten wiersz w pliku i zaimportuj go ponownie.</translation>
    </message>
    <message>
        <location filename="../../app/ui/messages.py" line="133"/>
        <source>Choose whether the file holds clients or purchases.</source>
        <translation>Wybierz, czy plik zawiera klientów, czy zakupy.</translation>
    </message>
    <message>
        <location filename="../../app/ui/messages.py" line="160"/>
        <source>The day&apos;s list could not be printed ({detail}). Check the printer and try again; nothing was changed.</source>
        <translation>Nie udało się wydrukować listy na dziś ({detail}). Sprawdź drukarkę i spróbuj ponownie; nic nie zostało zmienione.</translation>
    </message>
    <message>
        <location filename="../../app/ui/messages.py" line="161"/>
        <source>The PDF “{path}” could not be written: {detail}. Choose another folder or file name; nothing was changed.</source>
        <translation>Nie udało się zapisać pliku PDF „{path}”: {detail}. Wybierz inny folder lub nazwę pliku; nic nie zostało zmienione.</translation>
    </message>
    <message>
        <location filename="../../app/ui/messages.py" line="176"/>
        <source>The server name “{host}” is not known on this network. Check how it is written, or give the server&apos;s IP address (such as 192.168.1.10); nothing was changed.</source>
        <translation>Nazwa serwera „{host}” nie jest znana w tej sieci. Sprawdź jej pisownię albo podaj adres IP serwera (np. 192.168.1.10); nic nie zostało zmienione.</translation>
    </message>
    <message>
        <location filename="../../app/ui/messages.py" line="177"/>
        <source>The server {host} did not answer within {seconds} seconds. Check that this PC is on the office network and that no firewall closes port {port}; nothing was changed.</source>
        <translation>Serwer {host} nie odpowiedział w ciągu {seconds} s. Sprawdź, czy ten komputer jest w sieci biura i czy żadna zapora nie blokuje portu {port}; nic nie zostało zmienione.</translation>
    </message>
    <message>
        <location filename="../../app/ui/messages.py" line="178"/>
        <source>The server does not let the user “{user}” work in the database “{database}”. Whoever set up the server can give the user the rights (see the README); nothing was changed. ({detail})</source>
        <translation>Serwer nie pozwala użytkownikowi „{user}” pracować w bazie danych „{database}”. Osoba, która skonfigurowała serwer, może nadać mu uprawnienia (zob. README); nic nie zostało zmienione. ({detail})</translation>
    </message>
    <message>
        <location filename="../../app/ui/messages.py" line="179"/>
        <source>The user “{user}” may not create tables in the database “{database}”, so ClientCare cannot set it up or update it. Make the user the database&apos;s owner on the server (see the README); nothing was changed.</source>
        <translation>Użytkownik „{user}” nie może tworzyć tabel w bazie danych „{database}”, więc ClientCare nie może jej przygotować ani zaktualizować. Ustaw tego użytkownika jako właściciela bazy na serwerze (zob. README); nic nie zostało zmienione.</translation>
    </message>
    <message>
        <location filename="../../app/ui/messages.py" line="180"/>
        <source>This PC&apos;s choice of the office server cannot be read from “{path}” ({detail}). Choose the server again in Settings → Office server.</source>
        <translation>Nie można odczytać wyboru serwera biura tego komputera z „{path}” ({detail}). Wybierz serwer ponownie w Ustawienia → Serwer biura.</translation>
    </message>
    <message>
        <location filename="../../app/ui/messages.py" line="181"/>
        <source>This PC&apos;s choice of the office server cannot be saved in “{path}”: {detail}. Nothing was changed.</source>
        <translation>Nie można zapisać wyboru serwera biura tego komputera w „{path}”: {detail}. Nic nie zostało zmienione.</translation>
    </message>
    <message>
        <location filename="../../app/ui/messages.py" line="182"/>
        <source>Give the server&apos;s name or IP address.</source>
        <translation>Podaj nazwę lub adres IP serwera.</translation>
    </message>
    <message>
        <location filename="../../app/ui/messages.py" line="183"/>
        <source>“{value}” is not a server&apos;s name: write only the name or the IP address, such as 192.168.1.10.</source>
        <translation>„{value}” nie jest nazwą serwera: wpisz tylko nazwę albo adres IP, np. 192.168.1.10.</translation>
    </message>
    <message>
        <location filename="../../app/ui/messages.py" line="184"/>
        <source>Give the name of the database on the server.</source>
        <translation>Podaj nazwę bazy danych na serwerze.</translation>
    </message>
    <message>
        <location filename="../../app/ui/messages.py" line="185"/>
        <source>Give the user name for the server.</source>
        <translation>Podaj nazwę użytkownika serwera.</translation>
    </message>
    <message>
        <location filename="../../app/ui/messages.py" line="188"/>
        <source>A brace is not closed. Write a placeholder as {example}; a brace meant as text is written twice: {open} or {close}.</source>
        <translation>Nawias klamrowy nie jest zamknięty. Pole wstawiane pisz jako {example}; nawias jako zwykły tekst pisz podwójnie: {open} albo {close}.</translation>
    </message>
    <message>
        <location filename="../../app/ui/messages.py" line="189"/>
        <source>{placeholder} is not a placeholder ClientCare knows. Use one of: {known}.</source>
        <translation>{placeholder} nie jest polem, które ClientCare zna. Użyj jednego z: {known}.</translation>
    </message>
    <message>
        <location filename="../../app/ui/messages.py" line="190"/>
        <source>ClientCare has no such template, so nothing was saved.</source>
        <translation>ClientCare nie ma takiego szablonu, więc nic nie zapisano.</translation>
    </message>
    <message>
        <location filename="../../app/ui/messages.py" line="191"/>
        <source>An e-mail needs a subject.</source>
        <translation>E-mail musi mieć temat.</translation>
    </message>
    <message>
        <location filename="../../app/ui/messages.py" line="192"/>
        <source>The subject is one line of at most {maximum} characters.</source>
        <translation>Temat to jeden wiersz, najwyżej {maximum} znaków.</translation>
    </message>
    <message>
        <location filename="../../app/ui/messages.py" line="193"/>
        <source>Write the text of the message.</source>
        <translation>Napisz treść wiadomości.</translation>
    </message>
    <message>
        <location filename="../../app/ui/messages.py" line="194"/>
        <source>This client has nothing for {placeholders}, so the message would go out with a gap. Choose another message or write the text yourself.</source>
        <translation>Ten klient nie ma danych dla {placeholders}, więc w wiadomości byłaby luka. Wybierz inną wiadomość albo napisz treść sam.</translation>
    </message>
    <message>
        <location filename="../../app/ui/messages.py" line="195"/>
        <source>A message goes by e-mail or SMS.</source>
        <translation>Wiadomość idzie e-mailem albo SMS-em.</translation>
    </message>
    <message>
        <location filename="../../app/ui/messages.py" line="196"/>
        <source>{name} asked not to be contacted: no message is sent.</source>
        <translation>{name} prosi o brak kontaktu: żadna wiadomość nie zostanie wysłana.</translation>
    </message>
    <message>
        <location filename="../../app/ui/messages.py" line="197"/>
        <source>{name} has not given marketing consent, so this greeting or offer may not be sent. Record the consent on the card first.</source>
        <translation>{name} nie wyraził(a) zgody marketingowej, więc tych życzeń ani oferty nie można wysłać. Najpierw zapisz zgodę na karcie.</translation>
    </message>
    <message>
        <location filename="../../app/ui/messages.py" line="198"/>
        <source>{name} has no e-mail address on the card.</source>
        <translation>{name} nie ma adresu e-mail na karcie.</translation>
    </message>
    <message>
        <location filename="../../app/ui/messages.py" line="199"/>
        <source>{name} has no phone number on the card.</source>
        <translation>{name} nie ma numeru telefonu na karcie.</translation>
    </message>
    <message>
        <location filename="../../app/ui/messages.py" line="200"/>
        <source>{name} was contacted {count} times in the last {days} days, the most the rules allow; a message counts as a contact.</source>
        <translation>Z {name} kontaktowano się {count} razy w ostatnich {days} dniach, tyle, ile pozwalają zasady; wiadomość liczy się jako kontakt.</translation>
    </message>
    <message>
        <location filename="../../app/ui/messages.py" line="201"/>
        <source>{name} takes contacts from {start} to {end}; now is outside those hours.</source>
        <translation>{name} przyjmuje kontakt od {start} do {end}; teraz jest poza tymi godzinami.</translation>
    </message>
    <message>
        <location filename="../../app/ui/messages.py" line="202"/>
        <source>The message is empty.</source>
        <translation>Wiadomość jest pusta.</translation>
    </message>
    <message>
        <location filename="../../app/ui/messages.py" line="203"/>
        <source>This message no longer exists.</source>
        <translation>Ta wiadomość już nie istnieje.</translation>
    </message>
    <message>
        <location filename="../../app/ui/messages.py" line="204"/>
        <source>This message was not left unsent, so there is nothing to send again.</source>
        <translation>Ta wiadomość nie jest niewysłana, więc nie ma czego wysyłać ponownie.</translation>
    </message>
    <message>
        <location filename="../../app/ui/messages.py" line="205"/>
        <source>The message could not be sent; it is kept to send again. ({detail})</source>
        <translation>Nie udało się wysłać wiadomości; zostaje zapisana do ponownej wysyłki. ({detail})</translation>
    </message>
    <message>
        <location filename="../../app/ui/messages.py" line="206"/>
        <source>The system keyring cannot be used, so the password or token was not kept. ({detail})</source>
        <translation>Nie można użyć systemowego pęku kluczy, więc hasła ani tokenu nie zapisano. ({detail})</translation>
    </message>
    <message>
        <location filename="../../app/ui/messages.py" line="207"/>
        <source>The mail server is not set up yet: Settings → Messages → E-mail.</source>
        <translation>Serwer poczty nie jest jeszcze ustawiony: Ustawienia → Wiadomości → E-mail.</translation>
    </message>
    <message>
        <location filename="../../app/ui/messages.py" line="208"/>
        <source>The mail server refused the user “{user}” or the password. Check them (Gmail needs an app password).</source>
        <translation>Serwer poczty odrzucił użytkownika „{user}” albo hasło. Sprawdź je (Gmail wymaga hasła aplikacji).</translation>
    </message>
    <message>
        <location filename="../../app/ui/messages.py" line="209"/>
        <source>No mail server answers at {host}, port {port}. Check the server&apos;s name, the port and the network.</source>
        <translation>Żaden serwer poczty nie odpowiada pod {host}, port {port}. Sprawdź nazwę serwera, port i sieć.</translation>
    </message>
    <message>
        <location filename="../../app/ui/messages.py" line="210"/>
        <source>The mail server {host} did not answer within {seconds} seconds.</source>
        <translation>Serwer poczty {host} nie odpowiedział w ciągu {seconds} s.</translation>
    </message>
    <message>
        <location filename="../../app/ui/messages.py" line="211"/>
        <source>The secure connection to {host} failed. Check the connection type (STARTTLS or TLS) and the port. ({detail})</source>
        <translation>Bezpieczne połączenie z {host} nie powiodło się. Sprawdź rodzaj szyfrowania (STARTTLS albo TLS) i port. ({detail})</translation>
    </message>
    <message>
        <location filename="../../app/ui/messages.py" line="212"/>
        <source>The mail server refused the address {address}. ({detail})</source>
        <translation>Serwer poczty odrzucił adres {address}. ({detail})</translation>
    </message>
    <message>
        <location filename="../../app/ui/messages.py" line="213"/>
        <source>The mail server did not take the message. ({detail})</source>
        <translation>Serwer poczty nie przyjął wiadomości. ({detail})</translation>
    </message>
    <message>
        <location filename="../../app/ui/messages.py" line="214"/>
        <source>Give the name of the mail server.</source>
        <translation>Podaj nazwę serwera poczty.</translation>
    </message>
    <message>
        <location filename="../../app/ui/messages.py" line="215"/>
        <source>A port is a number from 1 to 65535.</source>
        <translation>Port to liczba od 1 do 65535.</translation>
    </message>
    <message>
        <location filename="../../app/ui/messages.py" line="216"/>
        <source>Choose the kind of connection.</source>
        <translation>Wybierz rodzaj połączenia z serwerem.</translation>
    </message>
    <message>
        <location filename="../../app/ui/messages.py" line="217"/>
        <source>The SMS gateway is not set up yet (or has no token): Settings → Messages → SMS.</source>
        <translation>Bramka SMS nie jest jeszcze ustawiona (albo nie ma tokenu): Ustawienia → Wiadomości → SMS.</translation>
    </message>
    <message>
        <location filename="../../app/ui/messages.py" line="218"/>
        <source>The SMS gateway refused the token. Make a new one in the gateway&apos;s panel and save it in Settings.</source>
        <translation>Bramka SMS odrzuciła token. Utwórz nowy w panelu bramki i zapisz go w Ustawieniach.</translation>
    </message>
    <message>
        <location filename="../../app/ui/messages.py" line="219"/>
        <source>The SMS gateway asks to wait {retry_after} seconds before more messages.</source>
        <translation>Bramka SMS prosi o odczekanie {retry_after} s przed kolejnymi wiadomościami.</translation>
    </message>
    <message>
        <location filename="../../app/ui/messages.py" line="220"/>
        <source>The SMS gateway asks to wait before more messages. Try again in a minute.</source>
        <translation>Bramka SMS prosi o odczekanie przed kolejnymi wiadomościami. Spróbuj za minutę.</translation>
    </message>
    <message>
        <location filename="../../app/ui/messages.py" line="221"/>
        <source>The SMS gateway cannot be reached. Check the network. ({detail})</source>
        <translation>Nie można połączyć się z bramką SMS. Sprawdź sieć. ({detail})</translation>
    </message>
    <message>
        <location filename="../../app/ui/messages.py" line="222"/>
        <source>The SMS gateway refused the message. ({detail})</source>
        <translation>Bramka SMS odrzuciła wiadomość. ({detail})</translation>
    </message>
    <message>
        <location filename="../../app/ui/messages.py" line="223"/>
        <source>Choose an SMS gateway.</source>
        <translation>Wybierz bramkę SMS.</translation>
    </message>
    <message>
        <location filename="../../app/ui/messages.py" line="224"/>
        <source>The gateway&apos;s address starts with https://.</source>
        <translation>Adres bramki zaczyna się od https://.</translation>
    </message>
    <message>
        <location filename="../../app/ui/messages.py" line="225"/>
        <source>Give the Account SID from the Twilio console.</source>
        <translation>Podaj Account SID z konsoli Twilio.</translation>
    </message>
    <message>
        <location filename="../../app/ui/messages.py" line="226"/>
        <source>Give the number the messages are sent from.</source>
        <translation>Podaj numer, z którego idą wiadomości.</translation>
    </message>
    <message>
        <location filename="../../app/ui/messages.py" line="229"/>
        <source>Wrong password. Tries left before signing in waits a while: {left}.</source>
        <translation>Nieprawidłowe hasło. Pozostałe próby, zanim logowanie zostanie wstrzymane: {left}.</translation>
    </message>
    <message>
        <location filename="../../app/ui/messages.py" line="240"/>
        <source>This copy of ClientCare has no address to look for updates at. Ask whoever gave you ClientCare where new versions are published.</source>
        <translation>Ta kopia ClientCare nie ma adresu, pod którym mogłaby szukać aktualizacji. Zapytaj osobę, od której masz ClientCare, gdzie publikowane są nowe wersje.</translation>
    </message>
    <message>
        <location filename="../../app/ui/messages.py" line="241"/>
        <source>“{url}” is not a web address, so ClientCare cannot look for updates there.</source>
        <translation>„{url}” nie jest adresem internetowym, więc ClientCare nie może tam szukać aktualizacji.</translation>
    </message>
    <message>
        <location filename="../../app/ui/messages.py" line="242"/>
        <source>ClientCare could not reach {url} to look for updates ({detail}). Check the internet connection and try again later; nothing was changed.</source>
        <translation>ClientCare nie może połączyć się z {url}, aby sprawdzić aktualizacje ({detail}). Sprawdź połączenie z internetem i spróbuj ponownie później; nic nie zostało zmienione.</translation>
    </message>
    <message>
        <location filename="../../app/ui/messages.py" line="243"/>
        <source>The answer from {url} is not a list of ClientCare releases ({detail}), so ClientCare cannot tell whether there is a newer version.</source>
        <translation>Odpowiedź z {url} nie jest listą wydań ClientCare ({detail}), więc ClientCare nie może ustalić, czy jest nowsza wersja.</translation>
    </message>
    <message>
        <location filename="../../app/ui/messages.py" line="260"/>
        <source>changing clients</source>
        <translation>zmiana danych klientów</translation>
    </message>
    <message>
        <location filename="../../app/ui/messages.py" line="261"/>
        <source>logging calls</source>
        <translation>zapisywanie połączeń</translation>
    </message>
    <message>
        <location filename="../../app/ui/messages.py" line="262"/>
        <source>working on complaints</source>
        <translation>praca z reklamacjami</translation>
    </message>
    <message>
        <location filename="../../app/ui/messages.py" line="263"/>
        <source>the charts</source>
        <translation>wykresy</translation>
    </message>
    <message>
        <location filename="../../app/ui/messages.py" line="264"/>
        <source>the quarterly A/B/C review</source>
        <translation>kwartalny przegląd A/B/C</translation>
    </message>
    <message>
        <location filename="../../app/ui/messages.py" line="265"/>
        <source>exporting</source>
        <translation>eksport</translation>
    </message>
    <message>
        <location filename="../../app/ui/messages.py" line="266"/>
        <source>importing</source>
        <translation>import</translation>
    </message>
    <message>
        <location filename="../../app/ui/messages.py" line="267"/>
        <source>changing the settings</source>
        <translation>zmiana ustawień</translation>
    </message>
    <message>
        <location filename="../../app/ui/messages.py" line="268"/>
        <source>managing the staff</source>
        <translation>zarządzanie pracownikami</translation>
    </message>
    <message>
        <location filename="../../app/ui/messages.py" line="269"/>
        <source>restoring and managing backups</source>
        <translation>przywracanie kopii zapasowych i zarządzanie nimi</translation>
    </message>
    <message>
        <location filename="../../app/ui/messages.py" line="270"/>
        <source>erasing a client&apos;s data</source>
        <translation>usuwanie danych klienta</translation>
    </message>
    <message>
        <location filename="../../app/ui/messages.py" line="278"/>
        <source>name</source>
        <translation>imię i nazwisko</translation>
    </message>
    <message>
        <location filename="../../app/ui/messages.py" line="279"/>
        <source>person or company</source>
        <translation>osoba czy firma</translation>
    </message>
    <message>
        <location filename="../../app/ui/messages.py" line="280"/>
        <source>card number</source>
        <translation>numer karty</translation>
    </message>
    <message>
        <location filename="../../app/ui/messages.py" line="281"/>
        <source>phone</source>
        <translation>telefon</translation>
    </message>
    <message>
        <location filename="../../app/ui/messages.py" line="282"/>
        <source>e-mail</source>
        <translation>e-mail</translation>
    </message>
    <message>
        <location filename="../../app/ui/messages.py" line="283"/>
        <source>preferred channel</source>
        <translation>preferowany kanał</translation>
    </message>
    <message>
        <location filename="../../app/ui/messages.py" line="284"/>
        <source>best hours</source>
        <translation>dogodne godziny</translation>
    </message>
    <message>
        <location filename="../../app/ui/messages.py" line="285"/>
        <source>do not contact</source>
        <translation>nie kontaktować się</translation>
    </message>
    <message>
        <location filename="../../app/ui/messages.py" line="286"/>
        <source>marketing consent</source>
        <translation>zgoda marketingowa</translation>
    </message>
    <message>
        <location filename="../../app/ui/messages.py" line="287"/>
        <source>source</source>
        <translation>źródło</translation>
    </message>
    <message>
        <location filename="../../app/ui/messages.py" line="288"/>
        <source>referred by</source>
        <translation>polecony przez</translation>
    </message>
    <message>
        <location filename="../../app/ui/messages.py" line="289"/>
        <source>group</source>
        <translation>grupa</translation>
    </message>
    <message>
        <location filename="../../app/ui/messages.py" line="290"/>
        <source>preferences</source>
        <translation>preferencje</translation>
    </message>
    <message>
        <location filename="../../app/ui/messages.py" line="291"/>
        <source>notes</source>
        <translation>notatki</translation>
    </message>
    <message>
        <location filename="../../app/ui/messages.py" line="292"/>
        <source>tags</source>
        <translation>tagi</translation>
    </message>
    <message>
        <location filename="../../app/ui/messages.py" line="293"/>
        <source>family</source>
        <translation>rodzina</translation>
    </message>
    <message>
        <location filename="../../app/ui/messages.py" line="294"/>
        <source>personal dates</source>
        <translation>ważne daty</translation>
    </message>
    <message>
        <location filename="../../app/ui/messages.py" line="295"/>
        <source>purchases</source>
        <translation>zakupy</translation>
    </message>
    <message>
        <location filename="../../app/ui/messages.py" line="296"/>
        <source>memberships</source>
        <translation>karnety</translation>
    </message>
    <message>
        <location filename="../../app/ui/messages.py" line="307"/>
        <source>They changed: {parts}.</source>
        <translation>Zmieniono: {parts}.</translation>
    </message>
    <message>
        <location filename="../../app/ui/messages.py" line="310"/>
        <source>Saved by {by}, {at}.</source>
        <translation>Zapisał(a): {by}, {at}.</translation>
    </message>
    <message>
        <location filename="../../app/ui/messages.py" line="115"/>
        <source>The file “{path}” has no rows to import.</source>
        <translation>Plik „{path}” nie zawiera wierszy do zaimportowania.</translation>
    </message>
    <message>
        <location filename="../../app/ui/messages.py" line="55"/>
        <source>“{name}” was changed elsewhere since you opened it, so your changes were not saved: nothing was overwritten. Close the card and open it again to see the changes, then make yours again.</source>
        <translation>Klient „{name}” został zmieniony gdzie indziej, odkąd otworzono kartę, więc Twoje zmiany nie zostały zapisane: nic nie zostało nadpisane. Zamknij kartę i otwórz ją ponownie, aby zobaczyć zmiany, a potem wprowadź swoje jeszcze raz.</translation>
    </message>
    <message>
        <location filename="../../app/ui/messages.py" line="134"/>
        <source>Give the client&apos;s card number, phone or e-mail, so the purchase finds its client.</source>
        <translation>Podaj numer karty, telefon lub e-mail klienta, aby zakup trafił do właściwego klienta.</translation>
    </message>
    <message>
        <location filename="../../app/ui/messages.py" line="135"/>
        <source>Imported; “{value}” is not a valid phone number of {region}, so it is kept as it is and marked “check this number”.</source>
        <translation>Zaimportowano; „{value}” nie jest prawidłowym numerem telefonu w kraju: {region}, dlatego zachowano go bez zmian i oznaczono „sprawdź ten numer”.</translation>
    </message>
    <message>
        <location filename="../../app/ui/messages.py" line="136"/>
        <source>Choose a file ending in .csv or .xlsx.</source>
        <translation>Wybierz plik z rozszerzeniem .csv lub .xlsx.</translation>
    </message>
    <message>
        <location filename="../../app/ui/messages.py" line="137"/>
        <source>A client whose personal data was erased cannot be merged.</source>
        <translation>Nie można scalić klienta, którego dane osobowe zostały usunięte.</translation>
    </message>
    <message>
        <location filename="../../app/ui/messages.py" line="138"/>
        <source>The personal data was erased, but the database file could not be compacted: {detail}. It is compacted again after the next erase.</source>
        <translation>Dane osobowe zostały usunięte, ale nie udało się skompaktować pliku bazy danych: {detail}. Zostanie on skompaktowany przy następnym usuwaniu.</translation>
    </message>
    <message>
        <location filename="../../app/ui/messages.py" line="139"/>
        <source>The backup “{path}” could not be cleaned: {detail}. Restoring it still erases the person again.</source>
        <translation>Nie udało się oczyścić kopii zapasowej „{path}”: {detail}. Jej przywrócenie i tak ponownie usunie tę osobę.</translation>
    </message>
    <message>
        <location filename="../../app/ui/messages.py" line="140"/>
        <source>Choose two different clients to merge.</source>
        <translation>Wybierz dwóch różnych klientów do scalenia.</translation>
    </message>
    <message>
        <location filename="../../app/ui/messages.py" line="141"/>
        <source>Give the meeting&apos;s date and time.</source>
        <translation>Podaj datę i godzinę spotkania.</translation>
    </message>
    <message>
        <location filename="../../app/ui/messages.py" line="142"/>
        <source>Give the day to call back.</source>
        <translation>Podaj dzień, w którym oddzwonić.</translation>
    </message>
    <message>
        <location filename="../../app/ui/messages.py" line="143"/>
        <source>The call-back day must be after the day of the call.</source>
        <translation>Dzień oddzwonienia musi przypadać po dniu połączenia.</translation>
    </message>
    <message>
        <location filename="../../app/ui/messages.py" line="144"/>
        <source>Give the reason the client declined.</source>
        <translation>Podaj powód odmowy klienta.</translation>
    </message>
    <message>
        <location filename="../../app/ui/messages.py" line="145"/>
        <source>The duration must be between 0 and 24 hours.</source>
        <translation>Czas trwania musi wynosić od 0 do 24 godzin.</translation>
    </message>
    <message>
        <location filename="../../app/ui/messages.py" line="146"/>
        <source>This call is no longer in the log.</source>
        <translation>Tego połączenia nie ma już w rejestrze.</translation>
    </message>
    <message>
        <location filename="../../app/ui/messages.py" line="147"/>
        <source>This call was logged before ClientCare kept what a call changes, so its outcome cannot be changed or undone; its tone and note can.</source>
        <translation>To połączenie zostało zapisane, zanim ClientCare zaczął przechowywać, co zmienia połączenie, więc jego wyniku nie można zmienić ani cofnąć; ton i notatkę można.</translation>
    </message>
    <message>
        <location filename="../../app/ui/messages.py" line="148"/>
        <source>A later call was logged on the same tasks: correct or undo that call first.</source>
        <translation>Przy tych samych zadaniach zapisano późniejsze połączenie: najpierw popraw lub cofnij tamto.</translation>
    </message>
    <message>
        <location filename="../../app/ui/messages.py" line="149"/>
        <source>The complaint this call opened has been worked on since; the call stays as it is. Handle the complaint in its own window.</source>
        <translation>Reklamacja otwarta tym połączeniem jest już w toku; połączenie zostaje bez zmian. Zajmij się reklamacją w jej oknie.</translation>
    </message>
    <message>
        <location filename="../../app/ui/messages.py" line="150"/>
        <source>This task no longer exists.</source>
        <translation>To zadanie już nie istnieje.</translation>
    </message>
    <message>
        <location filename="../../app/ui/messages.py" line="151"/>
        <source>This task is already done or cancelled.</source>
        <translation>To zadanie jest już wykonane lub anulowane.</translation>
    </message>
    <message>
        <location filename="../../app/ui/messages.py" line="152"/>
        <source>This is an internal to-do, not a call: it is done by doing it, and no call is logged on it.</source>
        <translation>To zadanie wewnętrzne, a nie połączenie: po prostu się je wykonuje i nie zapisuje się przy nim połączenia.</translation>
    </message>
    <message>
        <location filename="../../app/ui/messages.py" line="153"/>
        <source>This to-do is done by doing it (the review), not by ticking it off.</source>
        <translation>To zadanie wykonuje się, przeprowadzając przegląd, a nie odhaczając je.</translation>
    </message>
    <message>
        <location filename="../../app/ui/messages.py" line="154"/>
        <source>The day cannot be in the past.</source>
        <translation>Dzień nie może być w przeszłości.</translation>
    </message>
    <message>
        <location filename="../../app/ui/messages.py" line="155"/>
        <source>{day} is not a working day (a closed day or a public holiday); the next working day is {next_day}.</source>
        <translation>{day} nie jest dniem roboczym (dzień wolny lub święto); najbliższy dzień roboczy to {next_day}.</translation>
    </message>
    <message>
        <location filename="../../app/ui/messages.py" line="156"/>
        <source>Say why the task is cancelled.</source>
        <translation>Napisz, dlaczego zadanie jest anulowane.</translation>
    </message>
    <message>
        <location filename="../../app/ui/messages.py" line="157"/>
        <source>This step of the checklist does not exist, so nothing was ticked. Close the complaint and open it again; what was saved before is kept.</source>
        <translation>Tego kroku listy kontrolnej nie ma, więc nic nie zostało zaznaczone. Zamknij reklamację i otwórz ją ponownie; to, co zapisano wcześniej, zostaje.</translation>
    </message>
    <message>
        <location filename="../../app/ui/messages.py" line="158"/>
        <source>The review holds a question ClientCare does not know, so the review was not saved. Close the complaint and open it again; what was saved before is kept.</source>
        <translation>Omówienie zawiera pytanie, którego ClientCare nie zna, więc omówienie nie zostało zapisane. Zamknij reklamację i otwórz ją ponownie; to, co zapisano wcześniej, zostaje.</translation>
    </message>
    <message>
        <location filename="../../app/ui/messages.py" line="159"/>
        <source>ClientCare cannot export this table, so no file was written. Choose one of the tables offered; your data is unchanged.</source>
        <translation>ClientCare nie może wyeksportować tej tabeli, więc żaden plik nie został zapisany. Wybierz jedną z proponowanych tabel; Twoje dane się nie zmieniły.</translation>
    </message>
    <message>
        <location filename="../../app/ui/messages.py" line="162"/>
        <source>The database reported an error; your change was not saved. ({detail})</source>
        <translation>Baza danych zgłosiła błąd; zmiana nie została zapisana. ({detail})</translation>
    </message>
    <message>
        <location filename="../../app/ui/messages.py" line="164"/>
        <source>A file could not be read or written; nothing was changed. ({detail})</source>
        <translation>Nie udało się odczytać ani zapisać pliku; niczego nie zmieniono. ({detail})</translation>
    </message>
    <message>
        <location filename="../../app/ui/messages.py" line="165"/>
        <source>Something unexpected went wrong; nothing was changed. Details were written to the log.</source>
        <translation>Wystąpił nieoczekiwany błąd; niczego nie zmieniono. Szczegóły zapisano w dzienniku.</translation>
    </message>
    <message>
        <location filename="../../app/ui/messages.py" line="166"/>
        <source>The horizon must be between {minimum} and {maximum} days.</source>
        <translation>Horyzont musi wynosić od {minimum} do {maximum} dni.</translation>
    </message>
    <message>
        <location filename="../../app/ui/messages.py" line="167"/>
        <source>The purchases known end on {last}, so the {days} days after {cut} (up to {end}) cannot be checked yet. Choose an earlier date.</source>
        <translation>Znane zakupy kończą się {last}, więc {days} dni po {cut} (do {end}) nie da się jeszcze sprawdzić. Wybierz wcześniejszą datę.</translation>
    </message>
    <message>
        <location filename="../../app/ui/messages.py" line="168"/>
        <source>No client had bought anything by {cut}, so there is nothing to check. Choose a later date.</source>
        <translation>Do {cut} żaden klient niczego nie kupił, więc nie ma czego sprawdzać. Wybierz późniejszą datę.</translation>
    </message>
    <message>
        <location filename="../../app/ui/messages.py" line="169"/>
        <source>“{url}” is not the address of a PostgreSQL database. Write it as postgresql+psycopg://user:password@server/database.</source>
        <translation>„{url}” nie jest adresem bazy danych PostgreSQL. Zapisz go tak: postgresql+psycopg://użytkownik:hasło@serwer/baza.</translation>
    </message>
    <message>
        <location filename="../../app/ui/messages.py" line="170"/>
        <source>No database server answers at “{url}”. Check the server&apos;s name and port and that PostgreSQL runs there; nothing was changed.</source>
        <translation>Pod adresem „{url}” nie odpowiada żaden serwer baz danych. Sprawdź nazwę serwera i port oraz czy działa na nim PostgreSQL; nic nie zostało zmienione.</translation>
    </message>
    <message>
        <location filename="../../app/ui/messages.py" line="171"/>
        <source>The server refused the user name or password of “{url}”; nothing was changed.</source>
        <translation>Serwer odrzucił nazwę użytkownika lub hasło dla „{url}”; nic nie zostało zmienione.</translation>
    </message>
    <message>
        <location filename="../../app/ui/messages.py" line="172"/>
        <source>The server has no database named in “{url}”. Create it first (createdb); nothing was changed.</source>
        <translation>Na serwerze nie ma bazy danych podanej w „{url}”. Najpierw ją utwórz (createdb); nic nie zostało zmienione.</translation>
    </message>
    <message>
        <location filename="../../app/ui/messages.py" line="173"/>
        <source>The database server reported an error; nothing was changed. ({detail})</source>
        <translation>Serwer baz danych zgłosił błąd; nic nie zostało zmienione. ({detail})</translation>
    </message>
    <message>
        <location filename="../../app/ui/messages.py" line="174"/>
        <source>The database “{url}” holds the tables of another program. Nothing was changed in it.</source>
        <translation>Baza danych „{url}” zawiera tabele innego programu. Nic w niej nie zostało zmienione.</translation>
    </message>
    <message>
        <location filename="../../app/ui/messages.py" line="175"/>
        <source>The database “{url}” was written by a newer version of ClientCare. Nothing was changed in it.</source>
        <translation>Baza danych „{url}” została zapisana przez nowszą wersję ClientCare. Nic w niej nie zostało zmienione.</translation>
    </message>
    <message>
        <location filename="../../app/ui/messages.py" line="186"/>
        <source>The database “{url}” already holds data, so nothing was copied into it. Choose an empty database, or replace what it holds.</source>
        <translation>Baza danych „{url}” zawiera już dane, więc nic do niej nie skopiowano. Wybierz pustą bazę danych albo zastąp jej zawartość.</translation>
    </message>
    <message>
        <location filename="../../app/ui/messages.py" line="227"/>
        <source>The copy did not hold every row of the file ({tables}), so nothing was kept on the server.</source>
        <translation>Kopia nie zawierała wszystkich wierszy pliku ({tables}), więc nic nie zostało zapisane na serwerze.</translation>
    </message>
    <message>
        <location filename="../../app/ui/messages.py" line="228"/>
        <source>{name} is signed in as {role_name}: {action_name} is for {least_name}. Ask them, or sign in as them.</source>
        <translation>{name} jest zalogowany(-a) jako: {role_name}. Uprawnienie „{action_name}” ma rola: {least_name}. Poproś tę osobę albo zaloguj się jako ona.</translation>
    </message>
    <message>
        <location filename="../../app/ui/messages.py" line="230"/>
        <source>Too many wrong passwords: try again in {seconds} s.</source>
        <translation>Za dużo błędnych haseł: spróbuj ponownie za {seconds} s.</translation>
    </message>
    <message>
        <location filename="../../app/ui/messages.py" line="231"/>
        <source>{name} has no password yet: the owner gives one in Settings → Staff.</source>
        <translation>{name} nie ma jeszcze hasła: nadaje je właściciel w Ustawienia → Personel.</translation>
    </message>
    <message>
        <location filename="../../app/ui/messages.py" line="232"/>
        <source>The owner has a password already: sign in as the owner.</source>
        <translation>Właściciel ma już hasło: zaloguj się jako właściciel.</translation>
    </message>
    <message>
        <location filename="../../app/ui/messages.py" line="233"/>
        <source>Give the owner a password first (Settings → Staff), so somebody can always sign in.</source>
        <translation>Najpierw nadaj hasło właścicielowi (Ustawienia → Personel), aby zawsze ktoś mógł się zalogować.</translation>
    </message>
    <message>
        <location filename="../../app/ui/messages.py" line="234"/>
        <source>Use at least {minimum} characters.</source>
        <translation>Użyj co najmniej {minimum} znaków.</translation>
    </message>
    <message>
        <location filename="../../app/ui/messages.py" line="235"/>
        <source>The two passwords are not the same.</source>
        <translation>Oba hasła nie są takie same.</translation>
    </message>
    <message>
        <location filename="../../app/ui/messages.py" line="236"/>
        <source>pg_dump is not installed on this PC, so no backup of the office server was made. Install PostgreSQL&apos;s client programs, or schedule pg_dump on the server (see the README).</source>
        <translation>Na tym komputerze nie ma pg_dump, więc nie zrobiono kopii zapasowej serwera biura. Zainstaluj programy klienckie PostgreSQL albo zaplanuj pg_dump na serwerze (zob. README).</translation>
    </message>
    <message>
        <location filename="../../app/ui/messages.py" line="237"/>
        <source>The folder for the server&apos;s backups “{path}” cannot be created: {detail}</source>
        <translation>Nie można utworzyć folderu na kopie zapasowe serwera „{path}”: {detail}</translation>
    </message>
    <message>
        <location filename="../../app/ui/messages.py" line="238"/>
        <source>The backup of the office server failed; the database is as it was. pg_dump said: {detail}</source>
        <translation>Kopia zapasowa serwera biura nie powiodła się; baza danych jest taka jak była. pg_dump zgłosił: {detail}</translation>
    </message>
    <message>
        <location filename="../../app/ui/messages.py" line="250"/>
        <source>Something went wrong ({code}).</source>
        <translation>Coś poszło nie tak ({code}).</translation>
    </message>
    <message>
        <location filename="../../app/ui/message_dialog.py" line="49"/>
        <source>Follow-up after a purchase</source>
        <translation>Po zakupie</translation>
    </message>
    <message>
        <location filename="../../app/ui/message_dialog.py" line="50"/>
        <source>Renewal reminder</source>
        <translation>Przypomnienie o odnowieniu</translation>
    </message>
    <message>
        <location filename="../../app/ui/message_dialog.py" line="51"/>
        <source>Birthday greeting</source>
        <translation>Życzenia urodzinowe</translation>
    </message>
    <message>
        <location filename="../../app/ui/message_dialog.py" line="52"/>
        <source>Name-day greeting</source>
        <translation>Życzenia imieninowe</translation>
    </message>
    <message>
        <location filename="../../app/ui/message_dialog.py" line="53"/>
        <source>Win-back</source>
        <translation>Odzyskanie klienta</translation>
    </message>
    <message>
        <location filename="../../app/ui/message_dialog.py" line="54"/>
        <source>After a complaint</source>
        <translation>Po reklamacji</translation>
    </message>
    <message>
        <location filename="../../app/ui/message_dialog.py" line="55"/>
        <source>Free message</source>
        <translation>Dowolna wiadomość</translation>
    </message>
    <message>
        <location filename="../../app/ui/message_dialog.py" line="62"/>
        <source>English</source>
        <translation>angielski</translation>
    </message>
    <message>
        <location filename="../../app/ui/message_dialog.py" line="63"/>
        <source>Polish</source>
        <translation>polski</translation>
    </message>
    <message>
        <location filename="../../app/ui/message_dialog.py" line="64"/>
        <source>Russian</source>
        <translation>rosyjski</translation>
    </message>
    <message>
        <location filename="../../app/ui/message_dialog.py" line="65"/>
        <source>Bulgarian</source>
        <translation>bułgarski</translation>
    </message>
    <message>
        <location filename="../../app/ui/message_dialog.py" line="77"/>
        <source>sent</source>
        <translation>wysłana</translation>
    </message>
    <message>
        <location filename="../../app/ui/message_dialog.py" line="78"/>
        <source>not sent</source>
        <translation>niewysłana</translation>
    </message>
    <message>
        <location filename="../../app/ui/message_dialog.py" line="79"/>
        <source>not known whether sent</source>
        <translation>nie wiadomo, czy wysłana</translation>
    </message>
    <message>
        <location filename="../../app/ui/message_dialog.py" line="80"/>
        <source>not sent, let go</source>
        <translation>niewysłana, pominięta</translation>
    </message>
    <message>
        <location filename="../../app/ui/message_dialog.py" line="294"/>
        <source>%1: %2</source>
        <translation>%1: %2</translation>
    </message>
    <message>
        <location filename="../../app/ui/message_dialog.py" line="392"/>
        <source>Sending messages</source>
        <translation>Wysyłanie wiadomości</translation>
    </message>
    <message>
        <location filename="../../app/ui/message_dialog.py" line="396"/>
        <source>Preparing the messages</source>
        <translation>Przygotowywanie wiadomości</translation>
    </message>
</context>
<context>
    <name>MessagesPanel</name>
    <message>
        <location filename="../../app/ui/message_card.py" line="46"/>
        <location filename="../../app/ui/message_card.py" line="120"/>
        <source>Messages</source>
        <translation>Wiadomości</translation>
    </message>
    <message>
        <location filename="../../app/ui/message_card.py" line="49"/>
        <source>No message sent yet.</source>
        <extracomment>the list, made with the first message (a client without one shows a line)</extracomment>
        <translation>Nie wysłano jeszcze żadnej wiadomości.</translation>
    </message>
    <message>
        <location filename="../../app/ui/message_card.py" line="50"/>
        <source>Write a message…</source>
        <translation>Napisz wiadomość…</translation>
    </message>
    <message>
        <location filename="../../app/ui/message_card.py" line="52"/>
        <source>Send again</source>
        <translation>Wyślij ponownie</translation>
    </message>
    <message>
        <location filename="../../app/ui/message_card.py" line="54"/>
        <source>Let it go</source>
        <translation>Pomiń</translation>
    </message>
    <message>
        <location filename="../../app/ui/message_card.py" line="56"/>
        <source>Stop showing this message as not sent</source>
        <translation>Nie pokazuj już tej wiadomości jako niewysłanej</translation>
    </message>
    <message>
        <location filename="../../app/ui/message_card.py" line="76"/>
        <source>When</source>
        <translation>Kiedy</translation>
    </message>
    <message>
        <location filename="../../app/ui/message_card.py" line="76"/>
        <source>Channel</source>
        <translation>Kanał</translation>
    </message>
    <message>
        <location filename="../../app/ui/message_card.py" line="76"/>
        <source>To</source>
        <translation>Do</translation>
    </message>
    <message>
        <location filename="../../app/ui/message_card.py" line="77"/>
        <source>Result</source>
        <translation>Wynik</translation>
    </message>
    <message>
        <location filename="../../app/ui/message_card.py" line="77"/>
        <source>Text</source>
        <translation>Treść</translation>
    </message>
    <message numerus="yes">
        <location filename="../../app/ui/message_card.py" line="121"/>
        <source>%n not sent</source>
        <translation>
            <numerusform>%n niewysłana</numerusform>
            <numerusform>%n niewysłane</numerusform>
            <numerusform>%n niewysłanych</numerusform>
        </translation>
    </message>
    <message>
        <location filename="../../app/ui/message_card.py" line="165"/>
        <source>Sending the message again</source>
        <translation>Ponowne wysyłanie wiadomości</translation>
    </message>
</context>
<context>
    <name>MessagesSettings</name>
    <message>
        <location filename="../../app/ui/messages_settings.py" line="559"/>
        <source>Templates</source>
        <translation>Szablony</translation>
    </message>
    <message>
        <location filename="../../app/ui/messages_settings.py" line="560"/>
        <source>E-mail</source>
        <translation>E-mail</translation>
    </message>
    <message>
        <location filename="../../app/ui/messages_settings.py" line="561"/>
        <source>SMS</source>
        <translation>SMS</translation>
    </message>
</context>
<context>
    <name>MonthCalendar</name>
    <message numerus="yes">
        <location filename="../../app/ui/calendar_page.py" line="73"/>
        <source>%Ln call(s)</source>
        <translation>
            <numerusform>%Ln połączenie</numerusform>
            <numerusform>%Ln połączenia</numerusform>
            <numerusform>%Ln połączeń</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <location filename="../../app/ui/calendar_page.py" line="75"/>
        <source>%Ln meeting(s)</source>
        <translation>
            <numerusform>%Ln spotkanie</numerusform>
            <numerusform>%Ln spotkania</numerusform>
            <numerusform>%Ln spotkań</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <location filename="../../app/ui/calendar_page.py" line="77"/>
        <source>%Ln date(s)</source>
        <translation>
            <numerusform>%Ln data</numerusform>
            <numerusform>%Ln daty</numerusform>
            <numerusform>%Ln dat</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>NameDayOffer</name>
    <message>
        <location filename="../../app/ui/name_day_offer.py" line="62"/>
        <source>Name day (%1):</source>
        <comment>the client&apos;s name day as the calendar has it; %1 is the first name</comment>
        <extracomment>a compact offer&apos;s other days, in its button&apos;s menu</extracomment>
        <translation>Imieniny (%1):</translation>
    </message>
    <message>
        <location filename="../../app/ui/name_day_offer.py" line="67"/>
        <source>Add %1</source>
        <comment>add the name day on this day, e.g. &apos;Add 6 December&apos;</comment>
        <translation>Dodaj %1</translation>
    </message>
    <message>
        <location filename="../../app/ui/name_day_offer.py" line="76"/>
        <source>Add the name day on %1 to the client&apos;s personal dates; it is saved with the card</source>
        <translation>Dodaj imieniny %1 do dat osobistych klienta; zostaną zapisane razem z kartą</translation>
    </message>
    <message>
        <location filename="../../app/ui/name_day_offer.py" line="99"/>
        <source>✓ Name day %1 added.</source>
        <comment>to the client&apos;s personal dates, saved with the card</comment>
        <translation>✓ Dodano imieniny %1.</translation>
    </message>
</context>
<context>
    <name>OfficeSettings</name>
    <message>
        <location filename="../../app/ui/office_settings.py" line="88"/>
        <source>This PC</source>
        <extracomment>(the choice, the password as typed) of the last test that passed: saving needs exactly these values the values the keyring keeps a password for (None: none kept, or not asked)</extracomment>
        <translation>Ten komputer</translation>
    </message>
    <message>
        <location filename="../../app/ui/office_settings.py" line="95"/>
        <source>the server&apos;s name or IP address, such as 192.168.1.10</source>
        <translation>nazwa lub adres IP serwera, np. 192.168.1.10</translation>
    </message>
    <message>
        <location filename="../../app/ui/office_settings.py" line="105"/>
        <source>such as clientcare</source>
        <translation>np. clientcare</translation>
    </message>
    <message>
        <location filename="../../app/ui/office_settings.py" line="114"/>
        <source>Test the connection</source>
        <translation>Sprawdź połączenie z serwerem</translation>
    </message>
    <message>
        <location filename="../../app/ui/office_settings.py" line="118"/>
        <source>Use this server on this PC</source>
        <translation>Używaj tego serwera na tym komputerze</translation>
    </message>
    <message>
        <location filename="../../app/ui/office_settings.py" line="120"/>
        <source>Use this PC&apos;s own file</source>
        <translation>Używaj własnego pliku tego komputera</translation>
    </message>
    <message>
        <location filename="../../app/ui/office_settings.py" line="127"/>
        <source>Office server</source>
        <translation>Serwer biura</translation>
    </message>
    <message>
        <location filename="../../app/ui/office_settings.py" line="129"/>
        <source>Server</source>
        <translation>Serwer</translation>
    </message>
    <message>
        <location filename="../../app/ui/office_settings.py" line="131"/>
        <source>Port</source>
        <translation>Port</translation>
    </message>
    <message>
        <location filename="../../app/ui/office_settings.py" line="133"/>
        <source>Database</source>
        <translation>Baza danych</translation>
    </message>
    <message>
        <location filename="../../app/ui/office_settings.py" line="135"/>
        <source>User</source>
        <translation>Użytkownik</translation>
    </message>
    <message>
        <location filename="../../app/ui/office_settings.py" line="137"/>
        <source>Password</source>
        <translation>Hasło</translation>
    </message>
    <message>
        <location filename="../../app/ui/office_settings.py" line="150"/>
        <source>Every PC of the office opens the same database on the server. Test the connection first; the choice takes effect at the next start of ClientCare. The password is kept in this PC&apos;s system keyring, never in a file or in the database. If the server is down at a start, ClientCare offers this PC&apos;s own file.</source>
        <translation>Każdy komputer w biurze otwiera tę samą bazę danych na serwerze. Najpierw sprawdź połączenie z serwerem; wybór zacznie działać przy następnym uruchomieniu ClientCare. Hasło jest przechowywane w systemowym pęku kluczy tego komputera, nigdy w pliku ani w bazie danych. Jeśli przy uruchomieniu serwer nie działa, ClientCare zaproponuje własny plik tego komputera.</translation>
    </message>
    <message>
        <location filename="../../app/ui/office_settings.py" line="181"/>
        <source>This window works on the office server “%1”, port %2, database “%3”, as the user “%4”.</source>
        <translation>To okno pracuje na serwerze biura „%1”, port %2, baza danych „%3”, jako użytkownik „%4”.</translation>
    </message>
    <message>
        <location filename="../../app/ui/office_settings.py" line="187"/>
        <source>This window works on this PC&apos;s own file “%1”.</source>
        <translation>To okno pracuje na własnym pliku tego komputera „%1”.</translation>
    </message>
    <message>
        <location filename="../../app/ui/office_settings.py" line="209"/>
        <source>At its next start, ClientCare on this PC opens this PC&apos;s own file.</source>
        <translation>Przy następnym uruchomieniu ClientCare na tym komputerze otworzy własny plik tego komputera.</translation>
    </message>
    <message>
        <location filename="../../app/ui/office_settings.py" line="212"/>
        <source>At its next start, ClientCare on this PC opens the office server “%1”, port %2, database “%3”, as the user “%4”.</source>
        <translation>Przy następnym uruchomieniu ClientCare na tym komputerze otworzy serwer biura „%1”, port %2, baza danych „%3”, jako użytkownik „%4”.</translation>
    </message>
    <message>
        <location filename="../../app/ui/office_settings.py" line="244"/>
        <source>kept in the system keyring</source>
        <translation>przechowywane w systemowym pęku kluczy</translation>
    </message>
    <message>
        <location filename="../../app/ui/office_settings.py" line="234"/>
        <source>Reading the system keyring</source>
        <translation>Odczyt systemowego pęku kluczy</translation>
    </message>
    <message>
        <location filename="../../app/ui/office_settings.py" line="282"/>
        <source>Connecting…</source>
        <translation>Łączenie…</translation>
    </message>
    <message>
        <location filename="../../app/ui/office_settings.py" line="305"/>
        <source>Testing the connection</source>
        <translation>Sprawdzanie połączenia z serwerem</translation>
    </message>
    <message>
        <location filename="../../app/ui/office_settings.py" line="312"/>
        <source>The database is empty: ClientCare sets it up at the first start on it.</source>
        <translation>Baza danych jest pusta: ClientCare przygotuje ją przy pierwszym uruchomieniu na niej.</translation>
    </message>
    <message>
        <location filename="../../app/ui/office_settings.py" line="315"/>
        <source>The database was saved by an older ClientCare: it is updated at the first start on it.</source>
        <translation>Bazę danych zapisała starsza wersja ClientCare: zostanie zaktualizowana przy pierwszym uruchomieniu na niej.</translation>
    </message>
    <message>
        <location filename="../../app/ui/office_settings.py" line="318"/>
        <source>The database is ready for this ClientCare.</source>
        <translation>Baza danych jest gotowa dla tej wersji ClientCare.</translation>
    </message>
    <message>
        <location filename="../../app/ui/office_settings.py" line="319"/>
        <source>Connected to PostgreSQL %1.</source>
        <translation>Połączono z PostgreSQL %1.</translation>
    </message>
    <message>
        <location filename="../../app/ui/office_settings.py" line="330"/>
        <source>Test the connection first: this PC uses the server only after a test of these values that passes.</source>
        <translation>Najpierw sprawdź połączenie z serwerem: ten komputer użyje serwera dopiero po udanym sprawdzeniu tych danych.</translation>
    </message>
    <message>
        <location filename="../../app/ui/office_settings.py" line="350"/>
        <source>Saved. ClientCare on this PC opens this server from its next start.</source>
        <translation>Zapisano. ClientCare na tym komputerze otworzy ten serwer od następnego uruchomienia.</translation>
    </message>
    <message>
        <location filename="../../app/ui/office_settings.py" line="357"/>
        <source>Saving the office server</source>
        <translation>Zapisywanie serwera biura</translation>
    </message>
    <message>
        <location filename="../../app/ui/office_settings.py" line="379"/>
        <source>Forgotten. ClientCare on this PC opens its own file from its next start.</source>
        <translation>Zapomniano. ClientCare na tym komputerze otworzy własny plik od następnego uruchomienia.</translation>
    </message>
    <message>
        <location filename="../../app/ui/office_settings.py" line="386"/>
        <source>Forgetting the office server</source>
        <translation>Zapominanie serwera biura</translation>
    </message>
</context>
<context>
    <name>Ops</name>
    <message>
        <location filename="../../app/ui/ops.py" line="277"/>
        <source>ClientCare</source>
        <extracomment>on an office server: the other desks&apos; changes (app/ui/live_changes.py)</extracomment>
        <translation>ClientCare</translation>
    </message>
</context>
<context>
    <name>PasswordDialog</name>
    <message>
        <location filename="../../app/ui/sign_in.py" line="178"/>
        <location filename="../../app/ui/sign_in.py" line="185"/>
        <source>Password</source>
        <translation>Hasło</translation>
    </message>
    <message>
        <location filename="../../app/ui/sign_in.py" line="179"/>
        <source>A new password for %1, at least %2 characters.</source>
        <translation>Nowe hasło dla: %1, co najmniej %2 znaków.</translation>
    </message>
    <message>
        <location filename="../../app/ui/sign_in.py" line="180"/>
        <source>Set the password</source>
        <translation>Ustaw hasło</translation>
    </message>
    <message>
        <location filename="../../app/ui/sign_in.py" line="186"/>
        <source>Password again</source>
        <translation>Hasło ponownie</translation>
    </message>
</context>
<context>
    <name>PersonalDateDialog</name>
    <message>
        <location filename="../../app/ui/card_dialogs.py" line="300"/>
        <source>Personal date</source>
        <translation>Data osobista</translation>
    </message>
    <message>
        <location filename="../../app/ui/card_dialogs.py" line="309"/>
        <source>Whose</source>
        <translation>Czyja</translation>
    </message>
    <message>
        <location filename="../../app/ui/card_dialogs.py" line="314"/>
        <source>Kind</source>
        <translation>Rodzaj</translation>
    </message>
    <message>
        <location filename="../../app/ui/card_dialogs.py" line="319"/>
        <source>Label</source>
        <translation>Nazwa</translation>
    </message>
    <message>
        <location filename="../../app/ui/card_dialogs.py" line="331"/>
        <source>year unknown</source>
        <translation>rok nieznany</translation>
    </message>
    <message>
        <location filename="../../app/ui/card_dialogs.py" line="334"/>
        <source>Day</source>
        <translation>Dzień</translation>
    </message>
    <message>
        <location filename="../../app/ui/card_dialogs.py" line="335"/>
        <source>Month</source>
        <translation>Miesiąc</translation>
    </message>
    <message>
        <location filename="../../app/ui/card_dialogs.py" line="336"/>
        <source>Year</source>
        <translation>Rok</translation>
    </message>
    <message>
        <location filename="../../app/ui/card_dialogs.py" line="339"/>
        <source>business default</source>
        <translation>domyślne dla firmy</translation>
    </message>
    <message>
        <location filename="../../app/ui/card_dialogs.py" line="341"/>
        <source>Gift reminder, days before</source>
        <translation>Przypomnienie o prezencie, dni wcześniej</translation>
    </message>
    <message>
        <location filename="../../app/ui/card_dialogs.py" line="361"/>
        <source>In the calendar: %1</source>
        <translation>W kalendarzu: %1</translation>
    </message>
</context>
<context>
    <name>PickClientDialog</name>
    <message>
        <location filename="../../app/ui/complaints_page.py" line="522"/>
        <source>New complaint</source>
        <translation>Nowa reklamacja</translation>
    </message>
    <message>
        <location filename="../../app/ui/complaints_page.py" line="525"/>
        <source>Type part of the client&apos;s name or phone</source>
        <translation>Wpisz fragment nazwy lub numeru telefonu klienta</translation>
    </message>
    <message>
        <location filename="../../app/ui/complaints_page.py" line="528"/>
        <source>Client</source>
        <translation>Klient</translation>
    </message>
    <message>
        <location filename="../../app/ui/complaints_page.py" line="539"/>
        <source>Pick the client from the suggestions.</source>
        <translation>Wybierz klienta z podpowiedzi.</translation>
    </message>
</context>
<context>
    <name>PrintedList</name>
    <message>
        <location filename="../../app/ui/printing.py" line="140"/>
        <source>Page %1 of %2</source>
        <extracomment>families tried first, in this order: each writes Latin and Cyrillic (DejaVu Sans is what Debian&apos;s fonts-dejavu-core brings, and what CI installs) every printed list must write these (a Polish shop has Ukrainian clients too) countries whose paper is Letter, not A4</extracomment>
        <translation>Strona %1 z %2</translation>
    </message>
    <message>
        <location filename="../../app/ui/printing.py" line="146"/>
        <source>Calls of %1</source>
        <translation>Połączenia: %1</translation>
    </message>
    <message numerus="yes">
        <location filename="../../app/ui/printing.py" line="220"/>
        <source>%Ln call(s) to make</source>
        <translation>
            <numerusform>%Ln połączenie do wykonania</numerusform>
            <numerusform>%Ln połączenia do wykonania</numerusform>
            <numerusform>%Ln połączeń do wykonania</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <location filename="../../app/ui/printing.py" line="222"/>
        <source>%Ln overdue</source>
        <translation>
            <numerusform>%Ln zaległy</numerusform>
            <numerusform>%Ln zaległe</numerusform>
            <numerusform>%Ln zaległych</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <location filename="../../app/ui/printing.py" line="225"/>
        <source>%Ln logged</source>
        <translation>
            <numerusform>%Ln zapisana</numerusform>
            <numerusform>%Ln zapisane</numerusform>
            <numerusform>%Ln zapisanych</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <location filename="../../app/ui/printing.py" line="232"/>
        <source>Only the first %Ln call(s) are printed; Today lists the others.</source>
        <translation>
            <numerusform>Wydrukowano tylko pierwsze %Ln połączenie; pozostałe są na stronie Dziś.</numerusform>
            <numerusform>Wydrukowano tylko pierwsze %Ln połączenia; pozostałe są na stronie Dziś.</numerusform>
            <numerusform>Wydrukowano tylko pierwszych %Ln połączeń; pozostałe są na stronie Dziś.</numerusform>
        </translation>
    </message>
    <message>
        <location filename="../../app/ui/printing.py" line="235"/>
        <location filename="../../app/ui/printing.py" line="256"/>
        <source>When</source>
        <translation>Kiedy</translation>
    </message>
    <message>
        <location filename="../../app/ui/printing.py" line="235"/>
        <location filename="../../app/ui/printing.py" line="256"/>
        <source>Client</source>
        <translation>Klient</translation>
    </message>
    <message>
        <location filename="../../app/ui/printing.py" line="236"/>
        <source>Phone</source>
        <translation>Telefon</translation>
    </message>
    <message>
        <location filename="../../app/ui/printing.py" line="236"/>
        <source>Purpose</source>
        <translation>Cel</translation>
    </message>
    <message>
        <location filename="../../app/ui/printing.py" line="237"/>
        <source>Before you call</source>
        <translation>Zanim zadzwonisz</translation>
    </message>
    <message>
        <location filename="../../app/ui/printing.py" line="238"/>
        <source>Outcome</source>
        <translation>Wynik</translation>
    </message>
    <message>
        <location filename="../../app/ui/printing.py" line="250"/>
        <source>No call to make on this day.</source>
        <translation>Brak połączeń na ten dzień.</translation>
    </message>
    <message>
        <location filename="../../app/ui/printing.py" line="254"/>
        <source>To do — not calls</source>
        <translation>Do zrobienia — to nie połączenia</translation>
    </message>
    <message>
        <location filename="../../app/ui/printing.py" line="257"/>
        <source>To do</source>
        <translation>Do zrobienia</translation>
    </message>
    <message>
        <location filename="../../app/ui/printing.py" line="257"/>
        <source>Done</source>
        <translation>Zrobione</translation>
    </message>
    <message>
        <location filename="../../app/ui/printing.py" line="509"/>
        <source>Calls %1.pdf</source>
        <extracomment>a page&apos;s part of a table: (which table, its first row, the row after its last) rows laid out at a time while they are measured: each layout is one call into Qt that holds the interpreter (a table of 1,000 rows at once: 1.3 s; 30 rows: a few ms each)</extracomment>
        <translation>Połączenia %1.pdf</translation>
    </message>
    <message>
        <location filename="../../app/ui/printing.py" line="517"/>
        <source>Print the day&apos;s list</source>
        <translation>Drukuj listę na dziś</translation>
    </message>
    <message>
        <location filename="../../app/ui/printing.py" line="529"/>
        <source>Save the day&apos;s list as PDF</source>
        <translation>Zapisz listę na dziś jako PDF</translation>
    </message>
    <message>
        <location filename="../../app/ui/printing.py" line="530"/>
        <source>PDF files (*.pdf)</source>
        <translation>Pliki PDF (*.pdf)</translation>
    </message>
    <message numerus="yes">
        <location filename="../../app/ui/printing.py" line="577"/>
        <source>The day&apos;s list was sent to the printer (%Ln page(s)).</source>
        <translation>
            <numerusform>Lista na dziś została wysłana do drukarki (%Ln strona).</numerusform>
            <numerusform>Lista na dziś została wysłana do drukarki (%Ln strony).</numerusform>
            <numerusform>Lista na dziś została wysłana do drukarki (%Ln stron).</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <location filename="../../app/ui/printing.py" line="588"/>
        <source>The day&apos;s list was saved to %1 (%Ln page(s)).</source>
        <translation>
            <numerusform>Lista na dziś została zapisana w %1 (%Ln strona).</numerusform>
            <numerusform>Lista na dziś została zapisana w %1 (%Ln strony).</numerusform>
            <numerusform>Lista na dziś została zapisana w %1 (%Ln stron).</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>Progress</name>
    <message>
        <location filename="../../app/ui/worded_progress.py" line="71"/>
        <source>Reading and checking the file: row %1 of %2…</source>
        <translation>Wczytywanie i sprawdzanie pliku: wiersz %1 z %2…</translation>
    </message>
    <message numerus="yes">
        <location filename="../../app/ui/worded_progress.py" line="51"/>
        <source>Importing: %1 of %Ln row(s) written…</source>
        <extracomment>a stage code -&gt; its sentence for (done, total); total may be None (not known)</extracomment>
        <translation>
            <numerusform>Importowanie: zapisano %1 z %Ln wiersza…</numerusform>
            <numerusform>Importowanie: zapisano %1 z %Ln wierszy…</numerusform>
            <numerusform>Importowanie: zapisano %1 z %Ln wierszy…</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <location filename="../../app/ui/worded_progress.py" line="56"/>
        <source>Exporting: %1 of %Ln row(s) written…</source>
        <translation>
            <numerusform>Eksportowanie: zapisano %1 z %Ln wiersza…</numerusform>
            <numerusform>Eksportowanie: zapisano %1 z %Ln wierszy…</numerusform>
            <numerusform>Eksportowanie: zapisano %1 z %Ln wierszy…</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <location filename="../../app/ui/worded_progress.py" line="61"/>
        <source>Exporting the calendar: %1 of %Ln event(s)…</source>
        <translation>
            <numerusform>Eksportowanie kalendarza: %1 z %Ln wydarzenia…</numerusform>
            <numerusform>Eksportowanie kalendarza: %1 z %Ln wydarzeń…</numerusform>
            <numerusform>Eksportowanie kalendarza: %1 z %Ln wydarzeń…</numerusform>
        </translation>
    </message>
    <message>
        <location filename="../../app/ui/worded_progress.py" line="75"/>
        <source>Planning the calls of the imported clients…</source>
        <translation>Planowanie połączeń do zaimportowanych klientów…</translation>
    </message>
    <message>
        <location filename="../../app/ui/worded_progress.py" line="77"/>
        <source>Copying the database: %1 %…</source>
        <translation>Kopiowanie bazy danych: %1 %…</translation>
    </message>
    <message>
        <location filename="../../app/ui/worded_progress.py" line="79"/>
        <source>Checking the copy…</source>
        <translation>Sprawdzanie kopii…</translation>
    </message>
    <message>
        <location filename="../../app/ui/worded_progress.py" line="82"/>
        <source>Checking every page of the database…</source>
        <translation>Sprawdzanie każdej strony bazy danych…</translation>
    </message>
</context>
<context>
    <name>PurchaseDialog</name>
    <message>
        <location filename="../../app/ui/card_dialogs.py" line="133"/>
        <source>Purchase</source>
        <translation>Zakup</translation>
    </message>
    <message>
        <location filename="../../app/ui/card_dialogs.py" line="134"/>
        <source>Edit purchase</source>
        <translation>Edycja zakupu</translation>
    </message>
    <message>
        <location filename="../../app/ui/card_dialogs.py" line="137"/>
        <source>Date</source>
        <translation>Data</translation>
    </message>
    <message>
        <location filename="../../app/ui/card_dialogs.py" line="139"/>
        <source>Amount</source>
        <translation>Kwota</translation>
    </message>
    <message>
        <location filename="../../app/ui/card_dialogs.py" line="143"/>
        <source>Item or service</source>
        <translation>Produkt lub usługa</translation>
    </message>
    <message>
        <location filename="../../app/ui/card_dialogs.py" line="145"/>
        <source>Quantity</source>
        <translation>Ilość</translation>
    </message>
    <message>
        <location filename="../../app/ui/card_dialogs.py" line="148"/>
        <source>Note</source>
        <translation>Notatka</translation>
    </message>
    <message>
        <location filename="../../app/ui/card_dialogs.py" line="175"/>
        <source>A purchase in the future</source>
        <translation>Zakup w przyszłości</translation>
    </message>
    <message>
        <location filename="../../app/ui/card_dialogs.py" line="176"/>
        <source>This purchase is dated %1, after today. Save it with this date?</source>
        <translation>Ten zakup ma datę %1, późniejszą niż dziś. Zapisać go z tą datą?</translation>
    </message>
</context>
<context>
    <name>QueueModel</name>
    <message>
        <location filename="../../app/ui/today_page.py" line="215"/>
        <location filename="../../app/ui/today_page.py" line="218"/>
        <source>Due</source>
        <extracomment>client id -&gt; their newest message that failed (issue 18), for the rows read</extracomment>
        <translation>Termin</translation>
    </message>
    <message>
        <location filename="../../app/ui/today_page.py" line="215"/>
        <location filename="../../app/ui/today_page.py" line="218"/>
        <source>Client</source>
        <translation>Klient</translation>
    </message>
    <message>
        <location filename="../../app/ui/today_page.py" line="215"/>
        <source>To do</source>
        <translation>Do zrobienia</translation>
    </message>
    <message>
        <location filename="../../app/ui/today_page.py" line="216"/>
        <source>How it is done</source>
        <translation>Jak to zrobić</translation>
    </message>
    <message>
        <location filename="../../app/ui/today_page.py" line="218"/>
        <source>Reason</source>
        <translation>Powód</translation>
    </message>
    <message>
        <location filename="../../app/ui/today_page.py" line="219"/>
        <source>Phone</source>
        <translation>Telefon</translation>
    </message>
    <message>
        <location filename="../../app/ui/today_page.py" line="219"/>
        <source>Before you call</source>
        <translation>Zanim zadzwonisz</translation>
    </message>
    <message>
        <location filename="../../app/ui/today_page.py" line="249"/>
        <source>done</source>
        <translation>zrobione</translation>
    </message>
    <message numerus="yes">
        <location filename="../../app/ui/today_page.py" line="251"/>
        <source>%Ln day(s) late</source>
        <translation>
            <numerusform>%Ln dzień po terminie</numerusform>
            <numerusform>%Ln dni po terminie</numerusform>
            <numerusform>%Ln dni po terminie</numerusform>
        </translation>
    </message>
    <message>
        <location filename="../../app/ui/today_page.py" line="252"/>
        <source>today</source>
        <translation>dziś</translation>
    </message>
    <message>
        <location filename="../../app/ui/printing.py" line="183"/>
        <location filename="../../app/ui/today_page.py" line="255"/>
        <source>(the business)</source>
        <translation>(firma)</translation>
    </message>
    <message>
        <location filename="../../app/ui/printing.py" line="175"/>
        <location filename="../../app/ui/today_page.py" line="263"/>
        <source>try %1</source>
        <translation>próba %1</translation>
    </message>
    <message>
        <location filename="../../app/ui/today_page.py" line="292"/>
        <source>Enter opens the A/B/C review</source>
        <translation>Enter otwiera przegląd grup A/B/C</translation>
    </message>
    <message>
        <location filename="../../app/ui/today_page.py" line="294"/>
        <source>Enter opens the complaint&apos;s review</source>
        <translation>Enter otwiera przegląd reklamacji</translation>
    </message>
    <message>
        <location filename="../../app/ui/today_page.py" line="295"/>
        <source>“Mark done” when it is ready</source>
        <translation>„Zrobione”, gdy będzie gotowe</translation>
    </message>
    <message>
        <location filename="../../app/ui/today_page.py" line="300"/>
        <source>message not sent (S sends it again)</source>
        <translation>wiadomość niewysłana (S wysyła ją ponownie)</translation>
    </message>
    <message>
        <location filename="../../app/ui/today_page.py" line="302"/>
        <source>prefers a message (S)</source>
        <translation>woli wiadomość (S)</translation>
    </message>
    <message>
        <location filename="../../app/ui/today_page.py" line="307"/>
        <source>do not contact</source>
        <translation>nie kontaktować się</translation>
    </message>
    <message>
        <location filename="../../app/ui/today_page.py" line="309"/>
        <source>open complaint</source>
        <translation>otwarta reklamacja</translation>
    </message>
    <message>
        <location filename="../../app/ui/today_page.py" line="313"/>
        <source>promo</source>
        <translation>promocja</translation>
    </message>
    <message>
        <location filename="../../app/ui/today_page.py" line="315"/>
        <source>discount</source>
        <translation>rabat</translation>
    </message>
    <message>
        <location filename="../../app/ui/today_page.py" line="317"/>
        <source>frozen</source>
        <translation>zamrożenie</translation>
    </message>
    <message>
        <location filename="../../app/ui/today_page.py" line="319"/>
        <source>new client</source>
        <translation>nowy klient</translation>
    </message>
    <message>
        <location filename="../../app/ui/today_page.py" line="321"/>
        <source>last contact %1 (%2)</source>
        <translation>ostatni kontakt %1 (%2)</translation>
    </message>
    <message numerus="yes">
        <location filename="../../app/ui/today_page.py" line="324"/>
        <source>no answer %n time(s)</source>
        <translation>
            <numerusform>nie odbiera: %n próba</numerusform>
            <numerusform>nie odbiera: %n próby</numerusform>
            <numerusform>nie odbiera: %n prób</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>RelativeDialog</name>
    <message>
        <location filename="../../app/ui/card_dialogs.py" line="260"/>
        <source>Family member</source>
        <translation>Członek rodziny</translation>
    </message>
    <message>
        <location filename="../../app/ui/card_dialogs.py" line="262"/>
        <source>Name</source>
        <translation>Imię</translation>
    </message>
    <message>
        <location filename="../../app/ui/card_dialogs.py" line="268"/>
        <source>Relation</source>
        <translation>Relacja</translation>
    </message>
    <message>
        <location filename="../../app/ui/card_dialogs.py" line="271"/>
        <source>Note (tastes, gift ideas)</source>
        <translation>Notatka (gusty, pomysły na prezenty)</translation>
    </message>
</context>
<context>
    <name>RescheduleDialog</name>
    <message>
        <location filename="../../app/ui/today_page.py" line="1403"/>
        <source>Reschedule</source>
        <translation>Zmiana terminu</translation>
    </message>
    <message>
        <location filename="../../app/ui/today_page.py" line="1412"/>
        <source>Call on:</source>
        <translation>Zadzwonić dnia:</translation>
    </message>
</context>
<context>
    <name>RiskCheck</name>
    <message numerus="yes">
        <location filename="../../app/ui/charts_page.py" line="386"/>
        <source>Of the %Ln client(s) who had bought by %1, %2 bought nothing in the %3 after.</source>
        <translation>
            <numerusform>Spośród %Ln klienta, który kupił coś do %1, przez kolejne %3 nie kupił nic: %2.</numerusform>
            <numerusform>Spośród %Ln klientów, którzy kupili coś do %1, przez kolejne %3 nie kupili nic: %2.</numerusform>
            <numerusform>Spośród %Ln klientów, którzy kupili coś do %1, przez kolejne %3 nie kupili nic: %2.</numerusform>
        </translation>
    </message>
    <message>
        <location filename="../../app/ui/charts_page.py" line="389"/>
        <source>The at-risk flag caught %1 of them (recall), and %2 of the clients it flagged were really lost (precision).</source>
        <translation>Oznaczenie „zagrożony” wskazało %1 z nich (czułość), a %2 oznaczonych klientów rzeczywiście odeszło (precyzja).</translation>
    </message>
    <message>
        <location filename="../../app/ui/charts_page.py" line="393"/>
        <source>How well each sorts the lost above the others (AUC: 0.5 is a coin toss, 1 is perfect): the risk score %1, days since the last purchase alone %2, the at-risk flag %3.</source>
        <translation>Jak dobrze każda miara stawia odchodzących przed pozostałymi (AUC: 0,5 to rzut monetą, 1 to ideał): ocena ryzyka %1, same dni od ostatniego zakupu %2, oznaczenie „zagrożony” %3.</translation>
    </message>
    <message>
        <location filename="../../app/ui/charts_page.py" line="400"/>
        <source>The flag is a risk score of %1 or more (Settings, Rules). The old rule, days since the last purchase against the usual gap, caught %2 and was right for %3 (AUC %4).</source>
        <translation>Flaga to ocena ryzyka %1 lub więcej (Ustawienia, Reguły). Stara reguła, dni od ostatniego zakupu wobec zwykłej przerwy, wychwyciła %2 i miała rację w %3 (AUC %4).</translation>
    </message>
    <message>
        <location filename="../../app/ui/charts_page.py" line="407"/>
        <source>There is too little history for a fitted model yet: the score compares the days since the last purchase with the client&apos;s usual gap.</source>
        <translation>Historia jest jeszcze za krótka na dopasowany model: ocena porównuje dni od ostatniego zakupu ze zwykłą przerwą klienta.</translation>
    </message>
</context>
<context>
    <name>RiskCheckPanel</name>
    <message>
        <location filename="../../app/ui/charts_page.py" line="426"/>
        <source>How well does at-risk predict, on your own data</source>
        <translation>Jak trafnie „zagrożony” przewiduje odejścia, na Twoich danych</translation>
    </message>
    <message>
        <location filename="../../app/ui/charts_page.py" line="434"/>
        <source> days</source>
        <translation> dni</translation>
    </message>
    <message>
        <location filename="../../app/ui/charts_page.py" line="435"/>
        <source>Check</source>
        <translation>Sprawdź</translation>
    </message>
    <message>
        <location filename="../../app/ui/charts_page.py" line="438"/>
        <source>Cut the history at a date, score every client as the app would have then, and compare with who bought nothing in the days after.</source>
        <translation>Utnij historię na wybranym dniu, oceń każdego klienta tak, jak zrobiłaby to wtedy aplikacja, i porównaj z tym, kto przez kolejne dni nic nie kupił.</translation>
    </message>
    <message>
        <location filename="../../app/ui/charts_page.py" line="445"/>
        <source>History up to</source>
        <translation>Historia do</translation>
    </message>
    <message>
        <location filename="../../app/ui/charts_page.py" line="447"/>
        <source>lost if no purchase within</source>
        <translation>odszedł, jeśli nie kupił w ciągu</translation>
    </message>
    <message>
        <location filename="../../app/ui/charts_page.py" line="470"/>
        <source>Checking…</source>
        <translation>Sprawdzanie…</translation>
    </message>
    <message>
        <location filename="../../app/ui/charts_page.py" line="471"/>
        <source>Checking the risk score on your history…</source>
        <translation>Sprawdzanie oceny ryzyka na Twojej historii…</translation>
    </message>
    <message>
        <location filename="../../app/ui/charts_page.py" line="490"/>
        <source>Checking the risk score…</source>
        <translation>Sprawdzanie oceny ryzyka…</translation>
    </message>
</context>
<context>
    <name>RiskRefresher</name>
    <message>
        <location filename="../../app/ui/risk_refresh.py" line="98"/>
        <source>Risk scores: reading the purchases…</source>
        <translation>Ocena ryzyka: odczyt zakupów…</translation>
    </message>
    <message>
        <location filename="../../app/ui/risk_refresh.py" line="126"/>
        <source>Risk scores: computing (step %1 of %2)…</source>
        <translation>Ocena ryzyka: obliczanie (krok %1 z %2)…</translation>
    </message>
    <message>
        <location filename="../../app/ui/risk_refresh.py" line="139"/>
        <location filename="../../app/ui/risk_refresh.py" line="143"/>
        <source>Risk scores: saving…</source>
        <translation>Ocena ryzyka: zapisywanie…</translation>
    </message>
</context>
<context>
    <name>RiskWords</name>
    <message>
        <location filename="../../app/ui/risk_words.py" line="22"/>
        <source>high risk</source>
        <translation>wysokie ryzyko</translation>
    </message>
    <message>
        <location filename="../../app/ui/risk_words.py" line="23"/>
        <source>medium risk</source>
        <translation>średnie ryzyko</translation>
    </message>
    <message>
        <location filename="../../app/ui/risk_words.py" line="24"/>
        <source>low risk</source>
        <translation>niskie ryzyko</translation>
    </message>
    <message>
        <location filename="../../app/ui/risk_words.py" line="29"/>
        <source>High risk</source>
        <translation>Wysokie ryzyko</translation>
    </message>
    <message>
        <location filename="../../app/ui/risk_words.py" line="30"/>
        <source>Medium risk</source>
        <translation>Średnie ryzyko</translation>
    </message>
    <message>
        <location filename="../../app/ui/risk_words.py" line="31"/>
        <source>Low risk</source>
        <translation>Niskie ryzyko</translation>
    </message>
    <message>
        <location filename="../../app/ui/risk_words.py" line="37"/>
        <source>%1 %</source>
        <comment>a risk score in percent</comment>
        <translation>%1%</translation>
    </message>
    <message numerus="yes">
        <location filename="../../app/ui/risk_words.py" line="42"/>
        <source>%n day(s)</source>
        <translation>
            <numerusform>%n dzień</numerusform>
            <numerusform>%n dni</numerusform>
            <numerusform>%n dni</numerusform>
        </translation>
    </message>
    <message>
        <location filename="../../app/ui/risk_words.py" line="53"/>
        <source>usual gap %1, %2 since the last purchase (%3×), 12-month value %4: %5</source>
        <translation>zwykła przerwa %1, od ostatniego zakupu %2 (%3×), wartość z 12 miesięcy %4: %5</translation>
    </message>
    <message numerus="yes">
        <location filename="../../app/ui/risk_words.py" line="56"/>
        <source>%n purchase day(s)</source>
        <translation>
            <numerusform>%n dzień z zakupem</numerusform>
            <numerusform>%n dni z zakupami</numerusform>
            <numerusform>%n dni z zakupami</numerusform>
        </translation>
    </message>
    <message>
        <location filename="../../app/ui/risk_words.py" line="57"/>
        <source>%1, %2 since the last one; the business&apos;s usual gap is %3 (%4×), 12-month value %5: %6</source>
        <translation>%1, od ostatniego %2; zwykła przerwa w firmie to %3 (%4×), wartość z 12 miesięcy %5: %6</translation>
    </message>
    <message>
        <location filename="../../app/ui/risk_words.py" line="65"/>
        <source>not past the usual gap yet</source>
        <translation>jeszcze w granicach zwykłej przerwy</translation>
    </message>
    <message numerus="yes">
        <location filename="../../app/ui/risk_words.py" line="66"/>
        <source>%n day(s) past the usual gap</source>
        <translation>
            <numerusform>%n dzień ponad zwykłą przerwę</numerusform>
            <numerusform>%n dni ponad zwykłą przerwę</numerusform>
            <numerusform>%n dni ponad zwykłą przerwę</numerusform>
        </translation>
    </message>
    <message>
        <location filename="../../app/ui/risk_words.py" line="71"/>
        <source>No risk score yet (it is computed after the start of the day and after an import): the at-risk status follows the days since the last purchase over the usual gap.</source>
        <translation>Nie ma jeszcze oceny ryzyka (jest obliczana po rozpoczęciu dnia i po imporcie): o statusie „Zagrożony” decyduje liczba dni od ostatniego zakupu w porównaniu ze zwykłą przerwą.</translation>
    </message>
    <message>
        <location filename="../../app/ui/risk_words.py" line="77"/>
        <source>A purchase came after the last risk score: until it is computed again, the at-risk status follows the days since the last purchase over the usual gap.</source>
        <translation>Po ostatniej ocenie ryzyka był nowy zakup: do ponownego obliczenia o statusie „Zagrożony” decyduje liczba dni od ostatniego zakupu w porównaniu ze zwykłą przerwą.</translation>
    </message>
    <message>
        <location filename="../../app/ui/risk_words.py" line="84"/>
        <source>BG/NBD model</source>
        <translation>model BG/NBD</translation>
    </message>
    <message>
        <location filename="../../app/ui/risk_words.py" line="85"/>
        <source>logistic model</source>
        <translation>model logistyczny</translation>
    </message>
    <message>
        <location filename="../../app/ui/risk_words.py" line="86"/>
        <source>simple score: too little history for a fitted model</source>
        <translation>prosta ocena: za krótka historia na dopasowany model</translation>
    </message>
    <message>
        <location filename="../../app/ui/risk_words.py" line="87"/>
        <source>the chance of no purchase in the next %1, computed on %2 (%3)</source>
        <translation>szansa, że klient nic nie kupi w ciągu najbliższych %1, obliczona %2 (%3)</translation>
    </message>
</context>
<context>
    <name>RulesSettings</name>
    <message>
        <location filename="../../app/ui/rules_settings.py" line="68"/>
        <source>Working days</source>
        <translation>Dni robocze</translation>
    </message>
    <message>
        <location filename="../../app/ui/rules_settings.py" line="69"/>
        <source>Calls are made on</source>
        <translation>Dzwonimy w dni</translation>
    </message>
    <message>
        <location filename="../../app/ui/rules_settings.py" line="70"/>
        <source>Calls and renewals never fall on a closed day nor on a public holiday of the business&apos;s country (Settings → Business); a call nobody answers moves to the next working day.</source>
        <translation>Połączenia i odnowienia nigdy nie wypadają w dzień wolny od pracy ani w święto państwowe kraju firmy (Ustawienia → Firma); nieodebrane połączenie przechodzi na następny dzień roboczy.</translation>
    </message>
    <message>
        <location filename="../../app/ui/rules_settings.py" line="75"/>
        <source>Follow-up after a purchase</source>
        <translation>Połączenie po zakupie</translation>
    </message>
    <message>
        <location filename="../../app/ui/rules_settings.py" line="76"/>
        <source>Make follow-up calls</source>
        <translation>Dzwoń do klientów po zakupie</translation>
    </message>
    <message>
        <location filename="../../app/ui/rules_settings.py" line="77"/>
        <source>Days after the purchase</source>
        <translation>Dni po zakupie</translation>
    </message>
    <message>
        <location filename="../../app/ui/rules_settings.py" line="78"/>
        <source>Call no later than, days</source>
        <translation>Termin połączenia, dni</translation>
    </message>
    <message>
        <location filename="../../app/ui/rules_settings.py" line="80"/>
        <source>A client is new until purchase number</source>
        <translation>Klient jest nowy do zakupu nr</translation>
    </message>
    <message>
        <location filename="../../app/ui/rules_settings.py" line="82"/>
        <source>Also for other clients from this amount (0 = only new)</source>
        <translation>Także dla pozostałych klientów od kwoty (0 = tylko nowi)</translation>
    </message>
    <message>
        <location filename="../../app/ui/rules_settings.py" line="84"/>
        <source>Memberships</source>
        <translation>Karnety</translation>
    </message>
    <message>
        <location filename="../../app/ui/rules_settings.py" line="85"/>
        <source>Onboarding check-in</source>
        <translation>Kontakt z nowym klientem</translation>
    </message>
    <message>
        <location filename="../../app/ui/rules_settings.py" line="86"/>
        <source>Days after the start</source>
        <translation>Dni od rozpoczęcia</translation>
    </message>
    <message>
        <location filename="../../app/ui/rules_settings.py" line="87"/>
        <source>Renewal calls</source>
        <translation>Połączenia w sprawie przedłużenia</translation>
    </message>
    <message>
        <location filename="../../app/ui/rules_settings.py" line="88"/>
        <source>Days before the end</source>
        <translation>Dni przed końcem</translation>
    </message>
    <message>
        <location filename="../../app/ui/rules_settings.py" line="90"/>
        <source>Frozen days extend the membership</source>
        <translation>Dni zamrożenia przedłużają karnet</translation>
    </message>
    <message>
        <location filename="../../app/ui/rules_settings.py" line="92"/>
        <source>Personal dates</source>
        <translation>Daty osobiste</translation>
    </message>
    <message>
        <location filename="../../app/ui/rules_settings.py" line="94"/>
        <source>Congratulate on birthdays and name days</source>
        <translation>Składaj życzenia z okazji urodzin i imienin</translation>
    </message>
    <message>
        <location filename="../../app/ui/rules_settings.py" line="95"/>
        <source>Gift reminder, days before</source>
        <translation>Przypomnienie o prezencie, dni wcześniej</translation>
    </message>
    <message>
        <location filename="../../app/ui/rules_settings.py" line="97"/>
        <source>Show dates this many days ahead</source>
        <translation>Pokazuj daty z wyprzedzeniem, dni</translation>
    </message>
    <message>
        <location filename="../../app/ui/rules_settings.py" line="99"/>
        <source>Complaints</source>
        <translation>Reklamacje</translation>
    </message>
    <message>
        <location filename="../../app/ui/rules_settings.py" line="101"/>
        <source>Call back, days after the fix</source>
        <translation>Oddzwonić, dni po rozwiązaniu</translation>
    </message>
    <message>
        <location filename="../../app/ui/rules_settings.py" line="103"/>
        <source>Team review, days after the fix</source>
        <translation>Omówienie z zespołem, dni po rozwiązaniu</translation>
    </message>
    <message>
        <location filename="../../app/ui/rules_settings.py" line="105"/>
        <source>First response within, hours</source>
        <translation>Pierwsza odpowiedź w ciągu, godz.</translation>
    </message>
    <message>
        <location filename="../../app/ui/rules_settings.py" line="106"/>
        <source>A receptionist may grant on the spot, up to</source>
        <translation>Recepcjonista może przyznać od ręki do</translation>
    </message>
    <message>
        <location filename="../../app/ui/rules_settings.py" line="108"/>
        <source>A manager may grant on the spot, up to</source>
        <translation>Kierownik może przyznać od ręki do</translation>
    </message>
    <message>
        <location filename="../../app/ui/rules_settings.py" line="110"/>
        <source>An owner may grant any compensation and approves more than the others&apos; limits. Amounts are in the business&apos;s currency.</source>
        <translation>Właściciel może przyznać każdą rekompensatę i zatwierdza kwoty powyżej limitów pozostałych osób. Kwoty są w walucie firmy.</translation>
    </message>
    <message>
        <location filename="../../app/ui/rules_settings.py" line="114"/>
        <source>Clients who stop coming</source>
        <translation>Klienci, którzy przestają przychodzić</translation>
    </message>
    <message>
        <location filename="../../app/ui/rules_settings.py" line="115"/>
        <source>Win-back calls</source>
        <translation>Połączenia w celu odzyskania klienta</translation>
    </message>
    <message>
        <location filename="../../app/ui/rules_settings.py" line="117"/>
        <source>At risk when the gap is this many times the usual</source>
        <translation>Zagrożony, gdy przerwa jest tyle razy dłuższa niż zwykle</translation>
    </message>
    <message>
        <location filename="../../app/ui/rules_settings.py" line="119"/>
        <source>Purchases needed to know a client&apos;s usual gap</source>
        <translation>Zakupy potrzebne do ustalenia typowej przerwy klienta</translation>
    </message>
    <message>
        <location filename="../../app/ui/rules_settings.py" line="121"/>
        <source>Otherwise at risk after, days</source>
        <translation>W przeciwnym razie zagrożony po, dni</translation>
    </message>
    <message>
        <location filename="../../app/ui/rules_settings.py" line="122"/>
        <source>Lapsed after, days</source>
        <translation>Utracony po, dni</translation>
    </message>
    <message>
        <location filename="../../app/ui/rules_settings.py" line="123"/>
        <source>Risk score: the chance of no purchase in the next, days</source>
        <translation>Ocena ryzyka: szansa braku zakupu w ciągu najbliższych, dni</translation>
    </message>
    <message>
        <location filename="../../app/ui/rules_settings.py" line="125"/>
        <source>At risk from a risk score of, percent</source>
        <translation>Zagrożony od oceny ryzyka, procent</translation>
    </message>
    <message>
        <location filename="../../app/ui/rules_settings.py" line="127"/>
        <source>A client with a risk score is at risk from that score on; the gap rule above decides for a client without one yet (the scores are computed after the start of the day and after an import).</source>
        <translation>Klient z oceną ryzyka jest zagrożony od tej oceny wzwyż; o kliencie bez oceny decyduje reguła przerwy powyżej (oceny są obliczane po rozpoczęciu dnia i po imporcie).</translation>
    </message>
    <message>
        <location filename="../../app/ui/rules_settings.py" line="132"/>
        <source>Keep in touch with A clients</source>
        <translation>Podtrzymanie kontaktu z klientami z grupy A</translation>
    </message>
    <message>
        <location filename="../../app/ui/rules_settings.py" line="134"/>
        <source>Days without a pleasant contact</source>
        <translation>Dni bez miłego kontaktu</translation>
    </message>
    <message>
        <location filename="../../app/ui/rules_settings.py" line="136"/>
        <source>Touch, don&apos;t pester</source>
        <translation>Kontakt bez natręctwa</translation>
    </message>
    <message>
        <location filename="../../app/ui/rules_settings.py" line="137"/>
        <source>At most this many contacts</source>
        <translation>Najwyżej tyle kontaktów</translation>
    </message>
    <message>
        <location filename="../../app/ui/rules_settings.py" line="138"/>
        <source>in this many days</source>
        <translation>w ciągu tylu dni</translation>
    </message>
    <message>
        <location filename="../../app/ui/rules_settings.py" line="139"/>
        <source>Tries when nobody answers</source>
        <translation>Liczba prób, gdy nikt nie odbiera</translation>
    </message>
    <message>
        <location filename="../../app/ui/rules_settings.py" line="141"/>
        <source>Groups and value</source>
        <translation>Grupy i wartość</translation>
    </message>
    <message>
        <location filename="../../app/ui/rules_settings.py" line="142"/>
        <source>Group A: clients making this percent of revenue</source>
        <translation>Grupa A: klienci dający ten procent przychodu</translation>
    </message>
    <message>
        <location filename="../../app/ui/rules_settings.py" line="143"/>
        <source>Group B: the next percent of revenue</source>
        <translation>Grupa B: kolejny procent przychodu</translation>
    </message>
    <message>
        <location filename="../../app/ui/rules_settings.py" line="144"/>
        <source>Group A: bought on at least this many days</source>
        <translation>Grupa A: zakupy w co najmniej tylu różnych dniach</translation>
    </message>
    <message>
        <location filename="../../app/ui/rules_settings.py" line="145"/>
        <source>Client value over, days</source>
        <translation>Wartość klienta z okresu, dni</translation>
    </message>
    <message>
        <location filename="../../app/ui/rules_settings.py" line="147"/>
        <source>Quarterly A/B/C review reminder</source>
        <translation>Przypomnienie o kwartalnym przeglądzie grup A/B/C</translation>
    </message>
    <message>
        <location filename="../../app/ui/rules_settings.py" line="149"/>
        <source>Backups</source>
        <translation>Kopie zapasowe</translation>
    </message>
    <message>
        <location filename="../../app/ui/rules_settings.py" line="151"/>
        <source>Keep one automatic backup a day for days</source>
        <translation>Przechowuj jedną automatyczną kopię dziennie przez, dni</translation>
    </message>
    <message>
        <location filename="../../app/ui/rules_settings.py" line="153"/>
        <source>Keep one automatic backup a week for weeks</source>
        <translation>Przechowuj jedną automatyczną kopię tygodniowo przez, tyg.</translation>
    </message>
    <message>
        <location filename="../../app/ui/rules_settings.py" line="198"/>
        <source>Save the rules</source>
        <translation>Zapisz zasady</translation>
    </message>
    <message>
        <location filename="../../app/ui/rules_settings.py" line="200"/>
        <source>Back to the defaults</source>
        <translation>Przywróć domyślne</translation>
    </message>
    <message>
        <location filename="../../app/ui/rules_settings.py" line="271"/>
        <source>Defaults filled in; save to use them.</source>
        <translation>Wstawiono wartości domyślne; zapisz, aby je zastosować.</translation>
    </message>
    <message>
        <location filename="../../app/ui/rules_settings.py" line="296"/>
        <source>Nothing was saved: please correct the marked values.</source>
        <translation>Niczego nie zapisano: popraw zaznaczone wartości.</translation>
    </message>
    <message>
        <location filename="../../app/ui/rules_settings.py" line="301"/>
        <source>Saving the rules and rescheduling the calls</source>
        <translation>Zapisywanie zasad i ponowne planowanie połączeń</translation>
    </message>
    <message>
        <location filename="../../app/ui/rules_settings.py" line="304"/>
        <location filename="../../app/ui/rules_settings.py" line="327"/>
        <source>Nothing was saved.</source>
        <translation>Niczego nie zapisano.</translation>
    </message>
    <message>
        <location filename="../../app/ui/rules_settings.py" line="307"/>
        <source>Saving…</source>
        <translation>Zapisywanie…</translation>
    </message>
    <message numerus="yes">
        <location filename="../../app/ui/rules_settings.py" line="316"/>
        <source>Saved. %n new call(s) scheduled.</source>
        <translation>
            <numerusform>Zapisano. Zaplanowano %n nowe połączenie.</numerusform>
            <numerusform>Zapisano. Zaplanowano %n nowe połączenia.</numerusform>
            <numerusform>Zapisano. Zaplanowano %n nowych połączeń.</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <location filename="../../app/ui/rules_settings.py" line="317"/>
        <source>%n call(s) cancelled.</source>
        <translation>
            <numerusform>Anulowano %n połączenie.</numerusform>
            <numerusform>Anulowano %n połączenia.</numerusform>
            <numerusform>Anulowano %n połączeń.</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>SegmentReview</name>
    <message>
        <location filename="../../app/ui/segment_review.py" line="40"/>
        <source>Competitor&apos;s prices</source>
        <translation>Ceny konkurencji</translation>
    </message>
    <message>
        <location filename="../../app/ui/segment_review.py" line="41"/>
        <source>Delivery trouble</source>
        <translation>Problemy z dostawą</translation>
    </message>
    <message>
        <location filename="../../app/ui/segment_review.py" line="42"/>
        <source>Personality conflict</source>
        <translation>Konflikt osobisty</translation>
    </message>
    <message>
        <location filename="../../app/ui/segment_review.py" line="43"/>
        <source>Other</source>
        <translation>Inne</translation>
    </message>
</context>
<context>
    <name>SegmentReviewPage</name>
    <message>
        <location filename="../../app/ui/segment_review.py" line="81"/>
        <source>Client</source>
        <translation>Klient</translation>
    </message>
    <message>
        <location filename="../../app/ui/segment_review.py" line="81"/>
        <source>Was</source>
        <translation>Wcześniej</translation>
    </message>
    <message>
        <location filename="../../app/ui/segment_review.py" line="81"/>
        <source>Now</source>
        <translation>Teraz</translation>
    </message>
    <message>
        <location filename="../../app/ui/segment_review.py" line="81"/>
        <source>12-month value</source>
        <translation>Wartość (12 mies.)</translation>
    </message>
    <message>
        <location filename="../../app/ui/segment_review.py" line="82"/>
        <source>Purchases</source>
        <translation>Zakupy</translation>
    </message>
    <message>
        <location filename="../../app/ui/segment_review.py" line="82"/>
        <source>Call minutes</source>
        <translation>Minuty połączeń</translation>
    </message>
    <message>
        <location filename="../../app/ui/segment_review.py" line="82"/>
        <source>Why did they move?</source>
        <translation>Dlaczego zmienił grupę?</translation>
    </message>
    <message>
        <location filename="../../app/ui/segment_review.py" line="83"/>
        <source>Details</source>
        <translation>Szczegóły</translation>
    </message>
    <message>
        <location filename="../../app/ui/segment_review.py" line="123"/>
        <source>Quarterly A/B/C review: %1</source>
        <translation>Kwartalny przegląd grup A/B/C: %1</translation>
    </message>
    <message numerus="yes">
        <location filename="../../app/ui/segment_review.py" line="128"/>
        <source>No review is recorded yet. Record the groups of all %Ln client(s) as the starting point; at the next review this list shows who moved between A, B and C, and asks why.</source>
        <translation>
            <numerusform>Nie zapisano jeszcze żadnego przeglądu. Zapisz grupę %Ln klienta jako punkt wyjścia; przy następnym przeglądzie ta lista pokaże, kto przeszedł do innej grupy (A, B lub C), i zapyta o powód.</numerusform>
            <numerusform>Nie zapisano jeszcze żadnego przeglądu. Zapisz grupy wszystkich %Ln klientów jako punkt wyjścia; przy następnym przeglądzie ta lista pokaże, kto przeszedł do innej grupy (A, B lub C), i zapyta o powód.</numerusform>
            <numerusform>Nie zapisano jeszcze żadnego przeglądu. Zapisz grupy wszystkich %Ln klientów jako punkt wyjścia; przy następnym przeglądzie ta lista pokaże, kto przeszedł do innej grupy (A, B lub C), i zapyta o powód.</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <location filename="../../app/ui/segment_review.py" line="192"/>
        <source>Recorded the groups of %Ln client(s) for %1.</source>
        <translation>
            <numerusform>Zapisano grupę %Ln klienta za %1.</numerusform>
            <numerusform>Zapisano grupy %Ln klientów za %1.</numerusform>
            <numerusform>Zapisano grupy %Ln klientów za %1.</numerusform>
        </translation>
    </message>
    <message>
        <location filename="../../app/ui/segment_review.py" line="131"/>
        <source>Record the groups</source>
        <translation>Zapisz grupy</translation>
    </message>
    <message>
        <location filename="../../app/ui/segment_review.py" line="134"/>
        <source>Clients whose group changed since the review of %1. Compare what they bring with the time they take, and say why each one moved.</source>
        <translation>Klienci, których grupa zmieniła się od przeglądu za %1. Porównaj, ile przynoszą, z czasem, jaki zajmują, i dla każdego napisz, dlaczego zmienił grupę.</translation>
    </message>
    <message>
        <location filename="../../app/ui/segment_review.py" line="137"/>
        <source>Record the review</source>
        <translation>Zapisz przegląd</translation>
    </message>
    <message>
        <location filename="../../app/ui/segment_review.py" line="138"/>
        <source>This quarter&apos;s review is recorded; recording again updates it.</source>
        <translation>Przegląd za ten kwartał jest zapisany; ponowne zapisanie go zaktualizuje.</translation>
    </message>
    <message>
        <location filename="../../app/ui/segment_review.py" line="148"/>
        <source>Group set by the owner: %1</source>
        <translation>Grupa ustalona przez właściciela: %1</translation>
    </message>
    <message>
        <location filename="../../app/ui/segment_review.py" line="161"/>
        <source>— choose —</source>
        <translation>— wybierz —</translation>
    </message>
    <message>
        <location filename="../../app/ui/segment_review.py" line="166"/>
        <source>What happened, in a few words</source>
        <translation>Co się stało — w kilku słowach</translation>
    </message>
    <message>
        <location filename="../../app/ui/segment_review.py" line="172"/>
        <source>Nobody moved.</source>
        <translation>Nikt nie zmienił grupy.</translation>
    </message>
</context>
<context>
    <name>ServerBackupSettings</name>
    <message>
        <location filename="../../app/ui/server_backup_settings.py" line="46"/>
        <source>Folder: %1</source>
        <translation>Folder: %1</translation>
    </message>
    <message>
        <location filename="../../app/ui/server_backup_settings.py" line="48"/>
        <source>File</source>
        <translation>Plik</translation>
    </message>
    <message>
        <location filename="../../app/ui/server_backup_settings.py" line="48"/>
        <source>When</source>
        <translation>Data utworzenia</translation>
    </message>
    <message>
        <location filename="../../app/ui/server_backup_settings.py" line="48"/>
        <source>Size</source>
        <translation>Rozmiar</translation>
    </message>
    <message>
        <location filename="../../app/ui/server_backup_settings.py" line="54"/>
        <source>Back up now</source>
        <translation>Wykonaj kopię zapasową teraz</translation>
    </message>
    <message>
        <location filename="../../app/ui/server_backup_settings.py" line="55"/>
        <source>How to restore the chosen backup…</source>
        <translation>Jak przywrócić wybraną kopię…</translation>
    </message>
    <message>
        <location filename="../../app/ui/server_backup_settings.py" line="57"/>
        <source>Open the folder</source>
        <translation>Otwórz folder</translation>
    </message>
    <message>
        <location filename="../../app/ui/server_backup_settings.py" line="64"/>
        <source>This window works on an office server, so the server&apos;s database is backed up with PostgreSQL&apos;s pg_dump: here when you ask, and every night on the server itself when it is scheduled there (the README says how). Every PC keeps its own copies in the folder below.</source>
        <translation>To okno pracuje na serwerze biura, więc kopię bazy danych serwera robi pg_dump z PostgreSQL: tutaj, gdy o to poprosisz, i co noc na samym serwerze, jeśli jest to tam zaplanowane (README mówi jak). Każdy komputer trzyma własne kopie w folderze poniżej.</translation>
    </message>
    <message>
        <location filename="../../app/ui/server_backup_settings.py" line="82"/>
        <source>pg_dump: %1</source>
        <translation>pg_dump: %1</translation>
    </message>
    <message>
        <location filename="../../app/ui/server_backup_settings.py" line="83"/>
        <source>pg_dump is not installed on this PC: install PostgreSQL&apos;s client programs to back up from here, or schedule pg_dump on the server.</source>
        <translation>Na tym komputerze nie ma pg_dump: zainstaluj programy klienckie PostgreSQL, aby robić kopie stąd, albo zaplanuj pg_dump na serwerze.</translation>
    </message>
    <message>
        <location filename="../../app/ui/server_backup_settings.py" line="98"/>
        <location filename="../../app/ui/server_backup_settings.py" line="114"/>
        <source>Backing up the server&apos;s database…</source>
        <translation>Kopia zapasowa bazy danych serwera…</translation>
    </message>
    <message>
        <location filename="../../app/ui/server_backup_settings.py" line="102"/>
        <source>Backed up to %1.</source>
        <translation>Utworzono kopię zapasową: %1.</translation>
    </message>
    <message>
        <location filename="../../app/ui/server_backup_settings.py" line="122"/>
        <source>Restore a backup of the server</source>
        <translation>Przywróć kopię serwera</translation>
    </message>
    <message>
        <location filename="../../app/ui/server_backup_settings.py" line="123"/>
        <source>A restore replaces the shared database for every PC, so it is done on the server by whoever runs it, with every ClientCare window closed:

%1

Then open ClientCare again on each PC.</source>
        <translation>Przywrócenie zastępuje wspólną bazę danych na wszystkich komputerach, więc robi je na serwerze osoba, która nim zarządza, przy zamkniętych wszystkich oknach ClientCare:

%1

Potem otwórz ClientCare ponownie na każdym komputerze.</translation>
    </message>
    <message>
        <location filename="../../app/ui/server_backup_settings.py" line="130"/>
        <source>Check the database</source>
        <translation>Sprawdź bazę danych</translation>
    </message>
    <message>
        <location filename="../../app/ui/server_backup_settings.py" line="131"/>
        <source>The office server keeps its own database consistent (PostgreSQL checks every page it reads). Its administrator can check it with pg_amcheck.</source>
        <translation>Serwer biura sam dba o spójność swojej bazy danych (PostgreSQL sprawdza każdą czytaną stronę). Jego administrator może ją sprawdzić programem pg_amcheck.</translation>
    </message>
</context>
<context>
    <name>SettingsPage</name>
    <message>
        <location filename="../../app/ui/settings_page.py" line="58"/>
        <source>The business</source>
        <translation>Firma</translation>
    </message>
    <message>
        <location filename="../../app/ui/settings_page.py" line="71"/>
        <source>Name</source>
        <translation>Nazwa</translation>
    </message>
    <message>
        <location filename="../../app/ui/settings_page.py" line="73"/>
        <source>Currency</source>
        <translation>Waluta</translation>
    </message>
    <message>
        <location filename="../../app/ui/settings_page.py" line="72"/>
        <source>Country (phone numbers, public holidays, name days)</source>
        <translation>Kraj (numery telefonów, święta państwowe, imieniny)</translation>
    </message>
    <message>
        <location filename="../../app/ui/settings_page.py" line="76"/>
        <source>Save</source>
        <translation>Zapisz</translation>
    </message>
    <message>
        <location filename="../../app/ui/settings_page.py" line="79"/>
        <source>Phone numbers typed without a country code are read as numbers of this country.</source>
        <translation>Numery telefonów wpisane bez kodu kraju są traktowane jako numery z tego kraju.</translation>
    </message>
    <message>
        <location filename="../../app/ui/settings_page.py" line="90"/>
        <source>At the first start of a day, show a short notice of the day&apos;s calls and birthdays</source>
        <translation>Przy pierwszym uruchomieniu w danym dniu pokazuj krótkie powiadomienie o połączeniach i urodzinach na dziś</translation>
    </message>
    <message>
        <location filename="../../app/ui/settings_page.py" line="96"/>
        <source>Business</source>
        <translation>Firma</translation>
    </message>
    <message>
        <location filename="../../app/ui/settings_page.py" line="97"/>
        <source>Rules</source>
        <translation>Zasady</translation>
    </message>
    <message>
        <location filename="../../app/ui/settings_page.py" line="104"/>
        <source>Staff</source>
        <translation>Personel</translation>
    </message>
    <message>
        <location filename="../../app/ui/settings_page.py" line="105"/>
        <source>Backups</source>
        <translation>Kopie zapasowe</translation>
    </message>
    <message>
        <location filename="../../app/ui/settings_page.py" line="107"/>
        <source>Messages</source>
        <translation>Wiadomości</translation>
    </message>
    <message>
        <location filename="../../app/ui/settings_page.py" line="109"/>
        <source>Office server</source>
        <translation>Serwer biura</translation>
    </message>
    <message>
        <location filename="../../app/ui/settings_page.py" line="128"/>
        <source>Saving the setting</source>
        <translation>Zapisywanie ustawienia</translation>
    </message>
    <message>
        <location filename="../../app/ui/settings_page.py" line="146"/>
        <source>Saving the business and rescheduling the calls</source>
        <translation>Zapisywanie danych firmy i ponowne planowanie połączeń</translation>
    </message>
</context>
<context>
    <name>SignInDialog</name>
    <message>
        <location filename="../../app/ui/sign_in.py" line="149"/>
        <source>ClientCare — sign in</source>
        <translation>ClientCare — logowanie</translation>
    </message>
    <message>
        <location filename="../../app/ui/sign_in.py" line="150"/>
        <source>Who is working at this desk?</source>
        <translation>Kto pracuje przy tym stanowisku?</translation>
    </message>
    <message>
        <location filename="../../app/ui/sign_in.py" line="150"/>
        <source>Sign in</source>
        <translation>Zaloguj</translation>
    </message>
    <message>
        <location filename="../../app/ui/sign_in.py" line="157"/>
        <source>%1 (%2)</source>
        <translation>%1 (%2)</translation>
    </message>
    <message>
        <location filename="../../app/ui/sign_in.py" line="160"/>
        <source>Name</source>
        <translation>Imię i nazwisko</translation>
    </message>
    <message>
        <location filename="../../app/ui/sign_in.py" line="161"/>
        <source>Password</source>
        <translation>Hasło</translation>
    </message>
</context>
<context>
    <name>SmsTab</name>
    <message>
        <location filename="../../app/ui/messages_settings.py" line="408"/>
        <source>SMSAPI — Poland</source>
        <translation>SMSAPI — Polska</translation>
    </message>
    <message>
        <location filename="../../app/ui/messages_settings.py" line="409"/>
        <source>SMSAPI — Bulgaria</source>
        <translation>SMSAPI — Bułgaria</translation>
    </message>
    <message>
        <location filename="../../app/ui/messages_settings.py" line="410"/>
        <source>Twilio — international</source>
        <translation>Twilio — międzynarodowa</translation>
    </message>
    <message>
        <location filename="../../app/ui/messages_settings.py" line="418"/>
        <source>kept in the system keyring</source>
        <translation>przechowywane w systemowym pęku kluczy</translation>
    </message>
    <message>
        <location filename="../../app/ui/messages_settings.py" line="421"/>
        <source>empty: the gateway&apos;s own address</source>
        <translation>puste: własny adres bramki</translation>
    </message>
    <message>
        <location filename="../../app/ui/messages_settings.py" line="423"/>
        <source>Save</source>
        <translation>Zapisz</translation>
    </message>
    <message>
        <location filename="../../app/ui/messages_settings.py" line="427"/>
        <source>Send a test SMS</source>
        <translation>Wyślij próbny SMS</translation>
    </message>
    <message>
        <location filename="../../app/ui/messages_settings.py" line="432"/>
        <source>SMS gateway</source>
        <translation>Bramka SMS</translation>
    </message>
    <message>
        <location filename="../../app/ui/messages_settings.py" line="434"/>
        <source>Gateway</source>
        <translation>Bramka</translation>
    </message>
    <message>
        <location filename="../../app/ui/messages_settings.py" line="435"/>
        <source>Sender name or number</source>
        <translation>Nazwa lub numer nadawcy</translation>
    </message>
    <message>
        <location filename="../../app/ui/messages_settings.py" line="437"/>
        <source>Account SID</source>
        <translation>Account SID</translation>
    </message>
    <message>
        <location filename="../../app/ui/messages_settings.py" line="440"/>
        <source>Token</source>
        <translation>Token</translation>
    </message>
    <message>
        <location filename="../../app/ui/messages_settings.py" line="441"/>
        <source>Address</source>
        <translation>Adres</translation>
    </message>
    <message>
        <location filename="../../app/ui/messages_settings.py" line="447"/>
        <source>Test SMS to</source>
        <translation>Próbny SMS do</translation>
    </message>
    <message>
        <location filename="../../app/ui/messages_settings.py" line="450"/>
        <source>SMSAPI: make a token in its panel (API settings → OAuth tokens) with the SMS permission. Twilio: the Account SID and Auth Token of its console, and a number bought there as the sender.</source>
        <translation>SMSAPI: utwórz token w panelu (Ustawienia API → Tokeny OAuth) z uprawnieniem SMS. Twilio: Account SID i Auth Token z jego konsoli oraz numer kupiony tam jako nadawca.</translation>
    </message>
    <message>
        <location filename="../../app/ui/messages_settings.py" line="498"/>
        <source>Saved. The token is in the system keyring.</source>
        <translation>Zapisano. Token jest w systemowym pęku kluczy.</translation>
    </message>
    <message>
        <location filename="../../app/ui/messages_settings.py" line="512"/>
        <source>Saving the SMS gateway</source>
        <translation>Zapisywanie bramki SMS</translation>
    </message>
    <message>
        <location filename="../../app/ui/messages_settings.py" line="518"/>
        <source>A test SMS from ClientCare: the gateway is set up right.</source>
        <translation>Próbny SMS z ClientCare: bramka jest ustawiona poprawnie.</translation>
    </message>
    <message>
        <location filename="../../app/ui/messages_settings.py" line="526"/>
        <source>Type the number to send the test SMS to.</source>
        <translation>Wpisz numer, na który wysłać próbny SMS.</translation>
    </message>
    <message>
        <location filename="../../app/ui/messages_settings.py" line="537"/>
        <source>A test SMS went to %1.</source>
        <translation>Próbny SMS poszedł do %1.</translation>
    </message>
    <message>
        <location filename="../../app/ui/messages_settings.py" line="543"/>
        <source>Sending a test SMS</source>
        <translation>Wysyłanie próbnego SMS</translation>
    </message>
</context>
<context>
    <name>StaffSettings</name>
    <message>
        <location filename="../../app/ui/labels.py" line="138"/>
        <source>Owner</source>
        <translation>Właściciel</translation>
    </message>
    <message>
        <location filename="../../app/ui/labels.py" line="139"/>
        <source>Manager</source>
        <translation>Kierownik</translation>
    </message>
    <message>
        <location filename="../../app/ui/labels.py" line="140"/>
        <source>Receptionist</source>
        <translation>Recepcjonista</translation>
    </message>
    <message>
        <location filename="../../app/ui/staff_settings.py" line="59"/>
        <source>The people who call clients and handle complaints. Owners may approve any compensation. Nobody is ever deleted, because calls and complaints name them: untick Active when somebody leaves.</source>
        <translation>Osoby, które dzwonią do klientów i prowadzą reklamacje. Właściciele mogą zatwierdzić każdą rekompensatę. Nikt nigdy nie jest usuwany, bo każda osoba figuruje w połączeniach i reklamacjach: gdy ktoś odchodzi, odznacz pole „Aktywny”.</translation>
    </message>
    <message>
        <location filename="../../app/ui/staff_settings.py" line="65"/>
        <source>Name</source>
        <translation>Imię i nazwisko</translation>
    </message>
    <message>
        <location filename="../../app/ui/staff_settings.py" line="65"/>
        <source>Role</source>
        <translation>Rola</translation>
    </message>
    <message>
        <location filename="../../app/ui/staff_settings.py" line="65"/>
        <source>Active</source>
        <translation>Aktywny</translation>
    </message>
    <message>
        <location filename="../../app/ui/staff_settings.py" line="66"/>
        <source>Password</source>
        <translation>Hasło</translation>
    </message>
    <message>
        <location filename="../../app/ui/staff_settings.py" line="80"/>
        <source>Add person</source>
        <translation>Dodaj osobę</translation>
    </message>
    <message>
        <location filename="../../app/ui/staff_settings.py" line="82"/>
        <source>Save</source>
        <translation>Zapisz</translation>
    </message>
    <message>
        <location filename="../../app/ui/staff_settings.py" line="84"/>
        <source>Set a password…</source>
        <translation>Ustaw hasło…</translation>
    </message>
    <message>
        <location filename="../../app/ui/staff_settings.py" line="89"/>
        <source>On the office server everyone signs in with their own password.</source>
        <translation>Na serwerze biura każdy loguje się własnym hasłem.</translation>
    </message>
    <message>
        <location filename="../../app/ui/staff_settings.py" line="92"/>
        <source>Everyone signs in with a password on this PC</source>
        <translation>Na tym komputerze każdy loguje się hasłem</translation>
    </message>
    <message>
        <location filename="../../app/ui/staff_settings.py" line="129"/>
        <source>yes</source>
        <translation>tak</translation>
    </message>
    <message>
        <location filename="../../app/ui/staff_settings.py" line="214"/>
        <source>Saved.</source>
        <translation>Zapisano.</translation>
    </message>
    <message>
        <location filename="../../app/ui/staff_settings.py" line="224"/>
        <source>Choose a saved person in the list first.</source>
        <translation>Najpierw wybierz zapisaną osobę z listy.</translation>
    </message>
    <message>
        <location filename="../../app/ui/staff_settings.py" line="230"/>
        <source>%1 can sign in now.</source>
        <translation>%1 może się teraz logować.</translation>
    </message>
    <message>
        <location filename="../../app/ui/staff_settings.py" line="243"/>
        <source>Everyone signs in from the next start.</source>
        <translation>Od następnego uruchomienia każdy się loguje.</translation>
    </message>
    <message>
        <location filename="../../app/ui/staff_settings.py" line="244"/>
        <source>Nobody needs to sign in from the next start.</source>
        <translation>Od następnego uruchomienia nikt nie musi się logować.</translation>
    </message>
    <message>
        <location filename="../../app/ui/staff_settings.py" line="248"/>
        <source>Nothing was saved.</source>
        <translation>Niczego nie zapisano.</translation>
    </message>
    <message>
        <location filename="../../app/ui/staff_settings.py" line="268"/>
        <source>Not saved yet.</source>
        <translation>Jeszcze nie zapisano.</translation>
    </message>
</context>
<context>
    <name>TemplatesTab</name>
    <message>
        <location filename="../../app/ui/messages_settings.py" line="79"/>
        <source>Save the template</source>
        <translation>Zapisz szablon</translation>
    </message>
    <message>
        <location filename="../../app/ui/messages_settings.py" line="81"/>
        <source>Back to ClientCare&apos;s text</source>
        <translation>Przywróć tekst ClientCare</translation>
    </message>
    <message>
        <location filename="../../app/ui/messages_settings.py" line="88"/>
        <source>Type a client&apos;s name</source>
        <translation>Wpisz imię i nazwisko klienta</translation>
    </message>
    <message>
        <location filename="../../app/ui/messages_settings.py" line="89"/>
        <source>Preview</source>
        <translation>Podgląd</translation>
    </message>
    <message>
        <location filename="../../app/ui/messages_settings.py" line="99"/>
        <source>Language</source>
        <translation>Język</translation>
    </message>
    <message>
        <location filename="../../app/ui/messages_settings.py" line="100"/>
        <source>Subject</source>
        <translation>Temat</translation>
    </message>
    <message>
        <location filename="../../app/ui/messages_settings.py" line="103"/>
        <source>Text</source>
        <translation>Treść</translation>
    </message>
    <message>
        <location filename="../../app/ui/messages_settings.py" line="106"/>
        <source>Placeholders</source>
        <translation>Pola do wstawienia</translation>
    </message>
    <message>
        <location filename="../../app/ui/messages_settings.py" line="115"/>
        <source>Preview with</source>
        <translation>Podgląd dla</translation>
    </message>
    <message>
        <location filename="../../app/ui/messages_settings.py" line="148"/>
        <source>(edited)</source>
        <translation>(zmieniony)</translation>
    </message>
    <message>
        <location filename="../../app/ui/messages_settings.py" line="189"/>
        <source>(before the placeholders are filled in)</source>
        <translation>(przed wstawieniem pól)</translation>
    </message>
    <message>
        <location filename="../../app/ui/messages_settings.py" line="218"/>
        <source>Saved.</source>
        <translation>Zapisano.</translation>
    </message>
    <message>
        <location filename="../../app/ui/messages_settings.py" line="234"/>
        <source>Choose a client from the suggestions.</source>
        <translation>Wybierz klienta z podpowiedzi.</translation>
    </message>
</context>
<context>
    <name>Today</name>
    <message>
        <location filename="../../app/ui/today_page.py" line="100"/>
        <source>Book a meeting; do not sell on the phone. Check the promo, discount and frozen marks first.</source>
        <extracomment>keys (by their Latin letter) that log at once, and keys that open the form the key that sends a message for the selected calls (issue 18)</extracomment>
        <translation>Umów spotkanie; nie sprzedawaj przez telefon. Najpierw sprawdź oznaczenia promocji, rabatu i zamrożenia.</translation>
    </message>
    <message>
        <location filename="../../app/ui/today_page.py" line="102"/>
        <source>Ask how the purchase serves them and whether anything could be better.</source>
        <translation>Zapytaj, jak sprawdza się zakup i czy coś mogłoby być lepsze.</translation>
    </message>
    <message>
        <location filename="../../app/ui/today_page.py" line="104"/>
        <source>Ask how the first week went and whether they need help getting started.</source>
        <translation>Zapytaj, jak minął pierwszy tydzień i czy klient potrzebuje pomocy na start.</translation>
    </message>
    <message>
        <location filename="../../app/ui/today_page.py" line="106"/>
        <source>Congratulate them; nothing to sell today.</source>
        <translation>Złóż życzenia; dziś niczego nie sprzedajemy.</translation>
    </message>
    <message>
        <location filename="../../app/ui/today_page.py" line="108"/>
        <source>Prepare a small gift or card for the date.</source>
        <translation>Przygotuj na tę okazję drobny upominek lub kartkę.</translation>
    </message>
    <message>
        <location filename="../../app/ui/today_page.py" line="109"/>
        <source>Ask whether the fix worked and whether they are satisfied now.</source>
        <translation>Zapytaj, czy rozwiązanie pomogło i czy klient jest teraz zadowolony.</translation>
    </message>
    <message>
        <location filename="../../app/ui/today_page.py" line="111"/>
        <source>Review the complaint with the team and write down the lesson.</source>
        <translation>Omów reklamację z zespołem i zapisz wnioski.</translation>
    </message>
    <message>
        <location filename="../../app/ui/today_page.py" line="113"/>
        <source>They have not been back for longer than usual: ask why, listen, invite them back.</source>
        <translation>Klient nie wraca dłużej niż zwykle: zapytaj dlaczego, wysłuchaj, zaproś ponownie.</translation>
    </message>
    <message>
        <location filename="../../app/ui/today_page.py" line="115"/>
        <source>A valued client with no pleasant contact for a while: call with good news.</source>
        <translation>Cenny klient, z którym od dawna nie było miłego kontaktu: zadzwoń z dobrą wiadomością.</translation>
    </message>
    <message>
        <location filename="../../app/ui/today_page.py" line="117"/>
        <source>Review the A/B/C groups of the quarter and ask why clients moved.</source>
        <translation>Przejrzyj grupy A/B/C z kwartału i ustal, dlaczego klienci zmienili grupę.</translation>
    </message>
    <message>
        <location filename="../../app/ui/today_page.py" line="119"/>
        <source>See the note.</source>
        <translation>Zobacz notatkę.</translation>
    </message>
    <message>
        <location filename="../../app/ui/today_page.py" line="135"/>
        <source>%1 logged at %2</source>
        <translation>%1 — zapisano o %2</translation>
    </message>
</context>
<context>
    <name>TodayPage</name>
    <message>
        <location filename="../../app/ui/today_page.py" line="402"/>
        <source>Log the call</source>
        <translation>Zapis połączenia</translation>
    </message>
    <message>
        <location filename="../../app/ui/today_page.py" line="413"/>
        <source>not set</source>
        <translation>nie określono</translation>
    </message>
    <message>
        <location filename="../../app/ui/today_page.py" line="418"/>
        <source> min</source>
        <translation> min</translation>
    </message>
    <message>
        <location filename="../../app/ui/today_page.py" line="428"/>
        <source>Log call (Ctrl+Enter)</source>
        <translation>Zapisz połączenie (Ctrl+Enter)</translation>
    </message>
    <message>
        <location filename="../../app/ui/today_page.py" line="433"/>
        <source>Outcome</source>
        <translation>Wynik</translation>
    </message>
    <message>
        <location filename="../../app/ui/today_page.py" line="434"/>
        <source>Tone</source>
        <translation>Ton</translation>
    </message>
    <message>
        <location filename="../../app/ui/today_page.py" line="435"/>
        <source>Duration</source>
        <translation>Czas trwania</translation>
    </message>
    <message>
        <location filename="../../app/ui/today_page.py" line="436"/>
        <source>Note</source>
        <translation>Notatka</translation>
    </message>
    <message>
        <location filename="../../app/ui/today_page.py" line="437"/>
        <source>Why declined</source>
        <translation>Powód odmowy</translation>
    </message>
    <message>
        <location filename="../../app/ui/today_page.py" line="438"/>
        <source>Meeting</source>
        <translation>Spotkanie</translation>
    </message>
    <message>
        <location filename="../../app/ui/today_page.py" line="439"/>
        <source>Call back on</source>
        <translation>Oddzwonić dnia</translation>
    </message>
    <message>
        <location filename="../../app/ui/today_page.py" line="445"/>
        <source>Tomorrow</source>
        <translation>Jutro</translation>
    </message>
    <message>
        <location filename="../../app/ui/today_page.py" line="447"/>
        <source>Reschedule…</source>
        <translation>Zmień termin…</translation>
    </message>
    <message>
        <location filename="../../app/ui/today_page.py" line="448"/>
        <source>Cancel task…</source>
        <translation>Anuluj zadanie…</translation>
    </message>
    <message>
        <location filename="../../app/ui/today_page.py" line="449"/>
        <source>Open client</source>
        <translation>Otwórz klienta</translation>
    </message>
    <message>
        <location filename="../../app/ui/today_page.py" line="450"/>
        <source>New task…</source>
        <translation>Nowe zadanie…</translation>
    </message>
    <message>
        <location filename="../../app/ui/today_page.py" line="451"/>
        <source>Plan a call to any client</source>
        <translation>Zaplanuj połączenie do dowolnego klienta</translation>
    </message>
    <message>
        <location filename="../../app/ui/today_page.py" line="452"/>
        <source>Complaint…</source>
        <translation>Reklamacja…</translation>
    </message>
    <message>
        <location filename="../../app/ui/today_page.py" line="454"/>
        <source>Open the client&apos;s complaint, or record a new one</source>
        <translation>Otwórz reklamację klienta lub zarejestruj nową</translation>
    </message>
    <message>
        <location filename="../../app/ui/today_page.py" line="456"/>
        <source>Undo call (Ctrl+Z)</source>
        <translation>Cofnij połączenie (Ctrl+Z)</translation>
    </message>
    <message>
        <location filename="../../app/ui/today_page.py" line="458"/>
        <source>Mark done</source>
        <translation>Zrobione</translation>
    </message>
    <message>
        <location filename="../../app/ui/today_page.py" line="460"/>
        <source>The to-do is done (e.g. the gift is ready)</source>
        <translation>Zadanie wykonane (np. prezent jest gotowy)</translation>
    </message>
    <message>
        <location filename="../../app/ui/today_page.py" line="589"/>
        <location filename="../../app/ui/today_page.py" line="625"/>
        <location filename="../../app/ui/today_page.py" line="656"/>
        <source>Reading today&apos;s calls</source>
        <extracomment>the day-start notice, shown on the first start of a day (app/ui/day_notice.py) the title&apos;s row: the day, and the page&apos;s tools (Print…, app/ui/printing.py)</extracomment>
        <translation>Wczytywanie dzisiejszych połączeń</translation>
    </message>
    <message>
        <location filename="../../app/ui/today_page.py" line="723"/>
        <source>Today, %1</source>
        <translation>Dziś, %1</translation>
    </message>
    <message numerus="yes">
        <location filename="../../app/ui/today_page.py" line="747"/>
        <source>%Ln call(s) to make</source>
        <translation>
            <numerusform>%Ln połączenie do wykonania</numerusform>
            <numerusform>%Ln połączenia do wykonania</numerusform>
            <numerusform>%Ln połączeń do wykonania</numerusform>
        </translation>
    </message>
    <message>
        <location filename="../../app/ui/today_page.py" line="748"/>
        <source>No call left to make today. Well done!</source>
        <translation>Na dziś nie ma już połączeń do wykonania. Brawo!</translation>
    </message>
    <message numerus="yes">
        <location filename="../../app/ui/today_page.py" line="751"/>
        <source>%Ln overdue</source>
        <translation>
            <numerusform>%Ln zaległy</numerusform>
            <numerusform>%Ln zaległe</numerusform>
            <numerusform>%Ln zaległych</numerusform>
        </translation>
    </message>
    <message>
        <location filename="../../app/ui/today_page.py" line="1282"/>
        <source>Message not sent</source>
        <translation>Wiadomość niewysłana</translation>
    </message>
    <message>
        <location filename="../../app/ui/today_page.py" line="1283"/>
        <source>The message to %1 was not sent: %2

Send the same message again?</source>
        <translation>Wiadomość do %1 nie została wysłana: %2

Wysłać tę samą wiadomość ponownie?</translation>
    </message>
    <message>
        <location filename="../../app/ui/today_page.py" line="1289"/>
        <source>Send it again</source>
        <translation>Wyślij ponownie</translation>
    </message>
    <message>
        <location filename="../../app/ui/today_page.py" line="1290"/>
        <source>Write a new one</source>
        <translation>Napisz nową</translation>
    </message>
    <message>
        <location filename="../../app/ui/today_page.py" line="1303"/>
        <source>Sending the message again</source>
        <translation>Ponowne wysyłanie wiadomości</translation>
    </message>
    <message>
        <location filename="../../app/ui/today_page.py" line="749"/>
        <source>Nothing due today. Well done!</source>
        <translation>Na dziś nie ma już żadnych połączeń. Dobra robota!</translation>
    </message>
    <message>
        <location filename="../../app/ui/today_page.py" line="376"/>
        <source>To do — not calls (Enter opens it)</source>
        <extracomment>the calls logged here, newest last, for Ctrl+Z: (contact id, client id, name, the complaint the call opened or None) the whole queue&apos;s figures, counted in the background while not every row is here (None: not counted yet)</extracomment>
        <translation>Do zrobienia — to nie połączenia (Enter otwiera)</translation>
    </message>
    <message>
        <location filename="../../app/ui/today_page.py" line="394"/>
        <source>Keys: N no answer · M left a message · W wrong number · R reached · B meeting booked · D declined · L call back later · C complaint found · Ctrl+Z undo the last call · Enter open the client</source>
        <translation>Klawisze: N brak odpowiedzi · M zostawiono wiadomość · W błędny numer · R dodzwoniono się · B umówiono spotkanie · D odmowa · L oddzwonić później · C zgłoszono reklamację · Ctrl+Z cofnij ostatnie połączenie · Enter otwórz klienta</translation>
    </message>
    <message>
        <location filename="../../app/ui/today_page.py" line="398"/>
        <source>S send a message (several rows selected: to each)</source>
        <translation>S wyślij wiadomość (kilka zaznaczonych wierszy: do każdego)</translation>
    </message>
    <message>
        <location filename="../../app/ui/today_page.py" line="446"/>
        <source>Snooze the call to the next working day</source>
        <translation>Przełóż połączenie na następny dzień roboczy</translation>
    </message>
    <message numerus="yes">
        <location filename="../../app/ui/today_page.py" line="753"/>
        <source>%Ln logged</source>
        <translation>
            <numerusform>%Ln zapisana</numerusform>
            <numerusform>%Ln zapisane</numerusform>
            <numerusform>%Ln zapisanych</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <location filename="../../app/ui/today_page.py" line="755"/>
        <source>%Ln to do</source>
        <translation>
            <numerusform>%Ln do zrobienia</numerusform>
            <numerusform>%Ln do zrobienia</numerusform>
            <numerusform>%Ln do zrobienia</numerusform>
        </translation>
    </message>
    <message>
        <location filename="../../app/ui/today_page.py" line="870"/>
        <source>How to reach: %1</source>
        <translation>Kontakt: %1</translation>
    </message>
    <message>
        <location filename="../../app/ui/today_page.py" line="872"/>
        <source>Note: %1</source>
        <translation>Notatka: %1</translation>
    </message>
    <message>
        <location filename="../../app/ui/today_page.py" line="879"/>
        <source>%1. Ctrl+Z undoes the last call; the client&apos;s card corrects any call.</source>
        <translation>%1. Ctrl+Z cofa ostatnie połączenie; każde połączenie można poprawić w karcie klienta.</translation>
    </message>
    <message>
        <location filename="../../app/ui/today_page.py" line="922"/>
        <source>“%1” is not a call: nothing was logged. %2.</source>
        <translation>„%1” to nie połączenie: nic nie zapisano. %2.</translation>
    </message>
    <message>
        <location filename="../../app/ui/today_page.py" line="942"/>
        <source>%1 for %2. Ctrl+Z undoes the last call.</source>
        <translation>%1 (%2). Ctrl+Z cofa ostatnie połączenie.</translation>
    </message>
    <message>
        <location filename="../../app/ui/today_page.py" line="980"/>
        <source>Nothing was applied of what you pressed after it: choose the call again.</source>
        <translation>Nic z tego, co naciśnięto potem, nie zostało zastosowane: wybierz połączenie ponownie.</translation>
    </message>
    <message>
        <location filename="../../app/ui/today_page.py" line="1026"/>
        <source>Saving the call…</source>
        <translation>Zapisywanie połączenia…</translation>
    </message>
    <message>
        <location filename="../../app/ui/today_page.py" line="1068"/>
        <source>%1 logged for %2 at %3 (Ctrl+Z undoes it).</source>
        <translation>%1 — zapisano: %2, %3 (Ctrl+Z cofa).</translation>
    </message>
    <message>
        <location filename="../../app/ui/today_page.py" line="1071"/>
        <source>A complaint was opened for %1.</source>
        <translation>Otwarto reklamację klienta %1.</translation>
    </message>
    <message numerus="yes">
        <location filename="../../app/ui/today_page.py" line="1073"/>
        <source>%Ln other call(s) of today closed.</source>
        <translation>
            <numerusform>Zamknięto %Ln inne dzisiejsze połączenie.</numerusform>
            <numerusform>Zamknięto %Ln inne dzisiejsze połączenia.</numerusform>
            <numerusform>Zamknięto %Ln innych dzisiejszych połączeń.</numerusform>
        </translation>
    </message>
    <message>
        <location filename="../../app/ui/today_page.py" line="1086"/>
        <source>No call to undo.</source>
        <translation>Nie ma połączenia do cofnięcia.</translation>
    </message>
    <message>
        <location filename="../../app/ui/today_page.py" line="1111"/>
        <source>The call to %1 was undone.</source>
        <translation>Cofnięto połączenie: %1.</translation>
    </message>
    <message>
        <location filename="../../app/ui/today_page.py" line="1123"/>
        <source>Undoing the call…</source>
        <translation>Cofanie połączenia…</translation>
    </message>
    <message>
        <location filename="../../app/ui/today_page.py" line="1197"/>
        <source>Cancel task</source>
        <translation>Anulowanie zadania</translation>
    </message>
    <message>
        <location filename="../../app/ui/today_page.py" line="1198"/>
        <source>Why is this call no longer needed?</source>
        <translation>Dlaczego to połączenie nie jest już potrzebne?</translation>
    </message>
</context>
<context>
    <name>UndoBar</name>
    <message>
        <location filename="../../app/ui/clients_page.py" line="132"/>
        <source>Undo</source>
        <extracomment>the phones of the last first page, as shown (QSettings): the next start paints its first page without importing phonenumbers</extracomment>
        <translation>Cofnij</translation>
    </message>
    <message>
        <location filename="../../app/ui/clients_page.py" line="133"/>
        <source>Undo (Ctrl+Z)</source>
        <translation>Cofnij (Ctrl+Z)</translation>
    </message>
    <message>
        <location filename="../../app/ui/clients_page.py" line="137"/>
        <source>Close</source>
        <translation>Zamknij</translation>
    </message>
</context>
<context>
    <name>UpdatesAsker</name>
    <message>
        <location filename="../../app/ui/about.py" line="95"/>
        <source>Check for updates</source>
        <translation>Sprawdź aktualizacje</translation>
    </message>
    <message>
        <location filename="../../app/ui/about.py" line="101"/>
        <source>ClientCare %1 is available; this is %2.

Open its download page in the browser? Install it over this one: your data is kept, and a backup of it is made before the new version updates it.</source>
        <translation>Dostępny jest ClientCare %1; ta wersja to %2.

Otworzyć stronę pobierania w przeglądarce? Zainstaluj nową wersję na tej: dane zostaną zachowane, a przed ich aktualizacją przez nową wersję zostanie wykonana kopia zapasowa.</translation>
    </message>
    <message>
        <location filename="../../app/ui/about.py" line="111"/>
        <source>ClientCare %1 is the newest version.</source>
        <translation>ClientCare %1 to najnowsza wersja.</translation>
    </message>
</context>
<context>
    <name>WrongNumberDialog</name>
    <message>
        <location filename="../../app/ui/call_dialogs.py" line="118"/>
        <source>Wrong number</source>
        <translation>Błędny numer</translation>
    </message>
    <message>
        <location filename="../../app/ui/call_dialogs.py" line="122"/>
        <source>The number %2 is not the number of %1. What is the right one? Leave it empty if nobody knows it: the wrong number is removed. The client&apos;s other calls of today are closed.</source>
        <translation>Numer %2 nie jest numerem klienta %1. Jaki jest właściwy? Zostaw puste, jeśli nikt go nie zna: błędny numer zostanie usunięty. Pozostałe dzisiejsze połączenia do tego klienta zostaną zamknięte.</translation>
    </message>
    <message>
        <location filename="../../app/ui/call_dialogs.py" line="129"/>
        <source>unknown</source>
        <translation>nieznany</translation>
    </message>
    <message>
        <location filename="../../app/ui/call_dialogs.py" line="132"/>
        <source>Right number</source>
        <translation>Właściwy numer</translation>
    </message>
</context>
</TS>
