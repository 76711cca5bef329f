"""Plain-language Finnish (fi@selko): a sparse catalogue over fi that covers the client journey.

- It never shadows fi with an empty, fuzzy, stale or copied entry, and keeps the placeholders.
- Every text on the client journey's screens has a selko entry, or is listed below as
  deliberately left to standard Finnish (already short and plain).
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from babel.messages.pofile import read_po
from fastapi.testclient import TestClient
from jinja2.ext import babel_extract

from app import i18n
from app.i18n import labels

ROOT = Path(__file__).resolve().parent.parent
I18N = ROOT / "app" / "i18n"
TEMPLATES = ROOT / "app" / "templates"
PLACEHOLDER = re.compile(r"%\(\w+\)[sd]|%%")

# The screens of the client journey: landing, login, self-assessment and results, goals,
# catalogue search/offer/compare, plan and budget, balance, deliveries, access log, the shell.
CLIENT_TEMPLATES = [
    "base.html",
    "partials/_header.html",
    "partials/_footer.html",
    "partials/_session_warning.html",
    "partials/_toast.html",
    "partials/_macros.html",
    "errors/error.html",
    "public/index.html",
    "identity/public/login.html",
    "assessment/client/overview.html",
    "assessment/client/section.html",
    "assessment/client/_item.html",
    "assessment/client/_save_status.html",
    "assessment/client/review.html",
    "assessment/client/results.html",
    "assessment/client/_results_body.html",
    "assessment/client/_chart.html",
    "assessment/client/goals.html",
    "assessment/client/goal_detail.html",
    "assessment/client/goal_form.html",
    "assessment/client/_goal_levels.html",
    "catalogue/public/search.html",
    "catalogue/public/offer.html",
    "catalogue/public/compare.html",
    "catalogue/_macros.html",
    "budget/client/budget.html",
    "budget/client/no_budget.html",
    "budget/_fit.html",
    "budget/_lines.html",
    "budget/_frame.html",
    "budget/_history.html",
    "notifications/_entry.html",
    "budget/client/balance.html",
    "budget/_balance_summary.html",
    "budget/_balance_charts.html",
    "catalogue/client/favourites.html",
    "budget/client/deliveries.html",
    "identity/client/access_log.html",
    "identity/_access_rows.html",
]
# Labels (app/i18n/labels.py) that the client screens above print. The catalogue's and the
# access log's labels are not covered yet: they never had selko entries.
CLIENT_LABEL_KINDS = ["PlanStatus", "PlanAction", "DeliveryStatus", "GoalStatus"]

# Already short and plain in standard Finnish: deliberately left to fi.
LEFT_TO_FI = {
    "Menu",
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
}

# Texts from code that every client screen can show: the client's navigation, error pages.
CLIENT_CODE_TEXTS = [
    # notices the client reads in the inbox (app/services/notifications/kinds.py)
    "You have used %(percent)s %% of your budget.",
    "My self-assessment",
    "Balance",
    "Favourites",
    "Mandates",
    "The request could not be handled",
    "No access",
    "Page not found",
    "The request conflicts with the current state",
    "Too many attempts",
    "Something went wrong on our side",
    "The service is temporarily unavailable",
    "Log in to continue.",
    "You do not have permission to do this.",
    "The page or item was not found.",
    "Please wait a moment and try again.",
    "We could not complete your request. Nothing was saved. Please try again.",
    "Please try again in a moment. Nothing was saved.",
    "Something went wrong with your request.",
]


def _catalog(locale: str):  # noqa: ANN202
    with (I18N / locale / "LC_MESSAGES" / "messages.po").open("rb") as fh:
        return read_po(fh)


def _key(message_id: str | tuple[str, ...]) -> str:
    return message_id if isinstance(message_id, str) else message_id[0]


def _template_ids() -> dict[str, str]:
    found: dict[str, str] = {}
    for name in CLIENT_TEMPLATES:
        with (TEMPLATES / name).open("rb") as fh:
            for _line, _func, message, _comments in babel_extract(
                fh, ["_", "gettext", "ngettext", "pgettext"], [], {"extensions": "jinja2.ext.i18n"}
            ):
                strings = (message,) if isinstance(message, str) else tuple(message)
                first = next((s for s in strings if s), None)
                if first:
                    found.setdefault(first, name)
    for kind in CLIENT_LABEL_KINDS:
        for text in labels.LABELS[kind].values():
            found.setdefault(text._args[0], f"labels {kind}")
    return found


def test_selko_never_shadows_fi_with_empty_or_broken_entries() -> None:
    selko, fi = _catalog("fi@selko"), _catalog("fi")
    assert not selko.fuzzy, "the selko header is fuzzy: its plural forms would be ignored"
    problems: list[str] = []
    for message in selko:
        if not message.id:
            continue
        key = _key(message.id)
        standard = fi.get(message.id if isinstance(message.id, str) else message.id[0])
        strings = message.string if isinstance(message.string, tuple) else (message.string,)
        if message.fuzzy:
            problems.append(f"fuzzy: {key!r}")
        if not all(s and s.strip() for s in strings):
            problems.append(f"empty (would shadow fi): {key!r}")
        if standard is None:
            problems.append(f"stale, not in the fi catalogue: {key!r}")
            continue
        if isinstance(message.id, tuple) != isinstance(standard.id, tuple):
            problems.append(f"plural shape differs from fi: {key!r}")
        standard_strings = (
            standard.string if isinstance(standard.string, tuple) else (standard.string,)
        )
        if tuple(strings) == tuple(standard_strings):
            problems.append(f"a copy of fi (drop it, fi is the fallback): {key!r}")
        ids = message.id if isinstance(message.id, tuple) else (message.id,)
        wanted = set().union(*(PLACEHOLDER.findall(i) for i in ids))
        for text in strings:
            if not set(PLACEHOLDER.findall(text)) <= wanted or (
                "%(num)d" not in text and set(PLACEHOLDER.findall(text)) != wanted - {"%(num)d"}
            ):
                problems.append(f"placeholders differ: {key!r}")
    assert not problems, "\n".join(problems)


def test_every_client_screen_text_has_a_selko_entry_or_is_left_to_fi() -> None:
    selko = {_key(m.id) for m in _catalog("fi@selko") if m.id}
    used = _template_ids()
    missing = sorted(f"{name}: {msgid!r}" for msgid, name in used.items() if msgid not in selko)
    missing = [m for m in missing if m.split(": ", 1)[1].strip("'\"") not in LEFT_TO_FI]
    assert not missing, "write selkosuomi for these (or add to LEFT_TO_FI):\n" + "\n".join(missing)
    missing_code = [text for text in CLIENT_CODE_TEXTS if text not in selko]
    assert not missing_code, f"write selkosuomi for: {missing_code}"
    doubled = sorted(LEFT_TO_FI & selko)
    assert not doubled, f"in LEFT_TO_FI and translated: {doubled}"
    unused = sorted(LEFT_TO_FI - set(used))
    assert not unused, f"LEFT_TO_FI lists texts no client screen uses: {unused}"


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
