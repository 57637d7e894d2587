"""Domain error codes turned into sentences in the user's language."""

from __future__ import annotations

from PySide6.QtCore import QCoreApplication

from app.errors import DomainError, FieldError


def _texts() -> dict[str, str]:
    # Each text is a format string over the error's values.
    return {
        "name.required": QCoreApplication.translate("Messages", "Please enter a name."),
        "text.too_long": QCoreApplication.translate("Messages", "This is too long (at most {maximum} characters)."),
        "phone.invalid": QCoreApplication.translate("Messages", "“{value}” is not a valid phone number."),
        "email.invalid": QCoreApplication.translate("Messages", "“{value}” is not a valid e-mail address."),
        "amount.required": QCoreApplication.translate("Messages", "Please enter an amount."),
        "amount.invalid": QCoreApplication.translate("Messages", "“{value}” is not an amount."),
        "amount.negative": QCoreApplication.translate("Messages", "The amount cannot be negative."),
        "amount.precision": QCoreApplication.translate("Messages", "Use at most two decimal places."),
        "amount.too_large": QCoreApplication.translate("Messages", "The amount is too large."),
        "quantity.positive": QCoreApplication.translate("Messages", "The quantity must be more than zero."),
        "date.required": QCoreApplication.translate("Messages", "Please enter a date."),
        "date.future": QCoreApplication.translate("Messages", "A purchase cannot be dated in the future."),
        "date.invalid": QCoreApplication.translate("Messages", "This is not a valid date."),
        "date.future_unconfirmed": QCoreApplication.translate("Messages", "This date is after today; confirm it to save the purchase."),
        "freeze.outside": QCoreApplication.translate("Messages", "The freeze must start while the membership runs."),
        "purchase.membership_line": QCoreApplication.translate("Messages", "This line is the price of the membership “{plan}”: change it on the Memberships tab."),
        "date.year_digits": QCoreApplication.translate("Messages", "Write the year with four digits."),
        "date.too_early": QCoreApplication.translate("Messages", "Choose {minimum} or a later day."),
        "date.year_future": QCoreApplication.translate("Messages", "The year cannot be in the future."),
        "amount.check": QCoreApplication.translate("Messages", "Read as {value}. If that is right, confirm again."),
        "date.year_range": QCoreApplication.translate("Messages", "The year must be between 1900 and 2100."),
        "date.relative_missing": QCoreApplication.translate("Messages", "The relative of this date was removed."),
        "gift_days.range": QCoreApplication.translate("Messages", "Gift reminder days must be between 0 and 60."),
        "hours.incomplete": QCoreApplication.translate("Messages", "Give both the start and the end of the hours."),
        "hours.order": QCoreApplication.translate("Messages", "The hours must start before they end."),
        "consent.date_required": QCoreApplication.translate("Messages", "Give the date the client gave consent."),
        "consent.date_future": QCoreApplication.translate("Messages", "Consent cannot be given after today."),
        "consent.source_required": QCoreApplication.translate("Messages", "Say where the consent comes from, e.g. signed forms at the reception."),
        "import.consent_kind": QCoreApplication.translate("Messages", "Consent for a whole file can be recorded for a file of clients only."),
        "referral.self": QCoreApplication.translate("Messages", "A client cannot refer themselves."),
        "referral.missing": QCoreApplication.translate("Messages", "The referring client no longer exists."),
        "external_ref.taken": QCoreApplication.translate("Messages", "The number “{value}” already belongs to another client."),
        "plan.required": QCoreApplication.translate("Messages", "Please enter the plan's name."),
        "membership.end_before_start": QCoreApplication.translate("Messages", "The membership ends before it starts."),
        "freeze.incomplete": QCoreApplication.translate("Messages", "Give both the first and the last frozen day."),
        "freeze.order": QCoreApplication.translate("Messages", "The freeze ends before it starts."),
        "freeze.required": QCoreApplication.translate("Messages", "A frozen membership needs its frozen days."),
        "setting.type": QCoreApplication.translate("Messages", "This value has the wrong form."),
        "setting.min": QCoreApplication.translate("Messages", "The value must be at least {minimum}."),
        "setting.max": QCoreApplication.translate("Messages", "The value must be at most {maximum}."),
        "currency.invalid": QCoreApplication.translate("Messages", "A currency is a three-letter code such as PLN or EUR."),
        "client.not_found": QCoreApplication.translate("Messages", "This client no longer exists."),
        "client.changed": QCoreApplication.translate("Messages", "“{name}” was changed elsewhere since you opened it, so your changes were not saved: "
                             "nothing was overwritten. Close the card and open it again to see the changes, then make yours again."),
        "file.write": QCoreApplication.translate(
            "Messages", "The file “{path}” cannot be written: {detail}"),
        "db.is_folder": QCoreApplication.translate("Messages", "“{path}” is a folder, not a database file."),
        "db.no_permission": QCoreApplication.translate("Messages", "ClientCare may not read “{path}”. Check the file's permissions."),
        "db.io": QCoreApplication.translate("Messages", "The database “{path}” cannot be read or written: {detail}"),
        "db.not_database": QCoreApplication.translate("Messages", "“{path}” is not a ClientCare database. Nothing was changed in it."),
        "db.not_clientcare": QCoreApplication.translate("Messages", "“{path}” is a database of another program. "
                                "Nothing was changed in it."),
        "db.damaged": QCoreApplication.translate("Messages", "The database “{path}” is damaged and was not opened. "
                         "Nothing was changed in it. Restore a backup or contact support. "
                         "({detail})"),
        "db.newer": QCoreApplication.translate("Messages", "“{path}” was saved by a newer version of ClientCare. "
                       "Please install the newer version to open it."),
        "db.locked": QCoreApplication.translate("Messages", "The database “{path}” is in use by another program. "
                        "Close it and try again."),
        "db.read_only": QCoreApplication.translate("Messages", "The database “{path}” cannot be written (read-only folder or "
                           "file). Nothing was changed."),
        "db.folder": QCoreApplication.translate("Messages", "The folder “{path}” cannot be created: {detail}"),
        "db.cannot_open": QCoreApplication.translate("Messages", "The database “{path}” cannot be opened: its folder may be read-only or its drive disconnected. Nothing was changed. Choose another folder for the database or reconnect the drive."),
        "db.needs_recovery": QCoreApplication.translate("Messages", "The database “{path}” was left in the middle of a save by a program that stopped. Open it in ClientCare, which finishes the recovery, then check it again. Nothing was changed."),
        "db.open_read_only": QCoreApplication.translate("Messages", "This database is open read-only: nothing was saved."),
        "db.replacing": QCoreApplication.translate("Messages", "The database is being put back from a backup. Wait until that is done, then try again; nothing was saved."),
        "db.older_read_only": QCoreApplication.translate("Messages", "“{path}” was saved by an older version of ClientCare and must be updated before it can be opened. An update writes to the file, which cannot be done read-only. Copy it to a folder you can write to and open the copy. Nothing was changed."),
        "db.erasure_owed_read_only": QCoreApplication.translate("Messages", "“{path}” still holds data that was erased at a person's request (it is an older copy of the database). It cannot be opened read-only, because the erasure cannot be applied again without writing. Copy it to a folder you can write to and open the copy: the erasure is then applied again. Nothing was changed."),
        "db.copy_exists": QCoreApplication.translate("Messages", "“{path}” already exists; choose another name. Nothing was replaced."),
        "db.copy_failed": QCoreApplication.translate("Messages", "The database could not be copied to “{path}”: {detail}. Nothing was changed."),
        "db.missing": QCoreApplication.translate("Messages", "The database “{path}” does not exist."),
        "db.locked_write": QCoreApplication.translate("Messages", "The database is busy in another program; your change was not "
                              "saved. Please try again in a moment."),
        "db.read_only_write": QCoreApplication.translate("Messages", "The database cannot be written (read-only). "
                                 "Your change was not saved."),
        "db.disk_full": QCoreApplication.translate("Messages", "The disk is full; your change was not saved. "
                           "Free some space and try again."),
        "staff.name_required": QCoreApplication.translate("Messages", "Please enter the person's name."),
        "staff.owner_required": QCoreApplication.translate("Messages", "At least one active owner must remain, so that somebody may approve compensation."),
        "staff.not_found": QCoreApplication.translate("Messages", "This person no longer exists."),
        "staff.choose": QCoreApplication.translate("Messages", "Choose who is handling the complaint (at the top of the window)."),
        "complaint.not_found": QCoreApplication.translate("Messages", "This complaint no longer exists."),
        "complaint.closed": QCoreApplication.translate("Messages", "This complaint is closed; only its review and lesson can still be changed."),
        "complaint.changed": QCoreApplication.translate("Messages", "Someone else saved this complaint since you opened it. Close it and open it again to see their changes."),
        "complaint.apology_required": QCoreApplication.translate("Messages", "Write the apology as it was given."),
        "complaint.request_required": QCoreApplication.translate("Messages", "Write what the client asked for."),
        "complaint.rating_range": QCoreApplication.translate("Messages", "The rating is from 1 to 5."),
        "compensation.refund_over_paid": QCoreApplication.translate("Messages", "The refund ({value}) is more than the client paid in the period ({paid})."),
        "working_days.required": QCoreApplication.translate("Messages", "Choose at least one day the business is open."),
        "compensation.needs_approval": QCoreApplication.translate("Messages", "This is more than your role may grant ({limit}). Choose the owner who approved it."),
        "segment.override_reason_required": QCoreApplication.translate("Messages", "Say why this client is always in this group."),
        "segment.reason_required": QCoreApplication.translate("Messages", "Choose why the client moved."),
        "segment.reason_text_required": QCoreApplication.translate("Messages", "Describe the other reason in a few words."),
        "backup.failed": QCoreApplication.translate("Messages", "The backup “{path}” could not be written: {detail}. Nothing in the database was changed."),
        "backup.unusable": QCoreApplication.translate("Messages", "The backup “{path}” cannot be restored: {detail}. The database was not changed."),
        "backup.restore_failed": QCoreApplication.translate("Messages", "The backup could not be put in place: {detail}. The data you had is in the backup made just before."),
        "backup.not_found": QCoreApplication.translate("Messages", "“{path}” is not one of this database's backups."),
        "backup.delete_failed": QCoreApplication.translate("Messages", "The backup “{path}” could not be deleted: {detail}"),
        "backup.folder": QCoreApplication.translate("Messages", "Backups cannot be kept in “{path}”: {detail}. The backups stay where they were."),
        "import.missing": QCoreApplication.translate("Messages", "The file “{path}” does not exist."),
        "import.unreadable": QCoreApplication.translate("Messages", "The file “{path}” cannot be read. Check that it is a file and that it is not open in another program."),
        "import.no_permission": QCoreApplication.translate("Messages", "ClientCare may not read the file “{path}”. Check the file's permissions."),
        "import.empty": QCoreApplication.translate("Messages", "The file “{path}” has no rows to import."),
        "import.too_big": QCoreApplication.translate("Messages", "Row {row}: the file has more than {maximum} rows; split it into smaller files."),
        "import.too_wide": QCoreApplication.translate("Messages", "Row {row} has more than {maximum} columns. Is this the right file?"),
        "import.too_many_cells": QCoreApplication.translate("Messages", "Row {row}: the file has more than {maximum} filled cells; split it into smaller files."),
        "import.cell_too_long": QCoreApplication.translate("Messages", "Row {row} has a cell longer than {maximum} characters. Is this the right file?"),
        "import.line_too_long": QCoreApplication.translate("Messages", "Row {row} is a line longer than {maximum} characters. Is this the right file?"),
        "import.csv_broken": QCoreApplication.translate("Messages", "Row {row} is not a row of a table (it holds a character no table has). Save the file again as CSV or as an Excel workbook."),
        "import.encoding": QCoreApplication.translate("Messages", "Row {row} has characters that are not in the encoding {encoding}. Choose the file's encoding."),
        "import.encoding_unknown": QCoreApplication.translate("Messages", "ClientCare does not know this encoding."),
        "import.header_row": QCoreApplication.translate("Messages", "Row {row} of the file is empty or not there; choose the row with the headings."),
        "import.xlsx_unreadable": QCoreApplication.translate("Messages", "The file “{path}” is not an Excel workbook (XLSX) or is damaged. Open it in Excel or LibreOffice and save it again."),
        "import.xlsx_no_sheet": QCoreApplication.translate("Messages", "The workbook “{path}” has no sheet."),
        "import.xlsx_damaged": QCoreApplication.translate("Messages", "Row {row} of the workbook “{path}” is damaged. Open it in Excel or LibreOffice and save it again."),
        "import.xlsx_too_big": QCoreApplication.translate("Messages", "The workbook “{path}” unpacks to more than {maximum} MB; split it into smaller files."),
        "import.vcard_charset": QCoreApplication.translate("Messages", "Line {row} of the contacts file is not text in the character set “{charset}” it names. Export the contacts again."),
        "import.key_missing": QCoreApplication.translate("Messages", "Choose the column of the client's card number, phone or e-mail, so each purchase finds its client. The file has the columns: {columns}."),
        "import.key_unmapped": QCoreApplication.translate("Messages", "The column “{column}” holds the clients' card numbers: import it as the card number."),
        "import.row_failed": QCoreApplication.translate("Messages", "Row {row} could not be saved; nothing was imported. Fix the row in the file and import it again."),
        "import.kind": QCoreApplication.translate("Messages", "Choose whether the file holds clients or purchases."),
        "import.client_required": QCoreApplication.translate("Messages", "Give the client's card number, phone or e-mail, so the purchase finds its client."),
        "phone.unchecked": QCoreApplication.translate("Messages", "Imported; “{value}” is not a valid phone number of {region}, so it is kept as it is and marked “check this number”."),
        "export.format": QCoreApplication.translate("Messages", "Choose a file ending in .csv or .xlsx."),
        "merge.erased": QCoreApplication.translate("Messages", "A client whose personal data was erased cannot be merged."),
        "erase.compact": QCoreApplication.translate("Messages", "The personal data was erased, but the database file could not be compacted: {detail}. It is compacted again after the next erase."),
        "erase.backup_failed": QCoreApplication.translate("Messages", "The backup “{path}” could not be cleaned: {detail}. Restoring it still erases the person again."),
        "merge.same": QCoreApplication.translate("Messages", "Choose two different clients to merge."),
        "call.meeting_required": QCoreApplication.translate("Messages", "Give the meeting's date and time."),
        "call.callback_required": QCoreApplication.translate("Messages", "Give the day to call back."),
        "call.callback_future": QCoreApplication.translate("Messages", "The call-back day must be after the day of the call."),
        "call.reason_required": QCoreApplication.translate("Messages", "Give the reason the client declined."),
        "call.duration_range": QCoreApplication.translate("Messages", "The duration must be between 0 and 24 hours."),
        "call.not_found": QCoreApplication.translate("Messages", "This call is no longer in the log."),
        "call.not_restorable": QCoreApplication.translate("Messages", "This call was logged before ClientCare kept what a call changes, so its outcome cannot be changed or undone; its tone and note can."),
        "call.later_call": QCoreApplication.translate("Messages", "A later call was logged on the same tasks: correct or undo that call first."),
        "call.complaint_worked_on": QCoreApplication.translate("Messages", "The complaint this call opened has been worked on since; the call stays as it is. Handle the complaint in its own window."),
        "task.not_found": QCoreApplication.translate("Messages", "This task no longer exists."),
        "task.closed": QCoreApplication.translate("Messages", "This task is already done or cancelled."),
        "task.not_a_call": QCoreApplication.translate("Messages", "This is an internal to-do, not a call: it is done by doing it, and no call is logged on it."),
        "task.done_by_doing": QCoreApplication.translate("Messages", "This to-do is done by doing it (the review), not by ticking it off."),
        "task.date_past": QCoreApplication.translate("Messages", "The day cannot be in the past."),
        "task.closed_day": QCoreApplication.translate("Messages", "{day} is not a working day (a closed day or a public holiday); the next working day is {next_day}."),
        "task.reason_required": QCoreApplication.translate("Messages", "Say why the task is cancelled."),
        "complaint.item_range": QCoreApplication.translate("Messages", "This step of the checklist does not exist, so nothing was ticked. Close the complaint and open it again; what was saved before is kept."),
        "complaint.review_field": QCoreApplication.translate("Messages", "The review holds a question ClientCare does not know, so the review was not saved. Close the complaint and open it again; what was saved before is kept."),
        "export.what": QCoreApplication.translate("Messages", "ClientCare cannot export this table, so no file was written. Choose one of the tables offered; your data is unchanged."),
        "print.failed": QCoreApplication.translate("Messages", "The day's list could not be printed ({detail}). Check the printer and try again; nothing was changed."),
        "print.pdf_failed": QCoreApplication.translate("Messages", "The PDF “{path}” could not be written: {detail}. Choose another folder or file name; nothing was changed."),
        "db.unexpected": QCoreApplication.translate("Messages", "The database reported an error; your change was not saved. "
                            "({detail})"),
        "io.failed": QCoreApplication.translate("Messages", "A file could not be read or written; nothing was changed. ({detail})"),
        "app.unexpected": QCoreApplication.translate("Messages", "Something unexpected went wrong; nothing was changed. Details were written to the log."),
        "risk.horizon_range": QCoreApplication.translate("Messages", "The horizon must be between {minimum} and {maximum} days."),
        "risk.horizon_unknown": QCoreApplication.translate("Messages", "The purchases known end on {last}, so the {days} days after {cut} (up to {end}) cannot be checked yet. Choose an earlier date."),
        "risk.no_buyers": QCoreApplication.translate("Messages", "No client had bought anything by {cut}, so there is nothing to check. Choose a later date."),
        "server.bad_url": QCoreApplication.translate("Messages", "“{url}” is not the address of a PostgreSQL database. Write it as postgresql+psycopg://user:password@server/database."),
        "server.refused": QCoreApplication.translate("Messages", "No database server answers at “{url}”. Check the server's name and port and that PostgreSQL runs there; nothing was changed."),
        "server.password": QCoreApplication.translate("Messages", "The server refused the user name or password of “{url}”; nothing was changed."),
        "server.no_database": QCoreApplication.translate("Messages", "The server has no database named in “{url}”. Create it first (createdb); nothing was changed."),
        "server.unexpected": QCoreApplication.translate("Messages", "The database server reported an error; nothing was changed. ({detail})"),
        "server.not_clientcare": QCoreApplication.translate("Messages", "The database “{url}” holds the tables of another program. Nothing was changed in it."),
        "server.newer": QCoreApplication.translate("Messages", "The database “{url}” was written by a newer version of ClientCare. Nothing was changed in it."),
        "server.unknown_host": QCoreApplication.translate("Messages", "The server name “{host}” is not known on this network. Check how it is written, or give the server's IP address (such as 192.168.1.10); nothing was changed."),
        "server.timeout": QCoreApplication.translate("Messages", "The server {host} did not answer within {seconds} seconds. Check that this PC is on the office network and that no firewall closes port {port}; nothing was changed."),
        "server.no_permission": QCoreApplication.translate("Messages", "The server does not let the user “{user}” work in the database “{database}”. Whoever set up the server can give the user the rights (see the README); nothing was changed. ({detail})"),
        "server.no_create": QCoreApplication.translate("Messages", "The user “{user}” may not create tables in the database “{database}”, so ClientCare cannot set it up or update it. Make the user the database's owner on the server (see the README); nothing was changed."),
        "office.choice_unreadable": QCoreApplication.translate("Messages", "This PC's choice of the office server cannot be read from “{path}” ({detail}). Choose the server again in Settings → Office server."),
        "office.choice_unwritable": QCoreApplication.translate("Messages", "This PC's choice of the office server cannot be saved in “{path}”: {detail}. Nothing was changed."),
        "office.host_required": QCoreApplication.translate("Messages", "Give the server's name or IP address."),
        "office.host_invalid": QCoreApplication.translate("Messages", "“{value}” is not a server's name: write only the name or the IP address, such as 192.168.1.10."),
        "office.database_required": QCoreApplication.translate("Messages", "Give the name of the database on the server."),
        "office.user_required": QCoreApplication.translate("Messages", "Give the user name for the server."),
        "server.not_empty": QCoreApplication.translate("Messages", "The database “{url}” already holds data, so nothing was copied into it. Choose an empty database, or replace what it holds."),
        # messages to clients (issue 18)
        "template.brace": QCoreApplication.translate("Messages", "A brace is not closed. Write a placeholder as {example}; a brace meant as text is written twice: {open} or {close}."),
        "template.unknown_placeholder": QCoreApplication.translate("Messages", "{placeholder} is not a placeholder ClientCare knows. Use one of: {known}."),
        "template.unknown": QCoreApplication.translate("Messages", "ClientCare has no such template, so nothing was saved."),
        "template.subject_required": QCoreApplication.translate("Messages", "An e-mail needs a subject."),
        "template.subject_line": QCoreApplication.translate("Messages", "The subject is one line of at most {maximum} characters."),
        "template.body_required": QCoreApplication.translate("Messages", "Write the text of the message."),
        "message.value_missing": QCoreApplication.translate("Messages", "This client has nothing for {placeholders}, so the message would go out with a gap. Choose another message or write the text yourself."),
        "message.channel": QCoreApplication.translate("Messages", "A message goes by e-mail or SMS."),
        "message.do_not_contact": QCoreApplication.translate("Messages", "{name} asked not to be contacted: no message is sent."),
        "message.no_consent": QCoreApplication.translate("Messages", "{name} has not given marketing consent, so this greeting or offer may not be sent. Record the consent on the card first."),
        "message.no_email": QCoreApplication.translate("Messages", "{name} has no e-mail address on the card."),
        "message.no_phone": QCoreApplication.translate("Messages", "{name} has no phone number on the card."),
        "message.cap": QCoreApplication.translate("Messages", "{name} was contacted {count} times in the last {days} days, the most the rules allow; a message counts as a contact."),
        "message.outside_hours": QCoreApplication.translate("Messages", "{name} takes contacts from {start} to {end}; now is outside those hours."),
        "message.empty": QCoreApplication.translate("Messages", "The message is empty."),
        "message.not_found": QCoreApplication.translate("Messages", "This message no longer exists."),
        "message.not_failed": QCoreApplication.translate("Messages", "This message was not left unsent, so there is nothing to send again."),
        "message.failed": QCoreApplication.translate("Messages", "The message could not be sent; it is kept to send again. ({detail})"),
        "keyring.unavailable": QCoreApplication.translate("Messages", "The system keyring cannot be used, so the password or token was not kept. ({detail})"),
        "email.not_set_up": QCoreApplication.translate("Messages", "The mail server is not set up yet: Settings → Messages → E-mail."),
        "email.auth": QCoreApplication.translate("Messages", "The mail server refused the user “{user}” or the password. Check them (Gmail needs an app password)."),
        "email.refused": QCoreApplication.translate("Messages", "No mail server answers at {host}, port {port}. Check the server's name, the port and the network."),
        "email.timeout": QCoreApplication.translate("Messages", "The mail server {host} did not answer within {seconds} seconds."),
        "email.tls": QCoreApplication.translate("Messages", "The secure connection to {host} failed. Check the connection type (STARTTLS or TLS) and the port. ({detail})"),
        "email.recipient": QCoreApplication.translate("Messages", "The mail server refused the address {address}. ({detail})"),
        "email.failed": QCoreApplication.translate("Messages", "The mail server did not take the message. ({detail})"),
        "smtp.host_required": QCoreApplication.translate("Messages", "Give the name of the mail server."),
        "smtp.port_range": QCoreApplication.translate("Messages", "A port is a number from 1 to 65535."),
        "smtp.security": QCoreApplication.translate("Messages", "Choose the kind of connection."),
        "sms.not_set_up": QCoreApplication.translate("Messages", "The SMS gateway is not set up yet (or has no token): Settings → Messages → SMS."),
        "sms.bad_token": QCoreApplication.translate("Messages", "The SMS gateway refused the token. Make a new one in the gateway's panel and save it in Settings."),
        "sms.rate_limited": QCoreApplication.translate("Messages", "The SMS gateway asks to wait {retry_after} seconds before more messages."),
        "sms.rate_limited_later": QCoreApplication.translate("Messages", "The SMS gateway asks to wait before more messages. Try again in a minute."),
        "sms.network": QCoreApplication.translate("Messages", "The SMS gateway cannot be reached. Check the network. ({detail})"),
        "sms.rejected": QCoreApplication.translate("Messages", "The SMS gateway refused the message. ({detail})"),
        "sms.provider": QCoreApplication.translate("Messages", "Choose an SMS gateway."),
        "sms.url_https": QCoreApplication.translate("Messages", "The gateway's address starts with https://."),
        "sms.account_required": QCoreApplication.translate("Messages", "Give the Account SID from the Twilio console."),
        "sms.sender_required": QCoreApplication.translate("Messages", "Give the number the messages are sent from."),
        "server.count_mismatch": QCoreApplication.translate("Messages", "The copy did not hold every row of the file ({tables}), so nothing was kept on the server."),
        "access.denied": QCoreApplication.translate("Messages", "{name} is signed in as {role_name}: {action_name} is for {least_name}. Ask them, or sign in as them."),
        "auth.wrong_password": QCoreApplication.translate("Messages", "Wrong password. Tries left before signing in waits a while: {left}."),
        "auth.locked": QCoreApplication.translate("Messages", "Too many wrong passwords: try again in {seconds} s."),
        "auth.no_password": QCoreApplication.translate("Messages", "{name} has no password yet: the owner gives one in Settings → Staff."),
        "auth.owner_exists": QCoreApplication.translate("Messages", "The owner has a password already: sign in as the owner."),
        "auth.owner_first": QCoreApplication.translate("Messages", "Give the owner a password first (Settings → Staff), so somebody can always sign in."),
        "password.short": QCoreApplication.translate("Messages", "Use at least {minimum} characters."),
        "password.mismatch": QCoreApplication.translate("Messages", "The two passwords are not the same."),
        "server_backup.no_pg_dump": QCoreApplication.translate("Messages", "pg_dump is not installed on this PC, so no backup of the office server was made. Install PostgreSQL's client programs, or schedule pg_dump on the server (see the README)."),
        "server_backup.folder": QCoreApplication.translate("Messages", "The folder for the server's backups “{path}” cannot be created: {detail}"),
        "server_backup.failed": QCoreApplication.translate("Messages", "The backup of the office server failed; the database is as it was. pg_dump said: {detail}"),
        # Help → Check for updates (app/services/updates.py)
        "updates.no_url": QCoreApplication.translate("Messages", "This copy of ClientCare has no address to look for updates at. Ask whoever gave you ClientCare where new versions are published."),
        "updates.bad_url": QCoreApplication.translate("Messages", "“{url}” is not a web address, so ClientCare cannot look for updates there."),
        "updates.unreachable": QCoreApplication.translate("Messages", "ClientCare could not reach {url} to look for updates ({detail}). Check the internet connection and try again later; nothing was changed."),
        "updates.bad_answer": QCoreApplication.translate("Messages", "The answer from {url} is not a list of ClientCare releases ({detail}), so ClientCare cannot tell whether there is a newer version."),
    }


def text_for(code: str, values: dict, fallback: str = "") -> str:
    template = _texts().get(code)
    if template is None:
        return fallback or QCoreApplication.translate("Messages", "Something went wrong ({code}).").format(code=code)
    try:
        return template.format(**values)
    except (KeyError, IndexError, ValueError):
        return template


def action_label(action: str) -> str:
    """A guarded action (app/services/access.py) in the user's language."""
    return {
        "clients": QCoreApplication.translate("Messages", "changing clients"),
        "calls": QCoreApplication.translate("Messages", "logging calls"),
        "complaints": QCoreApplication.translate("Messages", "working on complaints"),
        "charts": QCoreApplication.translate("Messages", "the charts"),
        "segment_review": QCoreApplication.translate("Messages", "the quarterly A/B/C review"),
        "export": QCoreApplication.translate("Messages", "exporting"),
        "import": QCoreApplication.translate("Messages", "importing"),
        "settings": QCoreApplication.translate("Messages", "changing the settings"),
        "staff": QCoreApplication.translate("Messages", "managing the staff"),
        "backups": QCoreApplication.translate("Messages", "restoring and managing backups"),
        "erase": QCoreApplication.translate("Messages", "erasing a client's data"),
    }.get(action, action)


def card_part_label(part: str) -> str:
    """A part of the client card (app/services/clients.py CARD_PARTS) as the card names
    it."""
    return {
        "name": QCoreApplication.translate("Messages", "name"),
        "kind": QCoreApplication.translate("Messages", "person or company"),
        "external_ref": QCoreApplication.translate("Messages", "card number"),
        "phone": QCoreApplication.translate("Messages", "phone"),
        "email": QCoreApplication.translate("Messages", "e-mail"),
        "preferred_channel": QCoreApplication.translate("Messages", "preferred channel"),
        "contact_hours": QCoreApplication.translate("Messages", "best hours"),
        "do_not_contact": QCoreApplication.translate("Messages", "do not contact"),
        "marketing_consent": QCoreApplication.translate("Messages", "marketing consent"),
        "source_channel": QCoreApplication.translate("Messages", "source"),
        "referred_by": QCoreApplication.translate("Messages", "referred by"),
        "segment_override": QCoreApplication.translate("Messages", "group"),
        "preferences": QCoreApplication.translate("Messages", "preferences"),
        "notes": QCoreApplication.translate("Messages", "notes"),
        "tags": QCoreApplication.translate("Messages", "tags"),
        "relatives": QCoreApplication.translate("Messages", "family"),
        "dates": QCoreApplication.translate("Messages", "personal dates"),
        "purchases": QCoreApplication.translate("Messages", "purchases"),
        "memberships": QCoreApplication.translate("Messages", "memberships"),
    }.get(part, part)


def _changed_text(values: dict) -> str:
    """client.changed: the refusal, then what the other save changed and who made it."""
    from app.ui.formatting import fmt_datetime  # lazy: formatting imports Qt's locale

    text = text_for("client.changed", values)
    parts = values.get("parts") or []
    if parts:
        text += " " + QCoreApplication.translate("Messages", "They changed: {parts}.").format(
            parts=", ".join(card_part_label(p) for p in parts))
    if values.get("by"):
        text += " " + QCoreApplication.translate("Messages", "Saved by {by}, {at}.").format(
            by=values["by"], at=fmt_datetime(values.get("at")))
    return text


def _access_values(values: dict) -> dict:
    from app.enums import StaffRole
    from app.services.access import Action, least_role
    from app.ui.labels import role_label

    try:
        least = role_label(least_role(Action(values.get("action"))))
    except ValueError:
        least = role_label(StaffRole.OWNER)
    return {**values, "role_name": role_label(values.get("role", "")),
            "action_name": action_label(values.get("action", "")), "least_name": least}


def error_text(exc: DomainError) -> str:
    errors = getattr(exc, "errors", None)
    if errors:
        return "\n".join(field_error_text(e) for e in errors)
    if exc.code == "client.changed":
        return _changed_text(exc.values)
    values = _access_values(exc.values) if exc.code == "access.denied" else exc.values
    return text_for(exc.code, values, exc.message)


def field_error_text(e: FieldError) -> str:
    return text_for(e.code, e.values, e.message)
