"""Block randomisation: balance within every block, reproducibility, stratification."""

from __future__ import annotations

from collections import Counter

import pytest

from app.services.research import randomisation as r

ARMS = r.combined_arms(["A", "B"], ["C", "none"])


def test_combined_arms_factorial_and_single_question():
    assert ARMS == ["A/C", "A/none", "B/C", "B/none"]
    assert r.combined_arms(["A", "B"], []) == ["A/none", "B/none"]
    assert r.split_arm("B/C") == ("B", True)
    assert r.split_arm("A/none") == ("A", False)


@pytest.mark.parametrize("block_size", [4, 8, 12])
def test_every_complete_block_is_balanced(block_size: int):
    seq = r.sequence("seed-1", "disability", block_size * 25, ARMS, block_size)
    for start in range(0, len(seq), block_size):
        counts = Counter(seq[start : start + block_size])
        assert counts == dict.fromkeys(ARMS, block_size // len(ARMS))


def test_imbalance_never_exceeds_half_a_block():
    seq = r.sequence("seed-2", "g", 103, ["A/none", "B/none"], 6)
    for n in range(1, len(seq) + 1):
        counts = Counter(seq[:n])
        assert abs(counts["A/none"] - counts["B/none"]) <= 3


def test_reproducible_from_the_seed():
    first = r.sequence("stored-seed", "family-carer", 40, ARMS, 4)
    again = r.sequence("stored-seed", "family-carer", 40, ARMS, 4)
    other = r.sequence("another-seed", "family-carer", 40, ARMS, 4)
    assert first == again
    assert first != other
    # A single position can be recomputed alone (no state is needed).
    assert r.allocate("stored-seed", "family-carer", 17, ARMS, 4) == first[17]


def test_strata_have_their_own_sequences_and_each_is_balanced():
    a = r.sequence("s", "disability", 16, ARMS, 4)
    b = r.sequence("s", "youth-aftercare", 16, ARMS, 4)
    assert a != b
    for seq in (a, b):
        assert Counter(seq) == dict.fromkeys(ARMS, 4)


def test_not_every_block_is_the_same_order():
    blocks = {tuple(r.block("s", "g", k, ARMS, 4)) for k in range(20)}
    assert len(blocks) > 3


def test_invalid_block_size_is_refused():
    assert not r.valid_block_size(6, 4)
    with pytest.raises(ValueError):
        r.block("s", "g", 0, ARMS, 6)
    with pytest.raises(ValueError):
        r.allocate("s", "g", -1, ARMS, 4)
