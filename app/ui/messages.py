"""Domain error codes turned into sentences in the user's language."""

from __future__ import annotations

from PySide6.QtCore import QCoreApplication

from app.errors import DomainError, FieldError


def _t(text: str) -> str:
    return QCoreApplication.translate("Messages", text)


def _texts() -> dict[str, str]:
    # Each text is a format string over the error's values.
    return {
        "name.required": _t("Please enter a name."),
        "text.too_long": _t("This is too long (at most {maximum} characters)."),
        "phone.invalid": _t("“{value}” is not a valid phone number."),
        "email.invalid": _t("“{value}” is not a valid e-mail address."),
        "amount.required": _t("Please enter an amount."),
        "amount.invalid": _t("“{value}” is not an amount."),
        "amount.negative": _t("The amount cannot be negative."),
        "amount.precision": _t("Use at most two decimal places."),
        "amount.too_large": _t("The amount is too large."),
        "quantity.positive": _t("The quantity must be more than zero."),
        "date.required": _t("Please enter a date."),
        "date.future": _t("A purchase cannot be dated in the future."),
        "date.invalid": _t("This is not a valid date."),
        "date.year_range": _t("The year must be between 1900 and 2100."),
        "date.relative_missing": _t("The relative of this date was removed."),
        "gift_days.range": _t("Gift reminder days must be between 0 and 60."),
        "hours.incomplete": _t("Give both the start and the end of the hours."),
        "hours.order": _t("The hours must start before they end."),
        "consent.date_required": _t("Give the date the client gave consent."),
        "referral.self": _t("A client cannot refer themselves."),
        "referral.missing": _t("The referring client no longer exists."),
        "external_ref.taken": _t("The number “{value}” already belongs to another client."),
        "plan.required": _t("Please enter the plan's name."),
        "membership.end_before_start": _t("The membership ends before it starts."),
        "freeze.incomplete": _t("Give both the first and the last frozen day."),
        "freeze.order": _t("The freeze ends before it starts."),
        "freeze.required": _t("A frozen membership needs its frozen days."),
        "setting.type": _t("This value has the wrong form."),
        "setting.min": _t("The value must be at least {minimum}."),
        "setting.max": _t("The value must be at most {maximum}."),
        "client.not_found": _t("This client no longer exists."),
        "client.changed": _t("“{name}” was changed elsewhere since you opened it. "
                             "Close the card and open it again to see the changes."),
        "db.is_folder": _t("“{path}” is a folder, not a database file."),
        "db.no_permission": _t("ClientCare may not read “{path}”. Check the file's permissions."),
        "db.io": _t("The database “{path}” cannot be read or written: {detail}"),
        "db.not_database": _t("“{path}” is not a ClientCare database. Nothing was changed in it."),
        "db.not_clientcare": _t("“{path}” is a database of another program. "
                                "Nothing was changed in it."),
        "db.damaged": _t("The database “{path}” is damaged and was not opened. "
                         "Nothing was changed in it. Restore a backup or contact support. "
                         "({detail})"),
        "db.newer": _t("“{path}” was saved by a newer version of ClientCare. "
                       "Please install the newer version to open it."),
        "db.locked": _t("The database “{path}” is in use by another program. "
                        "Close it and try again."),
        "db.read_only": _t("The database “{path}” cannot be written (read-only folder or "
                           "file). Nothing was changed."),
        "db.folder": _t("The folder “{path}” cannot be created: {detail}"),
        "db.missing": _t("The database “{path}” does not exist."),
        "db.locked_write": _t("The database is busy in another program; your change was not "
                              "saved. Please try again in a moment."),
        "db.read_only_write": _t("The database cannot be written (read-only). "
                                 "Your change was not saved."),
        "db.disk_full": _t("The disk is full; your change was not saved. "
                           "Free some space and try again."),
        "db.unexpected": _t("The database reported an error; your change was not saved. "
                            "({detail})"),
    }


def text_for(code: str, values: dict, fallback: str = "") -> str:
    template = _texts().get(code)
    if template is None:
        return fallback or _t("Something went wrong ({code}).").format(code=code)
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
