<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="bg">
<context>
    <name>AboutDialog</name>
    <message>
        <location filename="../../app/ui/about.py" line="122"/>
        <source>About ClientCare</source>
        <translation>За ClientCare</translation>
    </message>
    <message>
        <location filename="../../app/ui/about.py" line="125"/>
        <source>&lt;h2&gt;ClientCare %1&lt;/h2&gt;</source>
        <translation>&lt;h2&gt;ClientCare, версия %1&lt;/h2&gt;</translation>
    </message>
    <message>
        <location filename="../../app/ui/about.py" line="128"/>
        <source>Portable: the data is in the folder beside the program, %1</source>
        <translation>Преносима версия: данните са в папката до програмата, %1</translation>
    </message>
    <message>
        <location filename="../../app/ui/about.py" line="129"/>
        <source>Data folder: %1</source>
        <translation>Папка с данни: %1</translation>
    </message>
    <message>
        <location filename="../../app/ui/about.py" line="130"/>
        <source>Keep the clients you already have.</source>
        <translation>Задръжте клиентите, които вече имате.</translation>
    </message>
    <message>
        <location filename="../../app/ui/about.py" line="133"/>
        <source>Database: %1</source>
        <translation>База данни: %1</translation>
    </message>
    <message>
        <location filename="../../app/ui/about.py" line="145"/>
        <source>Check for &amp;updates…</source>
        <translation>Провери за &amp;обновления…</translation>
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
        <translation>Възникна неочаквана грешка. Всичко, което сте запазили преди това, е в безопасност. Подробностите са записани в дневника: %1</translation>
    </message>
    <message>
        <location filename="../../app/ui/app.py" line="300"/>
        <source>ClientCare could not load all of its parts, so the database was not opened.</source>
        <extracomment>the start could not import a part of the program (a damaged installation)</extracomment>
        <translation>ClientCare не успя да зареди всичките си компоненти, затова базата данни не беше отворена.</translation>
    </message>
    <message>
        <location filename="../../app/ui/app.py" line="333"/>
        <source>The database “%1” is in a network folder (%2). SQLite cannot lock a file reliably there: two computers working on it at once can damage it.

Keep the database on this computer&apos;s own disk. For several computers, move it to a PostgreSQL server (office mode): clientcare migrate-to-postgres --from FILE --to postgresql+psycopg://user@server/database.</source>
        <translation>Базата данни „%1“ е в мрежова папка (%2). Там SQLite не може надеждно да заключва файла: два компютъра, които работят с него едновременно, могат да го повредят.

Дръжте базата данни на собствения диск на този компютър. За няколко компютъра я преместете на сървър PostgreSQL (офис режим): clientcare migrate-to-postgres --from ФАЙЛ --to postgresql+psycopg://потребител@сървър/база.</translation>
    </message>
    <message>
        <location filename="../../app/ui/app.py" line="403"/>
        <source>This PC&apos;s own file opens meanwhile.</source>
        <translation>Междувременно се отваря собственият файл на този компютър.</translation>
    </message>
    <message>
        <location filename="../../app/ui/start.py" line="63"/>
        <source>Owner</source>
        <translation>Собственик</translation>
    </message>
    <message>
        <location filename="../../app/ui/start.py" line="118"/>
        <source>The file “%1” is read-only.</source>
        <translation>Файлът „%1“ е само за четене.</translation>
    </message>
    <message>
        <location filename="../../app/ui/start.py" line="120"/>
        <source>The folder of “%1” is read-only: ClientCare cannot save there.</source>
        <translation>Папката на „%1“ е само за четене: ClientCare не може да записва в нея.</translation>
    </message>
    <message>
        <location filename="../../app/ui/start.py" line="124"/>
        <source>Nothing in it was changed. You can look at it read-only (nothing can be saved then), or copy it to a folder you can write to and work on the copy.</source>
        <translation>Нищо в него не е променено. Можете да го разгледате само за четене (тогава нищо не може да се запише) или да го копирате в папка, в която можете да записвате, и да работите с копието.</translation>
    </message>
    <message>
        <location filename="../../app/ui/start.py" line="128"/>
        <source>Open read-only</source>
        <translation>Отвори само за четене</translation>
    </message>
    <message>
        <location filename="../../app/ui/start.py" line="131"/>
        <source>Copy to another folder…</source>
        <translation>Копирай в друга папка…</translation>
    </message>
    <message>
        <location filename="../../app/ui/start.py" line="146"/>
        <source>Copy the database to</source>
        <translation>Копиране на базата данни в</translation>
    </message>
    <message>
        <location filename="../../app/ui/start.py" line="148"/>
        <source>ClientCare database (*.sqlite *.db)</source>
        <translation>База данни на ClientCare (*.sqlite *.db)</translation>
    </message>
    <message>
        <location filename="../../app/ui/start.py" line="194"/>
        <source>Wait a moment, then try again.</source>
        <translation>Изчакайте малко и опитайте отново.</translation>
    </message>
    <message>
        <location filename="../../app/ui/start.py" line="219"/>
        <source>You may restore a backup: choose one in the list. The damaged file is kept aside, not deleted.</source>
        <translation>Можете да възстановите резервно копие: изберете го от списъка. Повреденият файл се запазва настрана, не се изтрива.</translation>
    </message>
    <message>
        <location filename="../../app/ui/start.py" line="239"/>
        <source>Check that the office server is on and this PC is on its network, or ask whoever set it up for the address, user and password.</source>
        <translation>Проверете дали офисният сървър е включен и дали този компютър е в неговата мрежа, или попитайте този, който го е настроил, за адреса, потребителя и паролата.</translation>
    </message>
    <message>
        <location filename="../../app/ui/start.py" line="248"/>
        <source>Meanwhile you can work on this PC&apos;s own file: what you save there stays on this PC and does not reach the server.</source>
        <translation>Междувременно можете да работите със собствения файл на този компютър: каквото запазите в него, остава на този компютър и не стига до сървъра.</translation>
    </message>
    <message>
        <location filename="../../app/ui/start.py" line="251"/>
        <source>Open this PC&apos;s file</source>
        <translation>Отвори файла на този компютър</translation>
    </message>
    <message>
        <location filename="../../app/ui/app.py" line="415"/>
        <source>ClientCare is already open with this database. Switch to its window; two windows on one file could overwrite each other&apos;s work.</source>
        <translation>ClientCare вече е отворен с тази база данни. Превключете към неговия прозорец: два прозореца с един и същ файл могат взаимно да презапишат промените си.</translation>
    </message>
    <message>
        <location filename="../../app/ui/first_paint.py" line="46"/>
        <source>Nothing was changed. Retry once the file can be read again, or quit.</source>
        <translation>Нищо не е променено. Опитайте отново, когато файлът може да се чете, или излезте.</translation>
    </message>
    <message>
        <location filename="../../app/ui/first_paint.py" line="50"/>
        <source>Retry</source>
        <translation>Опитай отново</translation>
    </message>
    <message>
        <location filename="../../app/ui/first_paint.py" line="53"/>
        <source>Quit</source>
        <translation>Изход</translation>
    </message>
</context>
<context>
    <name>BackgroundStart</name>
    <message>
        <location filename="../../app/ui/start.py" line="380"/>
        <source>Checking the database…</source>
        <translation>Проверка на базата данни…</translation>
    </message>
    <message>
        <location filename="../../app/ui/start.py" line="393"/>
        <source>ClientCare</source>
        <translation>ClientCare</translation>
    </message>
    <message>
        <location filename="../../app/ui/start.py" line="419"/>
        <source>Restoring the backup…</source>
        <translation>Възстановяване на резервното копие…</translation>
    </message>
    <message>
        <location filename="../../app/ui/start.py" line="425"/>
        <source>Preparing the database…</source>
        <translation>Подготовка на базата данни…</translation>
    </message>
    <message>
        <location filename="../../app/ui/start.py" line="437"/>
        <source>Applying the erasure log…</source>
        <translation>Повторно прилагане на дневника на изтриванията…</translation>
    </message>
    <message>
        <location filename="../../app/ui/start.py" line="449"/>
        <source>Bringing the calls of the day up to date…</source>
        <translation>Обновяване на обажданията за деня…</translation>
    </message>
    <message>
        <location filename="../../app/ui/start.py" line="457"/>
        <source>Backing up…</source>
        <translation>Създаване на резервно копие…</translation>
    </message>
    <message>
        <location filename="../../app/ui/start.py" line="483"/>
        <source>Getting ready…</source>
        <translation>Подготовка…</translation>
    </message>
</context>
<context>
    <name>BackupPickerDialog</name>
    <message>
        <location filename="../../app/ui/backup_settings.py" line="93"/>
        <source>Restore a backup</source>
        <translation>Възстановяване на резервно копие</translation>
    </message>
    <message>
        <location filename="../../app/ui/backup_settings.py" line="98"/>
        <source>Made</source>
        <translation>Вид</translation>
    </message>
    <message>
        <location filename="../../app/ui/backup_settings.py" line="98"/>
        <source>When</source>
        <translation>Кога</translation>
    </message>
    <message>
        <location filename="../../app/ui/backup_settings.py" line="98"/>
        <source>Size</source>
        <translation>Размер</translation>
    </message>
    <message>
        <location filename="../../app/ui/backup_settings.py" line="104"/>
        <source>Restore the chosen backup</source>
        <translation>Възстанови избраното копие</translation>
    </message>
    <message>
        <location filename="../../app/ui/backup_settings.py" line="109"/>
        <source>Close without changes</source>
        <translation>Затвори без промени</translation>
    </message>
</context>
<context>
    <name>BackupSettings</name>
    <message>
        <location filename="../../app/ui/backup_settings.py" line="56"/>
        <source>At start-up</source>
        <translation>При стартиране</translation>
    </message>
    <message>
        <location filename="../../app/ui/backup_settings.py" line="57"/>
        <source>At exit</source>
        <translation>При изход</translation>
    </message>
    <message>
        <location filename="../../app/ui/backup_settings.py" line="58"/>
        <source>Before an import</source>
        <translation>Преди импортиране</translation>
    </message>
    <message>
        <location filename="../../app/ui/backup_settings.py" line="59"/>
        <source>Made by hand</source>
        <translation>Ръчно</translation>
    </message>
    <message>
        <location filename="../../app/ui/backup_settings.py" line="60"/>
        <source>Before a restore</source>
        <translation>Преди възстановяване</translation>
    </message>
    <message>
        <location filename="../../app/ui/backup_settings.py" line="63"/>
        <source>Before an update of ClientCare</source>
        <translation>Преди актуализация на ClientCare</translation>
    </message>
    <message>
        <location filename="../../app/ui/backup_settings.py" line="68"/>
        <source>%1 KB</source>
        <translation>%1 КБ</translation>
    </message>
    <message>
        <location filename="../../app/ui/backup_settings.py" line="69"/>
        <source>%1 MB</source>
        <translation>%1 МБ</translation>
    </message>
    <message>
        <location filename="../../app/ui/backup_settings.py" line="178"/>
        <source>Checking the database…</source>
        <translation>Проверка на базата данни…</translation>
    </message>
    <message>
        <location filename="../../app/ui/backup_settings.py" line="152"/>
        <location filename="../../app/ui/backup_settings.py" line="161"/>
        <location filename="../../app/ui/backup_settings.py" line="256"/>
        <source>Check the database</source>
        <translation>Провери базата данни</translation>
    </message>
    <message>
        <location filename="../../app/ui/backup_settings.py" line="153"/>
        <source>The database is in good order.</source>
        <translation>Базата данни е в изправно състояние.</translation>
    </message>
    <message>
        <location filename="../../app/ui/backup_settings.py" line="157"/>
        <source>The database has problems: %1</source>
        <translation>В базата данни са открити проблеми: %1</translation>
    </message>
    <message>
        <location filename="../../app/ui/backup_settings.py" line="162"/>
        <source>There is no good backup to restore. Keep working carefully and contact support.</source>
        <translation>Няма изправно резервно копие за възстановяване. Продължете да работите внимателно и се свържете с поддръжката.</translation>
    </message>
    <message>
        <location filename="../../app/ui/backup_settings.py" line="167"/>
        <source>You may restore a backup: choose one in the list. The current file is backed up or kept aside first.</source>
        <translation>Можете да възстановите резервно копие: изберете го от списъка. Текущият файл първо се архивира или се запазва настрана.</translation>
    </message>
    <message>
        <location filename="../../app/ui/backup_settings.py" line="272"/>
        <source>ClientCare backs the database up when it starts and when it closes (unless nothing changed), before an update, before each import and before a restore, checks every backup, and keeps one backup a day and one a week (Settings, Rules). Keep the backups on another disk: choose the folder.</source>
        <translation>ClientCare архивира базата данни при стартиране и при затваряне (освен ако нищо не се е променило), преди обновяване, преди всеки импорт и преди възстановяване, проверява всяко копие и пази по едно копие на ден и на седмица (Настройки, Правила). Пазете копията на друг диск: изберете папката.</translation>
    </message>
    <message>
        <location filename="../../app/ui/backup_settings.py" line="386"/>
        <source>Delete a backup</source>
        <translation>Изтриване на резервно копие</translation>
    </message>
    <message>
        <location filename="../../app/ui/backup_settings.py" line="387"/>
        <source>Delete the backup of %1 (%2)? It cannot be brought back.</source>
        <translation>Да се изтрие ли резервното копие от %1 (%2)? То не може да бъде върнато.</translation>
    </message>
    <message>
        <location filename="../../app/ui/backup_settings.py" line="400"/>
        <source>Deleted the backup of %1.</source>
        <translation>Резервното копие от %1 е изтрито.</translation>
    </message>
    <message>
        <location filename="../../app/ui/backup_settings.py" line="408"/>
        <source>The folder for the backups</source>
        <translation>Папка за резервните копия</translation>
    </message>
    <message>
        <location filename="../../app/ui/backup_settings.py" line="424"/>
        <source>New backups go to %1.</source>
        <translation>Новите резервни копия ще се записват в %1.</translation>
    </message>
    <message>
        <location filename="../../app/ui/backup_settings.py" line="245"/>
        <source>Made</source>
        <translation>Вид</translation>
    </message>
    <message>
        <location filename="../../app/ui/backup_settings.py" line="224"/>
        <source>Restoring the backup…</source>
        <translation>Възстановяване на резервното копие…</translation>
    </message>
    <message>
        <location filename="../../app/ui/backup_settings.py" line="245"/>
        <source>When</source>
        <translation>Дата на създаване</translation>
    </message>
    <message>
        <location filename="../../app/ui/backup_settings.py" line="245"/>
        <source>Size</source>
        <translation>Размер</translation>
    </message>
    <message>
        <location filename="../../app/ui/backup_settings.py" line="251"/>
        <source>Back up now</source>
        <translation>Направи резервно копие сега</translation>
    </message>
    <message>
        <location filename="../../app/ui/backup_settings.py" line="252"/>
        <source>Restore the chosen backup…</source>
        <translation>Възстанови избраното резервно копие…</translation>
    </message>
    <message>
        <location filename="../../app/ui/backup_settings.py" line="254"/>
        <source>Delete the chosen backup…</source>
        <translation>Изтрий избраното копие…</translation>
    </message>
    <message>
        <location filename="../../app/ui/backup_settings.py" line="257"/>
        <source>Choose the folder…</source>
        <translation>Избери папката…</translation>
    </message>
    <message>
        <location filename="../../app/ui/backup_settings.py" line="259"/>
        <source>Open the folder</source>
        <translation>Отвори папката</translation>
    </message>
    <message>
        <location filename="../../app/ui/backup_settings.py" line="291"/>
        <source>Folder: %1</source>
        <translation>Папка: %1</translation>
    </message>
    <message>
        <location filename="../../app/ui/backup_settings.py" line="295"/>
        <source>The dates of the backups do not fit the order they were made in, or lie in the future: check the computer&apos;s clock. Old backups are removed by their order, not by these dates.</source>
        <translation>Датите на резервните копия не отговарят на реда, в който са направени, или са в бъдещето: проверете часовника на компютъра. Старите копия се премахват по реда им, а не по тези дати.</translation>
    </message>
    <message>
        <location filename="../../app/ui/backup_settings.py" line="314"/>
        <source>Backing up…</source>
        <translation>Създаване на резервно копие…</translation>
    </message>
    <message>
        <location filename="../../app/ui/backup_settings.py" line="321"/>
        <source>Backing up and checking the copy…</source>
        <translation>Архивиране и проверка на копието…</translation>
    </message>
    <message>
        <location filename="../../app/ui/backup_settings.py" line="332"/>
        <source>Backed up to %1.</source>
        <translation>Създадено е резервно копие: %1.</translation>
    </message>
    <message>
        <location filename="../../app/ui/backup_settings.py" line="356"/>
        <location filename="../../app/ui/backup_settings.py" line="383"/>
        <source>Choose a backup in the list first.</source>
        <translation>Първо изберете резервно копие от списъка.</translation>
    </message>
    <message>
        <location filename="../../app/ui/backup_settings.py" line="359"/>
        <source>Restore a backup</source>
        <translation>Възстановяване на резервно копие</translation>
    </message>
    <message>
        <location filename="../../app/ui/backup_settings.py" line="360"/>
        <source>Replace all data with the backup of %1?

What is in the database now is backed up first, so this can be undone by restoring that backup.</source>
        <translation>Да се заменят ли всички данни с резервното копие от %1?

Преди това се прави резервно копие на текущото съдържание на базата данни, така че действието може да бъде отменено чрез възстановяване на това копие.</translation>
    </message>
    <message>
        <location filename="../../app/ui/backup_settings.py" line="371"/>
        <source>Restored the backup of %1.</source>
        <translation>Резервното копие от %1 е възстановено.</translation>
    </message>
</context>
<context>
    <name>BatchDialog</name>
    <message>
        <location filename="../../app/ui/message_dialog.py" line="305"/>
        <source>Send messages</source>
        <translation>Изпращане на съобщения</translation>
    </message>
    <message numerus="yes">
        <location filename="../../app/ui/message_dialog.py" line="312"/>
        <source>Send %n message(s):</source>
        <translation>
            <numerusform>Изпращане на %n съобщение:</numerusform>
            <numerusform>Изпращане на %n съобщения:</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <location filename="../../app/ui/message_dialog.py" line="314"/>
        <source>%n by e-mail</source>
        <translation>
            <numerusform>%n по имейл</numerusform>
            <numerusform>%n по имейл</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <location filename="../../app/ui/message_dialog.py" line="316"/>
        <source>%n by SMS</source>
        <translation>
            <numerusform>%n с SMS</numerusform>
            <numerusform>%n с SMS</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <location filename="../../app/ui/message_dialog.py" line="317"/>
        <source>%n SMS part(s) in all</source>
        <translation>
            <numerusform>общо %n част SMS</numerusform>
            <numerusform>общо %n части SMS</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <location filename="../../app/ui/message_dialog.py" line="320"/>
        <location filename="../../app/ui/message_dialog.py" line="336"/>
        <source>and %n more</source>
        <translation>
            <numerusform>и още %n</numerusform>
            <numerusform>и още %n</numerusform>
        </translation>
    </message>
    <message>
        <location filename="../../app/ui/message_dialog.py" line="322"/>
        <source>To: %1</source>
        <translation>До: %1</translation>
    </message>
    <message numerus="yes">
        <location filename="../../app/ui/message_dialog.py" line="332"/>
        <source>%n will not be sent:</source>
        <translation>
            <numerusform>%n няма да бъде изпратено:</numerusform>
            <numerusform>%n няма да бъдат изпратени:</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <location filename="../../app/ui/message_dialog.py" line="342"/>
        <source>Send %n</source>
        <translation>
            <numerusform>Изпрати %n</numerusform>
            <numerusform>Изпрати %n</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>BusyIndicator</name>
    <message>
        <location filename="../../app/ui/progress.py" line="119"/>
        <source>%1 (and %2 more)</source>
        <translation>%1 (и още %2)</translation>
    </message>
</context>
<context>
    <name>CalendarPage</name>
    <message>
        <location filename="../../app/ui/calendar_page.py" line="146"/>
        <source>Nothing on this day.</source>
        <translation>За този ден няма нищо планирано.</translation>
    </message>
    <message>
        <location filename="../../app/ui/calendar_page.py" line="191"/>
        <source>Export to a calendar file (.ics)…</source>
        <translation>Експорт във файл на календар (.ics)…</translation>
    </message>
    <message>
        <location filename="../../app/ui/calendar_page.py" line="248"/>
        <location filename="../../app/ui/calendar_page.py" line="285"/>
        <location filename="../../app/ui/calendar_page.py" line="288"/>
        <location filename="../../app/ui/calendar_page.py" line="309"/>
        <source>Reading the calendar</source>
        <translation>Зареждане на календара</translation>
    </message>
    <message numerus="yes">
        <location filename="../../app/ui/calendar_page.py" line="280"/>
        <source>%Ln item(s)</source>
        <translation>
            <numerusform>%Ln запис</numerusform>
            <numerusform>%Ln записа</numerusform>
        </translation>
    </message>
    <message>
        <location filename="../../app/ui/calendar_page.py" line="328"/>
        <source>Meeting: %1</source>
        <translation>Среща: %1</translation>
    </message>
    <message numerus="yes">
        <location filename="../../app/ui/calendar_page.py" line="336"/>
        <source>%Ln year(s)</source>
        <translation>
            <numerusform>%Ln година</numerusform>
            <numerusform>%Ln години</numerusform>
        </translation>
    </message>
    <message>
        <location filename="../../app/ui/calendar_page.py" line="346"/>
        <source>Export calendar</source>
        <translation>Експорт на календара</translation>
    </message>
    <message>
        <location filename="../../app/ui/calendar_page.py" line="347"/>
        <source>Calendar files (*.ics)</source>
        <translation>Файлове на календар (*.ics)</translation>
    </message>
    <message>
        <location filename="../../app/ui/calendar_page.py" line="356"/>
        <source>Meeting</source>
        <translation>Среща</translation>
    </message>
    <message numerus="yes">
        <location filename="../../app/ui/calendar_page.py" line="373"/>
        <source>%Ln event(s) written to %1</source>
        <translation>
            <numerusform>%Ln събитие е записано в %1</numerusform>
            <numerusform>%Ln събития са записани в %1</numerusform>
        </translation>
    </message>
    <message>
        <location filename="../../app/ui/calendar_page.py" line="378"/>
        <source>The export was stopped; no file was written.</source>
        <translation>Експортът беше спрян; не е записан файл.</translation>
    </message>
    <message>
        <location filename="../../app/ui/calendar_page.py" line="382"/>
        <source>Exporting the calendar…</source>
        <translation>Експортиране на календара…</translation>
    </message>
</context>
<context>
    <name>CallCorrectionDialog</name>
    <message>
        <location filename="../../app/ui/call_dialogs.py" line="173"/>
        <source>Correct the call</source>
        <translation>Корекция на обаждането</translation>
    </message>
    <message>
        <location filename="../../app/ui/call_dialogs.py" line="177"/>
        <source>Logged %1</source>
        <translation>Записано %1</translation>
    </message>
    <message>
        <location filename="../../app/ui/call_dialogs.py" line="185"/>
        <source>not set</source>
        <translation>не е посочен</translation>
    </message>
    <message>
        <location filename="../../app/ui/call_dialogs.py" line="202"/>
        <source>Outcome</source>
        <translation>Резултат</translation>
    </message>
    <message>
        <location filename="../../app/ui/call_dialogs.py" line="203"/>
        <source>Tone</source>
        <translation>Тон</translation>
    </message>
    <message>
        <location filename="../../app/ui/call_dialogs.py" line="204"/>
        <source>Note</source>
        <translation>Бележка</translation>
    </message>
    <message>
        <location filename="../../app/ui/call_dialogs.py" line="205"/>
        <source>Why declined</source>
        <translation>Причина за отказа</translation>
    </message>
    <message>
        <location filename="../../app/ui/call_dialogs.py" line="206"/>
        <source>Meeting</source>
        <translation>Среща</translation>
    </message>
    <message>
        <location filename="../../app/ui/call_dialogs.py" line="207"/>
        <source>Call back on</source>
        <translation>Повторно обаждане на</translation>
    </message>
</context>
<context>
    <name>CallDialogs</name>
    <message>
        <location filename="../../app/ui/call_dialogs.py" line="52"/>
        <source>%1 is a public holiday. Call on %2 instead?</source>
        <translation>%1 е официален празник. Да се обадим ли вместо това на %2?</translation>
    </message>
    <message>
        <location filename="../../app/ui/call_dialogs.py" line="55"/>
        <source>%1 is a closed day. Call on %2 instead?</source>
        <translation>%1 е неработен ден. Да се обадим ли вместо това на %2?</translation>
    </message>
    <message>
        <location filename="../../app/ui/call_dialogs.py" line="59"/>
        <source>Not a working day</source>
        <translation>Неработен ден</translation>
    </message>
</context>
<context>
    <name>ChartWidget</name>
    <message>
        <location filename="../../app/ui/charts_page.py" line="316"/>
        <source>Export</source>
        <translation>Експорт</translation>
    </message>
    <message>
        <location filename="../../app/ui/charts_page.py" line="319"/>
        <source>Picture (PNG)…</source>
        <translation>Изображение (PNG)…</translation>
    </message>
    <message>
        <location filename="../../app/ui/charts_page.py" line="320"/>
        <source>Document (PDF)…</source>
        <translation>Документ (PDF)…</translation>
    </message>
    <message>
        <location filename="../../app/ui/charts_page.py" line="321"/>
        <source>Numbers (CSV)…</source>
        <translation>Данни (CSV)…</translation>
    </message>
    <message>
        <location filename="../../app/ui/charts_page.py" line="353"/>
        <source>PNG picture (*.png)</source>
        <translation>Изображение PNG (*.png)</translation>
    </message>
    <message>
        <location filename="../../app/ui/charts_page.py" line="353"/>
        <source>PDF document (*.pdf)</source>
        <translation>Документ PDF (*.pdf)</translation>
    </message>
    <message>
        <location filename="../../app/ui/charts_page.py" line="354"/>
        <source>CSV table (*.csv)</source>
        <translation>Таблица CSV (*.csv)</translation>
    </message>
    <message>
        <location filename="../../app/ui/charts_page.py" line="356"/>
        <source>Export the chart</source>
        <translation>Експорт на графиката</translation>
    </message>
    <message>
        <location filename="../../app/ui/charts_page.py" line="366"/>
        <source>Exporting the chart…</source>
        <translation>Експортиране на графиката…</translation>
    </message>
</context>
<context>
    <name>Charts</name>
    <message>
        <location filename="../../app/ui/charts_page.py" line="73"/>
        <source>Repeat-purchase share</source>
        <translation>Дял на повторните покупки</translation>
    </message>
    <message>
        <location filename="../../app/ui/charts_page.py" line="74"/>
        <source>New and returning clients</source>
        <translation>Нови и завръщащи се клиенти</translation>
    </message>
    <message>
        <location filename="../../app/ui/charts_page.py" line="75"/>
        <source>Second purchase within 90 days</source>
        <translation>Втора покупка в рамките на 90 дни</translation>
    </message>
    <message>
        <location filename="../../app/ui/charts_page.py" line="76"/>
        <source>Cohort retention</source>
        <translation>Задържане на клиентите по кохорти</translation>
    </message>
    <message>
        <location filename="../../app/ui/charts_page.py" line="77"/>
        <source>New clients by channel</source>
        <translation>Нови клиенти по канали</translation>
    </message>
    <message>
        <location filename="../../app/ui/charts_page.py" line="78"/>
        <source>Clients and revenue by A/B/C group</source>
        <translation>Клиенти и приходи по групи A/B/C</translation>
    </message>
    <message>
        <location filename="../../app/ui/charts_page.py" line="79"/>
        <source>Call outcomes</source>
        <translation>Резултати от обажданията</translation>
    </message>
    <message>
        <location filename="../../app/ui/charts_page.py" line="80"/>
        <source>Why clients declined</source>
        <translation>Защо клиентите са отказали</translation>
    </message>
    <message>
        <location filename="../../app/ui/charts_page.py" line="81"/>
        <source>Tone of contacts</source>
        <translation>Тон на контактите</translation>
    </message>
    <message>
        <location filename="../../app/ui/charts_page.py" line="82"/>
        <source>Complaints by category</source>
        <translation>Оплаквания по категории</translation>
    </message>
    <message>
        <location filename="../../app/ui/charts_page.py" line="83"/>
        <source>Repeat purchases after a complaint</source>
        <translation>Повторни покупки след оплакване</translation>
    </message>
    <message>
        <location filename="../../app/ui/charts_page.py" line="84"/>
        <source>Call time against client value</source>
        <translation>Време за обаждания спрямо стойността на клиента</translation>
    </message>
    <message>
        <location filename="../../app/ui/charts_page.py" line="91"/>
        <source>Purchases dated after the client&apos;s first purchase day, as a share of all purchases in the period, by revenue and by count.</source>
        <translation>Делът на покупките, направени след деня на първата покупка на клиента, от всички покупки за периода — по приходи и по брой.</translation>
    </message>
    <message>
        <location filename="../../app/ui/charts_page.py" line="94"/>
        <source>Clients who bought in the period: returning if they made a purchase after their first purchase day, new otherwise.</source>
        <translation>Клиентите, купували през периода: завръщащи се са тези, които са купили нещо след деня на първата си покупка, останалите са нови.</translation>
    </message>
    <message>
        <location filename="../../app/ui/charts_page.py" line="97"/>
        <source>Clients whose first purchase fell in the month and who bought again within 90 days. Hatched: 90 days not over yet.</source>
        <translation>Клиентите, чиято първа покупка е била през месеца и които са купили отново в рамките на 90 дни. Щриховано: 90-те дни още не са изтекли.</translation>
    </message>
    <message>
        <location filename="../../app/ui/charts_page.py" line="100"/>
        <source>Of the clients who first bought in a month (rows), the share buying in each month after (columns).</source>
        <translation>От клиентите, купили за първи път през даден месец (редове) — делът на купилите през всеки следващ месец (колони).</translation>
    </message>
    <message>
        <location filename="../../app/ui/charts_page.py" line="103"/>
        <source>Clients whose first purchase is in the period, by the channel they came from; referred = recommended by a client.</source>
        <translation>Клиентите, чиято първа покупка е през периода, по канала, от който са дошли; по препоръка = препоръчани от клиент.</translation>
    </message>
    <message>
        <location filename="../../app/ui/charts_page.py" line="106"/>
        <source>Clients and their 12-month revenue per group (the owner&apos;s override counted); clients with no purchases in 12 months are a band of their own.</source>
        <translation>Клиенти и приходите им за 12 месеца по групи (с отчитане на решението на собственика); клиентите без покупки за 12 месеца са показани отделно.</translation>
    </message>
    <message>
        <location filename="../../app/ui/charts_page.py" line="109"/>
        <source>Outbound calls logged, by outcome.</source>
        <translation>Записаните изходящи обаждания по резултат.</translation>
    </message>
    <message>
        <location filename="../../app/ui/charts_page.py" line="110"/>
        <source>Calls with the outcome &quot;declined&quot;, by the reason recorded.</source>
        <translation>Обажданията с резултат „Отказ“ по записаната причина.</translation>
    </message>
    <message>
        <location filename="../../app/ui/charts_page.py" line="112"/>
        <source>Contacts by the tone staff recorded.</source>
        <translation>Контактите по тона, отбелязан от персонала.</translation>
    </message>
    <message>
        <location filename="../../app/ui/charts_page.py" line="113"/>
        <source>Complaints opened in the period, kept or lost when closed; median hours from opening to resolution.</source>
        <translation>Оплакванията, отворени през периода; при затваряне клиентът е запазен или загубен; медианно време от отварянето до решаването, в часове.</translation>
    </message>
    <message>
        <location filename="../../app/ui/charts_page.py" line="116"/>
        <source>Share of clients buying again in the period: clients kept after a complaint against clients who never complained.</source>
        <translation>Дял на клиентите, купили отново през периода: клиентите, запазени след оплакване, в сравнение с клиентите, които никога не са се оплаквали.</translation>
    </message>
    <message>
        <location filename="../../app/ui/charts_page.py" line="119"/>
        <source>Minutes of logged calls in the period against each client&apos;s 12-month revenue: who takes much time and brings little.</source>
        <translation>Минутите на записаните обаждания през периода спрямо приходите от всеки клиент за 12 месеца: кой отнема много време, а носи малко.</translation>
    </message>
    <message>
        <location filename="../../app/ui/charts_page.py" line="128"/>
        <source>Incomplete: up to %1</source>
        <translation>Непълен: до %1</translation>
    </message>
    <message>
        <location filename="../../app/ui/charts_page.py" line="130"/>
        <source>Groups computed on %1</source>
        <translation>Групите са изчислени на %1</translation>
    </message>
    <message>
        <location filename="../../app/ui/charts_page.py" line="131"/>
        <source>The day the groups were computed is not recorded</source>
        <translation>Денят на изчисляване на групите не е записан</translation>
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
        <translation>%1 трим. %2</translation>
    </message>
    <message>
        <location filename="../../app/ui/charts_page.py" line="158"/>
        <source>Median resolution: —</source>
        <translation>Медианно време за решаване: —</translation>
    </message>
    <message>
        <location filename="../../app/ui/charts_page.py" line="159"/>
        <source>Median resolution: %1 h</source>
        <translation>Медианно време за решаване: %1 ч</translation>
    </message>
    <message>
        <location filename="../../app/ui/charts_page.py" line="162"/>
        <source>Kept after a complaint</source>
        <translation>Запазени след оплакване</translation>
    </message>
    <message>
        <location filename="../../app/ui/charts_page.py" line="163"/>
        <source>Never complained</source>
        <translation>Никога не са се оплаквали</translation>
    </message>
    <message>
        <location filename="../../app/ui/charts_page.py" line="165"/>
        <source>No data for this period</source>
        <translation>Няма данни за този период</translation>
    </message>
    <message>
        <location filename="../../app/ui/charts_page.py" line="166"/>
        <source>Period</source>
        <translation>Период</translation>
    </message>
    <message>
        <location filename="../../app/ui/charts_page.py" line="167"/>
        <source>First-purchase month</source>
        <translation>Месец на първата покупка</translation>
    </message>
    <message>
        <location filename="../../app/ui/charts_page.py" line="168"/>
        <source>Months since the first purchase</source>
        <translation>Месеци след първата покупка</translation>
    </message>
    <message>
        <location filename="../../app/ui/charts_page.py" line="169"/>
        <source>Share</source>
        <translation>Дял</translation>
    </message>
    <message>
        <location filename="../../app/ui/charts_page.py" line="170"/>
        <source>Bought again within 90 days</source>
        <translation>Купили отново в рамките на 90 дни</translation>
    </message>
    <message>
        <location filename="../../app/ui/charts_page.py" line="171"/>
        <source>Clients buying</source>
        <translation>Купуващи клиенти</translation>
    </message>
    <message>
        <location filename="../../app/ui/charts_page.py" line="172"/>
        <source>Clients who bought again</source>
        <translation>Клиенти, купили отново</translation>
    </message>
    <message>
        <location filename="../../app/ui/charts_page.py" line="173"/>
        <source>Clients</source>
        <translation>Клиенти</translation>
    </message>
    <message>
        <location filename="../../app/ui/charts_page.py" line="173"/>
        <source>Calls</source>
        <translation>Обаждания</translation>
    </message>
    <message>
        <location filename="../../app/ui/charts_page.py" line="174"/>
        <source>Contacts</source>
        <translation>Контакти</translation>
    </message>
    <message>
        <location filename="../../app/ui/charts_page.py" line="175"/>
        <source>Complaints</source>
        <translation>Оплаквания</translation>
    </message>
    <message>
        <location filename="../../app/ui/charts_page.py" line="176"/>
        <source>Call minutes</source>
        <translation>Минути в обаждания</translation>
    </message>
    <message>
        <location filename="../../app/ui/charts_page.py" line="177"/>
        <source>12-month revenue</source>
        <translation>Приходи за 12 месеца</translation>
    </message>
    <message>
        <location filename="../../app/ui/charts_page.py" line="178"/>
        <source>By revenue</source>
        <translation>По приходи</translation>
    </message>
    <message>
        <location filename="../../app/ui/charts_page.py" line="178"/>
        <source>By count</source>
        <translation>По брой</translation>
    </message>
    <message>
        <location filename="../../app/ui/charts_page.py" line="179"/>
        <source>New</source>
        <translation>Нови</translation>
    </message>
    <message>
        <location filename="../../app/ui/charts_page.py" line="179"/>
        <source>Returning</source>
        <translation>Завръщащи се</translation>
    </message>
    <message>
        <location filename="../../app/ui/charts_page.py" line="180"/>
        <source>Returning rate</source>
        <translation>Дял на завръщащите се</translation>
    </message>
    <message>
        <location filename="../../app/ui/charts_page.py" line="181"/>
        <source>90 days over</source>
        <translation>90-те дни са изтекли</translation>
    </message>
    <message>
        <location filename="../../app/ui/charts_page.py" line="182"/>
        <source>Under 90 days (can still rise)</source>
        <translation>Под 90 дни (може още да нарасне)</translation>
    </message>
    <message>
        <location filename="../../app/ui/charts_page.py" line="183"/>
        <source>New clients</source>
        <translation>Нови клиенти</translation>
    </message>
    <message>
        <location filename="../../app/ui/charts_page.py" line="184"/>
        <source>Referred by a client</source>
        <translation>По препоръка на клиент</translation>
    </message>
    <message>
        <location filename="../../app/ui/charts_page.py" line="185"/>
        <source>Not recorded</source>
        <translation>Не е посочен</translation>
    </message>
    <message>
        <location filename="../../app/ui/charts_page.py" line="186"/>
        <source>Share of clients</source>
        <translation>Дял от клиентите</translation>
    </message>
    <message>
        <location filename="../../app/ui/charts_page.py" line="187"/>
        <source>Share of 12-month revenue</source>
        <translation>Дял от приходите за 12 месеца</translation>
    </message>
    <message>
        <location filename="../../app/ui/charts_page.py" line="188"/>
        <source>Kept</source>
        <translation>Клиентът е запазен</translation>
    </message>
    <message>
        <location filename="../../app/ui/charts_page.py" line="188"/>
        <source>Lost</source>
        <translation>Клиентът е загубен</translation>
    </message>
    <message>
        <location filename="../../app/ui/charts_page.py" line="189"/>
        <source>Not closed yet</source>
        <translation>Още незатворени</translation>
    </message>
    <message>
        <location filename="../../app/ui/charts_page.py" line="189"/>
        <source>Total</source>
        <translation>Общо</translation>
    </message>
    <message numerus="yes">
        <location filename="../../app/ui/charts_page.py" line="193"/>
        <source>%n client(s)</source>
        <translation>
            <numerusform>%n клиент</numerusform>
            <numerusform>%n клиента</numerusform>
        </translation>
    </message>
    <message>
        <location filename="../../app/ui/charts_page.py" line="196"/>
        <source>No group</source>
        <translation>Без група</translation>
    </message>
    <message>
        <location filename="../../app/ui/charts_page.py" line="197"/>
        <source>No purchases in 12 months</source>
        <translation>Без покупки за 12 месеца</translation>
    </message>
    <message>
        <location filename="../../app/ui/charts_page.py" line="199"/>
        <source>No reason given</source>
        <translation>Без посочена причина</translation>
    </message>
    <message>
        <location filename="../../app/ui/charts_page.py" line="202"/>
        <source>No category</source>
        <translation>Без категория</translation>
    </message>
</context>
<context>
    <name>ChartsPage</name>
    <message>
        <location filename="../../app/ui/charts_page.py" line="768"/>
        <source>Charts</source>
        <translation>Графики</translation>
    </message>
    <message>
        <location filename="../../app/ui/charts_page.py" line="779"/>
        <source>Quarterly A/B/C review</source>
        <translation>Тримесечен преглед на групите A/B/C</translation>
    </message>
</context>
<context>
    <name>ChartsView</name>
    <message>
        <location filename="../../app/ui/charts_page.py" line="505"/>
        <source>Last 12 months</source>
        <translation>Последните 12 месеца</translation>
    </message>
    <message>
        <location filename="../../app/ui/charts_page.py" line="505"/>
        <source>This year</source>
        <translation>Текущата година</translation>
    </message>
    <message>
        <location filename="../../app/ui/charts_page.py" line="506"/>
        <source>Last year</source>
        <translation>Миналата година</translation>
    </message>
    <message>
        <location filename="../../app/ui/charts_page.py" line="506"/>
        <source>Last 24 months</source>
        <translation>Последните 24 месеца</translation>
    </message>
    <message>
        <location filename="../../app/ui/charts_page.py" line="507"/>
        <source>Custom range</source>
        <translation>Собствен период</translation>
    </message>
    <message>
        <location filename="../../app/ui/charts_page.py" line="521"/>
        <source>From</source>
        <translation>От</translation>
    </message>
    <message>
        <location filename="../../app/ui/charts_page.py" line="523"/>
        <source>to</source>
        <translation>до</translation>
    </message>
    <message>
        <location filename="../../app/ui/charts_page.py" line="536"/>
        <source>By month</source>
        <translation>По месеци</translation>
    </message>
    <message>
        <location filename="../../app/ui/charts_page.py" line="537"/>
        <source>By quarter</source>
        <translation>По тримесечия</translation>
    </message>
    <message>
        <location filename="../../app/ui/charts_page.py" line="548"/>
        <source>Period</source>
        <translation>Период</translation>
    </message>
    <message>
        <location filename="../../app/ui/charts_page.py" line="558"/>
        <source>Repeat-purchase share this month</source>
        <translation>Дял на повторните покупки този месец</translation>
    </message>
    <message>
        <location filename="../../app/ui/charts_page.py" line="559"/>
        <source>Returning clients this month</source>
        <translation>Завръщащи се клиенти този месец</translation>
    </message>
    <message>
        <location filename="../../app/ui/charts_page.py" line="560"/>
        <source>New clients this month</source>
        <translation>Нови клиенти този месец</translation>
    </message>
    <message>
        <location filename="../../app/ui/charts_page.py" line="561"/>
        <source>Open complaints</source>
        <translation>Открити оплаквания</translation>
    </message>
    <message>
        <location filename="../../app/ui/charts_page.py" line="562"/>
        <source>Overdue calls</source>
        <translation>Просрочени обаждания</translation>
    </message>
    <message>
        <location filename="../../app/ui/charts_page.py" line="629"/>
        <source>The end cannot be after today (%1).</source>
        <translation>Краят не може да е след днешния ден (%1).</translation>
    </message>
    <message>
        <location filename="../../app/ui/charts_page.py" line="632"/>
        <source>The start must be on or before the end.</source>
        <translation>Началото трябва да е не по-късно от края.</translation>
    </message>
    <message numerus="yes">
        <location filename="../../app/ui/charts_page.py" line="704"/>
        <source>%1 of the %Ln client(s) who bought this month had bought before</source>
        <translation>
            <numerusform>Купували са и преди: %1 от %Ln клиент, купил този месец</numerusform>
            <numerusform>Купували са и преди: %1 от %Ln клиенти, купили този месец</numerusform>
        </translation>
    </message>
    <message>
        <location filename="../../app/ui/charts_page.py" line="731"/>
        <source>This chart could not be drawn: %1</source>
        <translation>Тази графика не можа да бъде начертана: %1</translation>
    </message>
    <message>
        <location filename="../../app/ui/charts_page.py" line="737"/>
        <source>Drawing the charts…</source>
        <translation>Изчертаване на графиките…</translation>
    </message>
    <message>
        <location filename="../../app/ui/charts_page.py" line="275"/>
        <location filename="../../app/ui/charts_page.py" line="668"/>
        <source>Calculating…</source>
        <translation>Изчисляване…</translation>
    </message>
    <message>
        <location filename="../../app/ui/charts_page.py" line="601"/>
        <source>Preparing the charts…</source>
        <translation>Подготвяне на графиките…</translation>
    </message>
    <message>
        <location filename="../../app/ui/charts_page.py" line="682"/>
        <source>The numbers could not be calculated: %1</source>
        <translation>Числата не можаха да бъдат изчислени: %1</translation>
    </message>
    <message>
        <location filename="../../app/ui/charts_page.py" line="685"/>
        <source>Calculating the charts…</source>
        <translation>Изчисляване на графиките…</translation>
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
        <translation>Нов клиент</translation>
    </message>
    <message>
        <location filename="../../app/ui/client_card.py" line="218"/>
        <source>Details</source>
        <translation>Данни</translation>
    </message>
    <message>
        <location filename="../../app/ui/client_card.py" line="219"/>
        <source>Family and dates</source>
        <translation>Семейство и дати</translation>
    </message>
    <message>
        <location filename="../../app/ui/client_card.py" line="220"/>
        <source>Purchases</source>
        <translation>Покупки</translation>
    </message>
    <message>
        <location filename="../../app/ui/client_card.py" line="221"/>
        <source>Memberships</source>
        <translation>Абонаменти</translation>
    </message>
    <message>
        <location filename="../../app/ui/client_card.py" line="222"/>
        <source>Preferences and notes</source>
        <translation>Предпочитания и бележки</translation>
    </message>
    <message>
        <location filename="../../app/ui/client_card.py" line="223"/>
        <source>Contact history</source>
        <translation>История на контактите</translation>
    </message>
    <message>
        <location filename="../../app/ui/client_card.py" line="224"/>
        <source>Complaints</source>
        <translation>Оплаквания</translation>
    </message>
    <message>
        <location filename="../../app/ui/client_card.py" line="225"/>
        <source>Changes</source>
        <translation>Промени</translation>
    </message>
    <message>
        <location filename="../../app/ui/client_card.py" line="226"/>
        <source>Who changed what on this card, and when</source>
        <translation>Кой и кога е променял тази карта</translation>
    </message>
    <message>
        <location filename="../../app/ui/client_card.py" line="236"/>
        <source>Save (Ctrl+S)</source>
        <translation>Запази (Ctrl+S)</translation>
    </message>
    <message>
        <location filename="../../app/ui/client_card.py" line="242"/>
        <source>Personal data</source>
        <translation>Лични данни</translation>
    </message>
    <message>
        <location filename="../../app/ui/client_card.py" line="245"/>
        <source>Save all their data to a file…</source>
        <translation>Запази всички данни на клиента във файл…</translation>
    </message>
    <message>
        <location filename="../../app/ui/client_card.py" line="247"/>
        <source>Erase their personal data…</source>
        <translation>Изтрий личните данни на клиента…</translation>
    </message>
    <message>
        <location filename="../../app/ui/client_card.py" line="296"/>
        <location filename="../../app/ui/client_card.py" line="452"/>
        <source>Kind</source>
        <translation>Вид</translation>
    </message>
    <message>
        <location filename="../../app/ui/client_card.py" line="299"/>
        <source>First and last name, or the company</source>
        <translation>Име и фамилия или име на фирмата</translation>
    </message>
    <message>
        <location filename="../../app/ui/client_card.py" line="300"/>
        <source>Name *</source>
        <translation>Име *</translation>
    </message>
    <message>
        <location filename="../../app/ui/client_card.py" line="309"/>
        <source>Loyalty card or patient number</source>
        <translation>Номер на карта за лоялност или на пациент</translation>
    </message>
    <message>
        <location filename="../../app/ui/client_card.py" line="310"/>
        <source>Card number</source>
        <translation>Номер на карта</translation>
    </message>
    <message>
        <location filename="../../app/ui/client_card.py" line="315"/>
        <source>Phone</source>
        <translation>Телефон</translation>
    </message>
    <message>
        <location filename="../../app/ui/client_card.py" line="319"/>
        <source>⚠ Check this number: it is not a valid phone number of %1. Correct it, or leave it as it is to keep it.</source>
        <translation>⚠ Проверете този номер: не е валиден телефонен номер за %1. Поправете го или го оставете както е, за да се запази.</translation>
    </message>
    <message>
        <location filename="../../app/ui/client_card.py" line="331"/>
        <source>E-mail</source>
        <translation>Имейл</translation>
    </message>
    <message>
        <location filename="../../app/ui/client_card.py" line="335"/>
        <source>Comma-separated, e.g. VIP, kids</source>
        <translation>Разделени със запетая, напр. VIP, деца</translation>
    </message>
    <message>
        <location filename="../../app/ui/client_card.py" line="336"/>
        <source>Tags</source>
        <translation>Етикети</translation>
    </message>
    <message>
        <location filename="../../app/ui/client_card.py" line="339"/>
        <source>not yet computed</source>
        <translation>още не е изчислена</translation>
    </message>
    <message>
        <location filename="../../app/ui/client_card.py" line="340"/>
        <source>Automatic (%1)</source>
        <translation>Автоматично (%1)</translation>
    </message>
    <message>
        <location filename="../../app/ui/client_card.py" line="342"/>
        <source>Always %1</source>
        <translation>Винаги %1</translation>
    </message>
    <message>
        <location filename="../../app/ui/client_card.py" line="345"/>
        <source>A/B/C group</source>
        <translation>Група A/B/C</translation>
    </message>
    <message>
        <location filename="../../app/ui/client_card.py" line="348"/>
        <source>Why this group, whatever the numbers say</source>
        <translation>Защо тази група, независимо от числата</translation>
    </message>
    <message>
        <location filename="../../app/ui/client_card.py" line="353"/>
        <source>Reason</source>
        <translation>Причина</translation>
    </message>
    <message>
        <location filename="../../app/ui/client_card.py" line="357"/>
        <source>Came from</source>
        <translation>Източник</translation>
    </message>
    <message>
        <location filename="../../app/ui/client_card.py" line="360"/>
        <source>Type a name to pick the client</source>
        <translation>Въведете име, за да изберете клиента</translation>
    </message>
    <message>
        <location filename="../../app/ui/client_card.py" line="362"/>
        <source>Referred by</source>
        <translation>Препоръчан от</translation>
    </message>
    <message>
        <location filename="../../app/ui/client_card.py" line="365"/>
        <source>Contact rules</source>
        <translation>Правила за контакт</translation>
    </message>
    <message>
        <location filename="../../app/ui/client_card.py" line="372"/>
        <source>Preferred channel</source>
        <translation>Предпочитан канал</translation>
    </message>
    <message>
        <location filename="../../app/ui/client_card.py" line="374"/>
        <source>Any time</source>
        <translation>По всяко време</translation>
    </message>
    <message>
        <location filename="../../app/ui/client_card.py" line="390"/>
        <source>Best hours</source>
        <translation>Удобни часове</translation>
    </message>
    <message>
        <location filename="../../app/ui/client_card.py" line="400"/>
        <source>Days (none = any)</source>
        <translation>Дни (без избор = всички)</translation>
    </message>
    <message>
        <location filename="../../app/ui/client_card.py" line="401"/>
        <source>Do not contact this client</source>
        <translation>Да не се търси връзка с този клиент</translation>
    </message>
    <message>
        <location filename="../../app/ui/client_card.py" line="405"/>
        <source>Agreed to marketing on</source>
        <translation>Съгласие за маркетинг от</translation>
    </message>
    <message>
        <location filename="../../app/ui/client_card.py" line="410"/>
        <source>Consent</source>
        <translation>Съгласие</translation>
    </message>
    <message>
        <location filename="../../app/ui/client_card.py" line="425"/>
        <source>Add</source>
        <translation>Добави</translation>
    </message>
    <message>
        <location filename="../../app/ui/client_card.py" line="426"/>
        <source>Edit</source>
        <translation>Редактирай</translation>
    </message>
    <message>
        <location filename="../../app/ui/client_card.py" line="427"/>
        <source>Remove</source>
        <translation>Премахни</translation>
    </message>
    <message>
        <location filename="../../app/ui/client_card.py" line="440"/>
        <source>&lt;b&gt;Family&lt;/b&gt; — spouse, children, parents</source>
        <translation>&lt;b&gt;Семейство&lt;/b&gt; — съпруг(а), деца, родители</translation>
    </message>
    <message>
        <location filename="../../app/ui/client_card.py" line="441"/>
        <source>Name</source>
        <translation>Име</translation>
    </message>
    <message>
        <location filename="../../app/ui/client_card.py" line="441"/>
        <source>Relation</source>
        <translation>Връзка</translation>
    </message>
    <message>
        <location filename="../../app/ui/client_card.py" line="441"/>
        <location filename="../../app/ui/client_card.py" line="466"/>
        <location filename="../../app/ui/client_card.py" line="517"/>
        <source>Note</source>
        <translation>Бележка</translation>
    </message>
    <message>
        <location filename="../../app/ui/client_card.py" line="447"/>
        <source>&lt;b&gt;Personal dates&lt;/b&gt; — birthdays, name days, anniversaries of the client and the family</source>
        <translation>&lt;b&gt;Лични дати&lt;/b&gt; — рождени дни, имени дни, годишнини на клиента и семейството му</translation>
    </message>
    <message>
        <location filename="../../app/ui/client_card.py" line="452"/>
        <source>Whose</source>
        <translation>Чия</translation>
    </message>
    <message>
        <location filename="../../app/ui/client_card.py" line="452"/>
        <location filename="../../app/ui/client_card.py" line="465"/>
        <source>Date</source>
        <translation>Дата</translation>
    </message>
    <message>
        <location filename="../../app/ui/client_card.py" line="453"/>
        <source>Gift reminder</source>
        <translation>Напомняне за подарък</translation>
    </message>
    <message>
        <location filename="../../app/ui/client_card.py" line="465"/>
        <source>Item or service</source>
        <translation>Продукт или услуга</translation>
    </message>
    <message>
        <location filename="../../app/ui/client_card.py" line="466"/>
        <source>Quantity</source>
        <translation>Количество</translation>
    </message>
    <message>
        <location filename="../../app/ui/client_card.py" line="466"/>
        <source>Amount</source>
        <translation>Сума</translation>
    </message>
    <message>
        <location filename="../../app/ui/client_card.py" line="482"/>
        <source>Plan</source>
        <translation>План</translation>
    </message>
    <message>
        <location filename="../../app/ui/client_card.py" line="482"/>
        <source>Starts</source>
        <translation>Начало</translation>
    </message>
    <message>
        <location filename="../../app/ui/client_card.py" line="482"/>
        <source>Ends</source>
        <translation>Край</translation>
    </message>
    <message>
        <location filename="../../app/ui/client_card.py" line="482"/>
        <location filename="../../app/ui/client_card.py" line="667"/>
        <source>Status</source>
        <translation>Статус</translation>
    </message>
    <message>
        <location filename="../../app/ui/client_card.py" line="483"/>
        <source>Frozen</source>
        <translation>Замразяване</translation>
    </message>
    <message>
        <location filename="../../app/ui/client_card.py" line="483"/>
        <source>Marks</source>
        <translation>Маркери</translation>
    </message>
    <message>
        <location filename="../../app/ui/client_card.py" line="488"/>
        <source>Freeze…</source>
        <translation>Замрази…</translation>
    </message>
    <message>
        <location filename="../../app/ui/client_card.py" line="490"/>
        <source>Freeze the chosen membership for some days; its end and the renewal call move with it</source>
        <translation>Замразява избрания абонамент за няколко дни; краят му и обаждането за подновяване се преместват с него</translation>
    </message>
    <message>
        <location filename="../../app/ui/client_card.py" line="506"/>
        <source>Tastes, favourite products, what they expect from us, what to avoid</source>
        <translation>Вкусове, любими продукти, какво очаква от нас, какво да избягваме</translation>
    </message>
    <message>
        <location filename="../../app/ui/client_card.py" line="509"/>
        <source>Preferences</source>
        <translation>Предпочитания</translation>
    </message>
    <message>
        <location filename="../../app/ui/client_card.py" line="510"/>
        <source>Notes</source>
        <translation>Бележки</translation>
    </message>
    <message>
        <location filename="../../app/ui/client_card.py" line="516"/>
        <location filename="../../app/ui/client_card.py" line="578"/>
        <source>When</source>
        <translation>Кога</translation>
    </message>
    <message>
        <location filename="../../app/ui/client_card.py" line="516"/>
        <source>Channel</source>
        <translation>Канал</translation>
    </message>
    <message>
        <location filename="../../app/ui/client_card.py" line="516"/>
        <source>Purpose</source>
        <translation>Цел</translation>
    </message>
    <message>
        <location filename="../../app/ui/client_card.py" line="516"/>
        <source>Outcome</source>
        <translation>Резултат</translation>
    </message>
    <message>
        <location filename="../../app/ui/client_card.py" line="517"/>
        <source>Tone</source>
        <translation>Тон</translation>
    </message>
    <message>
        <location filename="../../app/ui/client_card.py" line="517"/>
        <source>Logged by</source>
        <translation>Записал(а)</translation>
    </message>
    <message>
        <location filename="../../app/ui/client_card.py" line="520"/>
        <source>No contact logged yet.</source>
        <translation>Все още няма записани контакти.</translation>
    </message>
    <message>
        <location filename="../../app/ui/client_card.py" line="523"/>
        <source>Correct the call…</source>
        <translation>Коригирай обаждането…</translation>
    </message>
    <message>
        <location filename="../../app/ui/client_card.py" line="525"/>
        <source>Change the outcome, tone or note of the selected call</source>
        <translation>Промяна на резултата, тона или бележката на избраното обаждане</translation>
    </message>
    <message>
        <location filename="../../app/ui/client_card.py" line="566"/>
        <source>Logged while nobody was signed in, or brought in by an import</source>
        <translation>Записано, когато никой не е влязъл в системата, или пренесено с импорт</translation>
    </message>
    <message>
        <location filename="../../app/ui/client_card.py" line="578"/>
        <source>Who</source>
        <translation>Кой</translation>
    </message>
    <message>
        <location filename="../../app/ui/client_card.py" line="578"/>
        <source>What changed</source>
        <translation>Какво е променено</translation>
    </message>
    <message>
        <location filename="../../app/ui/client_card.py" line="586"/>
        <source>Show more</source>
        <translation>Покажи още</translation>
    </message>
    <message>
        <location filename="../../app/ui/client_card.py" line="611"/>
        <location filename="../../app/ui/client_card.py" line="1268"/>
        <source>Reading the changes…</source>
        <translation>Зареждане на промените…</translation>
    </message>
    <message>
        <location filename="../../app/ui/client_card.py" line="631"/>
        <source>No change recorded yet.</source>
        <translation>Все още няма записани промени.</translation>
    </message>
    <message numerus="yes">
        <location filename="../../app/ui/client_card.py" line="634"/>
        <source>The latest %1 of %n change(s).</source>
        <translation>
            <numerusform>Последните %1 от %n промяна.</numerusform>
            <numerusform>Последните %1 от %n промени.</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <location filename="../../app/ui/client_card.py" line="637"/>
        <source>%n change(s).</source>
        <translation>
            <numerusform>%n промяна.</numerusform>
            <numerusform>%n промени.</numerusform>
        </translation>
    </message>
    <message>
        <location filename="../../app/ui/client_card.py" line="666"/>
        <source>Opened</source>
        <translation>Отворено на</translation>
    </message>
    <message>
        <location filename="../../app/ui/client_card.py" line="666"/>
        <source>Category</source>
        <translation>Категория</translation>
    </message>
    <message>
        <location filename="../../app/ui/client_card.py" line="667"/>
        <source>First response</source>
        <translation>Първи отговор</translation>
    </message>
    <message>
        <location filename="../../app/ui/client_card.py" line="672"/>
        <source>New complaint…</source>
        <translation>Ново оплакване…</translation>
    </message>
    <message>
        <location filename="../../app/ui/client_card.py" line="675"/>
        <source>Open complaint</source>
        <translation>Отвори оплакването</translation>
    </message>
    <message>
        <location filename="../../app/ui/client_card.py" line="597"/>
        <location filename="../../app/ui/client_card.py" line="685"/>
        <source>Save the new client first.</source>
        <translation>Първо запазете новия клиент.</translation>
    </message>
    <message>
        <location filename="../../app/ui/client_card.py" line="701"/>
        <source>overdue</source>
        <translation>просрочено</translation>
    </message>
    <message>
        <location filename="../../app/ui/client_card.py" line="704"/>
        <source>%1 h</source>
        <translation>%1 ч</translation>
    </message>
    <message>
        <location filename="../../app/ui/client_card.py" line="730"/>
        <source>Group %1</source>
        <translation>Група %1</translation>
    </message>
    <message>
        <location filename="../../app/ui/client_card.py" line="732"/>
        <source>client since %1</source>
        <translation>клиент от %1</translation>
    </message>
    <message>
        <location filename="../../app/ui/client_card.py" line="737"/>
        <source>12-month value %1</source>
        <translation>стойност за 12 месеца: %1</translation>
    </message>
    <message>
        <location filename="../../app/ui/client_card.py" line="740"/>
        <source>do not contact</source>
        <translation>без контакт</translation>
    </message>
    <message>
        <location filename="../../app/ui/client_card.py" line="760"/>
        <source>Risk %1: %2</source>
        <translation>Риск %1: %2</translation>
    </message>
    <message>
        <location filename="../../app/ui/client_card.py" line="766"/>
        <source>the client</source>
        <translation>клиентът</translation>
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
        <translation>по подразбиране</translation>
    </message>
    <message numerus="yes">
        <location filename="../../app/ui/client_card.py" line="809"/>
        <source>%n day(s) before</source>
        <translation>
            <numerusform>%n ден по-рано</numerusform>
            <numerusform>%n дни по-рано</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <location filename="../../app/ui/client_card.py" line="825"/>
        <source>%n purchase(s), total %1</source>
        <translation>
            <numerusform>%n покупка, общо %1</numerusform>
            <numerusform>%n покупки, общо %1</numerusform>
        </translation>
    </message>
    <message>
        <location filename="../../app/ui/client_card.py" line="835"/>
        <source>promo</source>
        <translation>промоция</translation>
    </message>
    <message>
        <location filename="../../app/ui/client_card.py" line="836"/>
        <source>discount</source>
        <translation>отстъпка</translation>
    </message>
    <message numerus="yes">
        <location filename="../../app/ui/client_card.py" line="842"/>
        <source> (+%n day(s) frozen)</source>
        <translation>
            <numerusform> (+%n ден замразяване)</numerusform>
            <numerusform> (+%n дни замразяване)</numerusform>
        </translation>
    </message>
    <message>
        <location filename="../../app/ui/client_card.py" line="990"/>
        <source>Remove purchase</source>
        <translation>Премахване на покупка</translation>
    </message>
    <message>
        <location filename="../../app/ui/client_card.py" line="991"/>
        <source>Remove the purchase of %1 on %2? It is removed when you save the card.</source>
        <translation>Да се премахне ли покупката за %1 от %2? Тя ще бъде премахната, когато запазите картата.</translation>
    </message>
    <message>
        <location filename="../../app/ui/client_card.py" line="1018"/>
        <source>Choose the membership to freeze.</source>
        <translation>Изберете абонамента, който да замразите.</translation>
    </message>
    <message>
        <location filename="../../app/ui/client_card.py" line="1188"/>
        <source>Unsaved changes</source>
        <translation>Незапазени промени</translation>
    </message>
    <message>
        <location filename="../../app/ui/client_card.py" line="1189"/>
        <source>Save the changes to this client?</source>
        <translation>Да се запазят ли промените на този клиент?</translation>
    </message>
    <message>
        <location filename="../../app/ui/client_card.py" line="1228"/>
        <source>%1 (in the Trash)</source>
        <translation>%1 (в Кошчето)</translation>
    </message>
    <message>
        <location filename="../../app/ui/client_card.py" line="229"/>
        <location filename="../../app/ui/client_card.py" line="1308"/>
        <source>Saving the card…</source>
        <translation>Записване на картона…</translation>
    </message>
</context>
<context>
    <name>ClientTableModel</name>
    <message>
        <location filename="../../app/ui/client_model.py" line="222"/>
        <source>Searching the clients</source>
        <extracomment>the first page shown before the model was attached (None: attached) every id of the list, for a sort no index serves (a page costs the whole sort there, so it is done once): 8 bytes a client; None for a paged sort how many times the id query ran (what a test counts)</extracomment>
        <translation>Търсене на клиенти</translation>
    </message>
    <message>
        <location filename="../../app/ui/client_model.py" line="244"/>
        <source>Counting the clients</source>
        <translation>Преброяване на клиентите</translation>
    </message>
    <message>
        <location filename="../../app/ui/client_model.py" line="264"/>
        <location filename="../../app/ui/client_model.py" line="369"/>
        <source>Reading the clients</source>
        <translation>Зареждане на клиентите</translation>
    </message>
    <message>
        <location filename="../../app/ui/client_model.py" line="485"/>
        <source>Name</source>
        <translation>Име</translation>
    </message>
    <message>
        <location filename="../../app/ui/client_model.py" line="485"/>
        <source>Phone</source>
        <translation>Телефон</translation>
    </message>
    <message>
        <location filename="../../app/ui/client_model.py" line="486"/>
        <source>Group</source>
        <translation>Група</translation>
    </message>
    <message>
        <location filename="../../app/ui/client_model.py" line="486"/>
        <source>Status</source>
        <translation>Статус</translation>
    </message>
    <message>
        <location filename="../../app/ui/client_model.py" line="487"/>
        <source>Last purchase</source>
        <translation>Последна покупка</translation>
    </message>
    <message>
        <location filename="../../app/ui/client_model.py" line="488"/>
        <source>12-month value</source>
        <translation>Стойност за 12 мес.</translation>
    </message>
    <message>
        <location filename="../../app/ui/client_model.py" line="489"/>
        <source>Next contact</source>
        <translation>Следващ контакт</translation>
    </message>
    <message>
        <location filename="../../app/ui/client_model.py" line="489"/>
        <source>Tags</source>
        <translation>Етикети</translation>
    </message>
    <message>
        <location filename="../../app/ui/client_model.py" line="490"/>
        <source>Risk</source>
        <translation>Риск</translation>
    </message>
    <message>
        <location filename="../../app/ui/client_model.py" line="546"/>
        <source>Check this number: it is not a valid phone number of %1. Open the card to correct it.</source>
        <translation>Проверете този номер: не е валиден телефонен номер за %1. Отворете картона, за да го поправите.</translation>
    </message>
    <message>
        <location filename="../../app/ui/client_model.py" line="557"/>
        <source>Do not contact</source>
        <translation>Без контакт</translation>
    </message>
    <message>
        <location filename="../../app/ui/client_model.py" line="558"/>
        <source>Open complaint</source>
        <translation>Открито оплакване</translation>
    </message>
</context>
<context>
    <name>ClientsPage</name>
    <message>
        <location filename="../../app/ui/clients_page.py" line="163"/>
        <source>Search by name, phone, e-mail or notes (Ctrl+F)</source>
        <translation>Търсене по име, телефон, имейл или бележки (Ctrl+F)</translation>
    </message>
    <message>
        <location filename="../../app/ui/clients_page.py" line="165"/>
        <source>All groups</source>
        <translation>Всички групи</translation>
    </message>
    <message>
        <location filename="../../app/ui/clients_page.py" line="167"/>
        <source>Group %1</source>
        <translation>Група %1</translation>
    </message>
    <message>
        <location filename="../../app/ui/clients_page.py" line="169"/>
        <source>Any status</source>
        <translation>Всички статуси</translation>
    </message>
    <message>
        <location filename="../../app/ui/clients_page.py" line="174"/>
        <source>Any risk</source>
        <translation>Всякакъв риск</translation>
    </message>
    <message>
        <location filename="../../app/ui/clients_page.py" line="179"/>
        <source>New client</source>
        <translation>Нов клиент</translation>
    </message>
    <message>
        <location filename="../../app/ui/clients_page.py" line="180"/>
        <source>New client (Ctrl+N)</source>
        <translation>Нов клиент (Ctrl+N)</translation>
    </message>
    <message>
        <location filename="../../app/ui/clients_page.py" line="181"/>
        <source>Delete</source>
        <translation>Изтрий</translation>
    </message>
    <message>
        <location filename="../../app/ui/clients_page.py" line="182"/>
        <source>Move the selected clients to the Trash (Del)</source>
        <translation>Преместване на избраните клиенти в Кошчето (Del)</translation>
    </message>
    <message>
        <location filename="../../app/ui/clients_page.py" line="183"/>
        <source>Restore</source>
        <translation>Възстанови</translation>
    </message>
    <message>
        <location filename="../../app/ui/clients_page.py" line="184"/>
        <source>Merge…</source>
        <translation>Обедини…</translation>
    </message>
    <message>
        <location filename="../../app/ui/clients_page.py" line="186"/>
        <source>Two records of one person: select both and merge them into one</source>
        <translation>Два записа за един и същ човек: изберете двата и ги обединете в един</translation>
    </message>
    <message>
        <location filename="../../app/ui/clients_page.py" line="189"/>
        <source>Trash</source>
        <translation>Кошче</translation>
    </message>
    <message>
        <location filename="../../app/ui/clients_page.py" line="191"/>
        <source>Show clients moved to the Trash</source>
        <translation>Показване на клиентите, преместени в Кошчето</translation>
    </message>
    <message>
        <location filename="../../app/ui/clients_page.py" line="380"/>
        <source>Any tag</source>
        <translation>Всички етикети</translation>
    </message>
    <message>
        <location filename="../../app/ui/clients_page.py" line="403"/>
        <source>Searching…</source>
        <translation>Търсене…</translation>
    </message>
    <message numerus="yes">
        <location filename="../../app/ui/clients_page.py" line="408"/>
        <source>%Ln+ client(s), counting…</source>
        <translation>
            <numerusform>%Ln+ клиент, преброяване…</numerusform>
            <numerusform>%Ln+ клиента, преброяване…</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <location filename="../../app/ui/clients_page.py" line="410"/>
        <source>%Ln client(s) in the Trash</source>
        <translation>
            <numerusform>%Ln клиент в Кошчето</numerusform>
            <numerusform>%Ln клиента в Кошчето</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <location filename="../../app/ui/clients_page.py" line="412"/>
        <source>%Ln client(s)</source>
        <translation>
            <numerusform>%Ln клиент</numerusform>
            <numerusform>%Ln клиента</numerusform>
        </translation>
    </message>
    <message>
        <location filename="../../app/ui/clients_page.py" line="419"/>
        <source>The Trash is empty.</source>
        <translation>Кошчето е празно.</translation>
    </message>
    <message>
        <location filename="../../app/ui/clients_page.py" line="421"/>
        <source>No client matches the search and filters.</source>
        <translation>Няма клиенти, отговарящи на търсенето и филтрите.</translation>
    </message>
    <message>
        <location filename="../../app/ui/clients_page.py" line="424"/>
        <source>No clients yet. Press Ctrl+N or “New client” to add the first one.</source>
        <translation>Все още няма клиенти. Натиснете Ctrl+N или „Нов клиент“, за да добавите първия.</translation>
    </message>
    <message numerus="yes">
        <location filename="../../app/ui/clients_page.py" line="539"/>
        <source>%Ln client(s) moved to the Trash.</source>
        <translation>
            <numerusform>%Ln клиент е преместен в Кошчето.</numerusform>
            <numerusform>%Ln клиента са преместени в Кошчето.</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>Complaint</name>
    <message>
        <location filename="../../app/ui/complaint_dialog.py" line="72"/>
        <source>To be heard and taken seriously</source>
        <translation>Да бъде изслушан и да се отнесат сериозно към него</translation>
    </message>
    <message>
        <location filename="../../app/ui/complaint_dialog.py" line="73"/>
        <source>To see that we understand the problem and why they are upset</source>
        <translation>Да види, че разбираме проблема и защо е разстроен</translation>
    </message>
    <message>
        <location filename="../../app/ui/complaint_dialog.py" line="74"/>
        <source>Compensation or restitution</source>
        <translation>Компенсация или обезщетение</translation>
    </message>
    <message>
        <location filename="../../app/ui/complaint_dialog.py" line="75"/>
        <source>A sense of speed: the problem handled quickly</source>
        <translation>Усещане за бързина: проблемът се решава бързо</translation>
    </message>
    <message>
        <location filename="../../app/ui/complaint_dialog.py" line="76"/>
        <source>No further inconvenience</source>
        <translation>Без повече неудобства</translation>
    </message>
    <message>
        <location filename="../../app/ui/complaint_dialog.py" line="77"/>
        <source>To be treated with respect</source>
        <translation>Да се отнасят към него с уважение</translation>
    </message>
    <message>
        <location filename="../../app/ui/complaint_dialog.py" line="78"/>
        <source>Someone accountable for the problem</source>
        <translation>Някой, който да отговаря за проблема</translation>
    </message>
    <message>
        <location filename="../../app/ui/complaint_dialog.py" line="79"/>
        <source>A guarantee that it will not happen again</source>
        <translation>Гаранция, че това няма да се повтори</translation>
    </message>
    <message>
        <location filename="../../app/ui/complaint_dialog.py" line="86"/>
        <source>What was the main complaint?</source>
        <translation>Какво беше основното оплакване?</translation>
    </message>
    <message>
        <location filename="../../app/ui/complaint_dialog.py" line="87"/>
        <source>How did the client present the problem? Whose fault was it? What angered them most? Why were they upset?</source>
        <translation>Как клиентът описа проблема? Чия беше вината? Какво го ядоса най-много? Защо беше разстроен?</translation>
    </message>
    <message>
        <location filename="../../app/ui/complaint_dialog.py" line="90"/>
        <source>How do you see the problem? Was the client at fault in any way?</source>
        <translation>Как оценявате проблема? Има ли клиентът някаква вина?</translation>
    </message>
    <message>
        <location filename="../../app/ui/complaint_dialog.py" line="92"/>
        <source>What did you say that improved the situation?</source>
        <translation>Кои ваши думи подобриха ситуацията?</translation>
    </message>
    <message>
        <location filename="../../app/ui/complaint_dialog.py" line="94"/>
        <source>What did you say that seemed to make it worse?</source>
        <translation>Кои ваши думи сякаш влошиха ситуацията?</translation>
    </message>
    <message>
        <location filename="../../app/ui/complaint_dialog.py" line="96"/>
        <source>How did you show you cared about the client?</source>
        <translation>Как показахте на клиента, че ви е грижа за него?</translation>
    </message>
    <message>
        <location filename="../../app/ui/complaint_dialog.py" line="98"/>
        <source>What would you do differently?</source>
        <translation>Какво бихте направили иначе?</translation>
    </message>
    <message>
        <location filename="../../app/ui/complaint_dialog.py" line="104"/>
        <source>the apology, given to the client</source>
        <translation>извинението, поднесено на клиента</translation>
    </message>
    <message>
        <location filename="../../app/ui/complaint_dialog.py" line="105"/>
        <source>what the client asked for</source>
        <translation>какво е поискал клиентът</translation>
    </message>
    <message>
        <location filename="../../app/ui/complaint_dialog.py" line="106"/>
        <source>a compensation or a corrective action</source>
        <translation>компенсация или коригиращо действие</translation>
    </message>
    <message>
        <location filename="../../app/ui/complaint_dialog.py" line="108"/>
        <source>every checklist item ticked or marked not applicable</source>
        <translation>всички точки от контролния списък отметнати или означени като неприложими</translation>
    </message>
    <message>
        <location filename="../../app/ui/complaint_dialog.py" line="110"/>
        <source>the call-back to the client after the fix (or, to close without it, the reason below)</source>
        <translation>обаждането до клиента след поправката (или, за да затворите без него, причината по-долу)</translation>
    </message>
    <message>
        <location filename="../../app/ui/complaint_dialog.py" line="122"/>
        <source>Open</source>
        <translation>Отворено</translation>
    </message>
    <message>
        <location filename="../../app/ui/complaint_dialog.py" line="123"/>
        <source>In progress</source>
        <translation>В процес</translation>
    </message>
    <message>
        <location filename="../../app/ui/complaint_dialog.py" line="124"/>
        <source>Resolved</source>
        <translation>Решено</translation>
    </message>
    <message>
        <location filename="../../app/ui/complaint_dialog.py" line="125"/>
        <source>Closed, client kept</source>
        <translation>Затворено, клиентът е запазен</translation>
    </message>
    <message>
        <location filename="../../app/ui/complaint_dialog.py" line="126"/>
        <source>Closed, client lost</source>
        <translation>Затворено, клиентът е загубен</translation>
    </message>
    <message>
        <location filename="../../app/ui/complaint_dialog.py" line="131"/>
        <source>Low</source>
        <translation>Ниска</translation>
    </message>
    <message>
        <location filename="../../app/ui/complaint_dialog.py" line="132"/>
        <source>Medium</source>
        <translation>Средна</translation>
    </message>
    <message>
        <location filename="../../app/ui/complaint_dialog.py" line="133"/>
        <source>High</source>
        <translation>Висока</translation>
    </message>
    <message>
        <location filename="../../app/ui/complaint_dialog.py" line="137"/>
        <source>Us</source>
        <translation>Ние</translation>
    </message>
    <message>
        <location filename="../../app/ui/complaint_dialog.py" line="138"/>
        <source>The client</source>
        <translation>Клиентът</translation>
    </message>
    <message>
        <location filename="../../app/ui/complaint_dialog.py" line="139"/>
        <source>A third party</source>
        <translation>Трета страна</translation>
    </message>
    <message>
        <location filename="../../app/ui/complaint_dialog.py" line="140"/>
        <source>Unclear</source>
        <translation>Неясно</translation>
    </message>
    <message>
        <location filename="../../app/ui/complaint_dialog.py" line="144"/>
        <source>None</source>
        <translation>Няма</translation>
    </message>
    <message>
        <location filename="../../app/ui/complaint_dialog.py" line="145"/>
        <source>Refund</source>
        <translation>Връщане на парите</translation>
    </message>
    <message>
        <location filename="../../app/ui/complaint_dialog.py" line="146"/>
        <source>Discount</source>
        <translation>Отстъпка</translation>
    </message>
    <message>
        <location filename="../../app/ui/complaint_dialog.py" line="147"/>
        <source>Free service</source>
        <translation>Безплатна услуга</translation>
    </message>
    <message>
        <location filename="../../app/ui/complaint_dialog.py" line="148"/>
        <source>Replacement</source>
        <translation>Замяна</translation>
    </message>
    <message>
        <location filename="../../app/ui/complaint_dialog.py" line="149"/>
        <source>Gift</source>
        <translation>Подарък</translation>
    </message>
    <message>
        <location filename="../../app/ui/complaint_dialog.py" line="153"/>
        <source>Not yet</source>
        <translation>Още не</translation>
    </message>
    <message>
        <location filename="../../app/ui/complaint_dialog.py" line="154"/>
        <source>Done</source>
        <translation>Изпълнено</translation>
    </message>
    <message>
        <location filename="../../app/ui/complaint_dialog.py" line="155"/>
        <source>Not applicable</source>
        <translation>Неприложимо</translation>
    </message>
    <message>
        <location filename="../../app/ui/complaint_dialog.py" line="159"/>
        <source>Product quality</source>
        <translation>Качество на продукта</translation>
    </message>
    <message>
        <location filename="../../app/ui/complaint_dialog.py" line="160"/>
        <source>Service quality</source>
        <translation>Качество на услугата</translation>
    </message>
    <message>
        <location filename="../../app/ui/complaint_dialog.py" line="161"/>
        <source>Waiting time</source>
        <translation>Време за чакане</translation>
    </message>
    <message>
        <location filename="../../app/ui/complaint_dialog.py" line="162"/>
        <source>Prices and billing</source>
        <translation>Цени и плащания</translation>
    </message>
    <message>
        <location filename="../../app/ui/complaint_dialog.py" line="163"/>
        <source>Staff attitude</source>
        <translation>Отношение на персонала</translation>
    </message>
    <message>
        <location filename="../../app/ui/complaint_dialog.py" line="164"/>
        <source>Delivery</source>
        <translation>Доставка</translation>
    </message>
    <message>
        <location filename="../../app/ui/complaint_dialog.py" line="165"/>
        <source>Other</source>
        <translation>Друго</translation>
    </message>
</context>
<context>
    <name>ComplaintDialog</name>
    <message>
        <location filename="../../app/ui/complaint_dialog.py" line="238"/>
        <source>You are signed in: every step you take here is recorded in your name.</source>
        <extracomment>where the complaint window keeps its size (QSettings)</extracomment>
        <translation>Влезли сте в системата: всяка ваша стъпка тук се записва на ваше име.</translation>
    </message>
    <message>
        <location filename="../../app/ui/complaint_dialog.py" line="245"/>
        <source>Who is handling it</source>
        <translation>Кой води случая</translation>
    </message>
    <message>
        <location filename="../../app/ui/complaint_dialog.py" line="249"/>
        <source>1. Listen</source>
        <translation>1. Изслушване</translation>
    </message>
    <message>
        <location filename="../../app/ui/complaint_dialog.py" line="250"/>
        <source>2. Needs</source>
        <translation>2. Нужди</translation>
    </message>
    <message>
        <location filename="../../app/ui/complaint_dialog.py" line="251"/>
        <source>3. Apologise, ask</source>
        <translation>3. Извинение, въпрос</translation>
    </message>
    <message>
        <location filename="../../app/ui/complaint_dialog.py" line="253"/>
        <source>4. Compensate, fix</source>
        <translation>4. Компенсация, поправяне</translation>
    </message>
    <message>
        <location filename="../../app/ui/complaint_dialog.py" line="254"/>
        <source>5. Resolve, close</source>
        <translation>5. Решаване, затваряне</translation>
    </message>
    <message>
        <location filename="../../app/ui/complaint_dialog.py" line="255"/>
        <source>6. Review, lesson</source>
        <translation>6. Преглед, изводи</translation>
    </message>
    <message>
        <location filename="../../app/ui/complaint_dialog.py" line="267"/>
        <source>What is at stake</source>
        <translation>Какво е на карта</translation>
    </message>
    <message>
        <location filename="../../app/ui/complaint_dialog.py" line="280"/>
        <source>Save</source>
        <translation>Запази</translation>
    </message>
    <message>
        <location filename="../../app/ui/complaint_dialog.py" line="282"/>
        <source>Save (Ctrl+S)</source>
        <translation>Запази (Ctrl+S)</translation>
    </message>
    <message>
        <location filename="../../app/ui/complaint_dialog.py" line="285"/>
        <source>Close window</source>
        <translation>Затвори прозореца</translation>
    </message>
    <message>
        <location filename="../../app/ui/complaint_dialog.py" line="333"/>
        <source>What the client said, in their own words</source>
        <translation>Какво каза клиентът — с неговите думи</translation>
    </message>
    <message>
        <location filename="../../app/ui/complaint_dialog.py" line="346"/>
        <source>The client&apos;s words</source>
        <translation>Думите на клиента</translation>
    </message>
    <message>
        <location filename="../../app/ui/complaint_dialog.py" line="347"/>
        <source>Channel</source>
        <translation>Канал</translation>
    </message>
    <message>
        <location filename="../../app/ui/complaint_dialog.py" line="348"/>
        <source>Category</source>
        <translation>Категория</translation>
    </message>
    <message>
        <location filename="../../app/ui/complaint_dialog.py" line="350"/>
        <source>Severity</source>
        <translation>Тежест</translation>
    </message>
    <message>
        <location filename="../../app/ui/complaint_dialog.py" line="351"/>
        <source>Who was at fault</source>
        <translation>Кой е виновен</translation>
    </message>
    <message>
        <location filename="../../app/ui/complaint_dialog.py" line="352"/>
        <source>Let the client finish. Do not argue or explain yet: write down what they say and why it upset them.</source>
        <translation>Оставете клиента да довърши. Не спорете и засега не обяснявайте: запишете какво казва и какво го е разстроило.</translation>
    </message>
    <message>
        <location filename="../../app/ui/complaint_dialog.py" line="386"/>
        <source>The apology was given to the client</source>
        <translation>Извинението е поднесено на клиента</translation>
    </message>
    <message>
        <location filename="../../app/ui/complaint_dialog.py" line="389"/>
        <source>Suggested wording</source>
        <translation>Предложен текст</translation>
    </message>
    <message>
        <location filename="../../app/ui/complaint_dialog.py" line="392"/>
        <source>An apology is regret that the client&apos;s experience was unpleasant, not an admission of guilt. It costs nothing.</source>
        <translation>Извинението изразява съжаление, че клиентът е имал неприятно преживяване, а не признание на вина. И не ви струва нищо.</translation>
    </message>
    <message>
        <location filename="../../app/ui/complaint_dialog.py" line="399"/>
        <source>In the client&apos;s own words</source>
        <translation>С думите на самия клиент</translation>
    </message>
    <message>
        <location filename="../../app/ui/complaint_dialog.py" line="400"/>
        <source>Apology</source>
        <translation>Извинение</translation>
    </message>
    <message>
        <location filename="../../app/ui/complaint_dialog.py" line="404"/>
        <source>“What would put it right for you?”</source>
        <translation>„Какво решение би ви удовлетворило?“</translation>
    </message>
    <message>
        <location filename="../../app/ui/complaint_dialog.py" line="422"/>
        <source>nobody</source>
        <translation>никой</translation>
    </message>
    <message>
        <location filename="../../app/ui/complaint_dialog.py" line="428"/>
        <source>nobody yet</source>
        <translation>още никой</translation>
    </message>
    <message>
        <location filename="../../app/ui/complaint_dialog.py" line="432"/>
        <source>What changes so that it will not happen again</source>
        <translation>Какво променяме, за да не се повтори</translation>
    </message>
    <message>
        <location filename="../../app/ui/complaint_dialog.py" line="433"/>
        <source>Compensation</source>
        <translation>Компенсация</translation>
    </message>
    <message>
        <location filename="../../app/ui/complaint_dialog.py" line="434"/>
        <source>Value</source>
        <translation>Стойност</translation>
    </message>
    <message>
        <location filename="../../app/ui/complaint_dialog.py" line="437"/>
        <source>Approved by the owner</source>
        <translation>Одобрено от собственика</translation>
    </message>
    <message>
        <location filename="../../app/ui/complaint_dialog.py" line="439"/>
        <source>Accountable</source>
        <translation>Отговорник</translation>
    </message>
    <message>
        <location filename="../../app/ui/complaint_dialog.py" line="440"/>
        <source>Corrective action</source>
        <translation>Коригиращо действие</translation>
    </message>
    <message>
        <location filename="../../app/ui/complaint_dialog.py" line="441"/>
        <source>A refund is entered among the client&apos;s purchases as a credit, so revenue and the client&apos;s 12-month value stay true.</source>
        <translation>Върнатата сума се записва в покупките на клиента като отрицателна сума, така че оборотът и стойността на клиента за 12 месеца остават верни.</translation>
    </message>
    <message>
        <location filename="../../app/ui/complaint_dialog.py" line="455"/>
        <source>The fix is done: mark resolved</source>
        <translation>Проблемът е отстранен: отбележи като решено</translation>
    </message>
    <message numerus="yes">
        <location filename="../../app/ui/complaint_dialog.py" line="460"/>
        <source>Marking it resolved plans the call-back to the client after %n day(s).</source>
        <translation>
            <numerusform>Когато го отбележите като решено, обаждането до клиента се планира след %n ден.</numerusform>
            <numerusform>Когато го отбележите като решено, обаждането до клиента се планира след %n дни.</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <location filename="../../app/ui/complaint_dialog.py" line="462"/>
        <source>The team review follows after %n day(s).</source>
        <translation>
            <numerusform>Прегледът с екипа следва след %n ден.</numerusform>
            <numerusform>Прегледът с екипа следва след %n дни.</numerusform>
        </translation>
    </message>
    <message>
        <location filename="../../app/ui/complaint_dialog.py" line="464"/>
        <location filename="../../app/ui/complaint_dialog.py" line="485"/>
        <source>Close the complaint</source>
        <translation>Затвори оплакването</translation>
    </message>
    <message>
        <location filename="../../app/ui/complaint_dialog.py" line="466"/>
        <source>The client is satisfied</source>
        <translation>Клиентът е доволен</translation>
    </message>
    <message>
        <location filename="../../app/ui/complaint_dialog.py" line="470"/>
        <source>not given</source>
        <translation>без оценка</translation>
    </message>
    <message>
        <location filename="../../app/ui/complaint_dialog.py" line="473"/>
        <source>We kept the client</source>
        <translation>Запазихме клиента</translation>
    </message>
    <message>
        <location filename="../../app/ui/complaint_dialog.py" line="475"/>
        <source>We lost the client</source>
        <translation>Загубихме клиента</translation>
    </message>
    <message>
        <location filename="../../app/ui/complaint_dialog.py" line="496"/>
        <source>Only when closing before the call-back: why</source>
        <translation>Само ако затваряте преди обаждането до клиента: защо</translation>
    </message>
    <message>
        <location filename="../../app/ui/complaint_dialog.py" line="498"/>
        <source>Rating (1–5)</source>
        <translation>Оценка (1–5)</translation>
    </message>
    <message>
        <location filename="../../app/ui/complaint_dialog.py" line="500"/>
        <source>Closed without the call-back because</source>
        <translation>Затворено без обаждане до клиента, защото</translation>
    </message>
    <message>
        <location filename="../../app/ui/complaint_dialog.py" line="517"/>
        <source>After a day or two, when feelings have cooled, answer these with the team. The lesson is what everyone can read later. The review task is done when all seven answers and the lesson are saved.</source>
        <translation>След ден-два, когато емоциите се уталожат, отговорете на тези въпроси заедно с екипа. Изводите по-късно ще може да прочете всеки. Задачата за преглед е изпълнена, когато са запазени и седемте отговора и изводите.</translation>
    </message>
    <message>
        <location filename="../../app/ui/complaint_dialog.py" line="533"/>
        <source>What went wrong, how it was put right, what we do from now on</source>
        <translation>Какво се обърка, как го поправихме, какво правим оттук нататък</translation>
    </message>
    <message>
        <location filename="../../app/ui/complaint_dialog.py" line="535"/>
        <source>The lesson for the team</source>
        <translation>Изводи за екипа</translation>
    </message>
    <message>
        <location filename="../../app/ui/complaint_dialog.py" line="545"/>
        <source>I am sorry that your experience with us was unpleasant. Thank you for telling us; we want to put it right. What would put it right for you?</source>
        <translation>Много съжалявам, че сте останали с неприятни впечатления от нас. Благодаря ви, че ни казахте — искаме да поправим нещата. Какво решение би ви удовлетворило?</translation>
    </message>
    <message>
        <location filename="../../app/ui/complaint_dialog.py" line="553"/>
        <source>Complaint — %1</source>
        <translation>Оплакване — %1</translation>
    </message>
    <message>
        <location filename="../../app/ui/complaint_dialog.py" line="567"/>
        <source>%1, %2</source>
        <translation>%1, %2</translation>
    </message>
    <message>
        <location filename="../../app/ui/complaint_dialog.py" line="572"/>
        <source>given %1</source>
        <translation>поднесено %1</translation>
    </message>
    <message>
        <location filename="../../app/ui/complaint_dialog.py" line="575"/>
        <source>by %1</source>
        <comment>who gave the apology</comment>
        <translation>служител: %1</translation>
    </message>
    <message>
        <location filename="../../app/ui/complaint_dialog.py" line="607"/>
        <source>opened %1 by %2</source>
        <translation>подадено %1, служител: %2</translation>
    </message>
    <message>
        <location filename="../../app/ui/complaint_dialog.py" line="609"/>
        <source>opened %1</source>
        <translation>подадено %1</translation>
    </message>
    <message>
        <location filename="../../app/ui/complaint_dialog.py" line="611"/>
        <source>first response %1</source>
        <translation>първи отговор %1</translation>
    </message>
    <message>
        <location filename="../../app/ui/complaint_dialog.py" line="614"/>
        <source>resolved %1 by %2</source>
        <translation>решено %1, служител: %2</translation>
    </message>
    <message>
        <location filename="../../app/ui/complaint_dialog.py" line="616"/>
        <source>resolved %1</source>
        <translation>решено %1</translation>
    </message>
    <message>
        <location filename="../../app/ui/complaint_dialog.py" line="618"/>
        <source>closed %1 by %2</source>
        <translation>затворено %1, служител: %2</translation>
    </message>
    <message>
        <location filename="../../app/ui/complaint_dialog.py" line="620"/>
        <source>closed %1</source>
        <translation>затворено %1</translation>
    </message>
    <message>
        <location filename="../../app/ui/complaint_dialog.py" line="621"/>
        <source>New complaint</source>
        <translation>Ново оплакване</translation>
    </message>
    <message>
        <location filename="../../app/ui/complaint_dialog.py" line="621"/>
        <source>Complaint</source>
        <translation>Оплакване</translation>
    </message>
    <message>
        <location filename="../../app/ui/complaint_dialog.py" line="624"/>
        <source>apology given</source>
        <translation>извинението е поднесено</translation>
    </message>
    <message>
        <location filename="../../app/ui/complaint_dialog.py" line="625"/>
        <source>the client&apos;s request recorded</source>
        <translation>искането на клиента е записано</translation>
    </message>
    <message>
        <location filename="../../app/ui/complaint_dialog.py" line="627"/>
        <source>compensation or corrective action</source>
        <translation>компенсация или коригиращо действие</translation>
    </message>
    <message>
        <location filename="../../app/ui/complaint_dialog.py" line="628"/>
        <source>checklist complete</source>
        <translation>контролният списък е попълнен</translation>
    </message>
    <message>
        <location filename="../../app/ui/complaint_dialog.py" line="629"/>
        <source>resolved: call-back planned</source>
        <translation>решено: обаждането до клиента е планирано</translation>
    </message>
    <message>
        <location filename="../../app/ui/complaint_dialog.py" line="630"/>
        <source>call-back made</source>
        <translation>обаждането до клиента е направено</translation>
    </message>
    <message>
        <location filename="../../app/ui/complaint_dialog.py" line="631"/>
        <source>review and lesson recorded</source>
        <translation>прегледът и изводите са записани</translation>
    </message>
    <message>
        <location filename="../../app/ui/complaint_dialog.py" line="645"/>
        <source>Client since %1</source>
        <translation>Клиент от %1</translation>
    </message>
    <message numerus="yes">
        <location filename="../../app/ui/complaint_dialog.py" line="647"/>
        <source>Client since %1 (%n month(s))</source>
        <translation>
            <numerusform>Клиент от %1 (%n месец)</numerusform>
            <numerusform>Клиент от %1 (%n месеца)</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <location filename="../../app/ui/complaint_dialog.py" line="649"/>
        <source>Client since %1 (%n year(s))</source>
        <translation>
            <numerusform>Клиент от %1 (%n година)</numerusform>
            <numerusform>Клиент от %1 (%n години)</numerusform>
        </translation>
    </message>
    <message>
        <location filename="../../app/ui/complaint_dialog.py" line="656"/>
        <source>12-month value: &lt;b&gt;%1&lt;/b&gt;</source>
        <translation>Стойност за 12 месеца: &lt;b&gt;%1&lt;/b&gt;</translation>
    </message>
    <message>
        <location filename="../../app/ui/complaint_dialog.py" line="658"/>
        <source>Group: &lt;b&gt;%1&lt;/b&gt;</source>
        <translation>Група: &lt;b&gt;%1&lt;/b&gt;</translation>
    </message>
    <message>
        <location filename="../../app/ui/complaint_dialog.py" line="659"/>
        <source>Purchases: &lt;b&gt;%1&lt;/b&gt;</source>
        <translation>Покупки: &lt;b&gt;%1&lt;/b&gt;</translation>
    </message>
    <message numerus="yes">
        <location filename="../../app/ui/complaint_dialog.py" line="667"/>
        <source>Referred %n client(s): %1</source>
        <translation>
            <numerusform>По негова препоръка е дошъл %n клиент: %1</numerusform>
            <numerusform>По негова препоръка са дошли %n клиенти: %1</numerusform>
        </translation>
    </message>
    <message>
        <location filename="../../app/ui/complaint_dialog.py" line="670"/>
        <source>Referred nobody yet.</source>
        <translation>По негова препоръка все още не е дошъл никой.</translation>
    </message>
    <message>
        <location filename="../../app/ui/complaint_dialog.py" line="672"/>
        <source>An unhappy client tells about 22 people; a happy one tells 2.</source>
        <translation>Недоволният клиент разказва на около 22 души, а доволният — на 2.</translation>
    </message>
    <message>
        <location filename="../../app/ui/complaint_dialog.py" line="681"/>
        <source>Choose who is handling the complaint.</source>
        <translation>Изберете кой води оплакването.</translation>
    </message>
    <message>
        <location filename="../../app/ui/complaint_dialog.py" line="683"/>
        <source>The owner may grant any amount.</source>
        <translation>Собственикът може да предостави всякаква сума.</translation>
    </message>
    <message>
        <location filename="../../app/ui/complaint_dialog.py" line="685"/>
        <source>You may grant up to %1; more needs the owner&apos;s approval.</source>
        <translation>Можете да предоставите до %1; за по-голяма сума е нужно одобрение от собственика.</translation>
    </message>
    <message>
        <location filename="../../app/ui/complaint_dialog.py" line="832"/>
        <source>Refund more than was paid?</source>
        <translation>Да се върне повече, отколкото е платено?</translation>
    </message>
    <message numerus="yes">
        <location filename="../../app/ui/complaint_dialog.py" line="833"/>
        <source>The refund of %1 is more than the client paid in the last %n day(s) (%2). Refund %1 all the same?</source>
        <translation>
            <numerusform>Връщането на %1 е повече, отколкото клиентът е платил през последния %n ден (%2). Да се върнат ли все пак %1?</numerusform>
            <numerusform>Връщането на %1 е повече, отколкото клиентът е платил през последните %n дни (%2). Да се върнат ли все пак %1?</numerusform>
        </translation>
    </message>
    <message>
        <location filename="../../app/ui/complaint_dialog.py" line="846"/>
        <source>Saved.</source>
        <translation>Запазено.</translation>
    </message>
    <message>
        <location filename="../../app/ui/complaint_dialog.py" line="857"/>
        <source>Resolved. The call-back is planned for %1.</source>
        <translation>Решено. Обаждането до клиента е планирано за %1.</translation>
    </message>
    <message>
        <location filename="../../app/ui/complaint_dialog.py" line="883"/>
        <source>The complaint cannot be closed yet. Still missing:</source>
        <translation>Оплакването още не може да бъде затворено. Липсват:</translation>
    </message>
    <message>
        <location filename="../../app/ui/complaint_dialog.py" line="884"/>
        <source>What you typed is saved.</source>
        <translation>Въведеното е запазено.</translation>
    </message>
    <message>
        <location filename="../../app/ui/complaint_dialog.py" line="892"/>
        <source>The complaint is closed.</source>
        <translation>Оплакването е затворено.</translation>
    </message>
    <message>
        <location filename="../../app/ui/complaint_dialog.py" line="901"/>
        <source>Unsaved changes</source>
        <translation>Незапазени промени</translation>
    </message>
    <message>
        <location filename="../../app/ui/complaint_dialog.py" line="902"/>
        <source>Save the changes to this complaint?</source>
        <translation>Да се запазят ли промените в това оплакване?</translation>
    </message>
</context>
<context>
    <name>ComplaintsPage</name>
    <message>
        <location filename="../../app/ui/complaints_page.py" line="248"/>
        <source>Complaints</source>
        <translation>Оплаквания</translation>
    </message>
    <message>
        <location filename="../../app/ui/complaints_page.py" line="249"/>
        <source>Lessons</source>
        <translation>Изводи</translation>
    </message>
    <message>
        <location filename="../../app/ui/complaints_page.py" line="270"/>
        <source>All statuses</source>
        <translation>Всички статуси</translation>
    </message>
    <message>
        <location filename="../../app/ui/complaints_page.py" line="271"/>
        <source>Not closed</source>
        <translation>Незатворени</translation>
    </message>
    <message>
        <location filename="../../app/ui/complaints_page.py" line="279"/>
        <source>New complaint…</source>
        <translation>Ново оплакване…</translation>
    </message>
    <message>
        <location filename="../../app/ui/complaints_page.py" line="280"/>
        <source>Open</source>
        <translation>Отвори</translation>
    </message>
    <message>
        <location filename="../../app/ui/complaints_page.py" line="240"/>
        <location filename="../../app/ui/complaints_page.py" line="284"/>
        <source>Status</source>
        <translation>Статус</translation>
    </message>
    <message>
        <location filename="../../app/ui/complaints_page.py" line="239"/>
        <location filename="../../app/ui/complaints_page.py" line="242"/>
        <location filename="../../app/ui/complaints_page.py" line="286"/>
        <source>Category</source>
        <translation>Категория</translation>
    </message>
    <message>
        <location filename="../../app/ui/complaints_page.py" line="239"/>
        <location filename="../../app/ui/complaints_page.py" line="242"/>
        <source>Opened</source>
        <translation>Отворено на</translation>
    </message>
    <message>
        <location filename="../../app/ui/complaints_page.py" line="239"/>
        <location filename="../../app/ui/complaints_page.py" line="242"/>
        <source>Client</source>
        <translation>Клиент</translation>
    </message>
    <message>
        <location filename="../../app/ui/complaints_page.py" line="240"/>
        <source>Severity</source>
        <translation>Тежест</translation>
    </message>
    <message>
        <location filename="../../app/ui/complaints_page.py" line="240"/>
        <source>Age</source>
        <translation>Изминало време</translation>
    </message>
    <message>
        <location filename="../../app/ui/complaints_page.py" line="241"/>
        <source>First response</source>
        <translation>Първи отговор</translation>
    </message>
    <message>
        <location filename="../../app/ui/complaints_page.py" line="241"/>
        <source>Resolution</source>
        <translation>Решение</translation>
    </message>
    <message>
        <location filename="../../app/ui/complaints_page.py" line="302"/>
        <source>Red: no first response within the set hours (Settings, Rules). Enter opens a complaint.</source>
        <translation>В червено: няма първи отговор в зададения брой часове (Настройки, Правила). Enter отваря оплакването.</translation>
    </message>
    <message>
        <location filename="../../app/ui/complaints_page.py" line="316"/>
        <source>%1 h</source>
        <translation>%1 ч</translation>
    </message>
    <message>
        <location filename="../../app/ui/complaints_page.py" line="317"/>
        <source>%1 d</source>
        <translation>%1 дни</translation>
    </message>
    <message>
        <location filename="../../app/ui/complaints_page.py" line="245"/>
        <source>waiting</source>
        <translation>изчаква се</translation>
    </message>
    <message>
        <location filename="../../app/ui/complaints_page.py" line="246"/>
        <source>First response overdue</source>
        <translation>Първият отговор е просрочен</translation>
    </message>
    <message>
        <location filename="../../app/ui/complaints_page.py" line="375"/>
        <source>%1 shown · %2 not closed · %3 waiting too long for a first response</source>
        <translation>Показани: %1 · незатворени: %2 · чакат твърде дълго първи отговор: %3</translation>
    </message>
    <message>
        <location filename="../../app/ui/complaints_page.py" line="278"/>
        <location filename="../../app/ui/complaints_page.py" line="427"/>
        <source>All categories</source>
        <translation>Всички категории</translation>
    </message>
    <message>
        <location filename="../../app/ui/complaints_page.py" line="455"/>
        <source>Search the lessons: a word of the complaint, the fix or the lesson</source>
        <translation>Търсене в изводите: дума от оплакването, решението или изводите</translation>
    </message>
    <message>
        <location filename="../../app/ui/complaints_page.py" line="243"/>
        <source>What went wrong</source>
        <translation>Какво се обърка</translation>
    </message>
    <message>
        <location filename="../../app/ui/complaints_page.py" line="243"/>
        <source>How it was put right</source>
        <translation>Как беше поправено</translation>
    </message>
    <message>
        <location filename="../../app/ui/complaints_page.py" line="244"/>
        <source>The lesson</source>
        <translation>Изводи</translation>
    </message>
    <message>
        <location filename="../../app/ui/complaints_page.py" line="365"/>
        <source>Reading the complaints</source>
        <translation>Зареждане на оплакванията</translation>
    </message>
    <message>
        <location filename="../../app/ui/complaints_page.py" line="492"/>
        <source>Searching the lessons</source>
        <translation>Търсене на изводите</translation>
    </message>
    <message numerus="yes">
        <location filename="../../app/ui/complaints_page.py" line="502"/>
        <source>%n lesson(s)</source>
        <translation>
            <numerusform>%n извод</numerusform>
            <numerusform>%n извода</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>DataDialogs</name>
    <message>
        <location filename="../../app/ui/data_dialogs.py" line="56"/>
        <source>Clients</source>
        <translation>Клиенти</translation>
    </message>
    <message>
        <location filename="../../app/ui/data_dialogs.py" line="57"/>
        <location filename="../../app/ui/data_dialogs.py" line="81"/>
        <source>Purchases</source>
        <translation>Покупки</translation>
    </message>
    <message>
        <location filename="../../app/ui/data_dialogs.py" line="58"/>
        <source>Calls and contacts</source>
        <translation>Обаждания и контакти</translation>
    </message>
    <message>
        <location filename="../../app/ui/data_dialogs.py" line="64"/>
        <source>Number</source>
        <translation>Номер</translation>
    </message>
    <message>
        <location filename="../../app/ui/data_dialogs.py" line="65"/>
        <source>Name</source>
        <translation>Име</translation>
    </message>
    <message>
        <location filename="../../app/ui/data_dialogs.py" line="66"/>
        <source>Person or company</source>
        <translation>Лице или фирма</translation>
    </message>
    <message>
        <location filename="../../app/ui/data_dialogs.py" line="67"/>
        <source>Card number</source>
        <translation>Номер на карта</translation>
    </message>
    <message>
        <location filename="../../app/ui/data_dialogs.py" line="68"/>
        <source>Phone</source>
        <translation>Телефон</translation>
    </message>
    <message>
        <location filename="../../app/ui/data_dialogs.py" line="69"/>
        <source>E-mail</source>
        <translation>Имейл</translation>
    </message>
    <message>
        <location filename="../../app/ui/data_dialogs.py" line="70"/>
        <source>Preferred channel</source>
        <translation>Предпочитан канал</translation>
    </message>
    <message>
        <location filename="../../app/ui/data_dialogs.py" line="71"/>
        <source>Do not contact</source>
        <translation>Да не се търси</translation>
    </message>
    <message>
        <location filename="../../app/ui/data_dialogs.py" line="72"/>
        <source>Marketing consent</source>
        <translation>Съгласие за маркетинг</translation>
    </message>
    <message>
        <location filename="../../app/ui/data_dialogs.py" line="73"/>
        <source>Consent given on</source>
        <translation>Дата на съгласието</translation>
    </message>
    <message>
        <location filename="../../app/ui/data_dialogs.py" line="74"/>
        <source>Came from</source>
        <translation>Откъде дойде</translation>
    </message>
    <message>
        <location filename="../../app/ui/data_dialogs.py" line="75"/>
        <source>Referred by (number)</source>
        <translation>По препоръка на (номер)</translation>
    </message>
    <message>
        <location filename="../../app/ui/data_dialogs.py" line="76"/>
        <source>Group</source>
        <translation>Група</translation>
    </message>
    <message>
        <location filename="../../app/ui/data_dialogs.py" line="77"/>
        <source>Why this group</source>
        <translation>Защо тази група</translation>
    </message>
    <message>
        <location filename="../../app/ui/data_dialogs.py" line="78"/>
        <source>Tags</source>
        <translation>Етикети</translation>
    </message>
    <message>
        <location filename="../../app/ui/data_dialogs.py" line="79"/>
        <source>First purchase</source>
        <translation>Първа покупка</translation>
    </message>
    <message>
        <location filename="../../app/ui/data_dialogs.py" line="80"/>
        <source>Last purchase</source>
        <translation>Последна покупка</translation>
    </message>
    <message>
        <location filename="../../app/ui/data_dialogs.py" line="82"/>
        <source>12-month value</source>
        <translation>Стойност за 12 месеца</translation>
    </message>
    <message>
        <location filename="../../app/ui/data_dialogs.py" line="83"/>
        <source>Preferences</source>
        <translation>Предпочитания</translation>
    </message>
    <message>
        <location filename="../../app/ui/data_dialogs.py" line="84"/>
        <source>Notes</source>
        <translation>Бележки</translation>
    </message>
    <message>
        <location filename="../../app/ui/data_dialogs.py" line="85"/>
        <source>Client since</source>
        <translation>Клиент от</translation>
    </message>
    <message>
        <location filename="../../app/ui/data_dialogs.py" line="86"/>
        <source>Client number</source>
        <translation>Номер на клиента</translation>
    </message>
    <message>
        <location filename="../../app/ui/data_dialogs.py" line="87"/>
        <source>Client</source>
        <translation>Клиент</translation>
    </message>
    <message>
        <location filename="../../app/ui/data_dialogs.py" line="88"/>
        <source>Date</source>
        <translation>Дата</translation>
    </message>
    <message>
        <location filename="../../app/ui/data_dialogs.py" line="89"/>
        <source>Item or service</source>
        <translation>Стока или услуга</translation>
    </message>
    <message>
        <location filename="../../app/ui/data_dialogs.py" line="90"/>
        <source>Quantity</source>
        <translation>Количество</translation>
    </message>
    <message>
        <location filename="../../app/ui/data_dialogs.py" line="91"/>
        <source>Amount</source>
        <translation>Сума</translation>
    </message>
    <message>
        <location filename="../../app/ui/data_dialogs.py" line="92"/>
        <source>Refund</source>
        <translation>Възстановяване</translation>
    </message>
    <message>
        <location filename="../../app/ui/data_dialogs.py" line="93"/>
        <source>Complaint number</source>
        <translation>Номер на оплакването</translation>
    </message>
    <message>
        <location filename="../../app/ui/data_dialogs.py" line="94"/>
        <source>Note</source>
        <translation>Бележка</translation>
    </message>
    <message>
        <location filename="../../app/ui/data_dialogs.py" line="95"/>
        <source>When</source>
        <translation>Кога</translation>
    </message>
    <message>
        <location filename="../../app/ui/data_dialogs.py" line="96"/>
        <source>Channel</source>
        <translation>Канал</translation>
    </message>
    <message>
        <location filename="../../app/ui/data_dialogs.py" line="97"/>
        <source>Direction</source>
        <translation>Посока</translation>
    </message>
    <message>
        <location filename="../../app/ui/data_dialogs.py" line="98"/>
        <source>Purpose</source>
        <translation>Цел</translation>
    </message>
    <message>
        <location filename="../../app/ui/data_dialogs.py" line="99"/>
        <source>Outcome</source>
        <translation>Резултат</translation>
    </message>
    <message>
        <location filename="../../app/ui/data_dialogs.py" line="100"/>
        <source>Tone</source>
        <translation>Тон</translation>
    </message>
    <message>
        <location filename="../../app/ui/data_dialogs.py" line="101"/>
        <source>Minutes</source>
        <translation>Минути</translation>
    </message>
    <message>
        <location filename="../../app/ui/data_dialogs.py" line="102"/>
        <source>Why declined</source>
        <translation>Причина за отказа</translation>
    </message>
    <message>
        <location filename="../../app/ui/data_dialogs.py" line="107"/>
        <source>Outgoing</source>
        <translation>Изходящ</translation>
    </message>
    <message>
        <location filename="../../app/ui/data_dialogs.py" line="108"/>
        <source>Incoming</source>
        <translation>Входящ</translation>
    </message>
    <message>
        <location filename="../../app/ui/data_dialogs.py" line="115"/>
        <source>Yes</source>
        <translation>Да</translation>
    </message>
    <message>
        <location filename="../../app/ui/data_dialogs.py" line="115"/>
        <source>No</source>
        <translation>Не</translation>
    </message>
    <message>
        <location filename="../../app/ui/data_dialogs.py" line="206"/>
        <location filename="../../app/ui/data_dialogs.py" line="223"/>
        <location filename="../../app/ui/data_dialogs.py" line="231"/>
        <source>Export</source>
        <translation>Експорт</translation>
    </message>
    <message>
        <location filename="../../app/ui/data_dialogs.py" line="206"/>
        <source>The export was stopped; no file was written.</source>
        <translation>Експортът беше спрян; не е записан файл.</translation>
    </message>
    <message>
        <location filename="../../app/ui/data_dialogs.py" line="209"/>
        <source>Exporting…</source>
        <translation>Експортиране…</translation>
    </message>
    <message>
        <location filename="../../app/ui/data_dialogs.py" line="224"/>
        <source>Excel workbook (*.xlsx);;CSV table (*.csv)</source>
        <translation>Работна книга на Excel (*.xlsx);;Таблица CSV (*.csv)</translation>
    </message>
    <message numerus="yes">
        <location filename="../../app/ui/data_dialogs.py" line="230"/>
        <source>%n row(s) written to %1.</source>
        <translation>
            <numerusform>%n ред е записан във файла %1.</numerusform>
            <numerusform>%n реда са записани във файла %1.</numerusform>
        </translation>
    </message>
    <message>
        <location filename="../../app/ui/data_dialogs.py" line="243"/>
        <source>Writing the client&apos;s data…</source>
        <translation>Записване на данните на клиента…</translation>
    </message>
    <message>
        <location filename="../../app/ui/data_dialogs.py" line="253"/>
        <source>The client&apos;s data</source>
        <translation>Данни на клиента</translation>
    </message>
    <message>
        <location filename="../../app/ui/data_dialogs.py" line="255"/>
        <source>JSON file (*.json)</source>
        <translation>Файл JSON (*.json)</translation>
    </message>
    <message>
        <location filename="../../app/ui/data_dialogs.py" line="290"/>
        <source>Erasing…</source>
        <translation>Изтриване…</translation>
    </message>
    <message numerus="yes">
        <location filename="../../app/ui/data_dialogs.py" line="510"/>
        <source>%n purchase(s)</source>
        <translation>
            <numerusform>%n покупка</numerusform>
            <numerusform>%n покупки</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>DateEntry</name>
    <message>
        <location filename="../../app/ui/widgets.py" line="137"/>
        <source>Pick the date from a calendar</source>
        <translation>Изберете датата от календар</translation>
    </message>
    <message>
        <location filename="../../app/ui/widgets.py" line="177"/>
        <source>e.g. %1</source>
        <translation>напр. %1</translation>
    </message>
    <message>
        <location filename="../../app/ui/widgets.py" line="182"/>
        <source>Type the date as %1, or as 2026-01-31</source>
        <translation>Въведете датата като %1 или като 2026-01-31</translation>
    </message>
</context>
<context>
    <name>DayListActions</name>
    <message>
        <location filename="../../app/ui/printing.py" line="548"/>
        <source>Print…</source>
        <translation>Печат…</translation>
    </message>
    <message>
        <location filename="../../app/ui/printing.py" line="550"/>
        <source>Print the day&apos;s list of calls (Ctrl+P)</source>
        <translation>Отпечатване на списъка с обаждания за деня (Ctrl+P)</translation>
    </message>
    <message>
        <location filename="../../app/ui/printing.py" line="551"/>
        <source>Save as PDF…</source>
        <translation>Запазване като PDF…</translation>
    </message>
    <message>
        <location filename="../../app/ui/printing.py" line="553"/>
        <source>Save the day&apos;s list of calls as a PDF file</source>
        <translation>Запазване на списъка с обаждания за деня като PDF файл</translation>
    </message>
    <message>
        <location filename="../../app/ui/printing.py" line="608"/>
        <source>Printing the day&apos;s list…</source>
        <translation>Отпечатване на списъка за деня…</translation>
    </message>
</context>
<context>
    <name>DayNotice</name>
    <message>
        <location filename="../../app/ui/day_notice.py" line="136"/>
        <source>Counting the day&apos;s calls…</source>
        <translation>Преброяване на обажданията за деня…</translation>
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
        <translation>Затваряне на известието (днес няма да се покаже отново)</translation>
    </message>
    <message>
        <location filename="../../app/ui/day_notice.py" line="77"/>
        <source>Close the notice</source>
        <translation>Затваряне на известието</translation>
    </message>
</context>
<context>
    <name>DayNoticeText</name>
    <message numerus="yes">
        <location filename="../../app/ui/day_notice.py" line="50"/>
        <source>%Ln call(s)</source>
        <extracomment>how long the tray message stays (ms)</extracomment>
        <translation>
            <numerusform>%Ln обаждане</numerusform>
            <numerusform>%Ln обаждания</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <location filename="../../app/ui/day_notice.py" line="51"/>
        <source>%Ln overdue</source>
        <translation>
            <numerusform>%Ln просрочено</numerusform>
            <numerusform>%Ln просрочени</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <location filename="../../app/ui/day_notice.py" line="52"/>
        <source>%Ln birthday(s) or name day(s)</source>
        <translation>
            <numerusform>%Ln рожден или имен ден</numerusform>
            <numerusform>%Ln рождени или имени дни</numerusform>
        </translation>
    </message>
    <message>
        <location filename="../../app/ui/day_notice.py" line="53"/>
        <source>Today: %1</source>
        <translation>Днес: %1</translation>
    </message>
</context>
<context>
    <name>EmailTab</name>
    <message>
        <location filename="../../app/ui/messages_settings.py" line="263"/>
        <source>STARTTLS (usually port 587)</source>
        <translation>STARTTLS (обикновено порт 587)</translation>
    </message>
    <message>
        <location filename="../../app/ui/messages_settings.py" line="264"/>
        <source>TLS (usually port 465)</source>
        <translation>TLS (обикновено порт 465)</translation>
    </message>
    <message>
        <location filename="../../app/ui/messages_settings.py" line="265"/>
        <source>None (a relay inside the office)</source>
        <translation>Без криптиране (препращач в офиса)</translation>
    </message>
    <message>
        <location filename="../../app/ui/messages_settings.py" line="271"/>
        <source>kept in the system keyring</source>
        <translation>пази се в системното хранилище за пароли</translation>
    </message>
    <message>
        <location filename="../../app/ui/messages_settings.py" line="277"/>
        <source>Save</source>
        <translation>Запази</translation>
    </message>
    <message>
        <location filename="../../app/ui/messages_settings.py" line="281"/>
        <source>Send a test message</source>
        <translation>Изпрати пробно писмо</translation>
    </message>
    <message>
        <location filename="../../app/ui/messages_settings.py" line="286"/>
        <source>Your mail server (SMTP)</source>
        <translation>Вашият пощенски сървър (SMTP)</translation>
    </message>
    <message>
        <location filename="../../app/ui/messages_settings.py" line="288"/>
        <source>Server</source>
        <translation>Сървър</translation>
    </message>
    <message>
        <location filename="../../app/ui/messages_settings.py" line="290"/>
        <source>Port</source>
        <translation>Порт</translation>
    </message>
    <message>
        <location filename="../../app/ui/messages_settings.py" line="291"/>
        <source>Connection</source>
        <translation>Връзка</translation>
    </message>
    <message>
        <location filename="../../app/ui/messages_settings.py" line="292"/>
        <source>User</source>
        <translation>Потребител</translation>
    </message>
    <message>
        <location filename="../../app/ui/messages_settings.py" line="293"/>
        <source>Password</source>
        <translation>Парола</translation>
    </message>
    <message>
        <location filename="../../app/ui/messages_settings.py" line="294"/>
        <source>Sender&apos;s address</source>
        <translation>Адрес на подателя</translation>
    </message>
    <message>
        <location filename="../../app/ui/messages_settings.py" line="296"/>
        <source>Sender&apos;s name</source>
        <translation>Име на подателя</translation>
    </message>
    <message>
        <location filename="../../app/ui/messages_settings.py" line="301"/>
        <source>Test message to</source>
        <translation>Пробно писмо до</translation>
    </message>
    <message>
        <location filename="../../app/ui/messages_settings.py" line="304"/>
        <source>Gmail and Google Workspace need an app password (with 2-step verification). Microsoft 365 ends password login for sending at the end of 2026: use another provider or an SMTP relay. A mailbox at a local provider works with its own password. The README says more.</source>
        <translation>Gmail и Google Workspace изискват парола за приложение (с двустепенна проверка). Microsoft 365 спира влизането с парола за изпращане в края на 2026 г.: използвайте друг доставчик или SMTP препращач. Пощенска кутия при местен доставчик работи със собствената си парола. Повече във файла README.</translation>
    </message>
    <message>
        <location filename="../../app/ui/messages_settings.py" line="361"/>
        <source>Saved. The password is in the system keyring.</source>
        <translation>Запазено. Паролата е в системното хранилище за пароли.</translation>
    </message>
    <message>
        <location filename="../../app/ui/messages_settings.py" line="370"/>
        <source>Saving the mail server</source>
        <translation>Запазване на пощенския сървър</translation>
    </message>
    <message>
        <location filename="../../app/ui/messages_settings.py" line="376"/>
        <source>ClientCare: a test message</source>
        <translation>ClientCare: пробно писмо</translation>
    </message>
    <message>
        <location filename="../../app/ui/messages_settings.py" line="377"/>
        <source>This is a test message from ClientCare: the mail server is set up right.</source>
        <translation>Това е пробно писмо от ClientCare: пощенският сървър е настроен правилно.</translation>
    </message>
    <message>
        <location filename="../../app/ui/messages_settings.py" line="388"/>
        <source>A test message went to %1.</source>
        <translation>Пробното писмо е изпратено до %1.</translation>
    </message>
    <message>
        <location filename="../../app/ui/messages_settings.py" line="395"/>
        <source>Sending a test message</source>
        <translation>Изпращане на пробно писмо</translation>
    </message>
</context>
<context>
    <name>EraseDialog</name>
    <message>
        <location filename="../../app/ui/data_dialogs.py" line="301"/>
        <source>Erase personal data</source>
        <translation>Изтриване на личните данни</translation>
    </message>
    <message>
        <location filename="../../app/ui/data_dialogs.py" line="320"/>
        <source>Their purchases stay without a name, so the figures stay true. This cannot be undone; restoring a backup later erases this person again.</source>
        <translation>Покупките остават без име, така че цифрите остават верни. Това не може да бъде отменено; ако по-късно се възстанови резервно копие, този човек ще бъде изтрит отново.</translation>
    </message>
    <message numerus="yes">
        <location filename="../../app/ui/data_dialogs.py" line="324"/>
        <source>%n backup(s) made earlier still hold this person&apos;s data.</source>
        <translation>
            <numerusform>%n по-ранно резервно копие все още съдържа данните на този човек.</numerusform>
            <numerusform>%n по-ранни резервни копия все още съдържат данните на този човек.</numerusform>
        </translation>
    </message>
    <message>
        <location filename="../../app/ui/data_dialogs.py" line="326"/>
        <source>No backup holds this person&apos;s data.</source>
        <translation>Нито едно резервно копие не съдържа данните на този човек.</translation>
    </message>
    <message>
        <location filename="../../app/ui/data_dialogs.py" line="329"/>
        <source>Erase them from these backups too (now)</source>
        <translation>Изтриване и от тези резервни копия (сега)</translation>
    </message>
    <message>
        <location filename="../../app/ui/data_dialogs.py" line="348"/>
        <source>Erase</source>
        <translation>Изтрий</translation>
    </message>
    <message>
        <location filename="../../app/ui/data_dialogs.py" line="265"/>
        <location filename="../../app/ui/data_dialogs.py" line="370"/>
        <source>Erasing…</source>
        <translation>Изтриване…</translation>
    </message>
    <message>
        <location filename="../../app/ui/data_dialogs.py" line="263"/>
        <source>Erasing from backup %1 of %2…</source>
        <translation>Изтриване от резервно копие %1 от %2…</translation>
    </message>
    <message>
        <location filename="../../app/ui/data_dialogs.py" line="313"/>
        <source>Erase everything that identifies %1: name, phone, e-mail, card number, family, dates, tags, notes and the words of calls, memberships and complaints? Where other clients&apos; notes name this person, the name is replaced by “%2”.</source>
        <translation>Да се изтрие ли всичко, по което може да се разпознае %1: име, телефон, имейл, номер на карта, семейство, дати, етикети, бележки и съдържанието на обаждания, абонаменти и оплаквания? Където бележките на други клиенти споменават този човек, името се заменя с „%2“.</translation>
    </message>
    <message>
        <location filename="../../app/ui/data_dialogs.py" line="401"/>
        <source>The personal data was erased from the office server&apos;s database. Its backups made with pg_dump still hold it until they are replaced by newer ones.</source>
        <translation>Личните данни са изтрити от базата данни на офисния сървър. Резервните ѝ копия, направени с pg_dump, още ги съдържат, докато не бъдат заменени с по-нови.</translation>
    </message>
    <message>
        <location filename="../../app/ui/data_dialogs.py" line="405"/>
        <source>The personal data was erased and the database file compacted; its last changes leave the write-ahead log when ClientCare closes.</source>
        <translation>Личните данни са изтрити, а файлът на базата данни е компресиран; последните промени ще напуснат журнала с предварителен запис (WAL) при затваряне на ClientCare.</translation>
    </message>
    <message>
        <location filename="../../app/ui/data_dialogs.py" line="409"/>
        <source>The personal data was erased and the database file compacted.</source>
        <translation>Личните данни са изтрити, а файлът на базата данни е компресиран.</translation>
    </message>
    <message numerus="yes">
        <location filename="../../app/ui/data_dialogs.py" line="411"/>
        <source>Erased from %n backup(s).</source>
        <translation>
            <numerusform>Изтрито от %n резервно копие.</numerusform>
            <numerusform>Изтрито от %n резервни копия.</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <location filename="../../app/ui/data_dialogs.py" line="414"/>
        <source>%n backup(s) still hold this person; a restore of one erases them again.</source>
        <translation>
            <numerusform>%n резервно копие все още съдържа този човек; при възстановяването му той ще бъде изтрит отново.</numerusform>
            <numerusform>%n резервни копия все още съдържат този човек; при възстановяване на някое от тях той ще бъде изтрит отново.</numerusform>
        </translation>
    </message>
    <message>
        <location filename="../../app/ui/data_dialogs.py" line="417"/>
        <source>Not erased from %1: %2</source>
        <translation>Не е изтрито от %1: %2</translation>
    </message>
</context>
<context>
    <name>ExportDialog</name>
    <message>
        <location filename="../../app/ui/data_dialogs.py" line="167"/>
        <location filename="../../app/ui/data_dialogs.py" line="174"/>
        <source>Export</source>
        <extracomment>the QSettings key of the last export folder (app/ui/window_state.py keeps it)</extracomment>
        <translation>Експорт</translation>
    </message>
    <message>
        <location filename="../../app/ui/data_dialogs.py" line="176"/>
        <source>A CSV file opens in any spreadsheet; an XLSX file in Excel or LibreOffice. Clients in the Trash and erased clients are left out.</source>
        <translation>Файлът CSV се отваря във всяка програма за електронни таблици, а файлът XLSX — в Excel или LibreOffice. Клиентите в Кошчето и клиентите с изтрити лични данни не се включват.</translation>
    </message>
</context>
<context>
    <name>FirstOwnerDialog</name>
    <message>
        <location filename="../../app/ui/sign_in.py" line="122"/>
        <source>ClientCare — the owner</source>
        <translation>ClientCare — собственик</translation>
    </message>
    <message numerus="yes">
        <location filename="../../app/ui/sign_in.py" line="123"/>
        <source>Everyone signs in on this database. First, the owner: your name and a password of at least %n characters. You then add the staff and their passwords in Settings → Staff.</source>
        <translation>
            <numerusform>В тази база данни всеки влиза със свое име. Първо собственикът: вашето име и парола от поне %n знак. След това добавете служителите и техните пароли в Настройки → Персонал.</numerusform>
            <numerusform>В тази база данни всеки влиза със свое име. Първо собственикът: вашето име и парола от поне %n знака. След това добавете служителите и техните пароли в Настройки → Персонал.</numerusform>
        </translation>
    </message>
    <message>
        <location filename="../../app/ui/sign_in.py" line="125"/>
        <source>Create the owner</source>
        <translation>Създай собственика</translation>
    </message>
    <message>
        <location filename="../../app/ui/sign_in.py" line="136"/>
        <source>Name</source>
        <translation>Име</translation>
    </message>
    <message>
        <location filename="../../app/ui/sign_in.py" line="137"/>
        <source>Password</source>
        <translation>Парола</translation>
    </message>
    <message>
        <location filename="../../app/ui/sign_in.py" line="138"/>
        <source>Password again</source>
        <translation>Паролата отново</translation>
    </message>
</context>
<context>
    <name>FreezeDialog</name>
    <message>
        <location filename="../../app/ui/card_dialogs.py" line="406"/>
        <source>Freeze the membership</source>
        <translation>Замразяване на абонамента</translation>
    </message>
    <message>
        <location filename="../../app/ui/card_dialogs.py" line="410"/>
        <source>Frozen from</source>
        <translation>Замразен от</translation>
    </message>
    <message>
        <location filename="../../app/ui/card_dialogs.py" line="412"/>
        <source>Frozen until</source>
        <translation>Замразен до</translation>
    </message>
</context>
<context>
    <name>History</name>
    <message>
        <location filename="../../app/ui/history_words.py" line="17"/>
        <source>not signed in</source>
        <translation>без вход в системата</translation>
    </message>
    <message>
        <location filename="../../app/ui/history_words.py" line="24"/>
        <source>A/B/C group</source>
        <translation>Група A/B/C</translation>
    </message>
    <message>
        <location filename="../../app/ui/history_words.py" line="25"/>
        <source>moved to the Trash</source>
        <translation>преместен в кошчето</translation>
    </message>
    <message>
        <location filename="../../app/ui/history_words.py" line="26"/>
        <source>restored from the Trash</source>
        <translation>възстановен от кошчето</translation>
    </message>
    <message>
        <location filename="../../app/ui/history_words.py" line="27"/>
        <location filename="../../app/ui/history_words.py" line="39"/>
        <location filename="../../app/ui/history_words.py" line="50"/>
        <source>other details</source>
        <translation>други данни</translation>
    </message>
    <message>
        <location filename="../../app/ui/history_words.py" line="31"/>
        <source>what happened</source>
        <translation>какво се е случило</translation>
    </message>
    <message>
        <location filename="../../app/ui/history_words.py" line="32"/>
        <source>the checklist</source>
        <translation>контролният списък</translation>
    </message>
    <message>
        <location filename="../../app/ui/history_words.py" line="33"/>
        <source>the apology</source>
        <translation>извинението</translation>
    </message>
    <message>
        <location filename="../../app/ui/history_words.py" line="34"/>
        <source>what the client asked for</source>
        <translation>молбата на клиента</translation>
    </message>
    <message>
        <location filename="../../app/ui/history_words.py" line="35"/>
        <source>compensation</source>
        <translation>компенсация</translation>
    </message>
    <message>
        <location filename="../../app/ui/history_words.py" line="36"/>
        <source>corrective action</source>
        <translation>коригиращо действие</translation>
    </message>
    <message>
        <location filename="../../app/ui/history_words.py" line="37"/>
        <source>status</source>
        <translation>статус</translation>
    </message>
    <message>
        <location filename="../../app/ui/history_words.py" line="38"/>
        <source>review and lesson</source>
        <translation>преглед и изводи</translation>
    </message>
    <message>
        <location filename="../../app/ui/history_words.py" line="41"/>
        <source>outcome</source>
        <translation>резултат</translation>
    </message>
    <message>
        <location filename="../../app/ui/history_words.py" line="42"/>
        <source>tone</source>
        <translation>тон</translation>
    </message>
    <message>
        <location filename="../../app/ui/history_words.py" line="43"/>
        <source>note</source>
        <translation>бележка</translation>
    </message>
    <message>
        <location filename="../../app/ui/history_words.py" line="44"/>
        <source>the day to call back</source>
        <translation>денят за обратно обаждане</translation>
    </message>
    <message>
        <location filename="../../app/ui/history_words.py" line="45"/>
        <source>meeting</source>
        <translation>среща</translation>
    </message>
    <message>
        <location filename="../../app/ui/history_words.py" line="46"/>
        <source>time</source>
        <translation>час</translation>
    </message>
    <message>
        <location filename="../../app/ui/history_words.py" line="47"/>
        <source>channel</source>
        <translation>канал</translation>
    </message>
    <message>
        <location filename="../../app/ui/history_words.py" line="48"/>
        <source>purpose</source>
        <translation>цел</translation>
    </message>
    <message>
        <location filename="../../app/ui/history_words.py" line="49"/>
        <source>duration</source>
        <translation>продължителност</translation>
    </message>
    <message>
        <location filename="../../app/ui/history_words.py" line="63"/>
        <source>Client added</source>
        <translation>Клиентът е добавен</translation>
    </message>
    <message>
        <location filename="../../app/ui/history_words.py" line="65"/>
        <source>Moved to the Trash</source>
        <translation>Преместен в кошчето</translation>
    </message>
    <message>
        <location filename="../../app/ui/history_words.py" line="67"/>
        <source>Restored from the Trash</source>
        <translation>Възстановен от кошчето</translation>
    </message>
    <message>
        <location filename="../../app/ui/history_words.py" line="68"/>
        <source>Client details: %1</source>
        <translation>Данни на клиента: %1</translation>
    </message>
    <message>
        <location filename="../../app/ui/history_words.py" line="71"/>
        <source>Complaint opened</source>
        <translation>Оплакването е прието</translation>
    </message>
    <message>
        <location filename="../../app/ui/history_words.py" line="73"/>
        <source>Complaint removed</source>
        <translation>Оплакването е премахнато</translation>
    </message>
    <message>
        <location filename="../../app/ui/history_words.py" line="74"/>
        <source>Complaint: %1</source>
        <translation>Оплакване: %1</translation>
    </message>
    <message>
        <location filename="../../app/ui/history_words.py" line="78"/>
        <source>Call logged</source>
        <translation>Обаждането е записано</translation>
    </message>
    <message>
        <location filename="../../app/ui/history_words.py" line="79"/>
        <source>Contact logged: %1</source>
        <translation>Контактът е записан: %1</translation>
    </message>
    <message>
        <location filename="../../app/ui/history_words.py" line="82"/>
        <source>Logged call or message undone</source>
        <translation>Записаното обаждане или съобщение е отменено</translation>
    </message>
    <message>
        <location filename="../../app/ui/history_words.py" line="84"/>
        <source>Call corrected: %1</source>
        <translation>Обаждането е поправено: %1</translation>
    </message>
    <message>
        <location filename="../../app/ui/history_words.py" line="85"/>
        <source>Contact corrected: %1</source>
        <translation>Контактът е поправен: %1</translation>
    </message>
</context>
<context>
    <name>ImportWizard</name>
    <message>
        <location filename="../../app/ui/import_wizard.py" line="88"/>
        <source>Name (whole)</source>
        <extracomment>the rows of the file the column page takes its examples from</extracomment>
        <translation>Пълно име</translation>
    </message>
    <message>
        <location filename="../../app/ui/import_wizard.py" line="89"/>
        <source>First name</source>
        <translation>Име</translation>
    </message>
    <message>
        <location filename="../../app/ui/import_wizard.py" line="90"/>
        <source>Last name</source>
        <translation>Фамилия</translation>
    </message>
    <message>
        <location filename="../../app/ui/import_wizard.py" line="91"/>
        <source>Phone</source>
        <translation>Телефон</translation>
    </message>
    <message>
        <location filename="../../app/ui/import_wizard.py" line="92"/>
        <source>E-mail</source>
        <translation>Имейл</translation>
    </message>
    <message>
        <location filename="../../app/ui/import_wizard.py" line="93"/>
        <source>Birthday</source>
        <translation>Рожден ден</translation>
    </message>
    <message>
        <location filename="../../app/ui/import_wizard.py" line="94"/>
        <source>Card number</source>
        <translation>Номер на карта</translation>
    </message>
    <message>
        <location filename="../../app/ui/import_wizard.py" line="95"/>
        <source>Notes</source>
        <translation>Бележки</translation>
    </message>
    <message>
        <location filename="../../app/ui/import_wizard.py" line="96"/>
        <source>Came from</source>
        <translation>Източник</translation>
    </message>
    <message>
        <location filename="../../app/ui/import_wizard.py" line="97"/>
        <source>Tags</source>
        <translation>Етикети</translation>
    </message>
    <message>
        <location filename="../../app/ui/import_wizard.py" line="98"/>
        <location filename="../../app/ui/import_wizard.py" line="610"/>
        <source>Marketing consent</source>
        <translation>Съгласие за маркетинг</translation>
    </message>
    <message>
        <location filename="../../app/ui/import_wizard.py" line="99"/>
        <source>Client&apos;s name</source>
        <translation>Име на клиента</translation>
    </message>
    <message>
        <location filename="../../app/ui/import_wizard.py" line="100"/>
        <source>Date of purchase</source>
        <translation>Дата на покупката</translation>
    </message>
    <message>
        <location filename="../../app/ui/import_wizard.py" line="101"/>
        <source>Amount</source>
        <translation>Сума</translation>
    </message>
    <message>
        <location filename="../../app/ui/import_wizard.py" line="102"/>
        <source>Item or service</source>
        <translation>Продукт или услуга</translation>
    </message>
    <message>
        <location filename="../../app/ui/import_wizard.py" line="103"/>
        <source>Quantity</source>
        <translation>Количество</translation>
    </message>
    <message>
        <location filename="../../app/ui/import_wizard.py" line="104"/>
        <source>Note</source>
        <translation>Бележка</translation>
    </message>
    <message>
        <location filename="../../app/ui/import_wizard.py" line="109"/>
        <source>— not imported —</source>
        <translation>— не се импортира —</translation>
    </message>
    <message>
        <location filename="../../app/ui/import_wizard.py" line="113"/>
        <source>Skip</source>
        <translation>Пропусни</translation>
    </message>
    <message>
        <location filename="../../app/ui/import_wizard.py" line="114"/>
        <source>Merge into the existing client</source>
        <translation>Обедини със съществуващия клиент</translation>
    </message>
    <message>
        <location filename="../../app/ui/import_wizard.py" line="115"/>
        <source>Import as a new client</source>
        <translation>Импортирай като нов клиент</translation>
    </message>
    <message>
        <location filename="../../app/ui/import_wizard.py" line="119"/>
        <source>phone</source>
        <translation>телефон</translation>
    </message>
    <message>
        <location filename="../../app/ui/import_wizard.py" line="120"/>
        <source>e-mail</source>
        <translation>имейл</translation>
    </message>
    <message>
        <location filename="../../app/ui/import_wizard.py" line="121"/>
        <source>card number</source>
        <translation>номер на карта</translation>
    </message>
    <message>
        <location filename="../../app/ui/import_wizard.py" line="125"/>
        <source>UTF-16 (Excel&apos;s “Unicode Text”)</source>
        <translation>UTF-16 („Текст в Unicode“ от Excel)</translation>
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
        <translation>Windows-1251 (кирилица)</translation>
    </message>
    <message>
        <location filename="../../app/ui/import_wizard.py" line="130"/>
        <source>Windows-1250 (Central European)</source>
        <translation>Windows-1250 (Централна Европа)</translation>
    </message>
    <message>
        <location filename="../../app/ui/import_wizard.py" line="131"/>
        <source>Windows-1252 (Western European)</source>
        <translation>Windows-1252 (западноевропейска)</translation>
    </message>
    <message>
        <location filename="../../app/ui/import_wizard.py" line="132"/>
        <source>KOI8-R (Russian)</source>
        <translation>KOI8-R (руска)</translation>
    </message>
    <message>
        <location filename="../../app/ui/import_wizard.py" line="133"/>
        <source>ISO-8859-2 (Central European)</source>
        <translation>ISO-8859-2 (централноевропейска)</translation>
    </message>
    <message>
        <location filename="../../app/ui/import_wizard.py" line="153"/>
        <source>Excel workbook, first sheet</source>
        <translation>Работна книга на Excel, първи лист</translation>
    </message>
    <message>
        <location filename="../../app/ui/import_wizard.py" line="155"/>
        <source>vCard contacts</source>
        <translation>Контакти vCard</translation>
    </message>
    <message>
        <location filename="../../app/ui/import_wizard.py" line="158"/>
        <source>separated by tabs</source>
        <translation>разделител: табулация</translation>
    </message>
    <message>
        <location filename="../../app/ui/import_wizard.py" line="160"/>
        <source>separated by %1</source>
        <translation>разделител: %1</translation>
    </message>
    <message numerus="yes">
        <location filename="../../app/ui/import_wizard.py" line="162"/>
        <source>%n row(s)</source>
        <translation>
            <numerusform>%n ред</numerusform>
            <numerusform>%n реда</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <location filename="../../app/ui/import_wizard.py" line="186"/>
        <source>%n row(s) ready</source>
        <translation>
            <numerusform>%n готов ред</numerusform>
            <numerusform>%n готови реда</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <location filename="../../app/ui/import_wizard.py" line="187"/>
        <source>%n rejected</source>
        <translation>
            <numerusform>%n отхвърлен</numerusform>
            <numerusform>%n отхвърлени</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <location filename="../../app/ui/import_wizard.py" line="189"/>
        <source>%n duplicate(s)</source>
        <translation>
            <numerusform>%n дубликат</numerusform>
            <numerusform>%n дубликата</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <location filename="../../app/ui/import_wizard.py" line="191"/>
        <source>%n purchase(s) of unknown clients</source>
        <translation>
            <numerusform>%n покупка на непознати клиенти</numerusform>
            <numerusform>%n покупки на непознати клиенти</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <location filename="../../app/ui/import_wizard.py" line="193"/>
        <source>%n already imported</source>
        <translation>
            <numerusform>%n вече импортирана</numerusform>
            <numerusform>%n вече импортирани</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <location filename="../../app/ui/import_wizard.py" line="196"/>
        <source>%n phone number(s) to check</source>
        <translation>
            <numerusform>%n телефонен номер за проверка</numerusform>
            <numerusform>%n телефонни номера за проверка</numerusform>
        </translation>
    </message>
    <message>
        <location filename="../../app/ui/import_wizard.py" line="209"/>
        <source>The first %1 problems are listed; Save the report… saves all of them.</source>
        <translation>Показани са първите %1 проблема; „Запази отчета…“ ги запазва всички.</translation>
    </message>
    <message numerus="yes">
        <location filename="../../app/ui/import_wizard.py" line="213"/>
        <source>The first %1 duplicates are listed; the %n others are skipped.</source>
        <translation>
            <numerusform>Показани са първите %1 дубликата; останалият %n се пропуска.</numerusform>
            <numerusform>Показани са първите %1 дубликата; останалите %n се пропускат.</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <location filename="../../app/ui/import_wizard.py" line="222"/>
        <source>%n new client(s) created.</source>
        <translation>
            <numerusform>Създаден е %n нов клиент.</numerusform>
            <numerusform>Създадени са %n нови клиенти.</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <location filename="../../app/ui/import_wizard.py" line="225"/>
        <source>%n client(s) merged into existing ones.</source>
        <translation>
            <numerusform>%n клиент е обединен със съществуващ.</numerusform>
            <numerusform>%n клиенти са обединени със съществуващи.</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <location filename="../../app/ui/import_wizard.py" line="227"/>
        <source>%n duplicate(s) skipped.</source>
        <translation>
            <numerusform>Пропуснат е %n дубликат.</numerusform>
            <numerusform>Пропуснати са %n дубликата.</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <location filename="../../app/ui/import_wizard.py" line="230"/>
        <source>%n purchase(s) added.</source>
        <translation>
            <numerusform>Добавена е %n покупка.</numerusform>
            <numerusform>Добавени са %n покупки.</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <location filename="../../app/ui/import_wizard.py" line="233"/>
        <source>%n purchase(s) had been imported before and were left out.</source>
        <translation>
            <numerusform>%n покупка вече е била импортирана и е пропусната.</numerusform>
            <numerusform>%n покупки вече са били импортирани и са пропуснати.</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <location filename="../../app/ui/import_wizard.py" line="236"/>
        <source>%n purchase(s) of unknown clients skipped.</source>
        <translation>
            <numerusform>Пропусната е %n покупка на непознат клиент.</numerusform>
            <numerusform>Пропуснати са %n покупки на непознати клиенти.</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <location filename="../../app/ui/import_wizard.py" line="238"/>
        <source>%n row(s) rejected.</source>
        <translation>
            <numerusform>Отхвърлен е %n ред.</numerusform>
            <numerusform>Отхвърлени са %n реда.</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <location filename="../../app/ui/import_wizard.py" line="240"/>
        <source>Marketing consent recorded for %n client(s), in the consent log with its source and date.</source>
        <translation>
            <numerusform>Съгласието за маркетинг е записано за %n клиент в регистъра на съгласията, с източника и датата.</numerusform>
            <numerusform>Съгласието за маркетинг е записано за %n клиента в регистъра на съгласията, с източника и датата.</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <location filename="../../app/ui/import_wizard.py" line="244"/>
        <source>%n phone number(s) to check: kept as the file gives them and marked ⚠ in the client list and on the card.</source>
        <translation>
            <numerusform>%n телефонен номер за проверка: запазен така, както е във файла, и отбелязан с ⚠ в списъка с клиенти и в картона.</numerusform>
            <numerusform>%n телефонни номера за проверка: запазени така, както са във файла, и отбелязани с ⚠ в списъка с клиенти и в картона.</numerusform>
        </translation>
    </message>
    <message>
        <location filename="../../app/ui/import_wizard.py" line="257"/>
        <source>Choose the file</source>
        <translation>Изберете файла</translation>
    </message>
    <message>
        <location filename="../../app/ui/import_wizard.py" line="258"/>
        <source>A CSV file (from Excel, LibreOffice or another program), an Excel workbook (XLSX) or contacts exported from a phone (vCard).</source>
        <translation>Файл CSV (от Excel, LibreOffice или друга програма), работна книга на Excel (XLSX) или контакти, експортирани от телефон (vCard).</translation>
    </message>
    <message>
        <location filename="../../app/ui/import_wizard.py" line="263"/>
        <source>The file to import</source>
        <translation>Файлът за импортиране</translation>
    </message>
    <message>
        <location filename="../../app/ui/import_wizard.py" line="264"/>
        <source>Choose…</source>
        <translation>Избери…</translation>
    </message>
    <message>
        <location filename="../../app/ui/import_wizard.py" line="271"/>
        <source>Clients</source>
        <translation>Клиенти</translation>
    </message>
    <message>
        <location filename="../../app/ui/import_wizard.py" line="273"/>
        <source>Purchases</source>
        <translation>Покупки</translation>
    </message>
    <message>
        <location filename="../../app/ui/import_wizard.py" line="279"/>
        <source>The file holds</source>
        <translation>Файлът съдържа</translation>
    </message>
    <message>
        <location filename="../../app/ui/import_wizard.py" line="282"/>
        <source>One client a row: name, phone, e-mail, birthday, card number…</source>
        <translation>По един клиент на ред: име, телефон, имейл, рожден ден, номер на карта…</translation>
    </message>
    <message>
        <location filename="../../app/ui/import_wizard.py" line="285"/>
        <source>One purchase a row: date, amount, and the client&apos;s card number, phone or e-mail, so each purchase finds its client.</source>
        <translation>По една покупка на ред: дата, сума и номер на карта, телефон или имейл на клиента, за да може всяка покупка да се свърже с клиента си.</translation>
    </message>
    <message>
        <location filename="../../app/ui/import_wizard.py" line="288"/>
        <source>A vCard file holds contacts, so it is imported as clients.</source>
        <translation>Файлът vCard съдържа контакти, затова се импортира като клиенти.</translation>
    </message>
    <message>
        <location filename="../../app/ui/import_wizard.py" line="297"/>
        <source>File</source>
        <translation>Файл</translation>
    </message>
    <message>
        <location filename="../../app/ui/import_wizard.py" line="302"/>
        <source>Nothing is written until you press Import on the last step; a backup of the database is made just before.</source>
        <translation>Нищо не се записва, докато не натиснете „Импорт“ на последната стъпка; точно преди това се прави резервно копие на базата данни.</translation>
    </message>
    <message>
        <location filename="../../app/ui/import_wizard.py" line="311"/>
        <source>Choose the file to import</source>
        <translation>Изберете файла за импортиране</translation>
    </message>
    <message>
        <location filename="../../app/ui/import_wizard.py" line="312"/>
        <source>Tables and contacts (*.csv *.txt *.xlsx *.vcf);;CSV table (*.csv *.txt);;Excel workbook (*.xlsx);;vCard contacts (*.vcf)</source>
        <translation>Таблици и контакти (*.csv *.txt *.xlsx *.vcf);;Таблица CSV (*.csv *.txt);;Работна книга на Excel (*.xlsx);;Контакти vCard (*.vcf)</translation>
    </message>
    <message>
        <location filename="../../app/ui/import_wizard.py" line="337"/>
        <source>Choose the file to import.</source>
        <translation>Изберете файла за импортиране.</translation>
    </message>
    <message>
        <location filename="../../app/ui/import_wizard.py" line="360"/>
        <location filename="../../app/ui/import_wizard.py" line="1215"/>
        <source>Reading the file…</source>
        <extracomment>the work running on the database executor for this wizard (one at a time) how the file is read: the encoding the user chose (None: as found), and the country phones without a country code are numbers of, for this file</extracomment>
        <translation>Четене на файла…</translation>
    </message>
    <message>
        <location filename="../../app/ui/import_wizard.py" line="397"/>
        <source>Match the columns</source>
        <translation>Съпоставете колоните</translation>
    </message>
    <message>
        <location filename="../../app/ui/import_wizard.py" line="398"/>
        <source>Say which column goes into which field. A column left “not imported” is ignored; each field can be filled by one column.</source>
        <translation>Посочете в кое поле отива всяка колона. Колона, оставена на „не се импортира“, се пропуска; всяко поле може да се попълни само от една колона.</translation>
    </message>
    <message>
        <location filename="../../app/ui/import_wizard.py" line="407"/>
        <source>Encoding</source>
        <translation>Кодировка</translation>
    </message>
    <message>
        <location filename="../../app/ui/import_wizard.py" line="412"/>
        <source>Headings on row</source>
        <translation>Заглавия на ред</translation>
    </message>
    <message>
        <location filename="../../app/ui/import_wizard.py" line="425"/>
        <source>Column in the file</source>
        <translation>Колона във файла</translation>
    </message>
    <message>
        <location filename="../../app/ui/import_wizard.py" line="426"/>
        <source>Example 1</source>
        <translation>Пример 1</translation>
    </message>
    <message>
        <location filename="../../app/ui/import_wizard.py" line="427"/>
        <source>Example 2</source>
        <translation>Пример 2</translation>
    </message>
    <message>
        <location filename="../../app/ui/import_wizard.py" line="428"/>
        <source>Example 3</source>
        <translation>Пример 3</translation>
    </message>
    <message>
        <location filename="../../app/ui/import_wizard.py" line="429"/>
        <source>Imported as</source>
        <translation>Импортира се като</translation>
    </message>
    <message>
        <location filename="../../app/ui/import_wizard.py" line="459"/>
        <source>Found: %1</source>
        <translation>Разпозната: %1</translation>
    </message>
    <message>
        <location filename="../../app/ui/import_wizard.py" line="489"/>
        <source>Clients need a name (whole, or first and last name).</source>
        <translation>Клиентите трябва да имат име (пълно или име и фамилия).</translation>
    </message>
    <message>
        <location filename="../../app/ui/import_wizard.py" line="491"/>
        <source>Purchases need a date, an amount, and the client&apos;s card number, phone or e-mail.</source>
        <translation>Покупките трябва да имат дата, сума и номер на карта, телефон или имейл на клиента.</translation>
    </message>
    <message>
        <location filename="../../app/ui/import_wizard.py" line="510"/>
        <source>(column %1, no heading)</source>
        <translation>(колона %1, без заглавие)</translation>
    </message>
    <message>
        <location filename="../../app/ui/import_wizard.py" line="562"/>
        <source>Choose the column with the client&apos;s name (or the columns with the first and the last name).</source>
        <translation>Изберете колоната с името на клиента (или колоните с името и фамилията).</translation>
    </message>
    <message>
        <location filename="../../app/ui/import_wizard.py" line="569"/>
        <source>Choose the columns of the purchase&apos;s date and amount. Missing: %1</source>
        <translation>Изберете колоните с датата и сумата на покупката. Липсват: %1</translation>
    </message>
    <message numerus="yes">
        <location filename="../../app/ui/import_wizard.py" line="586"/>
        <source>%n client(s) of this file will be marked as agreeing to marketing messages, with the consent given on %1 and its source “%2” kept in the consent log. Import the file with this consent?</source>
        <translation>
            <numerusform>%n клиент от този файл ще бъде отбелязан като съгласен да получава маркетингови съобщения; в регистъра на съгласията ще се запишат съгласието, дадено на %1, и източникът му „%2“. Да се импортира ли файлът с това съгласие?</numerusform>
            <numerusform>%n клиента от този файл ще бъдат отбелязани като съгласни да получават маркетингови съобщения; в регистъра на съгласията ще се запишат съгласието, дадено на %1, и източникът му „%2“. Да се импортира ли файлът с това съгласие?</numerusform>
        </translation>
    </message>
    <message>
        <location filename="../../app/ui/import_wizard.py" line="595"/>
        <source>Marketing consent for the whole file</source>
        <translation>Съгласие за маркетинг за целия файл</translation>
    </message>
    <message>
        <location filename="../../app/ui/import_wizard.py" line="600"/>
        <source>Import with consent</source>
        <translation>Импортиране със съгласие</translation>
    </message>
    <message>
        <location filename="../../app/ui/import_wizard.py" line="601"/>
        <source>Go back</source>
        <translation>Назад</translation>
    </message>
    <message>
        <location filename="../../app/ui/import_wizard.py" line="612"/>
        <source>Record marketing consent for every client of this file</source>
        <translation>Записване на съгласие за маркетинг за всеки клиент от този файл</translation>
    </message>
    <message>
        <location filename="../../app/ui/import_wizard.py" line="618"/>
        <source>e.g. signed forms at the reception, the online shop&apos;s checkbox</source>
        <translation>напр. подписани формуляри на рецепцията, отметката в онлайн магазина</translation>
    </message>
    <message>
        <location filename="../../app/ui/import_wizard.py" line="629"/>
        <source>Where it comes from</source>
        <translation>Откъде е</translation>
    </message>
    <message>
        <location filename="../../app/ui/import_wizard.py" line="634"/>
        <source>Given on</source>
        <translation>Дадено на</translation>
    </message>
    <message>
        <location filename="../../app/ui/import_wizard.py" line="653"/>
        <source>The file&apos;s column “%1” wins: a row that says yes or no there keeps its own answer; the rows left empty get this consent.</source>
        <translation>Решава колоната „%1“ от файла: ред, в който пише да или не, запазва своя отговор; празните редове получават това съгласие.</translation>
    </message>
    <message>
        <location filename="../../app/ui/import_wizard.py" line="657"/>
        <source>A consent column in the file would win: a row that says yes or no keeps its own answer.</source>
        <translation>Колона за съгласие във файла би имала предимство: ред с отговор да или не запазва своя отговор.</translation>
    </message>
    <message>
        <location filename="../../app/ui/import_wizard.py" line="660"/>
        <source>A client already in ClientCare who withdrew consent on or after that day stays withdrawn.</source>
        <translation>Клиент, който вече е в ClientCare и е оттеглил съгласието си на този ден или по-късно, остава без съгласие.</translation>
    </message>
    <message>
        <location filename="../../app/ui/import_wizard.py" line="701"/>
        <source>Check before importing</source>
        <translation>Проверка преди импортиране</translation>
    </message>
    <message>
        <location filename="../../app/ui/import_wizard.py" line="702"/>
        <source>Nothing has been written yet. Rejected rows are left out; fix them in the file and import it again later (rows already imported are not added twice).</source>
        <translation>Все още нищо не е записано. Отхвърлените редове се пропускат; поправете ги във файла и го импортирайте отново по-късно (вече импортираните редове не се добавят повторно).</translation>
    </message>
    <message>
        <location filename="../../app/ui/import_wizard.py" line="708"/>
        <location filename="../../app/ui/import_wizard.py" line="1095"/>
        <source>Import</source>
        <extracomment>items freed per turn of the event loop when the wizard lets go of a file&apos;s rows</extracomment>
        <translation>Импорт</translation>
    </message>
    <message>
        <location filename="../../app/ui/import_wizard.py" line="716"/>
        <source>Rows that cannot be imported</source>
        <translation>Редове, които не могат да бъдат импортирани</translation>
    </message>
    <message>
        <location filename="../../app/ui/import_wizard.py" line="717"/>
        <location filename="../../app/ui/import_wizard.py" line="743"/>
        <location filename="../../app/ui/import_wizard.py" line="768"/>
        <location filename="../../app/ui/import_wizard.py" line="973"/>
        <source>Row</source>
        <translation>Ред</translation>
    </message>
    <message>
        <location filename="../../app/ui/import_wizard.py" line="718"/>
        <location filename="../../app/ui/import_wizard.py" line="769"/>
        <location filename="../../app/ui/import_wizard.py" line="974"/>
        <source>Column</source>
        <translation>Колона</translation>
    </message>
    <message>
        <location filename="../../app/ui/import_wizard.py" line="719"/>
        <location filename="../../app/ui/import_wizard.py" line="975"/>
        <source>Problem</source>
        <translation>Проблем</translation>
    </message>
    <message>
        <location filename="../../app/ui/import_wizard.py" line="720"/>
        <location filename="../../app/ui/import_wizard.py" line="976"/>
        <source>Value</source>
        <translation>Стойност</translation>
    </message>
    <message>
        <location filename="../../app/ui/import_wizard.py" line="729"/>
        <source>Save the report…</source>
        <translation>Запази отчета…</translation>
    </message>
    <message>
        <location filename="../../app/ui/import_wizard.py" line="736"/>
        <source>Save the list to fix the rows in the file.</source>
        <translation>Запазете списъка, за да поправите редовете във файла.</translation>
    </message>
    <message>
        <location filename="../../app/ui/import_wizard.py" line="742"/>
        <source>Already in ClientCare</source>
        <translation>Вече са в ClientCare</translation>
    </message>
    <message>
        <location filename="../../app/ui/import_wizard.py" line="744"/>
        <source>In the file</source>
        <translation>Във файла</translation>
    </message>
    <message>
        <location filename="../../app/ui/import_wizard.py" line="745"/>
        <source>Already there as</source>
        <translation>Вече съществува като</translation>
    </message>
    <message>
        <location filename="../../app/ui/import_wizard.py" line="746"/>
        <source>Same</source>
        <translation>Съвпада</translation>
    </message>
    <message>
        <location filename="../../app/ui/import_wizard.py" line="747"/>
        <source>What to do</source>
        <translation>Действие</translation>
    </message>
    <message>
        <location filename="../../app/ui/import_wizard.py" line="761"/>
        <source>Merge fills the existing client&apos;s empty fields (phone, e-mail, card number, birthday) and adds the notes; nothing already there is overwritten.</source>
        <translation>Обединяването попълва празните полета на съществуващия клиент (телефон, имейл, номер на карта, рожден ден) и добавя бележките; нищо от вече въведеното не се презаписва.</translation>
    </message>
    <message>
        <location filename="../../app/ui/import_wizard.py" line="766"/>
        <source>Phone numbers to check</source>
        <translation>Телефонни номера за проверка</translation>
    </message>
    <message>
        <location filename="../../app/ui/import_wizard.py" line="770"/>
        <source>Number as in the file</source>
        <translation>Номер както е във файла</translation>
    </message>
    <message>
        <location filename="../../app/ui/import_wizard.py" line="792"/>
        <source>Create clients who are not in ClientCare yet</source>
        <translation>Създай клиентите, които още не са в ClientCare</translation>
    </message>
    <message>
        <location filename="../../app/ui/import_wizard.py" line="795"/>
        <source>Otherwise the purchases of clients ClientCare does not know are skipped.</source>
        <translation>В противен случай покупките на клиенти, непознати за ClientCare, се пропускат.</translation>
    </message>
    <message>
        <location filename="../../app/ui/import_wizard.py" line="825"/>
        <location filename="../../app/ui/import_wizard.py" line="851"/>
        <source>Checking the rows of the file…</source>
        <translation>Проверка на редовете на файла…</translation>
    </message>
    <message>
        <location filename="../../app/ui/import_wizard.py" line="847"/>
        <source>Checking was stopped. Press Back and Next to check the file again.</source>
        <translation>Проверката беше спряна. Натиснете „Назад“ и „Напред“, за да проверите файла отново.</translation>
    </message>
    <message>
        <location filename="../../app/ui/import_wizard.py" line="878"/>
        <source>%1 (earlier in this file)</source>
        <translation>%1 (по-горе в този файл)</translation>
    </message>
    <message>
        <location filename="../../app/ui/import_wizard.py" line="919"/>
        <source>These clients are imported; their numbers are not valid phone numbers of %1, so each is kept as the file gives it and marked ⚠ “check this number” in the client list and on the card.</source>
        <translation>Тези клиенти се внасят. Номерата им не са валидни телефонни номера за %1, затова всеки се запазва така, както е във файла, и се отбелязва с ⚠ „проверете този номер“ в списъка с клиенти и в картона.</translation>
    </message>
    <message>
        <location filename="../../app/ui/import_wizard.py" line="927"/>
        <source>Most phones of this file (%1 of %2) are not numbers of %3, but they are numbers of %4.</source>
        <translation>Повечето телефони в този файл (%1 от %2) не са номера за %3, а за %4.</translation>
    </message>
    <message>
        <location filename="../../app/ui/import_wizard.py" line="931"/>
        <location filename="../../app/ui/import_wizard.py" line="938"/>
        <source>Read them as numbers of %1</source>
        <translation>Прочети ги като номера за %1</translation>
    </message>
    <message>
        <location filename="../../app/ui/import_wizard.py" line="935"/>
        <source>Phones without a country code are read as numbers of %1 for this file.</source>
        <translation>Телефоните без код на държава в този файл се четат като номера за %1.</translation>
    </message>
    <message>
        <location filename="../../app/ui/import_wizard.py" line="960"/>
        <source>Save the report</source>
        <translation>Запазване на отчета</translation>
    </message>
    <message>
        <location filename="../../app/ui/import_wizard.py" line="961"/>
        <source>CSV table (*.csv)</source>
        <translation>Таблица CSV (*.csv)</translation>
    </message>
    <message>
        <location filename="../../app/ui/import_wizard.py" line="1005"/>
        <source>Imported</source>
        <translation>Импортирано</translation>
    </message>
    <message>
        <location filename="../../app/ui/import_wizard.py" line="1006"/>
        <source>The import is finished. The clients and purchases are in ClientCare now.</source>
        <translation>Импортирането завърши. Клиентите и покупките вече са в ClientCare.</translation>
    </message>
    <message>
        <location filename="../../app/ui/import_wizard.py" line="1027"/>
        <source>A backup of the database was made just before: %1</source>
        <translation>Точно преди импортирането е направено резервно копие на базата данни: %1</translation>
    </message>
    <message>
        <location filename="../../app/ui/import_wizard.py" line="1246"/>
        <source>Counting the clients…</source>
        <translation>Преброяване на клиентите…</translation>
    </message>
    <message>
        <location filename="../../app/ui/import_wizard.py" line="1269"/>
        <source>The import was stopped: nothing of it was kept, the clients and purchases are as they were before.</source>
        <translation>Импортът беше спрян: нищо от него не е запазено, клиентите и покупките са такива, каквито бяха преди.</translation>
    </message>
    <message>
        <location filename="../../app/ui/import_wizard.py" line="1272"/>
        <source>Importing…</source>
        <translation>Импортиране…</translation>
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
        <translation>Спри</translation>
    </message>
    <message>
        <location filename="../../app/ui/progress.py" line="44"/>
        <source>Stopping… nothing of this is kept.</source>
        <translation>Спиране… нищо от това няма да бъде запазено.</translation>
    </message>
</context>
<context>
    <name>Labels</name>
    <message>
        <location filename="../../app/ui/labels.py" line="23"/>
        <source>Person</source>
        <translation>Физическо лице</translation>
    </message>
    <message>
        <location filename="../../app/ui/labels.py" line="23"/>
        <source>Company</source>
        <translation>Фирма</translation>
    </message>
    <message>
        <location filename="../../app/ui/labels.py" line="28"/>
        <source>Any</source>
        <translation>Без значение</translation>
    </message>
    <message>
        <location filename="../../app/ui/labels.py" line="29"/>
        <source>Phone</source>
        <translation>Телефон</translation>
    </message>
    <message>
        <location filename="../../app/ui/labels.py" line="29"/>
        <source>SMS</source>
        <translation>SMS</translation>
    </message>
    <message>
        <location filename="../../app/ui/labels.py" line="29"/>
        <source>E-mail</source>
        <translation>Имейл</translation>
    </message>
    <message>
        <location filename="../../app/ui/labels.py" line="30"/>
        <source>In person</source>
        <translation>Лично</translation>
    </message>
    <message>
        <location filename="../../app/ui/labels.py" line="30"/>
        <source>Messenger</source>
        <translation>Месинджър</translation>
    </message>
    <message>
        <location filename="../../app/ui/labels.py" line="31"/>
        <source>Letter</source>
        <translation>Писмо</translation>
    </message>
    <message>
        <location filename="../../app/ui/labels.py" line="39"/>
        <source>New</source>
        <translation>Нов</translation>
    </message>
    <message>
        <location filename="../../app/ui/labels.py" line="39"/>
        <location filename="../../app/ui/labels.py" line="57"/>
        <source>Active</source>
        <translation>Активен</translation>
    </message>
    <message>
        <location filename="../../app/ui/labels.py" line="40"/>
        <source>At risk</source>
        <translation>В риск</translation>
    </message>
    <message>
        <location filename="../../app/ui/labels.py" line="40"/>
        <source>Lapsed</source>
        <translation>Отпаднал</translation>
    </message>
    <message>
        <location filename="../../app/ui/labels.py" line="45"/>
        <source>Spouse</source>
        <translation>Съпруг или съпруга</translation>
    </message>
    <message>
        <location filename="../../app/ui/labels.py" line="45"/>
        <source>Partner</source>
        <translation>Партньор</translation>
    </message>
    <message>
        <location filename="../../app/ui/labels.py" line="46"/>
        <source>Child</source>
        <translation>Дете</translation>
    </message>
    <message>
        <location filename="../../app/ui/labels.py" line="46"/>
        <source>Parent</source>
        <translation>Родител</translation>
    </message>
    <message>
        <location filename="../../app/ui/labels.py" line="47"/>
        <source>Sibling</source>
        <translation>Брат/сестра</translation>
    </message>
    <message>
        <location filename="../../app/ui/labels.py" line="47"/>
        <source>Grandchild</source>
        <translation>Внуче</translation>
    </message>
    <message>
        <location filename="../../app/ui/labels.py" line="48"/>
        <source>Other</source>
        <translation>Друго</translation>
    </message>
    <message>
        <location filename="../../app/ui/labels.py" line="52"/>
        <source>Birthday</source>
        <translation>Рожден ден</translation>
    </message>
    <message>
        <location filename="../../app/ui/labels.py" line="52"/>
        <source>Name day</source>
        <translation>Имен ден</translation>
    </message>
    <message>
        <location filename="../../app/ui/labels.py" line="53"/>
        <source>Anniversary</source>
        <translation>Годишнина</translation>
    </message>
    <message>
        <location filename="../../app/ui/labels.py" line="53"/>
        <source>Other date</source>
        <translation>Друга дата</translation>
    </message>
    <message>
        <location filename="../../app/ui/labels.py" line="57"/>
        <source>Frozen</source>
        <translation>Замразен</translation>
    </message>
    <message>
        <location filename="../../app/ui/labels.py" line="58"/>
        <source>Expired</source>
        <translation>Изтекъл</translation>
    </message>
    <message>
        <location filename="../../app/ui/labels.py" line="58"/>
        <source>Renewed</source>
        <translation>Подновен</translation>
    </message>
    <message>
        <location filename="../../app/ui/labels.py" line="59"/>
        <source>Cancelled</source>
        <translation>Анулиран</translation>
    </message>
    <message>
        <location filename="../../app/ui/labels.py" line="63"/>
        <source>Reached</source>
        <translation>Свързахме се</translation>
    </message>
    <message>
        <location filename="../../app/ui/labels.py" line="63"/>
        <source>No answer</source>
        <translation>Няма отговор</translation>
    </message>
    <message>
        <location filename="../../app/ui/labels.py" line="64"/>
        <source>Left a message</source>
        <translation>Оставено съобщение</translation>
    </message>
    <message>
        <location filename="../../app/ui/labels.py" line="65"/>
        <source>Meeting booked</source>
        <translation>Уговорена среща</translation>
    </message>
    <message>
        <location filename="../../app/ui/labels.py" line="66"/>
        <source>Complaint found</source>
        <translation>Установено оплакване</translation>
    </message>
    <message>
        <location filename="../../app/ui/labels.py" line="66"/>
        <source>Declined</source>
        <translation>Отказ</translation>
    </message>
    <message>
        <location filename="../../app/ui/labels.py" line="67"/>
        <source>Wrong number</source>
        <translation>Грешен номер</translation>
    </message>
    <message>
        <location filename="../../app/ui/labels.py" line="68"/>
        <source>Call back later</source>
        <translation>Да се обадим по-късно</translation>
    </message>
    <message>
        <location filename="../../app/ui/labels.py" line="74"/>
        <source>Positive</source>
        <translation>Положителен</translation>
    </message>
    <message>
        <location filename="../../app/ui/labels.py" line="74"/>
        <source>Neutral</source>
        <translation>Неутрален</translation>
    </message>
    <message>
        <location filename="../../app/ui/labels.py" line="75"/>
        <source>Negative</source>
        <translation>Отрицателен</translation>
    </message>
    <message>
        <location filename="../../app/ui/labels.py" line="79"/>
        <source>Follow-up after purchase</source>
        <translation>Обаждане след покупка</translation>
    </message>
    <message>
        <location filename="../../app/ui/labels.py" line="80"/>
        <source>Onboarding check-in</source>
        <translation>Контакт с нов клиент</translation>
    </message>
    <message>
        <location filename="../../app/ui/labels.py" line="80"/>
        <source>Renewal</source>
        <translation>Подновяване</translation>
    </message>
    <message>
        <location filename="../../app/ui/labels.py" line="81"/>
        <source>Personal date</source>
        <translation>Лична дата</translation>
    </message>
    <message>
        <location filename="../../app/ui/labels.py" line="81"/>
        <source>Gift reminder</source>
        <translation>Напомняне за подарък</translation>
    </message>
    <message>
        <location filename="../../app/ui/labels.py" line="82"/>
        <source>Complaint call-back</source>
        <translation>Обаждане по оплакване</translation>
    </message>
    <message>
        <location filename="../../app/ui/labels.py" line="83"/>
        <source>Complaint review</source>
        <translation>Преглед на оплакване</translation>
    </message>
    <message>
        <location filename="../../app/ui/labels.py" line="84"/>
        <source>Win-back</source>
        <translation>Връщане на клиента</translation>
    </message>
    <message>
        <location filename="../../app/ui/labels.py" line="84"/>
        <source>Keep in touch</source>
        <translation>Поддържане на връзка</translation>
    </message>
    <message>
        <location filename="../../app/ui/labels.py" line="85"/>
        <source>Quarterly A/B/C review</source>
        <translation>Тримесечен преглед на групите A/B/C</translation>
    </message>
    <message>
        <location filename="../../app/ui/labels.py" line="86"/>
        <source>Manual</source>
        <translation>Ръчно</translation>
    </message>
    <message>
        <location filename="../../app/ui/labels.py" line="93"/>
        <source>moved: not a working day</source>
        <translation>преместено: неработен ден</translation>
    </message>
    <message>
        <location filename="../../app/ui/labels.py" line="94"/>
        <source>moved: contacted today</source>
        <translation>преместено: днес вече е имало контакт</translation>
    </message>
    <message>
        <location filename="../../app/ui/labels.py" line="95"/>
        <source>moved: contact limit reached</source>
        <translation>преместено: лимит на контактите</translation>
    </message>
    <message>
        <location filename="../../app/ui/labels.py" line="96"/>
        <source>moved: the client&apos;s preferred days</source>
        <translation>преместено: предпочитаните от клиента дни</translation>
    </message>
    <message>
        <location filename="../../app/ui/labels.py" line="97"/>
        <source>moved: no answer</source>
        <translation>преместено: без отговор</translation>
    </message>
    <message>
        <location filename="../../app/ui/labels.py" line="98"/>
        <source>the client asked to call back</source>
        <translation>клиентът помоли да се обадим отново</translation>
    </message>
    <message>
        <location filename="../../app/ui/labels.py" line="99"/>
        <source>snoozed</source>
        <translation>отложено</translation>
    </message>
    <message>
        <location filename="../../app/ui/labels.py" line="100"/>
        <source>rescheduled</source>
        <translation>пренасрочено</translation>
    </message>
    <message>
        <location filename="../../app/ui/labels.py" line="107"/>
        <source>Walked in</source>
        <translation>Дошъл сам</translation>
    </message>
    <message>
        <location filename="../../app/ui/labels.py" line="107"/>
        <source>Referral</source>
        <translation>По препоръка</translation>
    </message>
    <message>
        <location filename="../../app/ui/labels.py" line="109"/>
        <source>Website</source>
        <translation>Уебсайт</translation>
    </message>
    <message>
        <location filename="../../app/ui/labels.py" line="109"/>
        <source>Flyer</source>
        <translation>Листовка</translation>
    </message>
    <message>
        <location filename="../../app/ui/labels.py" line="110"/>
        <source>Phone book</source>
        <translation>Телефонен указател</translation>
    </message>
    <message>
        <location filename="../../app/ui/labels.py" line="117"/>
        <source>Too expensive</source>
        <translation>Твърде скъпо</translation>
    </message>
    <message>
        <location filename="../../app/ui/labels.py" line="117"/>
        <source>No time</source>
        <translation>Няма време</translation>
    </message>
    <message>
        <location filename="../../app/ui/labels.py" line="118"/>
        <source>Moved away</source>
        <translation>Премести се</translation>
    </message>
    <message>
        <location filename="../../app/ui/labels.py" line="119"/>
        <source>Went to a competitor</source>
        <translation>Отиде при конкурент</translation>
    </message>
    <message>
        <location filename="../../app/ui/labels.py" line="120"/>
        <source>Not satisfied</source>
        <translation>Недоволен</translation>
    </message>
    <message>
        <location filename="../../app/ui/labels.py" line="120"/>
        <source>Health</source>
        <translation>Здраве</translation>
    </message>
    <message>
        <location filename="../../app/ui/labels.py" line="121"/>
        <source>Other reason</source>
        <translation>Друга причина</translation>
    </message>
    <message>
        <location filename="../../app/ui/labels.py" line="128"/>
        <source>Refund</source>
        <translation>Възстановяване на сума</translation>
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
        <translation>(само за четене)</translation>
    </message>
    <message>
        <location filename="../../app/ui/main_window.py" line="148"/>
        <source>Clients</source>
        <extracomment>set when the database was found damaged and not restored: no exit backup</extracomment>
        <translation>Клиенти</translation>
    </message>
    <message>
        <location filename="../../app/ui/main_window.py" line="149"/>
        <source>Today</source>
        <translation>Днес</translation>
    </message>
    <message>
        <location filename="../../app/ui/main_window.py" line="150"/>
        <source>Calendar</source>
        <translation>Календар</translation>
    </message>
    <message>
        <location filename="../../app/ui/main_window.py" line="151"/>
        <source>Complaints</source>
        <translation>Оплаквания</translation>
    </message>
    <message>
        <location filename="../../app/ui/main_window.py" line="152"/>
        <source>Charts</source>
        <translation>Графики</translation>
    </message>
    <message>
        <location filename="../../app/ui/main_window.py" line="153"/>
        <source>Settings</source>
        <translation>Настройки</translation>
    </message>
    <message>
        <location filename="../../app/ui/main_window.py" line="159"/>
        <source>%1 (Ctrl+%2)</source>
        <translation>%1 (Ctrl+%2)</translation>
    </message>
    <message>
        <location filename="../../app/ui/main_window.py" line="192"/>
        <source>Read-only: %1</source>
        <translation>Само за четене: %1</translation>
    </message>
    <message>
        <location filename="../../app/ui/main_window.py" line="243"/>
        <source>Signed in: %1 (%2)</source>
        <translation>Влязъл: %1 (%2)</translation>
    </message>
    <message>
        <location filename="../../app/ui/main_window.py" line="246"/>
        <source>The charts are for managers and the owner.</source>
        <translation>Графиките са за мениджърите и собственика.</translation>
    </message>
    <message>
        <location filename="../../app/ui/main_window.py" line="248"/>
        <source>The settings are the owner&apos;s.</source>
        <translation>Настройките се променят от собственика.</translation>
    </message>
    <message>
        <location filename="../../app/ui/main_window.py" line="341"/>
        <source>the file is read-only</source>
        <translation>файлът е само за четене</translation>
    </message>
    <message>
        <location filename="../../app/ui/main_window.py" line="342"/>
        <source>its folder is read-only</source>
        <translation>папката ѝ е само за четене</translation>
    </message>
    <message>
        <location filename="../../app/ui/main_window.py" line="343"/>
        <source>as asked at start</source>
        <translation>както е поискано при стартиране</translation>
    </message>
    <message>
        <location filename="../../app/ui/main_window.py" line="344"/>
        <source>Nothing can be saved: this database is open read-only (%1). You can look and search; no backup is made. To work on it, copy the file to a folder you can write to and open the copy.</source>
        <translation>Нищо не може да се запише: тази база данни е отворена само за четене (%1). Можете да разглеждате и търсите; не се прави резервно копие. За да работите с нея, копирайте файла в папка, в която можете да записвате, и отворете копието.</translation>
    </message>
    <message>
        <location filename="../../app/ui/main_window.py" line="349"/>
        <source>&amp;File</source>
        <translation>&amp;Файл</translation>
    </message>
    <message>
        <location filename="../../app/ui/main_window.py" line="350"/>
        <source>&amp;Back up now</source>
        <translation>&amp;Направи резервно копие сега</translation>
    </message>
    <message>
        <location filename="../../app/ui/main_window.py" line="352"/>
        <source>&amp;Check the database…</source>
        <translation>&amp;Провери базата данни…</translation>
    </message>
    <message>
        <location filename="../../app/ui/main_window.py" line="354"/>
        <source>&amp;Import…</source>
        <translation>И&amp;мпорт…</translation>
    </message>
    <message>
        <location filename="../../app/ui/main_window.py" line="357"/>
        <source>&amp;Export…</source>
        <translation>&amp;Експорт…</translation>
    </message>
    <message>
        <location filename="../../app/ui/main_window.py" line="361"/>
        <source>Change my &amp;password…</source>
        <translation>Смени моята &amp;парола…</translation>
    </message>
    <message>
        <location filename="../../app/ui/main_window.py" line="366"/>
        <source>&amp;Quit</source>
        <translation>&amp;Изход</translation>
    </message>
    <message>
        <location filename="../../app/ui/main_window.py" line="369"/>
        <source>&amp;Clients</source>
        <translation>&amp;Клиенти</translation>
    </message>
    <message>
        <location filename="../../app/ui/main_window.py" line="370"/>
        <source>&amp;New client</source>
        <translation>&amp;Нов клиент</translation>
    </message>
    <message>
        <location filename="../../app/ui/main_window.py" line="374"/>
        <source>&amp;Help</source>
        <translation>&amp;Помощ</translation>
    </message>
    <message>
        <location filename="../../app/ui/main_window.py" line="375"/>
        <source>Check for &amp;updates…</source>
        <translation>Провери за &amp;обновления…</translation>
    </message>
    <message>
        <location filename="../../app/ui/main_window.py" line="378"/>
        <source>&amp;About ClientCare</source>
        <translation>&amp;За ClientCare</translation>
    </message>
    <message>
        <location filename="../../app/ui/main_window.py" line="420"/>
        <source>Backed up to %1</source>
        <translation>Създадено е резервно копие: %1</translation>
    </message>
    <message>
        <location filename="../../app/ui/main_window.py" line="453"/>
        <location filename="../../app/ui/main_window.py" line="489"/>
        <source>Backing up before closing…</source>
        <translation>Създаване на резервно копие преди затваряне…</translation>
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
        <translation>Нова задача</translation>
    </message>
    <message>
        <location filename="../../app/ui/today_page.py" line="1352"/>
        <source>Type a name to pick the client</source>
        <translation>Въведете име, за да изберете клиента</translation>
    </message>
    <message>
        <location filename="../../app/ui/today_page.py" line="1357"/>
        <source>What the call is about</source>
        <translation>За какво е обаждането</translation>
    </message>
    <message>
        <location filename="../../app/ui/today_page.py" line="1360"/>
        <source>Client</source>
        <translation>Клиент</translation>
    </message>
    <message>
        <location filename="../../app/ui/today_page.py" line="1361"/>
        <source>Day</source>
        <translation>Ден</translation>
    </message>
    <message>
        <location filename="../../app/ui/today_page.py" line="1362"/>
        <source>About</source>
        <translation>Тема</translation>
    </message>
    <message>
        <location filename="../../app/ui/today_page.py" line="1376"/>
        <source>Pick the client from the suggestions.</source>
        <translation>Изберете клиента от предложенията.</translation>
    </message>
    <message>
        <location filename="../../app/ui/today_page.py" line="1379"/>
        <source>Say what the call is about.</source>
        <translation>Посочете за какво е обаждането.</translation>
    </message>
</context>
<context>
    <name>MembershipDialog</name>
    <message>
        <location filename="../../app/ui/card_dialogs.py" line="193"/>
        <source>Membership</source>
        <translation>Абонамент</translation>
    </message>
    <message>
        <location filename="../../app/ui/card_dialogs.py" line="196"/>
        <source>Plan</source>
        <translation>План</translation>
    </message>
    <message>
        <location filename="../../app/ui/card_dialogs.py" line="198"/>
        <source>Starts</source>
        <translation>Начало</translation>
    </message>
    <message>
        <location filename="../../app/ui/card_dialogs.py" line="200"/>
        <source>Ends</source>
        <translation>Край</translation>
    </message>
    <message>
        <location filename="../../app/ui/card_dialogs.py" line="206"/>
        <source>Status</source>
        <translation>Статус</translation>
    </message>
    <message>
        <location filename="../../app/ui/card_dialogs.py" line="207"/>
        <source>Frozen from</source>
        <translation>Замразен от</translation>
    </message>
    <message>
        <location filename="../../app/ui/card_dialogs.py" line="209"/>
        <source>Frozen until</source>
        <translation>Замразен до</translation>
    </message>
    <message>
        <location filename="../../app/ui/card_dialogs.py" line="211"/>
        <source>Price</source>
        <translation>Цена</translation>
    </message>
    <message>
        <location filename="../../app/ui/card_dialogs.py" line="213"/>
        <source>Bought on a promotion</source>
        <translation>Закупен с промоция</translation>
    </message>
    <message>
        <location filename="../../app/ui/card_dialogs.py" line="215"/>
        <source>Has a discount</source>
        <translation>С отстъпка</translation>
    </message>
    <message>
        <location filename="../../app/ui/card_dialogs.py" line="217"/>
        <source>Marks</source>
        <translation>Маркери</translation>
    </message>
    <message>
        <location filename="../../app/ui/card_dialogs.py" line="219"/>
        <source>Special conditions</source>
        <translation>Специални условия</translation>
    </message>
    <message>
        <location filename="../../app/ui/card_dialogs.py" line="221"/>
        <source>Note</source>
        <translation>Бележка</translation>
    </message>
</context>
<context>
    <name>MergeDialog</name>
    <message>
        <location filename="../../app/ui/data_dialogs.py" line="469"/>
        <source>Merge two clients</source>
        <translation>Обединяване на двама клиенти</translation>
    </message>
    <message>
        <location filename="../../app/ui/data_dialogs.py" line="473"/>
        <source>Keep which one?</source>
        <translation>Кой запис да се запази?</translation>
    </message>
    <message>
        <location filename="../../app/ui/data_dialogs.py" line="483"/>
        <source>Purchases, memberships, calls, family, dates, complaints and tasks of the other client move to the one you keep; its empty fields take the other&apos;s values, and the other record is removed.</source>
        <translation>Покупките, абонаментите, обажданията, семейството, датите, оплакванията и задачите на другия клиент се прехвърлят към записа, който запазвате; празните му полета получават стойностите от другия запис, а другият запис се изтрива.</translation>
    </message>
</context>
<context>
    <name>MessageDialog</name>
    <message numerus="yes">
        <location filename="../../app/ui/message_dialog.py" line="71"/>
        <source>%Ln character(s)</source>
        <translation>
            <numerusform>%Ln знак</numerusform>
            <numerusform>%Ln знака</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <location filename="../../app/ui/message_dialog.py" line="72"/>
        <source>%Ln message(s)</source>
        <translation>
            <numerusform>%Ln съобщение</numerusform>
            <numerusform>%Ln съобщения</numerusform>
        </translation>
    </message>
    <message>
        <location filename="../../app/ui/message_dialog.py" line="105"/>
        <source>Send a message</source>
        <translation>Изпращане на съобщение</translation>
    </message>
    <message>
        <location filename="../../app/ui/message_dialog.py" line="145"/>
        <source>Client</source>
        <translation>Клиент</translation>
    </message>
    <message>
        <location filename="../../app/ui/message_dialog.py" line="146"/>
        <source>Send by</source>
        <translation>Изпрати чрез</translation>
    </message>
    <message>
        <location filename="../../app/ui/message_dialog.py" line="147"/>
        <source>To</source>
        <translation>До</translation>
    </message>
    <message>
        <location filename="../../app/ui/message_dialog.py" line="148"/>
        <source>Message</source>
        <translation>Съобщение</translation>
    </message>
    <message>
        <location filename="../../app/ui/message_dialog.py" line="149"/>
        <source>Language</source>
        <translation>Език</translation>
    </message>
    <message>
        <location filename="../../app/ui/message_dialog.py" line="150"/>
        <source>Subject</source>
        <translation>Тема</translation>
    </message>
    <message>
        <location filename="../../app/ui/message_dialog.py" line="152"/>
        <source>Text</source>
        <translation>Текст</translation>
    </message>
    <message>
        <location filename="../../app/ui/message_dialog.py" line="155"/>
        <source>Send</source>
        <translation>Изпрати</translation>
    </message>
    <message>
        <location filename="../../app/ui/message_dialog.py" line="213"/>
        <source>(no address)</source>
        <translation>(няма адрес)</translation>
    </message>
    <message>
        <location filename="../../app/ui/message_dialog.py" line="219"/>
        <source>Send asks you to confirm.</source>
        <translation>Преди изпращане ще бъдете попитани за потвърждение.</translation>
    </message>
    <message>
        <location filename="../../app/ui/message_dialog.py" line="235"/>
        <source>Outside the client&apos;s hours</source>
        <translation>Извън часовете на клиента</translation>
    </message>
    <message>
        <location filename="../../app/ui/message_dialog.py" line="236"/>
        <source>Send the SMS now anyway?</source>
        <translation>Да се изпрати ли SMS сега въпреки това?</translation>
    </message>
    <message>
        <location filename="../../app/ui/message_dialog.py" line="247"/>
        <source>Sending the message</source>
        <translation>Изпращане на съобщението</translation>
    </message>
    <message>
        <location filename="../../app/ui/message_dialog.py" line="256"/>
        <source>Sending the message again</source>
        <translation>Повторно изпращане на съобщението</translation>
    </message>
    <message>
        <location filename="../../app/ui/message_dialog.py" line="281"/>
        <source>Try again</source>
        <translation>Опитай отново</translation>
    </message>
    <message>
        <location filename="../../app/ui/message_dialog.py" line="283"/>
        <source>The message is kept as not sent: try again now, or later from the client&apos;s card.</source>
        <translation>Съобщението е запазено като неизпратено: опитайте отново сега или по-късно от картона на клиента.</translation>
    </message>
    <message numerus="yes">
        <location filename="../../app/ui/message_dialog.py" line="402"/>
        <source>%n message(s) sent.</source>
        <translation>
            <numerusform>Изпратено е %n съобщение.</numerusform>
            <numerusform>Изпратени са %n съобщения.</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <location filename="../../app/ui/message_dialog.py" line="404"/>
        <source>%n not sent: kept on the client&apos;s card to send again.</source>
        <translation>
            <numerusform>%n неизпратено: остава в картона на клиента за повторно изпращане.</numerusform>
            <numerusform>%n неизпратени: остават в картона на клиента за повторно изпращане.</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <location filename="../../app/ui/message_dialog.py" line="407"/>
        <source>%n refused.</source>
        <translation>
            <numerusform>%n отказано.</numerusform>
            <numerusform>%n отказани.</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>Messages</name>
    <message>
        <location filename="../../app/ui/messages.py" line="13"/>
        <source>Please enter a name.</source>
        <translation>Въведете име.</translation>
    </message>
    <message>
        <location filename="../../app/ui/messages.py" line="14"/>
        <source>This is too long (at most {maximum} characters).</source>
        <translation>Текстът е твърде дълъг (най-много {maximum} знака).</translation>
    </message>
    <message>
        <location filename="../../app/ui/messages.py" line="15"/>
        <source>“{value}” is not a valid phone number.</source>
        <translation>„{value}“ не е валиден телефонен номер.</translation>
    </message>
    <message>
        <location filename="../../app/ui/messages.py" line="16"/>
        <source>“{value}” is not a valid e-mail address.</source>
        <translation>„{value}“ не е валиден имейл адрес.</translation>
    </message>
    <message>
        <location filename="../../app/ui/messages.py" line="17"/>
        <source>Please enter an amount.</source>
        <translation>Въведете сума.</translation>
    </message>
    <message>
        <location filename="../../app/ui/messages.py" line="18"/>
        <source>“{value}” is not an amount.</source>
        <translation>„{value}“ не е сума.</translation>
    </message>
    <message>
        <location filename="../../app/ui/messages.py" line="19"/>
        <source>The amount cannot be negative.</source>
        <translation>Сумата не може да бъде отрицателна.</translation>
    </message>
    <message>
        <location filename="../../app/ui/messages.py" line="20"/>
        <source>Use at most two decimal places.</source>
        <translation>Използвайте най-много два знака след десетичната запетая.</translation>
    </message>
    <message>
        <location filename="../../app/ui/messages.py" line="21"/>
        <source>The amount is too large.</source>
        <translation>Сумата е твърде голяма.</translation>
    </message>
    <message>
        <location filename="../../app/ui/messages.py" line="22"/>
        <source>The quantity must be more than zero.</source>
        <translation>Количеството трябва да е по-голямо от нула.</translation>
    </message>
    <message>
        <location filename="../../app/ui/messages.py" line="23"/>
        <source>Please enter a date.</source>
        <translation>Въведете дата.</translation>
    </message>
    <message>
        <location filename="../../app/ui/messages.py" line="24"/>
        <source>A purchase cannot be dated in the future.</source>
        <translation>Датата на покупката не може да е в бъдещето.</translation>
    </message>
    <message>
        <location filename="../../app/ui/messages.py" line="25"/>
        <source>This is not a valid date.</source>
        <translation>Това не е валидна дата.</translation>
    </message>
    <message>
        <location filename="../../app/ui/messages.py" line="26"/>
        <source>This date is after today; confirm it to save the purchase.</source>
        <translation>Тази дата е след днешната; потвърдете я, за да запишете покупката.</translation>
    </message>
    <message>
        <location filename="../../app/ui/messages.py" line="27"/>
        <source>The freeze must start while the membership runs.</source>
        <translation>Замразяването трябва да започне, докато абонаментът е активен.</translation>
    </message>
    <message>
        <location filename="../../app/ui/messages.py" line="28"/>
        <source>This line is the price of the membership “{plan}”: change it on the Memberships tab.</source>
        <translation>Този ред е цената на абонамента „{plan}“: променете я в раздела „Абонаменти“.</translation>
    </message>
    <message>
        <location filename="../../app/ui/messages.py" line="29"/>
        <source>Write the year with four digits.</source>
        <translation>Въведете годината с четири цифри.</translation>
    </message>
    <message>
        <location filename="../../app/ui/messages.py" line="30"/>
        <source>Choose {minimum} or a later day.</source>
        <translation>Изберете {minimum} или по-късен ден.</translation>
    </message>
    <message>
        <location filename="../../app/ui/messages.py" line="31"/>
        <source>The year cannot be in the future.</source>
        <translation>Годината не може да е в бъдещето.</translation>
    </message>
    <message>
        <location filename="../../app/ui/messages.py" line="32"/>
        <source>Read as {value}. If that is right, confirm again.</source>
        <translation>Прочетено като {value}. Ако е вярно, потвърдете отново.</translation>
    </message>
    <message>
        <location filename="../../app/ui/messages.py" line="33"/>
        <source>The year must be between 1900 and 2100.</source>
        <translation>Годината трябва да е между 1900 и 2100.</translation>
    </message>
    <message>
        <location filename="../../app/ui/messages.py" line="34"/>
        <source>The relative of this date was removed.</source>
        <translation>Роднината, за когото е тази дата, е премахнат.</translation>
    </message>
    <message>
        <location filename="../../app/ui/messages.py" line="35"/>
        <source>Gift reminder days must be between 0 and 60.</source>
        <translation>Дните за напомняне за подарък трябва да са между 0 и 60.</translation>
    </message>
    <message>
        <location filename="../../app/ui/messages.py" line="36"/>
        <source>Give both the start and the end of the hours.</source>
        <translation>Посочете както началния, така и крайния час.</translation>
    </message>
    <message>
        <location filename="../../app/ui/messages.py" line="37"/>
        <source>The hours must start before they end.</source>
        <translation>Началният час трябва да е преди крайния.</translation>
    </message>
    <message>
        <location filename="../../app/ui/messages.py" line="38"/>
        <source>Give the date the client gave consent.</source>
        <translation>Посочете датата, на която клиентът е дал съгласие.</translation>
    </message>
    <message>
        <location filename="../../app/ui/messages.py" line="39"/>
        <source>Consent cannot be given after today.</source>
        <translation>Съгласието не може да е дадено след днешния ден.</translation>
    </message>
    <message>
        <location filename="../../app/ui/messages.py" line="40"/>
        <source>Say where the consent comes from, e.g. signed forms at the reception.</source>
        <translation>Посочете откъде е съгласието, напр. подписани формуляри на рецепцията.</translation>
    </message>
    <message>
        <location filename="../../app/ui/messages.py" line="41"/>
        <source>Consent for a whole file can be recorded for a file of clients only.</source>
        <translation>Съгласие за целия файл може да се запише само за файл с клиенти.</translation>
    </message>
    <message>
        <location filename="../../app/ui/messages.py" line="42"/>
        <source>A client cannot refer themselves.</source>
        <translation>Клиентът не може да препоръча сам себе си.</translation>
    </message>
    <message>
        <location filename="../../app/ui/messages.py" line="43"/>
        <source>The referring client no longer exists.</source>
        <translation>Препоръчалият клиент вече не съществува.</translation>
    </message>
    <message>
        <location filename="../../app/ui/messages.py" line="44"/>
        <source>The number “{value}” already belongs to another client.</source>
        <translation>Номер „{value}“ вече принадлежи на друг клиент.</translation>
    </message>
    <message>
        <location filename="../../app/ui/messages.py" line="45"/>
        <source>Please enter the plan&apos;s name.</source>
        <translation>Въведете името на плана.</translation>
    </message>
    <message>
        <location filename="../../app/ui/messages.py" line="46"/>
        <source>The membership ends before it starts.</source>
        <translation>Абонаментът изтича, преди да е започнал.</translation>
    </message>
    <message>
        <location filename="../../app/ui/messages.py" line="47"/>
        <source>Give both the first and the last frozen day.</source>
        <translation>Посочете първия и последния ден на замразяването.</translation>
    </message>
    <message>
        <location filename="../../app/ui/messages.py" line="48"/>
        <source>The freeze ends before it starts.</source>
        <translation>Замразяването приключва, преди да е започнало.</translation>
    </message>
    <message>
        <location filename="../../app/ui/messages.py" line="49"/>
        <source>A frozen membership needs its frozen days.</source>
        <translation>За замразен абонамент посочете дните на замразяване.</translation>
    </message>
    <message>
        <location filename="../../app/ui/messages.py" line="50"/>
        <source>This value has the wrong form.</source>
        <translation>Стойността е в грешен формат.</translation>
    </message>
    <message>
        <location filename="../../app/ui/messages.py" line="51"/>
        <source>The value must be at least {minimum}.</source>
        <translation>Стойността трябва да е поне {minimum}.</translation>
    </message>
    <message>
        <location filename="../../app/ui/messages.py" line="52"/>
        <source>The value must be at most {maximum}.</source>
        <translation>Стойността трябва да е най-много {maximum}.</translation>
    </message>
    <message>
        <location filename="../../app/ui/messages.py" line="53"/>
        <source>A currency is a three-letter code such as PLN or EUR.</source>
        <translation>Валутата е трибуквен код, например PLN или EUR.</translation>
    </message>
    <message>
        <location filename="../../app/ui/messages.py" line="54"/>
        <source>This client no longer exists.</source>
        <translation>Този клиент вече не съществува.</translation>
    </message>
    <message>
        <location filename="../../app/ui/messages.py" line="57"/>
        <source>The file “{path}” cannot be written: {detail}</source>
        <translation>Файлът „{path}“ не може да бъде записан: {detail}</translation>
    </message>
    <message>
        <location filename="../../app/ui/messages.py" line="59"/>
        <source>“{path}” is a folder, not a database file.</source>
        <translation>„{path}“ е папка, а не файл на база данни.</translation>
    </message>
    <message>
        <location filename="../../app/ui/messages.py" line="60"/>
        <source>ClientCare may not read “{path}”. Check the file&apos;s permissions.</source>
        <translation>ClientCare няма право да чете „{path}“. Проверете правата за достъп до файла.</translation>
    </message>
    <message>
        <location filename="../../app/ui/messages.py" line="61"/>
        <source>The database “{path}” cannot be read or written: {detail}</source>
        <translation>Базата данни „{path}“ не може да бъде прочетена или записана: {detail}</translation>
    </message>
    <message>
        <location filename="../../app/ui/messages.py" line="62"/>
        <source>“{path}” is not a ClientCare database. Nothing was changed in it.</source>
        <translation>„{path}“ не е база данни на ClientCare. Нищо в него не е променено.</translation>
    </message>
    <message>
        <location filename="../../app/ui/messages.py" line="63"/>
        <source>“{path}” is a database of another program. Nothing was changed in it.</source>
        <translation>„{path}“ е база данни на друга програма. Нищо в нея не е променено.</translation>
    </message>
    <message>
        <location filename="../../app/ui/messages.py" line="65"/>
        <source>The database “{path}” is damaged and was not opened. Nothing was changed in it. Restore a backup or contact support. ({detail})</source>
        <translation>Базата данни „{path}“ е повредена и не беше отворена. Нищо в нея не е променено. Възстановете резервно копие или се свържете с поддръжката. ({detail})</translation>
    </message>
    <message>
        <location filename="../../app/ui/messages.py" line="68"/>
        <source>“{path}” was saved by a newer version of ClientCare. Please install the newer version to open it.</source>
        <translation>„{path}“ е записан с по-нова версия на ClientCare. Инсталирайте по-новата версия, за да го отворите.</translation>
    </message>
    <message>
        <location filename="../../app/ui/messages.py" line="70"/>
        <source>The database “{path}” is in use by another program. Close it and try again.</source>
        <translation>Базата данни „{path}“ се използва от друга програма. Затворете я и опитайте отново.</translation>
    </message>
    <message>
        <location filename="../../app/ui/messages.py" line="72"/>
        <source>The database “{path}” cannot be written (read-only folder or file). Nothing was changed.</source>
        <translation>Базата данни „{path}“ не може да бъде записана (папката или файлът са само за четене). Нищо не е променено.</translation>
    </message>
    <message>
        <location filename="../../app/ui/messages.py" line="74"/>
        <source>The folder “{path}” cannot be created: {detail}</source>
        <translation>Папката „{path}“ не може да бъде създадена: {detail}</translation>
    </message>
    <message>
        <location filename="../../app/ui/messages.py" line="75"/>
        <source>The database “{path}” cannot be opened: its folder may be read-only or its drive disconnected. Nothing was changed. Choose another folder for the database or reconnect the drive.</source>
        <translation>Базата данни „{path}“ не може да бъде отворена: папката ѝ може да е само за четене или дискът да е изключен. Нищо не е променено. Изберете друга папка за базата данни или свържете отново диска.</translation>
    </message>
    <message>
        <location filename="../../app/ui/messages.py" line="76"/>
        <source>The database “{path}” was left in the middle of a save by a program that stopped. Open it in ClientCare, which finishes the recovery, then check it again. Nothing was changed.</source>
        <translation>Базата данни „{path}“ е оставена по средата на запис от програма, която е спряла. Отворете я в ClientCare, който ще довърши възстановяването, след това я проверете отново. Нищо не е променено.</translation>
    </message>
    <message>
        <location filename="../../app/ui/messages.py" line="77"/>
        <source>This database is open read-only: nothing was saved.</source>
        <translation>Тази база данни е отворена само за четене: нищо не е записано.</translation>
    </message>
    <message>
        <location filename="../../app/ui/messages.py" line="78"/>
        <source>The database is being put back from a backup. Wait until that is done, then try again; nothing was saved.</source>
        <translation>Базата данни в момента се възстановява от резервно копие. Изчакайте да приключи и опитайте отново; нищо не е записано.</translation>
    </message>
    <message>
        <location filename="../../app/ui/messages.py" line="79"/>
        <source>“{path}” was saved by an older version of ClientCare and must be updated before it can be opened. An update writes to the file, which cannot be done read-only. Copy it to a folder you can write to and open the copy. Nothing was changed.</source>
        <translation>„{path}“ е записан от по-стара версия на ClientCare и трябва да бъде обновен, преди да се отвори. Обновяването записва във файла, а това не може да стане само за четене. Копирайте го в папка, в която можете да записвате, и отворете копието. Нищо не е променено.</translation>
    </message>
    <message>
        <location filename="../../app/ui/messages.py" line="80"/>
        <source>“{path}” still holds data that was erased at a person&apos;s request (it is an older copy of the database). It cannot be opened read-only, because the erasure cannot be applied again without writing. Copy it to a folder you can write to and open the copy: the erasure is then applied again. Nothing was changed.</source>
        <translation>„{path}“ все още съдържа данни, изтрити по желание на човека (това е по-старо копие на базата данни). Не може да се отвори само за четене, защото изтриването не може да се приложи отново без запис. Копирайте го в папка, в която можете да записвате, и отворете копието: тогава изтриването се прилага отново. Нищо не е променено.</translation>
    </message>
    <message>
        <location filename="../../app/ui/messages.py" line="81"/>
        <source>“{path}” already exists; choose another name. Nothing was replaced.</source>
        <translation>„{path}“ вече съществува; изберете друго име. Нищо не е заменено.</translation>
    </message>
    <message>
        <location filename="../../app/ui/messages.py" line="82"/>
        <source>The database could not be copied to “{path}”: {detail}. Nothing was changed.</source>
        <translation>Базата данни не можа да се копира в „{path}“: {detail}. Нищо не е променено.</translation>
    </message>
    <message>
        <location filename="../../app/ui/messages.py" line="83"/>
        <source>The database “{path}” does not exist.</source>
        <translation>Базата данни „{path}“ не съществува.</translation>
    </message>
    <message>
        <location filename="../../app/ui/messages.py" line="84"/>
        <source>The database is busy in another program; your change was not saved. Please try again in a moment.</source>
        <translation>Базата данни е заета от друга програма; промяната не е запазена. Опитайте отново след малко.</translation>
    </message>
    <message>
        <location filename="../../app/ui/messages.py" line="86"/>
        <source>The database cannot be written (read-only). Your change was not saved.</source>
        <translation>Базата данни не може да бъде записана (само за четене). Промяната не е запазена.</translation>
    </message>
    <message>
        <location filename="../../app/ui/messages.py" line="88"/>
        <source>The disk is full; your change was not saved. Free some space and try again.</source>
        <translation>Дискът е пълен; промяната не е запазена. Освободете място и опитайте отново.</translation>
    </message>
    <message>
        <location filename="../../app/ui/messages.py" line="90"/>
        <source>Please enter the person&apos;s name.</source>
        <translation>Въведете името на служителя.</translation>
    </message>
    <message>
        <location filename="../../app/ui/messages.py" line="91"/>
        <source>At least one active owner must remain, so that somebody may approve compensation.</source>
        <translation>Трябва да остане поне един активен собственик, за да има кой да одобрява компенсациите.</translation>
    </message>
    <message>
        <location filename="../../app/ui/messages.py" line="92"/>
        <source>This person no longer exists.</source>
        <translation>Този служител вече не съществува в базата.</translation>
    </message>
    <message>
        <location filename="../../app/ui/messages.py" line="93"/>
        <source>Choose who is handling the complaint (at the top of the window).</source>
        <translation>Изберете кой води оплакването (в горната част на прозореца).</translation>
    </message>
    <message>
        <location filename="../../app/ui/messages.py" line="94"/>
        <source>This complaint no longer exists.</source>
        <translation>Това оплакване вече не съществува.</translation>
    </message>
    <message>
        <location filename="../../app/ui/messages.py" line="95"/>
        <source>This complaint is closed; only its review and lesson can still be changed.</source>
        <translation>Това оплакване е затворено; могат да се променят само прегледът и изводите.</translation>
    </message>
    <message>
        <location filename="../../app/ui/messages.py" line="96"/>
        <source>Someone else saved this complaint since you opened it. Close it and open it again to see their changes.</source>
        <translation>Някой друг е запазил това оплакване, след като сте го отворили. Затворете го и го отворете отново, за да видите промените.</translation>
    </message>
    <message>
        <location filename="../../app/ui/messages.py" line="97"/>
        <source>Write the apology as it was given.</source>
        <translation>Запишете извинението така, както е било поднесено.</translation>
    </message>
    <message>
        <location filename="../../app/ui/messages.py" line="98"/>
        <source>Write what the client asked for.</source>
        <translation>Запишете какво е поискал клиентът.</translation>
    </message>
    <message>
        <location filename="../../app/ui/messages.py" line="99"/>
        <source>The rating is from 1 to 5.</source>
        <translation>Оценката трябва да е от 1 до 5.</translation>
    </message>
    <message>
        <location filename="../../app/ui/messages.py" line="100"/>
        <source>The refund ({value}) is more than the client paid in the period ({paid}).</source>
        <translation>Връщането ({value}) е повече, отколкото клиентът е платил за периода ({paid}).</translation>
    </message>
    <message>
        <location filename="../../app/ui/messages.py" line="101"/>
        <source>Choose at least one day the business is open.</source>
        <translation>Изберете поне един ден, в който фирмата работи.</translation>
    </message>
    <message>
        <location filename="../../app/ui/messages.py" line="102"/>
        <source>This is more than your role may grant ({limit}). Choose the owner who approved it.</source>
        <translation>Това е повече, отколкото ролята ви позволява ({limit}). Изберете собственика, който го е одобрил.</translation>
    </message>
    <message>
        <location filename="../../app/ui/messages.py" line="103"/>
        <source>Say why this client is always in this group.</source>
        <translation>Посочете защо този клиент винаги е в тази група.</translation>
    </message>
    <message>
        <location filename="../../app/ui/messages.py" line="104"/>
        <source>Choose why the client moved.</source>
        <translation>Изберете защо клиентът е сменил групата си.</translation>
    </message>
    <message>
        <location filename="../../app/ui/messages.py" line="105"/>
        <source>Describe the other reason in a few words.</source>
        <translation>Опишете другата причина с няколко думи.</translation>
    </message>
    <message>
        <location filename="../../app/ui/messages.py" line="106"/>
        <source>The backup “{path}” could not be written: {detail}. Nothing in the database was changed.</source>
        <translation>Резервното копие „{path}“ не можа да бъде записано: {detail}. Нищо в базата данни не е променено.</translation>
    </message>
    <message>
        <location filename="../../app/ui/messages.py" line="107"/>
        <source>The backup “{path}” cannot be restored: {detail}. The database was not changed.</source>
        <translation>Резервното копие „{path}“ не може да бъде възстановено: {detail}. Базата данни не е променена.</translation>
    </message>
    <message>
        <location filename="../../app/ui/messages.py" line="108"/>
        <source>The backup could not be put in place: {detail}. The data you had is in the backup made just before.</source>
        <translation>Резервното копие не можа да бъде поставено на мястото на базата данни: {detail}. Предишните данни са в резервното копие, направено непосредствено преди това.</translation>
    </message>
    <message>
        <location filename="../../app/ui/messages.py" line="109"/>
        <source>“{path}” is not one of this database&apos;s backups.</source>
        <translation>„{path}“ не е резервно копие на тази база данни.</translation>
    </message>
    <message>
        <location filename="../../app/ui/messages.py" line="110"/>
        <source>The backup “{path}” could not be deleted: {detail}</source>
        <translation>Резервното копие „{path}“ не можа да бъде изтрито: {detail}</translation>
    </message>
    <message>
        <location filename="../../app/ui/messages.py" line="111"/>
        <source>Backups cannot be kept in “{path}”: {detail}. The backups stay where they were.</source>
        <translation>Резервните копия не могат да се пазят в „{path}“: {detail}. Копията остават там, където бяха.</translation>
    </message>
    <message>
        <location filename="../../app/ui/messages.py" line="112"/>
        <source>The file “{path}” does not exist.</source>
        <translation>Файлът „{path}“ не съществува.</translation>
    </message>
    <message>
        <location filename="../../app/ui/messages.py" line="113"/>
        <source>The file “{path}” cannot be read. Check that it is a file and that it is not open in another program.</source>
        <translation>Файлът „{path}“ не може да се прочете. Проверете дали е файл и дали не е отворен в друга програма.</translation>
    </message>
    <message>
        <location filename="../../app/ui/messages.py" line="114"/>
        <source>ClientCare may not read the file “{path}”. Check the file&apos;s permissions.</source>
        <translation>ClientCare няма право да чете файла „{path}“. Проверете правата за достъп до файла.</translation>
    </message>
    <message>
        <location filename="../../app/ui/messages.py" line="116"/>
        <source>Row {row}: the file has more than {maximum} rows; split it into smaller files.</source>
        <translation>Ред {row}: файлът има повече от {maximum} реда; разделете го на по-малки файлове.</translation>
    </message>
    <message>
        <location filename="../../app/ui/messages.py" line="117"/>
        <source>Row {row} has more than {maximum} columns. Is this the right file?</source>
        <translation>Ред {row} има повече от {maximum} колони. Това ли е правилният файл?</translation>
    </message>
    <message>
        <location filename="../../app/ui/messages.py" line="118"/>
        <source>Row {row}: the file has more than {maximum} filled cells; split it into smaller files.</source>
        <translation>Ред {row}: файлът има повече от {maximum} попълнени клетки; разделете го на по-малки файлове.</translation>
    </message>
    <message>
        <location filename="../../app/ui/messages.py" line="119"/>
        <source>Row {row} has a cell longer than {maximum} characters. Is this the right file?</source>
        <translation>Ред {row} има клетка, по-дълга от {maximum} знака. Това ли е правилният файл?</translation>
    </message>
    <message>
        <location filename="../../app/ui/messages.py" line="120"/>
        <source>Row {row} is a line longer than {maximum} characters. Is this the right file?</source>
        <translation>Ред {row} е по-дълъг от {maximum} знака. Това ли е правилният файл?</translation>
    </message>
    <message>
        <location filename="../../app/ui/messages.py" line="121"/>
        <source>Row {row} is not a row of a table (it holds a character no table has). Save the file again as CSV or as an Excel workbook.</source>
        <translation>Ред {row} не е ред от таблица (съдържа знак, който няма в таблиците). Запишете файла отново като CSV или като работна книга на Excel.</translation>
    </message>
    <message>
        <location filename="../../app/ui/messages.py" line="122"/>
        <source>Row {row} has characters that are not in the encoding {encoding}. Choose the file&apos;s encoding.</source>
        <translation>Ред {row} съдържа знаци, които не са в кодировка {encoding}. Изберете кодировката на файла.</translation>
    </message>
    <message>
        <location filename="../../app/ui/messages.py" line="123"/>
        <source>ClientCare does not know this encoding.</source>
        <translation>ClientCare не познава тази кодировка.</translation>
    </message>
    <message>
        <location filename="../../app/ui/messages.py" line="124"/>
        <source>Row {row} of the file is empty or not there; choose the row with the headings.</source>
        <translation>Ред {row} от файла е празен или го няма; изберете реда със заглавията.</translation>
    </message>
    <message>
        <location filename="../../app/ui/messages.py" line="125"/>
        <source>The file “{path}” is not an Excel workbook (XLSX) or is damaged. Open it in Excel or LibreOffice and save it again.</source>
        <translation>Файлът „{path}“ не е работна книга на Excel (XLSX) или е повреден. Отворете го в Excel или LibreOffice и го запишете отново.</translation>
    </message>
    <message>
        <location filename="../../app/ui/messages.py" line="126"/>
        <source>The workbook “{path}” has no sheet.</source>
        <translation>Работната книга „{path}“ няма нито един лист.</translation>
    </message>
    <message>
        <location filename="../../app/ui/messages.py" line="127"/>
        <source>Row {row} of the workbook “{path}” is damaged. Open it in Excel or LibreOffice and save it again.</source>
        <translation>Ред {row} от работната книга „{path}“ е повреден. Отворете я в Excel или LibreOffice и я запишете отново.</translation>
    </message>
    <message>
        <location filename="../../app/ui/messages.py" line="128"/>
        <source>The workbook “{path}” unpacks to more than {maximum} MB; split it into smaller files.</source>
        <translation>Работната книга „{path}“ след разархивиране заема над {maximum} MB; разделете я на по-малки файлове.</translation>
    </message>
    <message>
        <location filename="../../app/ui/messages.py" line="129"/>
        <source>Line {row} of the contacts file is not text in the character set “{charset}” it names. Export the contacts again.</source>
        <translation>Ред {row} от файла с контакти не е текст в посочената в него кодировка „{charset}“. Експортирайте контактите отново.</translation>
    </message>
    <message>
        <location filename="../../app/ui/messages.py" line="130"/>
        <source>Choose the column of the client&apos;s card number, phone or e-mail, so each purchase finds its client. The file has the columns: {columns}.</source>
        <translation>Изберете колоната с номера на картата, телефона или имейла на клиента, за да намери всяка покупка своя клиент. Колоните във файла: {columns}.</translation>
    </message>
    <message>
        <location filename="../../app/ui/messages.py" line="131"/>
        <source>The column “{column}” holds the clients&apos; card numbers: import it as the card number.</source>
        <translation>Колоната „{column}“ съдържа номерата на картите на клиентите: внесете я като номер на карта.</translation>
    </message>
    <message>
        <location filename="../../app/ui/messages.py" line="132"/>
        <source>Row {row} could not be saved; nothing was imported. Fix the row in the file and import it again.</source>
        <translation>Ред {row} не можа да се запише; нищо не е внесено. Поправете реда във файла и го внесете отново.</translation>
    </message>
    <message>
        <location filename="../../app/ui/messages.py" line="133"/>
        <source>Choose whether the file holds clients or purchases.</source>
        <translation>Изберете дали файлът съдържа клиенти, или покупки.</translation>
    </message>
    <message>
        <location filename="../../app/ui/messages.py" line="160"/>
        <source>The day&apos;s list could not be printed ({detail}). Check the printer and try again; nothing was changed.</source>
        <translation>Списъкът за деня не можа да бъде отпечатан ({detail}). Проверете принтера и опитайте отново; нищо не е променено.</translation>
    </message>
    <message>
        <location filename="../../app/ui/messages.py" line="161"/>
        <source>The PDF “{path}” could not be written: {detail}. Choose another folder or file name; nothing was changed.</source>
        <translation>PDF файлът „{path}“ не можа да бъде записан: {detail}. Изберете друга папка или име на файл; нищо не е променено.</translation>
    </message>
    <message>
        <location filename="../../app/ui/messages.py" line="176"/>
        <source>The server name “{host}” is not known on this network. Check how it is written, or give the server&apos;s IP address (such as 192.168.1.10); nothing was changed.</source>
        <translation>Името на сървъра „{host}“ не е известно в тази мрежа. Проверете как е написано или въведете IP адреса на сървъра (например 192.168.1.10); нищо не е променено.</translation>
    </message>
    <message>
        <location filename="../../app/ui/messages.py" line="177"/>
        <source>The server {host} did not answer within {seconds} seconds. Check that this PC is on the office network and that no firewall closes port {port}; nothing was changed.</source>
        <translation>Сървърът {host} не отговори в рамките на {seconds} секунди. Проверете дали този компютър е в мрежата на офиса и дали защитна стена не затваря порт {port}; нищо не е променено.</translation>
    </message>
    <message>
        <location filename="../../app/ui/messages.py" line="178"/>
        <source>The server does not let the user “{user}” work in the database “{database}”. Whoever set up the server can give the user the rights (see the README); nothing was changed. ({detail})</source>
        <translation>Сървърът не позволява на потребителя „{user}“ да работи в базата данни „{database}“. Който е настроил сървъра, може да му даде права (вижте README); нищо не е променено. ({detail})</translation>
    </message>
    <message>
        <location filename="../../app/ui/messages.py" line="179"/>
        <source>The user “{user}” may not create tables in the database “{database}”, so ClientCare cannot set it up or update it. Make the user the database&apos;s owner on the server (see the README); nothing was changed.</source>
        <translation>Потребителят „{user}“ няма право да създава таблици в базата данни „{database}“, затова ClientCare не може да я подготви или обнови. Направете потребителя собственик на базата на сървъра (вижте README); нищо не е променено.</translation>
    </message>
    <message>
        <location filename="../../app/ui/messages.py" line="180"/>
        <source>This PC&apos;s choice of the office server cannot be read from “{path}” ({detail}). Choose the server again in Settings → Office server.</source>
        <translation>Изборът на офисен сървър за този компютър не може да се прочете от „{path}“ ({detail}). Изберете сървъра отново в Настройки → Офисен сървър.</translation>
    </message>
    <message>
        <location filename="../../app/ui/messages.py" line="181"/>
        <source>This PC&apos;s choice of the office server cannot be saved in “{path}”: {detail}. Nothing was changed.</source>
        <translation>Изборът на офисен сървър за този компютър не може да се запази в „{path}“: {detail}. Нищо не е променено.</translation>
    </message>
    <message>
        <location filename="../../app/ui/messages.py" line="182"/>
        <source>Give the server&apos;s name or IP address.</source>
        <translation>Въведете името или IP адреса на сървъра.</translation>
    </message>
    <message>
        <location filename="../../app/ui/messages.py" line="183"/>
        <source>“{value}” is not a server&apos;s name: write only the name or the IP address, such as 192.168.1.10.</source>
        <translation>„{value}“ не е име на сървър: въведете само името или IP адреса, например 192.168.1.10.</translation>
    </message>
    <message>
        <location filename="../../app/ui/messages.py" line="184"/>
        <source>Give the name of the database on the server.</source>
        <translation>Въведете името на базата данни на сървъра.</translation>
    </message>
    <message>
        <location filename="../../app/ui/messages.py" line="185"/>
        <source>Give the user name for the server.</source>
        <translation>Въведете потребителското име за сървъра.</translation>
    </message>
    <message>
        <location filename="../../app/ui/messages.py" line="188"/>
        <source>A brace is not closed. Write a placeholder as {example}; a brace meant as text is written twice: {open} or {close}.</source>
        <translation>Къдравата скоба не е затворена. Полето за заместване се пише като {example}; скоба като обикновен текст се пише двойно: {open} или {close}.</translation>
    </message>
    <message>
        <location filename="../../app/ui/messages.py" line="189"/>
        <source>{placeholder} is not a placeholder ClientCare knows. Use one of: {known}.</source>
        <translation>{placeholder} не е поле за заместване, което ClientCare познава. Използвайте едно от: {known}.</translation>
    </message>
    <message>
        <location filename="../../app/ui/messages.py" line="190"/>
        <source>ClientCare has no such template, so nothing was saved.</source>
        <translation>В ClientCare няма такъв шаблон, затова нищо не е запазено.</translation>
    </message>
    <message>
        <location filename="../../app/ui/messages.py" line="191"/>
        <source>An e-mail needs a subject.</source>
        <translation>Имейлът трябва да има тема.</translation>
    </message>
    <message>
        <location filename="../../app/ui/messages.py" line="192"/>
        <source>The subject is one line of at most {maximum} characters.</source>
        <translation>Темата е един ред с най-много {maximum} знака.</translation>
    </message>
    <message>
        <location filename="../../app/ui/messages.py" line="193"/>
        <source>Write the text of the message.</source>
        <translation>Напишете текста на съобщението.</translation>
    </message>
    <message>
        <location filename="../../app/ui/messages.py" line="194"/>
        <source>This client has nothing for {placeholders}, so the message would go out with a gap. Choose another message or write the text yourself.</source>
        <translation>Този клиент няма данни за {placeholders} и в съобщението би останала празнина. Изберете друго съобщение или напишете текста сами.</translation>
    </message>
    <message>
        <location filename="../../app/ui/messages.py" line="195"/>
        <source>A message goes by e-mail or SMS.</source>
        <translation>Съобщението се изпраща по имейл или SMS.</translation>
    </message>
    <message>
        <location filename="../../app/ui/messages.py" line="196"/>
        <source>{name} asked not to be contacted: no message is sent.</source>
        <translation>{name} е помолил да не се свързваме: съобщение не се изпраща.</translation>
    </message>
    <message>
        <location filename="../../app/ui/messages.py" line="197"/>
        <source>{name} has not given marketing consent, so this greeting or offer may not be sent. Record the consent on the card first.</source>
        <translation>{name} не е дал(а) маркетингово съгласие, затова този поздрав или оферта не може да се изпрати. Първо запишете съгласието в картона.</translation>
    </message>
    <message>
        <location filename="../../app/ui/messages.py" line="198"/>
        <source>{name} has no e-mail address on the card.</source>
        <translation>{name} няма имейл адрес в картона.</translation>
    </message>
    <message>
        <location filename="../../app/ui/messages.py" line="199"/>
        <source>{name} has no phone number on the card.</source>
        <translation>{name} няма телефонен номер в картона.</translation>
    </message>
    <message>
        <location filename="../../app/ui/messages.py" line="200"/>
        <source>{name} was contacted {count} times in the last {days} days, the most the rules allow; a message counts as a contact.</source>
        <translation>С {name} сме се свързвали {count} пъти през последните {days} дни — колкото позволяват правилата; съобщението се брои за контакт.</translation>
    </message>
    <message>
        <location filename="../../app/ui/messages.py" line="201"/>
        <source>{name} takes contacts from {start} to {end}; now is outside those hours.</source>
        <translation>{name} приема контакти от {start} до {end}; сега е извън тези часове.</translation>
    </message>
    <message>
        <location filename="../../app/ui/messages.py" line="202"/>
        <source>The message is empty.</source>
        <translation>Съобщението е празно.</translation>
    </message>
    <message>
        <location filename="../../app/ui/messages.py" line="203"/>
        <source>This message no longer exists.</source>
        <translation>Това съобщение вече не съществува.</translation>
    </message>
    <message>
        <location filename="../../app/ui/messages.py" line="204"/>
        <source>This message was not left unsent, so there is nothing to send again.</source>
        <translation>Това съобщение не е останало неизпратено, няма какво да се изпраща отново.</translation>
    </message>
    <message>
        <location filename="../../app/ui/messages.py" line="205"/>
        <source>The message could not be sent; it is kept to send again. ({detail})</source>
        <translation>Съобщението не можа да бъде изпратено; запазено е за повторно изпращане. ({detail})</translation>
    </message>
    <message>
        <location filename="../../app/ui/messages.py" line="206"/>
        <source>The system keyring cannot be used, so the password or token was not kept. ({detail})</source>
        <translation>Системното хранилище за пароли не може да се използва, затова паролата или токенът не са запазени. ({detail})</translation>
    </message>
    <message>
        <location filename="../../app/ui/messages.py" line="207"/>
        <source>The mail server is not set up yet: Settings → Messages → E-mail.</source>
        <translation>Пощенският сървър още не е настроен: Настройки → Съобщения → Имейл.</translation>
    </message>
    <message>
        <location filename="../../app/ui/messages.py" line="208"/>
        <source>The mail server refused the user “{user}” or the password. Check them (Gmail needs an app password).</source>
        <translation>Пощенският сървър отказа потребителя „{user}“ или паролата. Проверете ги (Gmail изисква парола за приложение).</translation>
    </message>
    <message>
        <location filename="../../app/ui/messages.py" line="209"/>
        <source>No mail server answers at {host}, port {port}. Check the server&apos;s name, the port and the network.</source>
        <translation>Никой пощенски сървър не отговаря на {host}, порт {port}. Проверете името на сървъра, порта и мрежата.</translation>
    </message>
    <message>
        <location filename="../../app/ui/messages.py" line="210"/>
        <source>The mail server {host} did not answer within {seconds} seconds.</source>
        <translation>Пощенският сървър {host} не отговори в рамките на {seconds} с.</translation>
    </message>
    <message>
        <location filename="../../app/ui/messages.py" line="211"/>
        <source>The secure connection to {host} failed. Check the connection type (STARTTLS or TLS) and the port. ({detail})</source>
        <translation>Защитената връзка с {host} не успя. Проверете вида на връзката (STARTTLS или TLS) и порта. ({detail})</translation>
    </message>
    <message>
        <location filename="../../app/ui/messages.py" line="212"/>
        <source>The mail server refused the address {address}. ({detail})</source>
        <translation>Пощенският сървър отказа адреса {address}. ({detail})</translation>
    </message>
    <message>
        <location filename="../../app/ui/messages.py" line="213"/>
        <source>The mail server did not take the message. ({detail})</source>
        <translation>Пощенският сървър не прие съобщението. ({detail})</translation>
    </message>
    <message>
        <location filename="../../app/ui/messages.py" line="214"/>
        <source>Give the name of the mail server.</source>
        <translation>Посочете името на пощенския сървър.</translation>
    </message>
    <message>
        <location filename="../../app/ui/messages.py" line="215"/>
        <source>A port is a number from 1 to 65535.</source>
        <translation>Портът е число от 1 до 65535.</translation>
    </message>
    <message>
        <location filename="../../app/ui/messages.py" line="216"/>
        <source>Choose the kind of connection.</source>
        <translation>Изберете вида на връзката.</translation>
    </message>
    <message>
        <location filename="../../app/ui/messages.py" line="217"/>
        <source>The SMS gateway is not set up yet (or has no token): Settings → Messages → SMS.</source>
        <translation>SMS шлюзът още не е настроен (или няма токен): Настройки → Съобщения → SMS.</translation>
    </message>
    <message>
        <location filename="../../app/ui/messages.py" line="218"/>
        <source>The SMS gateway refused the token. Make a new one in the gateway&apos;s panel and save it in Settings.</source>
        <translation>SMS шлюзът отказа токена. Създайте нов в панела на шлюза и го запазете в Настройки.</translation>
    </message>
    <message>
        <location filename="../../app/ui/messages.py" line="219"/>
        <source>The SMS gateway asks to wait {retry_after} seconds before more messages.</source>
        <translation>SMS шлюзът моли да се изчакат {retry_after} с преди още съобщения.</translation>
    </message>
    <message>
        <location filename="../../app/ui/messages.py" line="220"/>
        <source>The SMS gateway asks to wait before more messages. Try again in a minute.</source>
        <translation>SMS шлюзът моли да се изчака преди още съобщения. Опитайте след минута.</translation>
    </message>
    <message>
        <location filename="../../app/ui/messages.py" line="221"/>
        <source>The SMS gateway cannot be reached. Check the network. ({detail})</source>
        <translation>SMS шлюзът е недостъпен. Проверете мрежата. ({detail})</translation>
    </message>
    <message>
        <location filename="../../app/ui/messages.py" line="222"/>
        <source>The SMS gateway refused the message. ({detail})</source>
        <translation>SMS шлюзът отказа съобщението. ({detail})</translation>
    </message>
    <message>
        <location filename="../../app/ui/messages.py" line="223"/>
        <source>Choose an SMS gateway.</source>
        <translation>Изберете SMS шлюз.</translation>
    </message>
    <message>
        <location filename="../../app/ui/messages.py" line="224"/>
        <source>The gateway&apos;s address starts with https://.</source>
        <translation>Адресът на шлюза започва с https://.</translation>
    </message>
    <message>
        <location filename="../../app/ui/messages.py" line="225"/>
        <source>Give the Account SID from the Twilio console.</source>
        <translation>Посочете SID на акаунта от конзолата на Twilio.</translation>
    </message>
    <message>
        <location filename="../../app/ui/messages.py" line="226"/>
        <source>Give the number the messages are sent from.</source>
        <translation>Посочете номера, от който се изпращат съобщенията.</translation>
    </message>
    <message>
        <location filename="../../app/ui/messages.py" line="229"/>
        <source>Wrong password. Tries left before signing in waits a while: {left}.</source>
        <translation>Грешна парола. Оставащи опити, преди влизането да бъде спряно за малко: {left}.</translation>
    </message>
    <message>
        <location filename="../../app/ui/messages.py" line="240"/>
        <source>This copy of ClientCare has no address to look for updates at. Ask whoever gave you ClientCare where new versions are published.</source>
        <translation>Това копие на ClientCare няма адрес, на който да търси обновления. Попитайте този, от когото имате ClientCare, къде се публикуват новите версии.</translation>
    </message>
    <message>
        <location filename="../../app/ui/messages.py" line="241"/>
        <source>“{url}” is not a web address, so ClientCare cannot look for updates there.</source>
        <translation>„{url}“ не е уеб адрес, затова ClientCare не може да търси обновления там.</translation>
    </message>
    <message>
        <location filename="../../app/ui/messages.py" line="242"/>
        <source>ClientCare could not reach {url} to look for updates ({detail}). Check the internet connection and try again later; nothing was changed.</source>
        <translation>ClientCare не успя да се свърже с {url}, за да провери за обновления ({detail}). Проверете връзката с интернет и опитайте отново по-късно; нищо не е променено.</translation>
    </message>
    <message>
        <location filename="../../app/ui/messages.py" line="243"/>
        <source>The answer from {url} is not a list of ClientCare releases ({detail}), so ClientCare cannot tell whether there is a newer version.</source>
        <translation>Отговорът от {url} не е списък с издания на ClientCare ({detail}), затова ClientCare не може да определи дали има по-нова версия.</translation>
    </message>
    <message>
        <location filename="../../app/ui/messages.py" line="260"/>
        <source>changing clients</source>
        <translation>промяна на данните на клиентите</translation>
    </message>
    <message>
        <location filename="../../app/ui/messages.py" line="261"/>
        <source>logging calls</source>
        <translation>записване на обаждания</translation>
    </message>
    <message>
        <location filename="../../app/ui/messages.py" line="262"/>
        <source>working on complaints</source>
        <translation>работа с оплаквания</translation>
    </message>
    <message>
        <location filename="../../app/ui/messages.py" line="263"/>
        <source>the charts</source>
        <translation>графиките</translation>
    </message>
    <message>
        <location filename="../../app/ui/messages.py" line="264"/>
        <source>the quarterly A/B/C review</source>
        <translation>тримесечният преглед A/B/C</translation>
    </message>
    <message>
        <location filename="../../app/ui/messages.py" line="265"/>
        <source>exporting</source>
        <translation>износ</translation>
    </message>
    <message>
        <location filename="../../app/ui/messages.py" line="266"/>
        <source>importing</source>
        <translation>внос</translation>
    </message>
    <message>
        <location filename="../../app/ui/messages.py" line="267"/>
        <source>changing the settings</source>
        <translation>промяна на настройките</translation>
    </message>
    <message>
        <location filename="../../app/ui/messages.py" line="268"/>
        <source>managing the staff</source>
        <translation>управление на служителите</translation>
    </message>
    <message>
        <location filename="../../app/ui/messages.py" line="269"/>
        <source>restoring and managing backups</source>
        <translation>възстановяване и управление на резервните копия</translation>
    </message>
    <message>
        <location filename="../../app/ui/messages.py" line="270"/>
        <source>erasing a client&apos;s data</source>
        <translation>изтриване на данните на клиент</translation>
    </message>
    <message>
        <location filename="../../app/ui/messages.py" line="278"/>
        <source>name</source>
        <translation>име</translation>
    </message>
    <message>
        <location filename="../../app/ui/messages.py" line="279"/>
        <source>person or company</source>
        <translation>лице или фирма</translation>
    </message>
    <message>
        <location filename="../../app/ui/messages.py" line="280"/>
        <source>card number</source>
        <translation>номер на карта</translation>
    </message>
    <message>
        <location filename="../../app/ui/messages.py" line="281"/>
        <source>phone</source>
        <translation>телефон</translation>
    </message>
    <message>
        <location filename="../../app/ui/messages.py" line="282"/>
        <source>e-mail</source>
        <translation>имейл</translation>
    </message>
    <message>
        <location filename="../../app/ui/messages.py" line="283"/>
        <source>preferred channel</source>
        <translation>предпочитан канал</translation>
    </message>
    <message>
        <location filename="../../app/ui/messages.py" line="284"/>
        <source>best hours</source>
        <translation>удобни часове</translation>
    </message>
    <message>
        <location filename="../../app/ui/messages.py" line="285"/>
        <source>do not contact</source>
        <translation>без контакт</translation>
    </message>
    <message>
        <location filename="../../app/ui/messages.py" line="286"/>
        <source>marketing consent</source>
        <translation>съгласие за реклама</translation>
    </message>
    <message>
        <location filename="../../app/ui/messages.py" line="287"/>
        <source>source</source>
        <translation>източник</translation>
    </message>
    <message>
        <location filename="../../app/ui/messages.py" line="288"/>
        <source>referred by</source>
        <translation>препоръчан от</translation>
    </message>
    <message>
        <location filename="../../app/ui/messages.py" line="289"/>
        <source>group</source>
        <translation>група</translation>
    </message>
    <message>
        <location filename="../../app/ui/messages.py" line="290"/>
        <source>preferences</source>
        <translation>предпочитания</translation>
    </message>
    <message>
        <location filename="../../app/ui/messages.py" line="291"/>
        <source>notes</source>
        <translation>бележки</translation>
    </message>
    <message>
        <location filename="../../app/ui/messages.py" line="292"/>
        <source>tags</source>
        <translation>етикети</translation>
    </message>
    <message>
        <location filename="../../app/ui/messages.py" line="293"/>
        <source>family</source>
        <translation>семейство</translation>
    </message>
    <message>
        <location filename="../../app/ui/messages.py" line="294"/>
        <source>personal dates</source>
        <translation>лични дати</translation>
    </message>
    <message>
        <location filename="../../app/ui/messages.py" line="295"/>
        <source>purchases</source>
        <translation>покупки</translation>
    </message>
    <message>
        <location filename="../../app/ui/messages.py" line="296"/>
        <source>memberships</source>
        <translation>абонаменти</translation>
    </message>
    <message>
        <location filename="../../app/ui/messages.py" line="307"/>
        <source>They changed: {parts}.</source>
        <translation>Променено: {parts}.</translation>
    </message>
    <message>
        <location filename="../../app/ui/messages.py" line="310"/>
        <source>Saved by {by}, {at}.</source>
        <translation>Записал(а): {by}, {at}.</translation>
    </message>
    <message>
        <location filename="../../app/ui/messages.py" line="115"/>
        <source>The file “{path}” has no rows to import.</source>
        <translation>Във файла „{path}“ няма редове за внасяне.</translation>
    </message>
    <message>
        <location filename="../../app/ui/messages.py" line="55"/>
        <source>“{name}” was changed elsewhere since you opened it, so your changes were not saved: nothing was overwritten. Close the card and open it again to see the changes, then make yours again.</source>
        <translation>Клиентът „{name}“ е променен другаде, след като отворихте картата, затова вашите промени не са записани: нищо не е презаписано. Затворете картата и я отворете отново, за да видите промените, после направете своите пак.</translation>
    </message>
    <message>
        <location filename="../../app/ui/messages.py" line="134"/>
        <source>Give the client&apos;s card number, phone or e-mail, so the purchase finds its client.</source>
        <translation>Посочете номера на карта, телефона или имейла на клиента, за да се свърже покупката с него.</translation>
    </message>
    <message>
        <location filename="../../app/ui/messages.py" line="135"/>
        <source>Imported; “{value}” is not a valid phone number of {region}, so it is kept as it is and marked “check this number”.</source>
        <translation>Внесено; „{value}“ не е валиден телефонен номер за {region}, затова е запазен както е и е отбелязан с „проверете този номер“.</translation>
    </message>
    <message>
        <location filename="../../app/ui/messages.py" line="136"/>
        <source>Choose a file ending in .csv or .xlsx.</source>
        <translation>Изберете файл с разширение .csv или .xlsx.</translation>
    </message>
    <message>
        <location filename="../../app/ui/messages.py" line="137"/>
        <source>A client whose personal data was erased cannot be merged.</source>
        <translation>Клиент, чиито лични данни са изтрити, не може да бъде обединяван.</translation>
    </message>
    <message>
        <location filename="../../app/ui/messages.py" line="138"/>
        <source>The personal data was erased, but the database file could not be compacted: {detail}. It is compacted again after the next erase.</source>
        <translation>Личните данни са изтрити, но файлът на базата данни не можа да бъде компресиран: {detail}. Той ще бъде компресиран при следващото изтриване.</translation>
    </message>
    <message>
        <location filename="../../app/ui/messages.py" line="139"/>
        <source>The backup “{path}” could not be cleaned: {detail}. Restoring it still erases the person again.</source>
        <translation>Резервното копие „{path}“ не можа да бъде почистено: {detail}. При възстановяването му човекът пак ще бъде изтрит отново.</translation>
    </message>
    <message>
        <location filename="../../app/ui/messages.py" line="140"/>
        <source>Choose two different clients to merge.</source>
        <translation>Изберете двама различни клиенти за обединяване.</translation>
    </message>
    <message>
        <location filename="../../app/ui/messages.py" line="141"/>
        <source>Give the meeting&apos;s date and time.</source>
        <translation>Посочете дата и час на срещата.</translation>
    </message>
    <message>
        <location filename="../../app/ui/messages.py" line="142"/>
        <source>Give the day to call back.</source>
        <translation>Посочете деня, в който да се обадите отново.</translation>
    </message>
    <message>
        <location filename="../../app/ui/messages.py" line="143"/>
        <source>The call-back day must be after the day of the call.</source>
        <translation>Денят за повторно обаждане трябва да е след деня на обаждането.</translation>
    </message>
    <message>
        <location filename="../../app/ui/messages.py" line="144"/>
        <source>Give the reason the client declined.</source>
        <translation>Посочете причината за отказа на клиента.</translation>
    </message>
    <message>
        <location filename="../../app/ui/messages.py" line="145"/>
        <source>The duration must be between 0 and 24 hours.</source>
        <translation>Продължителността трябва да е между 0 и 24 часа.</translation>
    </message>
    <message>
        <location filename="../../app/ui/messages.py" line="146"/>
        <source>This call is no longer in the log.</source>
        <translation>Това обаждане вече не е в дневника.</translation>
    </message>
    <message>
        <location filename="../../app/ui/messages.py" line="147"/>
        <source>This call was logged before ClientCare kept what a call changes, so its outcome cannot be changed or undone; its tone and note can.</source>
        <translation>Това обаждане е записано, преди ClientCare да започне да пази какво променя едно обаждане, затова резултатът му не може да се промени или отмени; тонът и бележката могат.</translation>
    </message>
    <message>
        <location filename="../../app/ui/messages.py" line="148"/>
        <source>A later call was logged on the same tasks: correct or undo that call first.</source>
        <translation>По същите задачи е записано по-късно обаждане: първо коригирайте или отменете него.</translation>
    </message>
    <message>
        <location filename="../../app/ui/messages.py" line="149"/>
        <source>The complaint this call opened has been worked on since; the call stays as it is. Handle the complaint in its own window.</source>
        <translation>По оплакването, открито с това обаждане, вече се работи; обаждането остава както е. Работете с оплакването в неговия прозорец.</translation>
    </message>
    <message>
        <location filename="../../app/ui/messages.py" line="150"/>
        <source>This task no longer exists.</source>
        <translation>Тази задача вече не съществува.</translation>
    </message>
    <message>
        <location filename="../../app/ui/messages.py" line="151"/>
        <source>This task is already done or cancelled.</source>
        <translation>Тази задача вече е изпълнена или отменена.</translation>
    </message>
    <message>
        <location filename="../../app/ui/messages.py" line="152"/>
        <source>This is an internal to-do, not a call: it is done by doing it, and no call is logged on it.</source>
        <translation>Това е вътрешна задача, а не обаждане: тя просто се изпълнява и по нея не се записва обаждане.</translation>
    </message>
    <message>
        <location filename="../../app/ui/messages.py" line="153"/>
        <source>This to-do is done by doing it (the review), not by ticking it off.</source>
        <translation>Тази задача се изпълнява с провеждането на прегледа, а не с отметка.</translation>
    </message>
    <message>
        <location filename="../../app/ui/messages.py" line="154"/>
        <source>The day cannot be in the past.</source>
        <translation>Денят не може да е в миналото.</translation>
    </message>
    <message>
        <location filename="../../app/ui/messages.py" line="155"/>
        <source>{day} is not a working day (a closed day or a public holiday); the next working day is {next_day}.</source>
        <translation>{day} не е работен ден (почивен ден или официален празник); следващият работен ден е {next_day}.</translation>
    </message>
    <message>
        <location filename="../../app/ui/messages.py" line="156"/>
        <source>Say why the task is cancelled.</source>
        <translation>Посочете защо задачата се отменя.</translation>
    </message>
    <message>
        <location filename="../../app/ui/messages.py" line="157"/>
        <source>This step of the checklist does not exist, so nothing was ticked. Close the complaint and open it again; what was saved before is kept.</source>
        <translation>Такава стъпка от контролния списък няма, затова нищо не е отбелязано. Затворете оплакването и го отворете отново; запазеното преди остава.</translation>
    </message>
    <message>
        <location filename="../../app/ui/messages.py" line="158"/>
        <source>The review holds a question ClientCare does not know, so the review was not saved. Close the complaint and open it again; what was saved before is kept.</source>
        <translation>Прегледът съдържа въпрос, който ClientCare не познава, затова прегледът не е запазен. Затворете оплакването и го отворете отново; запазеното преди остава.</translation>
    </message>
    <message>
        <location filename="../../app/ui/messages.py" line="159"/>
        <source>ClientCare cannot export this table, so no file was written. Choose one of the tables offered; your data is unchanged.</source>
        <translation>ClientCare не може да експортира тази таблица, затова не е записан файл. Изберете една от предложените таблици; данните ви не са променени.</translation>
    </message>
    <message>
        <location filename="../../app/ui/messages.py" line="162"/>
        <source>The database reported an error; your change was not saved. ({detail})</source>
        <translation>Базата данни съобщи за грешка; промяната не е запазена. ({detail})</translation>
    </message>
    <message>
        <location filename="../../app/ui/messages.py" line="164"/>
        <source>A file could not be read or written; nothing was changed. ({detail})</source>
        <translation>Файлът не можа да бъде прочетен или записан; нищо не е променено. ({detail})</translation>
    </message>
    <message>
        <location filename="../../app/ui/messages.py" line="165"/>
        <source>Something unexpected went wrong; nothing was changed. Details were written to the log.</source>
        <translation>Възникна неочаквана грешка; нищо не е променено. Подробностите са записани в дневника.</translation>
    </message>
    <message>
        <location filename="../../app/ui/messages.py" line="166"/>
        <source>The horizon must be between {minimum} and {maximum} days.</source>
        <translation>Хоризонтът трябва да е между {minimum} и {maximum} дни.</translation>
    </message>
    <message>
        <location filename="../../app/ui/messages.py" line="167"/>
        <source>The purchases known end on {last}, so the {days} days after {cut} (up to {end}) cannot be checked yet. Choose an earlier date.</source>
        <translation>Известните покупки свършват на {last}, затова {days} дни след {cut} (до {end}) още не могат да се проверят. Изберете по-ранна дата.</translation>
    </message>
    <message>
        <location filename="../../app/ui/messages.py" line="168"/>
        <source>No client had bought anything by {cut}, so there is nothing to check. Choose a later date.</source>
        <translation>До {cut} нито един клиент не е купил нищо, така че няма какво да се проверява. Изберете по-късна дата.</translation>
    </message>
    <message>
        <location filename="../../app/ui/messages.py" line="169"/>
        <source>“{url}” is not the address of a PostgreSQL database. Write it as postgresql+psycopg://user:password@server/database.</source>
        <translation>„{url}“ не е адрес на база данни PostgreSQL. Запишете го така: postgresql+psycopg://потребител:парола@сървър/база.</translation>
    </message>
    <message>
        <location filename="../../app/ui/messages.py" line="170"/>
        <source>No database server answers at “{url}”. Check the server&apos;s name and port and that PostgreSQL runs there; nothing was changed.</source>
        <translation>На адрес „{url}“ не отговаря сървър на база данни. Проверете името на сървъра и порта и дали на него работи PostgreSQL; нищо не е променено.</translation>
    </message>
    <message>
        <location filename="../../app/ui/messages.py" line="171"/>
        <source>The server refused the user name or password of “{url}”; nothing was changed.</source>
        <translation>Сървърът отхвърли потребителското име или паролата за „{url}“; нищо не е променено.</translation>
    </message>
    <message>
        <location filename="../../app/ui/messages.py" line="172"/>
        <source>The server has no database named in “{url}”. Create it first (createdb); nothing was changed.</source>
        <translation>На сървъра няма базата данни, посочена в „{url}“. Първо я създайте (createdb); нищо не е променено.</translation>
    </message>
    <message>
        <location filename="../../app/ui/messages.py" line="173"/>
        <source>The database server reported an error; nothing was changed. ({detail})</source>
        <translation>Сървърът на базата данни съобщи за грешка; нищо не е променено. ({detail})</translation>
    </message>
    <message>
        <location filename="../../app/ui/messages.py" line="174"/>
        <source>The database “{url}” holds the tables of another program. Nothing was changed in it.</source>
        <translation>Базата данни „{url}“ съдържа таблиците на друга програма. Нищо в нея не е променено.</translation>
    </message>
    <message>
        <location filename="../../app/ui/messages.py" line="175"/>
        <source>The database “{url}” was written by a newer version of ClientCare. Nothing was changed in it.</source>
        <translation>Базата данни „{url}“ е записана от по-нова версия на ClientCare. Нищо в нея не е променено.</translation>
    </message>
    <message>
        <location filename="../../app/ui/messages.py" line="186"/>
        <source>The database “{url}” already holds data, so nothing was copied into it. Choose an empty database, or replace what it holds.</source>
        <translation>Базата данни „{url}“ вече съдържа данни, затова нищо не е копирано в нея. Изберете празна база данни или заменете съдържанието ѝ.</translation>
    </message>
    <message>
        <location filename="../../app/ui/messages.py" line="227"/>
        <source>The copy did not hold every row of the file ({tables}), so nothing was kept on the server.</source>
        <translation>Копието не съдържаше всички редове на файла ({tables}), затова нищо не е запазено на сървъра.</translation>
    </message>
    <message>
        <location filename="../../app/ui/messages.py" line="228"/>
        <source>{name} is signed in as {role_name}: {action_name} is for {least_name}. Ask them, or sign in as them.</source>
        <translation>{name} е влязъл(а) с роля „{role_name}“. Действието „{action_name}“ е за роля „{least_name}“. Помолете такъв служител или влезте с неговото име.</translation>
    </message>
    <message>
        <location filename="../../app/ui/messages.py" line="230"/>
        <source>Too many wrong passwords: try again in {seconds} s.</source>
        <translation>Твърде много грешни пароли: опитайте отново след {seconds} с.</translation>
    </message>
    <message>
        <location filename="../../app/ui/messages.py" line="231"/>
        <source>{name} has no password yet: the owner gives one in Settings → Staff.</source>
        <translation>{name} още няма парола: собственикът я задава в Настройки → Персонал.</translation>
    </message>
    <message>
        <location filename="../../app/ui/messages.py" line="232"/>
        <source>The owner has a password already: sign in as the owner.</source>
        <translation>Собственикът вече има парола: влезте като собственик.</translation>
    </message>
    <message>
        <location filename="../../app/ui/messages.py" line="233"/>
        <source>Give the owner a password first (Settings → Staff), so somebody can always sign in.</source>
        <translation>Първо задайте парола на собственика (Настройки → Персонал), за да може винаги някой да влезе.</translation>
    </message>
    <message>
        <location filename="../../app/ui/messages.py" line="234"/>
        <source>Use at least {minimum} characters.</source>
        <translation>Използвайте поне {minimum} знака.</translation>
    </message>
    <message>
        <location filename="../../app/ui/messages.py" line="235"/>
        <source>The two passwords are not the same.</source>
        <translation>Двете пароли не съвпадат.</translation>
    </message>
    <message>
        <location filename="../../app/ui/messages.py" line="236"/>
        <source>pg_dump is not installed on this PC, so no backup of the office server was made. Install PostgreSQL&apos;s client programs, or schedule pg_dump on the server (see the README).</source>
        <translation>На този компютър няма pg_dump, затова не е направено резервно копие на офисния сървър. Инсталирайте клиентските програми на PostgreSQL или насрочете pg_dump на сървъра (вижте README).</translation>
    </message>
    <message>
        <location filename="../../app/ui/messages.py" line="237"/>
        <source>The folder for the server&apos;s backups “{path}” cannot be created: {detail}</source>
        <translation>Папката за резервните копия на сървъра „{path}“ не може да бъде създадена: {detail}</translation>
    </message>
    <message>
        <location filename="../../app/ui/messages.py" line="238"/>
        <source>The backup of the office server failed; the database is as it was. pg_dump said: {detail}</source>
        <translation>Резервното копие на офисния сървър не успя; базата данни е каквато беше. pg_dump съобщи: {detail}</translation>
    </message>
    <message>
        <location filename="../../app/ui/messages.py" line="250"/>
        <source>Something went wrong ({code}).</source>
        <translation>Нещо се обърка ({code}).</translation>
    </message>
    <message>
        <location filename="../../app/ui/message_dialog.py" line="49"/>
        <source>Follow-up after a purchase</source>
        <translation>След покупка</translation>
    </message>
    <message>
        <location filename="../../app/ui/message_dialog.py" line="50"/>
        <source>Renewal reminder</source>
        <translation>Напомняне за подновяване</translation>
    </message>
    <message>
        <location filename="../../app/ui/message_dialog.py" line="51"/>
        <source>Birthday greeting</source>
        <translation>Поздрав за рожден ден</translation>
    </message>
    <message>
        <location filename="../../app/ui/message_dialog.py" line="52"/>
        <source>Name-day greeting</source>
        <translation>Поздрав за имен ден</translation>
    </message>
    <message>
        <location filename="../../app/ui/message_dialog.py" line="53"/>
        <source>Win-back</source>
        <translation>Връщане на клиента</translation>
    </message>
    <message>
        <location filename="../../app/ui/message_dialog.py" line="54"/>
        <source>After a complaint</source>
        <translation>След оплакване</translation>
    </message>
    <message>
        <location filename="../../app/ui/message_dialog.py" line="55"/>
        <source>Free message</source>
        <translation>Свободно съобщение</translation>
    </message>
    <message>
        <location filename="../../app/ui/message_dialog.py" line="62"/>
        <source>English</source>
        <translation>английски</translation>
    </message>
    <message>
        <location filename="../../app/ui/message_dialog.py" line="63"/>
        <source>Polish</source>
        <translation>полски</translation>
    </message>
    <message>
        <location filename="../../app/ui/message_dialog.py" line="64"/>
        <source>Russian</source>
        <translation>руски</translation>
    </message>
    <message>
        <location filename="../../app/ui/message_dialog.py" line="65"/>
        <source>Bulgarian</source>
        <translation>български</translation>
    </message>
    <message>
        <location filename="../../app/ui/message_dialog.py" line="77"/>
        <source>sent</source>
        <translation>изпратено</translation>
    </message>
    <message>
        <location filename="../../app/ui/message_dialog.py" line="78"/>
        <source>not sent</source>
        <translation>неизпратено</translation>
    </message>
    <message>
        <location filename="../../app/ui/message_dialog.py" line="79"/>
        <source>not known whether sent</source>
        <translation>не е известно дали е изпратено</translation>
    </message>
    <message>
        <location filename="../../app/ui/message_dialog.py" line="80"/>
        <source>not sent, let go</source>
        <translation>неизпратено, пропуснато</translation>
    </message>
    <message>
        <location filename="../../app/ui/message_dialog.py" line="294"/>
        <source>%1: %2</source>
        <translation>%1: %2</translation>
    </message>
    <message>
        <location filename="../../app/ui/message_dialog.py" line="392"/>
        <source>Sending messages</source>
        <translation>Изпращане на съобщения</translation>
    </message>
    <message>
        <location filename="../../app/ui/message_dialog.py" line="396"/>
        <source>Preparing the messages</source>
        <translation>Подготвяне на съобщенията</translation>
    </message>
</context>
<context>
    <name>MessagesPanel</name>
    <message>
        <location filename="../../app/ui/message_card.py" line="46"/>
        <location filename="../../app/ui/message_card.py" line="120"/>
        <source>Messages</source>
        <translation>Съобщения</translation>
    </message>
    <message>
        <location filename="../../app/ui/message_card.py" line="49"/>
        <source>No message sent yet.</source>
        <extracomment>the list, made with the first message (a client without one shows a line)</extracomment>
        <translation>Още не е изпращано съобщение.</translation>
    </message>
    <message>
        <location filename="../../app/ui/message_card.py" line="50"/>
        <source>Write a message…</source>
        <translation>Напиши съобщение…</translation>
    </message>
    <message>
        <location filename="../../app/ui/message_card.py" line="52"/>
        <source>Send again</source>
        <translation>Изпрати отново</translation>
    </message>
    <message>
        <location filename="../../app/ui/message_card.py" line="54"/>
        <source>Let it go</source>
        <translation>Пропусни</translation>
    </message>
    <message>
        <location filename="../../app/ui/message_card.py" line="56"/>
        <source>Stop showing this message as not sent</source>
        <translation>Спри да показваш това съобщение като неизпратено</translation>
    </message>
    <message>
        <location filename="../../app/ui/message_card.py" line="76"/>
        <source>When</source>
        <translation>Кога</translation>
    </message>
    <message>
        <location filename="../../app/ui/message_card.py" line="76"/>
        <source>Channel</source>
        <translation>Канал</translation>
    </message>
    <message>
        <location filename="../../app/ui/message_card.py" line="76"/>
        <source>To</source>
        <translation>До</translation>
    </message>
    <message>
        <location filename="../../app/ui/message_card.py" line="77"/>
        <source>Result</source>
        <translation>Резултат</translation>
    </message>
    <message>
        <location filename="../../app/ui/message_card.py" line="77"/>
        <source>Text</source>
        <translation>Текст</translation>
    </message>
    <message numerus="yes">
        <location filename="../../app/ui/message_card.py" line="121"/>
        <source>%n not sent</source>
        <translation>
            <numerusform>%n неизпратено</numerusform>
            <numerusform>%n неизпратени</numerusform>
        </translation>
    </message>
    <message>
        <location filename="../../app/ui/message_card.py" line="165"/>
        <source>Sending the message again</source>
        <translation>Повторно изпращане на съобщението</translation>
    </message>
</context>
<context>
    <name>MessagesSettings</name>
    <message>
        <location filename="../../app/ui/messages_settings.py" line="559"/>
        <source>Templates</source>
        <translation>Шаблони</translation>
    </message>
    <message>
        <location filename="../../app/ui/messages_settings.py" line="560"/>
        <source>E-mail</source>
        <translation>Имейл</translation>
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
            <numerusform>%Ln обаждане</numerusform>
            <numerusform>%Ln обаждания</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <location filename="../../app/ui/calendar_page.py" line="75"/>
        <source>%Ln meeting(s)</source>
        <translation>
            <numerusform>%Ln среща</numerusform>
            <numerusform>%Ln срещи</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <location filename="../../app/ui/calendar_page.py" line="77"/>
        <source>%Ln date(s)</source>
        <translation>
            <numerusform>%Ln дата</numerusform>
            <numerusform>%Ln дати</numerusform>
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
        <translation>Имен ден (%1):</translation>
    </message>
    <message>
        <location filename="../../app/ui/name_day_offer.py" line="67"/>
        <source>Add %1</source>
        <comment>add the name day on this day, e.g. &apos;Add 6 December&apos;</comment>
        <translation>Добави %1</translation>
    </message>
    <message>
        <location filename="../../app/ui/name_day_offer.py" line="76"/>
        <source>Add the name day on %1 to the client&apos;s personal dates; it is saved with the card</source>
        <translation>Добави имения ден на %1 към личните дати на клиента; записва се заедно с картата</translation>
    </message>
    <message>
        <location filename="../../app/ui/name_day_offer.py" line="99"/>
        <source>✓ Name day %1 added.</source>
        <comment>to the client&apos;s personal dates, saved with the card</comment>
        <translation>✓ Имен ден %1 е добавен.</translation>
    </message>
</context>
<context>
    <name>OfficeSettings</name>
    <message>
        <location filename="../../app/ui/office_settings.py" line="88"/>
        <source>This PC</source>
        <extracomment>(the choice, the password as typed) of the last test that passed: saving needs exactly these values the values the keyring keeps a password for (None: none kept, or not asked)</extracomment>
        <translation>Този компютър</translation>
    </message>
    <message>
        <location filename="../../app/ui/office_settings.py" line="95"/>
        <source>the server&apos;s name or IP address, such as 192.168.1.10</source>
        <translation>име или IP адрес на сървъра, например 192.168.1.10</translation>
    </message>
    <message>
        <location filename="../../app/ui/office_settings.py" line="105"/>
        <source>such as clientcare</source>
        <translation>например clientcare</translation>
    </message>
    <message>
        <location filename="../../app/ui/office_settings.py" line="114"/>
        <source>Test the connection</source>
        <translation>Провери връзката</translation>
    </message>
    <message>
        <location filename="../../app/ui/office_settings.py" line="118"/>
        <source>Use this server on this PC</source>
        <translation>Използвай този сървър на този компютър</translation>
    </message>
    <message>
        <location filename="../../app/ui/office_settings.py" line="120"/>
        <source>Use this PC&apos;s own file</source>
        <translation>Използвай собствения файл на компютъра</translation>
    </message>
    <message>
        <location filename="../../app/ui/office_settings.py" line="127"/>
        <source>Office server</source>
        <translation>Офисен сървър</translation>
    </message>
    <message>
        <location filename="../../app/ui/office_settings.py" line="129"/>
        <source>Server</source>
        <translation>Сървър</translation>
    </message>
    <message>
        <location filename="../../app/ui/office_settings.py" line="131"/>
        <source>Port</source>
        <translation>Порт</translation>
    </message>
    <message>
        <location filename="../../app/ui/office_settings.py" line="133"/>
        <source>Database</source>
        <translation>База данни</translation>
    </message>
    <message>
        <location filename="../../app/ui/office_settings.py" line="135"/>
        <source>User</source>
        <translation>Потребител</translation>
    </message>
    <message>
        <location filename="../../app/ui/office_settings.py" line="137"/>
        <source>Password</source>
        <translation>Парола</translation>
    </message>
    <message>
        <location filename="../../app/ui/office_settings.py" line="150"/>
        <source>Every PC of the office opens the same database on the server. Test the connection first; the choice takes effect at the next start of ClientCare. The password is kept in this PC&apos;s system keyring, never in a file or in the database. If the server is down at a start, ClientCare offers this PC&apos;s own file.</source>
        <translation>Всеки компютър в офиса отваря една и съща база данни на сървъра. Първо проверете връзката; изборът влиза в сила при следващото стартиране на ClientCare. Паролата се пази в системното хранилище за пароли на този компютър, никога във файл или в базата данни. Ако при стартиране сървърът не работи, ClientCare предлага собствения файл на този компютър.</translation>
    </message>
    <message>
        <location filename="../../app/ui/office_settings.py" line="181"/>
        <source>This window works on the office server “%1”, port %2, database “%3”, as the user “%4”.</source>
        <translation>Този прозорец работи с офисния сървър „%1“, порт %2, база данни „%3“, като потребител „%4“.</translation>
    </message>
    <message>
        <location filename="../../app/ui/office_settings.py" line="187"/>
        <source>This window works on this PC&apos;s own file “%1”.</source>
        <translation>Този прозорец работи със собствения файл на този компютър „%1“.</translation>
    </message>
    <message>
        <location filename="../../app/ui/office_settings.py" line="209"/>
        <source>At its next start, ClientCare on this PC opens this PC&apos;s own file.</source>
        <translation>При следващото стартиране ClientCare на този компютър отваря собствения му файл.</translation>
    </message>
    <message>
        <location filename="../../app/ui/office_settings.py" line="212"/>
        <source>At its next start, ClientCare on this PC opens the office server “%1”, port %2, database “%3”, as the user “%4”.</source>
        <translation>При следващото стартиране ClientCare на този компютър отваря офисния сървър „%1“, порт %2, база данни „%3“, като потребител „%4“.</translation>
    </message>
    <message>
        <location filename="../../app/ui/office_settings.py" line="244"/>
        <source>kept in the system keyring</source>
        <translation>пази се в системното хранилище за пароли</translation>
    </message>
    <message>
        <location filename="../../app/ui/office_settings.py" line="234"/>
        <source>Reading the system keyring</source>
        <translation>Четене на системното хранилище за пароли</translation>
    </message>
    <message>
        <location filename="../../app/ui/office_settings.py" line="282"/>
        <source>Connecting…</source>
        <translation>Свързване…</translation>
    </message>
    <message>
        <location filename="../../app/ui/office_settings.py" line="305"/>
        <source>Testing the connection</source>
        <translation>Проверка на връзката</translation>
    </message>
    <message>
        <location filename="../../app/ui/office_settings.py" line="312"/>
        <source>The database is empty: ClientCare sets it up at the first start on it.</source>
        <translation>Базата данни е празна: ClientCare ще я подготви при първото стартиране с нея.</translation>
    </message>
    <message>
        <location filename="../../app/ui/office_settings.py" line="315"/>
        <source>The database was saved by an older ClientCare: it is updated at the first start on it.</source>
        <translation>Базата данни е запазена от по-стара версия на ClientCare: ще бъде обновена при първото стартиране с нея.</translation>
    </message>
    <message>
        <location filename="../../app/ui/office_settings.py" line="318"/>
        <source>The database is ready for this ClientCare.</source>
        <translation>Базата данни е готова за тази версия на ClientCare.</translation>
    </message>
    <message>
        <location filename="../../app/ui/office_settings.py" line="319"/>
        <source>Connected to PostgreSQL %1.</source>
        <translation>Свързано с PostgreSQL %1.</translation>
    </message>
    <message>
        <location filename="../../app/ui/office_settings.py" line="330"/>
        <source>Test the connection first: this PC uses the server only after a test of these values that passes.</source>
        <translation>Първо проверете връзката: този компютър използва сървъра само след успешна проверка на тези данни.</translation>
    </message>
    <message>
        <location filename="../../app/ui/office_settings.py" line="350"/>
        <source>Saved. ClientCare on this PC opens this server from its next start.</source>
        <translation>Запазено. ClientCare на този компютър ще отваря този сървър от следващото стартиране.</translation>
    </message>
    <message>
        <location filename="../../app/ui/office_settings.py" line="357"/>
        <source>Saving the office server</source>
        <translation>Запазване на офисния сървър</translation>
    </message>
    <message>
        <location filename="../../app/ui/office_settings.py" line="379"/>
        <source>Forgotten. ClientCare on this PC opens its own file from its next start.</source>
        <translation>Забравено. ClientCare на този компютър ще отваря собствения си файл от следващото стартиране.</translation>
    </message>
    <message>
        <location filename="../../app/ui/office_settings.py" line="386"/>
        <source>Forgetting the office server</source>
        <translation>Забравяне на офисния сървър</translation>
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
        <translation>Парола</translation>
    </message>
    <message>
        <location filename="../../app/ui/sign_in.py" line="179"/>
        <source>A new password for %1, at least %2 characters.</source>
        <translation>Нова парола за: %1, поне %2 знака.</translation>
    </message>
    <message>
        <location filename="../../app/ui/sign_in.py" line="180"/>
        <source>Set the password</source>
        <translation>Задай паролата</translation>
    </message>
    <message>
        <location filename="../../app/ui/sign_in.py" line="186"/>
        <source>Password again</source>
        <translation>Паролата отново</translation>
    </message>
</context>
<context>
    <name>PersonalDateDialog</name>
    <message>
        <location filename="../../app/ui/card_dialogs.py" line="300"/>
        <source>Personal date</source>
        <translation>Лична дата</translation>
    </message>
    <message>
        <location filename="../../app/ui/card_dialogs.py" line="309"/>
        <source>Whose</source>
        <translation>Чия</translation>
    </message>
    <message>
        <location filename="../../app/ui/card_dialogs.py" line="314"/>
        <source>Kind</source>
        <translation>Вид</translation>
    </message>
    <message>
        <location filename="../../app/ui/card_dialogs.py" line="319"/>
        <source>Label</source>
        <translation>Название</translation>
    </message>
    <message>
        <location filename="../../app/ui/card_dialogs.py" line="331"/>
        <source>year unknown</source>
        <translation>годината е неизвестна</translation>
    </message>
    <message>
        <location filename="../../app/ui/card_dialogs.py" line="334"/>
        <source>Day</source>
        <translation>Ден</translation>
    </message>
    <message>
        <location filename="../../app/ui/card_dialogs.py" line="335"/>
        <source>Month</source>
        <translation>Месец</translation>
    </message>
    <message>
        <location filename="../../app/ui/card_dialogs.py" line="336"/>
        <source>Year</source>
        <translation>Година</translation>
    </message>
    <message>
        <location filename="../../app/ui/card_dialogs.py" line="339"/>
        <source>business default</source>
        <translation>по подразбиране за фирмата</translation>
    </message>
    <message>
        <location filename="../../app/ui/card_dialogs.py" line="341"/>
        <source>Gift reminder, days before</source>
        <translation>Напомняне за подарък, дни предварително</translation>
    </message>
    <message>
        <location filename="../../app/ui/card_dialogs.py" line="361"/>
        <source>In the calendar: %1</source>
        <translation>По календара: %1</translation>
    </message>
</context>
<context>
    <name>PickClientDialog</name>
    <message>
        <location filename="../../app/ui/complaints_page.py" line="522"/>
        <source>New complaint</source>
        <translation>Ново оплакване</translation>
    </message>
    <message>
        <location filename="../../app/ui/complaints_page.py" line="525"/>
        <source>Type part of the client&apos;s name or phone</source>
        <translation>Въведете част от името или телефона на клиента</translation>
    </message>
    <message>
        <location filename="../../app/ui/complaints_page.py" line="528"/>
        <source>Client</source>
        <translation>Клиент</translation>
    </message>
    <message>
        <location filename="../../app/ui/complaints_page.py" line="539"/>
        <source>Pick the client from the suggestions.</source>
        <translation>Изберете клиента от предложенията.</translation>
    </message>
</context>
<context>
    <name>PrintedList</name>
    <message>
        <location filename="../../app/ui/printing.py" line="140"/>
        <source>Page %1 of %2</source>
        <extracomment>families tried first, in this order: each writes Latin and Cyrillic (DejaVu Sans is what Debian&apos;s fonts-dejavu-core brings, and what CI installs) every printed list must write these (a Polish shop has Ukrainian clients too) countries whose paper is Letter, not A4</extracomment>
        <translation>Страница %1 от %2</translation>
    </message>
    <message>
        <location filename="../../app/ui/printing.py" line="146"/>
        <source>Calls of %1</source>
        <translation>Обаждания: %1</translation>
    </message>
    <message numerus="yes">
        <location filename="../../app/ui/printing.py" line="220"/>
        <source>%Ln call(s) to make</source>
        <translation>
            <numerusform>%Ln предстоящо обаждане</numerusform>
            <numerusform>%Ln предстоящи обаждания</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <location filename="../../app/ui/printing.py" line="222"/>
        <source>%Ln overdue</source>
        <translation>
            <numerusform>%Ln просрочено</numerusform>
            <numerusform>%Ln просрочени</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <location filename="../../app/ui/printing.py" line="225"/>
        <source>%Ln logged</source>
        <translation>
            <numerusform>%Ln записано</numerusform>
            <numerusform>%Ln записани</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <location filename="../../app/ui/printing.py" line="232"/>
        <source>Only the first %Ln call(s) are printed; Today lists the others.</source>
        <translation>
            <numerusform>Отпечатано е само първото %Ln обаждане; останалите са на страница „Днес“.</numerusform>
            <numerusform>Отпечатани са само първите %Ln обаждания; останалите са на страница „Днес“.</numerusform>
        </translation>
    </message>
    <message>
        <location filename="../../app/ui/printing.py" line="235"/>
        <location filename="../../app/ui/printing.py" line="256"/>
        <source>When</source>
        <translation>Кога</translation>
    </message>
    <message>
        <location filename="../../app/ui/printing.py" line="235"/>
        <location filename="../../app/ui/printing.py" line="256"/>
        <source>Client</source>
        <translation>Клиент</translation>
    </message>
    <message>
        <location filename="../../app/ui/printing.py" line="236"/>
        <source>Phone</source>
        <translation>Телефон</translation>
    </message>
    <message>
        <location filename="../../app/ui/printing.py" line="236"/>
        <source>Purpose</source>
        <translation>Цел</translation>
    </message>
    <message>
        <location filename="../../app/ui/printing.py" line="237"/>
        <source>Before you call</source>
        <translation>Преди обаждането</translation>
    </message>
    <message>
        <location filename="../../app/ui/printing.py" line="238"/>
        <source>Outcome</source>
        <translation>Резултат</translation>
    </message>
    <message>
        <location filename="../../app/ui/printing.py" line="250"/>
        <source>No call to make on this day.</source>
        <translation>Няма обаждания за този ден.</translation>
    </message>
    <message>
        <location filename="../../app/ui/printing.py" line="254"/>
        <source>To do — not calls</source>
        <translation>Задачи — не са обаждания</translation>
    </message>
    <message>
        <location filename="../../app/ui/printing.py" line="257"/>
        <source>To do</source>
        <translation>Задача</translation>
    </message>
    <message>
        <location filename="../../app/ui/printing.py" line="257"/>
        <source>Done</source>
        <translation>Изпълнено</translation>
    </message>
    <message>
        <location filename="../../app/ui/printing.py" line="509"/>
        <source>Calls %1.pdf</source>
        <extracomment>a page&apos;s part of a table: (which table, its first row, the row after its last) rows laid out at a time while they are measured: each layout is one call into Qt that holds the interpreter (a table of 1,000 rows at once: 1.3 s; 30 rows: a few ms each)</extracomment>
        <translation>Обаждания %1.pdf</translation>
    </message>
    <message>
        <location filename="../../app/ui/printing.py" line="517"/>
        <source>Print the day&apos;s list</source>
        <translation>Отпечатване на списъка за деня</translation>
    </message>
    <message>
        <location filename="../../app/ui/printing.py" line="529"/>
        <source>Save the day&apos;s list as PDF</source>
        <translation>Запазване на списъка за деня като PDF</translation>
    </message>
    <message>
        <location filename="../../app/ui/printing.py" line="530"/>
        <source>PDF files (*.pdf)</source>
        <translation>PDF файлове (*.pdf)</translation>
    </message>
    <message numerus="yes">
        <location filename="../../app/ui/printing.py" line="577"/>
        <source>The day&apos;s list was sent to the printer (%Ln page(s)).</source>
        <translation>
            <numerusform>Списъкът за деня е изпратен към принтера (%Ln страница).</numerusform>
            <numerusform>Списъкът за деня е изпратен към принтера (%Ln страници).</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <location filename="../../app/ui/printing.py" line="588"/>
        <source>The day&apos;s list was saved to %1 (%Ln page(s)).</source>
        <translation>
            <numerusform>Списъкът за деня е запазен в %1 (%Ln страница).</numerusform>
            <numerusform>Списъкът за деня е запазен в %1 (%Ln страници).</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>Progress</name>
    <message>
        <location filename="../../app/ui/worded_progress.py" line="71"/>
        <source>Reading and checking the file: row %1 of %2…</source>
        <translation>Четене и проверка на файла: ред %1 от %2…</translation>
    </message>
    <message numerus="yes">
        <location filename="../../app/ui/worded_progress.py" line="51"/>
        <source>Importing: %1 of %Ln row(s) written…</source>
        <extracomment>a stage code -&gt; its sentence for (done, total); total may be None (not known)</extracomment>
        <translation>
            <numerusform>Импортиране: записани %1 от %Ln ред…</numerusform>
            <numerusform>Импортиране: записани %1 от %Ln реда…</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <location filename="../../app/ui/worded_progress.py" line="56"/>
        <source>Exporting: %1 of %Ln row(s) written…</source>
        <translation>
            <numerusform>Експортиране: записани %1 от %Ln ред…</numerusform>
            <numerusform>Експортиране: записани %1 от %Ln реда…</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <location filename="../../app/ui/worded_progress.py" line="61"/>
        <source>Exporting the calendar: %1 of %Ln event(s)…</source>
        <translation>
            <numerusform>Експортиране на календара: %1 от %Ln събитие…</numerusform>
            <numerusform>Експортиране на календара: %1 от %Ln събития…</numerusform>
        </translation>
    </message>
    <message>
        <location filename="../../app/ui/worded_progress.py" line="75"/>
        <source>Planning the calls of the imported clients…</source>
        <translation>Планиране на обажданията до импортираните клиенти…</translation>
    </message>
    <message>
        <location filename="../../app/ui/worded_progress.py" line="77"/>
        <source>Copying the database: %1 %…</source>
        <translation>Копиране на базата данни: %1 %…</translation>
    </message>
    <message>
        <location filename="../../app/ui/worded_progress.py" line="79"/>
        <source>Checking the copy…</source>
        <translation>Проверка на копието…</translation>
    </message>
    <message>
        <location filename="../../app/ui/worded_progress.py" line="82"/>
        <source>Checking every page of the database…</source>
        <translation>Проверка на всяка страница от базата данни…</translation>
    </message>
</context>
<context>
    <name>PurchaseDialog</name>
    <message>
        <location filename="../../app/ui/card_dialogs.py" line="133"/>
        <source>Purchase</source>
        <translation>Покупка</translation>
    </message>
    <message>
        <location filename="../../app/ui/card_dialogs.py" line="134"/>
        <source>Edit purchase</source>
        <translation>Редактиране на покупка</translation>
    </message>
    <message>
        <location filename="../../app/ui/card_dialogs.py" line="137"/>
        <source>Date</source>
        <translation>Дата</translation>
    </message>
    <message>
        <location filename="../../app/ui/card_dialogs.py" line="139"/>
        <source>Amount</source>
        <translation>Сума</translation>
    </message>
    <message>
        <location filename="../../app/ui/card_dialogs.py" line="143"/>
        <source>Item or service</source>
        <translation>Продукт или услуга</translation>
    </message>
    <message>
        <location filename="../../app/ui/card_dialogs.py" line="145"/>
        <source>Quantity</source>
        <translation>Количество</translation>
    </message>
    <message>
        <location filename="../../app/ui/card_dialogs.py" line="148"/>
        <source>Note</source>
        <translation>Бележка</translation>
    </message>
    <message>
        <location filename="../../app/ui/card_dialogs.py" line="175"/>
        <source>A purchase in the future</source>
        <translation>Покупка в бъдещето</translation>
    </message>
    <message>
        <location filename="../../app/ui/card_dialogs.py" line="176"/>
        <source>This purchase is dated %1, after today. Save it with this date?</source>
        <translation>Тази покупка е с дата %1, след днешния ден. Да се запише ли с тази дата?</translation>
    </message>
</context>
<context>
    <name>QueueModel</name>
    <message>
        <location filename="../../app/ui/today_page.py" line="215"/>
        <location filename="../../app/ui/today_page.py" line="218"/>
        <source>Due</source>
        <extracomment>client id -&gt; their newest message that failed (issue 18), for the rows read</extracomment>
        <translation>Срок</translation>
    </message>
    <message>
        <location filename="../../app/ui/today_page.py" line="215"/>
        <location filename="../../app/ui/today_page.py" line="218"/>
        <source>Client</source>
        <translation>Клиент</translation>
    </message>
    <message>
        <location filename="../../app/ui/today_page.py" line="215"/>
        <source>To do</source>
        <translation>Задача</translation>
    </message>
    <message>
        <location filename="../../app/ui/today_page.py" line="216"/>
        <source>How it is done</source>
        <translation>Как се изпълнява</translation>
    </message>
    <message>
        <location filename="../../app/ui/today_page.py" line="218"/>
        <source>Reason</source>
        <translation>Причина</translation>
    </message>
    <message>
        <location filename="../../app/ui/today_page.py" line="219"/>
        <source>Phone</source>
        <translation>Телефон</translation>
    </message>
    <message>
        <location filename="../../app/ui/today_page.py" line="219"/>
        <source>Before you call</source>
        <translation>Преди обаждането</translation>
    </message>
    <message>
        <location filename="../../app/ui/today_page.py" line="249"/>
        <source>done</source>
        <translation>готово</translation>
    </message>
    <message numerus="yes">
        <location filename="../../app/ui/today_page.py" line="251"/>
        <source>%Ln day(s) late</source>
        <translation>
            <numerusform>%Ln ден закъснение</numerusform>
            <numerusform>%Ln дни закъснение</numerusform>
        </translation>
    </message>
    <message>
        <location filename="../../app/ui/today_page.py" line="252"/>
        <source>today</source>
        <translation>днес</translation>
    </message>
    <message>
        <location filename="../../app/ui/printing.py" line="183"/>
        <location filename="../../app/ui/today_page.py" line="255"/>
        <source>(the business)</source>
        <translation>(фирмата)</translation>
    </message>
    <message>
        <location filename="../../app/ui/printing.py" line="175"/>
        <location filename="../../app/ui/today_page.py" line="263"/>
        <source>try %1</source>
        <translation>опит %1</translation>
    </message>
    <message>
        <location filename="../../app/ui/today_page.py" line="292"/>
        <source>Enter opens the A/B/C review</source>
        <translation>Enter отваря прегледа на групите A/B/C</translation>
    </message>
    <message>
        <location filename="../../app/ui/today_page.py" line="294"/>
        <source>Enter opens the complaint&apos;s review</source>
        <translation>Enter отваря прегледа на оплакването</translation>
    </message>
    <message>
        <location filename="../../app/ui/today_page.py" line="295"/>
        <source>“Mark done” when it is ready</source>
        <translation>„Готово“, когато е направено</translation>
    </message>
    <message>
        <location filename="../../app/ui/today_page.py" line="300"/>
        <source>message not sent (S sends it again)</source>
        <translation>съобщението не е изпратено (S го изпраща отново)</translation>
    </message>
    <message>
        <location filename="../../app/ui/today_page.py" line="302"/>
        <source>prefers a message (S)</source>
        <translation>предпочита съобщение (S)</translation>
    </message>
    <message>
        <location filename="../../app/ui/today_page.py" line="307"/>
        <source>do not contact</source>
        <translation>без контакт</translation>
    </message>
    <message>
        <location filename="../../app/ui/today_page.py" line="309"/>
        <source>open complaint</source>
        <translation>открито оплакване</translation>
    </message>
    <message>
        <location filename="../../app/ui/today_page.py" line="313"/>
        <source>promo</source>
        <translation>промоция</translation>
    </message>
    <message>
        <location filename="../../app/ui/today_page.py" line="315"/>
        <source>discount</source>
        <translation>отстъпка</translation>
    </message>
    <message>
        <location filename="../../app/ui/today_page.py" line="317"/>
        <source>frozen</source>
        <translation>замразяване</translation>
    </message>
    <message>
        <location filename="../../app/ui/today_page.py" line="319"/>
        <source>new client</source>
        <translation>нов клиент</translation>
    </message>
    <message>
        <location filename="../../app/ui/today_page.py" line="321"/>
        <source>last contact %1 (%2)</source>
        <translation>последен контакт %1 (%2)</translation>
    </message>
    <message numerus="yes">
        <location filename="../../app/ui/today_page.py" line="324"/>
        <source>no answer %n time(s)</source>
        <translation>
            <numerusform>без отговор: %n опит</numerusform>
            <numerusform>без отговор: %n опита</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>RelativeDialog</name>
    <message>
        <location filename="../../app/ui/card_dialogs.py" line="260"/>
        <source>Family member</source>
        <translation>Член на семейството</translation>
    </message>
    <message>
        <location filename="../../app/ui/card_dialogs.py" line="262"/>
        <source>Name</source>
        <translation>Име</translation>
    </message>
    <message>
        <location filename="../../app/ui/card_dialogs.py" line="268"/>
        <source>Relation</source>
        <translation>Връзка</translation>
    </message>
    <message>
        <location filename="../../app/ui/card_dialogs.py" line="271"/>
        <source>Note (tastes, gift ideas)</source>
        <translation>Бележка (вкусове, идеи за подаръци)</translation>
    </message>
</context>
<context>
    <name>RescheduleDialog</name>
    <message>
        <location filename="../../app/ui/today_page.py" line="1403"/>
        <source>Reschedule</source>
        <translation>Пренасрочване</translation>
    </message>
    <message>
        <location filename="../../app/ui/today_page.py" line="1412"/>
        <source>Call on:</source>
        <translation>Дата на обаждането:</translation>
    </message>
</context>
<context>
    <name>RiskCheck</name>
    <message numerus="yes">
        <location filename="../../app/ui/charts_page.py" line="386"/>
        <source>Of the %Ln client(s) who had bought by %1, %2 bought nothing in the %3 after.</source>
        <translation>
            <numerusform>От %Ln клиент, купувал до %1, през следващите %3 не е купил нищо: %2.</numerusform>
            <numerusform>От %Ln клиенти, купували до %1, през следващите %3 не са купили нищо: %2.</numerusform>
        </translation>
    </message>
    <message>
        <location filename="../../app/ui/charts_page.py" line="389"/>
        <source>The at-risk flag caught %1 of them (recall), and %2 of the clients it flagged were really lost (precision).</source>
        <translation>Отметката „в риск“ откри %1 от тях (пълнота), а %2 от отбелязаните клиенти наистина са загубени (точност).</translation>
    </message>
    <message>
        <location filename="../../app/ui/charts_page.py" line="393"/>
        <source>How well each sorts the lost above the others (AUC: 0.5 is a coin toss, 1 is perfect): the risk score %1, days since the last purchase alone %2, the at-risk flag %3.</source>
        <translation>Колко добре всеки показател поставя загубените над останалите (AUC: 0,5 е хвърляне на монета, 1 е идеално): оценката на риска %1, само дните от последната покупка %2, отметката „в риск“ %3.</translation>
    </message>
    <message>
        <location filename="../../app/ui/charts_page.py" line="400"/>
        <source>The flag is a risk score of %1 or more (Settings, Rules). The old rule, days since the last purchase against the usual gap, caught %2 and was right for %3 (AUC %4).</source>
        <translation>Флагът е оценка на риска %1 или повече (Настройки, Правила). Старото правило, дни от последната покупка спрямо обичайната пауза, улови %2 и беше право в %3 (AUC %4).</translation>
    </message>
    <message>
        <location filename="../../app/ui/charts_page.py" line="407"/>
        <source>There is too little history for a fitted model yet: the score compares the days since the last purchase with the client&apos;s usual gap.</source>
        <translation>Историята все още е твърде кратка за напасван модел: оценката сравнява дните от последната покупка с обичайния интервал на клиента.</translation>
    </message>
</context>
<context>
    <name>RiskCheckPanel</name>
    <message>
        <location filename="../../app/ui/charts_page.py" line="426"/>
        <source>How well does at-risk predict, on your own data</source>
        <translation>Колко точно „в риск“ предсказва загубата — по вашите данни</translation>
    </message>
    <message>
        <location filename="../../app/ui/charts_page.py" line="434"/>
        <source> days</source>
        <translation> дни</translation>
    </message>
    <message>
        <location filename="../../app/ui/charts_page.py" line="435"/>
        <source>Check</source>
        <translation>Провери</translation>
    </message>
    <message>
        <location filename="../../app/ui/charts_page.py" line="438"/>
        <source>Cut the history at a date, score every client as the app would have then, and compare with who bought nothing in the days after.</source>
        <translation>Отрежете историята към избрана дата, оценете всеки клиент както приложението би го направило тогава, и сравнете с това кой не е купил нищо през следващите дни.</translation>
    </message>
    <message>
        <location filename="../../app/ui/charts_page.py" line="445"/>
        <source>History up to</source>
        <translation>История до</translation>
    </message>
    <message>
        <location filename="../../app/ui/charts_page.py" line="447"/>
        <source>lost if no purchase within</source>
        <translation>загубен, ако не е купил в рамките на</translation>
    </message>
    <message>
        <location filename="../../app/ui/charts_page.py" line="470"/>
        <source>Checking…</source>
        <translation>Проверка…</translation>
    </message>
    <message>
        <location filename="../../app/ui/charts_page.py" line="471"/>
        <source>Checking the risk score on your history…</source>
        <translation>Проверка на оценката на риска по вашата история…</translation>
    </message>
    <message>
        <location filename="../../app/ui/charts_page.py" line="490"/>
        <source>Checking the risk score…</source>
        <translation>Проверка на оценката на риска…</translation>
    </message>
</context>
<context>
    <name>RiskRefresher</name>
    <message>
        <location filename="../../app/ui/risk_refresh.py" line="98"/>
        <source>Risk scores: reading the purchases…</source>
        <translation>Оценка на риска: четене на покупките…</translation>
    </message>
    <message>
        <location filename="../../app/ui/risk_refresh.py" line="126"/>
        <source>Risk scores: computing (step %1 of %2)…</source>
        <translation>Оценка на риска: изчисляване (стъпка %1 от %2)…</translation>
    </message>
    <message>
        <location filename="../../app/ui/risk_refresh.py" line="139"/>
        <location filename="../../app/ui/risk_refresh.py" line="143"/>
        <source>Risk scores: saving…</source>
        <translation>Оценка на риска: записване…</translation>
    </message>
</context>
<context>
    <name>RiskWords</name>
    <message>
        <location filename="../../app/ui/risk_words.py" line="22"/>
        <source>high risk</source>
        <translation>висок риск</translation>
    </message>
    <message>
        <location filename="../../app/ui/risk_words.py" line="23"/>
        <source>medium risk</source>
        <translation>среден риск</translation>
    </message>
    <message>
        <location filename="../../app/ui/risk_words.py" line="24"/>
        <source>low risk</source>
        <translation>нисък риск</translation>
    </message>
    <message>
        <location filename="../../app/ui/risk_words.py" line="29"/>
        <source>High risk</source>
        <translation>Висок риск</translation>
    </message>
    <message>
        <location filename="../../app/ui/risk_words.py" line="30"/>
        <source>Medium risk</source>
        <translation>Среден риск</translation>
    </message>
    <message>
        <location filename="../../app/ui/risk_words.py" line="31"/>
        <source>Low risk</source>
        <translation>Нисък риск</translation>
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
            <numerusform>%n ден</numerusform>
            <numerusform>%n дни</numerusform>
        </translation>
    </message>
    <message>
        <location filename="../../app/ui/risk_words.py" line="53"/>
        <source>usual gap %1, %2 since the last purchase (%3×), 12-month value %4: %5</source>
        <translation>обичаен интервал %1, от последната покупка %2 (%3×), стойност за 12 месеца %4: %5</translation>
    </message>
    <message numerus="yes">
        <location filename="../../app/ui/risk_words.py" line="56"/>
        <source>%n purchase day(s)</source>
        <translation>
            <numerusform>%n ден с покупка</numerusform>
            <numerusform>%n дни с покупки</numerusform>
        </translation>
    </message>
    <message>
        <location filename="../../app/ui/risk_words.py" line="57"/>
        <source>%1, %2 since the last one; the business&apos;s usual gap is %3 (%4×), 12-month value %5: %6</source>
        <translation>%1, от последния %2; обичайният интервал при бизнеса е %3 (%4×), стойност за 12 месеца %5: %6</translation>
    </message>
    <message>
        <location filename="../../app/ui/risk_words.py" line="65"/>
        <source>not past the usual gap yet</source>
        <translation>все още в рамките на обичайния интервал</translation>
    </message>
    <message numerus="yes">
        <location filename="../../app/ui/risk_words.py" line="66"/>
        <source>%n day(s) past the usual gap</source>
        <translation>
            <numerusform>%n ден над обичайния интервал</numerusform>
            <numerusform>%n дни над обичайния интервал</numerusform>
        </translation>
    </message>
    <message>
        <location filename="../../app/ui/risk_words.py" line="71"/>
        <source>No risk score yet (it is computed after the start of the day and after an import): the at-risk status follows the days since the last purchase over the usual gap.</source>
        <translation>Все още няма оценка на риска (изчислява се след началото на деня и след импорт): статусът „В риск“ следва дните от последната покупка спрямо обичайния интервал.</translation>
    </message>
    <message>
        <location filename="../../app/ui/risk_words.py" line="77"/>
        <source>A purchase came after the last risk score: until it is computed again, the at-risk status follows the days since the last purchase over the usual gap.</source>
        <translation>След последната оценка на риска има нова покупка: докато не се изчисли отново, статусът „В риск“ следва дните от последната покупка спрямо обичайния интервал.</translation>
    </message>
    <message>
        <location filename="../../app/ui/risk_words.py" line="84"/>
        <source>BG/NBD model</source>
        <translation>модел BG/NBD</translation>
    </message>
    <message>
        <location filename="../../app/ui/risk_words.py" line="85"/>
        <source>logistic model</source>
        <translation>логистичен модел</translation>
    </message>
    <message>
        <location filename="../../app/ui/risk_words.py" line="86"/>
        <source>simple score: too little history for a fitted model</source>
        <translation>проста оценка: историята е твърде кратка за напаснат модел</translation>
    </message>
    <message>
        <location filename="../../app/ui/risk_words.py" line="87"/>
        <source>the chance of no purchase in the next %1, computed on %2 (%3)</source>
        <translation>вероятността да няма покупка в следващите %1, изчислена на %2 (%3)</translation>
    </message>
</context>
<context>
    <name>RulesSettings</name>
    <message>
        <location filename="../../app/ui/rules_settings.py" line="68"/>
        <source>Working days</source>
        <translation>Работни дни</translation>
    </message>
    <message>
        <location filename="../../app/ui/rules_settings.py" line="69"/>
        <source>Calls are made on</source>
        <translation>Обаждаме се в дните</translation>
    </message>
    <message>
        <location filename="../../app/ui/rules_settings.py" line="70"/>
        <source>Calls and renewals never fall on a closed day nor on a public holiday of the business&apos;s country (Settings → Business); a call nobody answers moves to the next working day.</source>
        <translation>Обажданията и подновяванията никога не се падат в неработен ден или в официален празник на държавата на фирмата (Настройки → Фирма); обаждане без отговор се премества за следващия работен ден.</translation>
    </message>
    <message>
        <location filename="../../app/ui/rules_settings.py" line="75"/>
        <source>Follow-up after a purchase</source>
        <translation>Обаждане след покупка</translation>
    </message>
    <message>
        <location filename="../../app/ui/rules_settings.py" line="76"/>
        <source>Make follow-up calls</source>
        <translation>Обаждане на клиентите след покупка</translation>
    </message>
    <message>
        <location filename="../../app/ui/rules_settings.py" line="77"/>
        <source>Days after the purchase</source>
        <translation>Дни след покупката</translation>
    </message>
    <message>
        <location filename="../../app/ui/rules_settings.py" line="78"/>
        <source>Call no later than, days</source>
        <translation>Краен срок за обаждане, дни</translation>
    </message>
    <message>
        <location filename="../../app/ui/rules_settings.py" line="80"/>
        <source>A client is new until purchase number</source>
        <translation>Клиентът е нов до покупка №</translation>
    </message>
    <message>
        <location filename="../../app/ui/rules_settings.py" line="82"/>
        <source>Also for other clients from this amount (0 = only new)</source>
        <translation>Също и за останалите клиенти от сума (0 = само нови)</translation>
    </message>
    <message>
        <location filename="../../app/ui/rules_settings.py" line="84"/>
        <source>Memberships</source>
        <translation>Абонаменти</translation>
    </message>
    <message>
        <location filename="../../app/ui/rules_settings.py" line="85"/>
        <source>Onboarding check-in</source>
        <translation>Контакт с нов клиент</translation>
    </message>
    <message>
        <location filename="../../app/ui/rules_settings.py" line="86"/>
        <source>Days after the start</source>
        <translation>Дни след началото</translation>
    </message>
    <message>
        <location filename="../../app/ui/rules_settings.py" line="87"/>
        <source>Renewal calls</source>
        <translation>Обаждания за подновяване</translation>
    </message>
    <message>
        <location filename="../../app/ui/rules_settings.py" line="88"/>
        <source>Days before the end</source>
        <translation>Дни преди края</translation>
    </message>
    <message>
        <location filename="../../app/ui/rules_settings.py" line="90"/>
        <source>Frozen days extend the membership</source>
        <translation>Дните на замразяване удължават абонамента</translation>
    </message>
    <message>
        <location filename="../../app/ui/rules_settings.py" line="92"/>
        <source>Personal dates</source>
        <translation>Лични дати</translation>
    </message>
    <message>
        <location filename="../../app/ui/rules_settings.py" line="94"/>
        <source>Congratulate on birthdays and name days</source>
        <translation>Поздравяване за рожден и имен ден</translation>
    </message>
    <message>
        <location filename="../../app/ui/rules_settings.py" line="95"/>
        <source>Gift reminder, days before</source>
        <translation>Напомняне за подарък, дни предварително</translation>
    </message>
    <message>
        <location filename="../../app/ui/rules_settings.py" line="97"/>
        <source>Show dates this many days ahead</source>
        <translation>Показване на датите, дни напред</translation>
    </message>
    <message>
        <location filename="../../app/ui/rules_settings.py" line="99"/>
        <source>Complaints</source>
        <translation>Оплаквания</translation>
    </message>
    <message>
        <location filename="../../app/ui/rules_settings.py" line="101"/>
        <source>Call back, days after the fix</source>
        <translation>Обратно обаждане, дни след решението</translation>
    </message>
    <message>
        <location filename="../../app/ui/rules_settings.py" line="103"/>
        <source>Team review, days after the fix</source>
        <translation>Преглед с екипа, дни след решението</translation>
    </message>
    <message>
        <location filename="../../app/ui/rules_settings.py" line="105"/>
        <source>First response within, hours</source>
        <translation>Първи отговор до, часа</translation>
    </message>
    <message>
        <location filename="../../app/ui/rules_settings.py" line="106"/>
        <source>A receptionist may grant on the spot, up to</source>
        <translation>Рецепционистът може да предостави на място до</translation>
    </message>
    <message>
        <location filename="../../app/ui/rules_settings.py" line="108"/>
        <source>A manager may grant on the spot, up to</source>
        <translation>Управителят може да предостави на място до</translation>
    </message>
    <message>
        <location filename="../../app/ui/rules_settings.py" line="110"/>
        <source>An owner may grant any compensation and approves more than the others&apos; limits. Amounts are in the business&apos;s currency.</source>
        <translation>Собственикът може да предостави всякакво обезщетение и одобрява суми над лимитите на останалите. Сумите са във валутата на фирмата.</translation>
    </message>
    <message>
        <location filename="../../app/ui/rules_settings.py" line="114"/>
        <source>Clients who stop coming</source>
        <translation>Клиенти, които спират да идват</translation>
    </message>
    <message>
        <location filename="../../app/ui/rules_settings.py" line="115"/>
        <source>Win-back calls</source>
        <translation>Обаждания за връщане на клиенти</translation>
    </message>
    <message>
        <location filename="../../app/ui/rules_settings.py" line="117"/>
        <source>At risk when the gap is this many times the usual</source>
        <translation>В риск, когато паузата е толкова пъти по-дълга от обичайната</translation>
    </message>
    <message>
        <location filename="../../app/ui/rules_settings.py" line="119"/>
        <source>Purchases needed to know a client&apos;s usual gap</source>
        <translation>Покупки, нужни за определяне на обичайната пауза</translation>
    </message>
    <message>
        <location filename="../../app/ui/rules_settings.py" line="121"/>
        <source>Otherwise at risk after, days</source>
        <translation>Иначе в риск след, дни</translation>
    </message>
    <message>
        <location filename="../../app/ui/rules_settings.py" line="122"/>
        <source>Lapsed after, days</source>
        <translation>Отпаднал след, дни</translation>
    </message>
    <message>
        <location filename="../../app/ui/rules_settings.py" line="123"/>
        <source>Risk score: the chance of no purchase in the next, days</source>
        <translation>Оценка на риска: вероятност да няма покупка в следващите, дни</translation>
    </message>
    <message>
        <location filename="../../app/ui/rules_settings.py" line="125"/>
        <source>At risk from a risk score of, percent</source>
        <translation>В риск от оценка на риска, процента</translation>
    </message>
    <message>
        <location filename="../../app/ui/rules_settings.py" line="127"/>
        <source>A client with a risk score is at risk from that score on; the gap rule above decides for a client without one yet (the scores are computed after the start of the day and after an import).</source>
        <translation>Клиент с оценка на риска е в риск от тази оценка нагоре; за клиент без оценка решава правилото за интервала по-горе (оценките се изчисляват след началото на деня и след импорт).</translation>
    </message>
    <message>
        <location filename="../../app/ui/rules_settings.py" line="132"/>
        <source>Keep in touch with A clients</source>
        <translation>Поддържане на връзка с клиентите от група A</translation>
    </message>
    <message>
        <location filename="../../app/ui/rules_settings.py" line="134"/>
        <source>Days without a pleasant contact</source>
        <translation>Дни без приятен контакт</translation>
    </message>
    <message>
        <location filename="../../app/ui/rules_settings.py" line="136"/>
        <source>Touch, don&apos;t pester</source>
        <translation>Контакт, но без натрапване</translation>
    </message>
    <message>
        <location filename="../../app/ui/rules_settings.py" line="137"/>
        <source>At most this many contacts</source>
        <translation>Най-много контакти</translation>
    </message>
    <message>
        <location filename="../../app/ui/rules_settings.py" line="138"/>
        <source>in this many days</source>
        <translation>за толкова дни</translation>
    </message>
    <message>
        <location filename="../../app/ui/rules_settings.py" line="139"/>
        <source>Tries when nobody answers</source>
        <translation>Опити при липса на отговор</translation>
    </message>
    <message>
        <location filename="../../app/ui/rules_settings.py" line="141"/>
        <source>Groups and value</source>
        <translation>Групи и стойност</translation>
    </message>
    <message>
        <location filename="../../app/ui/rules_settings.py" line="142"/>
        <source>Group A: clients making this percent of revenue</source>
        <translation>Група A: клиенти, носещи този процент от приходите</translation>
    </message>
    <message>
        <location filename="../../app/ui/rules_settings.py" line="143"/>
        <source>Group B: the next percent of revenue</source>
        <translation>Група B: следващият процент от приходите</translation>
    </message>
    <message>
        <location filename="../../app/ui/rules_settings.py" line="144"/>
        <source>Group A: bought on at least this many days</source>
        <translation>Група A: покупки в поне толкова различни дни</translation>
    </message>
    <message>
        <location filename="../../app/ui/rules_settings.py" line="145"/>
        <source>Client value over, days</source>
        <translation>Стойност на клиента за период, дни</translation>
    </message>
    <message>
        <location filename="../../app/ui/rules_settings.py" line="147"/>
        <source>Quarterly A/B/C review reminder</source>
        <translation>Напомняне за тримесечния преглед на групите A/B/C</translation>
    </message>
    <message>
        <location filename="../../app/ui/rules_settings.py" line="149"/>
        <source>Backups</source>
        <translation>Резервни копия</translation>
    </message>
    <message>
        <location filename="../../app/ui/rules_settings.py" line="151"/>
        <source>Keep one automatic backup a day for days</source>
        <translation>Пазене на по едно автоматично копие на ден, дни</translation>
    </message>
    <message>
        <location filename="../../app/ui/rules_settings.py" line="153"/>
        <source>Keep one automatic backup a week for weeks</source>
        <translation>Пазене на по едно автоматично копие на седмица, седмици</translation>
    </message>
    <message>
        <location filename="../../app/ui/rules_settings.py" line="198"/>
        <source>Save the rules</source>
        <translation>Запази правилата</translation>
    </message>
    <message>
        <location filename="../../app/ui/rules_settings.py" line="200"/>
        <source>Back to the defaults</source>
        <translation>Върни стойностите по подразбиране</translation>
    </message>
    <message>
        <location filename="../../app/ui/rules_settings.py" line="271"/>
        <source>Defaults filled in; save to use them.</source>
        <translation>Попълнени са стойностите по подразбиране; запазете, за да се приложат.</translation>
    </message>
    <message>
        <location filename="../../app/ui/rules_settings.py" line="296"/>
        <source>Nothing was saved: please correct the marked values.</source>
        <translation>Нищо не е запазено: коригирайте отбелязаните стойности.</translation>
    </message>
    <message>
        <location filename="../../app/ui/rules_settings.py" line="301"/>
        <source>Saving the rules and rescheduling the calls</source>
        <translation>Запазване на правилата и препланиране на обажданията</translation>
    </message>
    <message>
        <location filename="../../app/ui/rules_settings.py" line="304"/>
        <location filename="../../app/ui/rules_settings.py" line="327"/>
        <source>Nothing was saved.</source>
        <translation>Нищо не е запазено.</translation>
    </message>
    <message>
        <location filename="../../app/ui/rules_settings.py" line="307"/>
        <source>Saving…</source>
        <translation>Запазване…</translation>
    </message>
    <message numerus="yes">
        <location filename="../../app/ui/rules_settings.py" line="316"/>
        <source>Saved. %n new call(s) scheduled.</source>
        <translation>
            <numerusform>Запазено. Планирано е %n ново обаждане.</numerusform>
            <numerusform>Запазено. Планирани са %n нови обаждания.</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <location filename="../../app/ui/rules_settings.py" line="317"/>
        <source>%n call(s) cancelled.</source>
        <translation>
            <numerusform>Отменено е %n обаждане.</numerusform>
            <numerusform>Отменени са %n обаждания.</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>SegmentReview</name>
    <message>
        <location filename="../../app/ui/segment_review.py" line="40"/>
        <source>Competitor&apos;s prices</source>
        <translation>Цените на конкурентите</translation>
    </message>
    <message>
        <location filename="../../app/ui/segment_review.py" line="41"/>
        <source>Delivery trouble</source>
        <translation>Проблеми с доставката</translation>
    </message>
    <message>
        <location filename="../../app/ui/segment_review.py" line="42"/>
        <source>Personality conflict</source>
        <translation>Личен конфликт</translation>
    </message>
    <message>
        <location filename="../../app/ui/segment_review.py" line="43"/>
        <source>Other</source>
        <translation>Друго</translation>
    </message>
</context>
<context>
    <name>SegmentReviewPage</name>
    <message>
        <location filename="../../app/ui/segment_review.py" line="81"/>
        <source>Client</source>
        <translation>Клиент</translation>
    </message>
    <message>
        <location filename="../../app/ui/segment_review.py" line="81"/>
        <source>Was</source>
        <translation>Преди</translation>
    </message>
    <message>
        <location filename="../../app/ui/segment_review.py" line="81"/>
        <source>Now</source>
        <translation>Сега</translation>
    </message>
    <message>
        <location filename="../../app/ui/segment_review.py" line="81"/>
        <source>12-month value</source>
        <translation>Стойност за 12 мес.</translation>
    </message>
    <message>
        <location filename="../../app/ui/segment_review.py" line="82"/>
        <source>Purchases</source>
        <translation>Покупки</translation>
    </message>
    <message>
        <location filename="../../app/ui/segment_review.py" line="82"/>
        <source>Call minutes</source>
        <translation>Минути в обаждания</translation>
    </message>
    <message>
        <location filename="../../app/ui/segment_review.py" line="82"/>
        <source>Why did they move?</source>
        <translation>Защо е сменил групата?</translation>
    </message>
    <message>
        <location filename="../../app/ui/segment_review.py" line="83"/>
        <source>Details</source>
        <translation>Подробности</translation>
    </message>
    <message>
        <location filename="../../app/ui/segment_review.py" line="123"/>
        <source>Quarterly A/B/C review: %1</source>
        <translation>Тримесечен преглед на групите A/B/C: %1</translation>
    </message>
    <message numerus="yes">
        <location filename="../../app/ui/segment_review.py" line="128"/>
        <source>No review is recorded yet. Record the groups of all %Ln client(s) as the starting point; at the next review this list shows who moved between A, B and C, and asks why.</source>
        <translation>
            <numerusform>Все още няма записан преглед. Запишете групата на %Ln клиент като отправна точка; при следващия преглед този списък ще покаже кой е преминал в друга група (A, B или C) и ще попита защо.</numerusform>
            <numerusform>Все още няма записан преглед. Запишете групите на всички %Ln клиенти като отправна точка; при следващия преглед този списък ще покаже кой е преминал в друга група (A, B или C) и ще попита защо.</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <location filename="../../app/ui/segment_review.py" line="192"/>
        <source>Recorded the groups of %Ln client(s) for %1.</source>
        <translation>
            <numerusform>Записана е групата на %Ln клиент за %1.</numerusform>
            <numerusform>Записани са групите на %Ln клиенти за %1.</numerusform>
        </translation>
    </message>
    <message>
        <location filename="../../app/ui/segment_review.py" line="131"/>
        <source>Record the groups</source>
        <translation>Запиши групите</translation>
    </message>
    <message>
        <location filename="../../app/ui/segment_review.py" line="134"/>
        <source>Clients whose group changed since the review of %1. Compare what they bring with the time they take, and say why each one moved.</source>
        <translation>Клиентите, чиято група се е променила след прегледа за %1. Сравнете какво носят с времето, което отнемат, и посочете защо всеки от тях е сменил групата си.</translation>
    </message>
    <message>
        <location filename="../../app/ui/segment_review.py" line="137"/>
        <source>Record the review</source>
        <translation>Запиши прегледа</translation>
    </message>
    <message>
        <location filename="../../app/ui/segment_review.py" line="138"/>
        <source>This quarter&apos;s review is recorded; recording again updates it.</source>
        <translation>Прегледът за това тримесечие е записан; повторното записване ще го обнови.</translation>
    </message>
    <message>
        <location filename="../../app/ui/segment_review.py" line="148"/>
        <source>Group set by the owner: %1</source>
        <translation>Групата е зададена от собственика: %1</translation>
    </message>
    <message>
        <location filename="../../app/ui/segment_review.py" line="161"/>
        <source>— choose —</source>
        <translation>— изберете —</translation>
    </message>
    <message>
        <location filename="../../app/ui/segment_review.py" line="166"/>
        <source>What happened, in a few words</source>
        <translation>Какво се случи — с няколко думи</translation>
    </message>
    <message>
        <location filename="../../app/ui/segment_review.py" line="172"/>
        <source>Nobody moved.</source>
        <translation>Никой не е сменил групата си.</translation>
    </message>
</context>
<context>
    <name>ServerBackupSettings</name>
    <message>
        <location filename="../../app/ui/server_backup_settings.py" line="46"/>
        <source>Folder: %1</source>
        <translation>Папка: %1</translation>
    </message>
    <message>
        <location filename="../../app/ui/server_backup_settings.py" line="48"/>
        <source>File</source>
        <translation>Файл</translation>
    </message>
    <message>
        <location filename="../../app/ui/server_backup_settings.py" line="48"/>
        <source>When</source>
        <translation>Дата на създаване</translation>
    </message>
    <message>
        <location filename="../../app/ui/server_backup_settings.py" line="48"/>
        <source>Size</source>
        <translation>Размер</translation>
    </message>
    <message>
        <location filename="../../app/ui/server_backup_settings.py" line="54"/>
        <source>Back up now</source>
        <translation>Направи резервно копие сега</translation>
    </message>
    <message>
        <location filename="../../app/ui/server_backup_settings.py" line="55"/>
        <source>How to restore the chosen backup…</source>
        <translation>Как да се възстанови избраното копие…</translation>
    </message>
    <message>
        <location filename="../../app/ui/server_backup_settings.py" line="57"/>
        <source>Open the folder</source>
        <translation>Отвори папката</translation>
    </message>
    <message>
        <location filename="../../app/ui/server_backup_settings.py" line="64"/>
        <source>This window works on an office server, so the server&apos;s database is backed up with PostgreSQL&apos;s pg_dump: here when you ask, and every night on the server itself when it is scheduled there (the README says how). Every PC keeps its own copies in the folder below.</source>
        <translation>Този прозорец работи на офисен сървър, затова базата данни на сървъра се копира с pg_dump на PostgreSQL: тук, когато поискате, и всяка нощ на самия сървър, ако там е насрочено (README казва как). Всеки компютър пази свои копия в папката по-долу.</translation>
    </message>
    <message>
        <location filename="../../app/ui/server_backup_settings.py" line="82"/>
        <source>pg_dump: %1</source>
        <translation>pg_dump: %1</translation>
    </message>
    <message>
        <location filename="../../app/ui/server_backup_settings.py" line="83"/>
        <source>pg_dump is not installed on this PC: install PostgreSQL&apos;s client programs to back up from here, or schedule pg_dump on the server.</source>
        <translation>На този компютър няма pg_dump: инсталирайте клиентските програми на PostgreSQL, за да правите копия оттук, или насрочете pg_dump на сървъра.</translation>
    </message>
    <message>
        <location filename="../../app/ui/server_backup_settings.py" line="98"/>
        <location filename="../../app/ui/server_backup_settings.py" line="114"/>
        <source>Backing up the server&apos;s database…</source>
        <translation>Резервно копие на базата данни на сървъра…</translation>
    </message>
    <message>
        <location filename="../../app/ui/server_backup_settings.py" line="102"/>
        <source>Backed up to %1.</source>
        <translation>Създадено е резервно копие: %1.</translation>
    </message>
    <message>
        <location filename="../../app/ui/server_backup_settings.py" line="122"/>
        <source>Restore a backup of the server</source>
        <translation>Възстановяване на копие на сървъра</translation>
    </message>
    <message>
        <location filename="../../app/ui/server_backup_settings.py" line="123"/>
        <source>A restore replaces the shared database for every PC, so it is done on the server by whoever runs it, with every ClientCare window closed:

%1

Then open ClientCare again on each PC.</source>
        <translation>Възстановяването заменя общата база данни за всички компютри, затова го прави на сървъра този, който го управлява, при затворени всички прозорци на ClientCare:

%1

След това отворете ClientCare отново на всеки компютър.</translation>
    </message>
    <message>
        <location filename="../../app/ui/server_backup_settings.py" line="130"/>
        <source>Check the database</source>
        <translation>Провери базата данни</translation>
    </message>
    <message>
        <location filename="../../app/ui/server_backup_settings.py" line="131"/>
        <source>The office server keeps its own database consistent (PostgreSQL checks every page it reads). Its administrator can check it with pg_amcheck.</source>
        <translation>Офисният сървър сам поддържа базата си данни цялостна (PostgreSQL проверява всяка прочетена страница). Администраторът му може да я провери с pg_amcheck.</translation>
    </message>
</context>
<context>
    <name>SettingsPage</name>
    <message>
        <location filename="../../app/ui/settings_page.py" line="58"/>
        <source>The business</source>
        <translation>Фирма</translation>
    </message>
    <message>
        <location filename="../../app/ui/settings_page.py" line="71"/>
        <source>Name</source>
        <translation>Име</translation>
    </message>
    <message>
        <location filename="../../app/ui/settings_page.py" line="73"/>
        <source>Currency</source>
        <translation>Валута</translation>
    </message>
    <message>
        <location filename="../../app/ui/settings_page.py" line="72"/>
        <source>Country (phone numbers, public holidays, name days)</source>
        <translation>Държава (телефонни номера, официални празници, имени дни)</translation>
    </message>
    <message>
        <location filename="../../app/ui/settings_page.py" line="76"/>
        <source>Save</source>
        <translation>Запази</translation>
    </message>
    <message>
        <location filename="../../app/ui/settings_page.py" line="79"/>
        <source>Phone numbers typed without a country code are read as numbers of this country.</source>
        <translation>Телефонните номера, въведени без код на държавата, се приемат за номера от тази държава.</translation>
    </message>
    <message>
        <location filename="../../app/ui/settings_page.py" line="90"/>
        <source>At the first start of a day, show a short notice of the day&apos;s calls and birthdays</source>
        <translation>При първото стартиране за деня показвай кратко известие за обажданията и рождените дни</translation>
    </message>
    <message>
        <location filename="../../app/ui/settings_page.py" line="96"/>
        <source>Business</source>
        <translation>Фирма</translation>
    </message>
    <message>
        <location filename="../../app/ui/settings_page.py" line="97"/>
        <source>Rules</source>
        <translation>Правила</translation>
    </message>
    <message>
        <location filename="../../app/ui/settings_page.py" line="104"/>
        <source>Staff</source>
        <translation>Персонал</translation>
    </message>
    <message>
        <location filename="../../app/ui/settings_page.py" line="105"/>
        <source>Backups</source>
        <translation>Резервни копия</translation>
    </message>
    <message>
        <location filename="../../app/ui/settings_page.py" line="107"/>
        <source>Messages</source>
        <translation>Съобщения</translation>
    </message>
    <message>
        <location filename="../../app/ui/settings_page.py" line="109"/>
        <source>Office server</source>
        <translation>Офисен сървър</translation>
    </message>
    <message>
        <location filename="../../app/ui/settings_page.py" line="128"/>
        <source>Saving the setting</source>
        <translation>Запазване на настройката</translation>
    </message>
    <message>
        <location filename="../../app/ui/settings_page.py" line="146"/>
        <source>Saving the business and rescheduling the calls</source>
        <translation>Запазване на данните на фирмата и препланиране на обажданията</translation>
    </message>
</context>
<context>
    <name>SignInDialog</name>
    <message>
        <location filename="../../app/ui/sign_in.py" line="149"/>
        <source>ClientCare — sign in</source>
        <translation>ClientCare — вход</translation>
    </message>
    <message>
        <location filename="../../app/ui/sign_in.py" line="150"/>
        <source>Who is working at this desk?</source>
        <translation>Кой работи на това място?</translation>
    </message>
    <message>
        <location filename="../../app/ui/sign_in.py" line="150"/>
        <source>Sign in</source>
        <translation>Влез</translation>
    </message>
    <message>
        <location filename="../../app/ui/sign_in.py" line="157"/>
        <source>%1 (%2)</source>
        <translation>%1 (%2)</translation>
    </message>
    <message>
        <location filename="../../app/ui/sign_in.py" line="160"/>
        <source>Name</source>
        <translation>Име</translation>
    </message>
    <message>
        <location filename="../../app/ui/sign_in.py" line="161"/>
        <source>Password</source>
        <translation>Парола</translation>
    </message>
</context>
<context>
    <name>SmsTab</name>
    <message>
        <location filename="../../app/ui/messages_settings.py" line="408"/>
        <source>SMSAPI — Poland</source>
        <translation>SMSAPI — Полша</translation>
    </message>
    <message>
        <location filename="../../app/ui/messages_settings.py" line="409"/>
        <source>SMSAPI — Bulgaria</source>
        <translation>SMSAPI — България</translation>
    </message>
    <message>
        <location filename="../../app/ui/messages_settings.py" line="410"/>
        <source>Twilio — international</source>
        <translation>Twilio — международен</translation>
    </message>
    <message>
        <location filename="../../app/ui/messages_settings.py" line="418"/>
        <source>kept in the system keyring</source>
        <translation>пази се в системното хранилище за пароли</translation>
    </message>
    <message>
        <location filename="../../app/ui/messages_settings.py" line="421"/>
        <source>empty: the gateway&apos;s own address</source>
        <translation>празно: собственият адрес на шлюза</translation>
    </message>
    <message>
        <location filename="../../app/ui/messages_settings.py" line="423"/>
        <source>Save</source>
        <translation>Запази</translation>
    </message>
    <message>
        <location filename="../../app/ui/messages_settings.py" line="427"/>
        <source>Send a test SMS</source>
        <translation>Изпрати пробен SMS</translation>
    </message>
    <message>
        <location filename="../../app/ui/messages_settings.py" line="432"/>
        <source>SMS gateway</source>
        <translation>SMS шлюз</translation>
    </message>
    <message>
        <location filename="../../app/ui/messages_settings.py" line="434"/>
        <source>Gateway</source>
        <translation>Шлюз</translation>
    </message>
    <message>
        <location filename="../../app/ui/messages_settings.py" line="435"/>
        <source>Sender name or number</source>
        <translation>Име или номер на подателя</translation>
    </message>
    <message>
        <location filename="../../app/ui/messages_settings.py" line="437"/>
        <source>Account SID</source>
        <translation>SID на акаунта</translation>
    </message>
    <message>
        <location filename="../../app/ui/messages_settings.py" line="440"/>
        <source>Token</source>
        <translation>Токен</translation>
    </message>
    <message>
        <location filename="../../app/ui/messages_settings.py" line="441"/>
        <source>Address</source>
        <translation>Адрес</translation>
    </message>
    <message>
        <location filename="../../app/ui/messages_settings.py" line="447"/>
        <source>Test SMS to</source>
        <translation>Пробен SMS до</translation>
    </message>
    <message>
        <location filename="../../app/ui/messages_settings.py" line="450"/>
        <source>SMSAPI: make a token in its panel (API settings → OAuth tokens) with the SMS permission. Twilio: the Account SID and Auth Token of its console, and a number bought there as the sender.</source>
        <translation>SMSAPI: създайте токен в панела (настройки на API → OAuth токени) с право за SMS. Twilio: SID на акаунта и токенът за удостоверяване от конзолата му и купен там номер като подател.</translation>
    </message>
    <message>
        <location filename="../../app/ui/messages_settings.py" line="498"/>
        <source>Saved. The token is in the system keyring.</source>
        <translation>Запазено. Токенът е в системното хранилище за пароли.</translation>
    </message>
    <message>
        <location filename="../../app/ui/messages_settings.py" line="512"/>
        <source>Saving the SMS gateway</source>
        <translation>Запазване на SMS шлюза</translation>
    </message>
    <message>
        <location filename="../../app/ui/messages_settings.py" line="518"/>
        <source>A test SMS from ClientCare: the gateway is set up right.</source>
        <translation>Пробен SMS от ClientCare: шлюзът е настроен правилно.</translation>
    </message>
    <message>
        <location filename="../../app/ui/messages_settings.py" line="526"/>
        <source>Type the number to send the test SMS to.</source>
        <translation>Въведете номера за пробния SMS.</translation>
    </message>
    <message>
        <location filename="../../app/ui/messages_settings.py" line="537"/>
        <source>A test SMS went to %1.</source>
        <translation>Пробният SMS е изпратен до %1.</translation>
    </message>
    <message>
        <location filename="../../app/ui/messages_settings.py" line="543"/>
        <source>Sending a test SMS</source>
        <translation>Изпращане на пробен SMS</translation>
    </message>
</context>
<context>
    <name>StaffSettings</name>
    <message>
        <location filename="../../app/ui/labels.py" line="138"/>
        <source>Owner</source>
        <translation>Собственик</translation>
    </message>
    <message>
        <location filename="../../app/ui/labels.py" line="139"/>
        <source>Manager</source>
        <translation>Мениджър</translation>
    </message>
    <message>
        <location filename="../../app/ui/labels.py" line="140"/>
        <source>Receptionist</source>
        <translation>Рецепционист</translation>
    </message>
    <message>
        <location filename="../../app/ui/staff_settings.py" line="59"/>
        <source>The people who call clients and handle complaints. Owners may approve any compensation. Nobody is ever deleted, because calls and complaints name them: untick Active when somebody leaves.</source>
        <translation>Хората, които се обаждат на клиентите и се занимават с оплакванията. Собствениците могат да одобряват всякаква компенсация. Никой не се изтрива, защото е посочен в обажданията и оплакванията: когато някой напусне, махнете отметката „Активен“.</translation>
    </message>
    <message>
        <location filename="../../app/ui/staff_settings.py" line="65"/>
        <source>Name</source>
        <translation>Име</translation>
    </message>
    <message>
        <location filename="../../app/ui/staff_settings.py" line="65"/>
        <source>Role</source>
        <translation>Роля</translation>
    </message>
    <message>
        <location filename="../../app/ui/staff_settings.py" line="65"/>
        <source>Active</source>
        <translation>Активен</translation>
    </message>
    <message>
        <location filename="../../app/ui/staff_settings.py" line="66"/>
        <source>Password</source>
        <translation>Парола</translation>
    </message>
    <message>
        <location filename="../../app/ui/staff_settings.py" line="80"/>
        <source>Add person</source>
        <translation>Добави служител</translation>
    </message>
    <message>
        <location filename="../../app/ui/staff_settings.py" line="82"/>
        <source>Save</source>
        <translation>Запази</translation>
    </message>
    <message>
        <location filename="../../app/ui/staff_settings.py" line="84"/>
        <source>Set a password…</source>
        <translation>Задай парола…</translation>
    </message>
    <message>
        <location filename="../../app/ui/staff_settings.py" line="89"/>
        <source>On the office server everyone signs in with their own password.</source>
        <translation>На офисния сървър всеки влиза със своя парола.</translation>
    </message>
    <message>
        <location filename="../../app/ui/staff_settings.py" line="92"/>
        <source>Everyone signs in with a password on this PC</source>
        <translation>На този компютър всеки влиза с парола</translation>
    </message>
    <message>
        <location filename="../../app/ui/staff_settings.py" line="129"/>
        <source>yes</source>
        <translation>да</translation>
    </message>
    <message>
        <location filename="../../app/ui/staff_settings.py" line="214"/>
        <source>Saved.</source>
        <translation>Запазено.</translation>
    </message>
    <message>
        <location filename="../../app/ui/staff_settings.py" line="224"/>
        <source>Choose a saved person in the list first.</source>
        <translation>Първо изберете записан човек от списъка.</translation>
    </message>
    <message>
        <location filename="../../app/ui/staff_settings.py" line="230"/>
        <source>%1 can sign in now.</source>
        <translation>%1 вече може да влиза.</translation>
    </message>
    <message>
        <location filename="../../app/ui/staff_settings.py" line="243"/>
        <source>Everyone signs in from the next start.</source>
        <translation>От следващото стартиране всеки влиза с парола.</translation>
    </message>
    <message>
        <location filename="../../app/ui/staff_settings.py" line="244"/>
        <source>Nobody needs to sign in from the next start.</source>
        <translation>От следващото стартиране никой не трябва да влиза.</translation>
    </message>
    <message>
        <location filename="../../app/ui/staff_settings.py" line="248"/>
        <source>Nothing was saved.</source>
        <translation>Нищо не е запазено.</translation>
    </message>
    <message>
        <location filename="../../app/ui/staff_settings.py" line="268"/>
        <source>Not saved yet.</source>
        <translation>Още не е запазено.</translation>
    </message>
</context>
<context>
    <name>TemplatesTab</name>
    <message>
        <location filename="../../app/ui/messages_settings.py" line="79"/>
        <source>Save the template</source>
        <translation>Запази шаблона</translation>
    </message>
    <message>
        <location filename="../../app/ui/messages_settings.py" line="81"/>
        <source>Back to ClientCare&apos;s text</source>
        <translation>Върни текста на ClientCare</translation>
    </message>
    <message>
        <location filename="../../app/ui/messages_settings.py" line="88"/>
        <source>Type a client&apos;s name</source>
        <translation>Въведете името на клиента</translation>
    </message>
    <message>
        <location filename="../../app/ui/messages_settings.py" line="89"/>
        <source>Preview</source>
        <translation>Преглед</translation>
    </message>
    <message>
        <location filename="../../app/ui/messages_settings.py" line="99"/>
        <source>Language</source>
        <translation>Език</translation>
    </message>
    <message>
        <location filename="../../app/ui/messages_settings.py" line="100"/>
        <source>Subject</source>
        <translation>Тема</translation>
    </message>
    <message>
        <location filename="../../app/ui/messages_settings.py" line="103"/>
        <source>Text</source>
        <translation>Текст</translation>
    </message>
    <message>
        <location filename="../../app/ui/messages_settings.py" line="106"/>
        <source>Placeholders</source>
        <translation>Полета за заместване</translation>
    </message>
    <message>
        <location filename="../../app/ui/messages_settings.py" line="115"/>
        <source>Preview with</source>
        <translation>Преглед за</translation>
    </message>
    <message>
        <location filename="../../app/ui/messages_settings.py" line="148"/>
        <source>(edited)</source>
        <translation>(променен)</translation>
    </message>
    <message>
        <location filename="../../app/ui/messages_settings.py" line="189"/>
        <source>(before the placeholders are filled in)</source>
        <translation>(преди попълване на полетата)</translation>
    </message>
    <message>
        <location filename="../../app/ui/messages_settings.py" line="218"/>
        <source>Saved.</source>
        <translation>Запазено.</translation>
    </message>
    <message>
        <location filename="../../app/ui/messages_settings.py" line="234"/>
        <source>Choose a client from the suggestions.</source>
        <translation>Изберете клиент от предложенията.</translation>
    </message>
</context>
<context>
    <name>Today</name>
    <message>
        <location filename="../../app/ui/today_page.py" line="100"/>
        <source>Book a meeting; do not sell on the phone. Check the promo, discount and frozen marks first.</source>
        <extracomment>keys (by their Latin letter) that log at once, and keys that open the form the key that sends a message for the selected calls (issue 18)</extracomment>
        <translation>Уговорете среща; не продавайте по телефона. Първо проверете маркерите за промоция, отстъпка и замразяване.</translation>
    </message>
    <message>
        <location filename="../../app/ui/today_page.py" line="102"/>
        <source>Ask how the purchase serves them and whether anything could be better.</source>
        <translation>Попитайте доволен ли е клиентът от покупката и дали нещо би могло да е по-добре.</translation>
    </message>
    <message>
        <location filename="../../app/ui/today_page.py" line="104"/>
        <source>Ask how the first week went and whether they need help getting started.</source>
        <translation>Попитайте как е минала първата седмица и дали клиентът има нужда от помощ в началото.</translation>
    </message>
    <message>
        <location filename="../../app/ui/today_page.py" line="106"/>
        <source>Congratulate them; nothing to sell today.</source>
        <translation>Поздравете клиента; днес нищо не продаваме.</translation>
    </message>
    <message>
        <location filename="../../app/ui/today_page.py" line="108"/>
        <source>Prepare a small gift or card for the date.</source>
        <translation>Подгответе малък подарък или картичка за датата.</translation>
    </message>
    <message>
        <location filename="../../app/ui/today_page.py" line="109"/>
        <source>Ask whether the fix worked and whether they are satisfied now.</source>
        <translation>Попитайте дали решението е помогнало и дали клиентът вече е доволен.</translation>
    </message>
    <message>
        <location filename="../../app/ui/today_page.py" line="111"/>
        <source>Review the complaint with the team and write down the lesson.</source>
        <translation>Прегледайте оплакването с екипа и запишете изводите.</translation>
    </message>
    <message>
        <location filename="../../app/ui/today_page.py" line="113"/>
        <source>They have not been back for longer than usual: ask why, listen, invite them back.</source>
        <translation>Клиентът не е идвал по-дълго от обикновено: попитайте защо, изслушайте го, поканете го отново.</translation>
    </message>
    <message>
        <location filename="../../app/ui/today_page.py" line="115"/>
        <source>A valued client with no pleasant contact for a while: call with good news.</source>
        <translation>Ценен клиент, с когото отдавна не е имало приятен контакт: обадете се с добра новина.</translation>
    </message>
    <message>
        <location filename="../../app/ui/today_page.py" line="117"/>
        <source>Review the A/B/C groups of the quarter and ask why clients moved.</source>
        <translation>Прегледайте групите A/B/C за тримесечието и изяснете защо клиентите са сменили групата си.</translation>
    </message>
    <message>
        <location filename="../../app/ui/today_page.py" line="119"/>
        <source>See the note.</source>
        <translation>Вижте бележката.</translation>
    </message>
    <message>
        <location filename="../../app/ui/today_page.py" line="135"/>
        <source>%1 logged at %2</source>
        <translation>%1 — записано в %2</translation>
    </message>
</context>
<context>
    <name>TodayPage</name>
    <message>
        <location filename="../../app/ui/today_page.py" line="402"/>
        <source>Log the call</source>
        <translation>Запис на обаждането</translation>
    </message>
    <message>
        <location filename="../../app/ui/today_page.py" line="413"/>
        <source>not set</source>
        <translation>не е посочен</translation>
    </message>
    <message>
        <location filename="../../app/ui/today_page.py" line="418"/>
        <source> min</source>
        <translation> мин</translation>
    </message>
    <message>
        <location filename="../../app/ui/today_page.py" line="428"/>
        <source>Log call (Ctrl+Enter)</source>
        <translation>Запиши обаждането (Ctrl+Enter)</translation>
    </message>
    <message>
        <location filename="../../app/ui/today_page.py" line="433"/>
        <source>Outcome</source>
        <translation>Резултат</translation>
    </message>
    <message>
        <location filename="../../app/ui/today_page.py" line="434"/>
        <source>Tone</source>
        <translation>Тон</translation>
    </message>
    <message>
        <location filename="../../app/ui/today_page.py" line="435"/>
        <source>Duration</source>
        <translation>Продължителност</translation>
    </message>
    <message>
        <location filename="../../app/ui/today_page.py" line="436"/>
        <source>Note</source>
        <translation>Бележка</translation>
    </message>
    <message>
        <location filename="../../app/ui/today_page.py" line="437"/>
        <source>Why declined</source>
        <translation>Причина за отказа</translation>
    </message>
    <message>
        <location filename="../../app/ui/today_page.py" line="438"/>
        <source>Meeting</source>
        <translation>Среща</translation>
    </message>
    <message>
        <location filename="../../app/ui/today_page.py" line="439"/>
        <source>Call back on</source>
        <translation>Повторно обаждане на</translation>
    </message>
    <message>
        <location filename="../../app/ui/today_page.py" line="445"/>
        <source>Tomorrow</source>
        <translation>Утре</translation>
    </message>
    <message>
        <location filename="../../app/ui/today_page.py" line="447"/>
        <source>Reschedule…</source>
        <translation>Пренасрочи…</translation>
    </message>
    <message>
        <location filename="../../app/ui/today_page.py" line="448"/>
        <source>Cancel task…</source>
        <translation>Отмени задачата…</translation>
    </message>
    <message>
        <location filename="../../app/ui/today_page.py" line="449"/>
        <source>Open client</source>
        <translation>Отвори клиента</translation>
    </message>
    <message>
        <location filename="../../app/ui/today_page.py" line="450"/>
        <source>New task…</source>
        <translation>Нова задача…</translation>
    </message>
    <message>
        <location filename="../../app/ui/today_page.py" line="451"/>
        <source>Plan a call to any client</source>
        <translation>Планиране на обаждане до произволен клиент</translation>
    </message>
    <message>
        <location filename="../../app/ui/today_page.py" line="452"/>
        <source>Complaint…</source>
        <translation>Оплакване…</translation>
    </message>
    <message>
        <location filename="../../app/ui/today_page.py" line="454"/>
        <source>Open the client&apos;s complaint, or record a new one</source>
        <translation>Отвори оплакването на клиента или запиши ново</translation>
    </message>
    <message>
        <location filename="../../app/ui/today_page.py" line="456"/>
        <source>Undo call (Ctrl+Z)</source>
        <translation>Отмени обаждането (Ctrl+Z)</translation>
    </message>
    <message>
        <location filename="../../app/ui/today_page.py" line="458"/>
        <source>Mark done</source>
        <translation>Готово</translation>
    </message>
    <message>
        <location filename="../../app/ui/today_page.py" line="460"/>
        <source>The to-do is done (e.g. the gift is ready)</source>
        <translation>Задачата е изпълнена (напр. подаръкът е готов)</translation>
    </message>
    <message>
        <location filename="../../app/ui/today_page.py" line="589"/>
        <location filename="../../app/ui/today_page.py" line="625"/>
        <location filename="../../app/ui/today_page.py" line="656"/>
        <source>Reading today&apos;s calls</source>
        <extracomment>the day-start notice, shown on the first start of a day (app/ui/day_notice.py) the title&apos;s row: the day, and the page&apos;s tools (Print…, app/ui/printing.py)</extracomment>
        <translation>Зареждане на обажданията за днес</translation>
    </message>
    <message>
        <location filename="../../app/ui/today_page.py" line="723"/>
        <source>Today, %1</source>
        <translation>Днес, %1</translation>
    </message>
    <message numerus="yes">
        <location filename="../../app/ui/today_page.py" line="747"/>
        <source>%Ln call(s) to make</source>
        <translation>
            <numerusform>%Ln предстоящо обаждане</numerusform>
            <numerusform>%Ln предстоящи обаждания</numerusform>
        </translation>
    </message>
    <message>
        <location filename="../../app/ui/today_page.py" line="748"/>
        <source>No call left to make today. Well done!</source>
        <translation>За днес не остават обаждания. Браво!</translation>
    </message>
    <message numerus="yes">
        <location filename="../../app/ui/today_page.py" line="751"/>
        <source>%Ln overdue</source>
        <translation>
            <numerusform>%Ln просрочено</numerusform>
            <numerusform>%Ln просрочени</numerusform>
        </translation>
    </message>
    <message>
        <location filename="../../app/ui/today_page.py" line="1282"/>
        <source>Message not sent</source>
        <translation>Съобщението не е изпратено</translation>
    </message>
    <message>
        <location filename="../../app/ui/today_page.py" line="1283"/>
        <source>The message to %1 was not sent: %2

Send the same message again?</source>
        <translation>Съобщението до %1 не е изпратено: %2

Да се изпрати ли същото съобщение отново?</translation>
    </message>
    <message>
        <location filename="../../app/ui/today_page.py" line="1289"/>
        <source>Send it again</source>
        <translation>Изпрати отново</translation>
    </message>
    <message>
        <location filename="../../app/ui/today_page.py" line="1290"/>
        <source>Write a new one</source>
        <translation>Напиши ново</translation>
    </message>
    <message>
        <location filename="../../app/ui/today_page.py" line="1303"/>
        <source>Sending the message again</source>
        <translation>Повторно изпращане на съобщението</translation>
    </message>
    <message>
        <location filename="../../app/ui/today_page.py" line="749"/>
        <source>Nothing due today. Well done!</source>
        <translation>За днес няма предстоящи обаждания. Браво!</translation>
    </message>
    <message>
        <location filename="../../app/ui/today_page.py" line="376"/>
        <source>To do — not calls (Enter opens it)</source>
        <extracomment>the calls logged here, newest last, for Ctrl+Z: (contact id, client id, name, the complaint the call opened or None) the whole queue&apos;s figures, counted in the background while not every row is here (None: not counted yet)</extracomment>
        <translation>Задачи — не са обаждания (Enter отваря)</translation>
    </message>
    <message>
        <location filename="../../app/ui/today_page.py" line="394"/>
        <source>Keys: N no answer · M left a message · W wrong number · R reached · B meeting booked · D declined · L call back later · C complaint found · Ctrl+Z undo the last call · Enter open the client</source>
        <translation>Клавиши: N няма отговор · M оставено съобщение · W грешен номер · R свързахме се · B уговорена среща · D отказ · L да се обадим по-късно · C установено оплакване · Ctrl+Z отмяна на последното обаждане · Enter отваряне на клиента</translation>
    </message>
    <message>
        <location filename="../../app/ui/today_page.py" line="398"/>
        <source>S send a message (several rows selected: to each)</source>
        <translation>S изпрати съобщение (избрани няколко реда: на всеки)</translation>
    </message>
    <message>
        <location filename="../../app/ui/today_page.py" line="446"/>
        <source>Snooze the call to the next working day</source>
        <translation>Отлагане на обаждането за следващия работен ден</translation>
    </message>
    <message numerus="yes">
        <location filename="../../app/ui/today_page.py" line="753"/>
        <source>%Ln logged</source>
        <translation>
            <numerusform>%Ln записано</numerusform>
            <numerusform>%Ln записани</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <location filename="../../app/ui/today_page.py" line="755"/>
        <source>%Ln to do</source>
        <translation>
            <numerusform>%Ln задача</numerusform>
            <numerusform>%Ln задачи</numerusform>
        </translation>
    </message>
    <message>
        <location filename="../../app/ui/today_page.py" line="870"/>
        <source>How to reach: %1</source>
        <translation>Как да се свържете: %1</translation>
    </message>
    <message>
        <location filename="../../app/ui/today_page.py" line="872"/>
        <source>Note: %1</source>
        <translation>Бележка: %1</translation>
    </message>
    <message>
        <location filename="../../app/ui/today_page.py" line="879"/>
        <source>%1. Ctrl+Z undoes the last call; the client&apos;s card corrects any call.</source>
        <translation>%1. Ctrl+Z отменя последното обаждане; всяко обаждане може да се коригира в картата на клиента.</translation>
    </message>
    <message>
        <location filename="../../app/ui/today_page.py" line="922"/>
        <source>“%1” is not a call: nothing was logged. %2.</source>
        <translation>„%1“ не е обаждане: нищо не е записано. %2.</translation>
    </message>
    <message>
        <location filename="../../app/ui/today_page.py" line="942"/>
        <source>%1 for %2. Ctrl+Z undoes the last call.</source>
        <translation>%1 (%2). Ctrl+Z отменя последното обаждане.</translation>
    </message>
    <message>
        <location filename="../../app/ui/today_page.py" line="980"/>
        <source>Nothing was applied of what you pressed after it: choose the call again.</source>
        <translation>Нищо от натиснатото след това не е приложено: изберете обаждането отново.</translation>
    </message>
    <message>
        <location filename="../../app/ui/today_page.py" line="1026"/>
        <source>Saving the call…</source>
        <translation>Записване на обаждането…</translation>
    </message>
    <message>
        <location filename="../../app/ui/today_page.py" line="1068"/>
        <source>%1 logged for %2 at %3 (Ctrl+Z undoes it).</source>
        <translation>%1 — записано: %2, %3 (Ctrl+Z отменя).</translation>
    </message>
    <message>
        <location filename="../../app/ui/today_page.py" line="1071"/>
        <source>A complaint was opened for %1.</source>
        <translation>Отворено е оплакване на клиента %1.</translation>
    </message>
    <message numerus="yes">
        <location filename="../../app/ui/today_page.py" line="1073"/>
        <source>%Ln other call(s) of today closed.</source>
        <translation>
            <numerusform>Затворено е %Ln друго обаждане за днес.</numerusform>
            <numerusform>Затворени са %Ln други обаждания за днес.</numerusform>
        </translation>
    </message>
    <message>
        <location filename="../../app/ui/today_page.py" line="1086"/>
        <source>No call to undo.</source>
        <translation>Няма обаждане за отмяна.</translation>
    </message>
    <message>
        <location filename="../../app/ui/today_page.py" line="1111"/>
        <source>The call to %1 was undone.</source>
        <translation>Обаждането е отменено: %1.</translation>
    </message>
    <message>
        <location filename="../../app/ui/today_page.py" line="1123"/>
        <source>Undoing the call…</source>
        <translation>Отмяна на обаждането…</translation>
    </message>
    <message>
        <location filename="../../app/ui/today_page.py" line="1197"/>
        <source>Cancel task</source>
        <translation>Отмяна на задачата</translation>
    </message>
    <message>
        <location filename="../../app/ui/today_page.py" line="1198"/>
        <source>Why is this call no longer needed?</source>
        <translation>Защо това обаждане вече не е нужно?</translation>
    </message>
</context>
<context>
    <name>UndoBar</name>
    <message>
        <location filename="../../app/ui/clients_page.py" line="132"/>
        <source>Undo</source>
        <extracomment>the phones of the last first page, as shown (QSettings): the next start paints its first page without importing phonenumbers</extracomment>
        <translation>Отмени</translation>
    </message>
    <message>
        <location filename="../../app/ui/clients_page.py" line="133"/>
        <source>Undo (Ctrl+Z)</source>
        <translation>Отмени (Ctrl+Z)</translation>
    </message>
    <message>
        <location filename="../../app/ui/clients_page.py" line="137"/>
        <source>Close</source>
        <translation>Затвори</translation>
    </message>
</context>
<context>
    <name>UpdatesAsker</name>
    <message>
        <location filename="../../app/ui/about.py" line="95"/>
        <source>Check for updates</source>
        <translation>Проверка за обновления</translation>
    </message>
    <message>
        <location filename="../../app/ui/about.py" line="101"/>
        <source>ClientCare %1 is available; this is %2.

Open its download page in the browser? Install it over this one: your data is kept, and a backup of it is made before the new version updates it.</source>
        <translation>Налична е версия %1 на ClientCare; вашата е %2.

Да се отвори ли страницата за изтегляне в браузъра? Инсталирайте новата версия върху тази: данните се запазват, а преди новата версия да ги обнови, се прави резервно копие.</translation>
    </message>
    <message>
        <location filename="../../app/ui/about.py" line="111"/>
        <source>ClientCare %1 is the newest version.</source>
        <translation>ClientCare %1 е най-новата версия.</translation>
    </message>
</context>
<context>
    <name>WrongNumberDialog</name>
    <message>
        <location filename="../../app/ui/call_dialogs.py" line="118"/>
        <source>Wrong number</source>
        <translation>Грешен номер</translation>
    </message>
    <message>
        <location filename="../../app/ui/call_dialogs.py" line="122"/>
        <source>The number %2 is not the number of %1. What is the right one? Leave it empty if nobody knows it: the wrong number is removed. The client&apos;s other calls of today are closed.</source>
        <translation>Номерът %2 не е на %1. Кой е верният? Оставете празно, ако никой не го знае: грешният номер ще бъде изтрит. Другите обаждания до клиента за днес се затварят.</translation>
    </message>
    <message>
        <location filename="../../app/ui/call_dialogs.py" line="129"/>
        <source>unknown</source>
        <translation>неизвестен</translation>
    </message>
    <message>
        <location filename="../../app/ui/call_dialogs.py" line="132"/>
        <source>Right number</source>
        <translation>Верен номер</translation>
    </message>
</context>
</TS>
