"""The one statistics module against published and hand-computed values."""

from __future__ import annotations

import math

import pytest

from app.services import disclosure, stats

# t(0.975, df) from the standard tables (three decimals).
KNOWN_T = {
    1: 12.706,
    2: 4.303,
    10: 2.228,
    30: 2.042,
    31: 2.040,
    35: 2.030,
    40: 2.021,
    60: 2.000,
    100: 1.984,
    119: 1.980,
    120: 1.980,
    500: 1.965,
    1000: 1.962,
}


@pytest.mark.parametrize(("df", "expected"), sorted(KNOWN_T.items()))
def test_t95_matches_the_published_quantiles(df: int, expected: float) -> None:
    assert stats.t95(df) == pytest.approx(expected, abs=0.0005)


def test_t95_falls_steadily_towards_the_normal_quantile() -> None:
    values = [stats.t95(df) for df in range(1, 2001)]
    assert all(a > b for a, b in zip(values, values[1:], strict=False))
    assert values[-1] == pytest.approx(1.96115, abs=1e-5)  # t(0.975, 2000)
    with pytest.raises(ValueError):
        stats.t95(0)


def test_mean_ci_by_hand() -> None:
    # 2, 4, 4, 4, 5, 5, 7, 9: mean 5, squared deviations 32, sd √(32/7) = 2.13809,
    # se 2.13809 / √8 = 0.75593, t(7) = 2.365 → 5 ± 1.78778
    est = stats.mean_ci([2, 4, 4, 4, 5, 5, 7, 9])
    assert (est.n, est.value) == (8, 5.0)
    assert est.low == pytest.approx(3.21222, abs=1e-5)
    assert est.high == pytest.approx(6.78778, abs=1e-5)


def test_mean_ci_with_more_than_thirty_values_uses_the_right_t() -> None:
    # 16 zeros and 16 twos: mean 1, sd √(32/31) = 1.016001, se 0.179605, t(31) = 2.03951
    # → 1 ± 0.366308 (2.042 would give ±0.366753, 1.96 ±0.352026)
    est = stats.mean_ci([0.0] * 16 + [2.0] * 16)
    assert est.low == pytest.approx(1 - 0.366308, abs=1e-5)
    assert est.high == pytest.approx(1 + 0.366308, abs=1e-5)


def test_mean_ci_without_enough_values() -> None:
    assert stats.mean_ci([]) == stats.Estimate(0, None, None, None)
    assert stats.mean_ci([7.0]) == stats.Estimate(1, 7.0, None, None)


@pytest.mark.parametrize(
    ("successes", "n", "low", "high"),
    [
        (3, 5, 0.23072, 0.88238),
        (0, 10, 0.0, 0.27754),  # z² / (n + z²)
        (10, 10, 0.72246, 1.0),
        (50, 100, 0.40383, 0.59617),
    ],
)
def test_wilson_interval_known_values(successes: int, n: int, low: float, high: float) -> None:
    est = stats.proportion_ci(successes, n)
    assert est.value == successes / n
    assert est.low == pytest.approx(low, abs=1e-5)
    assert est.high == pytest.approx(high, abs=1e-5)
    assert stats.proportion_ci(0, 0).value is None


def test_overlaps_and_rounding() -> None:
    a = stats.Estimate(10, 1.0, 0.5, 1.5)
    assert a.overlaps(stats.Estimate(10, 2.0, 1.4, 2.6))
    assert not a.overlaps(stats.Estimate(10, 2.0, 1.6, 2.4))
    assert a.overlaps(stats.Estimate(1, 9.0, None, None))  # no interval: cannot tell apart
    assert stats.Estimate(3, 1.23456, None, 2.0).rounded(2) == stats.Estimate(3, 1.23, None, 2.0)
    assert stats.median([3, 1, 2, 10]) == 2.5 and stats.median([]) is None


def test_report_cells_carry_the_same_interval_as_the_arm_report() -> None:
    values = [float(i % 7) for i in range(45)]  # 44 degrees of freedom, beyond the table
    raw = stats.mean_ci(values)
    shown = disclosure.mean(values)
    assert shown.n == raw.n == 45 and not shown.suppressed
    assert raw.low is not None and raw.high is not None
    assert (shown.low, shown.high) == (round(raw.low, 2), round(raw.high, 2))
    half = (
        stats.t95(44)
        * raw.n**-0.5
        * math.sqrt(
            sum((v - raw.value) ** 2 for v in values) / 44  # type: ignore[operator]
        )
    )
    assert raw.high - raw.low == pytest.approx(2 * half)


def test_small_cells_hide_the_mean() -> None:
    assert disclosure.mean([1.0, 2.0, 3.0]) == disclosure.Cell(None, 3)
    assert disclosure.mean([]) == disclosure.Cell(None, 0)
    assert disclosure.hidden(7).suppressed and disclosure.hidden(7).value is None
