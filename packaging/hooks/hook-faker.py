"""Faker for the packaged ClientCare: its providers in the demo's locales only (the
contrib hook takes every locale, ~25 MB). Replaces that hook (hookspath comes first)."""

import re

import bundle  # packaging/bundle.py, on sys.path from the spec
from PyInstaller.utils.hooks import collect_data_files, collect_submodules

_LOCALE = re.compile(r"^([a-z]{2}|[a-z]{2,3}_[A-Z]{2})$")


def _wanted(name: str) -> bool:
    last = name.rsplit(".", 1)[-1]
    # faker.providers.address.pl_PL (or .de, .fil_PH) is a locale's module;
    # faker.providers.address is not
    return not _LOCALE.match(last) or last in bundle.FAKER_LOCALES


hiddenimports = collect_submodules("faker.providers", filter=_wanted)
# the locales are found by listing the providers' packages (faker.utils.loading)
datas = collect_data_files("text_unidecode") + [
    entry for entry in collect_data_files("faker.providers", include_py_files=True)
    if _wanted(re.split(r"[\\/]", entry[1])[-1])]  # the folder's last name, any system
