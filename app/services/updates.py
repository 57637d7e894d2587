"""Is there a newer ClientCare? (Help → Check for updates, ``clientcare --check-updates``
is not offered: the window asks.)

The publisher keeps a small JSON file at :data:`RELEASES_URL` (or the address in the
``CLIENTCARE_UPDATES_URL`` environment variable, e.g. a shop's own mirror)::

    {"version": "0.2.0", "download_url": "https://…/clientcare-0.2.0/"}

:func:`check_for_updates` reads it, compares the version with this program's
(``packaging.version``: 0.10 is newer than 0.9, a pre-release older than its release)
and says whether it is newer and where to download it. Nothing is downloaded or
installed here: the window offers to open the download page in the browser, and the
user installs the new version over the old one (the data stays; its migration backs the
file up first). Standard library only (urllib), no Qt: the window runs it off the GUI
thread.
"""

from __future__ import annotations

import json
import os
import urllib.error
import urllib.parse
import urllib.request
from dataclasses import dataclass

from packaging.version import InvalidVersion, Version

from app import __version__
from app.errors import DomainError

#: where the publisher announces the newest release. Empty until there is a release
#: server: whoever publishes builds sets it here (or a shop sets CLIENTCARE_UPDATES_URL);
#: until then the window says that this copy has no address to ask (README "Updates")
RELEASES_URL = ""
URL_ENV = "CLIENTCARE_UPDATES_URL"
TIMEOUT_S = 10.0
#: a releases file is a few hundred bytes; anything far larger is not one
MAX_BYTES = 64 * 1024


@dataclass(frozen=True)
class UpdateInfo:
    current: str
    latest: str
    download_url: str

    @property
    def newer(self) -> bool:
        """Whether the announced version is newer than the running one."""
        return Version(self.latest) > Version(self.current)


def releases_url() -> str:
    """The address of the releases file: the environment's, else :data:`RELEASES_URL`."""
    return os.environ.get(URL_ENV, "").strip() or RELEASES_URL


def _web_address(url: str) -> bool:
    parts = urllib.parse.urlsplit(url)
    return parts.scheme in ("http", "https") and bool(parts.netloc)


def check_for_updates(url: str | None = None, current: str = __version__,
                      timeout: float = TIMEOUT_S) -> UpdateInfo:
    """Read the releases file at ``url`` (default :func:`releases_url`) and compare.

    Raises DomainError ``updates.no_url`` (no address is set), ``updates.bad_url`` (not
    an http(s) address),
    ``updates.unreachable`` (no network, no server, an HTTP error, a timeout) or
    ``updates.bad_answer`` (not the JSON described above)."""
    url = url or releases_url()
    if not url:
        raise DomainError("updates.no_url", "no address to check for updates is set "
                          f"(set {URL_ENV})")
    if not _web_address(url):
        raise DomainError("updates.bad_url", f"{url} is not an http(s) address", url=url)
    request = urllib.request.Request(
        url, headers={"User-Agent": f"ClientCare/{current}", "Accept": "application/json"})
    try:
        with urllib.request.urlopen(request, timeout=timeout) as answer:  # noqa: S310
            body = answer.read(MAX_BYTES + 1)
    except urllib.error.HTTPError as exc:
        raise DomainError("updates.unreachable", f"{url}: HTTP {exc.code}",
                          url=url, detail=f"HTTP {exc.code}") from exc
    except (TimeoutError, urllib.error.URLError, OSError) as exc:
        reason = getattr(exc, "reason", exc)
        raise DomainError("updates.unreachable", f"{url}: {reason}",
                          url=url, detail=str(reason)) from exc
    return parse_release(body, url, current)


def parse_release(body: bytes, url: str = "", current: str = __version__) -> UpdateInfo:
    """The :class:`UpdateInfo` of a releases file's bytes; ``updates.bad_answer`` when
    they are not one."""
    def bad(why: str) -> DomainError:
        return DomainError("updates.bad_answer", f"{url}: {why}", url=url, detail=why)

    if len(body) > MAX_BYTES:
        raise bad("the answer is too large")
    try:
        data = json.loads(body.decode("utf-8"))
    except (UnicodeDecodeError, ValueError) as exc:
        raise bad("not JSON") from exc
    if not isinstance(data, dict):
        raise bad("not a JSON object")
    latest, download = data.get("version"), data.get("download_url")
    if not isinstance(latest, str) or not isinstance(download, str):
        raise bad("no version or download_url")
    try:
        Version(latest)
    except InvalidVersion as exc:
        raise bad(f"{latest!r} is not a version") from exc
    if not _web_address(download):
        raise bad(f"{download!r} is not an http(s) address")
    return UpdateInfo(current=current, latest=latest.strip(), download_url=download)
