"""Lättläst svenska (sv@latt): a sparse catalogue over sv that covers the client journey.

The same checks as selkosuomi (`tests/support/plain_language.py`), with the Swedish
easy-to-read guidelines (Myndigheten för tillgängliga medier): short sentences, one thing per
sentence, common and short words, no abbreviations.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from datetime import date

import pytest
from fastapi.testclient import TestClient

from app import i18n
from app.models import User
from app.services.assessment.instruments import Instrument, latest, pick, registry
from tests.support import plain_language as plain
from tests.support.web import login_as

# Already short and plain in standard Swedish: deliberately left to sv (reviewed one by one).
LEFT_TO_SV = {
    # unit plurals on the deliveries page: "2 timmar", "3 besök", "1 resa", "4 styck" are plain
    "%(num)d hour",
    "%(num)d visit",
    "%(num)d day",
    "%(num)d month",
    "%(num)d session",
    "%(num)d piece",
    "%(num)d trip",
    "%(num)d unit",
    # the goal form's five questions: short plain questions in standard Swedish already
    "How are things now?",
    "What would be a bit better than now? This is what you hope for.",
    "What would be even better than you hope?",
    "What would be the best you can imagine?",
    "What would be worse than now?",
    # the plan page: "Du valde X.", "Ta tillbaka planen", "Du betalar själv" are plain already
    "You chose %(title)s.",
    "Take the plan back",
    "Take the plan back and add this service",
    "You pay yourself",
    "Change the plan instead",
    # the deliveries page's dispute button: "Det stämmer inte"
    "That's not right",
    # the result card's facts: "Språk", "Var", "och 2 till" are plain already
    "Languages",
    "Where",
    "and %(num)d more",
    # balance and offer contacts: "E-post", "Fritt", "Kvar", "Månad", "Telefon", "Enhet", "Använt"
    "E-mail",
    "Free",
    "Left",
    "Month",
    "Phone",
    "Unit",
    "Used",
    "%(avg)s / 5",
    "%(num)d star of 5",
    "0 = %(low)s, 10 = %(high)s",
    "1 – very poor",
    "2 – poor",
    "4 – good",
    "A little",
    "A little less than hoped",
    "A little more than hoped",
    "A lot",
    "a lot of help",
    "Accepted automatically",
    "Add a service",
    "added a service",
    "Answer",
    "Answer again",
    "Answers",
    "Area",
    "As hoped",
    "At least",
    "At most",
    "At the start",
    "Automatically",
    "Back",
    "Back to services",
    "Better",
    "Cancel",
    "Cannot compare",
    "Change",
    "Change answers in this part",
    "Change the goal",
    "Change the plan",
    "Check your answers",
    "Choose your services",
    "Client: %(name)s",
    "Comments",
    "Compare",
    "Compare services",
    "Confirm",
    "Continue",
    "Continue to my pages",
    "Cost",
    "Description",
    "Development login",
    "Did it help with the goals?",
    "Done",
    "Error %(status)s",
    "Filters (%(n)s on)",
    "First time",
    "first time",
    "For example 2 hours.",
    "Go to the front page",
    "Hebu – personal budget",
    "Hebu – the personal budget service of the wellbeing services county.",
    "Helps with:",
    "How it has gone",
    "I cannot say",
    "I don't want to answer",
    "In progress",
    "In the plan",
    "Is something wrong?",
    "Language",
    "Log in",
    "Log out",
    "Main",
    "Menu",
    "Messages",
    "Much less than hoped",
    "Much more than hoped",
    "Municipality",
    "My budget",
    "My data",
    "My goals",
    "Next",
    "Next page",
    "no answers",
    "Nobody else has looked at your information yet.",
    "Not at all",
    "Nothing has happened yet.",
    "Notifications",
    "Now",
    "Now:",
    "On behalf of %(name)s",
    "Personal budget",
    "Previous page",
    "Price",
    "Quite a lot",
    "Ratings",
    "Remaining",
    "Remove",
    "removed a service",
    "Results",
    "Save",
    "Save and continue later",
    "Save the goal",
    "Search",
    "Search services",
    "See results",
    "Send my answers",
    "Send the plan",
    "Send the report",
    "Service",
    "Services",
    "Services in the plan",
    "Spent",
    "Stars",
    "Start",
    "Stop",
    "Target",
    "Tell us about your life",
    "There are no services in the plan yet.",
    "This is not right",
    "Typical month",
    "What do I want?",
    "What happened?",
    "What is a personal budget?",
    "Where am I now?",
    "Who has looked at my data",
    "Why does it matter to me?",
    "with assistant",
    "wrote a note",
    "You can get help",
    "You chose not to answer",
    "You have no goals yet.",
    "You pay %(amount)s yourself.",
    "Your answers",
    "Your answers have been saved.",
    "Your results",
    "Your results as a picture",
}

# Lättläst: at most about a line per sentence, short words. The long words allowed are the
# ones a client meets in every letter from the services, each explained where it first appears
# (budgetram, självriskandel) or known to everyone (kontaktperson, socialarbetare).
LATT_STYLE = plain.Style(
    max_sentence_words=12,
    max_word_letters=13,
    long_words_allowed=frozenset(
        {"kontaktpersonen", "socialarbetaren", "självriskandel", "funktionsnedsättning"}
    ),
    abbreviations=re.compile(
        plain.ACRONYM + r"|(?i:\b(?:t\.ex|bl\.a|inkl|osv|ca|nr|resp|dvs|st|kl|obs)\b\.?)"
    ),
)


def test_lattlast_never_shadows_sv_with_empty_or_broken_entries() -> None:
    problems = plain.broken_entries("sv@latt", "sv")
    assert not problems, "\n".join(problems)


def test_every_client_screen_text_has_a_lattlast_entry_or_is_left_to_sv() -> None:
    missing = plain.missing_entries("sv@latt", LEFT_TO_SV)
    assert not missing, (
        "write lättläst svenska for these client-journey texts in "
        "app/i18n/sv@latt/LC_MESSAGES/messages.po (or, if the sv text is already plain, add "
        "the msgid to LEFT_TO_SV in tests/test_i18n_lattlast.py):\n" + "\n".join(missing)
    )
    problems = plain.list_problems("sv@latt", LEFT_TO_SV)
    assert not problems, "LEFT_TO_SV:\n" + "\n".join(problems)


def test_lattlast_follows_the_easy_to_read_guidelines() -> None:
    problems = plain.style_problems("sv@latt", LATT_STYLE)
    assert not problems, "\n".join(problems)


def test_lattlast_explains_the_hard_words() -> None:
    texts = " ".join(
        " ".join(m.string if isinstance(m.string, tuple) else (m.string,))
        for m in plain.catalog("sv@latt")
        if m.id
    )
    # The words a client meets in letters are explained once, not avoided everywhere.
    assert "Det kallas budgetram." in texts
    assert "Det kallas självriskandel." in texts
    assert "Fullmakter: vem som får sköta saker åt mig" in texts


def test_lattlast_translations_and_fallback_at_runtime() -> None:
    token = i18n.set_locale("sv@latt")
    try:
        assert i18n.gettext("Deliveries") == "Tjänster du har fått"
        assert i18n.gettext("Log in") == "Logga in"  # left to sv
        assert i18n.gettext("Provider") != i18n.translations("sv").ugettext("Provider")
        assert i18n.ngettext("%(num)d service found", "%(num)d services found", 3) == (
            "Vi hittade 3 tjänster"
        )
        # Data stored per language, dates, numbers and euros: as Swedish.
        assert i18n.base_language() == "sv"
        assert i18n.html_lang() == "sv"
        assert i18n.format_money(1234550) == "12\xa0345,50\xa0€"
        assert i18n.format_date(date(2026, 3, 7)) == "7.3.2026"
        assert i18n.format_month(date(2026, 3, 7)) == i18n.format_month(date(2026, 3, 7), "sv")
        assert i18n.localized({"fi": "Siivous", "sv": "Städning"}) == ("Städning", None)
    finally:
        i18n.reset_locale(token)


def test_lattlast_code_fits_the_user_locale_column() -> None:
    width = User.__table__.c.locale.type.length
    assert all(len(code) <= width for code in i18n.ALL_LOCALES)
    assert i18n.LOCALE_NAMES["sv@latt"] == "Lättläst svenska"
    assert i18n.LOCALE_SHORT["sv@latt"] == "Lätt"


def test_lattlast_is_never_negotiated_from_the_browser() -> None:
    assert i18n.negotiate(None, None, "sv@latt,sv;q=0.5") == "sv"
    assert i18n.negotiate("sv@latt", None, "fi") == "sv@latt"
    assert i18n.negotiate(None, "sv@latt", "fi") == "sv@latt"


def _instrument_texts(instrument: Instrument) -> Iterator[dict[str, str]]:
    yield instrument.title
    if instrument.intro:
        yield instrument.intro
    for item in instrument.items_by_id.values():
        yield item.text
        yield from (o.label for o in item.options)


def test_self_assessment_has_lattlast_titles_and_falls_back_to_swedish() -> None:
    life = latest("life-situation")
    assert life is not None
    assert pick(life.title, "sv@latt") == "Mitt liv nu"
    assert pick(life.items_by_id["g1"].text, "sv@latt") == "Hur är ditt liv nu?"
    assert pick(life.items_by_id["g2"].text, "sv@latt") == life.items_by_id["g2"].text["sv"]
    for instrument in registry().values():
        assert "sv@latt" in instrument.title, f"{instrument.key}: no lättläst title"
        for texts in _instrument_texts(instrument):
            if "sv@latt" in texts:
                assert texts["sv@latt"].strip() and texts["sv@latt"] != texts["sv"], texts
                problems = plain.text_style_problems(texts["sv@latt"], LATT_STYLE)
                assert not problems, problems


@pytest.mark.parametrize("db_url", ["sqlite"], indirect=True)
def test_lattlast_is_selectable_and_rendered(client: TestClient) -> None:
    landing = client.get("/")
    assert ">Lättläst svenska<" in landing.text
    assert 'href="/lang/sv@latt' in landing.text
    chosen = client.get("/lang/sv@latt", params={"next": "/palvelut"})
    assert chosen.status_code in (302, 303)
    page = client.get("/palvelut")
    assert page.headers["content-language"] == "sv"
    assert '<html lang="sv"' in page.text
    assert 'lang="sv">Lätt</span>' in page.text
    token = i18n.set_locale("sv")
    try:
        standard = i18n.gettext("Find services of approved providers and compare prices.")
    finally:
        i18n.reset_locale(token)
    assert "Leta efter tjänster. Jämför priser." in page.text
    assert standard not in page.text


@pytest.mark.parametrize("db_url", ["sqlite"], indirect=True)
def test_lattlast_shows_data_stored_per_language_in_swedish(client: TestClient, demo: None) -> None:
    """Municipality names (stored fi/sv) come out in Swedish, as for a sv reader."""
    login_as(client, "client")
    client.get("/lang/sv")
    standard = client.get("/palvelut")
    client.get("/lang/sv@latt")
    plain_page = client.get("/palvelut")
    names = re.compile(r'<label for="fc-municipality-\d+">([^<]+?) <span')
    swedish = names.findall(standard.text)
    assert "Laukas" in swedish and "Laukaa" not in swedish
    assert names.findall(plain_page.text) == swedish
