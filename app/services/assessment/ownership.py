"""The client's own assessment or goal, found through the client-side builder.

Someone else's record is refused (403) and the attempt is audit-logged; a record that does not
exist is simply not found.
"""

from __future__ import annotations

from typing import TypeVar

from sqlmodel import Session
from sqlmodel.sql.expression import SelectOfScalar

from app.errors import Forbidden, NotFound
from app.models.actor import Actor
from app.models.assessment import Assessment
from app.models.goal import Goal
from app.services import audit

Owned = TypeVar("Owned", Assessment, Goal)


def own_or_refuse(
    session: Session,
    actor: Actor,
    own: SelectOfScalar[Owned],
    record_id: int,
    category: str,
    refusal: type[Forbidden],
) -> Owned:
    """The record `own` (a client-side builder) finds by id; else 404 or an audited 403."""
    model = own.column_descriptions[0]["entity"]
    found = session.exec(own.where(model.id == record_id)).first()
    if found is not None:
        return found
    other = session.get(model, record_id)
    if other is None:
        raise NotFound()
    audit.record_refusal(
        session,
        actor,
        category,
        subject_id=other.client_id,
        record_type=model.__tablename__,
        record_id=other.id,
    )
    raise refusal()
