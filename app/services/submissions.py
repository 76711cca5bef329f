"""One-time form keys: every money form carries a key drawn when its page was shown, and a post
whose key has already been answered gets that first answer instead of being done again (a
double click, a second tab's replay of the same page, a re-sent request).

The key is claimed by inserting its row in the post's own transaction: a second post of the
same key waits on the unique key until the first commits (PostgreSQL) or on the write lock
(SQLite), then reads the first answer. A post that failed rolled its claim back with it, so
the form can be sent again.
"""

from __future__ import annotations

import re

from sqlmodel import Session, select

from app.models.submission import FormSubmission
from app.transactions import add_once

_KEY = re.compile(r"[0-9a-f]{32}")


def _row(session: Session, user_id: int, key: str) -> FormSubmission | None:
    return session.exec(
        select(FormSubmission)
        .where(FormSubmission.form_key == key, FormSubmission.user_id == user_id)
        .execution_options(populate_existing=True)
    ).first()


def claim(session: Session, user_id: int, key: str) -> str | None:
    """The first answer to this form, or None: go on (and `answer` it). A key that is not one
    of ours, or another user's, protects nothing and is ignored."""
    if not _KEY.fullmatch(key):
        return None
    found = _row(session, user_id, key)
    if found is None and add_once(session, FormSubmission(form_key=key, user_id=user_id)):
        return None
    found = found or _row(session, user_id, key)
    return found.answer or None if found else None


def answer(session: Session, user_id: int, key: str, target: str) -> None:
    """Remember where the first successful post of this form was answered to go."""
    found = _row(session, user_id, key) if _KEY.fullmatch(key) else None
    if found is not None and not found.answer:
        found.answer = target[:500]
        session.add(found)
        session.flush()
