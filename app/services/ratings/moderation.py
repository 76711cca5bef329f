"""Moderation of rating comments by the organiser's admins: the queue of reported comments,
hiding a comment with a reason (the author is told) or keeping it."""

from __future__ import annotations

from dataclasses import dataclass

from sqlmodel import Session, col, select

from app.errors import NotFound
from app.models.actor import Actor
from app.models.base import utcnow
from app.models.rating import CommentStatus, Rating, RatingReport, ReportStatus
from app.repositories.ratings import (
    admin_ratings,
)
from app.services.notifications import events
from app.services.ratings.feedback import TitledRating, offer_titles, record_rating_change

# --- organiser admins -----------------------------------------------------------------


@dataclass(frozen=True)
class QueueItem(TitledRating):
    reports: list[RatingReport]


def moderation_queue(session: Session, actor: Actor) -> list[QueueItem]:
    """Ratings with open reports in the actor's organisers, oldest report first."""
    open_reports = session.exec(
        select(RatingReport)
        .where(RatingReport.status == ReportStatus.open)
        .where(
            col(RatingReport.rating_id).in_(admin_ratings(actor).with_only_columns(col(Rating.id)))
        )
        .order_by(col(RatingReport.id))
    ).all()
    by_rating: dict[int, list[RatingReport]] = {}
    for item in open_reports:
        by_rating.setdefault(item.rating_id, []).append(item)
    ratings = {r.id: r for r in session.exec(select(Rating).where(col(Rating.id).in_(by_rating)))}
    titles = offer_titles(session, {r.offer_id for r in ratings.values()})
    return [
        QueueItem(ratings[rid], titles.get(ratings[rid].offer_id, {}), reports)
        for rid, reports in by_rating.items()
        if rid in ratings
    ]


def admin_rating(session: Session, actor: Actor, rating_id: int) -> Rating:
    rating = session.exec(admin_ratings(actor).where(Rating.id == rating_id)).first()
    if rating is None:
        raise NotFound()
    return rating


def _close_reports(session: Session, actor: Actor, rating_id: int, status: ReportStatus) -> None:
    for item in session.exec(
        select(RatingReport).where(
            RatingReport.rating_id == rating_id, RatingReport.status == ReportStatus.open
        )
    ):
        item.status = status
        item.decided_by_id = actor.user_id
        item.decided_at = utcnow()
        session.add(item)


def hide(session: Session, actor: Actor, rating_id: int, reason: str) -> Rating:
    """Hide a comment with a reason; the author is told in Hebu. The stars still count."""
    rating = admin_rating(session, actor, rating_id)
    if rating.comment_status != CommentStatus.visible:
        raise NotFound()
    rating.comment_status = CommentStatus.hidden
    rating.hidden_reason = reason.strip()
    rating.hidden_by_id = actor.user_id
    rating.hidden_at = utcnow()
    session.add(rating)
    _close_reports(session, actor, rating_id, ReportStatus.hidden)
    events.rating_hidden(session, rating, rating.hidden_reason)
    record_rating_change(session, actor, rating, details={"comment": "hidden"})
    return rating


def keep(session: Session, actor: Actor, rating_id: int) -> Rating:
    """The comment is fine: close the open reports."""
    rating = admin_rating(session, actor, rating_id)
    _close_reports(session, actor, rating_id, ReportStatus.kept)
    session.flush()
    return rating
