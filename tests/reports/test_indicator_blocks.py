"""The indicator form's blocks as seed 002 appendix 4 has them: "Ongelmista kertovat asiat"
(problems) is C 4, inside block C, not a block "D"; old rows under "D" move with migration 0018."""

from __future__ import annotations

from alembic import command
from sqlalchemy import text
from sqlmodel import Session

from app.migrate import alembic_config
from app.models.report import IndicatorComment, ManualIndicator
from app.models.user import Role
from app.services import disclosure
from app.services.reports import indicators
from app.services.reports.periods import HalfYear
from tests.support.budget_world import build, user

H1 = HalfYear(2026, 1)


def test_problems_are_the_last_part_of_block_c() -> None:
    keys = [key for key, _label in indicators.BLOCKS]
    assert "D" not in keys
    assert keys[-2:] == ["C33", "C4"] and keys[:3] == ["A", "B", "C11"]
    assert all(k.startswith("C") for k in keys[2:])
    disputed = [c for c in indicators.CORE if c[4].__name__ == "disputed"]
    assert [(code, block) for code, block, *_rest in disputed] == [("C4", "C4")]
    assert len(indicators.CORE) <= 10  # at most ~10 core indicators (seed 002)


def test_the_download_writes_problems_under_c() -> None:
    row = indicators.Row("C4", "C4", "Disputed", "count", {H1.key: disclosure.count(7)})
    report = indicators.Report(periods=[H1], rows=[row], comments={})
    lines = indicators.table(report, str)
    blocks = [line[0] for line in lines[1:] if line[1] == ""]
    assert blocks[-1] == "C4" and "D" not in blocks
    assert ["C4", "C4", "Disputed", "count", 7, None] in lines  # no target set


def test_migration_moves_old_d_rows_to_c4(db_url: str, session: Session) -> None:
    world = build(session, code="blk")
    admin = user(session, "Admin", Role.admin, organiser_id=world.organiser.id)
    org, by = world.organiser.id, admin.id
    session.add(
        IndicatorComment(organiser_id=org, block="C4", period="2026H1", text="x", updated_by_id=by)
    )  # type: ignore[arg-type]  # noqa: E501
    session.add(ManualIndicator(organiser_id=org, block="C4", name="Valitukset", created_by_id=by))  # type: ignore[arg-type]  # noqa: E501
    session.commit()
    session.close()
    session.get_bind().dispose()  # type: ignore[union-attr]
    cfg = alembic_config(db_url)
    command.downgrade(cfg, "0017_disputes")

    def blocks() -> set[str]:
        with session.get_bind().connect() as conn:  # type: ignore[union-attr]
            found = conn.execute(
                text("SELECT block FROM indicator_comment UNION SELECT block FROM manual_indicator")
            )
            return {r[0] for r in found}

    assert blocks() == {"D"}
    command.upgrade(cfg, "head")
    assert blocks() == {"C4"}
