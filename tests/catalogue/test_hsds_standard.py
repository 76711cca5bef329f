"""The HSDS 3.0 importer reads the standard shapes (the Open Referral examples), keeps each
text in its language, maps delivery modes, reads prices exactly and reports every rejected
record with its reason while importing the rest."""

from __future__ import annotations

import copy
import json
from pathlib import Path

import pytest
from sqlmodel import select

from app.models.offer import Offer, OfferArea
from app.services.catalogue import hsds, hsds_import
from tests.catalogue import factories as f

EXAMPLES = Path(__file__).resolve().parents[1] / "fixtures" / "hsds-examples"


def example(name: str) -> dict:
    return json.loads((EXAMPLES / f"{name}.json").read_text(encoding="utf-8"))


def finnish(service: dict, **changes) -> dict:
    """The example service as a Finnish provider would publish it."""
    out = copy.deepcopy(service)
    out["organization"] = copy.deepcopy(out.get("organization") or {"id": "o1", "name": "X"})
    out["organization"]["name"] = "Terapia Lahti Oy"
    out["organization"]["organization_identifiers"] = [
        {"id": "i1", "identifier_type": "Y-tunnus", "identifier": f.business_id(3300001)}
    ]
    out["cost_options"][0].update(currency="EUR", amount=35.5, option="hour")
    out["languages"] = [{"id": "l1", "name": "Swedish", "code": "sv"}]
    out["service_areas"] = [{"id": "a1", "name": "Jyväskylä", "extent": "179"}]
    out.update(name="Samtalsterapi", alternate_name=None, description="Samtal med terapeut.")
    out.pop("alternate_name")
    out.update(changes)
    return out


@pytest.fixture
def org(session):
    organiser = f.organiser(session, "jarvimaa")
    session.commit()
    return organiser


@pytest.mark.parametrize(
    ("name", "count"),
    [
        ("service_full", 1),
        ("service_list", 1),
        ("organization_full", 1),
        ("organization_list", 1),
        ("service_at_location_full", 1),
        ("service_at_location_list", 1),
    ],
)
def test_every_standard_shape_is_read_and_each_refusal_has_its_reason(session, org, name, count):
    document = example(name)
    assert len(hsds_import.records(document)) == count
    created, problems = hsds_import.import_dataset(session, document, org)
    assert created == 0  # an English example with a UK company number is no Finnish listing
    assert len(problems) == count
    for line in problems:
        assert ": " in line
        reason = line.split("): ", 1)[-1]
        assert reason in (
            "no valid Finnish business ID (Y-tunnus) in organization_identifiers",
            "an organization without services: nothing to import",
        ) or reason.startswith("not a valid HSDS service"), line


def test_a_standard_service_of_a_finnish_provider_is_imported(session, org):
    service = finnish(example("service_full"))
    service["service_at_locations"][0]["location"]["location_type"] = "virtual"
    created, problems = hsds_import.import_dataset(session, service, org, publish=True)
    session.commit()
    assert created == 1, problems
    offer = session.exec(select(Offer)).one()
    assert offer.title == {"sv": "Samtalsterapi"}  # Swedish-only: kept under sv
    assert offer.description == {"sv": "Samtal med terapeut."}
    assert offer.unit_price_cents == 3550
    assert offer.languages == ["sv"]
    assert offer.delivery_modes == ["remote"]
    areas = session.exec(select(OfferArea.municipality_code)).all()
    assert areas == ["179"]


def test_a_list_imports_the_good_records_and_names_each_rejected_one(session, org):
    base = finnish(example("service_full"))
    good = finnish(example("service_full"), name="Keskusteluapu", languages=[])
    pounds = copy.deepcopy(base)
    pounds["cost_options"][0]["currency"] = "gbp"
    closed = finnish(example("service_full"), status="inactive")
    broken = copy.deepcopy(base)
    del broken["name"]  # required by the schema
    odd_price = finnish(example("service_full"), name="Tarkka hinta")
    odd_price["cost_options"][0]["amount"] = 35.555
    foreign = finnish(example("service_full"), name="Urdu")
    foreign["languages"] = [{"id": "l2", "name": "Urdu", "code": "ur"}]
    page = {"total_items": 6, "contents": [good, pounds, closed, broken, odd_price, foreign]}
    created, problems = hsds_import.import_dataset(session, page, org)
    assert created == 2  # the good one, and the Urdu one without its language
    joined = "\n".join(problems)
    assert "contents[1] (Samtalsterapi): price in GBP, only euros are accepted" in joined
    assert "contents[2] (Samtalsterapi): status is inactive" in joined
    assert "contents[3]" in joined and "not a valid HSDS service" in joined
    assert "contents[4] (Tarkka hinta): price has more than two decimals" in joined
    assert "contents[5] (Urdu): languages not offered in Hebu dropped: ur" in joined
    assert len(problems) == 5


def test_delivery_modes_and_exact_prices_round_trip(session, org):
    cat = f.category(session, org, "therapy")
    prov = f.provider(session, org, "Terapia Oy")
    f.offer(session, prov, cat, "Fysioterapia", 7555, delivery_modes=["home", "remote"])
    session.commit()
    exported = hsds.export(session)
    assert hsds.validation_errors(exported) == []
    text = json.dumps(exported, default=hsds.json_number)
    assert '"amount": 75.55' in text
    document = json.loads(text)
    service = document["services"][0]
    assert hsds_import._delivery_modes(hsds_import.records(document)[0]) == ["home", "remote"]
    assert hsds_import._price_cents(service)[0] == 7555
    assert hsds_import._category_term(service)["code"] == "therapy"


def test_a_document_of_no_known_shape_says_so(session, org):
    created, problems = hsds_import.import_dataset(session, {"contents": []}, org)
    assert (created, problems) == (
        0,
        ["no services found: not an HSDS 3.0 service, organization or list"],
    )
