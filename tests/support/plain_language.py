"""Checks shared by the plain-language catalogues (fi@selko over fi, sv@latt over sv).

A plain catalogue is sparse: it holds only what differs from its base language, the rest falls
back. Which texts it must cover is the client journey: the templates in CLIENT_TEMPLATES, the
labels of CLIENT_LABEL_KINDS and the texts from code in CLIENT_CODE_TEXTS. Each plain test file
keeps its own short list of texts left to the base language (already plain there).
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from types import SimpleNamespace

from babel.messages.catalog import Catalog, Message
from babel.messages.pofile import read_po
from jinja2.ext import babel_extract

from app.i18n import labels
from app.models.user import Role

ROOT = Path(__file__).resolve().parents[2]
I18N = ROOT / "app" / "i18n"
TEMPLATES = ROOT / "app" / "templates"
PLACEHOLDER = re.compile(r"%\(\w+\)[sd]|%%")
# Acronyms (HB, VAT): spell them out in a plain text; "Hebu" is a name, not an acronym.
ACRONYM = r"\b[A-ZÅÄÖ]{2,}\b"
# A word is letters (with digits or hyphens inside); placeholders are not words.
WORD = re.compile(r"[^\W\d_](?:[\w-]*\w)?")
SENTENCE_END = re.compile(r"(?<=[.!?:])\s+")

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
    "budget/client/_take_back.html",
    "budget/client/confirm_send.html",
    "budget/_balance_summary.html",
    "budget/_balance_charts.html",
    "catalogue/client/favourites.html",
    "budget/client/deliveries.html",
    "identity/client/access_log.html",
    "identity/_access_rows.html",
]
# Labels (app/i18n/labels.py) that the client screens above print. The catalogue's and the
# access log's labels are not covered yet: they never had plain entries.
CLIENT_LABEL_KINDS = ["PlanStatus", "PlanAction", "DeliveryStatus", "GoalStatus", "DisputeReason"]

# Texts from code that every client screen can show: the client's navigation, error pages.
CLIENT_CODE_TEXTS = [
    # notices the client reads in the inbox and on the balance page
    # (app/services/notifications/kinds.py: the kinds whose events notify the client)
    "You have used %(percent)s %% of your budget.",
    "Your budget plan was confirmed.",
    "Your budget plan was returned for changes.",
    "Your budget frame was set or changed.",
    "A provider declined a service in the plan.",
    "A provider reported a delivery. Please confirm it.",
    "A disputed delivery has been resolved.",
    "A delivery nobody decided in time was accepted automatically.",
    "A provider replied to your rating.",
    "My self-assessment",
    "Balance",
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


@dataclass(frozen=True)
class Style:
    """What "plain" means in numbers for one language's guidelines."""

    max_sentence_words: int
    max_word_letters: int
    # Long words that are fine (names, words the text explains); compared in lower case.
    long_words_allowed: frozenset[str] = frozenset()
    # Abbreviations the reader must not meet (easy-to-read texts write words out).
    abbreviations: re.Pattern[str] | None = None


def catalog(locale: str) -> Catalog:
    with (I18N / locale / "LC_MESSAGES" / "messages.po").open("rb") as fh:
        return read_po(fh)


def key(message_id: str | tuple[str, ...]) -> str:
    return message_id if isinstance(message_id, str) else message_id[0]


def _strings(message: Message) -> tuple[str, ...]:
    value = message.string
    return tuple(value) if isinstance(value, (tuple, list)) else (value,)


def _ids(message: Message) -> tuple[str, ...]:
    return tuple(message.id) if isinstance(message.id, (tuple, list)) else (message.id,)


def _client_menu() -> list[str]:
    """The client's menu entries (every client screen shows them), from the navigation registry."""
    import app.main  # noqa: F401  (the route modules register their menu entries on import)
    from app import navigation

    client = SimpleNamespace(roles=lambda: {Role.client})
    menu = navigation.menu_for(client)  # type: ignore[arg-type]
    return [item.label._args[0] for item in (*menu.main, *menu.more)] + [menu.more_label._args[0]]


INCLUDES = re.compile(r"""{%-?\s*(?:include|import|from|extends)\s+["']([^"']+)["']""")


def client_templates() -> list[str]:
    """The client screens and every template they include, import or extend (a partial added
    to a client screen is a client text too)."""
    found: list[str] = []
    todo = list(CLIENT_TEMPLATES)
    while todo:
        name = todo.pop(0)
        if name not in found:
            found.append(name)
            todo += INCLUDES.findall((TEMPLATES / name).read_text(encoding="utf-8"))
    return found


def client_ids() -> dict[str, str]:
    """Every msgid the client journey shows -> where it comes from (template, label, menu)."""
    found: dict[str, str] = {}
    for name in client_templates():
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
    for text in CLIENT_CODE_TEXTS:
        found.setdefault(text, "code")
    for text in _client_menu():
        found.setdefault(text, "the client's menu (app/navigation.py)")
    return found


def broken_entries(plain_locale: str, base_locale: str) -> list[str]:
    """Entries that would hurt: fuzzy, empty (shadowing the base), stale, copies, placeholders."""
    plain, base = catalog(plain_locale), catalog(base_locale)
    problems: list[str] = []
    if plain.fuzzy:
        problems.append("the header is fuzzy: its plural forms would be ignored")
    for message in plain:
        if not message.id:
            continue
        name = key(message.id)
        strings = _strings(message)
        if message.fuzzy:
            problems.append(f"fuzzy: {name!r}")
        if not all(s and s.strip() for s in strings):
            problems.append(f"empty (would shadow {base_locale}): {name!r}")
        standard = base.get(name)
        if standard is None:
            problems.append(f"stale, not in the {base_locale} catalogue: {name!r}")
            continue
        if isinstance(message.id, (tuple, list)) != isinstance(standard.id, (tuple, list)):
            problems.append(f"plural shape differs from {base_locale}: {name!r}")
        if strings == _strings(standard):
            problems.append(f"a copy of {base_locale} (drop it, it is the fallback): {name!r}")
        wanted = set().union(*(PLACEHOLDER.findall(i) for i in _ids(message)))
        for text in strings:
            used = set(PLACEHOLDER.findall(text))
            if not used <= wanted or ("%(num)d" not in text and used != wanted - {"%(num)d"}):
                problems.append(f"placeholders lost or added: {name!r}: {text!r}")
    return problems


def missing_entries(plain_locale: str, left_to_base: Iterable[str]) -> list[str]:
    """Client-journey msgids with neither a plain entry nor a place on the left-to-base list."""
    plain = {key(m.id) for m in catalog(plain_locale) if m.id}
    left = set(left_to_base)
    return sorted(
        f"{where}: {msgid!r}"
        for msgid, where in client_ids().items()
        if msgid not in plain and msgid not in left
    )


def list_problems(plain_locale: str, left_to_base: Iterable[str]) -> list[str]:
    """A left-to-base list must not also be translated, nor name texts no client screen shows."""
    plain = {key(m.id) for m in catalog(plain_locale) if m.id}
    left = set(left_to_base)
    used = set(client_ids())
    problems = [f"on the list and translated: {t!r}" for t in sorted(left & plain)]
    problems += [f"on the list, but no client screen uses it: {t!r}" for t in sorted(left - used)]
    return problems


def sentences(text: str) -> list[str]:
    plain = PLACEHOLDER.sub("X", text)
    return [s for s in SENTENCE_END.split(plain.strip()) if s]


def text_style_problems(text: str, style: Style, where: str = "") -> list[str]:
    """One text against the style: long sentences, long words not allowed, abbreviations."""
    problems: list[str] = []
    if style.abbreviations is not None:
        for found in style.abbreviations.findall(PLACEHOLDER.sub("", text)):
            problems.append(f"abbreviation {found!r} in {where or text!r}")
    for sentence in sentences(text):
        words = WORD.findall(sentence)
        if len(words) > style.max_sentence_words:
            problems.append(
                f"sentence of {len(words)} words (at most {style.max_sentence_words}): {sentence!r}"
            )
        for word in words:
            letters = len(word.replace("-", ""))
            if letters > style.max_word_letters and word.lower() not in style.long_words_allowed:
                problems.append(
                    f"word of {letters} letters (at most {style.max_word_letters}): "
                    f"{word!r} in {where or text!r}"
                )
    return problems


def style_problems(plain_locale: str, style: Style) -> list[str]:
    """Every entry of a plain catalogue against the style."""
    problems: list[str] = []
    for message in catalog(plain_locale):
        if message.id:
            for text in _strings(message):
                problems += text_style_problems(text, style, repr(key(message.id)))
    return problems
