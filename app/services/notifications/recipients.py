"""Who is concerned: the client side (the client and assistants with a live mandate), the
named case worker, and a provider's members."""

from __future__ import annotations

from sqlmodel import Session, col, select

from app.models.actor import MandateScope
from app.models.mandate import Mandate
from app.models.user import Membership, Role
from app.services.identity import mandates as mandate_rules
from app.services.identity.users import client_membership


def client_side(
    session: Session, client_id: int, scope: MandateScope = MandateScope.view
) -> list[int]:
    """The client and each assistant whose live mandate from the client covers `scope`."""
    candidates = session.exec(
        select(Mandate).where(
            Mandate.client_user_id == client_id,
            col(Mandate.revoked_at).is_(None),
            Mandate.valid_until >= mandate_rules.today(),
        )
    ).all()
    assistants = [
        m.assistant_user_id
        for m in candidates
        if scope.value in m.scopes
        and mandate_rules.live_mandate(session, m.id, m.assistant_user_id)  # type: ignore[arg-type]
    ]
    return [client_id, *assistants]


def case_worker(session: Session, client_id: int) -> int | None:
    member = client_membership(session, client_id)
    return member.case_worker_id if member else None


def provider_members(session: Session, provider_id: int) -> list[int]:
    return list(
        session.exec(
            select(Membership.user_id)
            .where(
                Membership.provider_id == provider_id,
                col(Membership.role).in_([Role.provider_owner, Role.provider_editor]),
            )
            .distinct()
        ).all()
    )
