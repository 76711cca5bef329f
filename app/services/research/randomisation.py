"""Block randomisation stratified by client group (pure functions, no database).

Every stratum has its own sequence of blocks. Block k of stratum s is a shuffle of the arms,
each repeated `block_size / len(arms)` times, with a random generator seeded by
"<seed>|<stratum>|<k>": the whole allocation can be reproduced from the stored seed, and
within each complete block every arm occurs equally often. The n-th client enrolled in a
stratum gets position n of that stratum's sequence.
"""

from __future__ import annotations

import random
import secrets
from collections.abc import Sequence
from itertools import product

FRAME_ARMS = ("A", "B")
TEAMING_ARMS = ("C", "none")


def new_seed() -> str:
    return secrets.token_hex(16)


def combined_arms(frame_arms: Sequence[str], teaming_arms: Sequence[str]) -> list[str]:
    """The factorial arms, e.g. ["A/C", "A/none", "B/C", "B/none"]; one question may be off."""
    frames = list(frame_arms) or ["A"]
    teamings = list(teaming_arms) or ["none"]
    return [f"{f}/{t}" for f, t in product(frames, teamings)]


def split_arm(arm: str) -> tuple[str, bool]:
    """'B/C' -> ('B', True): the frame arm and whether teaming meetings are expected."""
    frame, teaming = arm.split("/")
    return frame, teaming == "C"


def valid_block_size(block_size: int, n_arms: int) -> bool:
    return n_arms > 0 and block_size > 0 and block_size % n_arms == 0


def block(seed: str, stratum: str, index: int, arms: Sequence[str], block_size: int) -> list[str]:
    """The arms of block `index` of a stratum, in allocation order."""
    if not valid_block_size(block_size, len(arms)):
        raise ValueError("the block size must be a positive multiple of the number of arms")
    items = [arm for arm in arms for _ in range(block_size // len(arms))]
    random.Random(f"{seed}|{stratum}|{index}").shuffle(items)
    return items


def allocate(seed: str, stratum: str, position: int, arms: Sequence[str], block_size: int) -> str:
    """The arm of the client at 0-based `position` in the stratum's sequence."""
    if position < 0:
        raise ValueError("position must not be negative")
    return block(seed, stratum, position // block_size, arms, block_size)[position % block_size]


def sequence(
    seed: str, stratum: str, count: int, arms: Sequence[str], block_size: int
) -> list[str]:
    """The first `count` allocations of a stratum."""
    return [allocate(seed, stratum, n, arms, block_size) for n in range(count)]
