"""The organiser admin's synonym groups: words clients use for the same service, in Finnish
and Swedish ("siivooja" for "kotisiivous", "taxi" for "färdtjänst"). Stored per organiser,
optionally filed under one of its categories; searches of that organiser's clients apply them
beside the built-in groups (search/synonym_store.py), Meilisearch after the commit."""

from __future__ import annotations

import re
from dataclasses import dataclass

from sqlmodel import Session, col, select

from app.errors import Invalid, NotFound
from app.i18n import lazy_gettext
from app.models.actor import Actor
from app.models.audit import AuditAction
from app.models.organiser import Category
from app.models.search import SearchSynonym
from app.models.user import Role
from app.services import audit
from app.services.search.outbox import synonyms_changed

MAX_WORDS = 30
WORD_RE = re.compile(r"^[a-zåäöéüæø0-9]+(?:-[a-zåäöéüæø0-9]+)*$")


class TooFewWords(Invalid):
    default_text = lazy_gettext("Write at least two words, in Finnish or Swedish.")


class TooManyWords(Invalid):
    default_text = lazy_gettext("A group can have at most %(max)s words.")


class NotOneWord(Invalid):
    default_text = lazy_gettext(
        "Write one word at a time, separated by commas: “%(word)s” is not one word."
    )


class UnknownCategory(Invalid):
    default_text = lazy_gettext("Choose one of your categories, or none.")


@dataclass(frozen=True)
class SynonymRow:
    group: SearchSynonym
    category: Category | None


def parse_words(text: str) -> list[str]:
    """Comma- or line-separated words, lower-case, each once; a phrase is refused (a query
    word would otherwise expand to the whole group for each word of the phrase)."""
    out: list[str] = []
    for raw in re.split(r"[,;\n]", text):
        word = " ".join(raw.split()).lower()
        if not word:
            continue
        if len(word) > 40 or not WORD_RE.match(word):
            raise NotOneWord(word=word[:40])
        if word not in out:
            out.append(word)
    return out


def organisers(actor: Actor) -> list[int]:
    return sorted(actor.organiser_ids(Role.admin))


def groups_for(session: Session, actor: Actor) -> list[SynonymRow]:
    """The groups of the organisers the admin administers, by category then first word."""
    rows = session.exec(
        select(SearchSynonym, Category)
        .join(Category, col(Category.id) == col(SearchSynonym.category_id), isouter=True)
        .where(col(SearchSynonym.organiser_id).in_(organisers(actor)))
        .order_by(col(Category.position).is_(None), col(Category.position), col(SearchSynonym.id))
    ).all()
    return [SynonymRow(g, c) for g, c in rows]


def group_for(session: Session, actor: Actor, group_id: int) -> SearchSynonym:
    group = session.get(SearchSynonym, group_id)
    if group is None or group.organiser_id not in organisers(actor):
        raise NotFound()
    return group


def _category(session: Session, organiser_id: int, category_id: int | None) -> int | None:
    if category_id is None:
        return None
    category = session.get(Category, category_id)
    if category is None or category.organiser_id != organiser_id:
        raise UnknownCategory()
    return category_id


def save(
    session: Session,
    actor: Actor,
    words_fi: str,
    words_sv: str,
    category_id: int | None = None,
    group_id: int | None = None,
) -> SearchSynonym:
    """Add a group to the admin's organiser, or change one of its groups."""
    if group_id is not None:
        group = group_for(session, actor, group_id)
    else:
        owned = organisers(actor)
        if not owned:
            raise NotFound()
        group = SearchSynonym(organiser_id=owned[0])
    fi, sv = parse_words(words_fi), parse_words(words_sv)
    if len(set(fi) | set(sv)) < 2:
        raise TooFewWords()
    if len(fi) + len(sv) > MAX_WORDS:
        raise TooManyWords(max=MAX_WORDS)
    group.category_id = _category(session, group.organiser_id, category_id)
    group.words_fi, group.words_sv = fi, sv
    group.updated_by = actor.user_id
    session.add(group)
    session.flush()
    action = AuditAction.update if group_id is not None else AuditAction.create
    audit.record(
        session, actor, action, "search_synonym", record_type="search_synonym", record_id=group.id
    )
    synonyms_changed(session)
    return group


def remove(session: Session, actor: Actor, group_id: int) -> None:
    group = group_for(session, actor, group_id)
    session.delete(group)
    session.flush()
    audit.record(
        session,
        actor,
        AuditAction.delete,
        "search_synonym",
        record_type="search_synonym",
        record_id=group_id,
    )
    synonyms_changed(session)
