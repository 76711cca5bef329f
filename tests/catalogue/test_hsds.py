"""HSDS 3.0 export validates against the shipped schema and round-trips through import."""

from __future__ import annotations

import shutil

from sqlmodel import Session, select

from app.db import make_engine
from app.models.offer import Offer, OfferStatus
from app.models.provider import ApprovalStatus, ProviderApproval
from app.services.catalogue import hsds, hsds_import
from tests.catalogue import factories as f


def _build(session):
    org = f.organiser(session, "jarvimaa")
    cat = f.category(session, org, "therapy")
    prov = f.provider(session, org, "Terapia Oy")
    f.offer(
        session,
        prov,
        cat,
        "Fysioterapia",
        7550,
        extra_title={"sv": "Fysioterapi"},
        unit="session",
        languages=["fi", "sv"],
        areas=["179", "182"],
    )
    f.offer(session, prov, cat, "Puheterapia", 9000)
    f.offer(session, prov, cat, "Luonnos", status=OfferStatus.draft)
    session.commit()
    return org


def _normal(document):
    out = []
    for s in document["services"]:
        out.append(
            (
                s["name"],
                s.get("alternate_name"),
                s["cost_options"][0]["amount"],
                s["cost_options"][0]["option"],
                sorted(lang["code"] for lang in s["languages"]),
                sorted(a["extent"] for a in s["service_areas"]),
                s["attributes"][0]["taxonomy_term"]["code"],
                s["organization"]["organization_identifiers"][0]["identifier"],
                s["organization"]["name"],
            )
        )
    return sorted(out)


def test_export_validates_against_the_schema(session):
    _build(session)
    document = hsds.export(session)
    assert len(document["services"]) == 2
    assert hsds.validation_errors(document) == []
    broken = {"services": [dict(document["services"][0], status="open")]}
    assert hsds.validation_errors(broken)  # the validator really checks


def test_round_trip_through_import(session, sqlite_template, tmp_path):
    _build(session)
    exported = hsds.export(session)
    target_path = tmp_path / "target.db"
    shutil.copyfile(sqlite_template, target_path)
    target = make_engine(f"sqlite:///{target_path}")
    with Session(target, expire_on_commit=False) as other:
        org = f.organiser(other, "jarvimaa")
        created, problems = hsds_import.import_dataset(other, exported, org, publish=True)
        other.commit()
        assert (created, problems) == (2, [])
        assert _normal(hsds.export(other)) == _normal(exported)
    target.dispose()


def test_import_without_publish_makes_pending_drafts(session, sqlite_template, tmp_path):
    _build(session)
    exported = hsds.export(session)
    target_path = tmp_path / "target.db"
    shutil.copyfile(sqlite_template, target_path)
    target = make_engine(f"sqlite:///{target_path}")
    with Session(target, expire_on_commit=False) as other:
        org = f.organiser(other, "jarvimaa")
        hsds_import.import_dataset(other, exported, org)
        other.commit()
        assert {o.status for o in other.exec(select(Offer)).all()} == {OfferStatus.draft}
        approval = other.exec(select(ProviderApproval)).one()
        assert approval.status == ApprovalStatus.pending
        assert hsds.export(other)["services"] == []
    target.dispose()


def test_public_url(client, engine):
    with Session(engine, expire_on_commit=False) as s:
        _build(s)
    body = client.get("/api/v1/catalogue/hsds").json()
    assert [s["name"] for s in body["services"]] == ["Fysioterapia", "Puheterapia"]


def test_import_drops_a_website_that_is_not_http(session, sqlite_template, tmp_path):
    from app.models.provider import Provider

    _build(session)
    exported = hsds.export(session)
    for service in exported["services"]:
        service["organization"]["website"] = "javascript:alert(document.cookie)"
    target_path = tmp_path / "target.db"
    shutil.copyfile(sqlite_template, target_path)
    target = make_engine(f"sqlite:///{target_path}")
    with Session(target, expire_on_commit=False) as other:
        org = f.organiser(other, "jarvimaa")
        created, problems = hsds_import.import_dataset(other, exported, org, publish=True)
        assert created == 2
        assert problems == ["services[0] (Fysioterapia): website dropped, not an http(s) address"]
        assert other.exec(select(Provider)).one().website is None
    target.dispose()


def _import_into(sqlite_template, tmp_path, document):
    target_path = tmp_path / "target.db"
    shutil.copyfile(sqlite_template, target_path)
    target = make_engine(f"sqlite:///{target_path}")
    with Session(target, expire_on_commit=False) as other:
        org = f.organiser(other, "jarvimaa")
        created, problems = hsds_import.import_dataset(other, document, org, publish=True)
        other.commit()
        offers = {o.title.get("fi") or o.title.get("sv"): o for o in other.exec(select(Offer))}
    target.dispose()
    return created, problems, offers


def test_round_trip_keeps_every_language_of_every_text(session, sqlite_template, tmp_path):
    org = f.organiser(session, "jarvimaa")
    cat = f.category(session, org, "therapy")
    prov = f.provider(session, org, "Terapia Oy")
    both = f.offer(
        session, prov, cat, "Fysioterapia", extra_title={"sv": "Fysioterapi"},
        description={"fi": "Kotona", "sv": "Hemma"}, languages=["fi", "sv"],
    )  # fmt: skip
    only_sv = f.offer(session, prov, cat, "x", languages=["sv"])
    only_sv.title, only_sv.description = {"sv": "Samtalsterapi"}, {"sv": "För vuxna"}
    session.add(only_sv)
    session.commit()
    exported = hsds.export(session)
    assert hsds.validation_errors(exported) == []
    created, problems, offers = _import_into(sqlite_template, tmp_path, exported)
    assert (created, problems) == (2, [])
    assert offers["Fysioterapia"].title == both.title
    assert offers["Fysioterapia"].description == {"fi": "Kotona", "sv": "Hemma"}
    assert offers["Samtalsterapi"].title == {"sv": "Samtalsterapi"}
    assert offers["Samtalsterapi"].description == {"sv": "För vuxna"}


def test_a_standard_export_is_read_in_the_language_of_the_service(
    session, sqlite_template, tmp_path
):
    _build(session)
    exported = hsds.export(session)
    swedish, bilingual = exported["services"]
    for service in exported["services"]:
        del service["hebu_translations"]  # another system's export: one text per field
    swedish.update(name="Fysioterapi hemma", alternate_name=None, description="Hemma hos dig")
    swedish.pop("alternate_name")
    swedish["languages"] = [dict(swedish["languages"][1])]
    assert swedish["languages"][0]["code"] == "sv"
    created, problems, offers = _import_into(sqlite_template, tmp_path, exported)
    assert (created, problems) == (2, [])
    assert offers["Fysioterapi hemma"].title == {"sv": "Fysioterapi hemma"}
    assert offers["Fysioterapi hemma"].description == {"sv": "Hemma hos dig"}
    assert offers["Puheterapia"].title == {"fi": "Puheterapia"}
