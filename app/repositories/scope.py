"""Whose data an actor may read: the one definition of "my clients" (deny by default).

Three circles, each a builder of client user ids (or the one client id) that the domain
repositories start their `readable_<thing>(actor)` queries from:

- the case worker's caseload: clients whose named case worker (Oma henkilö) the actor is, in
  an organiser the actor works for as a case worker (a client moved to another organiser, or a
  worker who left the organiser, is no longer in it);
- the organiser admin's clients: every client of the organisers the actor administers;
- the client side: the client the actor is, or the client an HB assistant acts for. The
  assistant's mandate is checked to be live on every request (app.deps builds
  `on_behalf_of` only from a live mandate); without one an assistant is nobody's client side.

`read_of` marks a builder's query as a read of client data: whoever executes it has read the
data of every client whose rows it returned, and services.audit_reads logs that read (one row
per client, in the transaction of a request's session, one with `LOG_READS`) unless it is the
client's own. A page reading through the builders cannot forget to log.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any, TypeVar

from sqlalchemy import ColumnElement, and_, exists, false
from sqlalchemy.orm import aliased
from sqlmodel import col, select
from sqlmodel.sql.expression import SelectOfScalar

from app.models.actor import Actor
from app.models.mandate import Mandate
from app.models.user import Membership, Role

Row = TypeVar("Row")
Stmt = TypeVar("Stmt", bound=Any)

READ_OPTION = "hebu_read_of"
# Set in `session.info` of a request's unit of work (app.db): its marked reads are logged.
LOG_READS = "hebu_log_reads"


@dataclass(frozen=True, eq=False)
class ReadOf:
    """What executing a marked query reads: `category` data of the client named by each
    returned `entity` row's `subject` attribute (a user id; with `via_budget`, a budget id)."""

    actor: Actor
    category: str
    entity: type
    subject: str
    via_budget: bool = False
    # The rows are columns, not entities: `subject` names the labelled column with the id.
    by_column: bool = False


def read_of(
    stmt: Stmt,
    actor: Actor,
    category: str,
    subject: str = "client_id",
    *,
    via_budget: bool = False,
    by_column: bool = False,
) -> Stmt:
    """`stmt` marked as a read of its rows' clients' data by `actor` (see the module doc).
    With `by_column` the statement selects columns and `subject` labels the client id column."""
    entity = stmt.column_descriptions[0]["entity"]
    mark = ReadOf(actor, category, entity, subject, via_budget, by_column)
    return stmt.execution_options(**{READ_OPTION: mark})


def _in_caseload(actor: Actor) -> ColumnElement[bool]:
    organisers = actor.organiser_ids(Role.case_worker)
    if not organisers:
        return false()
    return and_(
        Membership.role == Role.client,
        Membership.case_worker_id == actor.user_id,
        col(Membership.organiser_id).in_(organisers),
    )


def caseload_memberships(actor: Actor) -> SelectOfScalar[Membership]:
    """Client memberships in the actor's caseload (case worker in the client's organiser)."""
    return select(Membership).where(_in_caseload(actor)).order_by(col(Membership.id))


def caseload(actor: Actor) -> SelectOfScalar[int]:
    """User ids of the clients in the actor's caseload."""
    return select(Membership.user_id).where(_in_caseload(actor))


def of_organiser_clients(actor: Actor) -> ColumnElement[bool]:
    """The condition on `Membership` rows: a client of an organiser the actor administers."""
    organisers = actor.organiser_ids(Role.admin)
    if not organisers:
        return false()
    return and_(Membership.role == Role.client, col(Membership.organiser_id).in_(organisers))


def organiser_clients(actor: Actor) -> SelectOfScalar[int]:
    """User ids of the clients of the organisers the actor administers."""
    return select(Membership.user_id).where(of_organiser_clients(actor))


def client_side_id(actor: Actor) -> int | None:
    """The client whose own data the actor reads: themself as a client, or the client an
    assistant acts for under a live mandate; None for everyone else."""
    if actor.on_behalf_of is not None:
        return actor.on_behalf_of.id
    return actor.user_id if actor.has(Role.client) else None


def live_mandates(assistant_user_id: int, on: date) -> SelectOfScalar[Mandate]:
    """The mandates an assistant may act under on `on`: given to them, not revoked, the last
    day not passed, and the assistant still an HB assistant of the client's organiser (a
    removed or moved assistant role ends the acting at once). app.deps checks the acting
    session against this on every request."""
    client, assistant = aliased(Membership), aliased(Membership)
    still_their_assistant = exists().where(
        client.user_id == Mandate.client_user_id,
        client.role == Role.client,
        assistant.user_id == Mandate.assistant_user_id,
        assistant.role == Role.assistant,
        assistant.organiser_id == client.organiser_id,
    )
    return select(Mandate).where(
        Mandate.assistant_user_id == assistant_user_id,
        col(Mandate.revoked_at).is_(None),
        Mandate.valid_until >= on,
        still_their_assistant,
    )


def rows_in(entity: type[Row], column: Any, ids: set[int]) -> SelectOfScalar[Row]:
    """`entity` rows whose `column` is one of `ids`; none at all when `ids` is empty."""
    if not ids:
        return select(entity).where(false())
    return select(entity).where(col(column).in_(ids))
