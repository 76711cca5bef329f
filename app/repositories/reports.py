"""Access scoping for aggregate reports: an admin sees only their own organisers' clients."""

from __future__ import annotations

from typing import Any

from sqlalchemy import false
from sqlmodel import col, select

from app.models.actor import Actor
from app.models.user import Membership, Role


def report_organiser_ids(actor: Actor) -> set[int]:
    return actor.organiser_ids(Role.admin)


def report_clients(actor: Actor) -> Any:
    """(client user id, municipality code, client group) of the admin's organisers' clients."""
    organisers = report_organiser_ids(actor)
    query = select(Membership.user_id, Membership.municipality_code, Membership.client_group)
    if not organisers:
        return query.where(false())
    return query.where(Membership.role == Role.client, col(Membership.organiser_id).in_(organisers))
