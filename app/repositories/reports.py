"""Access scoping for aggregate reports: an admin sees only their own organisers' clients."""

from __future__ import annotations

from typing import Any

from sqlmodel import select

from app.models.actor import Actor
from app.models.user import Membership, Role
from app.repositories.scope import of_organiser_clients


def report_organiser_ids(actor: Actor) -> set[int]:
    return actor.organiser_ids(Role.admin)


def report_clients(actor: Actor) -> Any:
    """(client user id, municipality code, client group) of the admin's organisers' clients."""
    return select(Membership.user_id, Membership.municipality_code, Membership.client_group).where(
        of_organiser_clients(actor)
    )
