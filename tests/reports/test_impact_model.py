"""The impact model: editing rules (texts, indicator links, order, limits), only the admin of
its own organiser, and the page's diagram shows the items and their links."""

from __future__ import annotations

import pytest
from sqlmodel import Session, select

from app.errors import NotFound
from app.models.impact import ImpactLink, ImpactStep
from app.models.organiser import Organiser
from app.models.user import Role
from app.services.identity.users import load_actor
from app.services.reports import impact_diagram, impact_model
from tests.support.budget_world import user


def _admins(session: Session):  # noqa: ANN202
    own = Organiser(code="imp-a", name={"fi": "A"})
    other = Organiser(code="imp-b", name={"fi": "B"})
    session.add_all([own, other])
    session.flush()
    admin = user(session, "Anna", Role.admin, organiser_id=own.id)
    stranger = user(session, "Bert", Role.admin, organiser_id=other.id)
    worker = user(session, "Cai", Role.case_worker, organiser_id=own.id)
    return [load_actor(session, p.id) for p in (admin, stranger, worker)]  # type: ignore[arg-type]


def test_impact_model_add_edit_reorder_remove(session: Session) -> None:
    admin, _stranger, _worker = _admins(session)
    a = impact_model.add_item(
        session, admin, ImpactStep.outcomes, {"fi": " Osallisuus  kasvaa "}, ["C12a"]
    )
    b = impact_model.add_item(session, admin, ImpactStep.outcomes, {"sv": "Delaktighet"}, [])
    c = impact_model.add_item(session, admin, ImpactStep.resources, {"fi": "Omatyöntekijä"}, [])
    model = impact_model.model_of(session, admin)
    assert [i.id for i in model.steps[ImpactStep.outcomes]] == [a.id, b.id]
    assert model.steps[ImpactStep.outcomes][0].text == {"fi": "Osallisuus kasvaa"}
    assert [i.id for i in model.measured_by("C12a")] == [a.id]

    impact_model.move(session, admin, b.id, up=True)  # type: ignore[arg-type]
    impact_model.move(session, admin, b.id, up=True)  # type: ignore[arg-type]  # at the top: no-op
    model = impact_model.model_of(session, admin)
    assert [i.id for i in model.steps[ImpactStep.outcomes]] == [b.id, a.id]

    impact_model.edit_item(
        session, admin, a.id, {"fi": "Hyvinvointi", "sv": "Välmående"}, ["C13", "C12b", "C13"]
    )  # type: ignore[arg-type]
    model = impact_model.model_of(session, admin)
    edited = next(i for i in model.items if i.id == a.id)
    assert edited.codes == ["C12b", "C13"]  # each once, in the report's order
    assert edited.text == {"fi": "Hyvinvointi", "sv": "Välmående"}

    impact_model.remove_item(session, admin, a.id)  # type: ignore[arg-type]
    model = impact_model.model_of(session, admin)
    assert a.id not in {i.id for i in model.items} and c.id in {i.id for i in model.items}
    assert not session.exec(select(ImpactLink).where(ImpactLink.item_id == a.id)).all()


def test_impact_model_refuses_bad_input(session: Session) -> None:
    admin, _stranger, _worker = _admins(session)
    with pytest.raises(impact_model.TextMissing):
        impact_model.add_item(session, admin, ImpactStep.impact, {"fi": "  ", "en": "only"}, [])
    with pytest.raises(impact_model.UnknownIndicator):
        impact_model.add_item(session, admin, ImpactStep.impact, {"fi": "x"}, ["Z9"])
    for n in range(impact_model.MAX_ITEMS_PER_STEP):
        impact_model.add_item(session, admin, ImpactStep.impact, {"fi": f"kohta {n}"}, [])
    with pytest.raises(impact_model.TooManyItems):
        impact_model.add_item(session, admin, ImpactStep.impact, {"fi": "yksi liikaa"}, [])


def test_impact_model_only_the_admin_of_its_own_organiser(session: Session) -> None:
    admin, stranger, worker = _admins(session)
    item = impact_model.add_item(session, admin, ImpactStep.activities, {"fi": "Tiimiytys"}, [])
    assert impact_model.model_of(session, stranger).items == []
    for actor in (stranger,):
        with pytest.raises(NotFound):
            impact_model.edit_item(session, actor, item.id, {"fi": "x"}, [])  # type: ignore[arg-type]
        with pytest.raises(NotFound):
            impact_model.remove_item(session, actor, item.id)  # type: ignore[arg-type]
        with pytest.raises(NotFound):
            impact_model.move(session, actor, item.id, up=False)  # type: ignore[arg-type]
    with pytest.raises(NotFound):
        impact_model.model_of(session, worker)  # a case worker administers no organiser


def test_impact_model_diagram_lays_out_items_and_links(session: Session) -> None:
    admin, _stranger, _worker = _admins(session)
    impact_model.add_item(
        session,
        admin,
        ImpactStep.resources,
        {"fi": "HB-avustaja ja omatyöntekijä yhdessä asiakkaan kanssa"},
        [],
    )
    impact_model.add_item(session, admin, ImpactStep.impact, {"fi": "Hyvinvointi"}, ["C12a"])
    diagram = impact_diagram.layout(
        impact_model.model_of(session, admin), lambda t: t.get("fi", "")
    )
    assert len(diagram.columns) == 5 and len(diagram.arrows) == 4
    first, last = diagram.boxes
    assert len(first.lines) > 1 and all(len(line) <= impact_diagram.CHARS for line in first.lines)
    assert last.codes == ["C12a"] and last.x > first.x
    assert diagram.height >= max(b.y + b.height for b in diagram.boxes)


def test_impact_model_page_shows_the_diagram_and_list(client, demo, engine) -> None:  # noqa: ANN001
    from sqlmodel import Session as Db

    from app.models.impact import ImpactItem
    from tests.support.web import form_post, login_as

    login_as(client, "admin")
    page = client.get("/hallinto/raportit/vaikutusmalli")
    assert page.status_code == 200
    html = page.text
    assert '<svg class="impact-diagram"' in html and 'role="img"' in html
    assert '<title id="impact-svg-title">Vaikuttavuusmalli</title>' in html
    assert "Palveluntuottajien tiimiyttäminen (ryhmä C)" in html  # seeded from seed 004
    assert html.count('class="item"') == 16  # each seeded item is a box in the diagram
    assert "Mittarit: C12a, C13" in html  # an item's links in the diagram
    assert "C12a Asiakkaiden oman hyvinvointipisteen muutos" in html or "C12a" in html
    assert "/hallinto/raportit/vaikutusmalli" in client.get("/hallinto/raportit/indikaattorit").text

    bad = form_post(client, "/hallinto/raportit/vaikutusmalli", {"step": "impact", "text_fi": ""})
    assert bad.status_code == 422 and "Kirjoita kohta suomeksi tai ruotsiksi." in bad.text
    added = form_post(
        client,
        "/hallinto/raportit/vaikutusmalli",
        {"step": "outputs", "text_fi": "Tiimipalaverit pidetty", "codes": ["B1"]},
    )
    assert added.status_code == 303
    html = client.get("/hallinto/raportit/vaikutusmalli").text
    assert "Tiimipalaverit pidetty" in html and html.count('class="item"') == 17
    with Db(engine) as s:
        item = s.exec(select(ImpactItem).order_by(ImpactItem.id.desc())).first()  # type: ignore[union-attr]
        assert item is not None
        links = s.exec(select(ImpactLink.code).where(ImpactLink.item_id == item.id)).all()
        assert links == ["B1"]
    edit = client.get(f"/hallinto/raportit/vaikutusmalli/{item.id}")
    assert edit.status_code == 200 and "Tiimipalaverit pidetty" in edit.text
