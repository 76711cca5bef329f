"""Locale negotiation, formatting and catalogue completeness."""

import re
import subprocess
import sys
from datetime import date, datetime
from pathlib import Path

import pytest
from babel.messages.pofile import read_po

from app import i18n

ROOT = Path(__file__).resolve().parent.parent
I18N = ROOT / "app" / "i18n"


@pytest.mark.parametrize(
    ("cookie", "user", "header", "expected"),
    [
        (None, None, "", "fi"),
        (None, None, "sv-FI,sv;q=0.9,en;q=0.5", "sv"),
        (None, None, "de-DE,en;q=0.3", "en"),
        (None, None, "de-DE", "fi"),
        (None, None, "en;q=0.2,sv;q=0.8", "sv"),
        (None, None, "sv;q=0", "fi"),
        ("sv", None, "en", "sv"),
        (None, "sv", "en", "sv"),
        ("fi@selko", None, "sv", "fi@selko"),
        ("xx", None, "sv", "sv"),
        (None, None, "garbage;;;,", "fi"),
        (None, None, "EN-gb", "en"),
        (None, None, "sv;q=abc,en", "en"),
        (None, None, "fi@selko,sv;q=0.5", "sv"),
    ],
)
def test_negotiation_order(cookie, user, header, expected):
    assert i18n.negotiate(cookie, user, header) == expected


@pytest.mark.parametrize(
    ("locale", "cents", "expected"),
    [
        ("fi", 1234550, "12\xa0345,50\xa0€"),
        ("sv", 1234550, "12\xa0345,50\xa0€"),
        ("fi", 5, "0,05\xa0€"),
        ("fi", -1999, "-19,99\xa0€"),
    ],
)
def test_money_is_formatted_per_locale(locale, cents, expected):
    assert i18n.format_money(cents, locale=locale) == expected


def test_money_refuses_floats():
    with pytest.raises(TypeError):
        i18n.format_money(12.5)  # type: ignore[arg-type]


def test_dates_use_finnish_style_in_fi_and_sv():
    d = date(2026, 3, 7)
    assert i18n.format_date(d, locale="fi") == "7.3.2026"
    assert i18n.format_date(d, locale="sv") == "7.3.2026"
    assert i18n.format_datetime(datetime(2026, 3, 7, 9, 5), locale="sv") == "7.3.2026 09:05"


def test_plain_language_falls_back_to_finnish():
    token = i18n.set_locale("fi@selko")
    try:
        # Not overridden in fi@selko: the standard Finnish text.
        assert i18n.gettext("Log in") == "Kirjaudu sisään"
    finally:
        i18n.reset_locale(token)


def test_plural_forms():
    token = i18n.set_locale("fi")
    try:
        one = i18n.ngettext(
            "There is %(num)d problem in the form", "There are %(num)d problems in the form", 1
        )
        many = i18n.ngettext(
            "There is %(num)d problem in the form", "There are %(num)d problems in the form", 3
        )
    finally:
        i18n.reset_locale(token)
    assert one == "Lomakkeessa on 1 virhe"
    assert many == "Lomakkeessa on 3 virhettä"


def _catalog(locale: str):
    with (I18N / locale / "LC_MESSAGES" / "messages.po").open("rb") as fh:
        return read_po(fh)


@pytest.mark.parametrize("locale", ["fi", "sv"])
def test_finnish_and_swedish_are_complete(locale):
    catalog = _catalog(locale)
    problems = []
    for message in catalog:
        if not message.id:
            continue
        if message.fuzzy:
            problems.append(f"fuzzy: {message.id!r}")
        strings = message.string if isinstance(message.string, tuple) else (message.string,)
        if not all(s and s.strip() for s in strings):
            problems.append(f"untranslated: {message.id!r}")
    assert not problems, "\n".join(problems)


@pytest.mark.parametrize("locale", ["fi", "sv"])
def test_placeholders_survive_translation(locale):
    pattern = re.compile(r"%\(\w+\)[sd]")
    catalog = _catalog(locale)
    for message in catalog:
        if not message.id:
            continue
        ids = message.id if isinstance(message.id, tuple) else (message.id,)
        strings = message.string if isinstance(message.string, tuple) else (message.string,)
        wanted = set(pattern.findall(ids[-1]))
        for s in strings:
            assert set(pattern.findall(s)) <= wanted | set(pattern.findall(ids[0])), message.id


def test_selko_catalogue_has_no_empty_entries():
    catalog = _catalog("fi@selko")
    empty = [m.id for m in catalog if m.id and not m.string]
    assert not empty, f"empty fi@selko entries shadow fi: {empty}"


def test_catalogue_is_up_to_date_with_the_code(tmp_path):
    pot = tmp_path / "messages.pot"
    subprocess.run(
        [
            str(Path(sys.executable).parent / "pybabel"),
            "extract",
            "-F",
            "app/i18n/babel.cfg",
            "-k",
            "lazy_gettext",
            "-k",
            "_",
            "-k",
            "gettext",
            "-k",
            "ngettext:1,2",
            "-k",
            "pgettext:1c,2",
            "--no-location",
            "--omit-header",
            "-o",
            str(pot),
            ".",
        ],
        cwd=ROOT,
        check=True,
        capture_output=True,
    )
    with pot.open("rb") as fh:
        extracted = {(m.context, m.id if isinstance(m.id, str) else m.id[0]) for m in read_po(fh)}
    for locale in ("fi", "sv", "en"):
        known = {(m.context, m.id if isinstance(m.id, str) else m.id[0]) for m in _catalog(locale)}
        missing = sorted(str(k) for k in extracted - known if k[1])
        assert not missing, f"{locale}: run `make i18n-extract`; missing {missing[:10]}"
        stale = sorted(str(k) for k in known - extracted if k[1])
        assert not stale, f"{locale}: obsolete entries {stale[:10]}"


def test_the_locale_cookie_is_read_and_set_in_one_place():
    from starlette.responses import Response

    from app.i18n.cookie import read_locale_cookie, remember_locale

    assert read_locale_cookie("a=1; hebu_lang=sv") == "sv"
    assert read_locale_cookie('bad"cookie;;=') is None
    assert read_locale_cookie("") is None
    response = Response()
    remember_locale(response, "fi@selko", secure=True)
    remember_locale(response, "xx", secure=True)
    cookies = response.headers.getlist("set-cookie")
    assert len(cookies) == 1
    assert cookies[0].startswith('hebu_lang="fi@selko"') or cookies[0].startswith(
        "hebu_lang=fi@selko"
    )
    assert "HttpOnly" in cookies[0] and "Secure" in cookies[0] and "Max-Age=31536000" in cookies[0]


@pytest.mark.parametrize("locale", ["fi", "sv"])
def test_the_rating_badge_uses_the_locale_decimal_comma(locale):
    from app.templating import templates

    token = i18n.set_locale(locale)
    try:
        page = templates.from_string(
            '{% from "catalogue/_macros.html" import rating %}{{ rating(3.84, 7) }}'
        )
        html = page.render()
        assert "3,8 / 5" in html and "3.8" not in html
        assert templates.from_string("{{ 4 | decimal(1) }}|{{ none | decimal }}").render() == "4,0|"
    finally:
        i18n.reset_locale(token)
