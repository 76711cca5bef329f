"""Demo people: made-up clients without a login, and the demo mandates: Aino (client) →
Mikko (assistant) in force, Erik (client-sv) → Mikko expired."""

from __future__ import annotations

from datetime import timedelta

from sqlmodel import Session, col, select

from app.models.actor import Actor, MandateScope
from app.models.mandate import Mandate
from app.models.organiser import Organiser
from app.models.user import Membership, Role, User
from app.services.identity.mandates import today
from app.services.identity.users import load_actor

ALL_SCOPES = [s.value for s in MandateScope]


def actor_of(session: Session, user: User) -> Actor:
    """The demo acts through the same services as people do, as this user."""
    actor = load_actor(session, user.id)  # type: ignore[arg-type]
    assert actor is not None
    return actor


def provider_actor(session: Session, provider_id: int) -> Actor | None:
    """The provider's first member, who accepts its orders and reports its deliveries."""
    member = session.exec(
        select(Membership).where(Membership.provider_id == provider_id).order_by(col(Membership.id))
    ).first()
    user = session.get(User, member.user_id) if member else None
    return actor_of(session, user) if user else None


def synthetic_client(session: Session, organiser: Organiser, worker: User, name: str) -> User:
    """A made-up client of `worker` in Jyväskylä: no login, so marked synthetic."""
    user = User(display_name=name, locale="fi", is_synthetic=True)
    session.add(user)
    session.flush()
    session.add(
        Membership(
            user_id=user.id,  # type: ignore[arg-type]
            role=Role.client,
            organiser_id=organiser.id,
            case_worker_id=worker.id,
            municipality_code="179",
        )
    )
    session.flush()
    return user


def load_mandates(session: Session) -> None:
    people = {
        u.dev_persona: u
        for u in session.exec(
            select(User).where(User.dev_persona.in_(["client", "client-sv", "assistant"]))  # type: ignore[union-attr]
        ).all()
    }
    assistant = people.get("assistant")
    if assistant is None:
        return
    for persona, days, scopes in (
        ("client", 365, ALL_SCOPES),
        ("client-sv", -30, [MandateScope.view.value]),
    ):
        client = people.get(persona)
        if client is None:
            continue
        exists = session.exec(
            select(Mandate).where(
                Mandate.client_user_id == client.id, Mandate.assistant_user_id == assistant.id
            )
        ).first()
        if exists is None:
            session.add(
                Mandate(
                    client_user_id=client.id,
                    assistant_user_id=assistant.id,
                    scopes=scopes,
                    valid_until=today() + timedelta(days=days),
                    created_by_id=client.id,
                )
            )
    session.flush()
