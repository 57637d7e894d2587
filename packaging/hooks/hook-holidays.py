"""holidays for the packaged ClientCare: every country's module (the business may be in
any; ``holidays.country_holidays`` imports them by name). The translated holiday names
(holidays/locale, gettext) are left out: the app shows no holiday's name."""

from PyInstaller.utils.hooks import collect_submodules

hiddenimports = collect_submodules("holidays")
