"""Check for updates (app/services/updates.py) against a local web server serving the
releases file: newer, the same, older, a pre-release, bad JSON, a missing field, an
HTTP error, a server that is down, and addresses that are no web addresses."""

from __future__ import annotations

import json
import socket
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest

from app.errors import DomainError
from app.services import updates

ANSWERS = {
    "/newer.json": json.dumps({"version": "0.10.0",
                               "download_url": "https://example.org/clientcare/0.10.0/"}),
    "/same.json": json.dumps({"version": "0.9.0", "download_url": "https://example.org/x"}),
    "/older.json": json.dumps({"version": "0.8.5", "download_url": "https://example.org/x"}),
    "/pre.json": json.dumps({"version": "0.9.0rc1", "download_url": "https://example.org/x"}),
    "/bad.json": "{this is not json",
    "/list.json": json.dumps([{"version": "1.0"}]),
    "/missing.json": json.dumps({"version": "1.0"}),
    "/badversion.json": json.dumps({"version": "soon", "download_url": "https://example.org/"}),
    "/fileurl.json": json.dumps({"version": "1.0", "download_url": "file:///etc/passwd"}),
    "/huge.json": " " * (updates.MAX_BYTES + 10),
}


class _Handler(BaseHTTPRequestHandler):
    def do_GET(self):  # noqa: N802 - http.server's name
        body = ANSWERS.get(self.path)
        if body is None:
            self.send_error(404)
            return
        data = body.encode("utf-8")
        self.send_response(200)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)

    def log_message(self, *args):  # quiet
        pass


@pytest.fixture(scope="module")
def server():
    httpd = ThreadingHTTPServer(("127.0.0.1", 0), _Handler)
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{httpd.server_address[1]}"
    httpd.shutdown()
    httpd.server_close()


def _closed_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def test_a_newer_version_is_offered_with_its_download_page(server):
    info = updates.check_for_updates(f"{server}/newer.json", current="0.9.0")
    assert info.newer  # 0.10 is newer than 0.9: versions, not strings
    assert (info.latest, info.current) == ("0.10.0", "0.9.0")
    assert info.download_url == "https://example.org/clientcare/0.10.0/"


@pytest.mark.parametrize("path", ["/same.json", "/older.json", "/pre.json"])
def test_the_same_an_older_or_a_pre_release_is_not_newer(server, path):
    assert not updates.check_for_updates(server + path, current="0.9.0").newer


@pytest.mark.parametrize("path,why", [
    ("/bad.json", "not JSON"), ("/list.json", "not a JSON object"),
    ("/missing.json", "no version or download_url"), ("/badversion.json", "not a version"),
    ("/fileurl.json", "not an http(s) address"), ("/huge.json", "too large")])
def test_an_answer_that_is_no_releases_file_is_refused(server, path, why):
    with pytest.raises(DomainError) as caught:
        updates.check_for_updates(server + path, current="0.9.0")
    assert caught.value.code == "updates.bad_answer"
    assert why in caught.value.values["detail"]
    assert caught.value.values["url"] == server + path


def test_an_http_error_is_unreachable(server):
    with pytest.raises(DomainError) as caught:
        updates.check_for_updates(f"{server}/gone.json")
    assert caught.value.code == "updates.unreachable"
    assert caught.value.values["detail"] == "HTTP 404"


def test_a_server_that_is_down_is_unreachable():
    url = f"http://127.0.0.1:{_closed_port()}/latest.json"
    with pytest.raises(DomainError) as caught:
        updates.check_for_updates(url, timeout=5)
    assert caught.value.code == "updates.unreachable"
    assert caught.value.values["detail"]


@pytest.mark.parametrize("url", ["file:///etc/hostname", "ftp://example.org/x.json",
                                 "example.org/latest.json", "http://"])
def test_only_a_web_address_is_asked(url):
    with pytest.raises(DomainError) as caught:
        updates.check_for_updates(url)
    assert caught.value.code == "updates.bad_url"


def test_without_an_address_it_says_so(monkeypatch):
    monkeypatch.delenv(updates.URL_ENV, raising=False)
    monkeypatch.setattr(updates, "RELEASES_URL", "")
    with pytest.raises(DomainError) as caught:
        updates.check_for_updates()
    assert caught.value.code == "updates.no_url"


def test_the_address_comes_from_the_environment_first(monkeypatch, server):
    monkeypatch.setattr(updates, "RELEASES_URL", "https://example.invalid/latest.json")
    monkeypatch.setenv(updates.URL_ENV, f"{server}/newer.json")
    assert updates.releases_url() == f"{server}/newer.json"
    assert updates.check_for_updates(current="0.1.0").latest == "0.10.0"
    monkeypatch.setenv(updates.URL_ENV, "  ")
    assert updates.releases_url() == "https://example.invalid/latest.json"


def test_every_update_error_has_its_sentence():
    from app.ui.messages import _texts
    texts = _texts()
    for code in ("updates.no_url", "updates.bad_url", "updates.unreachable",
                 "updates.bad_answer"):
        assert code in texts
