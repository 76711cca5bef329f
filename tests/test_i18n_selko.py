"""Plain-language Finnish (fi@selko): a sparse catalogue over fi that covers the client journey.

- It never shadows fi with an empty, fuzzy, stale or copied entry, and keeps the placeholders.
- Every text on the client journey's screens (`tests/support/plain_language.py`) has a selko
  entry, or is listed below as deliberately left to standard Finnish (already short and plain).
- Its sentences are short (selkokieli: one thing per sentence), with no very long words and no
  abbreviations.
"""

from __future__ import annotations

import re

import pytest
from fastapi.testclient import TestClient

from app import i18n
from tests.support import plain_language as plain

# Already short and plain in standard Finnish: deliberately left to fi.
LEFT_TO_FI = {
    "Menu",
    # the access log's pages: "Uusimmat tapahtumat", "Vanhemmat tapahtumat", "Lokin sivut"
    "Newest events",
    "Older events",
    "Pages of the log",
    # unit plurals on the deliveries page: "2 tuntia", "3 käyntiä", "1 matka" are plain already
    "%(num)d hour",
    "%(num)d visit",
    "%(num)d day",
    "%(num)d month",
    "%(num)d piece",
    "%(num)d trip",
    # the plan page: take back, own share
    "Change the plan instead",
    "Take the plan back",
    "You chose %(title)s.",
    "You pay yourself",
    "My need has changed",
    # balance, offer contacts and favourites: short and plain in standard Finnish
    "E-mail",
    "Find services",
    "Left",
    "Month",
    "Phone",
    "Remove from favourites",
    "Total",
    "Unit",
    "Used",
    "Waiting for you",
    "Website",
    "Filters (%(n)s on)",
    # the result card's facts: "Kielet", "Missä", "ja 2 muuta" are plain already
    "Languages",
    "Where",
    "and %(num)d more",
    # shown to providers and case workers (the notification partial is shared)
    "Comments",
    "Rate the service",
    "Ratings from clients",
    "Send the report",
    "0 = %(low)s, 10 = %(high)s",
    "A little less than hoped",
    "A little more than hoped",
    "Add a service",
    "At least",
    "At most",
    "At the start",
    "Back",
    "Back to services",
    "Better",
    "Cancel",
    "Cannot compare",
    "Change",
    "Change answers in this part",
    "Change the goal",
    "Change the plan",
    "Client: %(name)s",
    "Compare",
    "Compare services",
    "Confirm",
    "Continue",
    "Cost",
    "Description",
    "Development login",
    "Error %(status)s",
    "First time",
    "For example 2 hours.",
    "Hebu – personal budget",
    "How it has gone",
    "I don't want to answer",
    "In the plan",
    "Language",
    "Log in",
    "Log out",
    "Messages",
    "Much less than hoped",
    "Much more than hoped",
    "Municipality",
    "My budget",
    "My data",
    "My goals",
    "Next",
    "Next page",
    "No.",
    "Nobody else has looked at your information yet.",
    "Nothing has happened yet.",
    "Now",
    "Now:",
    "Personal budget",
    "Previous page",
    "Price",
    "Remaining",
    "Remove",
    "Results",
    "Save",
    "Save and continue later",
    "Save the goal",
    "See results",
    "Send the plan",
    "Service",
    "Services",
    "Spent",
    "Start",
    "Target",
    "Tell us about your life",
    "There are no services in the plan yet.",
    "Typical month",
    "What do I want?",
    "What happened?",
    "Where am I now?",
    "Where do I want to get?",
    "Who has looked at my data",
    "You can get help",
    "You chose not to answer",
    "You have no goals yet.",
    "You pay %(amount)s yourself.",
    "a lot of help",
    "added a service",
    "first time",
    "no answers",
    "removed a service",
    "with assistant",
    "wrote a note",
    # the partials of the client screens: ratings, delivery history, the acting banner
    "%(avg)s / 5",
    "%(num)d rating",
    "%(num)d star of 5",
    "2 – poor",
    "4 – good",
    "A little",
    "A lot",
    "Answer",
    "Answers",
    "Did it help with the goals?",
    "I cannot say",
    "Not at all",
    "Quite a lot",
    "Stars",
    "Stop",
    "The number of units is wrong",
    "This is not right",
}

# Selkokieli: short sentences, no needlessly long words (Finnish compounds are long), no
# abbreviations.
SELKO_STYLE = plain.Style(
    max_sentence_words=12,
    max_word_letters=20,
    abbreviations=re.compile(plain.ACRONYM + r"|(?i:\b(?:esim|ns|jne|yms|ks|mm|klo|nro)\.)"),
)


def test_selko_never_shadows_fi_with_empty_or_broken_entries() -> None:
    problems = plain.broken_entries("fi@selko", "fi")
    assert not problems, "\n".join(problems)


def test_every_client_screen_text_has_a_selko_entry_or_is_left_to_fi() -> None:
    missing = plain.missing_entries("fi@selko", LEFT_TO_FI)
    assert not missing, (
        "write selkosuomi for these client-journey texts in "
        "app/i18n/fi@selko/LC_MESSAGES/messages.po (or, if the fi text is already plain, add "
        "the msgid to LEFT_TO_FI in tests/test_i18n_selko.py):\n" + "\n".join(missing)
    )
    problems = plain.list_problems("fi@selko", LEFT_TO_FI)
    assert not problems, "LEFT_TO_FI:\n" + "\n".join(problems)


def test_selko_sentences_are_short() -> None:
    problems = plain.style_problems("fi@selko", SELKO_STYLE)
    assert not problems, "\n".join(problems)


def test_selko_translations_and_fallback_at_runtime() -> None:
    token = i18n.set_locale("fi@selko")
    try:
        assert i18n.gettext("Deliveries") == "Palvelukerrat"
        assert i18n.gettext("Log in") == "Kirjaudu sisään"  # left to fi
        assert i18n.ngettext("%(num)d service found", "%(num)d services found", 3) == (
            "Löytyi 3 palvelua"
        )
    finally:
        i18n.reset_locale(token)


@pytest.mark.parametrize("db_url", ["sqlite"], indirect=True)
def test_selko_is_selectable_and_rendered(client: TestClient) -> None:
    landing = client.get("/")
    assert ">Selkosuomi<" in landing.text
    assert 'href="/lang/fi@selko' in landing.text
    chosen = client.get("/lang/fi@selko", params={"next": "/palvelut"})
    assert chosen.status_code in (302, 303)
    page = client.get("/palvelut")
    assert page.headers["content-language"] == "fi"
    assert '<html lang="fi"' in page.text
    assert "Etsi palveluja" in page.text
    assert "Hae palveluja" not in page.text
