"""Budget math: property-based tests of cents, shares and fit."""

from datetime import date, timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st

from app.services.budget import arithmetic as bm

cents = st.integers(min_value=0, max_value=10**9)
shares = st.lists(st.integers(min_value=0, max_value=4000), min_size=0, max_size=6).filter(
    lambda xs: sum(xs) <= bm.FULL_BP
)
lines = st.lists(
    st.tuples(st.integers(min_value=1, max_value=8), st.integers(min_value=0, max_value=10**7)),
    max_size=20,
)


def test_line_cost_is_exact() -> None:
    assert bm.line_cost_cents(2, 26, 4550) == 236_600


@pytest.mark.parametrize("quantity,repeats", [(0, 1), (1, 0), (-1, 5)])
def test_line_cost_refuses_non_positive(quantity: int, repeats: int) -> None:
    with pytest.raises(ValueError):
        bm.line_cost_cents(quantity, repeats, 100)


@given(total=cents, bps=shares)
def test_no_cent_lost_in_share_split(total: int, bps: list[int]) -> None:
    mapping = {i + 1: bp for i, bp in enumerate(bps)}
    amounts, free = bm.split_shares(total, mapping)
    assert sum(amounts.values()) + free == total
    assert free >= total * (bm.FULL_BP - sum(bps)) // bm.FULL_BP
    for key, bp in mapping.items():
        exact = total * bp / bm.FULL_BP
        assert abs(amounts[key] - exact) < 1


def test_full_shares_leave_no_free_part() -> None:
    amounts, free = bm.split_shares(100, {1: 3333, 2: 3333, 3: 3334})
    assert free == 0 and sum(amounts.values()) == 100


def test_invalid_shares_refused() -> None:
    assert not bm.shares_are_valid({1: 6000, 2: 5000})
    with pytest.raises(ValueError):
        bm.split_shares(100, {1: 10_001})


@given(frame=cents, bps=shares, a=lines, b=lines, own=st.booleans())
def test_totals_additive_and_remaining_consistent(
    frame: int, bps: list[int], a: list[tuple[int, int]], b: list[tuple[int, int]], own: bool
) -> None:
    mapping = {i + 1: bp for i, bp in enumerate(bps)}
    fa = bm.fit(frame, mapping, a, allows_own_share=own)
    fb = bm.fit(frame, mapping, b, allows_own_share=own)
    fab = bm.fit(frame, mapping, a + b, allows_own_share=own)
    assert fab.total_cents == fa.total_cents + fb.total_cents
    assert fab.remaining_cents >= 0 and fab.over_frame_cents >= 0
    assert fab.remaining_cents - fab.over_frame_cents == frame - fab.total_cents
    assert fab.over == (fab.total_cents > frame)
    assert fab.own_share_cents == (fab.over_frame_cents if own else 0)
    assert sum(c.used_cents for c in fab.categories) == fab.total_cents
    if mapping:
        assert sum(c.frame_cents or 0 for c in fab.categories) == frame


def test_fit_arm_b_flags_category_over() -> None:
    result = bm.fit(100_000, {1: 2500}, [(1, 30_000), (2, 10_000)], allows_own_share=False)
    first = result.categories[0]
    assert (first.frame_cents, first.over_cents) == (25_000, 5_000)
    assert result.categories_over and not result.over


@given(amount=cents, balance=st.integers(-(10**6), 10**9), own_left=cents)
def test_delivery_split_never_overdraws(amount: int, balance: int, own_left: int) -> None:
    try:
        budget, own = bm.split_delivery(amount, balance, own_left)
    except ValueError:
        assert amount > max(0, balance) + own_left
        return
    assert budget + own == amount
    assert budget <= max(0, balance) and own <= own_left


def test_pace_forecasts_when_money_runs_out() -> None:
    start = date(2026, 1, 1)
    end = date(2026, 12, 31)
    result = bm.pace(100_000, 50_000, start, end, start + timedelta(days=99))
    assert result.lasts_until == start + timedelta(days=199)
    assert bm.pace(100_000, 10_000, start, end, start + timedelta(days=99)).lasts_until is None


def test_underspend_warning_near_end() -> None:
    start, end = date(2026, 1, 1), date(2026, 12, 31)
    assert bm.pace(100_000, 10_000, start, end, date(2026, 12, 1)).underspend_warning
    assert not bm.pace(100_000, 95_000, start, end, date(2026, 12, 1)).underspend_warning


def test_thresholds() -> None:
    assert bm.crossed_thresholds(74_999, 100_000) == []
    assert bm.crossed_thresholds(90_000, 100_000) == [7500, 9000]
    assert bm.crossed_thresholds(120_000, 100_000) == [7500, 9000, 10000]


def test_pace_after_one_tiny_delivery_is_not_within_the_period() -> None:
    """One cent spent on the first day of a big frame: the money would last millions of
    years, further than any date; the projection says "not within the period"."""
    start, end = date(2026, 1, 1), date(2026, 12, 31)
    assert bm.pace(10**11, 1, start, end, start).lasts_until is None
    assert bm.pace(10**11, 1, start, end, date(9999, 12, 31)).lasts_until is None


@given(
    frame=st.integers(min_value=0, max_value=10**13),
    spent=st.integers(min_value=0, max_value=10**13),
    start=st.dates(min_value=date(1000, 1, 1), max_value=date(9000, 1, 1)),
    length=st.integers(min_value=0, max_value=800),
    offset=st.integers(min_value=-400, max_value=1200),
)
def test_pace_never_leaves_the_period(
    frame: int, spent: int, start: date, length: int, offset: int
) -> None:
    end = start + timedelta(days=length)
    today = start + timedelta(days=offset)
    result = bm.pace(frame, spent, start, end, today)
    assert result.lasts_until is None or result.lasts_until <= max(today, end)
