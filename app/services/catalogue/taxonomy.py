"""Approval reviews and the category taxonomy, managed by the organiser's admins."""

from __future__ import annotations

from sqlalchemy import case
from sqlmodel import Session, col, select

from app.errors import NotFound
from app.models.actor import Actor
from app.models.audit import AuditAction
from app.models.organiser import Category
from app.models.provider import ApprovalStatus, Provider, ProviderApproval
from app.models.user import Role
from app.repositories.catalogue import readable_admin_categories, readable_approvals
from app.services import audit, search
from app.services.catalogue.listings import business_id_valid
from app.services.search.documents import category_offer_ids


def admin_organisers(actor: Actor) -> set[int]:
    return actor.organiser_ids(Role.admin)


def approvals_for(session: Session, actor: Actor) -> list[tuple[ProviderApproval, Provider]]:
    readable = readable_approvals(actor).with_only_columns(col(ProviderApproval.id))
    rows = session.exec(
        select(ProviderApproval, Provider)
        .join(Provider, col(Provider.id) == col(ProviderApproval.provider_id))
        .where(col(ProviderApproval.id).in_(readable))
        .order_by(
            case((col(ProviderApproval.status) == ApprovalStatus.pending, 0), else_=1),
            col(ProviderApproval.created_at),
            col(Provider.name),
        )
    ).all()
    return [(a, p) for a, p in rows]


def approval_for(
    session: Session, actor: Actor, approval_id: int
) -> tuple[ProviderApproval, Provider]:
    """An application to the admin's own organiser; others' are hidden (404)."""
    approval = session.exec(
        readable_approvals(actor).where(ProviderApproval.id == approval_id)
    ).first()
    if approval is None:
        raise NotFound()
    provider = session.get(Provider, approval.provider_id)
    if provider is None:
        raise NotFound()
    return approval, provider


def automatic_checks(provider: Provider) -> dict[str, bool]:
    return {
        "register_number": bool(provider.soteri_number),
        "business_id_valid": business_id_valid(provider.business_id),
    }


def categories_for(session: Session, actor: Actor) -> list[Category]:
    return list(
        session.exec(
            readable_admin_categories(actor).order_by(
                col(Category.organiser_id), col(Category.position)
            )
        )
    )


def save_category(
    session: Session,
    actor: Actor,
    organiser_id: int,
    slug: str,
    names: dict[str, str],
    is_main: bool,
    category: Category | None = None,
) -> Category:
    if organiser_id not in admin_organisers(actor):
        raise NotFound()
    if category is None:
        position = len(categories_for(session, actor))
        category = Category(organiser_id=organiser_id, slug=slug, name=names, position=position)
    category.slug = slug
    category.name = names
    category.is_main = is_main
    session.add(category)
    session.flush()
    audit.record(
        session,
        actor,
        AuditAction.update,
        "category",
        record_type="category",
        record_id=category.id,
    )
    offer_ids = category_offer_ids(session, category.id or 0)
    search.enqueue(session, offer_ids)
    return category


def category_for(session: Session, actor: Actor, category_id: int) -> Category:
    category = session.exec(
        readable_admin_categories(actor).where(Category.id == category_id)
    ).first()
    if category is None:
        raise NotFound()
    return category


def category_by_slug(session: Session, organiser_id: int, slug: str) -> Category | None:
    return session.exec(
        select(Category).where(Category.organiser_id == organiser_id, Category.slug == slug)
    ).first()
