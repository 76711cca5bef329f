"""Small builders for catalogue tests: organiser, categories, approved providers, offers."""

from __future__ import annotations

from sqlmodel import Session

from app.demo.catalogue import business_id
from app.models.offer import OfferStatus
from app.models.organiser import Category, Municipality, Organiser, OrganiserMunicipality
from app.models.provider import ApprovalStatus, Provider
from app.services.catalogue import listings

_counter = {"n": 4200000}


def organiser(session: Session, code: str = "org-a") -> Organiser:
    org = Organiser(code=code, name={"fi": "Alue", "sv": "Område"})
    session.add(org)
    session.flush()
    for mcode, name in (("179", "Jyväskylä"), ("182", "Jämsä")):
        if session.get(Municipality, mcode) is None:
            session.add(Municipality(code=mcode, name_fi=name, name_sv=name))
        session.flush()
        session.add(OrganiserMunicipality(organiser_id=org.id, municipality_code=mcode))
    session.flush()
    return org


def category(session: Session, org: Organiser, slug: str = "home-help") -> Category:
    cat = Category(organiser_id=org.id, slug=slug, name={"fi": "Kotipalvelu", "sv": "Hemservice"})
    session.add(cat)
    session.flush()
    return cat


def provider(
    session: Session, org: Organiser, name: str = "Testi Oy", approved: bool = True
) -> Provider:
    _counter["n"] += 7
    bid = business_id(_counter["n"])
    _counter["n"] = int(bid[:7])
    prov = listings.save_provider(
        session, None, listings.ProviderInput(name=name, business_id=bid, areas=["179"])
    )
    approval = listings.apply_for_approval(session, prov.id, org.id)
    if approved:
        listings.decide(session, None, approval, ApprovalStatus.approved)
    return prov


def offer(session: Session, prov: Provider, cat: Category, title: str, price: int = 3000, **kw):
    data = listings.OfferInput(
        title={"fi": title} | kw.pop("extra_title", {}),
        category_id=cat.id,
        unit=kw.pop("unit", "hour"),
        unit_price_cents=price,
        languages=kw.pop("languages", ["fi"]),
        delivery_modes=kw.pop("delivery_modes", ["home"]),
        areas=kw.pop("areas", ["179"]),
        status=kw.pop("status", OfferStatus.published),
        **kw,
    )
    return listings.save_offer(session, None, prov.id, data)
