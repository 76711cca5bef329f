"""Loading users and their memberships into an Actor."""

from __future__ import annotations

from sqlmodel import Session, col, select

from app.models.actor import Actor
from app.models.user import Membership, Role, User


def load_actor(session: Session, user_id: int, request_id: str | None = None) -> Actor | None:
    user = session.get(User, user_id)
    if user is None or not user.is_active:
        return None
    memberships = session.exec(
        select(Membership).where(Membership.user_id == user_id).order_by(col(Membership.id))
    ).all()
    # Detached: a rollback (e.g. after a 403) must not expire what the error page still shows.
    session.expunge(user)
    for membership in memberships:
        session.expunge(membership)
    return Actor(user=user, memberships=tuple(memberships), request_id=request_id)


def dev_personas(session: Session) -> list[tuple[User, list[Membership]]]:
    users = session.exec(
        select(User).where(col(User.dev_persona).is_not(None)).order_by(col(User.id))
    ).all()
    result: list[tuple[User, list[Membership]]] = []
    for user in users:
        memberships = session.exec(select(Membership).where(Membership.user_id == user.id)).all()
        result.append((user, list(memberships)))
    return result


def login_locale(session: Session, user: User, chosen: str | None) -> str | None:
    """The language a login continues in: one picked in this browser session before it
    (stored as the user's choice from now on), else the user's stored one."""
    if chosen is not None and chosen != user.locale:
        user.locale = chosen
        session.add(user)
    return user.locale


def get_dev_persona(session: Session, persona: str) -> User | None:
    return session.exec(select(User).where(User.dev_persona == persona)).first()


def client_membership(session: Session, user_id: int) -> Membership | None:
    """The client's membership: organiser, named case worker, home municipality, group."""
    return session.exec(
        select(Membership)
        .where(Membership.user_id == user_id, Membership.role == Role.client)
        .order_by(col(Membership.id))
    ).first()
