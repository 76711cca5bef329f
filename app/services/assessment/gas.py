"""Goal Attainment Scaling: the Kiresuk–Sherman T-score (pure functions).

T = 50 + 10·Σ(wᵢxᵢ) / √((1−ρ)·Σwᵢ² + ρ·(Σwᵢ)²), with xᵢ ∈ {−2…+2} the attained level of
goal i, wᵢ its weight and ρ the assumed correlation between goals (0.3 by convention).
T = 50 when every goal is met exactly at the expected level (0).
"""

from __future__ import annotations

import math
from collections.abc import Sequence

RHO = 0.3


def t_score(
    levels: Sequence[int], weights: Sequence[float] | None = None, rho: float = RHO
) -> float:
    if not levels:
        raise ValueError("at least one goal is needed")
    if any(level not in (-2, -1, 0, 1, 2) for level in levels):
        raise ValueError("levels are whole numbers from -2 to 2")
    w = list(weights) if weights is not None else [1.0] * len(levels)
    if len(w) != len(levels) or any(x <= 0 for x in w):
        raise ValueError("one positive weight per goal")
    numerator = sum(wi * xi for wi, xi in zip(w, levels, strict=True))
    denominator = math.sqrt((1 - rho) * sum(wi * wi for wi in w) + rho * sum(w) ** 2)
    return round(50 + 10 * numerator / denominator, 1)
