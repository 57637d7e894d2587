"""phonenumbers for the packaged ClientCare: the metadata of every region (parsing and
formatting, looked up by name at run time) without the geocoder, carrier and time-zone
tables the app never reads (~43 MB). Replaces the contrib hook."""

from PyInstaller.utils.hooks import collect_submodules

_UNUSED = ("phonenumbers.geodata", "phonenumbers.carrierdata", "phonenumbers.tzdata",
           "phonenumbers.geocoder", "phonenumbers.carrier", "phonenumbers.timezone")

hiddenimports = collect_submodules(
    "phonenumbers", filter=lambda name: not name.startswith(_UNUSED))
excludedimports = list(_UNUSED)
