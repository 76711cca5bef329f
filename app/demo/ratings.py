"""Demo ratings: synthetic clients who used Järvimaa's first offers and rated them.

The raters are clearly marked synthetic ("(synteettinen)" in the name). Each gets a small
confirmed budget and a confirmed delivery, then rates through the same service as a real
client, so every demo rating is verified. The first offer gets 6 raters (a public summary,
comments, a provider reply and a reported comment waiting in the moderation queue), the
second 3 (not enough yet), the third 5. The demo client Aino is left free to rate.
Idempotent: nothing is added when the first synthetic rater exists.
"""

from __future__ import annotations

from datetime import date, timedelta

from sqlmodel import Session, col, select

from app.demo.catalogue import approved_offers
from app.demo.identity import actor_of, provider_actor, synthetic_client
from app.models.actor import Actor
from app.models.base import utcnow
from app.models.budget import Budget, ExperimentArm, OrderStatus, PlanLine
from app.models.ledger import Delivery
from app.models.offer import Offer
from app.models.organiser import Organiser
from app.models.rating import Rating
from app.models.user import Membership, User
from app.services.budget import deliveries, plan
from app.services.budget import frames as budget_service
from app.services.ratings import feedback
from app.services.ratings.feedback import RatingForm

RATER_NAME = "Arvioija {n} (synteettinen)"
# rater number -> [(offer index, quality, effect, comment)]
PLAN: dict[int, list[tuple[int, int, int, str]]] = {
    1: [
        (0, 5, 4, "Työntekijä oli ajoissa ja ystävällinen. Arki helpottui selvästi."),
        (2, 4, 3, ""),
    ],
    2: [(0, 4, 3, "Hyvä palvelu, mutta ajan saaminen kesti."), (1, 3, 2, ""), (2, 5, 4, "")],
    3: [(0, 4, 0, ""), (1, 5, 4, ""), (2, 4, 3, "Toimiva ja joustava.")],
    4: [(0, 5, 4, "Tjänsten var utmärkt och personalen talade svenska.")],
    5: [
        (0, 2, 1, "Tuli myöhässä kahdesti, soittakaa jos ette pääse! Ihan surkeaa."),
        (2, 4, 3, ""),
    ],
    6: [(0, 3, 2, "Ihan ok."), (1, 4, 3, "Mukava ryhmä."), (2, 5, 4, "")],
}
REPLY = "Kiitos palautteesta! Olemme lisänneet iltapäivään uusia aikoja."
REPORT = "Kommentti on asiaton."


def _offers(session: Session, organiser: Organiser) -> list[Offer]:
    """Published offers of approved providers that have a member (who can accept orders)."""
    staffed = select(Membership.provider_id).where(col(Membership.provider_id).is_not(None))
    offers = approved_offers(organiser).where(col(Offer.valid_to).is_(None))
    return list(session.exec(offers.where(col(Offer.provider_id).in_(staffed)).limit(3)))


def _provider_actor(session: Session, provider_id: int) -> Actor:
    actor = provider_actor(session, provider_id)
    assert actor is not None  # the offers are of staffed providers
    return actor


def load_ratings(session: Session) -> None:
    if session.exec(select(User.id).where(User.display_name == RATER_NAME.format(n=1))).first():
        return
    organiser = session.exec(select(Organiser).where(Organiser.code == "jarvimaa")).first()
    worker = session.exec(select(User).where(User.dev_persona == "case-worker")).first()
    aino = session.exec(select(User).where(User.dev_persona == "client")).first()
    if organiser is None or worker is None:
        return
    offers = _offers(session, organiser)
    if len(offers) < 3:
        return
    for n, items in PLAN.items():
        rater = synthetic_client(session, organiser, worker, RATER_NAME.format(n=n))
        _use_and_rate(session, worker, rater, n, [(offers[i], q, e, c) for i, q, e, c in items])
    _reply_and_report(session, offers[0], aino)
    session.flush()


def _use_and_rate(
    session: Session, worker: User, rater: User, n: int, items: list[tuple[Offer, int, int, str]]
) -> None:
    """A confirmed budget with one use of each offer, confirmed and then rated."""
    today = date.today()
    period = (date(today.year, 1, 1), date(today.year, 12, 31))
    worker_actor = actor_of(session, worker)
    budget = budget_service.set_frame(
        session,
        worker_actor,
        rater.id,  # type: ignore[arg-type]
        budget_service.FrameInput(300_000, ExperimentArm.a, {}, "Demo", *period),
    )
    actor = actor_of(session, rater)
    lines = [
        plan.add_line(session, actor, budget, offer.id, 1, 2, today)  # type: ignore[arg-type]
        for offer, _q, _e, _c in items
    ]
    plan.submit(session, actor, budget, "")
    plan.confirm(session, worker_actor, budget, "")
    # Spread the use (and so the ratings' months) over the last months of the period.
    day = max(period[0], today - timedelta(days=31 * ((n - 1) % 4)))
    for line, (offer, quality, effect, comment) in zip(lines, items, strict=True):
        _deliver(session, actor, budget, line, day)
        form = RatingForm(quality=quality, effect=effect, comment=comment)
        feedback.rate(session, actor, offer.id, form, day)  # type: ignore[arg-type]


def _deliver(session: Session, client: Actor, budget: Budget, line: PlanLine, day: date) -> None:
    """The provider's acceptance and report written directly: deliveries.order() lists all
    of a provider's orders per call, too slow for a demo step. Confirming goes through the
    real service, so the ledger is right."""
    line.order_status = OrderStatus.accepted
    line.order_decided_at = utcnow()
    session.add(line)
    done = Delivery(
        budget_id=budget.id,  # type: ignore[arg-type]
        plan_line_id=line.id,  # type: ignore[arg-type]
        provider_id=line.provider_id,
        delivered_on=day,
        units=1,
        amount_cents=line.unit_price_cents,
        reported_by_id=_provider_actor(session, line.provider_id).user_id,
    )
    session.add(done)
    session.flush()
    deliveries.accept(session, client, budget, done.id)  # type: ignore[arg-type]


def _reply_and_report(session: Session, first: Offer, aino: User | None) -> None:
    """The first offer's provider replies to a comment; Aino reports the rude one."""
    replied = session.exec(
        select(Rating)
        .where(Rating.offer_id == first.id, Rating.comment != "")
        .order_by(col(Rating.id))
    ).first()
    if replied is not None and replied.reply_at is None:
        feedback.reply(session, _provider_actor(session, first.provider_id), replied.id, REPLY)  # type: ignore[arg-type]
    rude = session.exec(
        select(Rating).where(Rating.offer_id == first.id, Rating.quality == 2)
    ).first()
    if rude is not None and aino is not None:
        feedback.report(session, actor_of(session, aino), rude.id, REPORT)  # type: ignore[arg-type]
