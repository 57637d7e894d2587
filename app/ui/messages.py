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
        "client.changed": QCoreApplication.translate("Messages", "“{name}” was changed elsewhere since you opened it. "
                             "Close the card and open it again to see the changes."),
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
        "server.not_empty": QCoreApplication.translate("Messages", "The database “{url}” already holds data, so nothing was copied into it. Choose an empty database, or replace what it holds."),
        "server.count_mismatch": QCoreApplication.translate("Messages", "The copy did not hold every row of the file ({tables}), so nothing was kept on the server."),
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


def error_text(exc: DomainError) -> str:
    errors = getattr(exc, "errors", None)
    if errors:
        return "\n".join(field_error_text(e) for e in errors)
    return text_for(exc.code, exc.values, exc.message)


def field_error_text(e: FieldError) -> str:
    return text_for(e.code, e.values, e.message)
