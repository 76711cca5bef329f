"""Ratings and effect feedback: who may rate, the public summary, replies and moderation.

Rules:
- A client may rate an offer when they have a confirmed (or automatically accepted)
  delivery of it, delivered on or before the day of rating, and have not rated that offer in
  the same calendar month. An assistant with a live mandate (deliveries scope) may rate for
  the client; the rating is the client's, `entered_by_id` records the assistant.
- The public sees a summary and the comments only when at least MIN_RATINGS different
  clients have rated the offer; never who rated, only the month.
- A comment hidden by a moderator leaves the public list, but its stars still count in the
  summary and the search index: the rating itself came from a verified use of the service,
  only the text broke the rules.
- A provider member may reply once to each rating in the public list of their own offers.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from pydantic import BaseModel, Field
from sqlmodel import Session, col, select

from app.errors import Conflict, Forbidden, NotFound
from app.i18n import lazy_gettext
from app.models.actor import Actor
from app.models.audit import AuditAction
from app.models.base import utcnow
from app.models.budget import PlanLine, PlanVersion
from app.models.goal import Goal, GoalPlanLink
from app.models.ledger import Delivery
from app.models.offer import Offer
from app.models.rating import CommentStatus, Rating, RatingReport
from app.repositories.ratings import (
    client_done_deliveries,
    client_ratings,
    provider_ratings,
)
from app.services import audit
from app.services.catalogue.listings import provider_names
from app.services.notifications import events
from app.services.ratings.summary import RatingSummary, month_key, summarise
from app.services.search.outbox import enqueue

PUBLIC_LIST_LIMIT = 50
EFFECT_CANNOT_SAY = 0


class NotEligible(Forbidden):
    default_text = lazy_gettext("You can rate only services you have used and confirmed.")


class AlreadyRated(Conflict):
    default_text = lazy_gettext("You have already rated this service this month.")


class AlreadyReplied(Conflict):
    default_text = lazy_gettext("This rating already has a reply.")


class RatingForm(BaseModel):
    quality: int = Field(ge=1, le=5)
    effect: int = Field(ge=0, le=4)  # 0 = cannot say
    comment: str = Field(default="", max_length=2000)


class ReplyForm(BaseModel):
    reply: str = Field(min_length=1, max_length=2000)


class ReportForm(BaseModel):
    reason: str = Field(default="", max_length=1000)


class HideForm(BaseModel):
    reason: str = Field(min_length=1, max_length=1000)


# --- the client -----------------------------------------------------------------------


@dataclass(frozen=True)
class Used:
    """An offer the client has used: the latest confirmed delivery, and whether rateable."""

    offer_id: int
    title: dict[str, Any]
    provider_name: str
    delivery: Delivery
    line: PlanLine
    rated_this_month: bool

    @property
    def can_rate(self) -> bool:
        return not self.rated_this_month


def _used_offers(
    session: Session, actor: Actor, today: date
) -> dict[int, tuple[Delivery, PlanLine]]:
    rows = session.exec(
        client_done_deliveries(actor)
        .where(col(Delivery.delivered_on) <= today)
        .order_by(col(Delivery.delivered_on), col(Delivery.id))
    ).all()
    latest: dict[int, tuple[Delivery, PlanLine]] = {}
    for delivery, line in rows:
        latest[line.offer_id] = (delivery, line)
    return latest


def _rated_months(session: Session, actor: Actor, month: str) -> set[int]:
    return set(
        session.exec(
            client_ratings(actor)
            .with_only_columns(col(Rating.offer_id))
            .where(Rating.month == month)
        ).all()
    )


def used_services(session: Session, actor: Actor, today: date) -> list[Used]:
    """The services the client has used, newest delivery first; `can_rate` per offer."""
    latest = _used_offers(session, actor, today)
    rated = _rated_months(session, actor, month_key(today))
    names = provider_names(session, {line.provider_id for _d, line in latest.values()})
    items = [
        Used(
            offer_id=offer_id,
            title=line.title,
            provider_name=names.get(line.provider_id, ""),
            delivery=delivery,
            line=line,
            rated_this_month=offer_id in rated,
        )
        for offer_id, (delivery, line) in latest.items()
    ]
    items.sort(key=lambda u: (u.delivery.delivered_on, u.delivery.id or 0), reverse=True)
    return items


def rateable_offer_ids(session: Session, actor: Actor, today: date) -> set[int]:
    return {u.offer_id for u in used_services(session, actor, today) if u.can_rate}


def eligibility(session: Session, actor: Actor, offer_id: int, today: date) -> Used:
    """The basis of a new rating, or NotEligible / AlreadyRated."""
    for used in used_services(session, actor, today):
        if used.offer_id == offer_id:
            if used.rated_this_month:
                raise AlreadyRated()
            return used
    raise NotEligible()


def linked_goals(session: Session, line: PlanLine) -> list[Goal]:
    """Goals linked to this plan line in any version of the plan (same line key)."""
    version = session.get(PlanVersion, line.plan_version_id)
    if version is None:
        return []
    same_line = (
        select(PlanLine.id)
        .join(PlanVersion, col(PlanVersion.id) == PlanLine.plan_version_id)
        .where(PlanVersion.budget_id == version.budget_id, PlanLine.line_key == line.line_key)
    )
    goal_ids = select(GoalPlanLink.goal_id).where(col(GoalPlanLink.plan_line_id).in_(same_line))
    return list(
        session.exec(select(Goal).where(col(Goal.id).in_(goal_ids)).order_by(col(Goal.id))).all()
    )


def rate(session: Session, actor: Actor, offer_id: int, data: RatingForm, today: date) -> Rating:
    used = eligibility(session, actor, offer_id, today)
    comment = data.comment.strip()
    rating = Rating(
        offer_id=offer_id,
        provider_id=used.line.provider_id,
        client_id=actor.subject_id,
        entered_by_id=actor.user_id,
        delivery_id=used.delivery.id,  # type: ignore[arg-type]
        plan_line_id=used.line.id,  # type: ignore[arg-type]
        month=month_key(today),
        quality=data.quality,
        effect=None if data.effect == EFFECT_CANNOT_SAY else data.effect,
        comment=comment,
        comment_status=CommentStatus.visible if comment else CommentStatus.none,
    )
    session.add(rating)
    record_rating_change(session, actor, rating, AuditAction.create)
    enqueue(session, [offer_id])  # the catalogue's rating mean and count
    return rating


@dataclass(frozen=True)
class TitledRating:
    """A rating with the title of the offer it rates (a client's own list, a provider's)."""

    rating: Rating
    title: dict[str, Any]


def own_ratings(session: Session, actor: Actor) -> list[TitledRating]:
    ratings = session.exec(
        client_ratings(actor).order_by(col(Rating.month).desc(), col(Rating.id).desc())
    ).all()
    return titled(session, ratings)


def read_audit(session: Session, actor: Actor) -> None:
    """An assistant looking at the client's ratings is logged (own reads are not)."""
    audit.record(
        session,
        actor,
        AuditAction.read,
        "rating",
        subject_id=actor.subject_id,
        record_type="rating",
    )


# --- the public -----------------------------------------------------------------------


@dataclass
class PublicRatings:
    summary: RatingSummary
    entries: list[Rating] = field(default_factory=list)


def _summary_where(session: Session, condition: Any) -> RatingSummary:
    rows = session.exec(select(Rating.client_id, Rating.quality, Rating.effect).where(condition))
    return summarise((c, q, e) for c, q, e in rows.all())


def summary_of(session: Session, offer_id: int) -> RatingSummary:
    return _summary_where(session, Rating.offer_id == offer_id)


def provider_summary(session: Session, provider_id: int) -> RatingSummary:
    """All ratings of a provider's offers; the same minimum of distinct clients applies."""
    return _summary_where(session, Rating.provider_id == provider_id)


def public_ratings(session: Session, offer_id: int) -> PublicRatings:
    """The summary and the visible comments, both only when enough clients have rated."""
    summary = summary_of(session, offer_id)
    if not summary.enough:
        return PublicRatings(summary)
    entries = session.exec(
        _public_entries()
        .where(Rating.offer_id == offer_id)
        .order_by(col(Rating.month).desc(), col(Rating.id).desc())
        .limit(PUBLIC_LIST_LIMIT)
    ).all()
    return PublicRatings(summary, list(entries))


def _public_entries() -> Any:
    return select(Rating).where(Rating.comment_status == CommentStatus.visible)


def _is_public(session: Session, rating: Rating) -> bool:
    return (
        rating.comment_status == CommentStatus.visible
        and summary_of(session, rating.offer_id).enough
    )


def report(session: Session, actor: Actor, rating_id: int, reason: str) -> Rating:
    """Anyone logged in may report a public comment; reporting twice changes nothing."""
    rating = session.get(Rating, rating_id)
    if rating is None or not _is_public(session, rating):
        raise NotFound()
    existing = session.exec(
        select(RatingReport).where(
            RatingReport.rating_id == rating_id, RatingReport.reporter_id == actor.user_id
        )
    ).first()
    if existing is None:
        session.add(
            RatingReport(rating_id=rating_id, reporter_id=actor.user_id, reason=reason.strip())
        )
        session.flush()
    return rating


# --- providers ------------------------------------------------------------------------


def provider_entries(session: Session, actor: Actor) -> list[TitledRating]:
    """What the public sees of the actor's providers' offers: the ratings one may reply to."""
    ratings = session.exec(
        provider_ratings(actor)
        .where(Rating.comment_status == CommentStatus.visible)
        .order_by(col(Rating.month).desc(), col(Rating.id).desc())
    ).all()
    enough: dict[int, bool] = {}
    for rating in ratings:
        if rating.offer_id not in enough:
            enough[rating.offer_id] = summary_of(session, rating.offer_id).enough
    return titled(session, [r for r in ratings if enough[r.offer_id]])


def provider_rating(session: Session, actor: Actor, rating_id: int) -> Rating:
    """A rating in the public list of one of the actor's providers' offers, else NotFound."""
    rating = session.exec(provider_ratings(actor).where(Rating.id == rating_id)).first()
    if rating is None or not _is_public(session, rating):
        raise NotFound()
    return rating


def reply(session: Session, actor: Actor, rating_id: int, text: str) -> Rating:
    rating = provider_rating(session, actor, rating_id)
    if rating.reply_at is not None:
        raise AlreadyReplied()
    rating.reply = text.strip()
    rating.reply_by_id = actor.user_id
    rating.reply_at = utcnow()
    session.add(rating)
    record_rating_change(session, actor, rating, record_type="rating_reply")
    events.rating_reply(session, rating)
    return rating


# --- helpers --------------------------------------------------------------------------


def offer_titles(session: Session, ids: set[int]) -> dict[int, dict[str, Any]]:
    if not ids:
        return {}
    rows = session.exec(select(Offer).where(col(Offer.id).in_(ids))).all()
    return {o.id: o.title for o in rows if o.id is not None}


def titled(session: Session, ratings: Sequence[Rating]) -> list[TitledRating]:
    titles = offer_titles(session, {r.offer_id for r in ratings})
    return [TitledRating(r, titles.get(r.offer_id, {})) for r in ratings]


def record_rating_change(
    session: Session,
    actor: Actor,
    rating: Rating,
    action: AuditAction = AuditAction.update,
    record_type: str = "rating",
    details: dict[str, Any] | None = None,
) -> None:
    """Flush, then audit a write to a rating; the client who rated is the subject."""
    session.flush()
    audit.record(
        session,
        actor,
        action,
        "rating",
        subject_id=rating.client_id,
        record_type=record_type,
        record_id=rating.id,
        details=details,
    )
