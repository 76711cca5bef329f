"""The balance at a glance: spent + committed + free = frame, the months, units, one message.

Pure parts with Hypothesis; the whole with many generated budgets through the real services
(plan, orders, deliveries, disputes) on SQLite and PostgreSQL, checked against the deliveries
themselves rather than the ledger the service reads.
"""

from __future__ import annotations

import random
import re
from datetime import date, timedelta

from fastapi.testclient import TestClient
from hypothesis import given
from hypothesis import strategies as st
from sqlmodel import Session, select

from app.models.budget import Budget
from app.models.ledger import Delivery, DeliveryStatus, DisputeReason
from app.models.user import User
from app.services.budget import arithmetic, deliveries, disputes, plan, views
from app.services.budget import balance as bal
from tests.support.budget_world import PERIOD, TODAY, build
from tests.support.web import login_as

cents = st.integers(min_value=0, max_value=10**8)
share_lists = st.lists(st.integers(min_value=0, max_value=4000), max_size=4).filter(
    lambda xs: sum(xs) <= arithmetic.FULL_BP
)
uses = st.lists(
    st.builds(
        bal.LineUse,
        category_id=st.integers(min_value=1, max_value=6),
        cost_cents=cents,
        spent_cents=cents,
    ),
    max_size=8,
)
spending = st.dictionaries(st.one_of(st.none(), st.integers(1, 6)), cents, max_size=6)


def _check(total: bal.Part, parts: list[bal.Part], frame: int, divided: bool) -> None:
    assert total.frame_cents == frame
    assert total.spent_cents + total.committed_cents + total.free_cents == frame  # type: ignore[operator]
    if divided:
        for p in parts:
            assert p.frame_cents is not None
            assert p.spent_cents + p.committed_cents + p.free_cents == p.frame_cents  # type: ignore[operator]
        assert sum(p.frame_cents for p in parts) == frame  # type: ignore[misc]
        assert sum(p.free_cents for p in parts) == total.free_cents  # type: ignore[misc]
    else:
        assert all(p.frame_cents is None and p.free_cents is None for p in parts)
    assert sum(p.spent_cents for p in parts) == total.spent_cents
    assert sum(p.committed_cents for p in parts) == total.committed_cents
    assert total.over_cents == max(0, -(total.free_cents or 0))


@given(frame=cents, bps=share_lists, lines=uses, spent=spending)
def test_spent_committed_free_add_up_to_the_frame(
    frame: int, bps: list[int], lines: list[bal.LineUse], spent: dict[int | None, int]
) -> None:
    shares = {i + 1: bp for i, bp in enumerate(bps)}
    total, parts = bal.split(frame, shares, lines, spent)
    _check(total, parts, frame, bool(shares))
    assert total.spent_cents == sum(spent.values())
    assert total.committed_cents == sum(max(0, u.cost_cents - u.spent_cents) for u in lines)


def test_a_category_over_its_share_is_shown_over() -> None:
    lines = [bal.LineUse(1, 60_000, 10_000), bal.LineUse(3, 5_000, 0)]
    total, parts = bal.split(100_000, {1: 5_000}, lines, {1: 10_000})
    first, free_part = parts
    assert (first.frame_cents, first.spent_cents, first.committed_cents) == (50_000, 10_000, 50_000)
    assert first.over_cents == 10_000 and first.free_cents == -10_000
    assert free_part.category_id is None and free_part.free_cents == 45_000
    assert total.free_cents == 35_000 and total.over_cents == 0


days = st.dates(min_value=PERIOD[0], max_value=PERIOD[1])


@given(spent_on=st.dictionaries(days, cents, max_size=20), today=days)
def test_months_hold_every_cent_and_forecast_only_the_future(
    spent_on: dict[date, int], today: date
) -> None:
    past = {d: v for d, v in spent_on.items() if d <= today}
    months = bal.months(PERIOD[0], PERIOD[1], today, past)
    assert [m.start for m in months] == [date(2026, n, 1) for n in range(1, 13)]
    assert sum(m.spent_cents for m in months) == sum(past.values())
    for m in months:
        if m.start.month < today.month:
            assert m.forecast_cents == 0
    spent = sum(past.values())
    elapsed = (today - PERIOD[0]).days + 1
    left = (PERIOD[1] - today).days
    forecast = sum(m.forecast_cents for m in months)
    exact = spent * left / elapsed
    assert exact - len(months) < forecast <= exact  # each month rounded down, nothing more


def test_no_forecast_after_the_period() -> None:
    months = bal.months(PERIOD[0], PERIOD[1], date(2027, 2, 1), {date(2026, 3, 3): 500})
    assert sum(m.forecast_cents for m in months) == 0 and months[2].spent_cents == 500


def _pace(frame: int, spent: int, today: date) -> arithmetic.Pace:
    return arithmetic.pace(frame, spent, PERIOD[0], PERIOD[1], today)


def test_one_message_whatever_the_figures() -> None:
    fits = bal.Part(None, 100_000, 10_000, 20_000)
    over = bal.Part(None, 100_000, 90_000, 20_000)
    mid, late = date(2026, 6, 30), date(2026, 12, 1)
    assert bal.outlook(over, _pace(100_000, 90_000, mid), True) is bal.Outlook.over
    assert bal.outlook(fits, _pace(100_000, 80_000, mid), True) is bal.Outlook.runs_out
    # Late in the period with most money free: the warning alone, no green "lasts" beside it.
    late_pace = _pace(100_000, 10_000, late)
    assert late_pace.underspend_warning and late_pace.lasts_until is None
    assert bal.outlook(fits, late_pace, True) is bal.Outlook.unused
    nothing = bal.Part(None, 100_000, 0, 0)
    assert bal.outlook(nothing, _pace(100_000, 0, mid), False) is bal.Outlook.no_plan
    assert bal.outlook(nothing, _pace(100_000, 0, mid), True) is bal.Outlook.not_started
    assert bal.outlook(fits, _pace(100_000, 10_000, mid), True) is bal.Outlook.on_track
    assert {o.level for o in bal.Outlook} == {"warning", "success", "info"}


def _generated_budget(session: Session, seed: int) -> bal.Balance | None:
    """One random budget through the real services, checked against its deliveries."""
    rng = random.Random(seed)
    world = build(session, code=f"bal{seed}")
    frame = rng.randrange(50_000, 500_001)
    divided = rng.random() < 0.5
    shares = {world.categories[0].id: 5_000, world.categories[1].id: 3_000} if divided else {}
    budget = world.frame(frame, shares)  # type: ignore[arg-type]
    client = world.actor(world.client)
    provider = world.actor(world.provider_user)
    caps = [frame * 4 // 10, frame * 25 // 100, frame * 15 // 100]  # within each share
    lines = []
    for category in rng.sample(range(3), rng.randint(1, 3)):
        price = rng.randrange(1_000, 6_001)
        quantity = rng.randint(1, 3)
        repeats = max(1, min(10, caps[category] // (price * quantity)))
        if price * quantity * repeats > caps[category]:
            continue
        offer = world.offer(price, category=category)
        lines.append(plan.add_line(session, client, budget, offer.id, quantity, repeats, TODAY))  # type: ignore[arg-type]
    if not lines:
        return None
    plan.submit(session, client, budget, "")
    plan.confirm(session, world.actor(world.case_worker), budget, "")
    for line in lines:
        deliveries.decide_order(session, provider, line.id, True)  # type: ignore[arg-type]
        left = line.quantity * line.repeats
        while left and rng.random() < 0.8:
            units = rng.randint(1, left)
            left -= units
            day = PERIOD[0] + timedelta(days=rng.randrange(0, 150))
            d = deliveries.report_delivery(session, provider, line.id, day, units, "", TODAY)  # type: ignore[arg-type]
            fate = rng.random()
            if fate < 0.55:
                deliveries.accept(session, client, budget, d.id)  # type: ignore[arg-type]
            elif fate < 0.7:
                disputes.dispute(session, client, budget, d.id, "", DisputeReason.not_right)  # type: ignore[arg-type]
    session.flush()
    today = PERIOD[0] + timedelta(days=rng.randrange(0, 365))
    b = bal.balance_of(session, budget, today)
    _check(b.total, b.parts, frame, divided)
    rows = session.exec(select(Delivery).where(Delivery.budget_id == budget.id)).all()
    paid = [d for d in rows if d.status == DeliveryStatus.confirmed]
    assert b.total.spent_cents == sum(d.budget_cents for d in paid)
    by_line = {li.id: sum(d.budget_cents for d in paid if d.plan_line_id == li.id) for li in lines}
    assert b.total.committed_cents == sum(max(0, li.cost_cents - by_line[li.id]) for li in lines)
    assert b.total.free_cents == frame - b.total.spent_cents - b.total.committed_cents
    assert sum(m.spent_cents for m in b.months) == b.total.spent_cents
    for u in b.lines:
        mine = [d for d in rows if d.plan_line_id == u.line.id]
        assert u.used == sum(d.units for d in mine if d.status == DeliveryStatus.confirmed)
        assert u.waiting == sum(d.units for d in mine if d.status == DeliveryStatus.reported)
        assert u.used + u.waiting + u.left <= u.planned
    waiting = [d for d in rows if d.status == DeliveryStatus.reported]
    assert sorted(w.delivery.id for w in b.waiting) == sorted(d.id for d in waiting)  # type: ignore[type-var]
    assert all(w.accepted_on is not None for w in b.waiting)
    assert b.outlook in set(bal.Outlook)
    return b


def test_generated_budgets_add_up(session: Session) -> None:
    made = []
    for seed in range(12):
        made.append(_generated_budget(session, seed))
        session.commit()
    shown = [b for b in made if b is not None]
    # The cases reach what they check: spending, waiting deliveries, both kinds of frame.
    assert len(shown) >= 10 and sum(1 for b in shown if b.total.spent_cents) >= 6
    assert any(b.waiting for b in shown) and {b.divided for b in shown} == {True, False}


def test_the_balance_page_and_the_plan_page_show_the_same_free(session: Session) -> None:
    world = build(session, code="same")
    budget = world.frame(100_000)
    client = world.actor(world.client)
    offer = world.offer(2_000)
    line = plan.add_line(session, client, budget, offer.id, 1, 10, TODAY)  # type: ignore[arg-type]
    plan.submit(session, client, budget, "")
    plan.confirm(session, world.actor(world.case_worker), budget, "")
    seller = world.actor(world.provider_user)
    deliveries.decide_order(session, seller, line.id, True)  # type: ignore[arg-type]
    d = deliveries.report_delivery(session, seller, line.id, TODAY, 3, "", TODAY)  # type: ignore[arg-type]
    deliveries.accept(session, client, budget, d.id)  # type: ignore[arg-type]
    page = views.balance_context(session, budget, TODAY)["balance"].total
    plan_page = views.plan_context(session, budget)["balance"].total
    assert (page.spent_cents, page.committed_cents, page.free_cents) == (6_000, 14_000, 80_000)
    assert plan_page == page


def _cents(shown: str) -> int:
    """'2 353,00 €' (any locale's spaces) -> 235300."""
    digits = "".join(ch for ch in shown if ch.isdigit() or ch in ",.-−")
    return int(digits.replace(",", "").replace(".", "").replace("−", "-"))


def test_the_pages_show_one_message_and_figures_that_add_up(
    client: TestClient, demo: None, session: Session
) -> None:
    aino = session.exec(select(User).where(User.dev_persona == "client")).one()
    budget = session.exec(select(Budget).where(Budget.client_id == aino.id)).one()
    session.commit()
    login_as(client, "client")
    balance_page = client.get("/oma/saldo").text
    plan_page = client.get("/oma/budjetti").text
    figures = {
        name: _cents(re.search(rf'data-testid="{name}">([^<]*)<', balance_page).group(1))  # type: ignore[union-attr]
        for name in ("spent", "committed", "free")
    }
    assert sum(figures.values()) == budget.frame_cents and figures["spent"] > 0
    for page in (balance_page, plan_page):
        assert page.count('data-testid="balance-message"') == 1
        free = re.search(r'data-testid="free">([^<]*)<', page)
        assert free is not None and _cents(free.group(1)) == figures["free"]
    assert balance_page.count('role="img"') == 2 and "<title id=" in balance_page
