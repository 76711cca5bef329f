"""Provider owners invite colleagues by e-mail to join as editors (single-use, expiring).

An invitation is bound to the address it was sent to: only a user logged in with that e-mail
address (the address of their account, compared without case) can accept it, so a forwarded
or leaked link is of no use to whoever holds it.
"""

from __future__ import annotations

import hashlib
import secrets
from datetime import timedelta

from sqlmodel import Session, col, select

from app.config import Settings
from app.errors import AppError, NotFound
from app.i18n import gettext, lazy_gettext
from app.models.actor import Actor
from app.models.base import utcnow
from app.models.identity import ProviderInvitation
from app.models.provider import Provider
from app.models.user import Membership, Role
from app.repositories.catalogue import readable_providers
from app.services import mail

VALID_FOR = timedelta(days=7)


class InvitationUnusable(AppError):
    status_code = 410

    default_text = lazy_gettext(
        "This invitation link does not work. Ask the person who invited you for a new one."
    )


class InvitationExpired(InvitationUnusable):
    default_text = lazy_gettext(
        "This invitation has expired. Ask the person who invited you to send a new one."
    )


class InvitationUsed(InvitationUnusable):
    default_text = lazy_gettext("This invitation has already been used. Each link works only once.")


class InvitationForSomeoneElse(InvitationUnusable):
    status_code = 403

    default_text = lazy_gettext(
        "This invitation was sent to another e-mail address. Log in with the account of that "
        "address, or ask the person who invited you to invite this account."
    )


def token_hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def same_address(account: str | None, invited: str) -> bool:
    return bool(account) and (account or "").strip().casefold() == invited.strip().casefold()


def owned_providers(session: Session, actor: Actor) -> list[Provider]:
    owned = readable_providers(actor, Role.provider_owner)
    return list(session.exec(owned.order_by(col(Provider.name))).all())


def pending(session: Session, actor: Actor) -> list[tuple[ProviderInvitation, Provider]]:
    owned = readable_providers(actor, Role.provider_owner).with_only_columns(col(Provider.id))
    rows = session.exec(
        select(ProviderInvitation, Provider)
        .join(Provider, col(Provider.id) == col(ProviderInvitation.provider_id))
        .where(
            col(ProviderInvitation.provider_id).in_(owned),
            col(ProviderInvitation.used_at).is_(None),
            ProviderInvitation.expires_at > utcnow(),
        )
        .order_by(col(ProviderInvitation.id).desc())
    ).all()
    return [(i, p) for i, p in rows]


def invite(
    session: Session, settings: Settings, actor: Actor, provider_id: int, email: str
) -> ProviderInvitation:
    """Create the invitation (only the token's hash is stored) and mail the link."""
    provider = session.exec(
        readable_providers(actor, Role.provider_owner).where(Provider.id == provider_id)
    ).first()
    if provider is None:
        raise NotFound()
    token = secrets.token_urlsafe(32)
    invitation = ProviderInvitation(
        provider_id=provider_id,
        email=email,
        token_hash=token_hash(token),
        invited_by_id=actor.user_id,
        expires_at=utcnow() + VALID_FOR,
    )
    session.add(invitation)
    session.flush()
    link = f"{settings.base_url.rstrip('/')}/kutsu?t={token}"
    subject = gettext("Invitation to Hebu: %(provider)s") % {"provider": provider.name}
    body = gettext(
        "%(name)s has invited you to edit the services of %(provider)s in Hebu.\n\n"
        "Open this link within 7 days and log in to accept:\n%(link)s\n\n"
        "The link works only once."
    ) % {"name": actor.user.display_name, "provider": provider.name, "link": link}
    mail.send(session, settings, email, subject, body)
    return invitation


def find_usable(session: Session, token: str) -> tuple[ProviderInvitation, Provider]:
    invitation = session.exec(
        select(ProviderInvitation).where(ProviderInvitation.token_hash == token_hash(token))
    ).first()
    if invitation is None:
        raise InvitationUnusable()
    if invitation.used_at is not None:
        raise InvitationUsed()
    if invitation.expires_at <= utcnow():
        raise InvitationExpired()
    provider = session.get(Provider, invitation.provider_id)
    if provider is None:
        raise InvitationUnusable()
    return invitation, provider


def accept(session: Session, actor: Actor, token: str) -> Provider:
    """The logged-in invitee joins the provider as an editor; the link is then used up.

    Only the user whose account has the invited address may accept; anyone else is refused and
    the invitation stays usable for the invitee."""
    invitation, provider = find_usable(session, token)
    if not same_address(actor.user.email, invitation.email):
        raise InvitationForSomeoneElse()
    if provider.id not in actor.provider_ids():
        session.add(
            Membership(user_id=actor.user_id, role=Role.provider_editor, provider_id=provider.id)
        )
    invitation.used_at = utcnow()
    invitation.used_by_id = actor.user_id
    session.add(invitation)
    session.flush()
    return provider
