<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="ru">
<context>
    <name>AboutDialog</name>
    <message>
        <location filename="../../app/ui/about.py" line="122"/>
        <source>About ClientCare</source>
        <translation>О программе ClientCare</translation>
    </message>
    <message>
        <location filename="../../app/ui/about.py" line="125"/>
        <source>&lt;h2&gt;ClientCare %1&lt;/h2&gt;</source>
        <translation>&lt;h2&gt;ClientCare, версия %1&lt;/h2&gt;</translation>
    </message>
    <message>
        <location filename="../../app/ui/about.py" line="128"/>
        <source>Portable: the data is in the folder beside the program, %1</source>
        <translation>Переносная версия: данные хранятся в папке рядом с программой, %1</translation>
    </message>
    <message>
        <location filename="../../app/ui/about.py" line="129"/>
        <source>Data folder: %1</source>
        <translation>Папка с данными: %1</translation>
    </message>
    <message>
        <location filename="../../app/ui/about.py" line="130"/>
        <source>Keep the clients you already have.</source>
        <translation>Сохраняйте клиентов, которые у вас уже есть.</translation>
    </message>
    <message>
        <location filename="../../app/ui/about.py" line="133"/>
        <source>Database: %1</source>
        <translation>База данных: %1</translation>
    </message>
    <message>
        <location filename="../../app/ui/about.py" line="145"/>
        <source>Check for &amp;updates…</source>
        <translation>Проверить &amp;обновления…</translation>
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
        <translation>Произошла непредвиденная ошибка. Всё, что вы сохранили ранее, в безопасности. Подробности записаны в журнал: %1</translation>
    </message>
    <message>
        <location filename="../../app/ui/app.py" line="300"/>
        <source>ClientCare could not load all of its parts, so the database was not opened.</source>
        <extracomment>the start could not import a part of the program (a damaged installation)</extracomment>
        <translation>ClientCare не удалось загрузить все свои компоненты, поэтому база данных не была открыта.</translation>
    </message>
    <message>
        <location filename="../../app/ui/app.py" line="333"/>
        <source>The database “%1” is in a network folder (%2). SQLite cannot lock a file reliably there: two computers working on it at once can damage it.

Keep the database on this computer&apos;s own disk. For several computers, move it to a PostgreSQL server (office mode): clientcare migrate-to-postgres --from FILE --to postgresql+psycopg://user@server/database.</source>
        <translation>База данных «%1» находится в сетевой папке (%2). SQLite не может там надёжно блокировать файл: если с ним одновременно работают два компьютера, он может быть повреждён.

Храните базу данных на собственном диске этого компьютера. Для нескольких компьютеров перенесите её на сервер PostgreSQL (офисный режим): clientcare migrate-to-postgres --from ФАЙЛ --to postgresql+psycopg://пользователь@сервер/база.</translation>
    </message>
    <message>
        <location filename="../../app/ui/app.py" line="403"/>
        <source>This PC&apos;s own file opens meanwhile.</source>
        <translation>Пока открывается собственный файл этого компьютера.</translation>
    </message>
    <message>
        <location filename="../../app/ui/start.py" line="63"/>
        <source>Owner</source>
        <translation>Владелец</translation>
    </message>
    <message>
        <location filename="../../app/ui/start.py" line="118"/>
        <source>The file “%1” is read-only.</source>
        <translation>Файл «%1» доступен только для чтения.</translation>
    </message>
    <message>
        <location filename="../../app/ui/start.py" line="120"/>
        <source>The folder of “%1” is read-only: ClientCare cannot save there.</source>
        <translation>Папка файла «%1» доступна только для чтения: ClientCare не может в ней сохранять.</translation>
    </message>
    <message>
        <location filename="../../app/ui/start.py" line="124"/>
        <source>Nothing in it was changed. You can look at it read-only (nothing can be saved then), or copy it to a folder you can write to and work on the copy.</source>
        <translation>В нём ничего не изменено. Его можно открыть только для чтения (тогда ничего нельзя сохранить) или скопировать в папку, где у вас есть право записи, и работать с копией.</translation>
    </message>
    <message>
        <location filename="../../app/ui/start.py" line="128"/>
        <source>Open read-only</source>
        <translation>Открыть только для чтения</translation>
    </message>
    <message>
        <location filename="../../app/ui/start.py" line="131"/>
        <source>Copy to another folder…</source>
        <translation>Скопировать в другую папку…</translation>
    </message>
    <message>
        <location filename="../../app/ui/start.py" line="146"/>
        <source>Copy the database to</source>
        <translation>Скопировать базу данных в</translation>
    </message>
    <message>
        <location filename="../../app/ui/start.py" line="148"/>
        <source>ClientCare database (*.sqlite *.db)</source>
        <translation>База данных ClientCare (*.sqlite *.db)</translation>
    </message>
    <message>
        <location filename="../../app/ui/start.py" line="194"/>
        <source>Wait a moment, then try again.</source>
        <translation>Подождите немного и попробуйте ещё раз.</translation>
    </message>
    <message>
        <location filename="../../app/ui/start.py" line="219"/>
        <source>You may restore a backup: choose one in the list. The damaged file is kept aside, not deleted.</source>
        <translation>Можно восстановить резервную копию: выберите её в списке. Повреждённый файл будет отложен в сторону, а не удалён.</translation>
    </message>
    <message>
        <location filename="../../app/ui/start.py" line="239"/>
        <source>Check that the office server is on and this PC is on its network, or ask whoever set it up for the address, user and password.</source>
        <translation>Проверьте, что офисный сервер включён и этот компьютер в его сети, или спросите у того, кто его настраивал, адрес, пользователя и пароль.</translation>
    </message>
    <message>
        <location filename="../../app/ui/start.py" line="248"/>
        <source>Meanwhile you can work on this PC&apos;s own file: what you save there stays on this PC and does not reach the server.</source>
        <translation>Пока можно работать с собственным файлом этого компьютера: то, что вы в нём сохраните, останется на этом компьютере и не попадёт на сервер.</translation>
    </message>
    <message>
        <location filename="../../app/ui/start.py" line="251"/>
        <source>Open this PC&apos;s file</source>
        <translation>Открыть файл этого компьютера</translation>
    </message>
    <message>
        <location filename="../../app/ui/app.py" line="415"/>
        <source>ClientCare is already open with this database. Switch to its window; two windows on one file could overwrite each other&apos;s work.</source>
        <translation>ClientCare уже открыт с этой базой данных. Перейдите в его окно: два окна с одним файлом могут перезаписать изменения друг друга.</translation>
    </message>
    <message>
        <location filename="../../app/ui/first_paint.py" line="46"/>
        <source>Nothing was changed. Retry once the file can be read again, or quit.</source>
        <translation>Ничего не изменено. Повторите попытку, когда файл снова можно будет прочитать, или выйдите.</translation>
    </message>
    <message>
        <location filename="../../app/ui/first_paint.py" line="50"/>
        <source>Retry</source>
        <translation>Повторить</translation>
    </message>
    <message>
        <location filename="../../app/ui/first_paint.py" line="53"/>
        <source>Quit</source>
        <translation>Выйти</translation>
    </message>
</context>
<context>
    <name>BackgroundStart</name>
    <message>
        <location filename="../../app/ui/start.py" line="380"/>
        <source>Checking the database…</source>
        <translation>Проверка базы данных…</translation>
    </message>
    <message>
        <location filename="../../app/ui/start.py" line="393"/>
        <source>ClientCare</source>
        <translation>ClientCare</translation>
    </message>
    <message>
        <location filename="../../app/ui/start.py" line="419"/>
        <source>Restoring the backup…</source>
        <translation>Восстановление резервной копии…</translation>
    </message>
    <message>
        <location filename="../../app/ui/start.py" line="425"/>
        <source>Preparing the database…</source>
        <translation>Подготовка базы данных…</translation>
    </message>
    <message>
        <location filename="../../app/ui/start.py" line="437"/>
        <source>Applying the erasure log…</source>
        <translation>Повторное применение журнала удалений…</translation>
    </message>
    <message>
        <location filename="../../app/ui/start.py" line="449"/>
        <source>Bringing the calls of the day up to date…</source>
        <translation>Обновление звонков на сегодня…</translation>
    </message>
    <message>
        <location filename="../../app/ui/start.py" line="457"/>
        <source>Backing up…</source>
        <translation>Создание резервной копии…</translation>
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
        <translation>Восстановление резервной копии</translation>
    </message>
    <message>
        <location filename="../../app/ui/backup_settings.py" line="98"/>
        <source>Made</source>
        <translation>Вид</translation>
    </message>
    <message>
        <location filename="../../app/ui/backup_settings.py" line="98"/>
        <source>When</source>
        <translation>Когда</translation>
    </message>
    <message>
        <location filename="../../app/ui/backup_settings.py" line="98"/>
        <source>Size</source>
        <translation>Размер</translation>
    </message>
    <message>
        <location filename="../../app/ui/backup_settings.py" line="104"/>
        <source>Restore the chosen backup</source>
        <translation>Восстановить выбранную копию</translation>
    </message>
    <message>
        <location filename="../../app/ui/backup_settings.py" line="109"/>
        <source>Close without changes</source>
        <translation>Закрыть без изменений</translation>
    </message>
</context>
<context>
    <name>BackupSettings</name>
    <message>
        <location filename="../../app/ui/backup_settings.py" line="56"/>
        <source>At start-up</source>
        <translation>При запуске</translation>
    </message>
    <message>
        <location filename="../../app/ui/backup_settings.py" line="57"/>
        <source>At exit</source>
        <translation>При выходе</translation>
    </message>
    <message>
        <location filename="../../app/ui/backup_settings.py" line="58"/>
        <source>Before an import</source>
        <translation>Перед импортом</translation>
    </message>
    <message>
        <location filename="../../app/ui/backup_settings.py" line="59"/>
        <source>Made by hand</source>
        <translation>Вручную</translation>
    </message>
    <message>
        <location filename="../../app/ui/backup_settings.py" line="60"/>
        <source>Before a restore</source>
        <translation>Перед восстановлением</translation>
    </message>
    <message>
        <location filename="../../app/ui/backup_settings.py" line="63"/>
        <source>Before an update of ClientCare</source>
        <translation>Перед обновлением ClientCare</translation>
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
        <translation>Проверка базы данных…</translation>
    </message>
    <message>
        <location filename="../../app/ui/backup_settings.py" line="152"/>
        <location filename="../../app/ui/backup_settings.py" line="161"/>
        <location filename="../../app/ui/backup_settings.py" line="256"/>
        <source>Check the database</source>
        <translation>Проверить базу данных</translation>
    </message>
    <message>
        <location filename="../../app/ui/backup_settings.py" line="153"/>
        <source>The database is in good order.</source>
        <translation>База данных в порядке.</translation>
    </message>
    <message>
        <location filename="../../app/ui/backup_settings.py" line="157"/>
        <source>The database has problems: %1</source>
        <translation>В базе данных обнаружены проблемы: %1</translation>
    </message>
    <message>
        <location filename="../../app/ui/backup_settings.py" line="162"/>
        <source>There is no good backup to restore. Keep working carefully and contact support.</source>
        <translation>Нет исправной резервной копии для восстановления. Продолжайте работу с осторожностью и обратитесь в службу поддержки.</translation>
    </message>
    <message>
        <location filename="../../app/ui/backup_settings.py" line="167"/>
        <source>You may restore a backup: choose one in the list. The current file is backed up or kept aside first.</source>
        <translation>Можно восстановить резервную копию: выберите её в списке. Текущий файл сначала будет сохранён в копию или отложен в сторону.</translation>
    </message>
    <message>
        <location filename="../../app/ui/backup_settings.py" line="272"/>
        <source>ClientCare backs the database up when it starts and when it closes (unless nothing changed), before an update, before each import and before a restore, checks every backup, and keeps one backup a day and one a week (Settings, Rules). Keep the backups on another disk: choose the folder.</source>
        <translation>ClientCare делает резервную копию базы при запуске и при закрытии (если что-то изменилось), перед обновлением, перед каждым импортом и перед восстановлением, проверяет каждую копию и хранит по одной копии за день и за неделю (Настройки, Правила). Храните копии на другом диске: выберите папку.</translation>
    </message>
    <message>
        <location filename="../../app/ui/backup_settings.py" line="386"/>
        <source>Delete a backup</source>
        <translation>Удаление резервной копии</translation>
    </message>
    <message>
        <location filename="../../app/ui/backup_settings.py" line="387"/>
        <source>Delete the backup of %1 (%2)? It cannot be brought back.</source>
        <translation>Удалить резервную копию от %1 (%2)? Вернуть её будет нельзя.</translation>
    </message>
    <message>
        <location filename="../../app/ui/backup_settings.py" line="400"/>
        <source>Deleted the backup of %1.</source>
        <translation>Резервная копия от %1 удалена.</translation>
    </message>
    <message>
        <location filename="../../app/ui/backup_settings.py" line="408"/>
        <source>The folder for the backups</source>
        <translation>Папка для резервных копий</translation>
    </message>
    <message>
        <location filename="../../app/ui/backup_settings.py" line="424"/>
        <source>New backups go to %1.</source>
        <translation>Новые резервные копии будут сохраняться в %1.</translation>
    </message>
    <message>
        <location filename="../../app/ui/backup_settings.py" line="245"/>
        <source>Made</source>
        <translation>Тип</translation>
    </message>
    <message>
        <location filename="../../app/ui/backup_settings.py" line="224"/>
        <source>Restoring the backup…</source>
        <translation>Восстановление резервной копии…</translation>
    </message>
    <message>
        <location filename="../../app/ui/backup_settings.py" line="245"/>
        <source>When</source>
        <translation>Дата создания</translation>
    </message>
    <message>
        <location filename="../../app/ui/backup_settings.py" line="245"/>
        <source>Size</source>
        <translation>Размер</translation>
    </message>
    <message>
        <location filename="../../app/ui/backup_settings.py" line="251"/>
        <source>Back up now</source>
        <translation>Создать резервную копию сейчас</translation>
    </message>
    <message>
        <location filename="../../app/ui/backup_settings.py" line="252"/>
        <source>Restore the chosen backup…</source>
        <translation>Восстановить выбранную резервную копию…</translation>
    </message>
    <message>
        <location filename="../../app/ui/backup_settings.py" line="254"/>
        <source>Delete the chosen backup…</source>
        <translation>Удалить выбранную копию…</translation>
    </message>
    <message>
        <location filename="../../app/ui/backup_settings.py" line="257"/>
        <source>Choose the folder…</source>
        <translation>Выбрать папку…</translation>
    </message>
    <message>
        <location filename="../../app/ui/backup_settings.py" line="259"/>
        <source>Open the folder</source>
        <translation>Открыть папку</translation>
    </message>
    <message>
        <location filename="../../app/ui/backup_settings.py" line="291"/>
        <source>Folder: %1</source>
        <translation>Папка: %1</translation>
    </message>
    <message>
        <location filename="../../app/ui/backup_settings.py" line="295"/>
        <source>The dates of the backups do not fit the order they were made in, or lie in the future: check the computer&apos;s clock. Old backups are removed by their order, not by these dates.</source>
        <translation>Даты резервных копий не совпадают с порядком, в котором они сделаны, или лежат в будущем: проверьте часы компьютера. Старые копии удаляются по порядку, а не по этим датам.</translation>
    </message>
    <message>
        <location filename="../../app/ui/backup_settings.py" line="314"/>
        <source>Backing up…</source>
        <translation>Создание резервной копии…</translation>
    </message>
    <message>
        <location filename="../../app/ui/backup_settings.py" line="321"/>
        <source>Backing up and checking the copy…</source>
        <translation>Создание и проверка копии…</translation>
    </message>
    <message>
        <location filename="../../app/ui/backup_settings.py" line="332"/>
        <source>Backed up to %1.</source>
        <translation>Резервная копия создана: %1.</translation>
    </message>
    <message>
        <location filename="../../app/ui/backup_settings.py" line="356"/>
        <location filename="../../app/ui/backup_settings.py" line="383"/>
        <source>Choose a backup in the list first.</source>
        <translation>Сначала выберите резервную копию в списке.</translation>
    </message>
    <message>
        <location filename="../../app/ui/backup_settings.py" line="359"/>
        <source>Restore a backup</source>
        <translation>Восстановление резервной копии</translation>
    </message>
    <message>
        <location filename="../../app/ui/backup_settings.py" line="360"/>
        <source>Replace all data with the backup of %1?

What is in the database now is backed up first, so this can be undone by restoring that backup.</source>
        <translation>Заменить все данные резервной копией от %1?

Сначала будет создана резервная копия текущего содержимого базы данных, поэтому это действие можно отменить, восстановив ту копию.</translation>
    </message>
    <message>
        <location filename="../../app/ui/backup_settings.py" line="371"/>
        <source>Restored the backup of %1.</source>
        <translation>Резервная копия от %1 восстановлена.</translation>
    </message>
</context>
<context>
    <name>BatchDialog</name>
    <message>
        <location filename="../../app/ui/message_dialog.py" line="305"/>
        <source>Send messages</source>
        <translation>Отправить сообщения</translation>
    </message>
    <message numerus="yes">
        <location filename="../../app/ui/message_dialog.py" line="312"/>
        <source>Send %n message(s):</source>
        <translation>
            <numerusform>Отправить %n сообщение:</numerusform>
            <numerusform>Отправить %n сообщения:</numerusform>
            <numerusform>Отправить %n сообщений:</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <location filename="../../app/ui/message_dialog.py" line="314"/>
        <source>%n by e-mail</source>
        <translation>
            <numerusform>%n по эл. почте</numerusform>
            <numerusform>%n по эл. почте</numerusform>
            <numerusform>%n по эл. почте</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <location filename="../../app/ui/message_dialog.py" line="316"/>
        <source>%n by SMS</source>
        <translation>
            <numerusform>%n по SMS</numerusform>
            <numerusform>%n по SMS</numerusform>
            <numerusform>%n по SMS</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <location filename="../../app/ui/message_dialog.py" line="317"/>
        <source>%n SMS part(s) in all</source>
        <translation>
            <numerusform>всего %n часть SMS</numerusform>
            <numerusform>всего %n части SMS</numerusform>
            <numerusform>всего %n частей SMS</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <location filename="../../app/ui/message_dialog.py" line="320"/>
        <location filename="../../app/ui/message_dialog.py" line="336"/>
        <source>and %n more</source>
        <translation>
            <numerusform>и ещё %n</numerusform>
            <numerusform>и ещё %n</numerusform>
            <numerusform>и ещё %n</numerusform>
        </translation>
    </message>
    <message>
        <location filename="../../app/ui/message_dialog.py" line="322"/>
        <source>To: %1</source>
        <translation>Кому: %1</translation>
    </message>
    <message numerus="yes">
        <location filename="../../app/ui/message_dialog.py" line="332"/>
        <source>%n will not be sent:</source>
        <translation>
            <numerusform>%n не будет отправлено:</numerusform>
            <numerusform>%n не будут отправлены:</numerusform>
            <numerusform>%n не будут отправлены:</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <location filename="../../app/ui/message_dialog.py" line="342"/>
        <source>Send %n</source>
        <translation>
            <numerusform>Отправить %n</numerusform>
            <numerusform>Отправить %n</numerusform>
            <numerusform>Отправить %n</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>BusyIndicator</name>
    <message>
        <location filename="../../app/ui/progress.py" line="119"/>
        <source>%1 (and %2 more)</source>
        <translation>%1 (и ещё %2)</translation>
    </message>
</context>
<context>
    <name>CalendarPage</name>
    <message>
        <location filename="../../app/ui/calendar_page.py" line="146"/>
        <source>Nothing on this day.</source>
        <translation>На этот день ничего не запланировано.</translation>
    </message>
    <message>
        <location filename="../../app/ui/calendar_page.py" line="191"/>
        <source>Export to a calendar file (.ics)…</source>
        <translation>Экспорт в файл календаря (.ics)…</translation>
    </message>
    <message>
        <location filename="../../app/ui/calendar_page.py" line="248"/>
        <location filename="../../app/ui/calendar_page.py" line="285"/>
        <location filename="../../app/ui/calendar_page.py" line="288"/>
        <location filename="../../app/ui/calendar_page.py" line="309"/>
        <source>Reading the calendar</source>
        <translation>Загрузка календаря</translation>
    </message>
    <message numerus="yes">
        <location filename="../../app/ui/calendar_page.py" line="280"/>
        <source>%Ln item(s)</source>
        <translation>
            <numerusform>%Ln запись</numerusform>
            <numerusform>%Ln записи</numerusform>
            <numerusform>%Ln записей</numerusform>
        </translation>
    </message>
    <message>
        <location filename="../../app/ui/calendar_page.py" line="328"/>
        <source>Meeting: %1</source>
        <translation>Встреча: %1</translation>
    </message>
    <message numerus="yes">
        <location filename="../../app/ui/calendar_page.py" line="336"/>
        <source>%Ln year(s)</source>
        <translation>
            <numerusform>%Ln год</numerusform>
            <numerusform>%Ln года</numerusform>
            <numerusform>%Ln лет</numerusform>
        </translation>
    </message>
    <message>
        <location filename="../../app/ui/calendar_page.py" line="346"/>
        <source>Export calendar</source>
        <translation>Экспорт календаря</translation>
    </message>
    <message>
        <location filename="../../app/ui/calendar_page.py" line="347"/>
        <source>Calendar files (*.ics)</source>
        <translation>Файлы календаря (*.ics)</translation>
    </message>
    <message>
        <location filename="../../app/ui/calendar_page.py" line="356"/>
        <source>Meeting</source>
        <translation>Встреча</translation>
    </message>
    <message numerus="yes">
        <location filename="../../app/ui/calendar_page.py" line="373"/>
        <source>%Ln event(s) written to %1</source>
        <translation>
            <numerusform>%Ln событие записано в %1</numerusform>
            <numerusform>%Ln события записаны в %1</numerusform>
            <numerusform>%Ln событий записано в %1</numerusform>
        </translation>
    </message>
    <message>
        <location filename="../../app/ui/calendar_page.py" line="378"/>
        <source>The export was stopped; no file was written.</source>
        <translation>Экспорт остановлен; файл не записан.</translation>
    </message>
    <message>
        <location filename="../../app/ui/calendar_page.py" line="382"/>
        <source>Exporting the calendar…</source>
        <translation>Экспорт календаря…</translation>
    </message>
</context>
<context>
    <name>CallCorrectionDialog</name>
    <message>
        <location filename="../../app/ui/call_dialogs.py" line="173"/>
        <source>Correct the call</source>
        <translation>Исправить звонок</translation>
    </message>
    <message>
        <location filename="../../app/ui/call_dialogs.py" line="177"/>
        <source>Logged %1</source>
        <translation>Записан %1</translation>
    </message>
    <message>
        <location filename="../../app/ui/call_dialogs.py" line="185"/>
        <source>not set</source>
        <translation>не указан</translation>
    </message>
    <message>
        <location filename="../../app/ui/call_dialogs.py" line="202"/>
        <source>Outcome</source>
        <translation>Результат</translation>
    </message>
    <message>
        <location filename="../../app/ui/call_dialogs.py" line="203"/>
        <source>Tone</source>
        <translation>Тон</translation>
    </message>
    <message>
        <location filename="../../app/ui/call_dialogs.py" line="204"/>
        <source>Note</source>
        <translation>Примечание</translation>
    </message>
    <message>
        <location filename="../../app/ui/call_dialogs.py" line="205"/>
        <source>Why declined</source>
        <translation>Причина отказа</translation>
    </message>
    <message>
        <location filename="../../app/ui/call_dialogs.py" line="206"/>
        <source>Meeting</source>
        <translation>Встреча</translation>
    </message>
    <message>
        <location filename="../../app/ui/call_dialogs.py" line="207"/>
        <source>Call back on</source>
        <translation>Перезвонить</translation>
    </message>
</context>
<context>
    <name>CallDialogs</name>
    <message>
        <location filename="../../app/ui/call_dialogs.py" line="52"/>
        <source>%1 is a public holiday. Call on %2 instead?</source>
        <translation>%1 — государственный праздник. Позвонить вместо этого в %2?</translation>
    </message>
    <message>
        <location filename="../../app/ui/call_dialogs.py" line="55"/>
        <source>%1 is a closed day. Call on %2 instead?</source>
        <translation>%1 — нерабочий день. Позвонить вместо этого в %2?</translation>
    </message>
    <message>
        <location filename="../../app/ui/call_dialogs.py" line="59"/>
        <source>Not a working day</source>
        <translation>Нерабочий день</translation>
    </message>
</context>
<context>
    <name>ChartWidget</name>
    <message>
        <location filename="../../app/ui/charts_page.py" line="316"/>
        <source>Export</source>
        <translation>Экспорт</translation>
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
        <translation>Данные (CSV)…</translation>
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
        <translation>Экспорт графика</translation>
    </message>
    <message>
        <location filename="../../app/ui/charts_page.py" line="366"/>
        <source>Exporting the chart…</source>
        <translation>Экспорт графика…</translation>
    </message>
</context>
<context>
    <name>Charts</name>
    <message>
        <location filename="../../app/ui/charts_page.py" line="73"/>
        <source>Repeat-purchase share</source>
        <translation>Доля повторных покупок</translation>
    </message>
    <message>
        <location filename="../../app/ui/charts_page.py" line="74"/>
        <source>New and returning clients</source>
        <translation>Новые и вернувшиеся клиенты</translation>
    </message>
    <message>
        <location filename="../../app/ui/charts_page.py" line="75"/>
        <source>Second purchase within 90 days</source>
        <translation>Вторая покупка в течение 90 дней</translation>
    </message>
    <message>
        <location filename="../../app/ui/charts_page.py" line="76"/>
        <source>Cohort retention</source>
        <translation>Удержание клиентов по когортам</translation>
    </message>
    <message>
        <location filename="../../app/ui/charts_page.py" line="77"/>
        <source>New clients by channel</source>
        <translation>Новые клиенты по каналам</translation>
    </message>
    <message>
        <location filename="../../app/ui/charts_page.py" line="78"/>
        <source>Clients and revenue by A/B/C group</source>
        <translation>Клиенты и выручка по группам A/B/C</translation>
    </message>
    <message>
        <location filename="../../app/ui/charts_page.py" line="79"/>
        <source>Call outcomes</source>
        <translation>Результаты звонков</translation>
    </message>
    <message>
        <location filename="../../app/ui/charts_page.py" line="80"/>
        <source>Why clients declined</source>
        <translation>Почему клиенты отказались</translation>
    </message>
    <message>
        <location filename="../../app/ui/charts_page.py" line="81"/>
        <source>Tone of contacts</source>
        <translation>Тон контактов</translation>
    </message>
    <message>
        <location filename="../../app/ui/charts_page.py" line="82"/>
        <source>Complaints by category</source>
        <translation>Жалобы по категориям</translation>
    </message>
    <message>
        <location filename="../../app/ui/charts_page.py" line="83"/>
        <source>Repeat purchases after a complaint</source>
        <translation>Повторные покупки после жалобы</translation>
    </message>
    <message>
        <location filename="../../app/ui/charts_page.py" line="84"/>
        <source>Call time against client value</source>
        <translation>Время звонков и сумма покупок клиента</translation>
    </message>
    <message>
        <location filename="../../app/ui/charts_page.py" line="91"/>
        <source>Purchases dated after the client&apos;s first purchase day, as a share of all purchases in the period, by revenue and by count.</source>
        <translation>Доля покупок, сделанных позже дня первой покупки клиента, среди всех покупок за период — по выручке и по количеству.</translation>
    </message>
    <message>
        <location filename="../../app/ui/charts_page.py" line="94"/>
        <source>Clients who bought in the period: returning if they made a purchase after their first purchase day, new otherwise.</source>
        <translation>Клиенты, покупавшие за период: вернувшиеся — те, кто купил что-то после дня своей первой покупки, остальные — новые.</translation>
    </message>
    <message>
        <location filename="../../app/ui/charts_page.py" line="97"/>
        <source>Clients whose first purchase fell in the month and who bought again within 90 days. Hatched: 90 days not over yet.</source>
        <translation>Клиенты, чья первая покупка пришлась на этот месяц и которые купили снова в течение 90 дней. Штриховка: 90 дней ещё не прошли.</translation>
    </message>
    <message>
        <location filename="../../app/ui/charts_page.py" line="100"/>
        <source>Of the clients who first bought in a month (rows), the share buying in each month after (columns).</source>
        <translation>Из клиентов, впервые купивших в данном месяце (строки), — доля покупавших в каждом последующем месяце (столбцы).</translation>
    </message>
    <message>
        <location filename="../../app/ui/charts_page.py" line="103"/>
        <source>Clients whose first purchase is in the period, by the channel they came from; referred = recommended by a client.</source>
        <translation>Клиенты, чья первая покупка приходится на период, по каналу, из которого они пришли; по рекомендации — пришли по совету другого клиента.</translation>
    </message>
    <message>
        <location filename="../../app/ui/charts_page.py" line="106"/>
        <source>Clients and their 12-month revenue per group (the owner&apos;s override counted); clients with no purchases in 12 months are a band of their own.</source>
        <translation>Клиенты и их выручка за 12 месяцев по группам (с учётом решения владельца); клиенты без покупок за 12 месяцев показаны отдельно.</translation>
    </message>
    <message>
        <location filename="../../app/ui/charts_page.py" line="109"/>
        <source>Outbound calls logged, by outcome.</source>
        <translation>Записанные исходящие звонки по результату.</translation>
    </message>
    <message>
        <location filename="../../app/ui/charts_page.py" line="110"/>
        <source>Calls with the outcome &quot;declined&quot;, by the reason recorded.</source>
        <translation>Звонки с результатом «Отказ» по записанной причине.</translation>
    </message>
    <message>
        <location filename="../../app/ui/charts_page.py" line="112"/>
        <source>Contacts by the tone staff recorded.</source>
        <translation>Контакты по тону, отмеченному сотрудниками.</translation>
    </message>
    <message>
        <location filename="../../app/ui/charts_page.py" line="113"/>
        <source>Complaints opened in the period, kept or lost when closed; median hours from opening to resolution.</source>
        <translation>Жалобы, открытые за период; при закрытии клиент сохранён или потерян; медианное время от открытия до решения, в часах.</translation>
    </message>
    <message>
        <location filename="../../app/ui/charts_page.py" line="116"/>
        <source>Share of clients buying again in the period: clients kept after a complaint against clients who never complained.</source>
        <translation>Доля клиентов, снова купивших за период: клиенты, сохранённые после жалобы, в сравнении с клиентами, которые никогда не жаловались.</translation>
    </message>
    <message>
        <location filename="../../app/ui/charts_page.py" line="119"/>
        <source>Minutes of logged calls in the period against each client&apos;s 12-month revenue: who takes much time and brings little.</source>
        <translation>Минуты записанных звонков за период в сравнении с выручкой от каждого клиента за 12 месяцев: кто отнимает много времени, а приносит мало.</translation>
    </message>
    <message>
        <location filename="../../app/ui/charts_page.py" line="128"/>
        <source>Incomplete: up to %1</source>
        <translation>Неполный: по %1</translation>
    </message>
    <message>
        <location filename="../../app/ui/charts_page.py" line="130"/>
        <source>Groups computed on %1</source>
        <translation>Группы рассчитаны %1</translation>
    </message>
    <message>
        <location filename="../../app/ui/charts_page.py" line="131"/>
        <source>The day the groups were computed is not recorded</source>
        <translation>День расчёта групп не записан</translation>
    </message>
    <message>
        <location filename="../../app/ui/charts_page.py" line="146"/>
        <location filename="../../app/ui/charts_page.py" line="378"/>
        <source>%1 %</source>
        <translation>%1 %</translation>
    </message>
    <message>
        <location filename="../../app/ui/charts_page.py" line="154"/>
        <location filename="../../app/ui/segment_review.py" line="51"/>
        <source>Q%1 %2</source>
        <translation>%1 кв. %2</translation>
    </message>
    <message>
        <location filename="../../app/ui/charts_page.py" line="158"/>
        <source>Median resolution: —</source>
        <translation>Медианное время решения: —</translation>
    </message>
    <message>
        <location filename="../../app/ui/charts_page.py" line="159"/>
        <source>Median resolution: %1 h</source>
        <translation>Медианное время решения: %1 ч</translation>
    </message>
    <message>
        <location filename="../../app/ui/charts_page.py" line="162"/>
        <source>Kept after a complaint</source>
        <translation>Сохранённые после жалобы</translation>
    </message>
    <message>
        <location filename="../../app/ui/charts_page.py" line="163"/>
        <source>Never complained</source>
        <translation>Никогда не жаловались</translation>
    </message>
    <message>
        <location filename="../../app/ui/charts_page.py" line="165"/>
        <source>No data for this period</source>
        <translation>Нет данных за этот период</translation>
    </message>
    <message>
        <location filename="../../app/ui/charts_page.py" line="166"/>
        <source>Period</source>
        <translation>Период</translation>
    </message>
    <message>
        <location filename="../../app/ui/charts_page.py" line="167"/>
        <source>First-purchase month</source>
        <translation>Месяц первой покупки</translation>
    </message>
    <message>
        <location filename="../../app/ui/charts_page.py" line="168"/>
        <source>Months since the first purchase</source>
        <translation>Месяцы после первой покупки</translation>
    </message>
    <message>
        <location filename="../../app/ui/charts_page.py" line="169"/>
        <source>Share</source>
        <translation>Доля</translation>
    </message>
    <message>
        <location filename="../../app/ui/charts_page.py" line="170"/>
        <source>Bought again within 90 days</source>
        <translation>Купили снова в течение 90 дней</translation>
    </message>
    <message>
        <location filename="../../app/ui/charts_page.py" line="171"/>
        <source>Clients buying</source>
        <translation>Покупавшие клиенты</translation>
    </message>
    <message>
        <location filename="../../app/ui/charts_page.py" line="172"/>
        <source>Clients who bought again</source>
        <translation>Клиенты, купившие снова</translation>
    </message>
    <message>
        <location filename="../../app/ui/charts_page.py" line="173"/>
        <source>Clients</source>
        <translation>Клиенты</translation>
    </message>
    <message>
        <location filename="../../app/ui/charts_page.py" line="173"/>
        <source>Calls</source>
        <translation>Звонки</translation>
    </message>
    <message>
        <location filename="../../app/ui/charts_page.py" line="174"/>
        <source>Contacts</source>
        <translation>Контакты</translation>
    </message>
    <message>
        <location filename="../../app/ui/charts_page.py" line="175"/>
        <source>Complaints</source>
        <translation>Жалобы</translation>
    </message>
    <message>
        <location filename="../../app/ui/charts_page.py" line="176"/>
        <source>Call minutes</source>
        <translation>Минуты звонков</translation>
    </message>
    <message>
        <location filename="../../app/ui/charts_page.py" line="177"/>
        <source>12-month revenue</source>
        <translation>Выручка за 12 месяцев</translation>
    </message>
    <message>
        <location filename="../../app/ui/charts_page.py" line="178"/>
        <source>By revenue</source>
        <translation>По выручке</translation>
    </message>
    <message>
        <location filename="../../app/ui/charts_page.py" line="178"/>
        <source>By count</source>
        <translation>По количеству</translation>
    </message>
    <message>
        <location filename="../../app/ui/charts_page.py" line="179"/>
        <source>New</source>
        <translation>Новые</translation>
    </message>
    <message>
        <location filename="../../app/ui/charts_page.py" line="179"/>
        <source>Returning</source>
        <translation>Вернувшиеся</translation>
    </message>
    <message>
        <location filename="../../app/ui/charts_page.py" line="180"/>
        <source>Returning rate</source>
        <translation>Доля вернувшихся</translation>
    </message>
    <message>
        <location filename="../../app/ui/charts_page.py" line="181"/>
        <source>90 days over</source>
        <translation>90 дней прошли</translation>
    </message>
    <message>
        <location filename="../../app/ui/charts_page.py" line="182"/>
        <source>Under 90 days (can still rise)</source>
        <translation>Меньше 90 дней (может ещё вырасти)</translation>
    </message>
    <message>
        <location filename="../../app/ui/charts_page.py" line="183"/>
        <source>New clients</source>
        <translation>Новые клиенты</translation>
    </message>
    <message>
        <location filename="../../app/ui/charts_page.py" line="184"/>
        <source>Referred by a client</source>
        <translation>По рекомендации клиента</translation>
    </message>
    <message>
        <location filename="../../app/ui/charts_page.py" line="185"/>
        <source>Not recorded</source>
        <translation>Не указан</translation>
    </message>
    <message>
        <location filename="../../app/ui/charts_page.py" line="186"/>
        <source>Share of clients</source>
        <translation>Доля клиентов</translation>
    </message>
    <message>
        <location filename="../../app/ui/charts_page.py" line="187"/>
        <source>Share of 12-month revenue</source>
        <translation>Доля выручки за 12 месяцев</translation>
    </message>
    <message>
        <location filename="../../app/ui/charts_page.py" line="188"/>
        <source>Kept</source>
        <translation>Клиент сохранён</translation>
    </message>
    <message>
        <location filename="../../app/ui/charts_page.py" line="188"/>
        <source>Lost</source>
        <translation>Клиент потерян</translation>
    </message>
    <message>
        <location filename="../../app/ui/charts_page.py" line="189"/>
        <source>Not closed yet</source>
        <translation>Ещё не закрыты</translation>
    </message>
    <message>
        <location filename="../../app/ui/charts_page.py" line="189"/>
        <source>Total</source>
        <translation>Итого</translation>
    </message>
    <message numerus="yes">
        <location filename="../../app/ui/charts_page.py" line="193"/>
        <source>%n client(s)</source>
        <translation>
            <numerusform>%n клиент</numerusform>
            <numerusform>%n клиента</numerusform>
            <numerusform>%n клиентов</numerusform>
        </translation>
    </message>
    <message>
        <location filename="../../app/ui/charts_page.py" line="196"/>
        <source>No group</source>
        <translation>Без группы</translation>
    </message>
    <message>
        <location filename="../../app/ui/charts_page.py" line="197"/>
        <source>No purchases in 12 months</source>
        <translation>Без покупок за 12 месяцев</translation>
    </message>
    <message>
        <location filename="../../app/ui/charts_page.py" line="199"/>
        <source>No reason given</source>
        <translation>Причина не указана</translation>
    </message>
    <message>
        <location filename="../../app/ui/charts_page.py" line="202"/>
        <source>No category</source>
        <translation>Без категории</translation>
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
        <translation>Ежеквартальный пересмотр групп A/B/C</translation>
    </message>
</context>
<context>
    <name>ChartsView</name>
    <message>
        <location filename="../../app/ui/charts_page.py" line="505"/>
        <source>Last 12 months</source>
        <translation>Последние 12 месяцев</translation>
    </message>
    <message>
        <location filename="../../app/ui/charts_page.py" line="505"/>
        <source>This year</source>
        <translation>Текущий год</translation>
    </message>
    <message>
        <location filename="../../app/ui/charts_page.py" line="506"/>
        <source>Last year</source>
        <translation>Прошлый год</translation>
    </message>
    <message>
        <location filename="../../app/ui/charts_page.py" line="506"/>
        <source>Last 24 months</source>
        <translation>Последние 24 месяца</translation>
    </message>
    <message>
        <location filename="../../app/ui/charts_page.py" line="507"/>
        <source>Custom range</source>
        <translation>Свой период</translation>
    </message>
    <message>
        <location filename="../../app/ui/charts_page.py" line="521"/>
        <source>From</source>
        <translation>С</translation>
    </message>
    <message>
        <location filename="../../app/ui/charts_page.py" line="523"/>
        <source>to</source>
        <translation>по</translation>
    </message>
    <message>
        <location filename="../../app/ui/charts_page.py" line="536"/>
        <source>By month</source>
        <translation>По месяцам</translation>
    </message>
    <message>
        <location filename="../../app/ui/charts_page.py" line="537"/>
        <source>By quarter</source>
        <translation>По кварталам</translation>
    </message>
    <message>
        <location filename="../../app/ui/charts_page.py" line="548"/>
        <source>Period</source>
        <translation>Период</translation>
    </message>
    <message>
        <location filename="../../app/ui/charts_page.py" line="558"/>
        <source>Repeat-purchase share this month</source>
        <translation>Доля повторных покупок в этом месяце</translation>
    </message>
    <message>
        <location filename="../../app/ui/charts_page.py" line="559"/>
        <source>Returning clients this month</source>
        <translation>Вернувшиеся клиенты в этом месяце</translation>
    </message>
    <message>
        <location filename="../../app/ui/charts_page.py" line="560"/>
        <source>New clients this month</source>
        <translation>Новые клиенты в этом месяце</translation>
    </message>
    <message>
        <location filename="../../app/ui/charts_page.py" line="561"/>
        <source>Open complaints</source>
        <translation>Открытые жалобы</translation>
    </message>
    <message>
        <location filename="../../app/ui/charts_page.py" line="562"/>
        <source>Overdue calls</source>
        <translation>Просроченные звонки</translation>
    </message>
    <message>
        <location filename="../../app/ui/charts_page.py" line="629"/>
        <source>The end cannot be after today (%1).</source>
        <translation>Конец не может быть позже сегодняшнего дня (%1).</translation>
    </message>
    <message>
        <location filename="../../app/ui/charts_page.py" line="632"/>
        <source>The start must be on or before the end.</source>
        <translation>Начало должно быть не позже конца.</translation>
    </message>
    <message numerus="yes">
        <location filename="../../app/ui/charts_page.py" line="704"/>
        <source>%1 of the %Ln client(s) who bought this month had bought before</source>
        <translation>
            <numerusform>Покупали и раньше: %1 из %Ln клиента, купившего в этом месяце</numerusform>
            <numerusform>Покупали и раньше: %1 из %Ln клиентов, купивших в этом месяце</numerusform>
            <numerusform>Покупали и раньше: %1 из %Ln клиентов, купивших в этом месяце</numerusform>
        </translation>
    </message>
    <message>
        <location filename="../../app/ui/charts_page.py" line="731"/>
        <source>This chart could not be drawn: %1</source>
        <translation>Не удалось построить этот график: %1</translation>
    </message>
    <message>
        <location filename="../../app/ui/charts_page.py" line="737"/>
        <source>Drawing the charts…</source>
        <translation>Построение графиков…</translation>
    </message>
    <message>
        <location filename="../../app/ui/charts_page.py" line="275"/>
        <location filename="../../app/ui/charts_page.py" line="668"/>
        <source>Calculating…</source>
        <translation>Вычисление…</translation>
    </message>
    <message>
        <location filename="../../app/ui/charts_page.py" line="601"/>
        <source>Preparing the charts…</source>
        <translation>Подготовка графиков…</translation>
    </message>
    <message>
        <location filename="../../app/ui/charts_page.py" line="682"/>
        <source>The numbers could not be calculated: %1</source>
        <translation>Не удалось вычислить показатели: %1</translation>
    </message>
    <message>
        <location filename="../../app/ui/charts_page.py" line="685"/>
        <source>Calculating the charts…</source>
        <translation>Расчёт графиков…</translation>
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
        <translation>Новый клиент</translation>
    </message>
    <message>
        <location filename="../../app/ui/client_card.py" line="218"/>
        <source>Details</source>
        <translation>Данные</translation>
    </message>
    <message>
        <location filename="../../app/ui/client_card.py" line="219"/>
        <source>Family and dates</source>
        <translation>Семья и даты</translation>
    </message>
    <message>
        <location filename="../../app/ui/client_card.py" line="220"/>
        <source>Purchases</source>
        <translation>Покупки</translation>
    </message>
    <message>
        <location filename="../../app/ui/client_card.py" line="221"/>
        <source>Memberships</source>
        <translation>Абонементы</translation>
    </message>
    <message>
        <location filename="../../app/ui/client_card.py" line="222"/>
        <source>Preferences and notes</source>
        <translation>Предпочтения и заметки</translation>
    </message>
    <message>
        <location filename="../../app/ui/client_card.py" line="223"/>
        <source>Contact history</source>
        <translation>История контактов</translation>
    </message>
    <message>
        <location filename="../../app/ui/client_card.py" line="224"/>
        <source>Complaints</source>
        <translation>Жалобы</translation>
    </message>
    <message>
        <location filename="../../app/ui/client_card.py" line="225"/>
        <source>Changes</source>
        <translation>Изменения</translation>
    </message>
    <message>
        <location filename="../../app/ui/client_card.py" line="226"/>
        <source>Who changed what on this card, and when</source>
        <translation>Кто и когда менял эту карточку</translation>
    </message>
    <message>
        <location filename="../../app/ui/client_card.py" line="236"/>
        <source>Save (Ctrl+S)</source>
        <translation>Сохранить (Ctrl+S)</translation>
    </message>
    <message>
        <location filename="../../app/ui/client_card.py" line="242"/>
        <source>Personal data</source>
        <translation>Персональные данные</translation>
    </message>
    <message>
        <location filename="../../app/ui/client_card.py" line="245"/>
        <source>Save all their data to a file…</source>
        <translation>Сохранить все данные клиента в файл…</translation>
    </message>
    <message>
        <location filename="../../app/ui/client_card.py" line="247"/>
        <source>Erase their personal data…</source>
        <translation>Удалить персональные данные клиента…</translation>
    </message>
    <message>
        <location filename="../../app/ui/client_card.py" line="296"/>
        <location filename="../../app/ui/client_card.py" line="452"/>
        <source>Kind</source>
        <translation>Тип</translation>
    </message>
    <message>
        <location filename="../../app/ui/client_card.py" line="299"/>
        <source>First and last name, or the company</source>
        <translation>Имя и фамилия или название компании</translation>
    </message>
    <message>
        <location filename="../../app/ui/client_card.py" line="300"/>
        <source>Name *</source>
        <translation>Имя *</translation>
    </message>
    <message>
        <location filename="../../app/ui/client_card.py" line="309"/>
        <source>Loyalty card or patient number</source>
        <translation>Номер карты лояльности или пациента</translation>
    </message>
    <message>
        <location filename="../../app/ui/client_card.py" line="310"/>
        <source>Card number</source>
        <translation>Номер карты</translation>
    </message>
    <message>
        <location filename="../../app/ui/client_card.py" line="315"/>
        <source>Phone</source>
        <translation>Телефон</translation>
    </message>
    <message>
        <location filename="../../app/ui/client_card.py" line="319"/>
        <source>⚠ Check this number: it is not a valid phone number of %1. Correct it, or leave it as it is to keep it.</source>
        <translation>⚠ Проверьте этот номер: это не действительный номер телефона страны %1. Исправьте его или оставьте как есть, чтобы сохранить.</translation>
    </message>
    <message>
        <location filename="../../app/ui/client_card.py" line="331"/>
        <source>E-mail</source>
        <translation>Эл. почта</translation>
    </message>
    <message>
        <location filename="../../app/ui/client_card.py" line="335"/>
        <source>Comma-separated, e.g. VIP, kids</source>
        <translation>Через запятую, например: VIP, дети</translation>
    </message>
    <message>
        <location filename="../../app/ui/client_card.py" line="336"/>
        <source>Tags</source>
        <translation>Метки</translation>
    </message>
    <message>
        <location filename="../../app/ui/client_card.py" line="339"/>
        <source>not yet computed</source>
        <translation>ещё не рассчитана</translation>
    </message>
    <message>
        <location filename="../../app/ui/client_card.py" line="340"/>
        <source>Automatic (%1)</source>
        <translation>Автоматически (%1)</translation>
    </message>
    <message>
        <location filename="../../app/ui/client_card.py" line="342"/>
        <source>Always %1</source>
        <translation>Всегда %1</translation>
    </message>
    <message>
        <location filename="../../app/ui/client_card.py" line="345"/>
        <source>A/B/C group</source>
        <translation>Группа A/B/C</translation>
    </message>
    <message>
        <location filename="../../app/ui/client_card.py" line="348"/>
        <source>Why this group, whatever the numbers say</source>
        <translation>Почему эта группа, что бы ни говорили цифры</translation>
    </message>
    <message>
        <location filename="../../app/ui/client_card.py" line="353"/>
        <source>Reason</source>
        <translation>Причина</translation>
    </message>
    <message>
        <location filename="../../app/ui/client_card.py" line="357"/>
        <source>Came from</source>
        <translation>Источник</translation>
    </message>
    <message>
        <location filename="../../app/ui/client_card.py" line="360"/>
        <source>Type a name to pick the client</source>
        <translation>Введите имя, чтобы выбрать клиента</translation>
    </message>
    <message>
        <location filename="../../app/ui/client_card.py" line="362"/>
        <source>Referred by</source>
        <translation>По рекомендации</translation>
    </message>
    <message>
        <location filename="../../app/ui/client_card.py" line="365"/>
        <source>Contact rules</source>
        <translation>Правила контакта</translation>
    </message>
    <message>
        <location filename="../../app/ui/client_card.py" line="372"/>
        <source>Preferred channel</source>
        <translation>Предпочтительный канал</translation>
    </message>
    <message>
        <location filename="../../app/ui/client_card.py" line="374"/>
        <source>Any time</source>
        <translation>В любое время</translation>
    </message>
    <message>
        <location filename="../../app/ui/client_card.py" line="390"/>
        <source>Best hours</source>
        <translation>Удобное время</translation>
    </message>
    <message>
        <location filename="../../app/ui/client_card.py" line="400"/>
        <source>Days (none = any)</source>
        <translation>Дни (не выбраны = любые)</translation>
    </message>
    <message>
        <location filename="../../app/ui/client_card.py" line="401"/>
        <source>Do not contact this client</source>
        <translation>Не связываться с этим клиентом</translation>
    </message>
    <message>
        <location filename="../../app/ui/client_card.py" line="405"/>
        <source>Agreed to marketing on</source>
        <translation>Согласие на маркетинг от</translation>
    </message>
    <message>
        <location filename="../../app/ui/client_card.py" line="410"/>
        <source>Consent</source>
        <translation>Согласие</translation>
    </message>
    <message>
        <location filename="../../app/ui/client_card.py" line="425"/>
        <source>Add</source>
        <translation>Добавить</translation>
    </message>
    <message>
        <location filename="../../app/ui/client_card.py" line="426"/>
        <source>Edit</source>
        <translation>Изменить</translation>
    </message>
    <message>
        <location filename="../../app/ui/client_card.py" line="427"/>
        <source>Remove</source>
        <translation>Удалить</translation>
    </message>
    <message>
        <location filename="../../app/ui/client_card.py" line="440"/>
        <source>&lt;b&gt;Family&lt;/b&gt; — spouse, children, parents</source>
        <translation>&lt;b&gt;Семья&lt;/b&gt; — супруг(а), дети, родители</translation>
    </message>
    <message>
        <location filename="../../app/ui/client_card.py" line="441"/>
        <source>Name</source>
        <translation>Имя</translation>
    </message>
    <message>
        <location filename="../../app/ui/client_card.py" line="441"/>
        <source>Relation</source>
        <translation>Кем приходится</translation>
    </message>
    <message>
        <location filename="../../app/ui/client_card.py" line="441"/>
        <location filename="../../app/ui/client_card.py" line="466"/>
        <location filename="../../app/ui/client_card.py" line="517"/>
        <source>Note</source>
        <translation>Примечание</translation>
    </message>
    <message>
        <location filename="../../app/ui/client_card.py" line="447"/>
        <source>&lt;b&gt;Personal dates&lt;/b&gt; — birthdays, name days, anniversaries of the client and the family</source>
        <translation>&lt;b&gt;Личные даты&lt;/b&gt; — дни рождения, именины, годовщины клиента и его семьи</translation>
    </message>
    <message>
        <location filename="../../app/ui/client_card.py" line="452"/>
        <source>Whose</source>
        <translation>Чья</translation>
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
        <translation>Напоминание о подарке</translation>
    </message>
    <message>
        <location filename="../../app/ui/client_card.py" line="465"/>
        <source>Item or service</source>
        <translation>Товар или услуга</translation>
    </message>
    <message>
        <location filename="../../app/ui/client_card.py" line="466"/>
        <source>Quantity</source>
        <translation>Количество</translation>
    </message>
    <message>
        <location filename="../../app/ui/client_card.py" line="466"/>
        <source>Amount</source>
        <translation>Сумма</translation>
    </message>
    <message>
        <location filename="../../app/ui/client_card.py" line="482"/>
        <source>Plan</source>
        <translation>Тариф</translation>
    </message>
    <message>
        <location filename="../../app/ui/client_card.py" line="482"/>
        <source>Starts</source>
        <translation>Начало</translation>
    </message>
    <message>
        <location filename="../../app/ui/client_card.py" line="482"/>
        <source>Ends</source>
        <translation>Окончание</translation>
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
        <translation>Заморозка</translation>
    </message>
    <message>
        <location filename="../../app/ui/client_card.py" line="483"/>
        <source>Marks</source>
        <translation>Отметки</translation>
    </message>
    <message>
        <location filename="../../app/ui/client_card.py" line="488"/>
        <source>Freeze…</source>
        <translation>Заморозить…</translation>
    </message>
    <message>
        <location filename="../../app/ui/client_card.py" line="490"/>
        <source>Freeze the chosen membership for some days; its end and the renewal call move with it</source>
        <translation>Заморозить выбранный абонемент на несколько дней; его окончание и звонок о продлении сдвинутся вместе с ним</translation>
    </message>
    <message>
        <location filename="../../app/ui/client_card.py" line="506"/>
        <source>Tastes, favourite products, what they expect from us, what to avoid</source>
        <translation>Вкусы, любимые товары, чего клиент от нас ждёт, чего избегать</translation>
    </message>
    <message>
        <location filename="../../app/ui/client_card.py" line="509"/>
        <source>Preferences</source>
        <translation>Предпочтения</translation>
    </message>
    <message>
        <location filename="../../app/ui/client_card.py" line="510"/>
        <source>Notes</source>
        <translation>Заметки</translation>
    </message>
    <message>
        <location filename="../../app/ui/client_card.py" line="516"/>
        <location filename="../../app/ui/client_card.py" line="578"/>
        <source>When</source>
        <translation>Когда</translation>
    </message>
    <message>
        <location filename="../../app/ui/client_card.py" line="516"/>
        <source>Channel</source>
        <translation>Канал</translation>
    </message>
    <message>
        <location filename="../../app/ui/client_card.py" line="516"/>
        <source>Purpose</source>
        <translation>Цель</translation>
    </message>
    <message>
        <location filename="../../app/ui/client_card.py" line="516"/>
        <source>Outcome</source>
        <translation>Результат</translation>
    </message>
    <message>
        <location filename="../../app/ui/client_card.py" line="517"/>
        <source>Tone</source>
        <translation>Тон</translation>
    </message>
    <message>
        <location filename="../../app/ui/client_card.py" line="517"/>
        <source>Logged by</source>
        <translation>Кто записал</translation>
    </message>
    <message>
        <location filename="../../app/ui/client_card.py" line="520"/>
        <source>No contact logged yet.</source>
        <translation>Контактов пока не записано.</translation>
    </message>
    <message>
        <location filename="../../app/ui/client_card.py" line="523"/>
        <source>Correct the call…</source>
        <translation>Исправить звонок…</translation>
    </message>
    <message>
        <location filename="../../app/ui/client_card.py" line="525"/>
        <source>Change the outcome, tone or note of the selected call</source>
        <translation>Изменить итог, тон или заметку выбранного звонка</translation>
    </message>
    <message>
        <location filename="../../app/ui/client_card.py" line="566"/>
        <source>Logged while nobody was signed in, or brought in by an import</source>
        <translation>Записано, когда никто не вошёл в систему, или перенесено импортом</translation>
    </message>
    <message>
        <location filename="../../app/ui/client_card.py" line="578"/>
        <source>Who</source>
        <translation>Кто</translation>
    </message>
    <message>
        <location filename="../../app/ui/client_card.py" line="578"/>
        <source>What changed</source>
        <translation>Что изменено</translation>
    </message>
    <message>
        <location filename="../../app/ui/client_card.py" line="586"/>
        <source>Show more</source>
        <translation>Показать ещё</translation>
    </message>
    <message>
        <location filename="../../app/ui/client_card.py" line="611"/>
        <location filename="../../app/ui/client_card.py" line="1268"/>
        <source>Reading the changes…</source>
        <translation>Загрузка изменений…</translation>
    </message>
    <message>
        <location filename="../../app/ui/client_card.py" line="631"/>
        <source>No change recorded yet.</source>
        <translation>Изменений пока не записано.</translation>
    </message>
    <message numerus="yes">
        <location filename="../../app/ui/client_card.py" line="634"/>
        <source>The latest %1 of %n change(s).</source>
        <translation>
            <numerusform>Последние %1 из %n изменения.</numerusform>
            <numerusform>Последние %1 из %n изменений.</numerusform>
            <numerusform>Последние %1 из %n изменений.</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <location filename="../../app/ui/client_card.py" line="637"/>
        <source>%n change(s).</source>
        <translation>
            <numerusform>%n изменение.</numerusform>
            <numerusform>%n изменения.</numerusform>
            <numerusform>%n изменений.</numerusform>
        </translation>
    </message>
    <message>
        <location filename="../../app/ui/client_card.py" line="666"/>
        <source>Opened</source>
        <translation>Дата открытия</translation>
    </message>
    <message>
        <location filename="../../app/ui/client_card.py" line="666"/>
        <source>Category</source>
        <translation>Категория</translation>
    </message>
    <message>
        <location filename="../../app/ui/client_card.py" line="667"/>
        <source>First response</source>
        <translation>Первый ответ</translation>
    </message>
    <message>
        <location filename="../../app/ui/client_card.py" line="672"/>
        <source>New complaint…</source>
        <translation>Новая жалоба…</translation>
    </message>
    <message>
        <location filename="../../app/ui/client_card.py" line="675"/>
        <source>Open complaint</source>
        <translation>Открыть жалобу</translation>
    </message>
    <message>
        <location filename="../../app/ui/client_card.py" line="597"/>
        <location filename="../../app/ui/client_card.py" line="685"/>
        <source>Save the new client first.</source>
        <translation>Сначала сохраните нового клиента.</translation>
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
        <translation>Группа %1</translation>
    </message>
    <message>
        <location filename="../../app/ui/client_card.py" line="732"/>
        <source>client since %1</source>
        <translation>клиент с %1</translation>
    </message>
    <message>
        <location filename="../../app/ui/client_card.py" line="737"/>
        <source>12-month value %1</source>
        <translation>сумма за 12 месяцев: %1</translation>
    </message>
    <message>
        <location filename="../../app/ui/client_card.py" line="740"/>
        <source>do not contact</source>
        <translation>не связываться</translation>
    </message>
    <message>
        <location filename="../../app/ui/client_card.py" line="760"/>
        <source>Risk %1: %2</source>
        <translation>Риск %1: %2</translation>
    </message>
    <message>
        <location filename="../../app/ui/client_card.py" line="766"/>
        <source>the client</source>
        <translation>клиент</translation>
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
        <translation>по умолчанию</translation>
    </message>
    <message numerus="yes">
        <location filename="../../app/ui/client_card.py" line="809"/>
        <source>%n day(s) before</source>
        <translation>
            <numerusform>за %n день</numerusform>
            <numerusform>за %n дня</numerusform>
            <numerusform>за %n дней</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <location filename="../../app/ui/client_card.py" line="825"/>
        <source>%n purchase(s), total %1</source>
        <translation>
            <numerusform>%n покупка на сумму %1</numerusform>
            <numerusform>%n покупки на сумму %1</numerusform>
            <numerusform>%n покупок на сумму %1</numerusform>
        </translation>
    </message>
    <message>
        <location filename="../../app/ui/client_card.py" line="835"/>
        <source>promo</source>
        <translation>акция</translation>
    </message>
    <message>
        <location filename="../../app/ui/client_card.py" line="836"/>
        <source>discount</source>
        <translation>скидка</translation>
    </message>
    <message numerus="yes">
        <location filename="../../app/ui/client_card.py" line="842"/>
        <source> (+%n day(s) frozen)</source>
        <translation>
            <numerusform> (+%n день заморозки)</numerusform>
            <numerusform> (+%n дня заморозки)</numerusform>
            <numerusform> (+%n дней заморозки)</numerusform>
        </translation>
    </message>
    <message>
        <location filename="../../app/ui/client_card.py" line="990"/>
        <source>Remove purchase</source>
        <translation>Удалить покупку</translation>
    </message>
    <message>
        <location filename="../../app/ui/client_card.py" line="991"/>
        <source>Remove the purchase of %1 on %2? It is removed when you save the card.</source>
        <translation>Удалить покупку на сумму %1 от %2? Она будет удалена при сохранении карточки.</translation>
    </message>
    <message>
        <location filename="../../app/ui/client_card.py" line="1018"/>
        <source>Choose the membership to freeze.</source>
        <translation>Выберите абонемент для заморозки.</translation>
    </message>
    <message>
        <location filename="../../app/ui/client_card.py" line="1188"/>
        <source>Unsaved changes</source>
        <translation>Несохранённые изменения</translation>
    </message>
    <message>
        <location filename="../../app/ui/client_card.py" line="1189"/>
        <source>Save the changes to this client?</source>
        <translation>Сохранить изменения этого клиента?</translation>
    </message>
    <message>
        <location filename="../../app/ui/client_card.py" line="1228"/>
        <source>%1 (in the Trash)</source>
        <translation>%1 (в Корзине)</translation>
    </message>
    <message>
        <location filename="../../app/ui/client_card.py" line="229"/>
        <location filename="../../app/ui/client_card.py" line="1308"/>
        <source>Saving the card…</source>
        <translation>Сохранение карточки…</translation>
    </message>
</context>
<context>
    <name>ClientTableModel</name>
    <message>
        <location filename="../../app/ui/client_model.py" line="222"/>
        <source>Searching the clients</source>
        <extracomment>the first page shown before the model was attached (None: attached) every id of the list, for a sort no index serves (a page costs the whole sort there, so it is done once): 8 bytes a client; None for a paged sort how many times the id query ran (what a test counts)</extracomment>
        <translation>Поиск клиентов</translation>
    </message>
    <message>
        <location filename="../../app/ui/client_model.py" line="244"/>
        <source>Counting the clients</source>
        <translation>Подсчёт клиентов</translation>
    </message>
    <message>
        <location filename="../../app/ui/client_model.py" line="264"/>
        <location filename="../../app/ui/client_model.py" line="369"/>
        <source>Reading the clients</source>
        <translation>Загрузка клиентов</translation>
    </message>
    <message>
        <location filename="../../app/ui/client_model.py" line="485"/>
        <source>Name</source>
        <translation>Имя</translation>
    </message>
    <message>
        <location filename="../../app/ui/client_model.py" line="485"/>
        <source>Phone</source>
        <translation>Телефон</translation>
    </message>
    <message>
        <location filename="../../app/ui/client_model.py" line="486"/>
        <source>Group</source>
        <translation>Группа</translation>
    </message>
    <message>
        <location filename="../../app/ui/client_model.py" line="486"/>
        <source>Status</source>
        <translation>Статус</translation>
    </message>
    <message>
        <location filename="../../app/ui/client_model.py" line="487"/>
        <source>Last purchase</source>
        <translation>Последняя покупка</translation>
    </message>
    <message>
        <location filename="../../app/ui/client_model.py" line="488"/>
        <source>12-month value</source>
        <translation>Сумма за 12 мес.</translation>
    </message>
    <message>
        <location filename="../../app/ui/client_model.py" line="489"/>
        <source>Next contact</source>
        <translation>Следующий контакт</translation>
    </message>
    <message>
        <location filename="../../app/ui/client_model.py" line="489"/>
        <source>Tags</source>
        <translation>Метки</translation>
    </message>
    <message>
        <location filename="../../app/ui/client_model.py" line="490"/>
        <source>Risk</source>
        <translation>Риск</translation>
    </message>
    <message>
        <location filename="../../app/ui/client_model.py" line="546"/>
        <source>Check this number: it is not a valid phone number of %1. Open the card to correct it.</source>
        <translation>Проверьте этот номер: это не действительный номер телефона страны %1. Откройте карточку, чтобы исправить его.</translation>
    </message>
    <message>
        <location filename="../../app/ui/client_model.py" line="557"/>
        <source>Do not contact</source>
        <translation>Не связываться</translation>
    </message>
    <message>
        <location filename="../../app/ui/client_model.py" line="558"/>
        <source>Open complaint</source>
        <translation>Открытая жалоба</translation>
    </message>
</context>
<context>
    <name>ClientsPage</name>
    <message>
        <location filename="../../app/ui/clients_page.py" line="163"/>
        <source>Search by name, phone, e-mail or notes (Ctrl+F)</source>
        <translation>Поиск по имени, телефону, эл. почте или заметкам (Ctrl+F)</translation>
    </message>
    <message>
        <location filename="../../app/ui/clients_page.py" line="165"/>
        <source>All groups</source>
        <translation>Все группы</translation>
    </message>
    <message>
        <location filename="../../app/ui/clients_page.py" line="167"/>
        <source>Group %1</source>
        <translation>Группа %1</translation>
    </message>
    <message>
        <location filename="../../app/ui/clients_page.py" line="169"/>
        <source>Any status</source>
        <translation>Любой статус</translation>
    </message>
    <message>
        <location filename="../../app/ui/clients_page.py" line="174"/>
        <source>Any risk</source>
        <translation>Любой риск</translation>
    </message>
    <message>
        <location filename="../../app/ui/clients_page.py" line="179"/>
        <source>New client</source>
        <translation>Новый клиент</translation>
    </message>
    <message>
        <location filename="../../app/ui/clients_page.py" line="180"/>
        <source>New client (Ctrl+N)</source>
        <translation>Новый клиент (Ctrl+N)</translation>
    </message>
    <message>
        <location filename="../../app/ui/clients_page.py" line="181"/>
        <source>Delete</source>
        <translation>Удалить</translation>
    </message>
    <message>
        <location filename="../../app/ui/clients_page.py" line="182"/>
        <source>Move the selected clients to the Trash (Del)</source>
        <translation>Переместить выбранных клиентов в Корзину (Del)</translation>
    </message>
    <message>
        <location filename="../../app/ui/clients_page.py" line="183"/>
        <source>Restore</source>
        <translation>Восстановить</translation>
    </message>
    <message>
        <location filename="../../app/ui/clients_page.py" line="184"/>
        <source>Merge…</source>
        <translation>Объединить…</translation>
    </message>
    <message>
        <location filename="../../app/ui/clients_page.py" line="186"/>
        <source>Two records of one person: select both and merge them into one</source>
        <translation>Две записи об одном человеке: выберите обе и объедините их в одну</translation>
    </message>
    <message>
        <location filename="../../app/ui/clients_page.py" line="189"/>
        <source>Trash</source>
        <translation>Корзина</translation>
    </message>
    <message>
        <location filename="../../app/ui/clients_page.py" line="191"/>
        <source>Show clients moved to the Trash</source>
        <translation>Показать клиентов, перемещённых в Корзину</translation>
    </message>
    <message>
        <location filename="../../app/ui/clients_page.py" line="380"/>
        <source>Any tag</source>
        <translation>Любая метка</translation>
    </message>
    <message>
        <location filename="../../app/ui/clients_page.py" line="403"/>
        <source>Searching…</source>
        <translation>Поиск…</translation>
    </message>
    <message numerus="yes">
        <location filename="../../app/ui/clients_page.py" line="408"/>
        <source>%Ln+ client(s), counting…</source>
        <translation>
            <numerusform>%Ln+ клиент, идёт подсчёт…</numerusform>
            <numerusform>%Ln+ клиента, идёт подсчёт…</numerusform>
            <numerusform>%Ln+ клиентов, идёт подсчёт…</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <location filename="../../app/ui/clients_page.py" line="410"/>
        <source>%Ln client(s) in the Trash</source>
        <translation>
            <numerusform>%Ln клиент в Корзине</numerusform>
            <numerusform>%Ln клиента в Корзине</numerusform>
            <numerusform>%Ln клиентов в Корзине</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <location filename="../../app/ui/clients_page.py" line="412"/>
        <source>%Ln client(s)</source>
        <translation>
            <numerusform>%Ln клиент</numerusform>
            <numerusform>%Ln клиента</numerusform>
            <numerusform>%Ln клиентов</numerusform>
        </translation>
    </message>
    <message>
        <location filename="../../app/ui/clients_page.py" line="419"/>
        <source>The Trash is empty.</source>
        <translation>Корзина пуста.</translation>
    </message>
    <message>
        <location filename="../../app/ui/clients_page.py" line="421"/>
        <source>No client matches the search and filters.</source>
        <translation>Нет клиентов, соответствующих поиску и фильтрам.</translation>
    </message>
    <message>
        <location filename="../../app/ui/clients_page.py" line="424"/>
        <source>No clients yet. Press Ctrl+N or “New client” to add the first one.</source>
        <translation>Клиентов пока нет. Нажмите Ctrl+N или «Новый клиент», чтобы добавить первого.</translation>
    </message>
    <message numerus="yes">
        <location filename="../../app/ui/clients_page.py" line="539"/>
        <source>%Ln client(s) moved to the Trash.</source>
        <translation>
            <numerusform>%Ln клиент перемещён в Корзину.</numerusform>
            <numerusform>%Ln клиента перемещены в Корзину.</numerusform>
            <numerusform>%Ln клиентов перемещено в Корзину.</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>Complaint</name>
    <message>
        <location filename="../../app/ui/complaint_dialog.py" line="72"/>
        <source>To be heard and taken seriously</source>
        <translation>Быть выслушанным и воспринятым всерьёз</translation>
    </message>
    <message>
        <location filename="../../app/ui/complaint_dialog.py" line="73"/>
        <source>To see that we understand the problem and why they are upset</source>
        <translation>Видеть, что мы понимаем проблему и причину его недовольства</translation>
    </message>
    <message>
        <location filename="../../app/ui/complaint_dialog.py" line="74"/>
        <source>Compensation or restitution</source>
        <translation>Компенсация или возмещение ущерба</translation>
    </message>
    <message>
        <location filename="../../app/ui/complaint_dialog.py" line="75"/>
        <source>A sense of speed: the problem handled quickly</source>
        <translation>Ощущение оперативности: проблему решают быстро</translation>
    </message>
    <message>
        <location filename="../../app/ui/complaint_dialog.py" line="76"/>
        <source>No further inconvenience</source>
        <translation>Никаких дальнейших неудобств</translation>
    </message>
    <message>
        <location filename="../../app/ui/complaint_dialog.py" line="77"/>
        <source>To be treated with respect</source>
        <translation>Уважительное отношение</translation>
    </message>
    <message>
        <location filename="../../app/ui/complaint_dialog.py" line="78"/>
        <source>Someone accountable for the problem</source>
        <translation>Человек, ответственный за решение проблемы</translation>
    </message>
    <message>
        <location filename="../../app/ui/complaint_dialog.py" line="79"/>
        <source>A guarantee that it will not happen again</source>
        <translation>Гарантия, что это не повторится</translation>
    </message>
    <message>
        <location filename="../../app/ui/complaint_dialog.py" line="86"/>
        <source>What was the main complaint?</source>
        <translation>На что клиент жаловался прежде всего?</translation>
    </message>
    <message>
        <location filename="../../app/ui/complaint_dialog.py" line="87"/>
        <source>How did the client present the problem? Whose fault was it? What angered them most? Why were they upset?</source>
        <translation>Как клиент описал проблему? Кто был виноват? Что его больше всего разозлило? Почему он был расстроен?</translation>
    </message>
    <message>
        <location filename="../../app/ui/complaint_dialog.py" line="90"/>
        <source>How do you see the problem? Was the client at fault in any way?</source>
        <translation>Как вы оцениваете проблему? Есть ли в ней доля вины клиента?</translation>
    </message>
    <message>
        <location filename="../../app/ui/complaint_dialog.py" line="92"/>
        <source>What did you say that improved the situation?</source>
        <translation>Что из сказанного вами улучшило ситуацию?</translation>
    </message>
    <message>
        <location filename="../../app/ui/complaint_dialog.py" line="94"/>
        <source>What did you say that seemed to make it worse?</source>
        <translation>Что из сказанного вами, похоже, ухудшило ситуацию?</translation>
    </message>
    <message>
        <location filename="../../app/ui/complaint_dialog.py" line="96"/>
        <source>How did you show you cared about the client?</source>
        <translation>Как вы показали клиенту, что он вам небезразличен?</translation>
    </message>
    <message>
        <location filename="../../app/ui/complaint_dialog.py" line="98"/>
        <source>What would you do differently?</source>
        <translation>Что бы вы сделали иначе?</translation>
    </message>
    <message>
        <location filename="../../app/ui/complaint_dialog.py" line="104"/>
        <source>the apology, given to the client</source>
        <translation>извинения, принесённые клиенту</translation>
    </message>
    <message>
        <location filename="../../app/ui/complaint_dialog.py" line="105"/>
        <source>what the client asked for</source>
        <translation>просьба клиента</translation>
    </message>
    <message>
        <location filename="../../app/ui/complaint_dialog.py" line="106"/>
        <source>a compensation or a corrective action</source>
        <translation>компенсация или корректирующее действие</translation>
    </message>
    <message>
        <location filename="../../app/ui/complaint_dialog.py" line="108"/>
        <source>every checklist item ticked or marked not applicable</source>
        <translation>все пункты контрольного списка отмечены как выполненные или неприменимые</translation>
    </message>
    <message>
        <location filename="../../app/ui/complaint_dialog.py" line="110"/>
        <source>the call-back to the client after the fix (or, to close without it, the reason below)</source>
        <translation>обратный звонок клиенту после исправления (или, чтобы закрыть без него, причина ниже)</translation>
    </message>
    <message>
        <location filename="../../app/ui/complaint_dialog.py" line="122"/>
        <source>Open</source>
        <translation>Открыта</translation>
    </message>
    <message>
        <location filename="../../app/ui/complaint_dialog.py" line="123"/>
        <source>In progress</source>
        <translation>В работе</translation>
    </message>
    <message>
        <location filename="../../app/ui/complaint_dialog.py" line="124"/>
        <source>Resolved</source>
        <translation>Решена</translation>
    </message>
    <message>
        <location filename="../../app/ui/complaint_dialog.py" line="125"/>
        <source>Closed, client kept</source>
        <translation>Закрыта, клиент сохранён</translation>
    </message>
    <message>
        <location filename="../../app/ui/complaint_dialog.py" line="126"/>
        <source>Closed, client lost</source>
        <translation>Закрыта, клиент потерян</translation>
    </message>
    <message>
        <location filename="../../app/ui/complaint_dialog.py" line="131"/>
        <source>Low</source>
        <translation>Низкая</translation>
    </message>
    <message>
        <location filename="../../app/ui/complaint_dialog.py" line="132"/>
        <source>Medium</source>
        <translation>Средняя</translation>
    </message>
    <message>
        <location filename="../../app/ui/complaint_dialog.py" line="133"/>
        <source>High</source>
        <translation>Высокая</translation>
    </message>
    <message>
        <location filename="../../app/ui/complaint_dialog.py" line="137"/>
        <source>Us</source>
        <translation>Мы</translation>
    </message>
    <message>
        <location filename="../../app/ui/complaint_dialog.py" line="138"/>
        <source>The client</source>
        <translation>Клиент</translation>
    </message>
    <message>
        <location filename="../../app/ui/complaint_dialog.py" line="139"/>
        <source>A third party</source>
        <translation>Третья сторона</translation>
    </message>
    <message>
        <location filename="../../app/ui/complaint_dialog.py" line="140"/>
        <source>Unclear</source>
        <translation>Неясно</translation>
    </message>
    <message>
        <location filename="../../app/ui/complaint_dialog.py" line="144"/>
        <source>None</source>
        <translation>Нет</translation>
    </message>
    <message>
        <location filename="../../app/ui/complaint_dialog.py" line="145"/>
        <source>Refund</source>
        <translation>Возврат денег</translation>
    </message>
    <message>
        <location filename="../../app/ui/complaint_dialog.py" line="146"/>
        <source>Discount</source>
        <translation>Скидка</translation>
    </message>
    <message>
        <location filename="../../app/ui/complaint_dialog.py" line="147"/>
        <source>Free service</source>
        <translation>Бесплатная услуга</translation>
    </message>
    <message>
        <location filename="../../app/ui/complaint_dialog.py" line="148"/>
        <source>Replacement</source>
        <translation>Замена</translation>
    </message>
    <message>
        <location filename="../../app/ui/complaint_dialog.py" line="149"/>
        <source>Gift</source>
        <translation>Подарок</translation>
    </message>
    <message>
        <location filename="../../app/ui/complaint_dialog.py" line="153"/>
        <source>Not yet</source>
        <translation>Ещё нет</translation>
    </message>
    <message>
        <location filename="../../app/ui/complaint_dialog.py" line="154"/>
        <source>Done</source>
        <translation>Выполнено</translation>
    </message>
    <message>
        <location filename="../../app/ui/complaint_dialog.py" line="155"/>
        <source>Not applicable</source>
        <translation>Неприменимо</translation>
    </message>
    <message>
        <location filename="../../app/ui/complaint_dialog.py" line="159"/>
        <source>Product quality</source>
        <translation>Качество товара</translation>
    </message>
    <message>
        <location filename="../../app/ui/complaint_dialog.py" line="160"/>
        <source>Service quality</source>
        <translation>Качество услуги</translation>
    </message>
    <message>
        <location filename="../../app/ui/complaint_dialog.py" line="161"/>
        <source>Waiting time</source>
        <translation>Время ожидания</translation>
    </message>
    <message>
        <location filename="../../app/ui/complaint_dialog.py" line="162"/>
        <source>Prices and billing</source>
        <translation>Цены и расчёты</translation>
    </message>
    <message>
        <location filename="../../app/ui/complaint_dialog.py" line="163"/>
        <source>Staff attitude</source>
        <translation>Отношение персонала</translation>
    </message>
    <message>
        <location filename="../../app/ui/complaint_dialog.py" line="164"/>
        <source>Delivery</source>
        <translation>Доставка</translation>
    </message>
    <message>
        <location filename="../../app/ui/complaint_dialog.py" line="165"/>
        <source>Other</source>
        <translation>Другое</translation>
    </message>
</context>
<context>
    <name>ComplaintDialog</name>
    <message>
        <location filename="../../app/ui/complaint_dialog.py" line="238"/>
        <source>You are signed in: every step you take here is recorded in your name.</source>
        <extracomment>where the complaint window keeps its size (QSettings)</extracomment>
        <translation>Вы вошли в систему: каждый ваш шаг здесь записывается на ваше имя.</translation>
    </message>
    <message>
        <location filename="../../app/ui/complaint_dialog.py" line="245"/>
        <source>Who is handling it</source>
        <translation>Кто ведёт жалобу</translation>
    </message>
    <message>
        <location filename="../../app/ui/complaint_dialog.py" line="249"/>
        <source>1. Listen</source>
        <translation>1. Выслушать</translation>
    </message>
    <message>
        <location filename="../../app/ui/complaint_dialog.py" line="250"/>
        <source>2. Needs</source>
        <translation>2. Потребности</translation>
    </message>
    <message>
        <location filename="../../app/ui/complaint_dialog.py" line="251"/>
        <source>3. Apologise, ask</source>
        <translation>3. Извиниться, спросить</translation>
    </message>
    <message>
        <location filename="../../app/ui/complaint_dialog.py" line="253"/>
        <source>4. Compensate, fix</source>
        <translation>4. Компенсировать, исправить</translation>
    </message>
    <message>
        <location filename="../../app/ui/complaint_dialog.py" line="254"/>
        <source>5. Resolve, close</source>
        <translation>5. Решить, закрыть</translation>
    </message>
    <message>
        <location filename="../../app/ui/complaint_dialog.py" line="255"/>
        <source>6. Review, lesson</source>
        <translation>6. Разбор, выводы</translation>
    </message>
    <message>
        <location filename="../../app/ui/complaint_dialog.py" line="267"/>
        <source>What is at stake</source>
        <translation>Что на кону</translation>
    </message>
    <message>
        <location filename="../../app/ui/complaint_dialog.py" line="280"/>
        <source>Save</source>
        <translation>Сохранить</translation>
    </message>
    <message>
        <location filename="../../app/ui/complaint_dialog.py" line="282"/>
        <source>Save (Ctrl+S)</source>
        <translation>Сохранить (Ctrl+S)</translation>
    </message>
    <message>
        <location filename="../../app/ui/complaint_dialog.py" line="285"/>
        <source>Close window</source>
        <translation>Закрыть окно</translation>
    </message>
    <message>
        <location filename="../../app/ui/complaint_dialog.py" line="333"/>
        <source>What the client said, in their own words</source>
        <translation>Что сказал клиент — его собственными словами</translation>
    </message>
    <message>
        <location filename="../../app/ui/complaint_dialog.py" line="346"/>
        <source>The client&apos;s words</source>
        <translation>Слова клиента</translation>
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
        <translation>Серьёзность</translation>
    </message>
    <message>
        <location filename="../../app/ui/complaint_dialog.py" line="351"/>
        <source>Who was at fault</source>
        <translation>Кто виноват</translation>
    </message>
    <message>
        <location filename="../../app/ui/complaint_dialog.py" line="352"/>
        <source>Let the client finish. Do not argue or explain yet: write down what they say and why it upset them.</source>
        <translation>Дайте клиенту договорить. Не спорьте и пока ничего не объясняйте: запишите, что он говорит и что его расстроило.</translation>
    </message>
    <message>
        <location filename="../../app/ui/complaint_dialog.py" line="386"/>
        <source>The apology was given to the client</source>
        <translation>Клиенту принесены извинения</translation>
    </message>
    <message>
        <location filename="../../app/ui/complaint_dialog.py" line="389"/>
        <source>Suggested wording</source>
        <translation>Предлагаемая формулировка</translation>
    </message>
    <message>
        <location filename="../../app/ui/complaint_dialog.py" line="392"/>
        <source>An apology is regret that the client&apos;s experience was unpleasant, not an admission of guilt. It costs nothing.</source>
        <translation>Извиниться — значит выразить сожаление о том, что клиенту было неприятно, а не признать вину. Вам это ничего не стоит.</translation>
    </message>
    <message>
        <location filename="../../app/ui/complaint_dialog.py" line="399"/>
        <source>In the client&apos;s own words</source>
        <translation>Словами самого клиента</translation>
    </message>
    <message>
        <location filename="../../app/ui/complaint_dialog.py" line="400"/>
        <source>Apology</source>
        <translation>Извинение</translation>
    </message>
    <message>
        <location filename="../../app/ui/complaint_dialog.py" line="404"/>
        <source>“What would put it right for you?”</source>
        <translation>«Какое решение вас устроит?»</translation>
    </message>
    <message>
        <location filename="../../app/ui/complaint_dialog.py" line="422"/>
        <source>nobody</source>
        <translation>никто</translation>
    </message>
    <message>
        <location filename="../../app/ui/complaint_dialog.py" line="428"/>
        <source>nobody yet</source>
        <translation>пока никто</translation>
    </message>
    <message>
        <location filename="../../app/ui/complaint_dialog.py" line="432"/>
        <source>What changes so that it will not happen again</source>
        <translation>Что меняем, чтобы это не повторилось</translation>
    </message>
    <message>
        <location filename="../../app/ui/complaint_dialog.py" line="433"/>
        <source>Compensation</source>
        <translation>Компенсация</translation>
    </message>
    <message>
        <location filename="../../app/ui/complaint_dialog.py" line="434"/>
        <source>Value</source>
        <translation>Сумма</translation>
    </message>
    <message>
        <location filename="../../app/ui/complaint_dialog.py" line="437"/>
        <source>Approved by the owner</source>
        <translation>Одобрено владельцем</translation>
    </message>
    <message>
        <location filename="../../app/ui/complaint_dialog.py" line="439"/>
        <source>Accountable</source>
        <translation>Ответственный</translation>
    </message>
    <message>
        <location filename="../../app/ui/complaint_dialog.py" line="440"/>
        <source>Corrective action</source>
        <translation>Корректирующее действие</translation>
    </message>
    <message>
        <location filename="../../app/ui/complaint_dialog.py" line="441"/>
        <source>A refund is entered among the client&apos;s purchases as a credit, so revenue and the client&apos;s 12-month value stay true.</source>
        <translation>Возврат денег записывается в покупки клиента как отрицательная сумма, поэтому выручка и сумма покупок клиента за 12 месяцев остаются верными.</translation>
    </message>
    <message>
        <location filename="../../app/ui/complaint_dialog.py" line="455"/>
        <source>The fix is done: mark resolved</source>
        <translation>Проблема устранена: отметить как решённую</translation>
    </message>
    <message numerus="yes">
        <location filename="../../app/ui/complaint_dialog.py" line="460"/>
        <source>Marking it resolved plans the call-back to the client after %n day(s).</source>
        <translation>
            <numerusform>После отметки «решена» обратный звонок клиенту будет запланирован через %n день.</numerusform>
            <numerusform>После отметки «решена» обратный звонок клиенту будет запланирован через %n дня.</numerusform>
            <numerusform>После отметки «решена» обратный звонок клиенту будет запланирован через %n дней.</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <location filename="../../app/ui/complaint_dialog.py" line="462"/>
        <source>The team review follows after %n day(s).</source>
        <translation>
            <numerusform>Разбор с командой — через %n день.</numerusform>
            <numerusform>Разбор с командой — через %n дня.</numerusform>
            <numerusform>Разбор с командой — через %n дней.</numerusform>
        </translation>
    </message>
    <message>
        <location filename="../../app/ui/complaint_dialog.py" line="464"/>
        <location filename="../../app/ui/complaint_dialog.py" line="485"/>
        <source>Close the complaint</source>
        <translation>Закрыть жалобу</translation>
    </message>
    <message>
        <location filename="../../app/ui/complaint_dialog.py" line="466"/>
        <source>The client is satisfied</source>
        <translation>Клиент доволен</translation>
    </message>
    <message>
        <location filename="../../app/ui/complaint_dialog.py" line="470"/>
        <source>not given</source>
        <translation>без оценки</translation>
    </message>
    <message>
        <location filename="../../app/ui/complaint_dialog.py" line="473"/>
        <source>We kept the client</source>
        <translation>Мы сохранили клиента</translation>
    </message>
    <message>
        <location filename="../../app/ui/complaint_dialog.py" line="475"/>
        <source>We lost the client</source>
        <translation>Мы потеряли клиента</translation>
    </message>
    <message>
        <location filename="../../app/ui/complaint_dialog.py" line="496"/>
        <source>Only when closing before the call-back: why</source>
        <translation>Только если закрываете до обратного звонка: почему</translation>
    </message>
    <message>
        <location filename="../../app/ui/complaint_dialog.py" line="498"/>
        <source>Rating (1–5)</source>
        <translation>Оценка (1–5)</translation>
    </message>
    <message>
        <location filename="../../app/ui/complaint_dialog.py" line="500"/>
        <source>Closed without the call-back because</source>
        <translation>Закрыта без обратного звонка, потому что</translation>
    </message>
    <message>
        <location filename="../../app/ui/complaint_dialog.py" line="517"/>
        <source>After a day or two, when feelings have cooled, answer these with the team. The lesson is what everyone can read later. The review task is done when all seven answers and the lesson are saved.</source>
        <translation>Через день-два, когда эмоции улягутся, ответьте на эти вопросы вместе с командой. Выводы потом сможет прочитать каждый. Задача разбора выполнена, когда сохранены все семь ответов и выводы.</translation>
    </message>
    <message>
        <location filename="../../app/ui/complaint_dialog.py" line="533"/>
        <source>What went wrong, how it was put right, what we do from now on</source>
        <translation>Что пошло не так, как мы это исправили, что делаем впредь</translation>
    </message>
    <message>
        <location filename="../../app/ui/complaint_dialog.py" line="535"/>
        <source>The lesson for the team</source>
        <translation>Выводы для команды</translation>
    </message>
    <message>
        <location filename="../../app/ui/complaint_dialog.py" line="545"/>
        <source>I am sorry that your experience with us was unpleasant. Thank you for telling us; we want to put it right. What would put it right for you?</source>
        <translation>Мне очень жаль, что у вас остались неприятные впечатления. Спасибо, что рассказали нам об этом: мы хотим всё исправить. Какое решение вас устроит?</translation>
    </message>
    <message>
        <location filename="../../app/ui/complaint_dialog.py" line="553"/>
        <source>Complaint — %1</source>
        <translation>Жалоба — %1</translation>
    </message>
    <message>
        <location filename="../../app/ui/complaint_dialog.py" line="567"/>
        <source>%1, %2</source>
        <translation>%1, %2</translation>
    </message>
    <message>
        <location filename="../../app/ui/complaint_dialog.py" line="572"/>
        <source>given %1</source>
        <translation>принесены %1</translation>
    </message>
    <message>
        <location filename="../../app/ui/complaint_dialog.py" line="575"/>
        <source>by %1</source>
        <comment>who gave the apology</comment>
        <translation>сотрудник: %1</translation>
    </message>
    <message>
        <location filename="../../app/ui/complaint_dialog.py" line="607"/>
        <source>opened %1 by %2</source>
        <translation>поступила %1, сотрудник: %2</translation>
    </message>
    <message>
        <location filename="../../app/ui/complaint_dialog.py" line="609"/>
        <source>opened %1</source>
        <translation>поступила %1</translation>
    </message>
    <message>
        <location filename="../../app/ui/complaint_dialog.py" line="611"/>
        <source>first response %1</source>
        <translation>первый ответ %1</translation>
    </message>
    <message>
        <location filename="../../app/ui/complaint_dialog.py" line="614"/>
        <source>resolved %1 by %2</source>
        <translation>решена %1, сотрудник: %2</translation>
    </message>
    <message>
        <location filename="../../app/ui/complaint_dialog.py" line="616"/>
        <source>resolved %1</source>
        <translation>решена %1</translation>
    </message>
    <message>
        <location filename="../../app/ui/complaint_dialog.py" line="618"/>
        <source>closed %1 by %2</source>
        <translation>закрыта %1, сотрудник: %2</translation>
    </message>
    <message>
        <location filename="../../app/ui/complaint_dialog.py" line="620"/>
        <source>closed %1</source>
        <translation>закрыта %1</translation>
    </message>
    <message>
        <location filename="../../app/ui/complaint_dialog.py" line="621"/>
        <source>New complaint</source>
        <translation>Новая жалоба</translation>
    </message>
    <message>
        <location filename="../../app/ui/complaint_dialog.py" line="621"/>
        <source>Complaint</source>
        <translation>Жалоба</translation>
    </message>
    <message>
        <location filename="../../app/ui/complaint_dialog.py" line="624"/>
        <source>apology given</source>
        <translation>извинения принесены</translation>
    </message>
    <message>
        <location filename="../../app/ui/complaint_dialog.py" line="625"/>
        <source>the client&apos;s request recorded</source>
        <translation>просьба клиента записана</translation>
    </message>
    <message>
        <location filename="../../app/ui/complaint_dialog.py" line="627"/>
        <source>compensation or corrective action</source>
        <translation>компенсация или корректирующее действие</translation>
    </message>
    <message>
        <location filename="../../app/ui/complaint_dialog.py" line="628"/>
        <source>checklist complete</source>
        <translation>контрольный список заполнен</translation>
    </message>
    <message>
        <location filename="../../app/ui/complaint_dialog.py" line="629"/>
        <source>resolved: call-back planned</source>
        <translation>решена: обратный звонок запланирован</translation>
    </message>
    <message>
        <location filename="../../app/ui/complaint_dialog.py" line="630"/>
        <source>call-back made</source>
        <translation>обратный звонок сделан</translation>
    </message>
    <message>
        <location filename="../../app/ui/complaint_dialog.py" line="631"/>
        <source>review and lesson recorded</source>
        <translation>разбор и выводы записаны</translation>
    </message>
    <message>
        <location filename="../../app/ui/complaint_dialog.py" line="645"/>
        <source>Client since %1</source>
        <translation>Клиент с %1</translation>
    </message>
    <message numerus="yes">
        <location filename="../../app/ui/complaint_dialog.py" line="647"/>
        <source>Client since %1 (%n month(s))</source>
        <translation>
            <numerusform>Клиент с %1 (%n месяц)</numerusform>
            <numerusform>Клиент с %1 (%n месяца)</numerusform>
            <numerusform>Клиент с %1 (%n месяцев)</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <location filename="../../app/ui/complaint_dialog.py" line="649"/>
        <source>Client since %1 (%n year(s))</source>
        <translation>
            <numerusform>Клиент с %1 (%n год)</numerusform>
            <numerusform>Клиент с %1 (%n года)</numerusform>
            <numerusform>Клиент с %1 (%n лет)</numerusform>
        </translation>
    </message>
    <message>
        <location filename="../../app/ui/complaint_dialog.py" line="656"/>
        <source>12-month value: &lt;b&gt;%1&lt;/b&gt;</source>
        <translation>Сумма за 12 месяцев: &lt;b&gt;%1&lt;/b&gt;</translation>
    </message>
    <message>
        <location filename="../../app/ui/complaint_dialog.py" line="658"/>
        <source>Group: &lt;b&gt;%1&lt;/b&gt;</source>
        <translation>Группа: &lt;b&gt;%1&lt;/b&gt;</translation>
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
            <numerusform>По его рекомендации пришёл %n клиент: %1</numerusform>
            <numerusform>По его рекомендации пришли %n клиента: %1</numerusform>
            <numerusform>По его рекомендации пришли %n клиентов: %1</numerusform>
        </translation>
    </message>
    <message>
        <location filename="../../app/ui/complaint_dialog.py" line="670"/>
        <source>Referred nobody yet.</source>
        <translation>По его рекомендации пока никто не приходил.</translation>
    </message>
    <message>
        <location filename="../../app/ui/complaint_dialog.py" line="672"/>
        <source>An unhappy client tells about 22 people; a happy one tells 2.</source>
        <translation>Недовольный клиент рассказывает об этом примерно 22 людям, а довольный — 2.</translation>
    </message>
    <message>
        <location filename="../../app/ui/complaint_dialog.py" line="681"/>
        <source>Choose who is handling the complaint.</source>
        <translation>Выберите, кто ведёт жалобу.</translation>
    </message>
    <message>
        <location filename="../../app/ui/complaint_dialog.py" line="683"/>
        <source>The owner may grant any amount.</source>
        <translation>Владелец может предоставить компенсацию на любую сумму.</translation>
    </message>
    <message>
        <location filename="../../app/ui/complaint_dialog.py" line="685"/>
        <source>You may grant up to %1; more needs the owner&apos;s approval.</source>
        <translation>Вы можете предоставить до %1; на большую сумму нужно одобрение владельца.</translation>
    </message>
    <message>
        <location filename="../../app/ui/complaint_dialog.py" line="832"/>
        <source>Refund more than was paid?</source>
        <translation>Вернуть больше, чем было оплачено?</translation>
    </message>
    <message numerus="yes">
        <location filename="../../app/ui/complaint_dialog.py" line="833"/>
        <source>The refund of %1 is more than the client paid in the last %n day(s) (%2). Refund %1 all the same?</source>
        <translation>
            <numerusform>Возврат %1 больше, чем клиент заплатил за последний %n день (%2). Всё равно вернуть %1?</numerusform>
            <numerusform>Возврат %1 больше, чем клиент заплатил за последние %n дня (%2). Всё равно вернуть %1?</numerusform>
            <numerusform>Возврат %1 больше, чем клиент заплатил за последние %n дней (%2). Всё равно вернуть %1?</numerusform>
        </translation>
    </message>
    <message>
        <location filename="../../app/ui/complaint_dialog.py" line="846"/>
        <source>Saved.</source>
        <translation>Сохранено.</translation>
    </message>
    <message>
        <location filename="../../app/ui/complaint_dialog.py" line="857"/>
        <source>Resolved. The call-back is planned for %1.</source>
        <translation>Решено. Обратный звонок клиенту запланирован на %1.</translation>
    </message>
    <message>
        <location filename="../../app/ui/complaint_dialog.py" line="883"/>
        <source>The complaint cannot be closed yet. Still missing:</source>
        <translation>Жалобу пока нельзя закрыть. Не хватает:</translation>
    </message>
    <message>
        <location filename="../../app/ui/complaint_dialog.py" line="884"/>
        <source>What you typed is saved.</source>
        <translation>Введённые данные сохранены.</translation>
    </message>
    <message>
        <location filename="../../app/ui/complaint_dialog.py" line="892"/>
        <source>The complaint is closed.</source>
        <translation>Жалоба закрыта.</translation>
    </message>
    <message>
        <location filename="../../app/ui/complaint_dialog.py" line="901"/>
        <source>Unsaved changes</source>
        <translation>Несохранённые изменения</translation>
    </message>
    <message>
        <location filename="../../app/ui/complaint_dialog.py" line="902"/>
        <source>Save the changes to this complaint?</source>
        <translation>Сохранить изменения этой жалобы?</translation>
    </message>
</context>
<context>
    <name>ComplaintsPage</name>
    <message>
        <location filename="../../app/ui/complaints_page.py" line="248"/>
        <source>Complaints</source>
        <translation>Жалобы</translation>
    </message>
    <message>
        <location filename="../../app/ui/complaints_page.py" line="249"/>
        <source>Lessons</source>
        <translation>Выводы</translation>
    </message>
    <message>
        <location filename="../../app/ui/complaints_page.py" line="270"/>
        <source>All statuses</source>
        <translation>Все статусы</translation>
    </message>
    <message>
        <location filename="../../app/ui/complaints_page.py" line="271"/>
        <source>Not closed</source>
        <translation>Незакрытые</translation>
    </message>
    <message>
        <location filename="../../app/ui/complaints_page.py" line="279"/>
        <source>New complaint…</source>
        <translation>Новая жалоба…</translation>
    </message>
    <message>
        <location filename="../../app/ui/complaints_page.py" line="280"/>
        <source>Open</source>
        <translation>Открыть</translation>
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
        <translation>Дата открытия</translation>
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
        <translation>Серьёзность</translation>
    </message>
    <message>
        <location filename="../../app/ui/complaints_page.py" line="240"/>
        <source>Age</source>
        <translation>Прошло времени</translation>
    </message>
    <message>
        <location filename="../../app/ui/complaints_page.py" line="241"/>
        <source>First response</source>
        <translation>Первый ответ</translation>
    </message>
    <message>
        <location filename="../../app/ui/complaints_page.py" line="241"/>
        <source>Resolution</source>
        <translation>Решение</translation>
    </message>
    <message>
        <location filename="../../app/ui/complaints_page.py" line="302"/>
        <source>Red: no first response within the set hours (Settings, Rules). Enter opens a complaint.</source>
        <translation>Красным: нет первого ответа в течение заданного числа часов (Настройки, Правила). Enter открывает жалобу.</translation>
    </message>
    <message>
        <location filename="../../app/ui/complaints_page.py" line="316"/>
        <source>%1 h</source>
        <translation>%1 ч</translation>
    </message>
    <message>
        <location filename="../../app/ui/complaints_page.py" line="317"/>
        <source>%1 d</source>
        <translation>%1 дн.</translation>
    </message>
    <message>
        <location filename="../../app/ui/complaints_page.py" line="245"/>
        <source>waiting</source>
        <translation>ожидается</translation>
    </message>
    <message>
        <location filename="../../app/ui/complaints_page.py" line="246"/>
        <source>First response overdue</source>
        <translation>Первый ответ просрочен</translation>
    </message>
    <message>
        <location filename="../../app/ui/complaints_page.py" line="375"/>
        <source>%1 shown · %2 not closed · %3 waiting too long for a first response</source>
        <translation>Показано: %1 · не закрыто: %2 · слишком долго ждут первого ответа: %3</translation>
    </message>
    <message>
        <location filename="../../app/ui/complaints_page.py" line="278"/>
        <location filename="../../app/ui/complaints_page.py" line="427"/>
        <source>All categories</source>
        <translation>Все категории</translation>
    </message>
    <message>
        <location filename="../../app/ui/complaints_page.py" line="455"/>
        <source>Search the lessons: a word of the complaint, the fix or the lesson</source>
        <translation>Поиск по выводам: слово из жалобы, решения или выводов</translation>
    </message>
    <message>
        <location filename="../../app/ui/complaints_page.py" line="243"/>
        <source>What went wrong</source>
        <translation>Что пошло не так</translation>
    </message>
    <message>
        <location filename="../../app/ui/complaints_page.py" line="243"/>
        <source>How it was put right</source>
        <translation>Как это исправили</translation>
    </message>
    <message>
        <location filename="../../app/ui/complaints_page.py" line="244"/>
        <source>The lesson</source>
        <translation>Выводы</translation>
    </message>
    <message>
        <location filename="../../app/ui/complaints_page.py" line="365"/>
        <source>Reading the complaints</source>
        <translation>Загрузка жалоб</translation>
    </message>
    <message>
        <location filename="../../app/ui/complaints_page.py" line="492"/>
        <source>Searching the lessons</source>
        <translation>Поиск выводов</translation>
    </message>
    <message numerus="yes">
        <location filename="../../app/ui/complaints_page.py" line="502"/>
        <source>%n lesson(s)</source>
        <translation>
            <numerusform>%n вывод</numerusform>
            <numerusform>%n вывода</numerusform>
            <numerusform>%n выводов</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>DataDialogs</name>
    <message>
        <location filename="../../app/ui/data_dialogs.py" line="56"/>
        <source>Clients</source>
        <translation>Клиенты</translation>
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
        <translation>Звонки и контакты</translation>
    </message>
    <message>
        <location filename="../../app/ui/data_dialogs.py" line="64"/>
        <source>Number</source>
        <translation>Номер</translation>
    </message>
    <message>
        <location filename="../../app/ui/data_dialogs.py" line="65"/>
        <source>Name</source>
        <translation>Имя</translation>
    </message>
    <message>
        <location filename="../../app/ui/data_dialogs.py" line="66"/>
        <source>Person or company</source>
        <translation>Человек или компания</translation>
    </message>
    <message>
        <location filename="../../app/ui/data_dialogs.py" line="67"/>
        <source>Card number</source>
        <translation>Номер карты</translation>
    </message>
    <message>
        <location filename="../../app/ui/data_dialogs.py" line="68"/>
        <source>Phone</source>
        <translation>Телефон</translation>
    </message>
    <message>
        <location filename="../../app/ui/data_dialogs.py" line="69"/>
        <source>E-mail</source>
        <translation>E-mail</translation>
    </message>
    <message>
        <location filename="../../app/ui/data_dialogs.py" line="70"/>
        <source>Preferred channel</source>
        <translation>Предпочтительный канал</translation>
    </message>
    <message>
        <location filename="../../app/ui/data_dialogs.py" line="71"/>
        <source>Do not contact</source>
        <translation>Не связываться</translation>
    </message>
    <message>
        <location filename="../../app/ui/data_dialogs.py" line="72"/>
        <source>Marketing consent</source>
        <translation>Согласие на рассылку</translation>
    </message>
    <message>
        <location filename="../../app/ui/data_dialogs.py" line="73"/>
        <source>Consent given on</source>
        <translation>Дата согласия</translation>
    </message>
    <message>
        <location filename="../../app/ui/data_dialogs.py" line="74"/>
        <source>Came from</source>
        <translation>Откуда пришёл</translation>
    </message>
    <message>
        <location filename="../../app/ui/data_dialogs.py" line="75"/>
        <source>Referred by (number)</source>
        <translation>По рекомендации (номер)</translation>
    </message>
    <message>
        <location filename="../../app/ui/data_dialogs.py" line="76"/>
        <source>Group</source>
        <translation>Группа</translation>
    </message>
    <message>
        <location filename="../../app/ui/data_dialogs.py" line="77"/>
        <source>Why this group</source>
        <translation>Почему эта группа</translation>
    </message>
    <message>
        <location filename="../../app/ui/data_dialogs.py" line="78"/>
        <source>Tags</source>
        <translation>Метки</translation>
    </message>
    <message>
        <location filename="../../app/ui/data_dialogs.py" line="79"/>
        <source>First purchase</source>
        <translation>Первая покупка</translation>
    </message>
    <message>
        <location filename="../../app/ui/data_dialogs.py" line="80"/>
        <source>Last purchase</source>
        <translation>Последняя покупка</translation>
    </message>
    <message>
        <location filename="../../app/ui/data_dialogs.py" line="82"/>
        <source>12-month value</source>
        <translation>Ценность за 12 месяцев</translation>
    </message>
    <message>
        <location filename="../../app/ui/data_dialogs.py" line="83"/>
        <source>Preferences</source>
        <translation>Предпочтения</translation>
    </message>
    <message>
        <location filename="../../app/ui/data_dialogs.py" line="84"/>
        <source>Notes</source>
        <translation>Заметки</translation>
    </message>
    <message>
        <location filename="../../app/ui/data_dialogs.py" line="85"/>
        <source>Client since</source>
        <translation>Клиент с</translation>
    </message>
    <message>
        <location filename="../../app/ui/data_dialogs.py" line="86"/>
        <source>Client number</source>
        <translation>Номер клиента</translation>
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
        <translation>Товар или услуга</translation>
    </message>
    <message>
        <location filename="../../app/ui/data_dialogs.py" line="90"/>
        <source>Quantity</source>
        <translation>Количество</translation>
    </message>
    <message>
        <location filename="../../app/ui/data_dialogs.py" line="91"/>
        <source>Amount</source>
        <translation>Сумма</translation>
    </message>
    <message>
        <location filename="../../app/ui/data_dialogs.py" line="92"/>
        <source>Refund</source>
        <translation>Возврат</translation>
    </message>
    <message>
        <location filename="../../app/ui/data_dialogs.py" line="93"/>
        <source>Complaint number</source>
        <translation>Номер жалобы</translation>
    </message>
    <message>
        <location filename="../../app/ui/data_dialogs.py" line="94"/>
        <source>Note</source>
        <translation>Заметка</translation>
    </message>
    <message>
        <location filename="../../app/ui/data_dialogs.py" line="95"/>
        <source>When</source>
        <translation>Когда</translation>
    </message>
    <message>
        <location filename="../../app/ui/data_dialogs.py" line="96"/>
        <source>Channel</source>
        <translation>Канал</translation>
    </message>
    <message>
        <location filename="../../app/ui/data_dialogs.py" line="97"/>
        <source>Direction</source>
        <translation>Направление</translation>
    </message>
    <message>
        <location filename="../../app/ui/data_dialogs.py" line="98"/>
        <source>Purpose</source>
        <translation>Цель</translation>
    </message>
    <message>
        <location filename="../../app/ui/data_dialogs.py" line="99"/>
        <source>Outcome</source>
        <translation>Результат</translation>
    </message>
    <message>
        <location filename="../../app/ui/data_dialogs.py" line="100"/>
        <source>Tone</source>
        <translation>Тон</translation>
    </message>
    <message>
        <location filename="../../app/ui/data_dialogs.py" line="101"/>
        <source>Minutes</source>
        <translation>Минуты</translation>
    </message>
    <message>
        <location filename="../../app/ui/data_dialogs.py" line="102"/>
        <source>Why declined</source>
        <translation>Причина отказа</translation>
    </message>
    <message>
        <location filename="../../app/ui/data_dialogs.py" line="107"/>
        <source>Outgoing</source>
        <translation>Исходящий</translation>
    </message>
    <message>
        <location filename="../../app/ui/data_dialogs.py" line="108"/>
        <source>Incoming</source>
        <translation>Входящий</translation>
    </message>
    <message>
        <location filename="../../app/ui/data_dialogs.py" line="115"/>
        <source>Yes</source>
        <translation>Да</translation>
    </message>
    <message>
        <location filename="../../app/ui/data_dialogs.py" line="115"/>
        <source>No</source>
        <translation>Нет</translation>
    </message>
    <message>
        <location filename="../../app/ui/data_dialogs.py" line="206"/>
        <location filename="../../app/ui/data_dialogs.py" line="223"/>
        <location filename="../../app/ui/data_dialogs.py" line="231"/>
        <source>Export</source>
        <translation>Экспорт</translation>
    </message>
    <message>
        <location filename="../../app/ui/data_dialogs.py" line="206"/>
        <source>The export was stopped; no file was written.</source>
        <translation>Экспорт остановлен; файл не записан.</translation>
    </message>
    <message>
        <location filename="../../app/ui/data_dialogs.py" line="209"/>
        <source>Exporting…</source>
        <translation>Экспорт…</translation>
    </message>
    <message>
        <location filename="../../app/ui/data_dialogs.py" line="224"/>
        <source>Excel workbook (*.xlsx);;CSV table (*.csv)</source>
        <translation>Книга Excel (*.xlsx);;Таблица CSV (*.csv)</translation>
    </message>
    <message numerus="yes">
        <location filename="../../app/ui/data_dialogs.py" line="230"/>
        <source>%n row(s) written to %1.</source>
        <translation>
            <numerusform>%n строка записана в файл %1.</numerusform>
            <numerusform>%n строки записаны в файл %1.</numerusform>
            <numerusform>%n строк записано в файл %1.</numerusform>
        </translation>
    </message>
    <message>
        <location filename="../../app/ui/data_dialogs.py" line="243"/>
        <source>Writing the client&apos;s data…</source>
        <translation>Запись данных клиента…</translation>
    </message>
    <message>
        <location filename="../../app/ui/data_dialogs.py" line="253"/>
        <source>The client&apos;s data</source>
        <translation>Данные клиента</translation>
    </message>
    <message>
        <location filename="../../app/ui/data_dialogs.py" line="255"/>
        <source>JSON file (*.json)</source>
        <translation>Файл JSON (*.json)</translation>
    </message>
    <message>
        <location filename="../../app/ui/data_dialogs.py" line="290"/>
        <source>Erasing…</source>
        <translation>Удаление…</translation>
    </message>
    <message numerus="yes">
        <location filename="../../app/ui/data_dialogs.py" line="510"/>
        <source>%n purchase(s)</source>
        <translation>
            <numerusform>%n покупка</numerusform>
            <numerusform>%n покупки</numerusform>
            <numerusform>%n покупок</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>DateEntry</name>
    <message>
        <location filename="../../app/ui/widgets.py" line="137"/>
        <source>Pick the date from a calendar</source>
        <translation>Выбрать дату в календаре</translation>
    </message>
    <message>
        <location filename="../../app/ui/widgets.py" line="177"/>
        <source>e.g. %1</source>
        <translation>напр. %1</translation>
    </message>
    <message>
        <location filename="../../app/ui/widgets.py" line="182"/>
        <source>Type the date as %1, or as 2026-01-31</source>
        <translation>Введите дату как %1 или как 2026-01-31</translation>
    </message>
</context>
<context>
    <name>DayListActions</name>
    <message>
        <location filename="../../app/ui/printing.py" line="548"/>
        <source>Print…</source>
        <translation>Печать…</translation>
    </message>
    <message>
        <location filename="../../app/ui/printing.py" line="550"/>
        <source>Print the day&apos;s list of calls (Ctrl+P)</source>
        <translation>Напечатать список звонков на день (Ctrl+P)</translation>
    </message>
    <message>
        <location filename="../../app/ui/printing.py" line="551"/>
        <source>Save as PDF…</source>
        <translation>Сохранить в PDF…</translation>
    </message>
    <message>
        <location filename="../../app/ui/printing.py" line="553"/>
        <source>Save the day&apos;s list of calls as a PDF file</source>
        <translation>Сохранить список звонков на день в файл PDF</translation>
    </message>
    <message>
        <location filename="../../app/ui/printing.py" line="608"/>
        <source>Printing the day&apos;s list…</source>
        <translation>Печать списка на день…</translation>
    </message>
</context>
<context>
    <name>DayNotice</name>
    <message>
        <location filename="../../app/ui/day_notice.py" line="136"/>
        <source>Counting the day&apos;s calls…</source>
        <translation>Подсчёт звонков на день…</translation>
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
        <translation>Закрыть уведомление (сегодня оно больше не появится)</translation>
    </message>
    <message>
        <location filename="../../app/ui/day_notice.py" line="77"/>
        <source>Close the notice</source>
        <translation>Закрыть уведомление</translation>
    </message>
</context>
<context>
    <name>DayNoticeText</name>
    <message numerus="yes">
        <location filename="../../app/ui/day_notice.py" line="50"/>
        <source>%Ln call(s)</source>
        <extracomment>how long the tray message stays (ms)</extracomment>
        <translation>
            <numerusform>%Ln звонок</numerusform>
            <numerusform>%Ln звонка</numerusform>
            <numerusform>%Ln звонков</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <location filename="../../app/ui/day_notice.py" line="51"/>
        <source>%Ln overdue</source>
        <translation>
            <numerusform>%Ln просроченный</numerusform>
            <numerusform>%Ln просроченных</numerusform>
            <numerusform>%Ln просроченных</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <location filename="../../app/ui/day_notice.py" line="52"/>
        <source>%Ln birthday(s) or name day(s)</source>
        <translation>
            <numerusform>%Ln день рождения или именины</numerusform>
            <numerusform>%Ln дня рождения или именин</numerusform>
            <numerusform>%Ln дней рождения или именин</numerusform>
        </translation>
    </message>
    <message>
        <location filename="../../app/ui/day_notice.py" line="53"/>
        <source>Today: %1</source>
        <translation>Сегодня: %1</translation>
    </message>
</context>
<context>
    <name>EmailTab</name>
    <message>
        <location filename="../../app/ui/messages_settings.py" line="263"/>
        <source>STARTTLS (usually port 587)</source>
        <translation>STARTTLS (обычно порт 587)</translation>
    </message>
    <message>
        <location filename="../../app/ui/messages_settings.py" line="264"/>
        <source>TLS (usually port 465)</source>
        <translation>TLS (обычно порт 465)</translation>
    </message>
    <message>
        <location filename="../../app/ui/messages_settings.py" line="265"/>
        <source>None (a relay inside the office)</source>
        <translation>Без шифрования (ретранслятор в офисе)</translation>
    </message>
    <message>
        <location filename="../../app/ui/messages_settings.py" line="271"/>
        <source>kept in the system keyring</source>
        <translation>хранится в системном хранилище паролей</translation>
    </message>
    <message>
        <location filename="../../app/ui/messages_settings.py" line="277"/>
        <source>Save</source>
        <translation>Сохранить</translation>
    </message>
    <message>
        <location filename="../../app/ui/messages_settings.py" line="281"/>
        <source>Send a test message</source>
        <translation>Отправить тестовое письмо</translation>
    </message>
    <message>
        <location filename="../../app/ui/messages_settings.py" line="286"/>
        <source>Your mail server (SMTP)</source>
        <translation>Ваш почтовый сервер (SMTP)</translation>
    </message>
    <message>
        <location filename="../../app/ui/messages_settings.py" line="288"/>
        <source>Server</source>
        <translation>Сервер</translation>
    </message>
    <message>
        <location filename="../../app/ui/messages_settings.py" line="290"/>
        <source>Port</source>
        <translation>Порт</translation>
    </message>
    <message>
        <location filename="../../app/ui/messages_settings.py" line="291"/>
        <source>Connection</source>
        <translation>Соединение</translation>
    </message>
    <message>
        <location filename="../../app/ui/messages_settings.py" line="292"/>
        <source>User</source>
        <translation>Пользователь</translation>
    </message>
    <message>
        <location filename="../../app/ui/messages_settings.py" line="293"/>
        <source>Password</source>
        <translation>Пароль</translation>
    </message>
    <message>
        <location filename="../../app/ui/messages_settings.py" line="294"/>
        <source>Sender&apos;s address</source>
        <translation>Адрес отправителя</translation>
    </message>
    <message>
        <location filename="../../app/ui/messages_settings.py" line="296"/>
        <source>Sender&apos;s name</source>
        <translation>Имя отправителя</translation>
    </message>
    <message>
        <location filename="../../app/ui/messages_settings.py" line="301"/>
        <source>Test message to</source>
        <translation>Тестовое письмо на</translation>
    </message>
    <message>
        <location filename="../../app/ui/messages_settings.py" line="304"/>
        <source>Gmail and Google Workspace need an app password (with 2-step verification). Microsoft 365 ends password login for sending at the end of 2026: use another provider or an SMTP relay. A mailbox at a local provider works with its own password. The README says more.</source>
        <translation>Gmail и Google Workspace требуют пароль приложения (при двухэтапной проверке). Microsoft 365 отключает вход по паролю для отправки в конце 2026 года: используйте другого провайдера или ретранслятор SMTP. Ящик у местного провайдера работает с его собственным паролем. Подробнее в файле README.</translation>
    </message>
    <message>
        <location filename="../../app/ui/messages_settings.py" line="361"/>
        <source>Saved. The password is in the system keyring.</source>
        <translation>Сохранено. Пароль в системном хранилище паролей.</translation>
    </message>
    <message>
        <location filename="../../app/ui/messages_settings.py" line="370"/>
        <source>Saving the mail server</source>
        <translation>Сохранение почтового сервера</translation>
    </message>
    <message>
        <location filename="../../app/ui/messages_settings.py" line="376"/>
        <source>ClientCare: a test message</source>
        <translation>ClientCare: тестовое письмо</translation>
    </message>
    <message>
        <location filename="../../app/ui/messages_settings.py" line="377"/>
        <source>This is a test message from ClientCare: the mail server is set up right.</source>
        <translation>Это тестовое письмо от ClientCare: почтовый сервер настроен правильно.</translation>
    </message>
    <message>
        <location filename="../../app/ui/messages_settings.py" line="388"/>
        <source>A test message went to %1.</source>
        <translation>Тестовое письмо отправлено на %1.</translation>
    </message>
    <message>
        <location filename="../../app/ui/messages_settings.py" line="395"/>
        <source>Sending a test message</source>
        <translation>Отправка тестового письма</translation>
    </message>
</context>
<context>
    <name>EraseDialog</name>
    <message>
        <location filename="../../app/ui/data_dialogs.py" line="301"/>
        <source>Erase personal data</source>
        <translation>Удалить персональные данные</translation>
    </message>
    <message>
        <location filename="../../app/ui/data_dialogs.py" line="320"/>
        <source>Their purchases stay without a name, so the figures stay true. This cannot be undone; restoring a backup later erases this person again.</source>
        <translation>Покупки останутся без имени, поэтому цифры останутся верными. Это нельзя отменить; если позже восстановить резервную копию, этот человек будет удалён снова.</translation>
    </message>
    <message numerus="yes">
        <location filename="../../app/ui/data_dialogs.py" line="324"/>
        <source>%n backup(s) made earlier still hold this person&apos;s data.</source>
        <translation>
            <numerusform>%n ранее сделанная резервная копия ещё содержит данные этого человека.</numerusform>
            <numerusform>%n ранее сделанные резервные копии ещё содержат данные этого человека.</numerusform>
            <numerusform>%n ранее сделанных резервных копий ещё содержат данные этого человека.</numerusform>
        </translation>
    </message>
    <message>
        <location filename="../../app/ui/data_dialogs.py" line="326"/>
        <source>No backup holds this person&apos;s data.</source>
        <translation>Ни одна резервная копия не содержит данных этого человека.</translation>
    </message>
    <message>
        <location filename="../../app/ui/data_dialogs.py" line="329"/>
        <source>Erase them from these backups too (now)</source>
        <translation>Удалить их и из этих резервных копий (сейчас)</translation>
    </message>
    <message>
        <location filename="../../app/ui/data_dialogs.py" line="348"/>
        <source>Erase</source>
        <translation>Удалить</translation>
    </message>
    <message>
        <location filename="../../app/ui/data_dialogs.py" line="265"/>
        <location filename="../../app/ui/data_dialogs.py" line="370"/>
        <source>Erasing…</source>
        <translation>Удаление…</translation>
    </message>
    <message>
        <location filename="../../app/ui/data_dialogs.py" line="263"/>
        <source>Erasing from backup %1 of %2…</source>
        <translation>Удаление из резервной копии %1 из %2…</translation>
    </message>
    <message>
        <location filename="../../app/ui/data_dialogs.py" line="313"/>
        <source>Erase everything that identifies %1: name, phone, e-mail, card number, family, dates, tags, notes and the words of calls, memberships and complaints? Where other clients&apos; notes name this person, the name is replaced by “%2”.</source>
        <translation>Удалить всё, что позволяет узнать клиента %1: имя, телефон, e-mail, номер карты, семью, даты, метки, заметки и содержание звонков, абонементов и жалоб? Там, где в заметках других клиентов упоминается этот человек, имя будет заменено на «%2».</translation>
    </message>
    <message>
        <location filename="../../app/ui/data_dialogs.py" line="401"/>
        <source>The personal data was erased from the office server&apos;s database. Its backups made with pg_dump still hold it until they are replaced by newer ones.</source>
        <translation>Персональные данные стёрты из базы данных офисного сервера. Её резервные копии, сделанные pg_dump, хранят их, пока их не заменят более новые.</translation>
    </message>
    <message>
        <location filename="../../app/ui/data_dialogs.py" line="405"/>
        <source>The personal data was erased and the database file compacted; its last changes leave the write-ahead log when ClientCare closes.</source>
        <translation>Персональные данные удалены, файл базы данных сжат; последние изменения покинут журнал упреждающей записи (WAL) при закрытии ClientCare.</translation>
    </message>
    <message>
        <location filename="../../app/ui/data_dialogs.py" line="409"/>
        <source>The personal data was erased and the database file compacted.</source>
        <translation>Персональные данные удалены, файл базы данных сжат.</translation>
    </message>
    <message numerus="yes">
        <location filename="../../app/ui/data_dialogs.py" line="411"/>
        <source>Erased from %n backup(s).</source>
        <translation>
            <numerusform>Удалено из %n резервной копии.</numerusform>
            <numerusform>Удалено из %n резервных копий.</numerusform>
            <numerusform>Удалено из %n резервных копий.</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <location filename="../../app/ui/data_dialogs.py" line="414"/>
        <source>%n backup(s) still hold this person; a restore of one erases them again.</source>
        <translation>
            <numerusform>%n резервная копия ещё содержит этого человека; при её восстановлении он будет удалён снова.</numerusform>
            <numerusform>%n резервные копии ещё содержат этого человека; при восстановлении любой из них он будет удалён снова.</numerusform>
            <numerusform>%n резервных копий ещё содержат этого человека; при восстановлении любой из них он будет удалён снова.</numerusform>
        </translation>
    </message>
    <message>
        <location filename="../../app/ui/data_dialogs.py" line="417"/>
        <source>Not erased from %1: %2</source>
        <translation>Не удалено из %1: %2</translation>
    </message>
</context>
<context>
    <name>ExportDialog</name>
    <message>
        <location filename="../../app/ui/data_dialogs.py" line="167"/>
        <location filename="../../app/ui/data_dialogs.py" line="174"/>
        <source>Export</source>
        <extracomment>the QSettings key of the last export folder (app/ui/window_state.py keeps it)</extracomment>
        <translation>Экспорт</translation>
    </message>
    <message>
        <location filename="../../app/ui/data_dialogs.py" line="176"/>
        <source>A CSV file opens in any spreadsheet; an XLSX file in Excel or LibreOffice. Clients in the Trash and erased clients are left out.</source>
        <translation>Файл CSV открывается в любой программе для работы с таблицами, файл XLSX — в Excel или LibreOffice. Клиенты в Корзине и клиенты с удалёнными персональными данными не выгружаются.</translation>
    </message>
</context>
<context>
    <name>FirstOwnerDialog</name>
    <message>
        <location filename="../../app/ui/sign_in.py" line="122"/>
        <source>ClientCare — the owner</source>
        <translation>ClientCare — владелец</translation>
    </message>
    <message numerus="yes">
        <location filename="../../app/ui/sign_in.py" line="123"/>
        <source>Everyone signs in on this database. First, the owner: your name and a password of at least %n characters. You then add the staff and their passwords in Settings → Staff.</source>
        <translation>
            <numerusform>В этой базе данных все входят под своим именем. Сначала владелец: ваше имя и пароль не короче %n символа. Затем добавьте сотрудников и их пароли в Настройки → Сотрудники.</numerusform>
            <numerusform>В этой базе данных все входят под своим именем. Сначала владелец: ваше имя и пароль не короче %n символов. Затем добавьте сотрудников и их пароли в Настройки → Сотрудники.</numerusform>
            <numerusform>В этой базе данных все входят под своим именем. Сначала владелец: ваше имя и пароль не короче %n символов. Затем добавьте сотрудников и их пароли в Настройки → Сотрудники.</numerusform>
        </translation>
    </message>
    <message>
        <location filename="../../app/ui/sign_in.py" line="125"/>
        <source>Create the owner</source>
        <translation>Создать владельца</translation>
    </message>
    <message>
        <location filename="../../app/ui/sign_in.py" line="136"/>
        <source>Name</source>
        <translation>Имя</translation>
    </message>
    <message>
        <location filename="../../app/ui/sign_in.py" line="137"/>
        <source>Password</source>
        <translation>Пароль</translation>
    </message>
    <message>
        <location filename="../../app/ui/sign_in.py" line="138"/>
        <source>Password again</source>
        <translation>Пароль ещё раз</translation>
    </message>
</context>
<context>
    <name>FreezeDialog</name>
    <message>
        <location filename="../../app/ui/card_dialogs.py" line="406"/>
        <source>Freeze the membership</source>
        <translation>Заморозка абонемента</translation>
    </message>
    <message>
        <location filename="../../app/ui/card_dialogs.py" line="410"/>
        <source>Frozen from</source>
        <translation>Заморожен с</translation>
    </message>
    <message>
        <location filename="../../app/ui/card_dialogs.py" line="412"/>
        <source>Frozen until</source>
        <translation>Заморожен по</translation>
    </message>
</context>
<context>
    <name>History</name>
    <message>
        <location filename="../../app/ui/history_words.py" line="17"/>
        <source>not signed in</source>
        <translation>без входа в систему</translation>
    </message>
    <message>
        <location filename="../../app/ui/history_words.py" line="24"/>
        <source>A/B/C group</source>
        <translation>Группа A/B/C</translation>
    </message>
    <message>
        <location filename="../../app/ui/history_words.py" line="25"/>
        <source>moved to the Trash</source>
        <translation>перемещён в корзину</translation>
    </message>
    <message>
        <location filename="../../app/ui/history_words.py" line="26"/>
        <source>restored from the Trash</source>
        <translation>восстановлен из корзины</translation>
    </message>
    <message>
        <location filename="../../app/ui/history_words.py" line="27"/>
        <location filename="../../app/ui/history_words.py" line="39"/>
        <location filename="../../app/ui/history_words.py" line="50"/>
        <source>other details</source>
        <translation>другие данные</translation>
    </message>
    <message>
        <location filename="../../app/ui/history_words.py" line="31"/>
        <source>what happened</source>
        <translation>что произошло</translation>
    </message>
    <message>
        <location filename="../../app/ui/history_words.py" line="32"/>
        <source>the checklist</source>
        <translation>контрольный список</translation>
    </message>
    <message>
        <location filename="../../app/ui/history_words.py" line="33"/>
        <source>the apology</source>
        <translation>извинение</translation>
    </message>
    <message>
        <location filename="../../app/ui/history_words.py" line="34"/>
        <source>what the client asked for</source>
        <translation>просьба клиента</translation>
    </message>
    <message>
        <location filename="../../app/ui/history_words.py" line="35"/>
        <source>compensation</source>
        <translation>компенсация</translation>
    </message>
    <message>
        <location filename="../../app/ui/history_words.py" line="36"/>
        <source>corrective action</source>
        <translation>корректирующее действие</translation>
    </message>
    <message>
        <location filename="../../app/ui/history_words.py" line="37"/>
        <source>status</source>
        <translation>статус</translation>
    </message>
    <message>
        <location filename="../../app/ui/history_words.py" line="38"/>
        <source>review and lesson</source>
        <translation>разбор и выводы</translation>
    </message>
    <message>
        <location filename="../../app/ui/history_words.py" line="41"/>
        <source>outcome</source>
        <translation>результат</translation>
    </message>
    <message>
        <location filename="../../app/ui/history_words.py" line="42"/>
        <source>tone</source>
        <translation>тон</translation>
    </message>
    <message>
        <location filename="../../app/ui/history_words.py" line="43"/>
        <source>note</source>
        <translation>примечание</translation>
    </message>
    <message>
        <location filename="../../app/ui/history_words.py" line="44"/>
        <source>the day to call back</source>
        <translation>день, когда перезвонить</translation>
    </message>
    <message>
        <location filename="../../app/ui/history_words.py" line="45"/>
        <source>meeting</source>
        <translation>встреча</translation>
    </message>
    <message>
        <location filename="../../app/ui/history_words.py" line="46"/>
        <source>time</source>
        <translation>время</translation>
    </message>
    <message>
        <location filename="../../app/ui/history_words.py" line="47"/>
        <source>channel</source>
        <translation>канал</translation>
    </message>
    <message>
        <location filename="../../app/ui/history_words.py" line="48"/>
        <source>purpose</source>
        <translation>цель</translation>
    </message>
    <message>
        <location filename="../../app/ui/history_words.py" line="49"/>
        <source>duration</source>
        <translation>длительность</translation>
    </message>
    <message>
        <location filename="../../app/ui/history_words.py" line="63"/>
        <source>Client added</source>
        <translation>Клиент добавлен</translation>
    </message>
    <message>
        <location filename="../../app/ui/history_words.py" line="65"/>
        <source>Moved to the Trash</source>
        <translation>Перемещён в корзину</translation>
    </message>
    <message>
        <location filename="../../app/ui/history_words.py" line="67"/>
        <source>Restored from the Trash</source>
        <translation>Восстановлен из корзины</translation>
    </message>
    <message>
        <location filename="../../app/ui/history_words.py" line="68"/>
        <source>Client details: %1</source>
        <translation>Данные клиента: %1</translation>
    </message>
    <message>
        <location filename="../../app/ui/history_words.py" line="71"/>
        <source>Complaint opened</source>
        <translation>Жалоба принята</translation>
    </message>
    <message>
        <location filename="../../app/ui/history_words.py" line="73"/>
        <source>Complaint removed</source>
        <translation>Жалоба удалена</translation>
    </message>
    <message>
        <location filename="../../app/ui/history_words.py" line="74"/>
        <source>Complaint: %1</source>
        <translation>Жалоба: %1</translation>
    </message>
    <message>
        <location filename="../../app/ui/history_words.py" line="78"/>
        <source>Call logged</source>
        <translation>Звонок записан</translation>
    </message>
    <message>
        <location filename="../../app/ui/history_words.py" line="79"/>
        <source>Contact logged: %1</source>
        <translation>Контакт записан: %1</translation>
    </message>
    <message>
        <location filename="../../app/ui/history_words.py" line="82"/>
        <source>Logged call or message undone</source>
        <translation>Записанный звонок или сообщение отменены</translation>
    </message>
    <message>
        <location filename="../../app/ui/history_words.py" line="84"/>
        <source>Call corrected: %1</source>
        <translation>Звонок исправлен: %1</translation>
    </message>
    <message>
        <location filename="../../app/ui/history_words.py" line="85"/>
        <source>Contact corrected: %1</source>
        <translation>Контакт исправлен: %1</translation>
    </message>
</context>
<context>
    <name>ImportWizard</name>
    <message>
        <location filename="../../app/ui/import_wizard.py" line="88"/>
        <source>Name (whole)</source>
        <extracomment>the rows of the file the column page takes its examples from</extracomment>
        <translation>Полное имя</translation>
    </message>
    <message>
        <location filename="../../app/ui/import_wizard.py" line="89"/>
        <source>First name</source>
        <translation>Имя</translation>
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
        <translation>Эл. почта</translation>
    </message>
    <message>
        <location filename="../../app/ui/import_wizard.py" line="93"/>
        <source>Birthday</source>
        <translation>День рождения</translation>
    </message>
    <message>
        <location filename="../../app/ui/import_wizard.py" line="94"/>
        <source>Card number</source>
        <translation>Номер карты</translation>
    </message>
    <message>
        <location filename="../../app/ui/import_wizard.py" line="95"/>
        <source>Notes</source>
        <translation>Заметки</translation>
    </message>
    <message>
        <location filename="../../app/ui/import_wizard.py" line="96"/>
        <source>Came from</source>
        <translation>Источник</translation>
    </message>
    <message>
        <location filename="../../app/ui/import_wizard.py" line="97"/>
        <source>Tags</source>
        <translation>Метки</translation>
    </message>
    <message>
        <location filename="../../app/ui/import_wizard.py" line="98"/>
        <location filename="../../app/ui/import_wizard.py" line="610"/>
        <source>Marketing consent</source>
        <translation>Согласие на рассылку</translation>
    </message>
    <message>
        <location filename="../../app/ui/import_wizard.py" line="99"/>
        <source>Client&apos;s name</source>
        <translation>Имя клиента</translation>
    </message>
    <message>
        <location filename="../../app/ui/import_wizard.py" line="100"/>
        <source>Date of purchase</source>
        <translation>Дата покупки</translation>
    </message>
    <message>
        <location filename="../../app/ui/import_wizard.py" line="101"/>
        <source>Amount</source>
        <translation>Сумма</translation>
    </message>
    <message>
        <location filename="../../app/ui/import_wizard.py" line="102"/>
        <source>Item or service</source>
        <translation>Товар или услуга</translation>
    </message>
    <message>
        <location filename="../../app/ui/import_wizard.py" line="103"/>
        <source>Quantity</source>
        <translation>Количество</translation>
    </message>
    <message>
        <location filename="../../app/ui/import_wizard.py" line="104"/>
        <source>Note</source>
        <translation>Примечание</translation>
    </message>
    <message>
        <location filename="../../app/ui/import_wizard.py" line="109"/>
        <source>— not imported —</source>
        <translation>— не импортировать —</translation>
    </message>
    <message>
        <location filename="../../app/ui/import_wizard.py" line="113"/>
        <source>Skip</source>
        <translation>Пропустить</translation>
    </message>
    <message>
        <location filename="../../app/ui/import_wizard.py" line="114"/>
        <source>Merge into the existing client</source>
        <translation>Объединить с существующим клиентом</translation>
    </message>
    <message>
        <location filename="../../app/ui/import_wizard.py" line="115"/>
        <source>Import as a new client</source>
        <translation>Импортировать как нового клиента</translation>
    </message>
    <message>
        <location filename="../../app/ui/import_wizard.py" line="119"/>
        <source>phone</source>
        <translation>телефон</translation>
    </message>
    <message>
        <location filename="../../app/ui/import_wizard.py" line="120"/>
        <source>e-mail</source>
        <translation>эл. почта</translation>
    </message>
    <message>
        <location filename="../../app/ui/import_wizard.py" line="121"/>
        <source>card number</source>
        <translation>номер карты</translation>
    </message>
    <message>
        <location filename="../../app/ui/import_wizard.py" line="125"/>
        <source>UTF-16 (Excel&apos;s “Unicode Text”)</source>
        <translation>UTF-16 («Текст Юникод» из Excel)</translation>
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
        <translation>Windows-1251 (кириллица)</translation>
    </message>
    <message>
        <location filename="../../app/ui/import_wizard.py" line="130"/>
        <source>Windows-1250 (Central European)</source>
        <translation>Windows-1250 (Центральная Европа)</translation>
    </message>
    <message>
        <location filename="../../app/ui/import_wizard.py" line="131"/>
        <source>Windows-1252 (Western European)</source>
        <translation>Windows-1252 (западноевропейская)</translation>
    </message>
    <message>
        <location filename="../../app/ui/import_wizard.py" line="132"/>
        <source>KOI8-R (Russian)</source>
        <translation>KOI8-R (русская)</translation>
    </message>
    <message>
        <location filename="../../app/ui/import_wizard.py" line="133"/>
        <source>ISO-8859-2 (Central European)</source>
        <translation>ISO-8859-2 (центральноевропейская)</translation>
    </message>
    <message>
        <location filename="../../app/ui/import_wizard.py" line="153"/>
        <source>Excel workbook, first sheet</source>
        <translation>Книга Excel, первый лист</translation>
    </message>
    <message>
        <location filename="../../app/ui/import_wizard.py" line="155"/>
        <source>vCard contacts</source>
        <translation>Контакты vCard</translation>
    </message>
    <message>
        <location filename="../../app/ui/import_wizard.py" line="158"/>
        <source>separated by tabs</source>
        <translation>разделитель — табуляция</translation>
    </message>
    <message>
        <location filename="../../app/ui/import_wizard.py" line="160"/>
        <source>separated by %1</source>
        <translation>разделитель — %1</translation>
    </message>
    <message numerus="yes">
        <location filename="../../app/ui/import_wizard.py" line="162"/>
        <source>%n row(s)</source>
        <translation>
            <numerusform>%n строка</numerusform>
            <numerusform>%n строки</numerusform>
            <numerusform>%n строк</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <location filename="../../app/ui/import_wizard.py" line="186"/>
        <source>%n row(s) ready</source>
        <translation>
            <numerusform>%n строка готова</numerusform>
            <numerusform>%n строки готовы</numerusform>
            <numerusform>%n строк готово</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <location filename="../../app/ui/import_wizard.py" line="187"/>
        <source>%n rejected</source>
        <translation>
            <numerusform>%n отклонена</numerusform>
            <numerusform>%n отклонены</numerusform>
            <numerusform>%n отклонено</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <location filename="../../app/ui/import_wizard.py" line="189"/>
        <source>%n duplicate(s)</source>
        <translation>
            <numerusform>%n дубликат</numerusform>
            <numerusform>%n дубликата</numerusform>
            <numerusform>%n дубликатов</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <location filename="../../app/ui/import_wizard.py" line="191"/>
        <source>%n purchase(s) of unknown clients</source>
        <translation>
            <numerusform>%n покупка неизвестных клиентов</numerusform>
            <numerusform>%n покупки неизвестных клиентов</numerusform>
            <numerusform>%n покупок неизвестных клиентов</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <location filename="../../app/ui/import_wizard.py" line="193"/>
        <source>%n already imported</source>
        <translation>
            <numerusform>%n уже импортирована</numerusform>
            <numerusform>%n уже импортированы</numerusform>
            <numerusform>%n уже импортировано</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <location filename="../../app/ui/import_wizard.py" line="196"/>
        <source>%n phone number(s) to check</source>
        <translation>
            <numerusform>%n номер телефона для проверки</numerusform>
            <numerusform>%n номера телефонов для проверки</numerusform>
            <numerusform>%n номеров телефонов для проверки</numerusform>
        </translation>
    </message>
    <message>
        <location filename="../../app/ui/import_wizard.py" line="209"/>
        <source>The first %1 problems are listed; Save the report… saves all of them.</source>
        <translation>Показаны первые %1 проблем; «Сохранить отчёт…» сохраняет их все.</translation>
    </message>
    <message numerus="yes">
        <location filename="../../app/ui/import_wizard.py" line="213"/>
        <source>The first %1 duplicates are listed; the %n others are skipped.</source>
        <translation>
            <numerusform>Показаны первые %1 дубликатов; ещё %n дубликат будет пропущен.</numerusform>
            <numerusform>Показаны первые %1 дубликатов; ещё %n дубликата будут пропущены.</numerusform>
            <numerusform>Показаны первые %1 дубликатов; ещё %n дубликатов будут пропущены.</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <location filename="../../app/ui/import_wizard.py" line="222"/>
        <source>%n new client(s) created.</source>
        <translation>
            <numerusform>Создан %n новый клиент.</numerusform>
            <numerusform>Создано %n новых клиента.</numerusform>
            <numerusform>Создано %n новых клиентов.</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <location filename="../../app/ui/import_wizard.py" line="225"/>
        <source>%n client(s) merged into existing ones.</source>
        <translation>
            <numerusform>%n клиент объединён с существующими.</numerusform>
            <numerusform>%n клиента объединены с существующими.</numerusform>
            <numerusform>%n клиентов объединено с существующими.</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <location filename="../../app/ui/import_wizard.py" line="227"/>
        <source>%n duplicate(s) skipped.</source>
        <translation>
            <numerusform>Пропущен %n дубликат.</numerusform>
            <numerusform>Пропущено %n дубликата.</numerusform>
            <numerusform>Пропущено %n дубликатов.</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <location filename="../../app/ui/import_wizard.py" line="230"/>
        <source>%n purchase(s) added.</source>
        <translation>
            <numerusform>Добавлена %n покупка.</numerusform>
            <numerusform>Добавлено %n покупки.</numerusform>
            <numerusform>Добавлено %n покупок.</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <location filename="../../app/ui/import_wizard.py" line="233"/>
        <source>%n purchase(s) had been imported before and were left out.</source>
        <translation>
            <numerusform>%n покупка уже была импортирована ранее и пропущена.</numerusform>
            <numerusform>%n покупки уже были импортированы ранее и пропущены.</numerusform>
            <numerusform>%n покупок уже было импортировано ранее и пропущено.</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <location filename="../../app/ui/import_wizard.py" line="236"/>
        <source>%n purchase(s) of unknown clients skipped.</source>
        <translation>
            <numerusform>Пропущена %n покупка неизвестных клиентов.</numerusform>
            <numerusform>Пропущено %n покупки неизвестных клиентов.</numerusform>
            <numerusform>Пропущено %n покупок неизвестных клиентов.</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <location filename="../../app/ui/import_wizard.py" line="238"/>
        <source>%n row(s) rejected.</source>
        <translation>
            <numerusform>Отклонена %n строка.</numerusform>
            <numerusform>Отклонено %n строки.</numerusform>
            <numerusform>Отклонено %n строк.</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <location filename="../../app/ui/import_wizard.py" line="240"/>
        <source>Marketing consent recorded for %n client(s), in the consent log with its source and date.</source>
        <translation>
            <numerusform>Согласие на рассылку записано для %n клиента в журнал согласий, с источником и датой.</numerusform>
            <numerusform>Согласие на рассылку записано для %n клиентов в журнал согласий, с источником и датой.</numerusform>
            <numerusform>Согласие на рассылку записано для %n клиентов в журнал согласий, с источником и датой.</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <location filename="../../app/ui/import_wizard.py" line="244"/>
        <source>%n phone number(s) to check: kept as the file gives them and marked ⚠ in the client list and on the card.</source>
        <translation>
            <numerusform>%n номер телефона для проверки: сохранён так, как записан в файле, и отмечен ⚠ в списке клиентов и в карточке.</numerusform>
            <numerusform>%n номера телефонов для проверки: сохранены так, как записаны в файле, и отмечены ⚠ в списке клиентов и в карточке.</numerusform>
            <numerusform>%n номеров телефонов для проверки: сохранены так, как записаны в файле, и отмечены ⚠ в списке клиентов и в карточке.</numerusform>
        </translation>
    </message>
    <message>
        <location filename="../../app/ui/import_wizard.py" line="257"/>
        <source>Choose the file</source>
        <translation>Выберите файл</translation>
    </message>
    <message>
        <location filename="../../app/ui/import_wizard.py" line="258"/>
        <source>A CSV file (from Excel, LibreOffice or another program), an Excel workbook (XLSX) or contacts exported from a phone (vCard).</source>
        <translation>Файл CSV (из Excel, LibreOffice или другой программы), книга Excel (XLSX) или контакты, экспортированные из телефона (vCard).</translation>
    </message>
    <message>
        <location filename="../../app/ui/import_wizard.py" line="263"/>
        <source>The file to import</source>
        <translation>Файл для импорта</translation>
    </message>
    <message>
        <location filename="../../app/ui/import_wizard.py" line="264"/>
        <source>Choose…</source>
        <translation>Выбрать…</translation>
    </message>
    <message>
        <location filename="../../app/ui/import_wizard.py" line="271"/>
        <source>Clients</source>
        <translation>Клиенты</translation>
    </message>
    <message>
        <location filename="../../app/ui/import_wizard.py" line="273"/>
        <source>Purchases</source>
        <translation>Покупки</translation>
    </message>
    <message>
        <location filename="../../app/ui/import_wizard.py" line="279"/>
        <source>The file holds</source>
        <translation>Содержимое файла</translation>
    </message>
    <message>
        <location filename="../../app/ui/import_wizard.py" line="282"/>
        <source>One client a row: name, phone, e-mail, birthday, card number…</source>
        <translation>Один клиент в строке: имя, телефон, эл. почта, день рождения, номер карты…</translation>
    </message>
    <message>
        <location filename="../../app/ui/import_wizard.py" line="285"/>
        <source>One purchase a row: date, amount, and the client&apos;s card number, phone or e-mail, so each purchase finds its client.</source>
        <translation>Одна покупка в строке: дата, сумма, а также номер карты, телефон или эл. почта клиента, чтобы каждую покупку можно было связать с клиентом.</translation>
    </message>
    <message>
        <location filename="../../app/ui/import_wizard.py" line="288"/>
        <source>A vCard file holds contacts, so it is imported as clients.</source>
        <translation>Файл vCard содержит контакты, поэтому он импортируется как клиенты.</translation>
    </message>
    <message>
        <location filename="../../app/ui/import_wizard.py" line="297"/>
        <source>File</source>
        <translation>Файл</translation>
    </message>
    <message>
        <location filename="../../app/ui/import_wizard.py" line="302"/>
        <source>Nothing is written until you press Import on the last step; a backup of the database is made just before.</source>
        <translation>Ничего не записывается, пока вы не нажмёте «Импорт» на последнем шаге; непосредственно перед этим создаётся резервная копия базы данных.</translation>
    </message>
    <message>
        <location filename="../../app/ui/import_wizard.py" line="311"/>
        <source>Choose the file to import</source>
        <translation>Выберите файл для импорта</translation>
    </message>
    <message>
        <location filename="../../app/ui/import_wizard.py" line="312"/>
        <source>Tables and contacts (*.csv *.txt *.xlsx *.vcf);;CSV table (*.csv *.txt);;Excel workbook (*.xlsx);;vCard contacts (*.vcf)</source>
        <translation>Таблицы и контакты (*.csv *.txt *.xlsx *.vcf);;Таблица CSV (*.csv *.txt);;Книга Excel (*.xlsx);;Контакты vCard (*.vcf)</translation>
    </message>
    <message>
        <location filename="../../app/ui/import_wizard.py" line="337"/>
        <source>Choose the file to import.</source>
        <translation>Выберите файл для импорта.</translation>
    </message>
    <message>
        <location filename="../../app/ui/import_wizard.py" line="360"/>
        <location filename="../../app/ui/import_wizard.py" line="1215"/>
        <source>Reading the file…</source>
        <extracomment>the work running on the database executor for this wizard (one at a time) how the file is read: the encoding the user chose (None: as found), and the country phones without a country code are numbers of, for this file</extracomment>
        <translation>Чтение файла…</translation>
    </message>
    <message>
        <location filename="../../app/ui/import_wizard.py" line="397"/>
        <source>Match the columns</source>
        <translation>Сопоставьте столбцы</translation>
    </message>
    <message>
        <location filename="../../app/ui/import_wizard.py" line="398"/>
        <source>Say which column goes into which field. A column left “not imported” is ignored; each field can be filled by one column.</source>
        <translation>Укажите, в какое поле попадает каждый столбец. Столбец со значением «не импортировать» пропускается; каждое поле можно заполнить только из одного столбца.</translation>
    </message>
    <message>
        <location filename="../../app/ui/import_wizard.py" line="407"/>
        <source>Encoding</source>
        <translation>Кодировка</translation>
    </message>
    <message>
        <location filename="../../app/ui/import_wizard.py" line="412"/>
        <source>Headings on row</source>
        <translation>Заголовки в строке</translation>
    </message>
    <message>
        <location filename="../../app/ui/import_wizard.py" line="425"/>
        <source>Column in the file</source>
        <translation>Столбец в файле</translation>
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
        <translation>Импортируется как</translation>
    </message>
    <message>
        <location filename="../../app/ui/import_wizard.py" line="459"/>
        <source>Found: %1</source>
        <translation>Определена: %1</translation>
    </message>
    <message>
        <location filename="../../app/ui/import_wizard.py" line="489"/>
        <source>Clients need a name (whole, or first and last name).</source>
        <translation>Для клиентов нужно имя (полное или имя и фамилия).</translation>
    </message>
    <message>
        <location filename="../../app/ui/import_wizard.py" line="491"/>
        <source>Purchases need a date, an amount, and the client&apos;s card number, phone or e-mail.</source>
        <translation>Для покупок нужны дата, сумма и номер карты, телефон или эл. почта клиента.</translation>
    </message>
    <message>
        <location filename="../../app/ui/import_wizard.py" line="510"/>
        <source>(column %1, no heading)</source>
        <translation>(столбец %1, без заголовка)</translation>
    </message>
    <message>
        <location filename="../../app/ui/import_wizard.py" line="562"/>
        <source>Choose the column with the client&apos;s name (or the columns with the first and the last name).</source>
        <translation>Выберите столбец с именем клиента (или столбцы с именем и фамилией).</translation>
    </message>
    <message>
        <location filename="../../app/ui/import_wizard.py" line="569"/>
        <source>Choose the columns of the purchase&apos;s date and amount. Missing: %1</source>
        <translation>Выберите столбцы с датой и суммой покупки. Не выбрано: %1</translation>
    </message>
    <message numerus="yes">
        <location filename="../../app/ui/import_wizard.py" line="586"/>
        <source>%n client(s) of this file will be marked as agreeing to marketing messages, with the consent given on %1 and its source “%2” kept in the consent log. Import the file with this consent?</source>
        <translation>
            <numerusform>%n клиент из этого файла будет отмечен как согласный на рассылку; в журнал согласий будет записано согласие, данное %1, и его источник «%2». Импортировать файл с этим согласием?</numerusform>
            <numerusform>%n клиента из этого файла будут отмечены как согласные на рассылку; в журнал согласий будет записано согласие, данное %1, и его источник «%2». Импортировать файл с этим согласием?</numerusform>
            <numerusform>%n клиентов из этого файла будут отмечены как согласные на рассылку; в журнал согласий будет записано согласие, данное %1, и его источник «%2». Импортировать файл с этим согласием?</numerusform>
        </translation>
    </message>
    <message>
        <location filename="../../app/ui/import_wizard.py" line="595"/>
        <source>Marketing consent for the whole file</source>
        <translation>Согласие на рассылку для всего файла</translation>
    </message>
    <message>
        <location filename="../../app/ui/import_wizard.py" line="600"/>
        <source>Import with consent</source>
        <translation>Импортировать с согласием</translation>
    </message>
    <message>
        <location filename="../../app/ui/import_wizard.py" line="601"/>
        <source>Go back</source>
        <translation>Вернуться</translation>
    </message>
    <message>
        <location filename="../../app/ui/import_wizard.py" line="612"/>
        <source>Record marketing consent for every client of this file</source>
        <translation>Записать согласие на рассылку для каждого клиента из этого файла</translation>
    </message>
    <message>
        <location filename="../../app/ui/import_wizard.py" line="618"/>
        <source>e.g. signed forms at the reception, the online shop&apos;s checkbox</source>
        <translation>например, подписанные анкеты на ресепшене, галочка в интернет-магазине</translation>
    </message>
    <message>
        <location filename="../../app/ui/import_wizard.py" line="629"/>
        <source>Where it comes from</source>
        <translation>Откуда оно</translation>
    </message>
    <message>
        <location filename="../../app/ui/import_wizard.py" line="634"/>
        <source>Given on</source>
        <translation>Дано</translation>
    </message>
    <message>
        <location filename="../../app/ui/import_wizard.py" line="653"/>
        <source>The file&apos;s column “%1” wins: a row that says yes or no there keeps its own answer; the rows left empty get this consent.</source>
        <translation>Приоритет у столбца «%1» в файле: строка, где указано да или нет, сохраняет свой ответ; пустые строки получат это согласие.</translation>
    </message>
    <message>
        <location filename="../../app/ui/import_wizard.py" line="657"/>
        <source>A consent column in the file would win: a row that says yes or no keeps its own answer.</source>
        <translation>Столбец согласия в файле имел бы приоритет: строка с ответом да или нет сохраняет свой ответ.</translation>
    </message>
    <message>
        <location filename="../../app/ui/import_wizard.py" line="660"/>
        <source>A client already in ClientCare who withdrew consent on or after that day stays withdrawn.</source>
        <translation>Клиент, который уже есть в ClientCare и отозвал согласие в этот день или позже, остаётся без согласия.</translation>
    </message>
    <message>
        <location filename="../../app/ui/import_wizard.py" line="701"/>
        <source>Check before importing</source>
        <translation>Проверка перед импортом</translation>
    </message>
    <message>
        <location filename="../../app/ui/import_wizard.py" line="702"/>
        <source>Nothing has been written yet. Rejected rows are left out; fix them in the file and import it again later (rows already imported are not added twice).</source>
        <translation>Пока ничего не записано. Отклонённые строки будут пропущены; исправьте их в файле и позже импортируйте его ещё раз (уже импортированные строки повторно не добавляются).</translation>
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
        <translation>Строки, которые невозможно импортировать</translation>
    </message>
    <message>
        <location filename="../../app/ui/import_wizard.py" line="717"/>
        <location filename="../../app/ui/import_wizard.py" line="743"/>
        <location filename="../../app/ui/import_wizard.py" line="768"/>
        <location filename="../../app/ui/import_wizard.py" line="973"/>
        <source>Row</source>
        <translation>Строка</translation>
    </message>
    <message>
        <location filename="../../app/ui/import_wizard.py" line="718"/>
        <location filename="../../app/ui/import_wizard.py" line="769"/>
        <location filename="../../app/ui/import_wizard.py" line="974"/>
        <source>Column</source>
        <translation>Столбец</translation>
    </message>
    <message>
        <location filename="../../app/ui/import_wizard.py" line="719"/>
        <location filename="../../app/ui/import_wizard.py" line="975"/>
        <source>Problem</source>
        <translation>Проблема</translation>
    </message>
    <message>
        <location filename="../../app/ui/import_wizard.py" line="720"/>
        <location filename="../../app/ui/import_wizard.py" line="976"/>
        <source>Value</source>
        <translation>Значение</translation>
    </message>
    <message>
        <location filename="../../app/ui/import_wizard.py" line="729"/>
        <source>Save the report…</source>
        <translation>Сохранить отчёт…</translation>
    </message>
    <message>
        <location filename="../../app/ui/import_wizard.py" line="736"/>
        <source>Save the list to fix the rows in the file.</source>
        <translation>Сохраните список, чтобы исправить эти строки в файле.</translation>
    </message>
    <message>
        <location filename="../../app/ui/import_wizard.py" line="742"/>
        <source>Already in ClientCare</source>
        <translation>Уже есть в ClientCare</translation>
    </message>
    <message>
        <location filename="../../app/ui/import_wizard.py" line="744"/>
        <source>In the file</source>
        <translation>В файле</translation>
    </message>
    <message>
        <location filename="../../app/ui/import_wizard.py" line="745"/>
        <source>Already there as</source>
        <translation>Уже есть как</translation>
    </message>
    <message>
        <location filename="../../app/ui/import_wizard.py" line="746"/>
        <source>Same</source>
        <translation>Совпадает</translation>
    </message>
    <message>
        <location filename="../../app/ui/import_wizard.py" line="747"/>
        <source>What to do</source>
        <translation>Действие</translation>
    </message>
    <message>
        <location filename="../../app/ui/import_wizard.py" line="761"/>
        <source>Merge fills the existing client&apos;s empty fields (phone, e-mail, card number, birthday) and adds the notes; nothing already there is overwritten.</source>
        <translation>При объединении заполняются пустые поля существующего клиента (телефон, эл. почта, номер карты, день рождения) и добавляются заметки; уже имеющиеся данные не перезаписываются.</translation>
    </message>
    <message>
        <location filename="../../app/ui/import_wizard.py" line="766"/>
        <source>Phone numbers to check</source>
        <translation>Номера телефонов для проверки</translation>
    </message>
    <message>
        <location filename="../../app/ui/import_wizard.py" line="770"/>
        <source>Number as in the file</source>
        <translation>Номер как в файле</translation>
    </message>
    <message>
        <location filename="../../app/ui/import_wizard.py" line="792"/>
        <source>Create clients who are not in ClientCare yet</source>
        <translation>Создать клиентов, которых ещё нет в ClientCare</translation>
    </message>
    <message>
        <location filename="../../app/ui/import_wizard.py" line="795"/>
        <source>Otherwise the purchases of clients ClientCare does not know are skipped.</source>
        <translation>Иначе покупки клиентов, неизвестных ClientCare, будут пропущены.</translation>
    </message>
    <message>
        <location filename="../../app/ui/import_wizard.py" line="825"/>
        <location filename="../../app/ui/import_wizard.py" line="851"/>
        <source>Checking the rows of the file…</source>
        <translation>Проверка строк файла…</translation>
    </message>
    <message>
        <location filename="../../app/ui/import_wizard.py" line="847"/>
        <source>Checking was stopped. Press Back and Next to check the file again.</source>
        <translation>Проверка остановлена. Нажмите «Назад» и «Далее», чтобы проверить файл снова.</translation>
    </message>
    <message>
        <location filename="../../app/ui/import_wizard.py" line="878"/>
        <source>%1 (earlier in this file)</source>
        <translation>%1 (выше в этом файле)</translation>
    </message>
    <message>
        <location filename="../../app/ui/import_wizard.py" line="919"/>
        <source>These clients are imported; their numbers are not valid phone numbers of %1, so each is kept as the file gives it and marked ⚠ “check this number” in the client list and on the card.</source>
        <translation>Эти клиенты будут импортированы. Их номера не являются действительными номерами телефонов страны %1, поэтому каждый сохраняется так, как он записан в файле, и отмечается ⚠ «проверьте этот номер» в списке клиентов и в карточке.</translation>
    </message>
    <message>
        <location filename="../../app/ui/import_wizard.py" line="927"/>
        <source>Most phones of this file (%1 of %2) are not numbers of %3, but they are numbers of %4.</source>
        <translation>Большинство телефонов в этом файле (%1 из %2) — не номера страны %3, а номера страны %4.</translation>
    </message>
    <message>
        <location filename="../../app/ui/import_wizard.py" line="931"/>
        <location filename="../../app/ui/import_wizard.py" line="938"/>
        <source>Read them as numbers of %1</source>
        <translation>Считать их номерами страны %1</translation>
    </message>
    <message>
        <location filename="../../app/ui/import_wizard.py" line="935"/>
        <source>Phones without a country code are read as numbers of %1 for this file.</source>
        <translation>Телефоны без кода страны в этом файле считаются номерами страны %1.</translation>
    </message>
    <message>
        <location filename="../../app/ui/import_wizard.py" line="960"/>
        <source>Save the report</source>
        <translation>Сохранение отчёта</translation>
    </message>
    <message>
        <location filename="../../app/ui/import_wizard.py" line="961"/>
        <source>CSV table (*.csv)</source>
        <translation>Таблица CSV (*.csv)</translation>
    </message>
    <message>
        <location filename="../../app/ui/import_wizard.py" line="1005"/>
        <source>Imported</source>
        <translation>Импортировано</translation>
    </message>
    <message>
        <location filename="../../app/ui/import_wizard.py" line="1006"/>
        <source>The import is finished. The clients and purchases are in ClientCare now.</source>
        <translation>Импорт завершён. Клиенты и покупки теперь в ClientCare.</translation>
    </message>
    <message>
        <location filename="../../app/ui/import_wizard.py" line="1027"/>
        <source>A backup of the database was made just before: %1</source>
        <translation>Непосредственно перед импортом создана резервная копия базы данных: %1</translation>
    </message>
    <message>
        <location filename="../../app/ui/import_wizard.py" line="1246"/>
        <source>Counting the clients…</source>
        <translation>Подсчёт клиентов…</translation>
    </message>
    <message>
        <location filename="../../app/ui/import_wizard.py" line="1269"/>
        <source>The import was stopped: nothing of it was kept, the clients and purchases are as they were before.</source>
        <translation>Импорт остановлен: ничего из него не сохранено, клиенты и покупки остались такими, как были.</translation>
    </message>
    <message>
        <location filename="../../app/ui/import_wizard.py" line="1272"/>
        <source>Importing…</source>
        <translation>Импорт…</translation>
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
        <translation>Остановить</translation>
    </message>
    <message>
        <location filename="../../app/ui/progress.py" line="44"/>
        <source>Stopping… nothing of this is kept.</source>
        <translation>Остановка… ничего из этого не сохранится.</translation>
    </message>
</context>
<context>
    <name>Labels</name>
    <message>
        <location filename="../../app/ui/labels.py" line="23"/>
        <source>Person</source>
        <translation>Частное лицо</translation>
    </message>
    <message>
        <location filename="../../app/ui/labels.py" line="23"/>
        <source>Company</source>
        <translation>Компания</translation>
    </message>
    <message>
        <location filename="../../app/ui/labels.py" line="28"/>
        <source>Any</source>
        <translation>Любой</translation>
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
        <translation>Эл. почта</translation>
    </message>
    <message>
        <location filename="../../app/ui/labels.py" line="30"/>
        <source>In person</source>
        <translation>Лично</translation>
    </message>
    <message>
        <location filename="../../app/ui/labels.py" line="30"/>
        <source>Messenger</source>
        <translation>Мессенджер</translation>
    </message>
    <message>
        <location filename="../../app/ui/labels.py" line="31"/>
        <source>Letter</source>
        <translation>Письмо</translation>
    </message>
    <message>
        <location filename="../../app/ui/labels.py" line="39"/>
        <source>New</source>
        <translation>Новый</translation>
    </message>
    <message>
        <location filename="../../app/ui/labels.py" line="39"/>
        <location filename="../../app/ui/labels.py" line="57"/>
        <source>Active</source>
        <translation>Активный</translation>
    </message>
    <message>
        <location filename="../../app/ui/labels.py" line="40"/>
        <source>At risk</source>
        <translation>Под угрозой</translation>
    </message>
    <message>
        <location filename="../../app/ui/labels.py" line="40"/>
        <source>Lapsed</source>
        <translation>Ушедший</translation>
    </message>
    <message>
        <location filename="../../app/ui/labels.py" line="45"/>
        <source>Spouse</source>
        <translation>Муж или жена</translation>
    </message>
    <message>
        <location filename="../../app/ui/labels.py" line="45"/>
        <source>Partner</source>
        <translation>Партнёр</translation>
    </message>
    <message>
        <location filename="../../app/ui/labels.py" line="46"/>
        <source>Child</source>
        <translation>Ребёнок</translation>
    </message>
    <message>
        <location filename="../../app/ui/labels.py" line="46"/>
        <source>Parent</source>
        <translation>Родитель</translation>
    </message>
    <message>
        <location filename="../../app/ui/labels.py" line="47"/>
        <source>Sibling</source>
        <translation>Брат/сестра</translation>
    </message>
    <message>
        <location filename="../../app/ui/labels.py" line="47"/>
        <source>Grandchild</source>
        <translation>Внук</translation>
    </message>
    <message>
        <location filename="../../app/ui/labels.py" line="48"/>
        <source>Other</source>
        <translation>Другое</translation>
    </message>
    <message>
        <location filename="../../app/ui/labels.py" line="52"/>
        <source>Birthday</source>
        <translation>День рождения</translation>
    </message>
    <message>
        <location filename="../../app/ui/labels.py" line="52"/>
        <source>Name day</source>
        <translation>Именины</translation>
    </message>
    <message>
        <location filename="../../app/ui/labels.py" line="53"/>
        <source>Anniversary</source>
        <translation>Годовщина</translation>
    </message>
    <message>
        <location filename="../../app/ui/labels.py" line="53"/>
        <source>Other date</source>
        <translation>Другая дата</translation>
    </message>
    <message>
        <location filename="../../app/ui/labels.py" line="57"/>
        <source>Frozen</source>
        <translation>Заморожен</translation>
    </message>
    <message>
        <location filename="../../app/ui/labels.py" line="58"/>
        <source>Expired</source>
        <translation>Истёк</translation>
    </message>
    <message>
        <location filename="../../app/ui/labels.py" line="58"/>
        <source>Renewed</source>
        <translation>Продлён</translation>
    </message>
    <message>
        <location filename="../../app/ui/labels.py" line="59"/>
        <source>Cancelled</source>
        <translation>Отменён</translation>
    </message>
    <message>
        <location filename="../../app/ui/labels.py" line="63"/>
        <source>Reached</source>
        <translation>Дозвонились</translation>
    </message>
    <message>
        <location filename="../../app/ui/labels.py" line="63"/>
        <source>No answer</source>
        <translation>Не ответил</translation>
    </message>
    <message>
        <location filename="../../app/ui/labels.py" line="64"/>
        <source>Left a message</source>
        <translation>Оставлено сообщение</translation>
    </message>
    <message>
        <location filename="../../app/ui/labels.py" line="65"/>
        <source>Meeting booked</source>
        <translation>Назначена встреча</translation>
    </message>
    <message>
        <location filename="../../app/ui/labels.py" line="66"/>
        <source>Complaint found</source>
        <translation>Выявлена жалоба</translation>
    </message>
    <message>
        <location filename="../../app/ui/labels.py" line="66"/>
        <source>Declined</source>
        <translation>Отказ</translation>
    </message>
    <message>
        <location filename="../../app/ui/labels.py" line="67"/>
        <source>Wrong number</source>
        <translation>Неверный номер</translation>
    </message>
    <message>
        <location filename="../../app/ui/labels.py" line="68"/>
        <source>Call back later</source>
        <translation>Перезвонить позже</translation>
    </message>
    <message>
        <location filename="../../app/ui/labels.py" line="74"/>
        <source>Positive</source>
        <translation>Положительный</translation>
    </message>
    <message>
        <location filename="../../app/ui/labels.py" line="74"/>
        <source>Neutral</source>
        <translation>Нейтральный</translation>
    </message>
    <message>
        <location filename="../../app/ui/labels.py" line="75"/>
        <source>Negative</source>
        <translation>Отрицательный</translation>
    </message>
    <message>
        <location filename="../../app/ui/labels.py" line="79"/>
        <source>Follow-up after purchase</source>
        <translation>Звонок после покупки</translation>
    </message>
    <message>
        <location filename="../../app/ui/labels.py" line="80"/>
        <source>Onboarding check-in</source>
        <translation>Контакт с новым клиентом</translation>
    </message>
    <message>
        <location filename="../../app/ui/labels.py" line="80"/>
        <source>Renewal</source>
        <translation>Продление</translation>
    </message>
    <message>
        <location filename="../../app/ui/labels.py" line="81"/>
        <source>Personal date</source>
        <translation>Личная дата</translation>
    </message>
    <message>
        <location filename="../../app/ui/labels.py" line="81"/>
        <source>Gift reminder</source>
        <translation>Напоминание о подарке</translation>
    </message>
    <message>
        <location filename="../../app/ui/labels.py" line="82"/>
        <source>Complaint call-back</source>
        <translation>Обратный звонок по жалобе</translation>
    </message>
    <message>
        <location filename="../../app/ui/labels.py" line="83"/>
        <source>Complaint review</source>
        <translation>Разбор жалобы</translation>
    </message>
    <message>
        <location filename="../../app/ui/labels.py" line="84"/>
        <source>Win-back</source>
        <translation>Возврат клиента</translation>
    </message>
    <message>
        <location filename="../../app/ui/labels.py" line="84"/>
        <source>Keep in touch</source>
        <translation>Поддержание связи</translation>
    </message>
    <message>
        <location filename="../../app/ui/labels.py" line="85"/>
        <source>Quarterly A/B/C review</source>
        <translation>Ежеквартальный пересмотр групп A/B/C</translation>
    </message>
    <message>
        <location filename="../../app/ui/labels.py" line="86"/>
        <source>Manual</source>
        <translation>Вручную</translation>
    </message>
    <message>
        <location filename="../../app/ui/labels.py" line="93"/>
        <source>moved: not a working day</source>
        <translation>перенесено: нерабочий день</translation>
    </message>
    <message>
        <location filename="../../app/ui/labels.py" line="94"/>
        <source>moved: contacted today</source>
        <translation>перенесено: сегодня уже был контакт</translation>
    </message>
    <message>
        <location filename="../../app/ui/labels.py" line="95"/>
        <source>moved: contact limit reached</source>
        <translation>перенесено: лимит контактов</translation>
    </message>
    <message>
        <location filename="../../app/ui/labels.py" line="96"/>
        <source>moved: the client&apos;s preferred days</source>
        <translation>перенесено: удобные клиенту дни</translation>
    </message>
    <message>
        <location filename="../../app/ui/labels.py" line="97"/>
        <source>moved: no answer</source>
        <translation>перенесено: не ответил</translation>
    </message>
    <message>
        <location filename="../../app/ui/labels.py" line="98"/>
        <source>the client asked to call back</source>
        <translation>клиент просил перезвонить</translation>
    </message>
    <message>
        <location filename="../../app/ui/labels.py" line="99"/>
        <source>snoozed</source>
        <translation>отложено</translation>
    </message>
    <message>
        <location filename="../../app/ui/labels.py" line="100"/>
        <source>rescheduled</source>
        <translation>перенесено вручную</translation>
    </message>
    <message>
        <location filename="../../app/ui/labels.py" line="107"/>
        <source>Walked in</source>
        <translation>Пришёл сам</translation>
    </message>
    <message>
        <location filename="../../app/ui/labels.py" line="107"/>
        <source>Referral</source>
        <translation>По рекомендации</translation>
    </message>
    <message>
        <location filename="../../app/ui/labels.py" line="109"/>
        <source>Website</source>
        <translation>Сайт</translation>
    </message>
    <message>
        <location filename="../../app/ui/labels.py" line="109"/>
        <source>Flyer</source>
        <translation>Листовка</translation>
    </message>
    <message>
        <location filename="../../app/ui/labels.py" line="110"/>
        <source>Phone book</source>
        <translation>Телефонный справочник</translation>
    </message>
    <message>
        <location filename="../../app/ui/labels.py" line="117"/>
        <source>Too expensive</source>
        <translation>Слишком дорого</translation>
    </message>
    <message>
        <location filename="../../app/ui/labels.py" line="117"/>
        <source>No time</source>
        <translation>Нет времени</translation>
    </message>
    <message>
        <location filename="../../app/ui/labels.py" line="118"/>
        <source>Moved away</source>
        <translation>Переехал</translation>
    </message>
    <message>
        <location filename="../../app/ui/labels.py" line="119"/>
        <source>Went to a competitor</source>
        <translation>Ушёл к конкуренту</translation>
    </message>
    <message>
        <location filename="../../app/ui/labels.py" line="120"/>
        <source>Not satisfied</source>
        <translation>Недоволен</translation>
    </message>
    <message>
        <location filename="../../app/ui/labels.py" line="120"/>
        <source>Health</source>
        <translation>Здоровье</translation>
    </message>
    <message>
        <location filename="../../app/ui/labels.py" line="121"/>
        <source>Other reason</source>
        <translation>Другая причина</translation>
    </message>
    <message>
        <location filename="../../app/ui/labels.py" line="128"/>
        <source>Refund</source>
        <translation>Возврат денег</translation>
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
        <translation>(только для чтения)</translation>
    </message>
    <message>
        <location filename="../../app/ui/main_window.py" line="148"/>
        <source>Clients</source>
        <extracomment>set when the database was found damaged and not restored: no exit backup</extracomment>
        <translation>Клиенты</translation>
    </message>
    <message>
        <location filename="../../app/ui/main_window.py" line="149"/>
        <source>Today</source>
        <translation>Сегодня</translation>
    </message>
    <message>
        <location filename="../../app/ui/main_window.py" line="150"/>
        <source>Calendar</source>
        <translation>Календарь</translation>
    </message>
    <message>
        <location filename="../../app/ui/main_window.py" line="151"/>
        <source>Complaints</source>
        <translation>Жалобы</translation>
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
        <translation>Только для чтения: %1</translation>
    </message>
    <message>
        <location filename="../../app/ui/main_window.py" line="243"/>
        <source>Signed in: %1 (%2)</source>
        <translation>Вход выполнен: %1 (%2)</translation>
    </message>
    <message>
        <location filename="../../app/ui/main_window.py" line="246"/>
        <source>The charts are for managers and the owner.</source>
        <translation>Графики — для менеджеров и владельца.</translation>
    </message>
    <message>
        <location filename="../../app/ui/main_window.py" line="248"/>
        <source>The settings are the owner&apos;s.</source>
        <translation>Настройки меняет владелец.</translation>
    </message>
    <message>
        <location filename="../../app/ui/main_window.py" line="341"/>
        <source>the file is read-only</source>
        <translation>файл доступен только для чтения</translation>
    </message>
    <message>
        <location filename="../../app/ui/main_window.py" line="342"/>
        <source>its folder is read-only</source>
        <translation>её папка доступна только для чтения</translation>
    </message>
    <message>
        <location filename="../../app/ui/main_window.py" line="343"/>
        <source>as asked at start</source>
        <translation>так запрошено при запуске</translation>
    </message>
    <message>
        <location filename="../../app/ui/main_window.py" line="344"/>
        <source>Nothing can be saved: this database is open read-only (%1). You can look and search; no backup is made. To work on it, copy the file to a folder you can write to and open the copy.</source>
        <translation>Ничего нельзя сохранить: эта база данных открыта только для чтения (%1). Можно смотреть и искать; резервная копия не создаётся. Чтобы работать с базой, скопируйте файл в папку, где у вас есть право записи, и откройте копию.</translation>
    </message>
    <message>
        <location filename="../../app/ui/main_window.py" line="349"/>
        <source>&amp;File</source>
        <translation>&amp;Файл</translation>
    </message>
    <message>
        <location filename="../../app/ui/main_window.py" line="350"/>
        <source>&amp;Back up now</source>
        <translation>&amp;Создать резервную копию сейчас</translation>
    </message>
    <message>
        <location filename="../../app/ui/main_window.py" line="352"/>
        <source>&amp;Check the database…</source>
        <translation>&amp;Проверить базу данных…</translation>
    </message>
    <message>
        <location filename="../../app/ui/main_window.py" line="354"/>
        <source>&amp;Import…</source>
        <translation>&amp;Импорт…</translation>
    </message>
    <message>
        <location filename="../../app/ui/main_window.py" line="357"/>
        <source>&amp;Export…</source>
        <translation>&amp;Экспорт…</translation>
    </message>
    <message>
        <location filename="../../app/ui/main_window.py" line="361"/>
        <source>Change my &amp;password…</source>
        <translation>Сменить мой &amp;пароль…</translation>
    </message>
    <message>
        <location filename="../../app/ui/main_window.py" line="366"/>
        <source>&amp;Quit</source>
        <translation>&amp;Выход</translation>
    </message>
    <message>
        <location filename="../../app/ui/main_window.py" line="369"/>
        <source>&amp;Clients</source>
        <translation>&amp;Клиенты</translation>
    </message>
    <message>
        <location filename="../../app/ui/main_window.py" line="370"/>
        <source>&amp;New client</source>
        <translation>&amp;Новый клиент</translation>
    </message>
    <message>
        <location filename="../../app/ui/main_window.py" line="374"/>
        <source>&amp;Help</source>
        <translation>&amp;Справка</translation>
    </message>
    <message>
        <location filename="../../app/ui/main_window.py" line="375"/>
        <source>Check for &amp;updates…</source>
        <translation>Проверить &amp;обновления…</translation>
    </message>
    <message>
        <location filename="../../app/ui/main_window.py" line="378"/>
        <source>&amp;About ClientCare</source>
        <translation>&amp;О программе ClientCare</translation>
    </message>
    <message>
        <location filename="../../app/ui/main_window.py" line="420"/>
        <source>Backed up to %1</source>
        <translation>Резервная копия создана: %1</translation>
    </message>
    <message>
        <location filename="../../app/ui/main_window.py" line="453"/>
        <location filename="../../app/ui/main_window.py" line="489"/>
        <source>Backing up before closing…</source>
        <translation>Создание резервной копии перед закрытием…</translation>
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
        <translation>Новая задача</translation>
    </message>
    <message>
        <location filename="../../app/ui/today_page.py" line="1352"/>
        <source>Type a name to pick the client</source>
        <translation>Введите имя, чтобы выбрать клиента</translation>
    </message>
    <message>
        <location filename="../../app/ui/today_page.py" line="1357"/>
        <source>What the call is about</source>
        <translation>О чём звонок</translation>
    </message>
    <message>
        <location filename="../../app/ui/today_page.py" line="1360"/>
        <source>Client</source>
        <translation>Клиент</translation>
    </message>
    <message>
        <location filename="../../app/ui/today_page.py" line="1361"/>
        <source>Day</source>
        <translation>День</translation>
    </message>
    <message>
        <location filename="../../app/ui/today_page.py" line="1362"/>
        <source>About</source>
        <translation>Тема</translation>
    </message>
    <message>
        <location filename="../../app/ui/today_page.py" line="1376"/>
        <source>Pick the client from the suggestions.</source>
        <translation>Выберите клиента из подсказок.</translation>
    </message>
    <message>
        <location filename="../../app/ui/today_page.py" line="1379"/>
        <source>Say what the call is about.</source>
        <translation>Укажите, о чём звонок.</translation>
    </message>
</context>
<context>
    <name>MembershipDialog</name>
    <message>
        <location filename="../../app/ui/card_dialogs.py" line="193"/>
        <source>Membership</source>
        <translation>Абонемент</translation>
    </message>
    <message>
        <location filename="../../app/ui/card_dialogs.py" line="196"/>
        <source>Plan</source>
        <translation>Тариф</translation>
    </message>
    <message>
        <location filename="../../app/ui/card_dialogs.py" line="198"/>
        <source>Starts</source>
        <translation>Начало</translation>
    </message>
    <message>
        <location filename="../../app/ui/card_dialogs.py" line="200"/>
        <source>Ends</source>
        <translation>Окончание</translation>
    </message>
    <message>
        <location filename="../../app/ui/card_dialogs.py" line="206"/>
        <source>Status</source>
        <translation>Статус</translation>
    </message>
    <message>
        <location filename="../../app/ui/card_dialogs.py" line="207"/>
        <source>Frozen from</source>
        <translation>Заморожен с</translation>
    </message>
    <message>
        <location filename="../../app/ui/card_dialogs.py" line="209"/>
        <source>Frozen until</source>
        <translation>Заморожен по</translation>
    </message>
    <message>
        <location filename="../../app/ui/card_dialogs.py" line="211"/>
        <source>Price</source>
        <translation>Цена</translation>
    </message>
    <message>
        <location filename="../../app/ui/card_dialogs.py" line="213"/>
        <source>Bought on a promotion</source>
        <translation>Куплен по акции</translation>
    </message>
    <message>
        <location filename="../../app/ui/card_dialogs.py" line="215"/>
        <source>Has a discount</source>
        <translation>Со скидкой</translation>
    </message>
    <message>
        <location filename="../../app/ui/card_dialogs.py" line="217"/>
        <source>Marks</source>
        <translation>Отметки</translation>
    </message>
    <message>
        <location filename="../../app/ui/card_dialogs.py" line="219"/>
        <source>Special conditions</source>
        <translation>Особые условия</translation>
    </message>
    <message>
        <location filename="../../app/ui/card_dialogs.py" line="221"/>
        <source>Note</source>
        <translation>Примечание</translation>
    </message>
</context>
<context>
    <name>MergeDialog</name>
    <message>
        <location filename="../../app/ui/data_dialogs.py" line="469"/>
        <source>Merge two clients</source>
        <translation>Объединение двух клиентов</translation>
    </message>
    <message>
        <location filename="../../app/ui/data_dialogs.py" line="473"/>
        <source>Keep which one?</source>
        <translation>Какую запись оставить?</translation>
    </message>
    <message>
        <location filename="../../app/ui/data_dialogs.py" line="483"/>
        <source>Purchases, memberships, calls, family, dates, complaints and tasks of the other client move to the one you keep; its empty fields take the other&apos;s values, and the other record is removed.</source>
        <translation>Покупки, абонементы, звонки, семья, даты, жалобы и задачи другого клиента переносятся в запись, которую вы оставляете; её пустые поля заполняются значениями из другой записи, а другая запись удаляется.</translation>
    </message>
</context>
<context>
    <name>MessageDialog</name>
    <message numerus="yes">
        <location filename="../../app/ui/message_dialog.py" line="71"/>
        <source>%Ln character(s)</source>
        <translation>
            <numerusform>%Ln символ</numerusform>
            <numerusform>%Ln символа</numerusform>
            <numerusform>%Ln символов</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <location filename="../../app/ui/message_dialog.py" line="72"/>
        <source>%Ln message(s)</source>
        <translation>
            <numerusform>%Ln сообщение</numerusform>
            <numerusform>%Ln сообщения</numerusform>
            <numerusform>%Ln сообщений</numerusform>
        </translation>
    </message>
    <message>
        <location filename="../../app/ui/message_dialog.py" line="105"/>
        <source>Send a message</source>
        <translation>Отправить сообщение</translation>
    </message>
    <message>
        <location filename="../../app/ui/message_dialog.py" line="145"/>
        <source>Client</source>
        <translation>Клиент</translation>
    </message>
    <message>
        <location filename="../../app/ui/message_dialog.py" line="146"/>
        <source>Send by</source>
        <translation>Отправить через</translation>
    </message>
    <message>
        <location filename="../../app/ui/message_dialog.py" line="147"/>
        <source>To</source>
        <translation>Кому</translation>
    </message>
    <message>
        <location filename="../../app/ui/message_dialog.py" line="148"/>
        <source>Message</source>
        <translation>Сообщение</translation>
    </message>
    <message>
        <location filename="../../app/ui/message_dialog.py" line="149"/>
        <source>Language</source>
        <translation>Язык</translation>
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
        <translation>Отправить</translation>
    </message>
    <message>
        <location filename="../../app/ui/message_dialog.py" line="213"/>
        <source>(no address)</source>
        <translation>(нет адреса)</translation>
    </message>
    <message>
        <location filename="../../app/ui/message_dialog.py" line="219"/>
        <source>Send asks you to confirm.</source>
        <translation>Перед отправкой будет запрошено подтверждение.</translation>
    </message>
    <message>
        <location filename="../../app/ui/message_dialog.py" line="235"/>
        <source>Outside the client&apos;s hours</source>
        <translation>Вне часов клиента</translation>
    </message>
    <message>
        <location filename="../../app/ui/message_dialog.py" line="236"/>
        <source>Send the SMS now anyway?</source>
        <translation>Всё равно отправить SMS сейчас?</translation>
    </message>
    <message>
        <location filename="../../app/ui/message_dialog.py" line="247"/>
        <source>Sending the message</source>
        <translation>Отправка сообщения</translation>
    </message>
    <message>
        <location filename="../../app/ui/message_dialog.py" line="256"/>
        <source>Sending the message again</source>
        <translation>Повторная отправка сообщения</translation>
    </message>
    <message>
        <location filename="../../app/ui/message_dialog.py" line="281"/>
        <source>Try again</source>
        <translation>Попробовать снова</translation>
    </message>
    <message>
        <location filename="../../app/ui/message_dialog.py" line="283"/>
        <source>The message is kept as not sent: try again now, or later from the client&apos;s card.</source>
        <translation>Сообщение сохранено как неотправленное: попробуйте снова сейчас или позже из карточки клиента.</translation>
    </message>
    <message numerus="yes">
        <location filename="../../app/ui/message_dialog.py" line="402"/>
        <source>%n message(s) sent.</source>
        <translation>
            <numerusform>Отправлено %n сообщение.</numerusform>
            <numerusform>Отправлено %n сообщения.</numerusform>
            <numerusform>Отправлено %n сообщений.</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <location filename="../../app/ui/message_dialog.py" line="404"/>
        <source>%n not sent: kept on the client&apos;s card to send again.</source>
        <translation>
            <numerusform>%n не отправлено: осталось в карточке клиента для повторной отправки.</numerusform>
            <numerusform>%n не отправлены: остались в карточке клиента для повторной отправки.</numerusform>
            <numerusform>%n не отправлены: остались в карточке клиента для повторной отправки.</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <location filename="../../app/ui/message_dialog.py" line="407"/>
        <source>%n refused.</source>
        <translation>
            <numerusform>%n отклонено.</numerusform>
            <numerusform>%n отклонены.</numerusform>
            <numerusform>%n отклонены.</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>Messages</name>
    <message>
        <location filename="../../app/ui/messages.py" line="13"/>
        <source>Please enter a name.</source>
        <translation>Введите имя.</translation>
    </message>
    <message>
        <location filename="../../app/ui/messages.py" line="14"/>
        <source>This is too long (at most {maximum} characters).</source>
        <translation>Слишком длинный текст (не более {maximum} символов).</translation>
    </message>
    <message>
        <location filename="../../app/ui/messages.py" line="15"/>
        <source>“{value}” is not a valid phone number.</source>
        <translation>«{value}» — неверный номер телефона.</translation>
    </message>
    <message>
        <location filename="../../app/ui/messages.py" line="16"/>
        <source>“{value}” is not a valid e-mail address.</source>
        <translation>«{value}» — неверный адрес эл. почты.</translation>
    </message>
    <message>
        <location filename="../../app/ui/messages.py" line="17"/>
        <source>Please enter an amount.</source>
        <translation>Введите сумму.</translation>
    </message>
    <message>
        <location filename="../../app/ui/messages.py" line="18"/>
        <source>“{value}” is not an amount.</source>
        <translation>«{value}» не является суммой.</translation>
    </message>
    <message>
        <location filename="../../app/ui/messages.py" line="19"/>
        <source>The amount cannot be negative.</source>
        <translation>Сумма не может быть отрицательной.</translation>
    </message>
    <message>
        <location filename="../../app/ui/messages.py" line="20"/>
        <source>Use at most two decimal places.</source>
        <translation>Используйте не более двух знаков после запятой.</translation>
    </message>
    <message>
        <location filename="../../app/ui/messages.py" line="21"/>
        <source>The amount is too large.</source>
        <translation>Слишком большая сумма.</translation>
    </message>
    <message>
        <location filename="../../app/ui/messages.py" line="22"/>
        <source>The quantity must be more than zero.</source>
        <translation>Количество должно быть больше нуля.</translation>
    </message>
    <message>
        <location filename="../../app/ui/messages.py" line="23"/>
        <source>Please enter a date.</source>
        <translation>Введите дату.</translation>
    </message>
    <message>
        <location filename="../../app/ui/messages.py" line="24"/>
        <source>A purchase cannot be dated in the future.</source>
        <translation>Дата покупки не может быть в будущем.</translation>
    </message>
    <message>
        <location filename="../../app/ui/messages.py" line="25"/>
        <source>This is not a valid date.</source>
        <translation>Недопустимая дата.</translation>
    </message>
    <message>
        <location filename="../../app/ui/messages.py" line="26"/>
        <source>This date is after today; confirm it to save the purchase.</source>
        <translation>Эта дата позже сегодняшней; подтвердите её, чтобы сохранить покупку.</translation>
    </message>
    <message>
        <location filename="../../app/ui/messages.py" line="27"/>
        <source>The freeze must start while the membership runs.</source>
        <translation>Заморозка должна начаться, пока абонемент действует.</translation>
    </message>
    <message>
        <location filename="../../app/ui/messages.py" line="28"/>
        <source>This line is the price of the membership “{plan}”: change it on the Memberships tab.</source>
        <translation>Эта строка — цена абонемента «{plan}»: измените её на вкладке «Абонементы».</translation>
    </message>
    <message>
        <location filename="../../app/ui/messages.py" line="29"/>
        <source>Write the year with four digits.</source>
        <translation>Введите год четырьмя цифрами.</translation>
    </message>
    <message>
        <location filename="../../app/ui/messages.py" line="30"/>
        <source>Choose {minimum} or a later day.</source>
        <translation>Выберите {minimum} или более поздний день.</translation>
    </message>
    <message>
        <location filename="../../app/ui/messages.py" line="31"/>
        <source>The year cannot be in the future.</source>
        <translation>Год не может быть в будущем.</translation>
    </message>
    <message>
        <location filename="../../app/ui/messages.py" line="32"/>
        <source>Read as {value}. If that is right, confirm again.</source>
        <translation>Прочитано как {value}. Если это верно, подтвердите ещё раз.</translation>
    </message>
    <message>
        <location filename="../../app/ui/messages.py" line="33"/>
        <source>The year must be between 1900 and 2100.</source>
        <translation>Год должен быть в пределах от 1900 до 2100.</translation>
    </message>
    <message>
        <location filename="../../app/ui/messages.py" line="34"/>
        <source>The relative of this date was removed.</source>
        <translation>Родственник, к которому относится эта дата, удалён.</translation>
    </message>
    <message>
        <location filename="../../app/ui/messages.py" line="35"/>
        <source>Gift reminder days must be between 0 and 60.</source>
        <translation>Напоминание о подарке: число дней должно быть от 0 до 60.</translation>
    </message>
    <message>
        <location filename="../../app/ui/messages.py" line="36"/>
        <source>Give both the start and the end of the hours.</source>
        <translation>Укажите и начало, и конец интервала времени.</translation>
    </message>
    <message>
        <location filename="../../app/ui/messages.py" line="37"/>
        <source>The hours must start before they end.</source>
        <translation>Начало интервала должно быть раньше его конца.</translation>
    </message>
    <message>
        <location filename="../../app/ui/messages.py" line="38"/>
        <source>Give the date the client gave consent.</source>
        <translation>Укажите дату, когда клиент дал согласие.</translation>
    </message>
    <message>
        <location filename="../../app/ui/messages.py" line="39"/>
        <source>Consent cannot be given after today.</source>
        <translation>Согласие не может быть дано позже сегодняшнего дня.</translation>
    </message>
    <message>
        <location filename="../../app/ui/messages.py" line="40"/>
        <source>Say where the consent comes from, e.g. signed forms at the reception.</source>
        <translation>Укажите, откуда согласие, например: подписанные анкеты на ресепшене.</translation>
    </message>
    <message>
        <location filename="../../app/ui/messages.py" line="41"/>
        <source>Consent for a whole file can be recorded for a file of clients only.</source>
        <translation>Согласие для всего файла можно записать только для файла клиентов.</translation>
    </message>
    <message>
        <location filename="../../app/ui/messages.py" line="42"/>
        <source>A client cannot refer themselves.</source>
        <translation>Клиент не может порекомендовать сам себя.</translation>
    </message>
    <message>
        <location filename="../../app/ui/messages.py" line="43"/>
        <source>The referring client no longer exists.</source>
        <translation>Порекомендовавший клиент больше не существует.</translation>
    </message>
    <message>
        <location filename="../../app/ui/messages.py" line="44"/>
        <source>The number “{value}” already belongs to another client.</source>
        <translation>Номер «{value}» уже принадлежит другому клиенту.</translation>
    </message>
    <message>
        <location filename="../../app/ui/messages.py" line="45"/>
        <source>Please enter the plan&apos;s name.</source>
        <translation>Введите название тарифа.</translation>
    </message>
    <message>
        <location filename="../../app/ui/messages.py" line="46"/>
        <source>The membership ends before it starts.</source>
        <translation>Абонемент заканчивается раньше, чем начинается.</translation>
    </message>
    <message>
        <location filename="../../app/ui/messages.py" line="47"/>
        <source>Give both the first and the last frozen day.</source>
        <translation>Укажите первый и последний день заморозки.</translation>
    </message>
    <message>
        <location filename="../../app/ui/messages.py" line="48"/>
        <source>The freeze ends before it starts.</source>
        <translation>Заморозка заканчивается раньше, чем начинается.</translation>
    </message>
    <message>
        <location filename="../../app/ui/messages.py" line="49"/>
        <source>A frozen membership needs its frozen days.</source>
        <translation>Для замороженного абонемента укажите дни заморозки.</translation>
    </message>
    <message>
        <location filename="../../app/ui/messages.py" line="50"/>
        <source>This value has the wrong form.</source>
        <translation>Значение имеет неверный формат.</translation>
    </message>
    <message>
        <location filename="../../app/ui/messages.py" line="51"/>
        <source>The value must be at least {minimum}.</source>
        <translation>Значение должно быть не меньше {minimum}.</translation>
    </message>
    <message>
        <location filename="../../app/ui/messages.py" line="52"/>
        <source>The value must be at most {maximum}.</source>
        <translation>Значение должно быть не больше {maximum}.</translation>
    </message>
    <message>
        <location filename="../../app/ui/messages.py" line="53"/>
        <source>A currency is a three-letter code such as PLN or EUR.</source>
        <translation>Валюта задаётся трёхбуквенным кодом, например PLN или EUR.</translation>
    </message>
    <message>
        <location filename="../../app/ui/messages.py" line="54"/>
        <source>This client no longer exists.</source>
        <translation>Этот клиент больше не существует.</translation>
    </message>
    <message>
        <location filename="../../app/ui/messages.py" line="57"/>
        <source>The file “{path}” cannot be written: {detail}</source>
        <translation>Не удаётся записать файл «{path}»: {detail}</translation>
    </message>
    <message>
        <location filename="../../app/ui/messages.py" line="59"/>
        <source>“{path}” is a folder, not a database file.</source>
        <translation>«{path}» — это папка, а не файл базы данных.</translation>
    </message>
    <message>
        <location filename="../../app/ui/messages.py" line="60"/>
        <source>ClientCare may not read “{path}”. Check the file&apos;s permissions.</source>
        <translation>У ClientCare нет прав на чтение «{path}». Проверьте права доступа к файлу.</translation>
    </message>
    <message>
        <location filename="../../app/ui/messages.py" line="61"/>
        <source>The database “{path}” cannot be read or written: {detail}</source>
        <translation>Не удаётся прочитать или записать базу данных «{path}»: {detail}</translation>
    </message>
    <message>
        <location filename="../../app/ui/messages.py" line="62"/>
        <source>“{path}” is not a ClientCare database. Nothing was changed in it.</source>
        <translation>«{path}» не является базой данных ClientCare. В нём ничего не изменено.</translation>
    </message>
    <message>
        <location filename="../../app/ui/messages.py" line="63"/>
        <source>“{path}” is a database of another program. Nothing was changed in it.</source>
        <translation>«{path}» — база данных другой программы. В ней ничего не изменено.</translation>
    </message>
    <message>
        <location filename="../../app/ui/messages.py" line="65"/>
        <source>The database “{path}” is damaged and was not opened. Nothing was changed in it. Restore a backup or contact support. ({detail})</source>
        <translation>База данных «{path}» повреждена и не была открыта. В ней ничего не изменено. Восстановите резервную копию или обратитесь в службу поддержки. ({detail})</translation>
    </message>
    <message>
        <location filename="../../app/ui/messages.py" line="68"/>
        <source>“{path}” was saved by a newer version of ClientCare. Please install the newer version to open it.</source>
        <translation>«{path}» сохранён более новой версией ClientCare. Установите новую версию, чтобы открыть его.</translation>
    </message>
    <message>
        <location filename="../../app/ui/messages.py" line="70"/>
        <source>The database “{path}” is in use by another program. Close it and try again.</source>
        <translation>База данных «{path}» используется другой программой. Закройте её и повторите попытку.</translation>
    </message>
    <message>
        <location filename="../../app/ui/messages.py" line="72"/>
        <source>The database “{path}” cannot be written (read-only folder or file). Nothing was changed.</source>
        <translation>Невозможно записать базу данных «{path}» (папка или файл только для чтения). Ничего не изменено.</translation>
    </message>
    <message>
        <location filename="../../app/ui/messages.py" line="74"/>
        <source>The folder “{path}” cannot be created: {detail}</source>
        <translation>Не удаётся создать папку «{path}»: {detail}</translation>
    </message>
    <message>
        <location filename="../../app/ui/messages.py" line="75"/>
        <source>The database “{path}” cannot be opened: its folder may be read-only or its drive disconnected. Nothing was changed. Choose another folder for the database or reconnect the drive.</source>
        <translation>Не удаётся открыть базу данных «{path}»: её папка, возможно, доступна только для чтения или диск отключён. Ничего не изменено. Выберите другую папку для базы или подключите диск снова.</translation>
    </message>
    <message>
        <location filename="../../app/ui/messages.py" line="76"/>
        <source>The database “{path}” was left in the middle of a save by a program that stopped. Open it in ClientCare, which finishes the recovery, then check it again. Nothing was changed.</source>
        <translation>База данных «{path}» осталась в середине записи: программа, которая её писала, остановилась. Откройте её в ClientCare — он завершит восстановление, — затем проверьте снова. Ничего не изменено.</translation>
    </message>
    <message>
        <location filename="../../app/ui/messages.py" line="77"/>
        <source>This database is open read-only: nothing was saved.</source>
        <translation>Эта база данных открыта только для чтения: ничего не сохранено.</translation>
    </message>
    <message>
        <location filename="../../app/ui/messages.py" line="78"/>
        <source>The database is being put back from a backup. Wait until that is done, then try again; nothing was saved.</source>
        <translation>База данных сейчас восстанавливается из резервной копии. Дождитесь окончания и повторите попытку; ничего не сохранено.</translation>
    </message>
    <message>
        <location filename="../../app/ui/messages.py" line="79"/>
        <source>“{path}” was saved by an older version of ClientCare and must be updated before it can be opened. An update writes to the file, which cannot be done read-only. Copy it to a folder you can write to and open the copy. Nothing was changed.</source>
        <translation>Файл «{path}» сохранён более старой версией ClientCare, и перед открытием его нужно обновить. Обновление записывает в файл, а в режиме только для чтения это невозможно. Скопируйте его в папку, где у вас есть право записи, и откройте копию. Ничего не изменено.</translation>
    </message>
    <message>
        <location filename="../../app/ui/messages.py" line="80"/>
        <source>“{path}” still holds data that was erased at a person&apos;s request (it is an older copy of the database). It cannot be opened read-only, because the erasure cannot be applied again without writing. Copy it to a folder you can write to and open the copy: the erasure is then applied again. Nothing was changed.</source>
        <translation>Файл «{path}» всё ещё содержит данные, удалённые по просьбе человека (это более старая копия базы данных). Его нельзя открыть только для чтения: чтобы удалить эти данные снова, нужна запись. Скопируйте его в папку, где у вас есть право записи, и откройте копию: данные будут удалены снова. Ничего не изменено.</translation>
    </message>
    <message>
        <location filename="../../app/ui/messages.py" line="81"/>
        <source>“{path}” already exists; choose another name. Nothing was replaced.</source>
        <translation>Файл «{path}» уже существует; выберите другое имя. Ничего не заменено.</translation>
    </message>
    <message>
        <location filename="../../app/ui/messages.py" line="82"/>
        <source>The database could not be copied to “{path}”: {detail}. Nothing was changed.</source>
        <translation>Не удалось скопировать базу данных в «{path}»: {detail}. Ничего не изменено.</translation>
    </message>
    <message>
        <location filename="../../app/ui/messages.py" line="83"/>
        <source>The database “{path}” does not exist.</source>
        <translation>База данных «{path}» не существует.</translation>
    </message>
    <message>
        <location filename="../../app/ui/messages.py" line="84"/>
        <source>The database is busy in another program; your change was not saved. Please try again in a moment.</source>
        <translation>База данных занята другой программой; изменение не сохранено. Повторите попытку чуть позже.</translation>
    </message>
    <message>
        <location filename="../../app/ui/messages.py" line="86"/>
        <source>The database cannot be written (read-only). Your change was not saved.</source>
        <translation>База данных недоступна для записи (только чтение). Изменение не сохранено.</translation>
    </message>
    <message>
        <location filename="../../app/ui/messages.py" line="88"/>
        <source>The disk is full; your change was not saved. Free some space and try again.</source>
        <translation>Диск заполнен; изменение не сохранено. Освободите место и повторите попытку.</translation>
    </message>
    <message>
        <location filename="../../app/ui/messages.py" line="90"/>
        <source>Please enter the person&apos;s name.</source>
        <translation>Введите имя сотрудника.</translation>
    </message>
    <message>
        <location filename="../../app/ui/messages.py" line="91"/>
        <source>At least one active owner must remain, so that somebody may approve compensation.</source>
        <translation>Должен остаться хотя бы один активный владелец, чтобы было кому одобрять компенсации.</translation>
    </message>
    <message>
        <location filename="../../app/ui/messages.py" line="92"/>
        <source>This person no longer exists.</source>
        <translation>Этого сотрудника больше нет в базе.</translation>
    </message>
    <message>
        <location filename="../../app/ui/messages.py" line="93"/>
        <source>Choose who is handling the complaint (at the top of the window).</source>
        <translation>Выберите, кто ведёт жалобу (вверху окна).</translation>
    </message>
    <message>
        <location filename="../../app/ui/messages.py" line="94"/>
        <source>This complaint no longer exists.</source>
        <translation>Этой жалобы больше нет.</translation>
    </message>
    <message>
        <location filename="../../app/ui/messages.py" line="95"/>
        <source>This complaint is closed; only its review and lesson can still be changed.</source>
        <translation>Эта жалоба закрыта; изменить можно только разбор и выводы.</translation>
    </message>
    <message>
        <location filename="../../app/ui/messages.py" line="96"/>
        <source>Someone else saved this complaint since you opened it. Close it and open it again to see their changes.</source>
        <translation>Кто-то другой сохранил эту жалобу после того, как вы её открыли. Закройте её и откройте снова, чтобы увидеть изменения.</translation>
    </message>
    <message>
        <location filename="../../app/ui/messages.py" line="97"/>
        <source>Write the apology as it was given.</source>
        <translation>Запишите извинение так, как оно было принесено.</translation>
    </message>
    <message>
        <location filename="../../app/ui/messages.py" line="98"/>
        <source>Write what the client asked for.</source>
        <translation>Запишите, о чём попросил клиент.</translation>
    </message>
    <message>
        <location filename="../../app/ui/messages.py" line="99"/>
        <source>The rating is from 1 to 5.</source>
        <translation>Оценка должна быть от 1 до 5.</translation>
    </message>
    <message>
        <location filename="../../app/ui/messages.py" line="100"/>
        <source>The refund ({value}) is more than the client paid in the period ({paid}).</source>
        <translation>Возврат ({value}) больше, чем клиент заплатил за этот период ({paid}).</translation>
    </message>
    <message>
        <location filename="../../app/ui/messages.py" line="101"/>
        <source>Choose at least one day the business is open.</source>
        <translation>Выберите хотя бы один день, когда компания работает.</translation>
    </message>
    <message>
        <location filename="../../app/ui/messages.py" line="102"/>
        <source>This is more than your role may grant ({limit}). Choose the owner who approved it.</source>
        <translation>Это больше, чем разрешено вашей роли ({limit}). Выберите владельца, который это одобрил.</translation>
    </message>
    <message>
        <location filename="../../app/ui/messages.py" line="103"/>
        <source>Say why this client is always in this group.</source>
        <translation>Укажите, почему этот клиент всегда в этой группе.</translation>
    </message>
    <message>
        <location filename="../../app/ui/messages.py" line="104"/>
        <source>Choose why the client moved.</source>
        <translation>Выберите, почему клиент сменил группу.</translation>
    </message>
    <message>
        <location filename="../../app/ui/messages.py" line="105"/>
        <source>Describe the other reason in a few words.</source>
        <translation>Опишите другую причину в нескольких словах.</translation>
    </message>
    <message>
        <location filename="../../app/ui/messages.py" line="106"/>
        <source>The backup “{path}” could not be written: {detail}. Nothing in the database was changed.</source>
        <translation>Не удалось записать резервную копию «{path}»: {detail}. В базе данных ничего не изменено.</translation>
    </message>
    <message>
        <location filename="../../app/ui/messages.py" line="107"/>
        <source>The backup “{path}” cannot be restored: {detail}. The database was not changed.</source>
        <translation>Невозможно восстановить резервную копию «{path}»: {detail}. База данных не изменена.</translation>
    </message>
    <message>
        <location filename="../../app/ui/messages.py" line="108"/>
        <source>The backup could not be put in place: {detail}. The data you had is in the backup made just before.</source>
        <translation>Не удалось поставить резервную копию на место базы данных: {detail}. Прежние данные сохранены в резервной копии, созданной непосредственно перед этим.</translation>
    </message>
    <message>
        <location filename="../../app/ui/messages.py" line="109"/>
        <source>“{path}” is not one of this database&apos;s backups.</source>
        <translation>«{path}» не является резервной копией этой базы данных.</translation>
    </message>
    <message>
        <location filename="../../app/ui/messages.py" line="110"/>
        <source>The backup “{path}” could not be deleted: {detail}</source>
        <translation>Не удалось удалить резервную копию «{path}»: {detail}</translation>
    </message>
    <message>
        <location filename="../../app/ui/messages.py" line="111"/>
        <source>Backups cannot be kept in “{path}”: {detail}. The backups stay where they were.</source>
        <translation>Хранить резервные копии в «{path}» нельзя: {detail}. Копии остаются там, где были.</translation>
    </message>
    <message>
        <location filename="../../app/ui/messages.py" line="112"/>
        <source>The file “{path}” does not exist.</source>
        <translation>Файл «{path}» не существует.</translation>
    </message>
    <message>
        <location filename="../../app/ui/messages.py" line="113"/>
        <source>The file “{path}” cannot be read. Check that it is a file and that it is not open in another program.</source>
        <translation>Не удаётся прочитать файл «{path}». Проверьте, что это файл и что он не открыт в другой программе.</translation>
    </message>
    <message>
        <location filename="../../app/ui/messages.py" line="114"/>
        <source>ClientCare may not read the file “{path}”. Check the file&apos;s permissions.</source>
        <translation>У ClientCare нет прав на чтение файла «{path}». Проверьте права доступа к файлу.</translation>
    </message>
    <message>
        <location filename="../../app/ui/messages.py" line="116"/>
        <source>Row {row}: the file has more than {maximum} rows; split it into smaller files.</source>
        <translation>Строка {row}: в файле больше {maximum} строк; разделите его на файлы поменьше.</translation>
    </message>
    <message>
        <location filename="../../app/ui/messages.py" line="117"/>
        <source>Row {row} has more than {maximum} columns. Is this the right file?</source>
        <translation>Строка {row} содержит больше {maximum} столбцов. Это правильный файл?</translation>
    </message>
    <message>
        <location filename="../../app/ui/messages.py" line="118"/>
        <source>Row {row}: the file has more than {maximum} filled cells; split it into smaller files.</source>
        <translation>Строка {row}: в файле больше {maximum} заполненных ячеек; разделите его на файлы поменьше.</translation>
    </message>
    <message>
        <location filename="../../app/ui/messages.py" line="119"/>
        <source>Row {row} has a cell longer than {maximum} characters. Is this the right file?</source>
        <translation>В строке {row} есть ячейка длиннее {maximum} символов. Это правильный файл?</translation>
    </message>
    <message>
        <location filename="../../app/ui/messages.py" line="120"/>
        <source>Row {row} is a line longer than {maximum} characters. Is this the right file?</source>
        <translation>Строка {row} длиннее {maximum} символов. Это правильный файл?</translation>
    </message>
    <message>
        <location filename="../../app/ui/messages.py" line="121"/>
        <source>Row {row} is not a row of a table (it holds a character no table has). Save the file again as CSV or as an Excel workbook.</source>
        <translation>Строка {row} не является строкой таблицы (в ней есть символ, которого не бывает в таблицах). Сохраните файл заново как CSV или как книгу Excel.</translation>
    </message>
    <message>
        <location filename="../../app/ui/messages.py" line="122"/>
        <source>Row {row} has characters that are not in the encoding {encoding}. Choose the file&apos;s encoding.</source>
        <translation>В строке {row} есть символы, которых нет в кодировке {encoding}. Выберите кодировку файла.</translation>
    </message>
    <message>
        <location filename="../../app/ui/messages.py" line="123"/>
        <source>ClientCare does not know this encoding.</source>
        <translation>ClientCare не знает этой кодировки.</translation>
    </message>
    <message>
        <location filename="../../app/ui/messages.py" line="124"/>
        <source>Row {row} of the file is empty or not there; choose the row with the headings.</source>
        <translation>Строка {row} файла пуста или её нет; выберите строку с заголовками.</translation>
    </message>
    <message>
        <location filename="../../app/ui/messages.py" line="125"/>
        <source>The file “{path}” is not an Excel workbook (XLSX) or is damaged. Open it in Excel or LibreOffice and save it again.</source>
        <translation>Файл «{path}» не является книгой Excel (XLSX) или повреждён. Откройте его в Excel или LibreOffice и сохраните заново.</translation>
    </message>
    <message>
        <location filename="../../app/ui/messages.py" line="126"/>
        <source>The workbook “{path}” has no sheet.</source>
        <translation>В книге «{path}» нет ни одного листа.</translation>
    </message>
    <message>
        <location filename="../../app/ui/messages.py" line="127"/>
        <source>Row {row} of the workbook “{path}” is damaged. Open it in Excel or LibreOffice and save it again.</source>
        <translation>Строка {row} книги «{path}» повреждена. Откройте её в Excel или LibreOffice и сохраните заново.</translation>
    </message>
    <message>
        <location filename="../../app/ui/messages.py" line="128"/>
        <source>The workbook “{path}” unpacks to more than {maximum} MB; split it into smaller files.</source>
        <translation>Книга «{path}» в распакованном виде занимает больше {maximum} МБ; разделите её на файлы поменьше.</translation>
    </message>
    <message>
        <location filename="../../app/ui/messages.py" line="129"/>
        <source>Line {row} of the contacts file is not text in the character set “{charset}” it names. Export the contacts again.</source>
        <translation>Строка {row} файла контактов — не текст в указанной в ней кодировке «{charset}». Экспортируйте контакты заново.</translation>
    </message>
    <message>
        <location filename="../../app/ui/messages.py" line="130"/>
        <source>Choose the column of the client&apos;s card number, phone or e-mail, so each purchase finds its client. The file has the columns: {columns}.</source>
        <translation>Выберите столбец с номером карты, телефоном или e-mail клиента, чтобы каждая покупка нашла своего клиента. Столбцы в файле: {columns}.</translation>
    </message>
    <message>
        <location filename="../../app/ui/messages.py" line="131"/>
        <source>The column “{column}” holds the clients&apos; card numbers: import it as the card number.</source>
        <translation>В столбце «{column}» номера карт клиентов: импортируйте его как номер карты.</translation>
    </message>
    <message>
        <location filename="../../app/ui/messages.py" line="132"/>
        <source>Row {row} could not be saved; nothing was imported. Fix the row in the file and import it again.</source>
        <translation>Не удалось сохранить строку {row}; ничего не импортировано. Исправьте строку в файле и импортируйте его снова.</translation>
    </message>
    <message>
        <location filename="../../app/ui/messages.py" line="133"/>
        <source>Choose whether the file holds clients or purchases.</source>
        <translation>Выберите, что в файле: клиенты или покупки.</translation>
    </message>
    <message>
        <location filename="../../app/ui/messages.py" line="160"/>
        <source>The day&apos;s list could not be printed ({detail}). Check the printer and try again; nothing was changed.</source>
        <translation>Не удалось напечатать список на день ({detail}). Проверьте принтер и попробуйте ещё раз; ничего не изменено.</translation>
    </message>
    <message>
        <location filename="../../app/ui/messages.py" line="161"/>
        <source>The PDF “{path}” could not be written: {detail}. Choose another folder or file name; nothing was changed.</source>
        <translation>Не удалось записать PDF «{path}»: {detail}. Выберите другую папку или имя файла; ничего не изменено.</translation>
    </message>
    <message>
        <location filename="../../app/ui/messages.py" line="176"/>
        <source>The server name “{host}” is not known on this network. Check how it is written, or give the server&apos;s IP address (such as 192.168.1.10); nothing was changed.</source>
        <translation>Имя сервера «{host}» в этой сети неизвестно. Проверьте написание или укажите IP-адрес сервера (например, 192.168.1.10); ничего не изменено.</translation>
    </message>
    <message>
        <location filename="../../app/ui/messages.py" line="177"/>
        <source>The server {host} did not answer within {seconds} seconds. Check that this PC is on the office network and that no firewall closes port {port}; nothing was changed.</source>
        <translation>Сервер {host} не ответил за {seconds} с. Проверьте, что этот компьютер в сети офиса и что брандмауэр не закрывает порт {port}; ничего не изменено.</translation>
    </message>
    <message>
        <location filename="../../app/ui/messages.py" line="178"/>
        <source>The server does not let the user “{user}” work in the database “{database}”. Whoever set up the server can give the user the rights (see the README); nothing was changed. ({detail})</source>
        <translation>Сервер не даёт пользователю «{user}» работать в базе данных «{database}». Тот, кто настраивал сервер, может выдать ему права (см. README); ничего не изменено. ({detail})</translation>
    </message>
    <message>
        <location filename="../../app/ui/messages.py" line="179"/>
        <source>The user “{user}” may not create tables in the database “{database}”, so ClientCare cannot set it up or update it. Make the user the database&apos;s owner on the server (see the README); nothing was changed.</source>
        <translation>Пользователь «{user}» не может создавать таблицы в базе данных «{database}», поэтому ClientCare не может её подготовить или обновить. Сделайте этого пользователя владельцем базы на сервере (см. README); ничего не изменено.</translation>
    </message>
    <message>
        <location filename="../../app/ui/messages.py" line="180"/>
        <source>This PC&apos;s choice of the office server cannot be read from “{path}” ({detail}). Choose the server again in Settings → Office server.</source>
        <translation>Не удаётся прочитать выбор офисного сервера этого компьютера из «{path}» ({detail}). Выберите сервер заново в Настройки → Офисный сервер.</translation>
    </message>
    <message>
        <location filename="../../app/ui/messages.py" line="181"/>
        <source>This PC&apos;s choice of the office server cannot be saved in “{path}”: {detail}. Nothing was changed.</source>
        <translation>Не удаётся сохранить выбор офисного сервера этого компьютера в «{path}»: {detail}. Ничего не изменено.</translation>
    </message>
    <message>
        <location filename="../../app/ui/messages.py" line="182"/>
        <source>Give the server&apos;s name or IP address.</source>
        <translation>Укажите имя или IP-адрес сервера.</translation>
    </message>
    <message>
        <location filename="../../app/ui/messages.py" line="183"/>
        <source>“{value}” is not a server&apos;s name: write only the name or the IP address, such as 192.168.1.10.</source>
        <translation>«{value}» — не имя сервера: укажите только имя или IP-адрес, например 192.168.1.10.</translation>
    </message>
    <message>
        <location filename="../../app/ui/messages.py" line="184"/>
        <source>Give the name of the database on the server.</source>
        <translation>Укажите имя базы данных на сервере.</translation>
    </message>
    <message>
        <location filename="../../app/ui/messages.py" line="185"/>
        <source>Give the user name for the server.</source>
        <translation>Укажите имя пользователя сервера.</translation>
    </message>
    <message>
        <location filename="../../app/ui/messages.py" line="188"/>
        <source>A brace is not closed. Write a placeholder as {example}; a brace meant as text is written twice: {open} or {close}.</source>
        <translation>Фигурная скобка не закрыта. Подстановку пишите как {example}; скобку как обычный текст пишите дважды: {open} или {close}.</translation>
    </message>
    <message>
        <location filename="../../app/ui/messages.py" line="189"/>
        <source>{placeholder} is not a placeholder ClientCare knows. Use one of: {known}.</source>
        <translation>{placeholder} — не подстановка, известная ClientCare. Используйте одну из: {known}.</translation>
    </message>
    <message>
        <location filename="../../app/ui/messages.py" line="190"/>
        <source>ClientCare has no such template, so nothing was saved.</source>
        <translation>В ClientCare нет такого шаблона, поэтому ничего не сохранено.</translation>
    </message>
    <message>
        <location filename="../../app/ui/messages.py" line="191"/>
        <source>An e-mail needs a subject.</source>
        <translation>У письма должна быть тема.</translation>
    </message>
    <message>
        <location filename="../../app/ui/messages.py" line="192"/>
        <source>The subject is one line of at most {maximum} characters.</source>
        <translation>Тема — одна строка не длиннее {maximum} символов.</translation>
    </message>
    <message>
        <location filename="../../app/ui/messages.py" line="193"/>
        <source>Write the text of the message.</source>
        <translation>Напишите текст сообщения.</translation>
    </message>
    <message>
        <location filename="../../app/ui/messages.py" line="194"/>
        <source>This client has nothing for {placeholders}, so the message would go out with a gap. Choose another message or write the text yourself.</source>
        <translation>У этого клиента нет данных для {placeholders}, и в сообщении остался бы пропуск. Выберите другое сообщение или напишите текст сами.</translation>
    </message>
    <message>
        <location filename="../../app/ui/messages.py" line="195"/>
        <source>A message goes by e-mail or SMS.</source>
        <translation>Сообщение отправляется по эл. почте или SMS.</translation>
    </message>
    <message>
        <location filename="../../app/ui/messages.py" line="196"/>
        <source>{name} asked not to be contacted: no message is sent.</source>
        <translation>{name} просит не связываться: сообщение не отправляется.</translation>
    </message>
    <message>
        <location filename="../../app/ui/messages.py" line="197"/>
        <source>{name} has not given marketing consent, so this greeting or offer may not be sent. Record the consent on the card first.</source>
        <translation>{name} не давал(а) согласия на маркетинг, поэтому это поздравление или предложение отправлять нельзя. Сначала запишите согласие в карточке.</translation>
    </message>
    <message>
        <location filename="../../app/ui/messages.py" line="198"/>
        <source>{name} has no e-mail address on the card.</source>
        <translation>У {name} в карточке нет адреса эл. почты.</translation>
    </message>
    <message>
        <location filename="../../app/ui/messages.py" line="199"/>
        <source>{name} has no phone number on the card.</source>
        <translation>У {name} в карточке нет номера телефона.</translation>
    </message>
    <message>
        <location filename="../../app/ui/messages.py" line="200"/>
        <source>{name} was contacted {count} times in the last {days} days, the most the rules allow; a message counts as a contact.</source>
        <translation>С {name} связывались {count} раз за последние {days} дней — столько, сколько позволяют правила; сообщение считается контактом.</translation>
    </message>
    <message>
        <location filename="../../app/ui/messages.py" line="201"/>
        <source>{name} takes contacts from {start} to {end}; now is outside those hours.</source>
        <translation>{name} принимает контакты с {start} до {end}; сейчас вне этих часов.</translation>
    </message>
    <message>
        <location filename="../../app/ui/messages.py" line="202"/>
        <source>The message is empty.</source>
        <translation>Сообщение пустое.</translation>
    </message>
    <message>
        <location filename="../../app/ui/messages.py" line="203"/>
        <source>This message no longer exists.</source>
        <translation>Этого сообщения больше нет.</translation>
    </message>
    <message>
        <location filename="../../app/ui/messages.py" line="204"/>
        <source>This message was not left unsent, so there is nothing to send again.</source>
        <translation>Это сообщение не осталось неотправленным, повторно отправлять нечего.</translation>
    </message>
    <message>
        <location filename="../../app/ui/messages.py" line="205"/>
        <source>The message could not be sent; it is kept to send again. ({detail})</source>
        <translation>Сообщение не удалось отправить; оно сохранено для повторной отправки. ({detail})</translation>
    </message>
    <message>
        <location filename="../../app/ui/messages.py" line="206"/>
        <source>The system keyring cannot be used, so the password or token was not kept. ({detail})</source>
        <translation>Системное хранилище паролей недоступно, поэтому пароль или токен не сохранён. ({detail})</translation>
    </message>
    <message>
        <location filename="../../app/ui/messages.py" line="207"/>
        <source>The mail server is not set up yet: Settings → Messages → E-mail.</source>
        <translation>Почтовый сервер ещё не настроен: Настройки → Сообщения → Эл. почта.</translation>
    </message>
    <message>
        <location filename="../../app/ui/messages.py" line="208"/>
        <source>The mail server refused the user “{user}” or the password. Check them (Gmail needs an app password).</source>
        <translation>Почтовый сервер отклонил пользователя «{user}» или пароль. Проверьте их (для Gmail нужен пароль приложения).</translation>
    </message>
    <message>
        <location filename="../../app/ui/messages.py" line="209"/>
        <source>No mail server answers at {host}, port {port}. Check the server&apos;s name, the port and the network.</source>
        <translation>По адресу {host}, порт {port}, почтовый сервер не отвечает. Проверьте имя сервера, порт и сеть.</translation>
    </message>
    <message>
        <location filename="../../app/ui/messages.py" line="210"/>
        <source>The mail server {host} did not answer within {seconds} seconds.</source>
        <translation>Почтовый сервер {host} не ответил за {seconds} с.</translation>
    </message>
    <message>
        <location filename="../../app/ui/messages.py" line="211"/>
        <source>The secure connection to {host} failed. Check the connection type (STARTTLS or TLS) and the port. ({detail})</source>
        <translation>Защищённое соединение с {host} не удалось. Проверьте тип соединения (STARTTLS или TLS) и порт. ({detail})</translation>
    </message>
    <message>
        <location filename="../../app/ui/messages.py" line="212"/>
        <source>The mail server refused the address {address}. ({detail})</source>
        <translation>Почтовый сервер отклонил адрес {address}. ({detail})</translation>
    </message>
    <message>
        <location filename="../../app/ui/messages.py" line="213"/>
        <source>The mail server did not take the message. ({detail})</source>
        <translation>Почтовый сервер не принял сообщение. ({detail})</translation>
    </message>
    <message>
        <location filename="../../app/ui/messages.py" line="214"/>
        <source>Give the name of the mail server.</source>
        <translation>Укажите имя почтового сервера.</translation>
    </message>
    <message>
        <location filename="../../app/ui/messages.py" line="215"/>
        <source>A port is a number from 1 to 65535.</source>
        <translation>Порт — это число от 1 до 65535.</translation>
    </message>
    <message>
        <location filename="../../app/ui/messages.py" line="216"/>
        <source>Choose the kind of connection.</source>
        <translation>Выберите тип соединения.</translation>
    </message>
    <message>
        <location filename="../../app/ui/messages.py" line="217"/>
        <source>The SMS gateway is not set up yet (or has no token): Settings → Messages → SMS.</source>
        <translation>SMS-шлюз ещё не настроен (или нет токена): Настройки → Сообщения → SMS.</translation>
    </message>
    <message>
        <location filename="../../app/ui/messages.py" line="218"/>
        <source>The SMS gateway refused the token. Make a new one in the gateway&apos;s panel and save it in Settings.</source>
        <translation>SMS-шлюз отклонил токен. Создайте новый в панели шлюза и сохраните его в Настройках.</translation>
    </message>
    <message>
        <location filename="../../app/ui/messages.py" line="219"/>
        <source>The SMS gateway asks to wait {retry_after} seconds before more messages.</source>
        <translation>SMS-шлюз просит подождать {retry_after} с перед следующими сообщениями.</translation>
    </message>
    <message>
        <location filename="../../app/ui/messages.py" line="220"/>
        <source>The SMS gateway asks to wait before more messages. Try again in a minute.</source>
        <translation>SMS-шлюз просит подождать перед следующими сообщениями. Попробуйте через минуту.</translation>
    </message>
    <message>
        <location filename="../../app/ui/messages.py" line="221"/>
        <source>The SMS gateway cannot be reached. Check the network. ({detail})</source>
        <translation>SMS-шлюз недоступен. Проверьте сеть. ({detail})</translation>
    </message>
    <message>
        <location filename="../../app/ui/messages.py" line="222"/>
        <source>The SMS gateway refused the message. ({detail})</source>
        <translation>SMS-шлюз отклонил сообщение. ({detail})</translation>
    </message>
    <message>
        <location filename="../../app/ui/messages.py" line="223"/>
        <source>Choose an SMS gateway.</source>
        <translation>Выберите SMS-шлюз.</translation>
    </message>
    <message>
        <location filename="../../app/ui/messages.py" line="224"/>
        <source>The gateway&apos;s address starts with https://.</source>
        <translation>Адрес шлюза начинается с https://.</translation>
    </message>
    <message>
        <location filename="../../app/ui/messages.py" line="225"/>
        <source>Give the Account SID from the Twilio console.</source>
        <translation>Укажите SID аккаунта из консоли Twilio.</translation>
    </message>
    <message>
        <location filename="../../app/ui/messages.py" line="226"/>
        <source>Give the number the messages are sent from.</source>
        <translation>Укажите номер, с которого отправляются сообщения.</translation>
    </message>
    <message>
        <location filename="../../app/ui/messages.py" line="229"/>
        <source>Wrong password. Tries left before signing in waits a while: {left}.</source>
        <translation>Неверный пароль. Осталось попыток до паузы во входе: {left}.</translation>
    </message>
    <message>
        <location filename="../../app/ui/messages.py" line="240"/>
        <source>This copy of ClientCare has no address to look for updates at. Ask whoever gave you ClientCare where new versions are published.</source>
        <translation>У этой копии ClientCare нет адреса, по которому можно искать обновления. Спросите того, кто дал вам ClientCare, где публикуются новые версии.</translation>
    </message>
    <message>
        <location filename="../../app/ui/messages.py" line="241"/>
        <source>“{url}” is not a web address, so ClientCare cannot look for updates there.</source>
        <translation>«{url}» — не веб-адрес, поэтому ClientCare не может искать там обновления.</translation>
    </message>
    <message>
        <location filename="../../app/ui/messages.py" line="242"/>
        <source>ClientCare could not reach {url} to look for updates ({detail}). Check the internet connection and try again later; nothing was changed.</source>
        <translation>ClientCare не удалось связаться с {url}, чтобы проверить обновления ({detail}). Проверьте подключение к интернету и повторите попытку позже; ничего не изменено.</translation>
    </message>
    <message>
        <location filename="../../app/ui/messages.py" line="243"/>
        <source>The answer from {url} is not a list of ClientCare releases ({detail}), so ClientCare cannot tell whether there is a newer version.</source>
        <translation>Ответ от {url} — не список выпусков ClientCare ({detail}), поэтому ClientCare не может определить, есть ли более новая версия.</translation>
    </message>
    <message>
        <location filename="../../app/ui/messages.py" line="260"/>
        <source>changing clients</source>
        <translation>изменение данных клиентов</translation>
    </message>
    <message>
        <location filename="../../app/ui/messages.py" line="261"/>
        <source>logging calls</source>
        <translation>запись звонков</translation>
    </message>
    <message>
        <location filename="../../app/ui/messages.py" line="262"/>
        <source>working on complaints</source>
        <translation>работа с жалобами</translation>
    </message>
    <message>
        <location filename="../../app/ui/messages.py" line="263"/>
        <source>the charts</source>
        <translation>графики</translation>
    </message>
    <message>
        <location filename="../../app/ui/messages.py" line="264"/>
        <source>the quarterly A/B/C review</source>
        <translation>квартальный пересмотр A/B/C</translation>
    </message>
    <message>
        <location filename="../../app/ui/messages.py" line="265"/>
        <source>exporting</source>
        <translation>экспорт</translation>
    </message>
    <message>
        <location filename="../../app/ui/messages.py" line="266"/>
        <source>importing</source>
        <translation>импорт</translation>
    </message>
    <message>
        <location filename="../../app/ui/messages.py" line="267"/>
        <source>changing the settings</source>
        <translation>изменение настроек</translation>
    </message>
    <message>
        <location filename="../../app/ui/messages.py" line="268"/>
        <source>managing the staff</source>
        <translation>управление сотрудниками</translation>
    </message>
    <message>
        <location filename="../../app/ui/messages.py" line="269"/>
        <source>restoring and managing backups</source>
        <translation>восстановление резервных копий и управление ими</translation>
    </message>
    <message>
        <location filename="../../app/ui/messages.py" line="270"/>
        <source>erasing a client&apos;s data</source>
        <translation>стирание данных клиента</translation>
    </message>
    <message>
        <location filename="../../app/ui/messages.py" line="278"/>
        <source>name</source>
        <translation>имя</translation>
    </message>
    <message>
        <location filename="../../app/ui/messages.py" line="279"/>
        <source>person or company</source>
        <translation>человек или компания</translation>
    </message>
    <message>
        <location filename="../../app/ui/messages.py" line="280"/>
        <source>card number</source>
        <translation>номер карты</translation>
    </message>
    <message>
        <location filename="../../app/ui/messages.py" line="281"/>
        <source>phone</source>
        <translation>телефон</translation>
    </message>
    <message>
        <location filename="../../app/ui/messages.py" line="282"/>
        <source>e-mail</source>
        <translation>эл. почта</translation>
    </message>
    <message>
        <location filename="../../app/ui/messages.py" line="283"/>
        <source>preferred channel</source>
        <translation>предпочитаемый канал</translation>
    </message>
    <message>
        <location filename="../../app/ui/messages.py" line="284"/>
        <source>best hours</source>
        <translation>удобные часы</translation>
    </message>
    <message>
        <location filename="../../app/ui/messages.py" line="285"/>
        <source>do not contact</source>
        <translation>не связываться</translation>
    </message>
    <message>
        <location filename="../../app/ui/messages.py" line="286"/>
        <source>marketing consent</source>
        <translation>согласие на рассылки</translation>
    </message>
    <message>
        <location filename="../../app/ui/messages.py" line="287"/>
        <source>source</source>
        <translation>источник</translation>
    </message>
    <message>
        <location filename="../../app/ui/messages.py" line="288"/>
        <source>referred by</source>
        <translation>по рекомендации</translation>
    </message>
    <message>
        <location filename="../../app/ui/messages.py" line="289"/>
        <source>group</source>
        <translation>группа</translation>
    </message>
    <message>
        <location filename="../../app/ui/messages.py" line="290"/>
        <source>preferences</source>
        <translation>предпочтения</translation>
    </message>
    <message>
        <location filename="../../app/ui/messages.py" line="291"/>
        <source>notes</source>
        <translation>заметки</translation>
    </message>
    <message>
        <location filename="../../app/ui/messages.py" line="292"/>
        <source>tags</source>
        <translation>метки</translation>
    </message>
    <message>
        <location filename="../../app/ui/messages.py" line="293"/>
        <source>family</source>
        <translation>семья</translation>
    </message>
    <message>
        <location filename="../../app/ui/messages.py" line="294"/>
        <source>personal dates</source>
        <translation>личные даты</translation>
    </message>
    <message>
        <location filename="../../app/ui/messages.py" line="295"/>
        <source>purchases</source>
        <translation>покупки</translation>
    </message>
    <message>
        <location filename="../../app/ui/messages.py" line="296"/>
        <source>memberships</source>
        <translation>абонементы</translation>
    </message>
    <message>
        <location filename="../../app/ui/messages.py" line="307"/>
        <source>They changed: {parts}.</source>
        <translation>Изменено: {parts}.</translation>
    </message>
    <message>
        <location filename="../../app/ui/messages.py" line="310"/>
        <source>Saved by {by}, {at}.</source>
        <translation>Сохранил(а): {by}, {at}.</translation>
    </message>
    <message>
        <location filename="../../app/ui/messages.py" line="115"/>
        <source>The file “{path}” has no rows to import.</source>
        <translation>В файле «{path}» нет строк для импорта.</translation>
    </message>
    <message>
        <location filename="../../app/ui/messages.py" line="55"/>
        <source>“{name}” was changed elsewhere since you opened it, so your changes were not saved: nothing was overwritten. Close the card and open it again to see the changes, then make yours again.</source>
        <translation>Клиент «{name}» был изменён в другом месте, после того как вы открыли карточку, поэтому ваши изменения не сохранены: ничего не перезаписано. Закройте карточку и откройте её снова, чтобы увидеть изменения, затем внесите свои ещё раз.</translation>
    </message>
    <message>
        <location filename="../../app/ui/messages.py" line="134"/>
        <source>Give the client&apos;s card number, phone or e-mail, so the purchase finds its client.</source>
        <translation>Укажите номер карты, телефон или e-mail клиента, чтобы покупка нашла своего клиента.</translation>
    </message>
    <message>
        <location filename="../../app/ui/messages.py" line="135"/>
        <source>Imported; “{value}” is not a valid phone number of {region}, so it is kept as it is and marked “check this number”.</source>
        <translation>Импортировано; «{value}» — не действительный номер телефона страны {region}, поэтому он сохранён как есть и отмечен «проверьте этот номер».</translation>
    </message>
    <message>
        <location filename="../../app/ui/messages.py" line="136"/>
        <source>Choose a file ending in .csv or .xlsx.</source>
        <translation>Выберите файл с расширением .csv или .xlsx.</translation>
    </message>
    <message>
        <location filename="../../app/ui/messages.py" line="137"/>
        <source>A client whose personal data was erased cannot be merged.</source>
        <translation>Клиента, чьи персональные данные удалены, нельзя объединить.</translation>
    </message>
    <message>
        <location filename="../../app/ui/messages.py" line="138"/>
        <source>The personal data was erased, but the database file could not be compacted: {detail}. It is compacted again after the next erase.</source>
        <translation>Персональные данные удалены, но файл базы данных не удалось сжать: {detail}. Он будет сжат при следующем удалении.</translation>
    </message>
    <message>
        <location filename="../../app/ui/messages.py" line="139"/>
        <source>The backup “{path}” could not be cleaned: {detail}. Restoring it still erases the person again.</source>
        <translation>Не удалось очистить резервную копию «{path}»: {detail}. При её восстановлении человек всё равно будет удалён снова.</translation>
    </message>
    <message>
        <location filename="../../app/ui/messages.py" line="140"/>
        <source>Choose two different clients to merge.</source>
        <translation>Выберите двух разных клиентов для объединения.</translation>
    </message>
    <message>
        <location filename="../../app/ui/messages.py" line="141"/>
        <source>Give the meeting&apos;s date and time.</source>
        <translation>Укажите дату и время встречи.</translation>
    </message>
    <message>
        <location filename="../../app/ui/messages.py" line="142"/>
        <source>Give the day to call back.</source>
        <translation>Укажите день, когда перезвонить.</translation>
    </message>
    <message>
        <location filename="../../app/ui/messages.py" line="143"/>
        <source>The call-back day must be after the day of the call.</source>
        <translation>День повторного звонка должен быть позже дня звонка.</translation>
    </message>
    <message>
        <location filename="../../app/ui/messages.py" line="144"/>
        <source>Give the reason the client declined.</source>
        <translation>Укажите причину отказа клиента.</translation>
    </message>
    <message>
        <location filename="../../app/ui/messages.py" line="145"/>
        <source>The duration must be between 0 and 24 hours.</source>
        <translation>Продолжительность должна быть от 0 до 24 часов.</translation>
    </message>
    <message>
        <location filename="../../app/ui/messages.py" line="146"/>
        <source>This call is no longer in the log.</source>
        <translation>Этого звонка больше нет в журнале.</translation>
    </message>
    <message>
        <location filename="../../app/ui/messages.py" line="147"/>
        <source>This call was logged before ClientCare kept what a call changes, so its outcome cannot be changed or undone; its tone and note can.</source>
        <translation>Этот звонок записан до того, как ClientCare стал сохранять, что меняет звонок, поэтому его итог нельзя изменить или отменить; тон и заметку — можно.</translation>
    </message>
    <message>
        <location filename="../../app/ui/messages.py" line="148"/>
        <source>A later call was logged on the same tasks: correct or undo that call first.</source>
        <translation>По тем же задачам записан более поздний звонок: сначала исправьте или отмените его.</translation>
    </message>
    <message>
        <location filename="../../app/ui/messages.py" line="149"/>
        <source>The complaint this call opened has been worked on since; the call stays as it is. Handle the complaint in its own window.</source>
        <translation>С жалобой, открытой этим звонком, уже работали; звонок остаётся как есть. Занимайтесь жалобой в её окне.</translation>
    </message>
    <message>
        <location filename="../../app/ui/messages.py" line="150"/>
        <source>This task no longer exists.</source>
        <translation>Этой задачи больше нет.</translation>
    </message>
    <message>
        <location filename="../../app/ui/messages.py" line="151"/>
        <source>This task is already done or cancelled.</source>
        <translation>Эта задача уже выполнена или отменена.</translation>
    </message>
    <message>
        <location filename="../../app/ui/messages.py" line="152"/>
        <source>This is an internal to-do, not a call: it is done by doing it, and no call is logged on it.</source>
        <translation>Это внутреннее дело, а не звонок: его просто выполняют, звонок по нему не записывается.</translation>
    </message>
    <message>
        <location filename="../../app/ui/messages.py" line="153"/>
        <source>This to-do is done by doing it (the review), not by ticking it off.</source>
        <translation>Это дело выполняется самим разбором, а не отметкой.</translation>
    </message>
    <message>
        <location filename="../../app/ui/messages.py" line="154"/>
        <source>The day cannot be in the past.</source>
        <translation>День не может быть в прошлом.</translation>
    </message>
    <message>
        <location filename="../../app/ui/messages.py" line="155"/>
        <source>{day} is not a working day (a closed day or a public holiday); the next working day is {next_day}.</source>
        <translation>{day} — не рабочий день (выходной или праздник); ближайший рабочий день — {next_day}.</translation>
    </message>
    <message>
        <location filename="../../app/ui/messages.py" line="156"/>
        <source>Say why the task is cancelled.</source>
        <translation>Укажите, почему задача отменена.</translation>
    </message>
    <message>
        <location filename="../../app/ui/messages.py" line="157"/>
        <source>This step of the checklist does not exist, so nothing was ticked. Close the complaint and open it again; what was saved before is kept.</source>
        <translation>Такого пункта контрольного списка нет, поэтому ничего не отмечено. Закройте жалобу и откройте её снова; всё, что было сохранено раньше, на месте.</translation>
    </message>
    <message>
        <location filename="../../app/ui/messages.py" line="158"/>
        <source>The review holds a question ClientCare does not know, so the review was not saved. Close the complaint and open it again; what was saved before is kept.</source>
        <translation>В разборе есть вопрос, которого ClientCare не знает, поэтому разбор не сохранён. Закройте жалобу и откройте её снова; всё, что было сохранено раньше, на месте.</translation>
    </message>
    <message>
        <location filename="../../app/ui/messages.py" line="159"/>
        <source>ClientCare cannot export this table, so no file was written. Choose one of the tables offered; your data is unchanged.</source>
        <translation>ClientCare не может экспортировать эту таблицу, поэтому файл не записан. Выберите одну из предложенных таблиц; ваши данные не изменились.</translation>
    </message>
    <message>
        <location filename="../../app/ui/messages.py" line="162"/>
        <source>The database reported an error; your change was not saved. ({detail})</source>
        <translation>База данных сообщила об ошибке; изменение не сохранено. ({detail})</translation>
    </message>
    <message>
        <location filename="../../app/ui/messages.py" line="164"/>
        <source>A file could not be read or written; nothing was changed. ({detail})</source>
        <translation>Не удалось прочитать или записать файл; ничего не изменено. ({detail})</translation>
    </message>
    <message>
        <location filename="../../app/ui/messages.py" line="165"/>
        <source>Something unexpected went wrong; nothing was changed. Details were written to the log.</source>
        <translation>Произошла непредвиденная ошибка; ничего не изменено. Подробности записаны в журнал.</translation>
    </message>
    <message>
        <location filename="../../app/ui/messages.py" line="166"/>
        <source>The horizon must be between {minimum} and {maximum} days.</source>
        <translation>Горизонт должен быть от {minimum} до {maximum} дней.</translation>
    </message>
    <message>
        <location filename="../../app/ui/messages.py" line="167"/>
        <source>The purchases known end on {last}, so the {days} days after {cut} (up to {end}) cannot be checked yet. Choose an earlier date.</source>
        <translation>Известные покупки заканчиваются {last}, поэтому {days} дней после {cut} (до {end}) пока нельзя проверить. Выберите более раннюю дату.</translation>
    </message>
    <message>
        <location filename="../../app/ui/messages.py" line="168"/>
        <source>No client had bought anything by {cut}, so there is nothing to check. Choose a later date.</source>
        <translation>К {cut} ни один клиент ничего не купил, поэтому проверять нечего. Выберите более позднюю дату.</translation>
    </message>
    <message>
        <location filename="../../app/ui/messages.py" line="169"/>
        <source>“{url}” is not the address of a PostgreSQL database. Write it as postgresql+psycopg://user:password@server/database.</source>
        <translation>«{url}» — не адрес базы данных PostgreSQL. Запишите его так: postgresql+psycopg://пользователь:пароль@сервер/база.</translation>
    </message>
    <message>
        <location filename="../../app/ui/messages.py" line="170"/>
        <source>No database server answers at “{url}”. Check the server&apos;s name and port and that PostgreSQL runs there; nothing was changed.</source>
        <translation>Сервер базы данных по адресу «{url}» не отвечает. Проверьте имя сервера и порт и что на нём запущен PostgreSQL; ничего не изменено.</translation>
    </message>
    <message>
        <location filename="../../app/ui/messages.py" line="171"/>
        <source>The server refused the user name or password of “{url}”; nothing was changed.</source>
        <translation>Сервер не принял имя пользователя или пароль для «{url}»; ничего не изменено.</translation>
    </message>
    <message>
        <location filename="../../app/ui/messages.py" line="172"/>
        <source>The server has no database named in “{url}”. Create it first (createdb); nothing was changed.</source>
        <translation>На сервере нет базы данных, указанной в «{url}». Сначала создайте её (createdb); ничего не изменено.</translation>
    </message>
    <message>
        <location filename="../../app/ui/messages.py" line="173"/>
        <source>The database server reported an error; nothing was changed. ({detail})</source>
        <translation>Сервер базы данных сообщил об ошибке; ничего не изменено. ({detail})</translation>
    </message>
    <message>
        <location filename="../../app/ui/messages.py" line="174"/>
        <source>The database “{url}” holds the tables of another program. Nothing was changed in it.</source>
        <translation>В базе данных «{url}» таблицы другой программы. В ней ничего не изменено.</translation>
    </message>
    <message>
        <location filename="../../app/ui/messages.py" line="175"/>
        <source>The database “{url}” was written by a newer version of ClientCare. Nothing was changed in it.</source>
        <translation>База данных «{url}» записана более новой версией ClientCare. В ней ничего не изменено.</translation>
    </message>
    <message>
        <location filename="../../app/ui/messages.py" line="186"/>
        <source>The database “{url}” already holds data, so nothing was copied into it. Choose an empty database, or replace what it holds.</source>
        <translation>В базе данных «{url}» уже есть данные, поэтому в неё ничего не скопировано. Выберите пустую базу данных или замените её содержимое.</translation>
    </message>
    <message>
        <location filename="../../app/ui/messages.py" line="227"/>
        <source>The copy did not hold every row of the file ({tables}), so nothing was kept on the server.</source>
        <translation>В копии оказались не все строки файла ({tables}), поэтому на сервере ничего не сохранено.</translation>
    </message>
    <message>
        <location filename="../../app/ui/messages.py" line="228"/>
        <source>{name} is signed in as {role_name}: {action_name} is for {least_name}. Ask them, or sign in as them.</source>
        <translation>{name}: вход выполнен с ролью «{role_name}». Действие «{action_name}» доступно роли «{least_name}». Попросите такого сотрудника или войдите под его именем.</translation>
    </message>
    <message>
        <location filename="../../app/ui/messages.py" line="230"/>
        <source>Too many wrong passwords: try again in {seconds} s.</source>
        <translation>Слишком много неверных паролей: попробуйте снова через {seconds} с.</translation>
    </message>
    <message>
        <location filename="../../app/ui/messages.py" line="231"/>
        <source>{name} has no password yet: the owner gives one in Settings → Staff.</source>
        <translation>У {name} ещё нет пароля: его задаёт владелец в Настройки → Сотрудники.</translation>
    </message>
    <message>
        <location filename="../../app/ui/messages.py" line="232"/>
        <source>The owner has a password already: sign in as the owner.</source>
        <translation>У владельца уже есть пароль: войдите как владелец.</translation>
    </message>
    <message>
        <location filename="../../app/ui/messages.py" line="233"/>
        <source>Give the owner a password first (Settings → Staff), so somebody can always sign in.</source>
        <translation>Сначала задайте пароль владельцу (Настройки → Сотрудники), чтобы кто-то всегда мог войти.</translation>
    </message>
    <message>
        <location filename="../../app/ui/messages.py" line="234"/>
        <source>Use at least {minimum} characters.</source>
        <translation>Используйте не меньше {minimum} символов.</translation>
    </message>
    <message>
        <location filename="../../app/ui/messages.py" line="235"/>
        <source>The two passwords are not the same.</source>
        <translation>Пароли не совпадают.</translation>
    </message>
    <message>
        <location filename="../../app/ui/messages.py" line="236"/>
        <source>pg_dump is not installed on this PC, so no backup of the office server was made. Install PostgreSQL&apos;s client programs, or schedule pg_dump on the server (see the README).</source>
        <translation>На этом компьютере нет pg_dump, поэтому резервная копия офисного сервера не сделана. Установите клиентские программы PostgreSQL или запланируйте pg_dump на сервере (см. README).</translation>
    </message>
    <message>
        <location filename="../../app/ui/messages.py" line="237"/>
        <source>The folder for the server&apos;s backups “{path}” cannot be created: {detail}</source>
        <translation>Не удаётся создать папку для резервных копий сервера «{path}»: {detail}</translation>
    </message>
    <message>
        <location filename="../../app/ui/messages.py" line="238"/>
        <source>The backup of the office server failed; the database is as it was. pg_dump said: {detail}</source>
        <translation>Резервное копирование офисного сервера не удалось; база данных осталась прежней. pg_dump сообщил: {detail}</translation>
    </message>
    <message>
        <location filename="../../app/ui/messages.py" line="250"/>
        <source>Something went wrong ({code}).</source>
        <translation>Что-то пошло не так ({code}).</translation>
    </message>
    <message>
        <location filename="../../app/ui/message_dialog.py" line="49"/>
        <source>Follow-up after a purchase</source>
        <translation>После покупки</translation>
    </message>
    <message>
        <location filename="../../app/ui/message_dialog.py" line="50"/>
        <source>Renewal reminder</source>
        <translation>Напоминание о продлении</translation>
    </message>
    <message>
        <location filename="../../app/ui/message_dialog.py" line="51"/>
        <source>Birthday greeting</source>
        <translation>Поздравление с днём рождения</translation>
    </message>
    <message>
        <location filename="../../app/ui/message_dialog.py" line="52"/>
        <source>Name-day greeting</source>
        <translation>Поздравление с именинами</translation>
    </message>
    <message>
        <location filename="../../app/ui/message_dialog.py" line="53"/>
        <source>Win-back</source>
        <translation>Возвращение клиента</translation>
    </message>
    <message>
        <location filename="../../app/ui/message_dialog.py" line="54"/>
        <source>After a complaint</source>
        <translation>После жалобы</translation>
    </message>
    <message>
        <location filename="../../app/ui/message_dialog.py" line="55"/>
        <source>Free message</source>
        <translation>Свободное сообщение</translation>
    </message>
    <message>
        <location filename="../../app/ui/message_dialog.py" line="62"/>
        <source>English</source>
        <translation>английский</translation>
    </message>
    <message>
        <location filename="../../app/ui/message_dialog.py" line="63"/>
        <source>Polish</source>
        <translation>польский</translation>
    </message>
    <message>
        <location filename="../../app/ui/message_dialog.py" line="64"/>
        <source>Russian</source>
        <translation>русский</translation>
    </message>
    <message>
        <location filename="../../app/ui/message_dialog.py" line="65"/>
        <source>Bulgarian</source>
        <translation>болгарский</translation>
    </message>
    <message>
        <location filename="../../app/ui/message_dialog.py" line="77"/>
        <source>sent</source>
        <translation>отправлено</translation>
    </message>
    <message>
        <location filename="../../app/ui/message_dialog.py" line="78"/>
        <source>not sent</source>
        <translation>не отправлено</translation>
    </message>
    <message>
        <location filename="../../app/ui/message_dialog.py" line="79"/>
        <source>not known whether sent</source>
        <translation>неизвестно, отправлено ли</translation>
    </message>
    <message>
        <location filename="../../app/ui/message_dialog.py" line="80"/>
        <source>not sent, let go</source>
        <translation>не отправлено, отложено без повтора</translation>
    </message>
    <message>
        <location filename="../../app/ui/message_dialog.py" line="294"/>
        <source>%1: %2</source>
        <translation>%1: %2</translation>
    </message>
    <message>
        <location filename="../../app/ui/message_dialog.py" line="392"/>
        <source>Sending messages</source>
        <translation>Отправка сообщений</translation>
    </message>
    <message>
        <location filename="../../app/ui/message_dialog.py" line="396"/>
        <source>Preparing the messages</source>
        <translation>Подготовка сообщений</translation>
    </message>
</context>
<context>
    <name>MessagesPanel</name>
    <message>
        <location filename="../../app/ui/message_card.py" line="46"/>
        <location filename="../../app/ui/message_card.py" line="120"/>
        <source>Messages</source>
        <translation>Сообщения</translation>
    </message>
    <message>
        <location filename="../../app/ui/message_card.py" line="49"/>
        <source>No message sent yet.</source>
        <extracomment>the list, made with the first message (a client without one shows a line)</extracomment>
        <translation>Сообщений ещё не отправлялось.</translation>
    </message>
    <message>
        <location filename="../../app/ui/message_card.py" line="50"/>
        <source>Write a message…</source>
        <translation>Написать сообщение…</translation>
    </message>
    <message>
        <location filename="../../app/ui/message_card.py" line="52"/>
        <source>Send again</source>
        <translation>Отправить снова</translation>
    </message>
    <message>
        <location filename="../../app/ui/message_card.py" line="54"/>
        <source>Let it go</source>
        <translation>Не отправлять</translation>
    </message>
    <message>
        <location filename="../../app/ui/message_card.py" line="56"/>
        <source>Stop showing this message as not sent</source>
        <translation>Больше не показывать это сообщение как неотправленное</translation>
    </message>
    <message>
        <location filename="../../app/ui/message_card.py" line="76"/>
        <source>When</source>
        <translation>Когда</translation>
    </message>
    <message>
        <location filename="../../app/ui/message_card.py" line="76"/>
        <source>Channel</source>
        <translation>Канал</translation>
    </message>
    <message>
        <location filename="../../app/ui/message_card.py" line="76"/>
        <source>To</source>
        <translation>Кому</translation>
    </message>
    <message>
        <location filename="../../app/ui/message_card.py" line="77"/>
        <source>Result</source>
        <translation>Результат</translation>
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
            <numerusform>%n не отправлено</numerusform>
            <numerusform>%n не отправлены</numerusform>
            <numerusform>%n не отправлены</numerusform>
        </translation>
    </message>
    <message>
        <location filename="../../app/ui/message_card.py" line="165"/>
        <source>Sending the message again</source>
        <translation>Повторная отправка сообщения</translation>
    </message>
</context>
<context>
    <name>MessagesSettings</name>
    <message>
        <location filename="../../app/ui/messages_settings.py" line="559"/>
        <source>Templates</source>
        <translation>Шаблоны</translation>
    </message>
    <message>
        <location filename="../../app/ui/messages_settings.py" line="560"/>
        <source>E-mail</source>
        <translation>Эл. почта</translation>
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
            <numerusform>%Ln звонок</numerusform>
            <numerusform>%Ln звонка</numerusform>
            <numerusform>%Ln звонков</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <location filename="../../app/ui/calendar_page.py" line="75"/>
        <source>%Ln meeting(s)</source>
        <translation>
            <numerusform>%Ln встреча</numerusform>
            <numerusform>%Ln встречи</numerusform>
            <numerusform>%Ln встреч</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <location filename="../../app/ui/calendar_page.py" line="77"/>
        <source>%Ln date(s)</source>
        <translation>
            <numerusform>%Ln дата</numerusform>
            <numerusform>%Ln даты</numerusform>
            <numerusform>%Ln дат</numerusform>
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
        <translation>Именины (%1):</translation>
    </message>
    <message>
        <location filename="../../app/ui/name_day_offer.py" line="67"/>
        <source>Add %1</source>
        <comment>add the name day on this day, e.g. &apos;Add 6 December&apos;</comment>
        <translation>Добавить %1</translation>
    </message>
    <message>
        <location filename="../../app/ui/name_day_offer.py" line="76"/>
        <source>Add the name day on %1 to the client&apos;s personal dates; it is saved with the card</source>
        <translation>Добавить именины %1 в личные даты клиента; они сохранятся вместе с карточкой</translation>
    </message>
    <message>
        <location filename="../../app/ui/name_day_offer.py" line="99"/>
        <source>✓ Name day %1 added.</source>
        <comment>to the client&apos;s personal dates, saved with the card</comment>
        <translation>✓ Именины %1 добавлены.</translation>
    </message>
</context>
<context>
    <name>OfficeSettings</name>
    <message>
        <location filename="../../app/ui/office_settings.py" line="88"/>
        <source>This PC</source>
        <extracomment>(the choice, the password as typed) of the last test that passed: saving needs exactly these values the values the keyring keeps a password for (None: none kept, or not asked)</extracomment>
        <translation>Этот компьютер</translation>
    </message>
    <message>
        <location filename="../../app/ui/office_settings.py" line="95"/>
        <source>the server&apos;s name or IP address, such as 192.168.1.10</source>
        <translation>имя или IP-адрес сервера, например 192.168.1.10</translation>
    </message>
    <message>
        <location filename="../../app/ui/office_settings.py" line="105"/>
        <source>such as clientcare</source>
        <translation>например, clientcare</translation>
    </message>
    <message>
        <location filename="../../app/ui/office_settings.py" line="114"/>
        <source>Test the connection</source>
        <translation>Проверить подключение</translation>
    </message>
    <message>
        <location filename="../../app/ui/office_settings.py" line="118"/>
        <source>Use this server on this PC</source>
        <translation>Использовать этот сервер на этом компьютере</translation>
    </message>
    <message>
        <location filename="../../app/ui/office_settings.py" line="120"/>
        <source>Use this PC&apos;s own file</source>
        <translation>Использовать собственный файл компьютера</translation>
    </message>
    <message>
        <location filename="../../app/ui/office_settings.py" line="127"/>
        <source>Office server</source>
        <translation>Офисный сервер</translation>
    </message>
    <message>
        <location filename="../../app/ui/office_settings.py" line="129"/>
        <source>Server</source>
        <translation>Сервер</translation>
    </message>
    <message>
        <location filename="../../app/ui/office_settings.py" line="131"/>
        <source>Port</source>
        <translation>Порт</translation>
    </message>
    <message>
        <location filename="../../app/ui/office_settings.py" line="133"/>
        <source>Database</source>
        <translation>База данных</translation>
    </message>
    <message>
        <location filename="../../app/ui/office_settings.py" line="135"/>
        <source>User</source>
        <translation>Пользователь</translation>
    </message>
    <message>
        <location filename="../../app/ui/office_settings.py" line="137"/>
        <source>Password</source>
        <translation>Пароль</translation>
    </message>
    <message>
        <location filename="../../app/ui/office_settings.py" line="150"/>
        <source>Every PC of the office opens the same database on the server. Test the connection first; the choice takes effect at the next start of ClientCare. The password is kept in this PC&apos;s system keyring, never in a file or in the database. If the server is down at a start, ClientCare offers this PC&apos;s own file.</source>
        <translation>Все компьютеры офиса открывают одну и ту же базу данных на сервере. Сначала проверьте подключение; выбор вступит в силу при следующем запуске ClientCare. Пароль хранится в системном хранилище паролей этого компьютера, а не в файле и не в базе данных. Если при запуске сервер недоступен, ClientCare предложит собственный файл этого компьютера.</translation>
    </message>
    <message>
        <location filename="../../app/ui/office_settings.py" line="181"/>
        <source>This window works on the office server “%1”, port %2, database “%3”, as the user “%4”.</source>
        <translation>Это окно работает с офисным сервером «%1», порт %2, база данных «%3», от имени пользователя «%4».</translation>
    </message>
    <message>
        <location filename="../../app/ui/office_settings.py" line="187"/>
        <source>This window works on this PC&apos;s own file “%1”.</source>
        <translation>Это окно работает с собственным файлом этого компьютера «%1».</translation>
    </message>
    <message>
        <location filename="../../app/ui/office_settings.py" line="209"/>
        <source>At its next start, ClientCare on this PC opens this PC&apos;s own file.</source>
        <translation>При следующем запуске ClientCare на этом компьютере откроет собственный файл компьютера.</translation>
    </message>
    <message>
        <location filename="../../app/ui/office_settings.py" line="212"/>
        <source>At its next start, ClientCare on this PC opens the office server “%1”, port %2, database “%3”, as the user “%4”.</source>
        <translation>При следующем запуске ClientCare на этом компьютере откроет офисный сервер «%1», порт %2, база данных «%3», от имени пользователя «%4».</translation>
    </message>
    <message>
        <location filename="../../app/ui/office_settings.py" line="244"/>
        <source>kept in the system keyring</source>
        <translation>хранится в системном хранилище паролей</translation>
    </message>
    <message>
        <location filename="../../app/ui/office_settings.py" line="234"/>
        <source>Reading the system keyring</source>
        <translation>Чтение системного хранилища паролей</translation>
    </message>
    <message>
        <location filename="../../app/ui/office_settings.py" line="282"/>
        <source>Connecting…</source>
        <translation>Подключение…</translation>
    </message>
    <message>
        <location filename="../../app/ui/office_settings.py" line="305"/>
        <source>Testing the connection</source>
        <translation>Проверка подключения</translation>
    </message>
    <message>
        <location filename="../../app/ui/office_settings.py" line="312"/>
        <source>The database is empty: ClientCare sets it up at the first start on it.</source>
        <translation>База данных пуста: ClientCare подготовит её при первом запуске с ней.</translation>
    </message>
    <message>
        <location filename="../../app/ui/office_settings.py" line="315"/>
        <source>The database was saved by an older ClientCare: it is updated at the first start on it.</source>
        <translation>База данных сохранена более старой версией ClientCare: она будет обновлена при первом запуске с ней.</translation>
    </message>
    <message>
        <location filename="../../app/ui/office_settings.py" line="318"/>
        <source>The database is ready for this ClientCare.</source>
        <translation>База данных готова для этой версии ClientCare.</translation>
    </message>
    <message>
        <location filename="../../app/ui/office_settings.py" line="319"/>
        <source>Connected to PostgreSQL %1.</source>
        <translation>Подключено к PostgreSQL %1.</translation>
    </message>
    <message>
        <location filename="../../app/ui/office_settings.py" line="330"/>
        <source>Test the connection first: this PC uses the server only after a test of these values that passes.</source>
        <translation>Сначала проверьте подключение: этот компьютер будет использовать сервер только после успешной проверки этих данных.</translation>
    </message>
    <message>
        <location filename="../../app/ui/office_settings.py" line="350"/>
        <source>Saved. ClientCare on this PC opens this server from its next start.</source>
        <translation>Сохранено. ClientCare на этом компьютере будет открывать этот сервер со следующего запуска.</translation>
    </message>
    <message>
        <location filename="../../app/ui/office_settings.py" line="357"/>
        <source>Saving the office server</source>
        <translation>Сохранение офисного сервера</translation>
    </message>
    <message>
        <location filename="../../app/ui/office_settings.py" line="379"/>
        <source>Forgotten. ClientCare on this PC opens its own file from its next start.</source>
        <translation>Забыто. ClientCare на этом компьютере будет открывать собственный файл со следующего запуска.</translation>
    </message>
    <message>
        <location filename="../../app/ui/office_settings.py" line="386"/>
        <source>Forgetting the office server</source>
        <translation>Удаление выбора офисного сервера</translation>
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
        <translation>Пароль</translation>
    </message>
    <message>
        <location filename="../../app/ui/sign_in.py" line="179"/>
        <source>A new password for %1, at least %2 characters.</source>
        <translation>Новый пароль для: %1, не короче %2 символов.</translation>
    </message>
    <message>
        <location filename="../../app/ui/sign_in.py" line="180"/>
        <source>Set the password</source>
        <translation>Задать пароль</translation>
    </message>
    <message>
        <location filename="../../app/ui/sign_in.py" line="186"/>
        <source>Password again</source>
        <translation>Пароль ещё раз</translation>
    </message>
</context>
<context>
    <name>PersonalDateDialog</name>
    <message>
        <location filename="../../app/ui/card_dialogs.py" line="300"/>
        <source>Personal date</source>
        <translation>Личная дата</translation>
    </message>
    <message>
        <location filename="../../app/ui/card_dialogs.py" line="309"/>
        <source>Whose</source>
        <translation>Чья</translation>
    </message>
    <message>
        <location filename="../../app/ui/card_dialogs.py" line="314"/>
        <source>Kind</source>
        <translation>Тип</translation>
    </message>
    <message>
        <location filename="../../app/ui/card_dialogs.py" line="319"/>
        <source>Label</source>
        <translation>Название</translation>
    </message>
    <message>
        <location filename="../../app/ui/card_dialogs.py" line="331"/>
        <source>year unknown</source>
        <translation>год неизвестен</translation>
    </message>
    <message>
        <location filename="../../app/ui/card_dialogs.py" line="334"/>
        <source>Day</source>
        <translation>День</translation>
    </message>
    <message>
        <location filename="../../app/ui/card_dialogs.py" line="335"/>
        <source>Month</source>
        <translation>Месяц</translation>
    </message>
    <message>
        <location filename="../../app/ui/card_dialogs.py" line="336"/>
        <source>Year</source>
        <translation>Год</translation>
    </message>
    <message>
        <location filename="../../app/ui/card_dialogs.py" line="339"/>
        <source>business default</source>
        <translation>по умолчанию для компании</translation>
    </message>
    <message>
        <location filename="../../app/ui/card_dialogs.py" line="341"/>
        <source>Gift reminder, days before</source>
        <translation>Напоминание о подарке, за сколько дней</translation>
    </message>
    <message>
        <location filename="../../app/ui/card_dialogs.py" line="361"/>
        <source>In the calendar: %1</source>
        <translation>По календарю: %1</translation>
    </message>
</context>
<context>
    <name>PickClientDialog</name>
    <message>
        <location filename="../../app/ui/complaints_page.py" line="522"/>
        <source>New complaint</source>
        <translation>Новая жалоба</translation>
    </message>
    <message>
        <location filename="../../app/ui/complaints_page.py" line="525"/>
        <source>Type part of the client&apos;s name or phone</source>
        <translation>Введите часть имени или телефона клиента</translation>
    </message>
    <message>
        <location filename="../../app/ui/complaints_page.py" line="528"/>
        <source>Client</source>
        <translation>Клиент</translation>
    </message>
    <message>
        <location filename="../../app/ui/complaints_page.py" line="539"/>
        <source>Pick the client from the suggestions.</source>
        <translation>Выберите клиента из подсказок.</translation>
    </message>
</context>
<context>
    <name>PrintedList</name>
    <message>
        <location filename="../../app/ui/printing.py" line="140"/>
        <source>Page %1 of %2</source>
        <extracomment>families tried first, in this order: each writes Latin and Cyrillic (DejaVu Sans is what Debian&apos;s fonts-dejavu-core brings, and what CI installs) every printed list must write these (a Polish shop has Ukrainian clients too) countries whose paper is Letter, not A4</extracomment>
        <translation>Страница %1 из %2</translation>
    </message>
    <message>
        <location filename="../../app/ui/printing.py" line="146"/>
        <source>Calls of %1</source>
        <translation>Звонки: %1</translation>
    </message>
    <message numerus="yes">
        <location filename="../../app/ui/printing.py" line="220"/>
        <source>%Ln call(s) to make</source>
        <translation>
            <numerusform>%Ln звонок в очереди</numerusform>
            <numerusform>%Ln звонка в очереди</numerusform>
            <numerusform>%Ln звонков в очереди</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <location filename="../../app/ui/printing.py" line="222"/>
        <source>%Ln overdue</source>
        <translation>
            <numerusform>%Ln просроченный</numerusform>
            <numerusform>%Ln просроченных</numerusform>
            <numerusform>%Ln просроченных</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <location filename="../../app/ui/printing.py" line="225"/>
        <source>%Ln logged</source>
        <translation>
            <numerusform>%Ln записан</numerusform>
            <numerusform>%Ln записано</numerusform>
            <numerusform>%Ln записано</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <location filename="../../app/ui/printing.py" line="232"/>
        <source>Only the first %Ln call(s) are printed; Today lists the others.</source>
        <translation>
            <numerusform>Напечатан только первый %Ln звонок; остальные — на странице «Сегодня».</numerusform>
            <numerusform>Напечатаны только первые %Ln звонка; остальные — на странице «Сегодня».</numerusform>
            <numerusform>Напечатаны только первые %Ln звонков; остальные — на странице «Сегодня».</numerusform>
        </translation>
    </message>
    <message>
        <location filename="../../app/ui/printing.py" line="235"/>
        <location filename="../../app/ui/printing.py" line="256"/>
        <source>When</source>
        <translation>Когда</translation>
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
        <translation>Цель</translation>
    </message>
    <message>
        <location filename="../../app/ui/printing.py" line="237"/>
        <source>Before you call</source>
        <translation>Перед звонком</translation>
    </message>
    <message>
        <location filename="../../app/ui/printing.py" line="238"/>
        <source>Outcome</source>
        <translation>Результат</translation>
    </message>
    <message>
        <location filename="../../app/ui/printing.py" line="250"/>
        <source>No call to make on this day.</source>
        <translation>На этот день звонков нет.</translation>
    </message>
    <message>
        <location filename="../../app/ui/printing.py" line="254"/>
        <source>To do — not calls</source>
        <translation>Дела — не звонки</translation>
    </message>
    <message>
        <location filename="../../app/ui/printing.py" line="257"/>
        <source>To do</source>
        <translation>Дело</translation>
    </message>
    <message>
        <location filename="../../app/ui/printing.py" line="257"/>
        <source>Done</source>
        <translation>Выполнено</translation>
    </message>
    <message>
        <location filename="../../app/ui/printing.py" line="509"/>
        <source>Calls %1.pdf</source>
        <extracomment>a page&apos;s part of a table: (which table, its first row, the row after its last) rows laid out at a time while they are measured: each layout is one call into Qt that holds the interpreter (a table of 1,000 rows at once: 1.3 s; 30 rows: a few ms each)</extracomment>
        <translation>Звонки %1.pdf</translation>
    </message>
    <message>
        <location filename="../../app/ui/printing.py" line="517"/>
        <source>Print the day&apos;s list</source>
        <translation>Печать списка на день</translation>
    </message>
    <message>
        <location filename="../../app/ui/printing.py" line="529"/>
        <source>Save the day&apos;s list as PDF</source>
        <translation>Сохранить список на день в PDF</translation>
    </message>
    <message>
        <location filename="../../app/ui/printing.py" line="530"/>
        <source>PDF files (*.pdf)</source>
        <translation>Файлы PDF (*.pdf)</translation>
    </message>
    <message numerus="yes">
        <location filename="../../app/ui/printing.py" line="577"/>
        <source>The day&apos;s list was sent to the printer (%Ln page(s)).</source>
        <translation>
            <numerusform>Список на день отправлен на принтер (%Ln страница).</numerusform>
            <numerusform>Список на день отправлен на принтер (%Ln страницы).</numerusform>
            <numerusform>Список на день отправлен на принтер (%Ln страниц).</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <location filename="../../app/ui/printing.py" line="588"/>
        <source>The day&apos;s list was saved to %1 (%Ln page(s)).</source>
        <translation>
            <numerusform>Список на день сохранён в %1 (%Ln страница).</numerusform>
            <numerusform>Список на день сохранён в %1 (%Ln страницы).</numerusform>
            <numerusform>Список на день сохранён в %1 (%Ln страниц).</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>Progress</name>
    <message>
        <location filename="../../app/ui/worded_progress.py" line="71"/>
        <source>Reading and checking the file: row %1 of %2…</source>
        <translation>Чтение и проверка файла: строка %1 из %2…</translation>
    </message>
    <message numerus="yes">
        <location filename="../../app/ui/worded_progress.py" line="51"/>
        <source>Importing: %1 of %Ln row(s) written…</source>
        <extracomment>a stage code -&gt; its sentence for (done, total); total may be None (not known)</extracomment>
        <translation>
            <numerusform>Импорт: записано %1 из %Ln строки…</numerusform>
            <numerusform>Импорт: записано %1 из %Ln строк…</numerusform>
            <numerusform>Импорт: записано %1 из %Ln строк…</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <location filename="../../app/ui/worded_progress.py" line="56"/>
        <source>Exporting: %1 of %Ln row(s) written…</source>
        <translation>
            <numerusform>Экспорт: записано %1 из %Ln строки…</numerusform>
            <numerusform>Экспорт: записано %1 из %Ln строк…</numerusform>
            <numerusform>Экспорт: записано %1 из %Ln строк…</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <location filename="../../app/ui/worded_progress.py" line="61"/>
        <source>Exporting the calendar: %1 of %Ln event(s)…</source>
        <translation>
            <numerusform>Экспорт календаря: %1 из %Ln события…</numerusform>
            <numerusform>Экспорт календаря: %1 из %Ln событий…</numerusform>
            <numerusform>Экспорт календаря: %1 из %Ln событий…</numerusform>
        </translation>
    </message>
    <message>
        <location filename="../../app/ui/worded_progress.py" line="75"/>
        <source>Planning the calls of the imported clients…</source>
        <translation>Планирование звонков импортированным клиентам…</translation>
    </message>
    <message>
        <location filename="../../app/ui/worded_progress.py" line="77"/>
        <source>Copying the database: %1 %…</source>
        <translation>Копирование базы данных: %1 %…</translation>
    </message>
    <message>
        <location filename="../../app/ui/worded_progress.py" line="79"/>
        <source>Checking the copy…</source>
        <translation>Проверка копии…</translation>
    </message>
    <message>
        <location filename="../../app/ui/worded_progress.py" line="82"/>
        <source>Checking every page of the database…</source>
        <translation>Проверка каждой страницы базы данных…</translation>
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
        <translation>Изменение покупки</translation>
    </message>
    <message>
        <location filename="../../app/ui/card_dialogs.py" line="137"/>
        <source>Date</source>
        <translation>Дата</translation>
    </message>
    <message>
        <location filename="../../app/ui/card_dialogs.py" line="139"/>
        <source>Amount</source>
        <translation>Сумма</translation>
    </message>
    <message>
        <location filename="../../app/ui/card_dialogs.py" line="143"/>
        <source>Item or service</source>
        <translation>Товар или услуга</translation>
    </message>
    <message>
        <location filename="../../app/ui/card_dialogs.py" line="145"/>
        <source>Quantity</source>
        <translation>Количество</translation>
    </message>
    <message>
        <location filename="../../app/ui/card_dialogs.py" line="148"/>
        <source>Note</source>
        <translation>Примечание</translation>
    </message>
    <message>
        <location filename="../../app/ui/card_dialogs.py" line="175"/>
        <source>A purchase in the future</source>
        <translation>Покупка в будущем</translation>
    </message>
    <message>
        <location filename="../../app/ui/card_dialogs.py" line="176"/>
        <source>This purchase is dated %1, after today. Save it with this date?</source>
        <translation>Эта покупка датирована %1, позже сегодняшнего дня. Сохранить её с этой датой?</translation>
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
        <translation>Дело</translation>
    </message>
    <message>
        <location filename="../../app/ui/today_page.py" line="216"/>
        <source>How it is done</source>
        <translation>Как выполнить</translation>
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
        <translation>Перед звонком</translation>
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
            <numerusform>%Ln день просрочки</numerusform>
            <numerusform>%Ln дня просрочки</numerusform>
            <numerusform>%Ln дней просрочки</numerusform>
        </translation>
    </message>
    <message>
        <location filename="../../app/ui/today_page.py" line="252"/>
        <source>today</source>
        <translation>сегодня</translation>
    </message>
    <message>
        <location filename="../../app/ui/printing.py" line="183"/>
        <location filename="../../app/ui/today_page.py" line="255"/>
        <source>(the business)</source>
        <translation>(организация)</translation>
    </message>
    <message>
        <location filename="../../app/ui/printing.py" line="175"/>
        <location filename="../../app/ui/today_page.py" line="263"/>
        <source>try %1</source>
        <translation>попытка %1</translation>
    </message>
    <message>
        <location filename="../../app/ui/today_page.py" line="292"/>
        <source>Enter opens the A/B/C review</source>
        <translation>Enter открывает пересмотр групп A/B/C</translation>
    </message>
    <message>
        <location filename="../../app/ui/today_page.py" line="294"/>
        <source>Enter opens the complaint&apos;s review</source>
        <translation>Enter открывает разбор жалобы</translation>
    </message>
    <message>
        <location filename="../../app/ui/today_page.py" line="295"/>
        <source>“Mark done” when it is ready</source>
        <translation>«Готово», когда будет сделано</translation>
    </message>
    <message>
        <location filename="../../app/ui/today_page.py" line="300"/>
        <source>message not sent (S sends it again)</source>
        <translation>сообщение не отправлено (S отправит снова)</translation>
    </message>
    <message>
        <location filename="../../app/ui/today_page.py" line="302"/>
        <source>prefers a message (S)</source>
        <translation>предпочитает сообщение (S)</translation>
    </message>
    <message>
        <location filename="../../app/ui/today_page.py" line="307"/>
        <source>do not contact</source>
        <translation>не связываться</translation>
    </message>
    <message>
        <location filename="../../app/ui/today_page.py" line="309"/>
        <source>open complaint</source>
        <translation>открытая жалоба</translation>
    </message>
    <message>
        <location filename="../../app/ui/today_page.py" line="313"/>
        <source>promo</source>
        <translation>акция</translation>
    </message>
    <message>
        <location filename="../../app/ui/today_page.py" line="315"/>
        <source>discount</source>
        <translation>скидка</translation>
    </message>
    <message>
        <location filename="../../app/ui/today_page.py" line="317"/>
        <source>frozen</source>
        <translation>заморозка</translation>
    </message>
    <message>
        <location filename="../../app/ui/today_page.py" line="319"/>
        <source>new client</source>
        <translation>новый клиент</translation>
    </message>
    <message>
        <location filename="../../app/ui/today_page.py" line="321"/>
        <source>last contact %1 (%2)</source>
        <translation>последний контакт %1 (%2)</translation>
    </message>
    <message numerus="yes">
        <location filename="../../app/ui/today_page.py" line="324"/>
        <source>no answer %n time(s)</source>
        <translation>
            <numerusform>не отвечает: %n попытка</numerusform>
            <numerusform>не отвечает: %n попытки</numerusform>
            <numerusform>не отвечает: %n попыток</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>RelativeDialog</name>
    <message>
        <location filename="../../app/ui/card_dialogs.py" line="260"/>
        <source>Family member</source>
        <translation>Член семьи</translation>
    </message>
    <message>
        <location filename="../../app/ui/card_dialogs.py" line="262"/>
        <source>Name</source>
        <translation>Имя</translation>
    </message>
    <message>
        <location filename="../../app/ui/card_dialogs.py" line="268"/>
        <source>Relation</source>
        <translation>Кем приходится</translation>
    </message>
    <message>
        <location filename="../../app/ui/card_dialogs.py" line="271"/>
        <source>Note (tastes, gift ideas)</source>
        <translation>Примечание (вкусы, идеи подарков)</translation>
    </message>
</context>
<context>
    <name>RescheduleDialog</name>
    <message>
        <location filename="../../app/ui/today_page.py" line="1403"/>
        <source>Reschedule</source>
        <translation>Перенос звонка</translation>
    </message>
    <message>
        <location filename="../../app/ui/today_page.py" line="1412"/>
        <source>Call on:</source>
        <translation>Дата звонка:</translation>
    </message>
</context>
<context>
    <name>RiskCheck</name>
    <message numerus="yes">
        <location filename="../../app/ui/charts_page.py" line="386"/>
        <source>Of the %Ln client(s) who had bought by %1, %2 bought nothing in the %3 after.</source>
        <translation>
            <numerusform>Из %Ln клиента, покупавшего до %1, за следующие %3 ничего не купили: %2.</numerusform>
            <numerusform>Из %Ln клиентов, покупавших до %1, за следующие %3 ничего не купили: %2.</numerusform>
            <numerusform>Из %Ln клиентов, покупавших до %1, за следующие %3 ничего не купили: %2.</numerusform>
        </translation>
    </message>
    <message>
        <location filename="../../app/ui/charts_page.py" line="389"/>
        <source>The at-risk flag caught %1 of them (recall), and %2 of the clients it flagged were really lost (precision).</source>
        <translation>Отметка «под угрозой» выявила %1 из них (полнота), а %2 отмеченных клиентов действительно ушли (точность).</translation>
    </message>
    <message>
        <location filename="../../app/ui/charts_page.py" line="393"/>
        <source>How well each sorts the lost above the others (AUC: 0.5 is a coin toss, 1 is perfect): the risk score %1, days since the last purchase alone %2, the at-risk flag %3.</source>
        <translation>Насколько хорошо каждый показатель ставит ушедших выше остальных (AUC: 0,5 — подбрасывание монеты, 1 — идеально): оценка риска %1, одни лишь дни с последней покупки %2, отметка «под угрозой» %3.</translation>
    </message>
    <message>
        <location filename="../../app/ui/charts_page.py" line="400"/>
        <source>The flag is a risk score of %1 or more (Settings, Rules). The old rule, days since the last purchase against the usual gap, caught %2 and was right for %3 (AUC %4).</source>
        <translation>Флаг — это оценка риска %1 и выше (Настройки, Правила). Старое правило, дни с последней покупки против обычного перерыва, выявило %2 и было право в %3 случаев (AUC %4).</translation>
    </message>
    <message>
        <location filename="../../app/ui/charts_page.py" line="407"/>
        <source>There is too little history for a fitted model yet: the score compares the days since the last purchase with the client&apos;s usual gap.</source>
        <translation>Истории пока слишком мало для подобранной модели: оценка сравнивает дни с последней покупки с обычным перерывом клиента.</translation>
    </message>
</context>
<context>
    <name>RiskCheckPanel</name>
    <message>
        <location filename="../../app/ui/charts_page.py" line="426"/>
        <source>How well does at-risk predict, on your own data</source>
        <translation>Насколько точно «под угрозой» предсказывает уход — на ваших данных</translation>
    </message>
    <message>
        <location filename="../../app/ui/charts_page.py" line="434"/>
        <source> days</source>
        <translation> дн.</translation>
    </message>
    <message>
        <location filename="../../app/ui/charts_page.py" line="435"/>
        <source>Check</source>
        <translation>Проверить</translation>
    </message>
    <message>
        <location filename="../../app/ui/charts_page.py" line="438"/>
        <source>Cut the history at a date, score every client as the app would have then, and compare with who bought nothing in the days after.</source>
        <translation>Обрежьте историю на выбранную дату, оцените каждого клиента так, как приложение сделало бы тогда, и сравните с тем, кто ничего не купил в следующие дни.</translation>
    </message>
    <message>
        <location filename="../../app/ui/charts_page.py" line="445"/>
        <source>History up to</source>
        <translation>История по</translation>
    </message>
    <message>
        <location filename="../../app/ui/charts_page.py" line="447"/>
        <source>lost if no purchase within</source>
        <translation>ушёл, если не купил в течение</translation>
    </message>
    <message>
        <location filename="../../app/ui/charts_page.py" line="470"/>
        <source>Checking…</source>
        <translation>Проверка…</translation>
    </message>
    <message>
        <location filename="../../app/ui/charts_page.py" line="471"/>
        <source>Checking the risk score on your history…</source>
        <translation>Проверка оценки риска на вашей истории…</translation>
    </message>
    <message>
        <location filename="../../app/ui/charts_page.py" line="490"/>
        <source>Checking the risk score…</source>
        <translation>Проверка оценки риска…</translation>
    </message>
</context>
<context>
    <name>RiskRefresher</name>
    <message>
        <location filename="../../app/ui/risk_refresh.py" line="98"/>
        <source>Risk scores: reading the purchases…</source>
        <translation>Оценка риска: чтение покупок…</translation>
    </message>
    <message>
        <location filename="../../app/ui/risk_refresh.py" line="126"/>
        <source>Risk scores: computing (step %1 of %2)…</source>
        <translation>Оценка риска: расчёт (шаг %1 из %2)…</translation>
    </message>
    <message>
        <location filename="../../app/ui/risk_refresh.py" line="139"/>
        <location filename="../../app/ui/risk_refresh.py" line="143"/>
        <source>Risk scores: saving…</source>
        <translation>Оценка риска: сохранение…</translation>
    </message>
</context>
<context>
    <name>RiskWords</name>
    <message>
        <location filename="../../app/ui/risk_words.py" line="22"/>
        <source>high risk</source>
        <translation>высокий риск</translation>
    </message>
    <message>
        <location filename="../../app/ui/risk_words.py" line="23"/>
        <source>medium risk</source>
        <translation>средний риск</translation>
    </message>
    <message>
        <location filename="../../app/ui/risk_words.py" line="24"/>
        <source>low risk</source>
        <translation>низкий риск</translation>
    </message>
    <message>
        <location filename="../../app/ui/risk_words.py" line="29"/>
        <source>High risk</source>
        <translation>Высокий риск</translation>
    </message>
    <message>
        <location filename="../../app/ui/risk_words.py" line="30"/>
        <source>Medium risk</source>
        <translation>Средний риск</translation>
    </message>
    <message>
        <location filename="../../app/ui/risk_words.py" line="31"/>
        <source>Low risk</source>
        <translation>Низкий риск</translation>
    </message>
    <message>
        <location filename="../../app/ui/risk_words.py" line="37"/>
        <source>%1 %</source>
        <comment>a risk score in percent</comment>
        <translation>%1 %</translation>
    </message>
    <message numerus="yes">
        <location filename="../../app/ui/risk_words.py" line="42"/>
        <source>%n day(s)</source>
        <translation>
            <numerusform>%n день</numerusform>
            <numerusform>%n дня</numerusform>
            <numerusform>%n дней</numerusform>
        </translation>
    </message>
    <message>
        <location filename="../../app/ui/risk_words.py" line="53"/>
        <source>usual gap %1, %2 since the last purchase (%3×), 12-month value %4: %5</source>
        <translation>обычный перерыв %1, с последней покупки %2 (%3×), ценность за 12 месяцев %4: %5</translation>
    </message>
    <message numerus="yes">
        <location filename="../../app/ui/risk_words.py" line="56"/>
        <source>%n purchase day(s)</source>
        <translation>
            <numerusform>%n день с покупками</numerusform>
            <numerusform>%n дня с покупками</numerusform>
            <numerusform>%n дней с покупками</numerusform>
        </translation>
    </message>
    <message>
        <location filename="../../app/ui/risk_words.py" line="57"/>
        <source>%1, %2 since the last one; the business&apos;s usual gap is %3 (%4×), 12-month value %5: %6</source>
        <translation>%1, с последней %2; обычный перерыв у клиентов бизнеса — %3 (%4×), ценность за 12 месяцев %5: %6</translation>
    </message>
    <message>
        <location filename="../../app/ui/risk_words.py" line="65"/>
        <source>not past the usual gap yet</source>
        <translation>ещё в пределах обычного перерыва</translation>
    </message>
    <message numerus="yes">
        <location filename="../../app/ui/risk_words.py" line="66"/>
        <source>%n day(s) past the usual gap</source>
        <translation>
            <numerusform>на %n день дольше обычного перерыва</numerusform>
            <numerusform>на %n дня дольше обычного перерыва</numerusform>
            <numerusform>на %n дней дольше обычного перерыва</numerusform>
        </translation>
    </message>
    <message>
        <location filename="../../app/ui/risk_words.py" line="71"/>
        <source>No risk score yet (it is computed after the start of the day and after an import): the at-risk status follows the days since the last purchase over the usual gap.</source>
        <translation>Оценки риска пока нет (она рассчитывается после начала дня и после импорта): статус «Под угрозой» определяется числом дней с последней покупки по сравнению с обычным перерывом.</translation>
    </message>
    <message>
        <location filename="../../app/ui/risk_words.py" line="77"/>
        <source>A purchase came after the last risk score: until it is computed again, the at-risk status follows the days since the last purchase over the usual gap.</source>
        <translation>После последней оценки риска была покупка: до нового расчёта статус «Под угрозой» определяется числом дней с последней покупки по сравнению с обычным перерывом.</translation>
    </message>
    <message>
        <location filename="../../app/ui/risk_words.py" line="84"/>
        <source>BG/NBD model</source>
        <translation>модель BG/NBD</translation>
    </message>
    <message>
        <location filename="../../app/ui/risk_words.py" line="85"/>
        <source>logistic model</source>
        <translation>логистическая модель</translation>
    </message>
    <message>
        <location filename="../../app/ui/risk_words.py" line="86"/>
        <source>simple score: too little history for a fitted model</source>
        <translation>простая оценка: история слишком короткая для подобранной модели</translation>
    </message>
    <message>
        <location filename="../../app/ui/risk_words.py" line="87"/>
        <source>the chance of no purchase in the next %1, computed on %2 (%3)</source>
        <translation>вероятность того, что клиент ничего не купит за ближайшие %1, рассчитана %2 (%3)</translation>
    </message>
</context>
<context>
    <name>RulesSettings</name>
    <message>
        <location filename="../../app/ui/rules_settings.py" line="68"/>
        <source>Working days</source>
        <translation>Рабочие дни</translation>
    </message>
    <message>
        <location filename="../../app/ui/rules_settings.py" line="69"/>
        <source>Calls are made on</source>
        <translation>Звоним по дням</translation>
    </message>
    <message>
        <location filename="../../app/ui/rules_settings.py" line="70"/>
        <source>Calls and renewals never fall on a closed day nor on a public holiday of the business&apos;s country (Settings → Business); a call nobody answers moves to the next working day.</source>
        <translation>Звонки и продления никогда не приходятся на нерабочий день или государственный праздник страны компании (Настройки → Организация); звонок без ответа переносится на следующий рабочий день.</translation>
    </message>
    <message>
        <location filename="../../app/ui/rules_settings.py" line="75"/>
        <source>Follow-up after a purchase</source>
        <translation>Звонок после покупки</translation>
    </message>
    <message>
        <location filename="../../app/ui/rules_settings.py" line="76"/>
        <source>Make follow-up calls</source>
        <translation>Звонить клиентам после покупки</translation>
    </message>
    <message>
        <location filename="../../app/ui/rules_settings.py" line="77"/>
        <source>Days after the purchase</source>
        <translation>Дней после покупки</translation>
    </message>
    <message>
        <location filename="../../app/ui/rules_settings.py" line="78"/>
        <source>Call no later than, days</source>
        <translation>Крайний срок звонка, дней</translation>
    </message>
    <message>
        <location filename="../../app/ui/rules_settings.py" line="80"/>
        <source>A client is new until purchase number</source>
        <translation>Клиент считается новым до покупки №</translation>
    </message>
    <message>
        <location filename="../../app/ui/rules_settings.py" line="82"/>
        <source>Also for other clients from this amount (0 = only new)</source>
        <translation>Также для остальных клиентов от суммы (0 = только новые)</translation>
    </message>
    <message>
        <location filename="../../app/ui/rules_settings.py" line="84"/>
        <source>Memberships</source>
        <translation>Абонементы</translation>
    </message>
    <message>
        <location filename="../../app/ui/rules_settings.py" line="85"/>
        <source>Onboarding check-in</source>
        <translation>Контакт с новым клиентом</translation>
    </message>
    <message>
        <location filename="../../app/ui/rules_settings.py" line="86"/>
        <source>Days after the start</source>
        <translation>Дней после начала</translation>
    </message>
    <message>
        <location filename="../../app/ui/rules_settings.py" line="87"/>
        <source>Renewal calls</source>
        <translation>Звонки о продлении</translation>
    </message>
    <message>
        <location filename="../../app/ui/rules_settings.py" line="88"/>
        <source>Days before the end</source>
        <translation>Дней до окончания</translation>
    </message>
    <message>
        <location filename="../../app/ui/rules_settings.py" line="90"/>
        <source>Frozen days extend the membership</source>
        <translation>Дни заморозки продлевают абонемент</translation>
    </message>
    <message>
        <location filename="../../app/ui/rules_settings.py" line="92"/>
        <source>Personal dates</source>
        <translation>Личные даты</translation>
    </message>
    <message>
        <location filename="../../app/ui/rules_settings.py" line="94"/>
        <source>Congratulate on birthdays and name days</source>
        <translation>Поздравлять с днём рождения и именинами</translation>
    </message>
    <message>
        <location filename="../../app/ui/rules_settings.py" line="95"/>
        <source>Gift reminder, days before</source>
        <translation>Напоминание о подарке, за сколько дней</translation>
    </message>
    <message>
        <location filename="../../app/ui/rules_settings.py" line="97"/>
        <source>Show dates this many days ahead</source>
        <translation>Показывать даты вперёд, дней</translation>
    </message>
    <message>
        <location filename="../../app/ui/rules_settings.py" line="99"/>
        <source>Complaints</source>
        <translation>Жалобы</translation>
    </message>
    <message>
        <location filename="../../app/ui/rules_settings.py" line="101"/>
        <source>Call back, days after the fix</source>
        <translation>Перезвонить, дней после решения</translation>
    </message>
    <message>
        <location filename="../../app/ui/rules_settings.py" line="103"/>
        <source>Team review, days after the fix</source>
        <translation>Разбор с командой, дней после решения</translation>
    </message>
    <message>
        <location filename="../../app/ui/rules_settings.py" line="105"/>
        <source>First response within, hours</source>
        <translation>Первый ответ в течение, часов</translation>
    </message>
    <message>
        <location filename="../../app/ui/rules_settings.py" line="106"/>
        <source>A receptionist may grant on the spot, up to</source>
        <translation>Администратор может предоставить на месте до</translation>
    </message>
    <message>
        <location filename="../../app/ui/rules_settings.py" line="108"/>
        <source>A manager may grant on the spot, up to</source>
        <translation>Менеджер может предоставить на месте до</translation>
    </message>
    <message>
        <location filename="../../app/ui/rules_settings.py" line="110"/>
        <source>An owner may grant any compensation and approves more than the others&apos; limits. Amounts are in the business&apos;s currency.</source>
        <translation>Владелец может предоставить любую компенсацию и утверждает суммы сверх лимитов остальных. Суммы указаны в валюте компании.</translation>
    </message>
    <message>
        <location filename="../../app/ui/rules_settings.py" line="114"/>
        <source>Clients who stop coming</source>
        <translation>Клиенты, которые перестали приходить</translation>
    </message>
    <message>
        <location filename="../../app/ui/rules_settings.py" line="115"/>
        <source>Win-back calls</source>
        <translation>Звонки для возврата клиентов</translation>
    </message>
    <message>
        <location filename="../../app/ui/rules_settings.py" line="117"/>
        <source>At risk when the gap is this many times the usual</source>
        <translation>Под угрозой, если перерыв во столько раз дольше обычного</translation>
    </message>
    <message>
        <location filename="../../app/ui/rules_settings.py" line="119"/>
        <source>Purchases needed to know a client&apos;s usual gap</source>
        <translation>Покупок, чтобы определить обычный перерыв клиента</translation>
    </message>
    <message>
        <location filename="../../app/ui/rules_settings.py" line="121"/>
        <source>Otherwise at risk after, days</source>
        <translation>Иначе под угрозой через, дней</translation>
    </message>
    <message>
        <location filename="../../app/ui/rules_settings.py" line="122"/>
        <source>Lapsed after, days</source>
        <translation>Ушедший через, дней</translation>
    </message>
    <message>
        <location filename="../../app/ui/rules_settings.py" line="123"/>
        <source>Risk score: the chance of no purchase in the next, days</source>
        <translation>Оценка риска: вероятность не купить ничего за ближайшие, дней</translation>
    </message>
    <message>
        <location filename="../../app/ui/rules_settings.py" line="125"/>
        <source>At risk from a risk score of, percent</source>
        <translation>Под угрозой начиная с оценки риска, процентов</translation>
    </message>
    <message>
        <location filename="../../app/ui/rules_settings.py" line="127"/>
        <source>A client with a risk score is at risk from that score on; the gap rule above decides for a client without one yet (the scores are computed after the start of the day and after an import).</source>
        <translation>Клиент с оценкой риска под угрозой начиная с этой оценки; для клиента без оценки решает правило перерыва выше (оценки рассчитываются после начала дня и после импорта).</translation>
    </message>
    <message>
        <location filename="../../app/ui/rules_settings.py" line="132"/>
        <source>Keep in touch with A clients</source>
        <translation>Поддержание связи с клиентами группы A</translation>
    </message>
    <message>
        <location filename="../../app/ui/rules_settings.py" line="134"/>
        <source>Days without a pleasant contact</source>
        <translation>Дней без приятного контакта</translation>
    </message>
    <message>
        <location filename="../../app/ui/rules_settings.py" line="136"/>
        <source>Touch, don&apos;t pester</source>
        <translation>Напоминать, но не докучать</translation>
    </message>
    <message>
        <location filename="../../app/ui/rules_settings.py" line="137"/>
        <source>At most this many contacts</source>
        <translation>Не больше контактов</translation>
    </message>
    <message>
        <location filename="../../app/ui/rules_settings.py" line="138"/>
        <source>in this many days</source>
        <translation>за столько дней</translation>
    </message>
    <message>
        <location filename="../../app/ui/rules_settings.py" line="139"/>
        <source>Tries when nobody answers</source>
        <translation>Попыток, если не отвечают</translation>
    </message>
    <message>
        <location filename="../../app/ui/rules_settings.py" line="141"/>
        <source>Groups and value</source>
        <translation>Группы и сумма покупок</translation>
    </message>
    <message>
        <location filename="../../app/ui/rules_settings.py" line="142"/>
        <source>Group A: clients making this percent of revenue</source>
        <translation>Группа A: клиенты, дающие этот процент выручки</translation>
    </message>
    <message>
        <location filename="../../app/ui/rules_settings.py" line="143"/>
        <source>Group B: the next percent of revenue</source>
        <translation>Группа B: следующий процент выручки</translation>
    </message>
    <message>
        <location filename="../../app/ui/rules_settings.py" line="144"/>
        <source>Group A: bought on at least this many days</source>
        <translation>Группа A: покупки не менее чем в столько разных дней</translation>
    </message>
    <message>
        <location filename="../../app/ui/rules_settings.py" line="145"/>
        <source>Client value over, days</source>
        <translation>Сумма покупок клиента за период, дней</translation>
    </message>
    <message>
        <location filename="../../app/ui/rules_settings.py" line="147"/>
        <source>Quarterly A/B/C review reminder</source>
        <translation>Напоминание о ежеквартальном пересмотре групп A/B/C</translation>
    </message>
    <message>
        <location filename="../../app/ui/rules_settings.py" line="149"/>
        <source>Backups</source>
        <translation>Резервные копии</translation>
    </message>
    <message>
        <location filename="../../app/ui/rules_settings.py" line="151"/>
        <source>Keep one automatic backup a day for days</source>
        <translation>Хранить по одной автоматической копии в день, дней</translation>
    </message>
    <message>
        <location filename="../../app/ui/rules_settings.py" line="153"/>
        <source>Keep one automatic backup a week for weeks</source>
        <translation>Хранить по одной автоматической копии в неделю, недель</translation>
    </message>
    <message>
        <location filename="../../app/ui/rules_settings.py" line="198"/>
        <source>Save the rules</source>
        <translation>Сохранить правила</translation>
    </message>
    <message>
        <location filename="../../app/ui/rules_settings.py" line="200"/>
        <source>Back to the defaults</source>
        <translation>Вернуть значения по умолчанию</translation>
    </message>
    <message>
        <location filename="../../app/ui/rules_settings.py" line="271"/>
        <source>Defaults filled in; save to use them.</source>
        <translation>Подставлены значения по умолчанию; сохраните, чтобы применить их.</translation>
    </message>
    <message>
        <location filename="../../app/ui/rules_settings.py" line="296"/>
        <source>Nothing was saved: please correct the marked values.</source>
        <translation>Ничего не сохранено: исправьте отмеченные значения.</translation>
    </message>
    <message>
        <location filename="../../app/ui/rules_settings.py" line="301"/>
        <source>Saving the rules and rescheduling the calls</source>
        <translation>Сохранение правил и перепланирование звонков</translation>
    </message>
    <message>
        <location filename="../../app/ui/rules_settings.py" line="304"/>
        <location filename="../../app/ui/rules_settings.py" line="327"/>
        <source>Nothing was saved.</source>
        <translation>Ничего не сохранено.</translation>
    </message>
    <message>
        <location filename="../../app/ui/rules_settings.py" line="307"/>
        <source>Saving…</source>
        <translation>Сохранение…</translation>
    </message>
    <message numerus="yes">
        <location filename="../../app/ui/rules_settings.py" line="316"/>
        <source>Saved. %n new call(s) scheduled.</source>
        <translation>
            <numerusform>Сохранено. Запланирован %n новый звонок.</numerusform>
            <numerusform>Сохранено. Запланировано %n новых звонка.</numerusform>
            <numerusform>Сохранено. Запланировано %n новых звонков.</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <location filename="../../app/ui/rules_settings.py" line="317"/>
        <source>%n call(s) cancelled.</source>
        <translation>
            <numerusform>Отменён %n звонок.</numerusform>
            <numerusform>Отменено %n звонка.</numerusform>
            <numerusform>Отменено %n звонков.</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>SegmentReview</name>
    <message>
        <location filename="../../app/ui/segment_review.py" line="40"/>
        <source>Competitor&apos;s prices</source>
        <translation>Цены конкурентов</translation>
    </message>
    <message>
        <location filename="../../app/ui/segment_review.py" line="41"/>
        <source>Delivery trouble</source>
        <translation>Проблемы с доставкой</translation>
    </message>
    <message>
        <location filename="../../app/ui/segment_review.py" line="42"/>
        <source>Personality conflict</source>
        <translation>Личный конфликт</translation>
    </message>
    <message>
        <location filename="../../app/ui/segment_review.py" line="43"/>
        <source>Other</source>
        <translation>Другое</translation>
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
        <translation>Было</translation>
    </message>
    <message>
        <location filename="../../app/ui/segment_review.py" line="81"/>
        <source>Now</source>
        <translation>Стало</translation>
    </message>
    <message>
        <location filename="../../app/ui/segment_review.py" line="81"/>
        <source>12-month value</source>
        <translation>Сумма за 12 мес.</translation>
    </message>
    <message>
        <location filename="../../app/ui/segment_review.py" line="82"/>
        <source>Purchases</source>
        <translation>Покупки</translation>
    </message>
    <message>
        <location filename="../../app/ui/segment_review.py" line="82"/>
        <source>Call minutes</source>
        <translation>Минуты звонков</translation>
    </message>
    <message>
        <location filename="../../app/ui/segment_review.py" line="82"/>
        <source>Why did they move?</source>
        <translation>Почему сменил группу?</translation>
    </message>
    <message>
        <location filename="../../app/ui/segment_review.py" line="83"/>
        <source>Details</source>
        <translation>Подробности</translation>
    </message>
    <message>
        <location filename="../../app/ui/segment_review.py" line="123"/>
        <source>Quarterly A/B/C review: %1</source>
        <translation>Ежеквартальный пересмотр групп A/B/C: %1</translation>
    </message>
    <message numerus="yes">
        <location filename="../../app/ui/segment_review.py" line="128"/>
        <source>No review is recorded yet. Record the groups of all %Ln client(s) as the starting point; at the next review this list shows who moved between A, B and C, and asks why.</source>
        <translation>
            <numerusform>Пересмотр ещё не записан. Запишите группы всех %Ln клиента как отправную точку; при следующем пересмотре в этом списке будет видно, кто перешёл в другую группу (A, B или C), и программа спросит почему.</numerusform>
            <numerusform>Пересмотр ещё не записан. Запишите группы всех %Ln клиентов как отправную точку; при следующем пересмотре в этом списке будет видно, кто перешёл в другую группу (A, B или C), и программа спросит почему.</numerusform>
            <numerusform>Пересмотр ещё не записан. Запишите группы всех %Ln клиентов как отправную точку; при следующем пересмотре в этом списке будет видно, кто перешёл в другую группу (A, B или C), и программа спросит почему.</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <location filename="../../app/ui/segment_review.py" line="192"/>
        <source>Recorded the groups of %Ln client(s) for %1.</source>
        <translation>
            <numerusform>Записаны группы %Ln клиента за %1.</numerusform>
            <numerusform>Записаны группы %Ln клиентов за %1.</numerusform>
            <numerusform>Записаны группы %Ln клиентов за %1.</numerusform>
        </translation>
    </message>
    <message>
        <location filename="../../app/ui/segment_review.py" line="131"/>
        <source>Record the groups</source>
        <translation>Записать группы</translation>
    </message>
    <message>
        <location filename="../../app/ui/segment_review.py" line="134"/>
        <source>Clients whose group changed since the review of %1. Compare what they bring with the time they take, and say why each one moved.</source>
        <translation>Клиенты, чья группа изменилась после пересмотра за %1. Сравните, что они приносят, с тем, сколько времени они отнимают, и укажите, почему каждый из них сменил группу.</translation>
    </message>
    <message>
        <location filename="../../app/ui/segment_review.py" line="137"/>
        <source>Record the review</source>
        <translation>Записать пересмотр</translation>
    </message>
    <message>
        <location filename="../../app/ui/segment_review.py" line="138"/>
        <source>This quarter&apos;s review is recorded; recording again updates it.</source>
        <translation>Пересмотр за этот квартал записан; повторная запись обновит его.</translation>
    </message>
    <message>
        <location filename="../../app/ui/segment_review.py" line="148"/>
        <source>Group set by the owner: %1</source>
        <translation>Группа задана владельцем: %1</translation>
    </message>
    <message>
        <location filename="../../app/ui/segment_review.py" line="161"/>
        <source>— choose —</source>
        <translation>— выберите —</translation>
    </message>
    <message>
        <location filename="../../app/ui/segment_review.py" line="166"/>
        <source>What happened, in a few words</source>
        <translation>Что произошло — в нескольких словах</translation>
    </message>
    <message>
        <location filename="../../app/ui/segment_review.py" line="172"/>
        <source>Nobody moved.</source>
        <translation>Никто не сменил группу.</translation>
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
        <translation>Дата создания</translation>
    </message>
    <message>
        <location filename="../../app/ui/server_backup_settings.py" line="48"/>
        <source>Size</source>
        <translation>Размер</translation>
    </message>
    <message>
        <location filename="../../app/ui/server_backup_settings.py" line="54"/>
        <source>Back up now</source>
        <translation>Создать резервную копию сейчас</translation>
    </message>
    <message>
        <location filename="../../app/ui/server_backup_settings.py" line="55"/>
        <source>How to restore the chosen backup…</source>
        <translation>Как восстановить выбранную копию…</translation>
    </message>
    <message>
        <location filename="../../app/ui/server_backup_settings.py" line="57"/>
        <source>Open the folder</source>
        <translation>Открыть папку</translation>
    </message>
    <message>
        <location filename="../../app/ui/server_backup_settings.py" line="64"/>
        <source>This window works on an office server, so the server&apos;s database is backed up with PostgreSQL&apos;s pg_dump: here when you ask, and every night on the server itself when it is scheduled there (the README says how). Every PC keeps its own copies in the folder below.</source>
        <translation>Это окно работает на офисном сервере, поэтому базу данных сервера копирует pg_dump из PostgreSQL: здесь, когда вы просите, и каждую ночь на самом сервере, если это там запланировано (в README сказано как). Каждый компьютер хранит свои копии в папке ниже.</translation>
    </message>
    <message>
        <location filename="../../app/ui/server_backup_settings.py" line="82"/>
        <source>pg_dump: %1</source>
        <translation>pg_dump: %1</translation>
    </message>
    <message>
        <location filename="../../app/ui/server_backup_settings.py" line="83"/>
        <source>pg_dump is not installed on this PC: install PostgreSQL&apos;s client programs to back up from here, or schedule pg_dump on the server.</source>
        <translation>На этом компьютере нет pg_dump: установите клиентские программы PostgreSQL, чтобы делать копии отсюда, или запланируйте pg_dump на сервере.</translation>
    </message>
    <message>
        <location filename="../../app/ui/server_backup_settings.py" line="98"/>
        <location filename="../../app/ui/server_backup_settings.py" line="114"/>
        <source>Backing up the server&apos;s database…</source>
        <translation>Резервное копирование базы данных сервера…</translation>
    </message>
    <message>
        <location filename="../../app/ui/server_backup_settings.py" line="102"/>
        <source>Backed up to %1.</source>
        <translation>Резервная копия создана: %1.</translation>
    </message>
    <message>
        <location filename="../../app/ui/server_backup_settings.py" line="122"/>
        <source>Restore a backup of the server</source>
        <translation>Восстановить копию сервера</translation>
    </message>
    <message>
        <location filename="../../app/ui/server_backup_settings.py" line="123"/>
        <source>A restore replaces the shared database for every PC, so it is done on the server by whoever runs it, with every ClientCare window closed:

%1

Then open ClientCare again on each PC.</source>
        <translation>Восстановление заменяет общую базу данных для всех компьютеров, поэтому его делает на сервере тот, кто им управляет, когда все окна ClientCare закрыты:

%1

Затем снова откройте ClientCare на каждом компьютере.</translation>
    </message>
    <message>
        <location filename="../../app/ui/server_backup_settings.py" line="130"/>
        <source>Check the database</source>
        <translation>Проверить базу данных</translation>
    </message>
    <message>
        <location filename="../../app/ui/server_backup_settings.py" line="131"/>
        <source>The office server keeps its own database consistent (PostgreSQL checks every page it reads). Its administrator can check it with pg_amcheck.</source>
        <translation>Офисный сервер сам следит за целостностью своей базы данных (PostgreSQL проверяет каждую читаемую страницу). Его администратор может проверить её программой pg_amcheck.</translation>
    </message>
</context>
<context>
    <name>SettingsPage</name>
    <message>
        <location filename="../../app/ui/settings_page.py" line="58"/>
        <source>The business</source>
        <translation>Организация</translation>
    </message>
    <message>
        <location filename="../../app/ui/settings_page.py" line="71"/>
        <source>Name</source>
        <translation>Название</translation>
    </message>
    <message>
        <location filename="../../app/ui/settings_page.py" line="73"/>
        <source>Currency</source>
        <translation>Валюта</translation>
    </message>
    <message>
        <location filename="../../app/ui/settings_page.py" line="72"/>
        <source>Country (phone numbers, public holidays, name days)</source>
        <translation>Страна (номера телефонов, государственные праздники, именины)</translation>
    </message>
    <message>
        <location filename="../../app/ui/settings_page.py" line="76"/>
        <source>Save</source>
        <translation>Сохранить</translation>
    </message>
    <message>
        <location filename="../../app/ui/settings_page.py" line="79"/>
        <source>Phone numbers typed without a country code are read as numbers of this country.</source>
        <translation>Номера телефонов, введённые без кода страны, считаются номерами этой страны.</translation>
    </message>
    <message>
        <location filename="../../app/ui/settings_page.py" line="90"/>
        <source>At the first start of a day, show a short notice of the day&apos;s calls and birthdays</source>
        <translation>При первом запуске за день показывать краткое уведомление о звонках и днях рождения</translation>
    </message>
    <message>
        <location filename="../../app/ui/settings_page.py" line="96"/>
        <source>Business</source>
        <translation>Организация</translation>
    </message>
    <message>
        <location filename="../../app/ui/settings_page.py" line="97"/>
        <source>Rules</source>
        <translation>Правила</translation>
    </message>
    <message>
        <location filename="../../app/ui/settings_page.py" line="104"/>
        <source>Staff</source>
        <translation>Сотрудники</translation>
    </message>
    <message>
        <location filename="../../app/ui/settings_page.py" line="105"/>
        <source>Backups</source>
        <translation>Резервные копии</translation>
    </message>
    <message>
        <location filename="../../app/ui/settings_page.py" line="107"/>
        <source>Messages</source>
        <translation>Сообщения</translation>
    </message>
    <message>
        <location filename="../../app/ui/settings_page.py" line="109"/>
        <source>Office server</source>
        <translation>Офисный сервер</translation>
    </message>
    <message>
        <location filename="../../app/ui/settings_page.py" line="128"/>
        <source>Saving the setting</source>
        <translation>Сохранение настройки</translation>
    </message>
    <message>
        <location filename="../../app/ui/settings_page.py" line="146"/>
        <source>Saving the business and rescheduling the calls</source>
        <translation>Сохранение данных компании и перепланирование звонков</translation>
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
        <translation>Кто работает за этим местом?</translation>
    </message>
    <message>
        <location filename="../../app/ui/sign_in.py" line="150"/>
        <source>Sign in</source>
        <translation>Войти</translation>
    </message>
    <message>
        <location filename="../../app/ui/sign_in.py" line="157"/>
        <source>%1 (%2)</source>
        <translation>%1 (%2)</translation>
    </message>
    <message>
        <location filename="../../app/ui/sign_in.py" line="160"/>
        <source>Name</source>
        <translation>Имя</translation>
    </message>
    <message>
        <location filename="../../app/ui/sign_in.py" line="161"/>
        <source>Password</source>
        <translation>Пароль</translation>
    </message>
</context>
<context>
    <name>SmsTab</name>
    <message>
        <location filename="../../app/ui/messages_settings.py" line="408"/>
        <source>SMSAPI — Poland</source>
        <translation>SMSAPI — Польша</translation>
    </message>
    <message>
        <location filename="../../app/ui/messages_settings.py" line="409"/>
        <source>SMSAPI — Bulgaria</source>
        <translation>SMSAPI — Болгария</translation>
    </message>
    <message>
        <location filename="../../app/ui/messages_settings.py" line="410"/>
        <source>Twilio — international</source>
        <translation>Twilio — международный</translation>
    </message>
    <message>
        <location filename="../../app/ui/messages_settings.py" line="418"/>
        <source>kept in the system keyring</source>
        <translation>хранится в системном хранилище паролей</translation>
    </message>
    <message>
        <location filename="../../app/ui/messages_settings.py" line="421"/>
        <source>empty: the gateway&apos;s own address</source>
        <translation>пусто: собственный адрес шлюза</translation>
    </message>
    <message>
        <location filename="../../app/ui/messages_settings.py" line="423"/>
        <source>Save</source>
        <translation>Сохранить</translation>
    </message>
    <message>
        <location filename="../../app/ui/messages_settings.py" line="427"/>
        <source>Send a test SMS</source>
        <translation>Отправить тестовое SMS</translation>
    </message>
    <message>
        <location filename="../../app/ui/messages_settings.py" line="432"/>
        <source>SMS gateway</source>
        <translation>SMS-шлюз</translation>
    </message>
    <message>
        <location filename="../../app/ui/messages_settings.py" line="434"/>
        <source>Gateway</source>
        <translation>Шлюз</translation>
    </message>
    <message>
        <location filename="../../app/ui/messages_settings.py" line="435"/>
        <source>Sender name or number</source>
        <translation>Имя или номер отправителя</translation>
    </message>
    <message>
        <location filename="../../app/ui/messages_settings.py" line="437"/>
        <source>Account SID</source>
        <translation>SID аккаунта</translation>
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
        <translation>Тестовое SMS на</translation>
    </message>
    <message>
        <location filename="../../app/ui/messages_settings.py" line="450"/>
        <source>SMSAPI: make a token in its panel (API settings → OAuth tokens) with the SMS permission. Twilio: the Account SID and Auth Token of its console, and a number bought there as the sender.</source>
        <translation>SMSAPI: создайте токен в панели (настройки API → токены OAuth) с правом SMS. Twilio: SID аккаунта и токен авторизации из его консоли и купленный там номер как отправитель.</translation>
    </message>
    <message>
        <location filename="../../app/ui/messages_settings.py" line="498"/>
        <source>Saved. The token is in the system keyring.</source>
        <translation>Сохранено. Токен в системном хранилище паролей.</translation>
    </message>
    <message>
        <location filename="../../app/ui/messages_settings.py" line="512"/>
        <source>Saving the SMS gateway</source>
        <translation>Сохранение SMS-шлюза</translation>
    </message>
    <message>
        <location filename="../../app/ui/messages_settings.py" line="518"/>
        <source>A test SMS from ClientCare: the gateway is set up right.</source>
        <translation>Тестовое SMS от ClientCare: шлюз настроен правильно.</translation>
    </message>
    <message>
        <location filename="../../app/ui/messages_settings.py" line="526"/>
        <source>Type the number to send the test SMS to.</source>
        <translation>Введите номер для тестового SMS.</translation>
    </message>
    <message>
        <location filename="../../app/ui/messages_settings.py" line="537"/>
        <source>A test SMS went to %1.</source>
        <translation>Тестовое SMS отправлено на %1.</translation>
    </message>
    <message>
        <location filename="../../app/ui/messages_settings.py" line="543"/>
        <source>Sending a test SMS</source>
        <translation>Отправка тестового SMS</translation>
    </message>
</context>
<context>
    <name>StaffSettings</name>
    <message>
        <location filename="../../app/ui/labels.py" line="138"/>
        <source>Owner</source>
        <translation>Владелец</translation>
    </message>
    <message>
        <location filename="../../app/ui/labels.py" line="139"/>
        <source>Manager</source>
        <translation>Менеджер</translation>
    </message>
    <message>
        <location filename="../../app/ui/labels.py" line="140"/>
        <source>Receptionist</source>
        <translation>Администратор</translation>
    </message>
    <message>
        <location filename="../../app/ui/staff_settings.py" line="59"/>
        <source>The people who call clients and handle complaints. Owners may approve any compensation. Nobody is ever deleted, because calls and complaints name them: untick Active when somebody leaves.</source>
        <translation>Сотрудники, которые звонят клиентам и работают с жалобами. Владельцы могут одобрить любую компенсацию. Сотрудники никогда не удаляются, потому что они указаны в звонках и жалобах: когда кто-то уходит, снимите отметку «Активный».</translation>
    </message>
    <message>
        <location filename="../../app/ui/staff_settings.py" line="65"/>
        <source>Name</source>
        <translation>Имя</translation>
    </message>
    <message>
        <location filename="../../app/ui/staff_settings.py" line="65"/>
        <source>Role</source>
        <translation>Роль</translation>
    </message>
    <message>
        <location filename="../../app/ui/staff_settings.py" line="65"/>
        <source>Active</source>
        <translation>Активный</translation>
    </message>
    <message>
        <location filename="../../app/ui/staff_settings.py" line="66"/>
        <source>Password</source>
        <translation>Пароль</translation>
    </message>
    <message>
        <location filename="../../app/ui/staff_settings.py" line="80"/>
        <source>Add person</source>
        <translation>Добавить сотрудника</translation>
    </message>
    <message>
        <location filename="../../app/ui/staff_settings.py" line="82"/>
        <source>Save</source>
        <translation>Сохранить</translation>
    </message>
    <message>
        <location filename="../../app/ui/staff_settings.py" line="84"/>
        <source>Set a password…</source>
        <translation>Задать пароль…</translation>
    </message>
    <message>
        <location filename="../../app/ui/staff_settings.py" line="89"/>
        <source>On the office server everyone signs in with their own password.</source>
        <translation>На офисном сервере каждый входит со своим паролем.</translation>
    </message>
    <message>
        <location filename="../../app/ui/staff_settings.py" line="92"/>
        <source>Everyone signs in with a password on this PC</source>
        <translation>На этом компьютере все входят с паролем</translation>
    </message>
    <message>
        <location filename="../../app/ui/staff_settings.py" line="129"/>
        <source>yes</source>
        <translation>да</translation>
    </message>
    <message>
        <location filename="../../app/ui/staff_settings.py" line="214"/>
        <source>Saved.</source>
        <translation>Сохранено.</translation>
    </message>
    <message>
        <location filename="../../app/ui/staff_settings.py" line="224"/>
        <source>Choose a saved person in the list first.</source>
        <translation>Сначала выберите сохранённого сотрудника в списке.</translation>
    </message>
    <message>
        <location filename="../../app/ui/staff_settings.py" line="230"/>
        <source>%1 can sign in now.</source>
        <translation>%1 теперь может входить.</translation>
    </message>
    <message>
        <location filename="../../app/ui/staff_settings.py" line="243"/>
        <source>Everyone signs in from the next start.</source>
        <translation>Со следующего запуска все входят с паролем.</translation>
    </message>
    <message>
        <location filename="../../app/ui/staff_settings.py" line="244"/>
        <source>Nobody needs to sign in from the next start.</source>
        <translation>Со следующего запуска входить не нужно.</translation>
    </message>
    <message>
        <location filename="../../app/ui/staff_settings.py" line="248"/>
        <source>Nothing was saved.</source>
        <translation>Ничего не сохранено.</translation>
    </message>
    <message>
        <location filename="../../app/ui/staff_settings.py" line="268"/>
        <source>Not saved yet.</source>
        <translation>Ещё не сохранено.</translation>
    </message>
</context>
<context>
    <name>TemplatesTab</name>
    <message>
        <location filename="../../app/ui/messages_settings.py" line="79"/>
        <source>Save the template</source>
        <translation>Сохранить шаблон</translation>
    </message>
    <message>
        <location filename="../../app/ui/messages_settings.py" line="81"/>
        <source>Back to ClientCare&apos;s text</source>
        <translation>Вернуть текст ClientCare</translation>
    </message>
    <message>
        <location filename="../../app/ui/messages_settings.py" line="88"/>
        <source>Type a client&apos;s name</source>
        <translation>Введите имя клиента</translation>
    </message>
    <message>
        <location filename="../../app/ui/messages_settings.py" line="89"/>
        <source>Preview</source>
        <translation>Предпросмотр</translation>
    </message>
    <message>
        <location filename="../../app/ui/messages_settings.py" line="99"/>
        <source>Language</source>
        <translation>Язык</translation>
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
        <translation>Подстановки</translation>
    </message>
    <message>
        <location filename="../../app/ui/messages_settings.py" line="115"/>
        <source>Preview with</source>
        <translation>Предпросмотр для</translation>
    </message>
    <message>
        <location filename="../../app/ui/messages_settings.py" line="148"/>
        <source>(edited)</source>
        <translation>(изменён)</translation>
    </message>
    <message>
        <location filename="../../app/ui/messages_settings.py" line="189"/>
        <source>(before the placeholders are filled in)</source>
        <translation>(до заполнения подстановок)</translation>
    </message>
    <message>
        <location filename="../../app/ui/messages_settings.py" line="218"/>
        <source>Saved.</source>
        <translation>Сохранено.</translation>
    </message>
    <message>
        <location filename="../../app/ui/messages_settings.py" line="234"/>
        <source>Choose a client from the suggestions.</source>
        <translation>Выберите клиента из подсказок.</translation>
    </message>
</context>
<context>
    <name>Today</name>
    <message>
        <location filename="../../app/ui/today_page.py" line="100"/>
        <source>Book a meeting; do not sell on the phone. Check the promo, discount and frozen marks first.</source>
        <extracomment>keys (by their Latin letter) that log at once, and keys that open the form the key that sends a message for the selected calls (issue 18)</extracomment>
        <translation>Назначьте встречу; не продавайте по телефону. Сначала проверьте отметки об акции, скидке и заморозке.</translation>
    </message>
    <message>
        <location filename="../../app/ui/today_page.py" line="102"/>
        <source>Ask how the purchase serves them and whether anything could be better.</source>
        <translation>Спросите, доволен ли клиент покупкой и что можно было бы улучшить.</translation>
    </message>
    <message>
        <location filename="../../app/ui/today_page.py" line="104"/>
        <source>Ask how the first week went and whether they need help getting started.</source>
        <translation>Спросите, как прошла первая неделя и нужна ли помощь, чтобы освоиться.</translation>
    </message>
    <message>
        <location filename="../../app/ui/today_page.py" line="106"/>
        <source>Congratulate them; nothing to sell today.</source>
        <translation>Поздравьте клиента; сегодня ничего не продаём.</translation>
    </message>
    <message>
        <location filename="../../app/ui/today_page.py" line="108"/>
        <source>Prepare a small gift or card for the date.</source>
        <translation>Подготовьте к этой дате небольшой подарок или открытку.</translation>
    </message>
    <message>
        <location filename="../../app/ui/today_page.py" line="109"/>
        <source>Ask whether the fix worked and whether they are satisfied now.</source>
        <translation>Спросите, помогло ли решение и доволен ли клиент теперь.</translation>
    </message>
    <message>
        <location filename="../../app/ui/today_page.py" line="111"/>
        <source>Review the complaint with the team and write down the lesson.</source>
        <translation>Разберите жалобу с командой и запишите выводы.</translation>
    </message>
    <message>
        <location filename="../../app/ui/today_page.py" line="113"/>
        <source>They have not been back for longer than usual: ask why, listen, invite them back.</source>
        <translation>Клиент не приходил дольше обычного: спросите почему, выслушайте, пригласите снова.</translation>
    </message>
    <message>
        <location filename="../../app/ui/today_page.py" line="115"/>
        <source>A valued client with no pleasant contact for a while: call with good news.</source>
        <translation>Ценный клиент, с которым давно не было приятного контакта: позвоните с хорошей новостью.</translation>
    </message>
    <message>
        <location filename="../../app/ui/today_page.py" line="117"/>
        <source>Review the A/B/C groups of the quarter and ask why clients moved.</source>
        <translation>Просмотрите группы A/B/C за квартал и выясните, почему клиенты сменили группу.</translation>
    </message>
    <message>
        <location filename="../../app/ui/today_page.py" line="119"/>
        <source>See the note.</source>
        <translation>См. примечание.</translation>
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
        <translation>Запись звонка</translation>
    </message>
    <message>
        <location filename="../../app/ui/today_page.py" line="413"/>
        <source>not set</source>
        <translation>не указан</translation>
    </message>
    <message>
        <location filename="../../app/ui/today_page.py" line="418"/>
        <source> min</source>
        <translation> мин</translation>
    </message>
    <message>
        <location filename="../../app/ui/today_page.py" line="428"/>
        <source>Log call (Ctrl+Enter)</source>
        <translation>Записать звонок (Ctrl+Enter)</translation>
    </message>
    <message>
        <location filename="../../app/ui/today_page.py" line="433"/>
        <source>Outcome</source>
        <translation>Результат</translation>
    </message>
    <message>
        <location filename="../../app/ui/today_page.py" line="434"/>
        <source>Tone</source>
        <translation>Тон</translation>
    </message>
    <message>
        <location filename="../../app/ui/today_page.py" line="435"/>
        <source>Duration</source>
        <translation>Длительность</translation>
    </message>
    <message>
        <location filename="../../app/ui/today_page.py" line="436"/>
        <source>Note</source>
        <translation>Примечание</translation>
    </message>
    <message>
        <location filename="../../app/ui/today_page.py" line="437"/>
        <source>Why declined</source>
        <translation>Причина отказа</translation>
    </message>
    <message>
        <location filename="../../app/ui/today_page.py" line="438"/>
        <source>Meeting</source>
        <translation>Встреча</translation>
    </message>
    <message>
        <location filename="../../app/ui/today_page.py" line="439"/>
        <source>Call back on</source>
        <translation>Перезвонить</translation>
    </message>
    <message>
        <location filename="../../app/ui/today_page.py" line="445"/>
        <source>Tomorrow</source>
        <translation>Завтра</translation>
    </message>
    <message>
        <location filename="../../app/ui/today_page.py" line="447"/>
        <source>Reschedule…</source>
        <translation>Перенести…</translation>
    </message>
    <message>
        <location filename="../../app/ui/today_page.py" line="448"/>
        <source>Cancel task…</source>
        <translation>Отменить задачу…</translation>
    </message>
    <message>
        <location filename="../../app/ui/today_page.py" line="449"/>
        <source>Open client</source>
        <translation>Открыть клиента</translation>
    </message>
    <message>
        <location filename="../../app/ui/today_page.py" line="450"/>
        <source>New task…</source>
        <translation>Новая задача…</translation>
    </message>
    <message>
        <location filename="../../app/ui/today_page.py" line="451"/>
        <source>Plan a call to any client</source>
        <translation>Запланировать звонок любому клиенту</translation>
    </message>
    <message>
        <location filename="../../app/ui/today_page.py" line="452"/>
        <source>Complaint…</source>
        <translation>Жалоба…</translation>
    </message>
    <message>
        <location filename="../../app/ui/today_page.py" line="454"/>
        <source>Open the client&apos;s complaint, or record a new one</source>
        <translation>Открыть жалобу клиента или зарегистрировать новую</translation>
    </message>
    <message>
        <location filename="../../app/ui/today_page.py" line="456"/>
        <source>Undo call (Ctrl+Z)</source>
        <translation>Отменить звонок (Ctrl+Z)</translation>
    </message>
    <message>
        <location filename="../../app/ui/today_page.py" line="458"/>
        <source>Mark done</source>
        <translation>Готово</translation>
    </message>
    <message>
        <location filename="../../app/ui/today_page.py" line="460"/>
        <source>The to-do is done (e.g. the gift is ready)</source>
        <translation>Дело сделано (например, подарок готов)</translation>
    </message>
    <message>
        <location filename="../../app/ui/today_page.py" line="589"/>
        <location filename="../../app/ui/today_page.py" line="625"/>
        <location filename="../../app/ui/today_page.py" line="656"/>
        <source>Reading today&apos;s calls</source>
        <extracomment>the day-start notice, shown on the first start of a day (app/ui/day_notice.py) the title&apos;s row: the day, and the page&apos;s tools (Print…, app/ui/printing.py)</extracomment>
        <translation>Загрузка звонков на сегодня</translation>
    </message>
    <message>
        <location filename="../../app/ui/today_page.py" line="723"/>
        <source>Today, %1</source>
        <translation>Сегодня, %1</translation>
    </message>
    <message numerus="yes">
        <location filename="../../app/ui/today_page.py" line="747"/>
        <source>%Ln call(s) to make</source>
        <translation>
            <numerusform>%Ln звонок в очереди</numerusform>
            <numerusform>%Ln звонка в очереди</numerusform>
            <numerusform>%Ln звонков в очереди</numerusform>
        </translation>
    </message>
    <message>
        <location filename="../../app/ui/today_page.py" line="748"/>
        <source>No call left to make today. Well done!</source>
        <translation>На сегодня звонков больше не осталось. Отлично!</translation>
    </message>
    <message numerus="yes">
        <location filename="../../app/ui/today_page.py" line="751"/>
        <source>%Ln overdue</source>
        <translation>
            <numerusform>%Ln просроченный</numerusform>
            <numerusform>%Ln просроченных</numerusform>
            <numerusform>%Ln просроченных</numerusform>
        </translation>
    </message>
    <message>
        <location filename="../../app/ui/today_page.py" line="1282"/>
        <source>Message not sent</source>
        <translation>Сообщение не отправлено</translation>
    </message>
    <message>
        <location filename="../../app/ui/today_page.py" line="1283"/>
        <source>The message to %1 was not sent: %2

Send the same message again?</source>
        <translation>Сообщение для %1 не отправлено: %2

Отправить то же сообщение снова?</translation>
    </message>
    <message>
        <location filename="../../app/ui/today_page.py" line="1289"/>
        <source>Send it again</source>
        <translation>Отправить снова</translation>
    </message>
    <message>
        <location filename="../../app/ui/today_page.py" line="1290"/>
        <source>Write a new one</source>
        <translation>Написать новое</translation>
    </message>
    <message>
        <location filename="../../app/ui/today_page.py" line="1303"/>
        <source>Sending the message again</source>
        <translation>Повторная отправка сообщения</translation>
    </message>
    <message>
        <location filename="../../app/ui/today_page.py" line="749"/>
        <source>Nothing due today. Well done!</source>
        <translation>На сегодня звонков нет. Отличная работа!</translation>
    </message>
    <message>
        <location filename="../../app/ui/today_page.py" line="376"/>
        <source>To do — not calls (Enter opens it)</source>
        <extracomment>the calls logged here, newest last, for Ctrl+Z: (contact id, client id, name, the complaint the call opened or None) the whole queue&apos;s figures, counted in the background while not every row is here (None: not counted yet)</extracomment>
        <translation>Дела — не звонки (Enter открывает)</translation>
    </message>
    <message>
        <location filename="../../app/ui/today_page.py" line="394"/>
        <source>Keys: N no answer · M left a message · W wrong number · R reached · B meeting booked · D declined · L call back later · C complaint found · Ctrl+Z undo the last call · Enter open the client</source>
        <translation>Клавиши: N не ответил · M оставлено сообщение · W неверный номер · R дозвонились · B назначена встреча · D отказ · L перезвонить позже · C выявлена жалоба · Ctrl+Z отменить последний звонок · Enter открыть клиента</translation>
    </message>
    <message>
        <location filename="../../app/ui/today_page.py" line="398"/>
        <source>S send a message (several rows selected: to each)</source>
        <translation>S отправить сообщение (выбрано несколько строк: каждому)</translation>
    </message>
    <message>
        <location filename="../../app/ui/today_page.py" line="446"/>
        <source>Snooze the call to the next working day</source>
        <translation>Отложить звонок на следующий рабочий день</translation>
    </message>
    <message numerus="yes">
        <location filename="../../app/ui/today_page.py" line="753"/>
        <source>%Ln logged</source>
        <translation>
            <numerusform>%Ln записан</numerusform>
            <numerusform>%Ln записано</numerusform>
            <numerusform>%Ln записано</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <location filename="../../app/ui/today_page.py" line="755"/>
        <source>%Ln to do</source>
        <translation>
            <numerusform>%Ln дело</numerusform>
            <numerusform>%Ln дела</numerusform>
            <numerusform>%Ln дел</numerusform>
        </translation>
    </message>
    <message>
        <location filename="../../app/ui/today_page.py" line="870"/>
        <source>How to reach: %1</source>
        <translation>Как связаться: %1</translation>
    </message>
    <message>
        <location filename="../../app/ui/today_page.py" line="872"/>
        <source>Note: %1</source>
        <translation>Примечание: %1</translation>
    </message>
    <message>
        <location filename="../../app/ui/today_page.py" line="879"/>
        <source>%1. Ctrl+Z undoes the last call; the client&apos;s card corrects any call.</source>
        <translation>%1. Ctrl+Z отменяет последний звонок; любой звонок можно исправить в карточке клиента.</translation>
    </message>
    <message>
        <location filename="../../app/ui/today_page.py" line="922"/>
        <source>“%1” is not a call: nothing was logged. %2.</source>
        <translation>«%1» — не звонок: ничего не записано. %2.</translation>
    </message>
    <message>
        <location filename="../../app/ui/today_page.py" line="942"/>
        <source>%1 for %2. Ctrl+Z undoes the last call.</source>
        <translation>%1 (%2). Ctrl+Z отменяет последний звонок.</translation>
    </message>
    <message>
        <location filename="../../app/ui/today_page.py" line="980"/>
        <source>Nothing was applied of what you pressed after it: choose the call again.</source>
        <translation>Ничего из нажатого после этого не применено: выберите звонок ещё раз.</translation>
    </message>
    <message>
        <location filename="../../app/ui/today_page.py" line="1026"/>
        <source>Saving the call…</source>
        <translation>Сохранение звонка…</translation>
    </message>
    <message>
        <location filename="../../app/ui/today_page.py" line="1068"/>
        <source>%1 logged for %2 at %3 (Ctrl+Z undoes it).</source>
        <translation>%1 — записано: %2, %3 (Ctrl+Z отменяет).</translation>
    </message>
    <message>
        <location filename="../../app/ui/today_page.py" line="1071"/>
        <source>A complaint was opened for %1.</source>
        <translation>Открыта жалоба клиента %1.</translation>
    </message>
    <message numerus="yes">
        <location filename="../../app/ui/today_page.py" line="1073"/>
        <source>%Ln other call(s) of today closed.</source>
        <translation>
            <numerusform>Закрыт %Ln другой звонок на сегодня.</numerusform>
            <numerusform>Закрыто %Ln других звонка на сегодня.</numerusform>
            <numerusform>Закрыто %Ln других звонков на сегодня.</numerusform>
        </translation>
    </message>
    <message>
        <location filename="../../app/ui/today_page.py" line="1086"/>
        <source>No call to undo.</source>
        <translation>Нет звонка для отмены.</translation>
    </message>
    <message>
        <location filename="../../app/ui/today_page.py" line="1111"/>
        <source>The call to %1 was undone.</source>
        <translation>Звонок отменён: %1.</translation>
    </message>
    <message>
        <location filename="../../app/ui/today_page.py" line="1123"/>
        <source>Undoing the call…</source>
        <translation>Отмена звонка…</translation>
    </message>
    <message>
        <location filename="../../app/ui/today_page.py" line="1197"/>
        <source>Cancel task</source>
        <translation>Отмена задачи</translation>
    </message>
    <message>
        <location filename="../../app/ui/today_page.py" line="1198"/>
        <source>Why is this call no longer needed?</source>
        <translation>Почему этот звонок больше не нужен?</translation>
    </message>
</context>
<context>
    <name>UndoBar</name>
    <message>
        <location filename="../../app/ui/clients_page.py" line="132"/>
        <source>Undo</source>
        <extracomment>the phones of the last first page, as shown (QSettings): the next start paints its first page without importing phonenumbers</extracomment>
        <translation>Отменить</translation>
    </message>
    <message>
        <location filename="../../app/ui/clients_page.py" line="133"/>
        <source>Undo (Ctrl+Z)</source>
        <translation>Отменить (Ctrl+Z)</translation>
    </message>
    <message>
        <location filename="../../app/ui/clients_page.py" line="137"/>
        <source>Close</source>
        <translation>Закрыть</translation>
    </message>
</context>
<context>
    <name>UpdatesAsker</name>
    <message>
        <location filename="../../app/ui/about.py" line="95"/>
        <source>Check for updates</source>
        <translation>Проверка обновлений</translation>
    </message>
    <message>
        <location filename="../../app/ui/about.py" line="101"/>
        <source>ClientCare %1 is available; this is %2.

Open its download page in the browser? Install it over this one: your data is kept, and a backup of it is made before the new version updates it.</source>
        <translation>Доступна версия ClientCare %1; у вас версия %2.

Открыть страницу загрузки в браузере? Установите новую версию поверх этой: данные сохранятся, а перед их обновлением новая версия сделает резервную копию.</translation>
    </message>
    <message>
        <location filename="../../app/ui/about.py" line="111"/>
        <source>ClientCare %1 is the newest version.</source>
        <translation>ClientCare %1 — самая новая версия.</translation>
    </message>
</context>
<context>
    <name>WrongNumberDialog</name>
    <message>
        <location filename="../../app/ui/call_dialogs.py" line="118"/>
        <source>Wrong number</source>
        <translation>Неверный номер</translation>
    </message>
    <message>
        <location filename="../../app/ui/call_dialogs.py" line="122"/>
        <source>The number %2 is not the number of %1. What is the right one? Leave it empty if nobody knows it: the wrong number is removed. The client&apos;s other calls of today are closed.</source>
        <translation>Номер %2 — не номер клиента %1. Какой правильный? Оставьте поле пустым, если его никто не знает: неверный номер будет удалён. Остальные звонки этому клиенту на сегодня закрываются.</translation>
    </message>
    <message>
        <location filename="../../app/ui/call_dialogs.py" line="129"/>
        <source>unknown</source>
        <translation>неизвестен</translation>
    </message>
    <message>
        <location filename="../../app/ui/call_dialogs.py" line="132"/>
        <source>Right number</source>
        <translation>Правильный номер</translation>
    </message>
</context>
</TS>
