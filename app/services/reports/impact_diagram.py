"""The impact model as a diagram (pure layout): five columns, one per step, each item a box
with its wrapped text and the codes of the indicators that measure it, arrows between the
steps. The template draws it as inline SVG (`role="img"` with a title and a description);
the same content is always given as a list beside it."""

from __future__ import annotations

from dataclasses import dataclass, field

from app.services.reports.impact_model import STEPS, Model

COLUMN = 196
GAP = 40
HEAD = 44
LINE = 16
PAD = 8
BOX_GAP = 12
CHARS = 24  # characters per line at the diagram's font size


@dataclass(frozen=True)
class Box:
    item_id: int
    x: int
    y: int
    width: int
    height: int
    lines: list[str]
    codes: list[str]


@dataclass
class Column:
    step: str
    x: int
    boxes: list[Box] = field(default_factory=list)


@dataclass
class Diagram:
    width: int
    height: int
    columns: list[Column]
    arrows: list[tuple[int, int, int]]  # (x from, x to, y)

    @property
    def boxes(self) -> list[Box]:
        return [b for c in self.columns for b in c.boxes]


def wrap(text: str, width: int = CHARS) -> list[str]:
    """Words onto lines of at most `width` characters (a longer word gets its own line)."""
    lines: list[str] = []
    current = ""
    for word in text.split():
        if current and len(current) + 1 + len(word) > width:
            lines.append(current)
            current = word
        else:
            current = f"{current} {word}" if current else word
    if current:
        lines.append(current)
    return lines or [""]


def layout(model: Model, text_of: object) -> Diagram:
    """Where each box goes; `text_of(item.text)` picks the reader's language."""
    pick = text_of if callable(text_of) else (lambda texts: texts.get("fi", ""))
    columns: list[Column] = []
    bottom = HEAD
    for n, step in enumerate(STEPS):
        x = n * (COLUMN + GAP)
        column = Column(step.value, x)
        y = HEAD
        for item in model.steps[step]:
            lines = wrap(pick(item.text))
            height = PAD * 2 + LINE * (len(lines) + (1 if item.codes else 0))
            column.boxes.append(Box(item.id, x, y, COLUMN, height, lines, item.codes))
            y += height + BOX_GAP
        bottom = max(bottom, y)
        columns.append(column)
    width = len(STEPS) * COLUMN + (len(STEPS) - 1) * GAP
    arrows = [(c.x + COLUMN + 4, c.x + COLUMN + GAP - 6, HEAD // 2) for c in columns[:-1]]
    return Diagram(width, bottom + PAD, columns, arrows)
