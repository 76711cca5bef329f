"""Ratings: eligibility, the min-n rule, replies, moderation, and the search index (both DBs)."""

from __future__ import annotations

from datetime import date

import pytest
from sqlalchemy.engine import Engine
from sqlmodel import Session, select

from app.errors import NotFound
from app.models.notification import Notification
from app.models.offer import Offer
from app.models.provider import Provider
from app.models.rating import CommentStatus, Rating, RatingReport, ReportStatus
from app.models.user import Membership, Role, User
from app.services.ratings import feedback, moderation
from app.services.ratings.feedback import RatingForm
from app.services.ratings.summary import MIN_RATINGS, month_key, summarise
from app.services.search import SearchQuery, Sort, engine_for
from app.services.search.outbox import process_outbox
from tests.ratings.helpers import new_client, use
from tests.support.budget_world import TODAY, BudgetWorld, build


@pytest.fixture
def world(session: Session) -> BudgetWorld:
    return build(session)


def form(quality: int = 4, effect: int = 3, comment: str = "") -> RatingForm:
    return RatingForm(quality=quality, effect=effect, comment=comment)


def _staff(world: BudgetWorld, role: Role, name: str, **membership: object) -> User:
    person = User(display_name=name)
    world.session.add(person)
    world.session.flush()
    world.session.add(Membership(user_id=person.id, role=role, **membership))  # type: ignore[arg-type]
    world.session.flush()
    return person


def _raters(world: BudgetWorld, offer: Offer, qualities: list[int], comment: str = "") -> None:
    for i, quality in enumerate(qualities):
        client = new_client(world, f"Rater {offer.id}-{i}")
        use(world, client, [offer], TODAY)
        feedback.rate(
            world.session, world.actor(client), offer.id, form(quality, 4, comment), TODAY
        )  # type: ignore[arg-type]


def test_eligibility(world: BudgetWorld) -> None:
    offer = world.offer(2_000)
    client = world.actor(world.client)
    # No delivery: refused.
    with pytest.raises(feedback.NotEligible):
        feedback.rate(world.session, client, offer.id, form(), TODAY)  # type: ignore[arg-type]
    # A delivery reported but not confirmed: still refused.
    use(world, world.client, [offer], TODAY, confirm=False)
    with pytest.raises(feedback.NotEligible):
        feedback.rate(world.session, client, offer.id, form(), TODAY)  # type: ignore[arg-type]
    # Another client's confirmed delivery does not make this client eligible.
    other = new_client(world, "Other")
    second = world.offer(3_000)
    use(world, other, [second], TODAY)
    with pytest.raises(feedback.NotEligible):
        feedback.rate(world.session, client, second.id, form(), TODAY)  # type: ignore[arg-type]
    # A delivery in the future of the rating day does not count.
    assert (
        feedback.rateable_offer_ids(world.session, world.actor(other), date(2026, 5, 31)) == set()
    )
    # The other client can rate once this month, not twice; next month again.
    actor = world.actor(other)
    rating = feedback.rate(world.session, actor, second.id, form(5, 4, " Hyvä "), TODAY)  # type: ignore[arg-type]
    assert rating.month == "2026-06" and rating.comment == "Hyvä"
    assert rating.comment_status == CommentStatus.visible and rating.entered_by_id == other.id
    with pytest.raises(feedback.AlreadyRated):
        feedback.rate(world.session, actor, second.id, form(), date(2026, 6, 30))  # type: ignore[arg-type]
    later = feedback.rate(world.session, actor, second.id, form(3, 0), date(2026, 7, 1))  # type: ignore[arg-type]
    assert later.month == "2026-07" and later.effect is None
    assert [u.can_rate for u in feedback.used_services(world.session, actor, date(2026, 7, 2))] == [
        False
    ]


def test_assistant_rates_on_behalf_of_the_client(world: BudgetWorld) -> None:
    from dataclasses import replace

    from app.models.actor import MandateScope

    offer = world.offer(2_000)
    use(world, world.client, [offer], TODAY)
    helper = _staff(world, Role.assistant, "Avustaja", organiser_id=world.organiser.id)
    acting = replace(
        world.actor(helper),
        on_behalf_of=world.client,
        mandate_scopes=frozenset({MandateScope.deliveries}),
    )
    rating = feedback.rate(world.session, acting, offer.id, form(), TODAY)  # type: ignore[arg-type]
    assert rating.client_id == world.client.id and rating.entered_by_id == helper.id
    # The assistant's own ratings (not acting) are none.
    assert feedback.own_ratings(world.session, world.actor(helper)) == []


def test_min_n_counts_distinct_clients(world: BudgetWorld) -> None:
    offer = world.offer(2_000)
    _raters(world, offer, [5, 4, 4, 3])
    summary = feedback.summary_of(world.session, offer.id)  # type: ignore[arg-type]
    assert summary.count == 4 and not summary.enough and summary.average is None
    assert feedback.public_ratings(world.session, offer.id).entries == []  # type: ignore[arg-type]
    _raters(world, offer, [2], comment="Myöhässä")
    summary = feedback.summary_of(world.session, offer.id)  # type: ignore[arg-type]
    assert summary.enough and summary.count == MIN_RATINGS
    assert summary.average == 3.6
    assert summary.distribution == {5: 1, 4: 2, 3: 1, 2: 1, 1: 0}
    assert summary.effect == {4: 5, 3: 0, 2: 0, 1: 0}
    public = feedback.public_ratings(world.session, offer.id)  # type: ignore[arg-type]
    assert [r.comment for r in public.entries] == ["Myöhässä"]
    # One client rating five months is still one person: not shown.
    assert not summarise([(1, 5, None)] * 5).enough


def test_provider_reply_once_and_only_own(world: BudgetWorld) -> None:
    offer = world.offer(2_000)
    _raters(world, offer, [4, 4, 4, 4, 4], comment="Ok")
    rating = world.session.exec(select(Rating).where(Rating.offer_id == offer.id)).first()
    assert rating is not None
    stranger_firm = Provider(name="Muu Oy", business_id="1234567-1")
    world.session.add(stranger_firm)
    world.session.flush()
    stranger = _staff(world, Role.provider_owner, "Muu", provider_id=stranger_firm.id)
    with pytest.raises(NotFound):
        feedback.reply(world.session, world.actor(stranger), rating.id, "Kiitos")  # type: ignore[arg-type]
    own = world.actor(world.provider_user)
    assert len(feedback.provider_entries(world.session, own)) == 5
    feedback.reply(world.session, own, rating.id, " Kiitos palautteesta ")  # type: ignore[arg-type]
    assert rating.reply == "Kiitos palautteesta" and rating.reply_by_id == world.provider_user.id
    with pytest.raises(feedback.AlreadyReplied):
        feedback.reply(world.session, own, rating.id, "Again")  # type: ignore[arg-type]


def test_provider_cannot_reply_below_min_n(world: BudgetWorld) -> None:
    offer = world.offer(2_000)
    _raters(world, offer, [1], comment="Huono")
    rating = world.session.exec(select(Rating).where(Rating.offer_id == offer.id)).one()
    assert feedback.provider_entries(world.session, world.actor(world.provider_user)) == []
    with pytest.raises(NotFound):
        feedback.reply(world.session, world.actor(world.provider_user), rating.id, "x")  # type: ignore[arg-type]


def test_moderation_flow(world: BudgetWorld) -> None:
    offer = world.offer(2_000)
    _raters(world, offer, [5, 5, 5, 5], comment="Hyvä")
    author = new_client(world, "Author")
    use(world, author, [offer], TODAY)
    rating = feedback.rate(
        world.session, world.actor(author), offer.id, form(1, 1, "Työntekijä X on huono"), TODAY
    )  # type: ignore[arg-type]
    reporter = world.actor(world.client)
    feedback.report(world.session, reporter, rating.id, "Nimi mainittu")  # type: ignore[arg-type]
    feedback.report(world.session, reporter, rating.id, "again")  # type: ignore[arg-type]
    reports = world.session.exec(select(RatingReport)).all()
    assert len(reports) == 1 and reports[0].status == ReportStatus.open
    admin = _staff(world, Role.admin, "Admin", organiser_id=world.organiser.id)
    from app.models.organiser import Organiser

    elsewhere = Organiser(code="other", name={"fi": "Muu"})
    world.session.add(elsewhere)
    world.session.flush()
    other_admin = _staff(world, Role.admin, "Other admin", organiser_id=elsewhere.id)
    assert moderation.moderation_queue(world.session, world.actor(other_admin)) == []
    with pytest.raises(NotFound):
        moderation.hide(world.session, world.actor(other_admin), rating.id, "x")  # type: ignore[arg-type]
    queue = moderation.moderation_queue(world.session, world.actor(admin))
    assert [q.rating.id for q in queue] == [rating.id] and len(queue[0].reports) == 1
    moderation.hide(world.session, world.actor(admin), rating.id, "Henkilön nimi")  # type: ignore[arg-type]
    assert rating.comment_status == CommentStatus.hidden
    assert reports[0].status == ReportStatus.hidden
    assert moderation.moderation_queue(world.session, world.actor(admin)) == []
    note = world.session.exec(
        select(Notification).where(
            Notification.user_id == author.id, Notification.kind == "rating_hidden"
        )
    ).one()
    assert note.kind == "rating_hidden" and note.params["reason"] == "Henkilön nimi"
    public = feedback.public_ratings(world.session, offer.id)  # type: ignore[arg-type]
    assert rating.id not in [r.id for r in public.entries]
    # The stars of the hidden comment still count.
    assert public.summary.count == 5 and public.summary.distribution[1] == 1
    # A hidden comment can no longer be reported.
    with pytest.raises(NotFound):
        feedback.report(world.session, reporter, rating.id, "")  # type: ignore[arg-type]


def test_keep_closes_reports(world: BudgetWorld) -> None:
    offer = world.offer(2_000)
    _raters(world, offer, [5, 5, 5, 5, 5], comment="Hyvä")
    rating = world.session.exec(select(Rating).where(Rating.offer_id == offer.id)).first()
    feedback.report(world.session, world.actor(world.client), rating.id, "")  # type: ignore[arg-type, union-attr]
    admin = _staff(world, Role.admin, "Admin", organiser_id=world.organiser.id)
    moderation.keep(world.session, world.actor(admin), rating.id)  # type: ignore[arg-type, union-attr]
    assert world.session.exec(select(RatingReport)).one().status == ReportStatus.kept
    assert rating.comment_status == CommentStatus.visible  # type: ignore[union-attr]


def test_search_facet_and_sort_use_real_ratings(
    world: BudgetWorld, session: Session, engine: Engine
) -> None:
    good = world.offer(2_000)
    fair = world.offer(2_100)
    few = world.offer(2_200)
    _raters(world, good, [5, 5, 4, 4, 5])
    _raters(world, fair, [3, 3, 3, 2, 4])
    _raters(world, few, [5, 5])
    session.commit()
    process_outbox(engine)
    search = engine_for(session.connection())
    query = SearchQuery(min_rating=4, today=TODAY, organiser_id=world.organiser.id)
    assert [h.offer_id for h in search.search(query).hits] == [good.id]
    query = SearchQuery(min_rating=3, today=TODAY, organiser_id=world.organiser.id)
    assert {h.offer_id for h in search.search(query).hits} == {good.id, fair.id}
    everything = SearchQuery(sort=Sort.rating, today=TODAY, organiser_id=world.organiser.id)
    result = search.search(everything)
    assert [h.offer_id for h in result.hits][:2] == [good.id, fair.id]
    by_id = {h.offer_id: h for h in result.hits}
    assert by_id[good.id].rating_avg == 4.6 and by_id[good.id].rating_count == 5
    assert by_id[few.id].rating_avg is None and by_id[few.id].rating_count == 2
    assert result.facets["rating"] == {"4": 1, "3": 2, "2": 2}
    # A new rating goes through the outbox.
    late = new_client(world, "Late")
    use(world, late, [few], TODAY)
    for i in range(2):
        extra = new_client(world, f"Late {i}")
        use(world, extra, [few], TODAY)
        feedback.rate(session, world.actor(extra), few.id, form(5), TODAY)  # type: ignore[arg-type]
    feedback.rate(session, world.actor(late), few.id, form(4), TODAY)  # type: ignore[arg-type]
    session.commit()
    process_outbox(engine)
    hits = engine_for(session.connection()).search(everything).hits
    assert {h.offer_id: h.rating_avg for h in hits}[few.id] == 4.8


def test_month_key() -> None:
    assert month_key(date(2026, 1, 31)) == "2026-01"
