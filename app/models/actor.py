"""Who is acting: the logged-in user, their roles, and on whose behalf (assistant mandate).

Not a table: built per request by app.deps and handed to services and repositories, so
access scoping and the audit trail always know the actor.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import StrEnum

from app.models.user import Membership, Role, User


class MandateScope(StrEnum):
    """What an HB assistant may do for a client under a mandate."""

    view = "view"  # see the client's data
    assessments = "assessments"  # fill self-assessments and goals
    plan = "plan"  # edit the budget plan
    deliveries = "deliveries"  # confirm or dispute deliveries


@dataclass(frozen=True)
class Actor:
    user: User
    memberships: tuple[Membership, ...] = ()
    # Set while an HB assistant acts for a client under a live mandate.
    on_behalf_of: User | None = None
    mandate_id: int | None = None
    mandate_scopes: frozenset[str] = field(default_factory=frozenset)
    request_id: str | None = None

    @property
    def user_id(self) -> int:
        assert self.user.id is not None
        return self.user.id

    @property
    def subject_id(self) -> int:
        """The person whose data an action concerns by default: the client acted for, or self."""
        return self.on_behalf_of.id if self.on_behalf_of and self.on_behalf_of.id else self.user_id

    def roles(self) -> set[Role]:
        return {m.role for m in self.memberships}

    def has(self, role: Role) -> bool:
        return any(m.role == role for m in self.memberships)

    def memberships_for(self, *roles: Role) -> list[Membership]:
        return [m for m in self.memberships if m.role in roles]

    def organiser_ids(self, *roles: Role) -> set[int]:
        return {
            m.organiser_id
            for m in self.memberships
            if m.organiser_id is not None and (not roles or m.role in roles)
        }

    def provider_ids(self, *roles: Role) -> set[int]:
        wanted = roles or (Role.provider_owner, Role.provider_editor)
        return {m.provider_id for m in self.memberships if m.provider_id and m.role in wanted}

    def can_act(self, scope: str) -> bool:
        return self.on_behalf_of is None or scope in self.mandate_scopes
