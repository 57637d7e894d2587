"""The e-mail fast path (one check per distinct domain) gives exactly what a whole check
by email-validator gives: the same normalized address, or a refusal."""

from __future__ import annotations

import pytest
from email_validator import EmailNotValidError, validate_email
from hypothesis import example, given, settings
from hypothesis import strategies as st

from app.errors import DomainError
from app.services.validation import normalize_email


def whole_check(text: str) -> str | None:
    text = (text or "").strip()
    if not text:
        return None
    try:
        return validate_email(text, check_deliverability=False).normalized
    except EmailNotValidError:
        return "<refused>"


def fast(text: str) -> str | None:
    try:
        return normalize_email(text)
    except DomainError as exc:
        assert exc.code == "email.invalid" and exc.field == "email"
        return "<refused>"


LOCAL_CHARS = "abcXYZ019.!#$%&'*+/=?^_`{|}~-\"() ,;:<>[]\\@ąłЖ"
DOMAIN_CHARS = "abcXYZ019.-_[]@ ąüж"
labels = st.text(alphabet="abcxyz019-", min_size=1, max_size=12)
domains = st.one_of(
    st.text(alphabet=DOMAIN_CHARS, min_size=0, max_size=30),
    st.builds(lambda parts, tld: ".".join([*parts, tld]),
              st.lists(labels, min_size=1, max_size=4),
              st.sampled_from(["pl", "com", "bg", "ru", "test", "invalid", "local",
                               "example", "xn--p1ai", "рф", "c", "co.uk", "1"])),
    st.sampled_from(["Example.COM", "GMAIL.com", "xn--bcher-kva.de", "bücher.de",
                     "[1.2.3.4]", "localhost", "-x.pl", "x-.pl", "x..pl", "x.pl.",
                     "a" * 64 + ".pl", "a" * 63 + ".pl"]),
)
locals_ = st.one_of(st.text(alphabet=LOCAL_CHARS, min_size=0, max_size=70),
                    st.sampled_from(["a" * 64, "a" * 65, "Jan.Kowalski", ".a", "a.",
                                     "a..b", '"quoted"', "ok+tag"]))


@settings(max_examples=1500, deadline=None)
@given(locals_, domains, st.sampled_from(["", " ", "\t"]))
@example("Jan.Kowalski", "Example.COM", "")
@example("a" * 64, "b" * 60 + ".pl", "")
def test_the_fast_path_equals_the_whole_check(local, domain, pad):
    text = f"{pad}{local}@{domain}{pad}"
    assert fast(text) == whole_check(text)


@given(st.text(max_size=140))
@settings(max_examples=500, deadline=None)
def test_any_text_is_read_as_the_whole_check_reads_it(text):
    assert fast(text) == whole_check(text)


@pytest.mark.parametrize("text", ["a" * 60 + "@" + "b" * 63 + ".pl",
                                  "x@" + ".".join(["a" * 60] * 4) + ".pl"])
def test_long_addresses_take_the_whole_check(text):
    assert fast(text) == whole_check(text)
