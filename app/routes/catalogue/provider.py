"""Provider pages: register, keep the profile and listings up to date, see approval status."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, Unpack

from fastapi import APIRouter, Request
from fastapi.responses import Response
from sqlmodel import Session
from starlette.datastructures import FormData

from app.deps import CurrentUser, DbSession, ProviderMember
from app.forms import Id, parse_form
from app.i18n import base_language, get_locale, gettext, lazy_gettext
from app.models.actor import Actor
from app.models.offer import Offer
from app.models.provider import Provider
from app.models.user import Role
from app.navigation import register
from app.routes.catalogue.provider_forms import (
    LANGUAGE_CODES,
    OfferForm,
    ProviderForm,
    texts,
)
from app.routes.formdata import PostedForm
from app.routes.responses import FormShown, done, render_form
from app.services.catalogue import listings, municipalities
from app.templating import render

router = APIRouter(prefix="/tuottaja")
register("/tuottaja", lazy_gettext("My listings"), {Role.provider_owner, Role.provider_editor}, 30)


def _common() -> dict[str, Any]:
    return {
        "LANGUAGE_CODES": LANGUAGE_CODES,
    }


def _check_areas(session: Session, raw: str, errors: dict[str, str]) -> list[str]:
    """The municipalities typed by name or code; an unknown one is an error on the field."""
    areas = municipalities.parse_areas(session, raw)
    if areas.unknown:
        errors["areas"] = gettext(
            "No municipality is called %(names)s. Write the municipality's name, for "
            "example Jyväskylä, or its 3-digit code.",
            names=", ".join(areas.unknown)[:100],
        )
    return areas.codes


def _area_names(session: Session, codes: list[str]) -> str:
    return municipalities.area_names(session, codes, base_language(get_locale()))


def _provider_input(data: ProviderForm, areas: list[str]) -> listings.ProviderInput:
    return listings.ProviderInput(
        name=data.name,
        business_id=data.business_id,
        contact_email=data.contact_email,
        contact_phone=data.contact_phone,
        website=data.website,
        soteri_number=data.soteri_number,
        description=texts(data, "description", ("fi", "sv")),
        languages=data.languages,
        areas=areas,
        accessibility=texts(data, "accessibility", ("fi", "sv")),
        iban=data.iban,
        bic=data.bic,
    )


@router.get("")
def dashboard(request: Request, session: DbSession, actor: ProviderMember) -> Response:
    overviews = [
        listings.overview(session, listings.own_provider(session, actor, pid))
        for pid in sorted(actor.provider_ids())
    ]
    return render(
        request, "catalogue/provider/dashboard.html", {"overviews": overviews, **_common()}
    )


def _profile_page(
    request: Request, context: Mapping[str, Any], **shown: Unpack[FormShown]
) -> Response:
    """The provider's profile form: a new registration (`new`) or a provider's own details."""
    ctx = {**context, **_common()}
    return render_form(request, "catalogue/provider/profile.html", ctx, **shown)


@router.get("/rekisteroidy")
def register_form(request: Request, session: DbSession, actor: CurrentUser) -> Response:
    return _profile_page(request, {"organisers": listings.organisers(session), "new": True})


@router.post("/rekisteroidy")
def register_submit(
    request: Request, session: DbSession, actor: CurrentUser, form: PostedForm
) -> Response:
    values, data, errors = parse_form(ProviderForm, form)
    areas = _check_areas(session, str(values.get("areas", "")), errors)
    organiser = next(
        (o for o in listings.organisers(session) if o.code == values.get("organiser")), None
    )
    if organiser is None:
        errors["organiser"] = gettext("Choose one of the options.")
    if data and listings.business_id_taken(session, data.business_id):
        errors["business_id"] = gettext("A provider with this business ID is already registered.")
    if errors or data is None or organiser is None or organiser.id is None:
        ctx = {"organisers": listings.organisers(session), "new": True}
        return _profile_page(request, ctx, values=values, errors=errors, status_code=422)
    listings.register_provider(session, actor, _provider_input(data, areas), organiser.id)
    return done(request, "/tuottaja")


def _profile_values(provider: Provider, areas: str) -> dict[str, Any]:
    return {
        "name": provider.name,
        "business_id": provider.business_id,
        "contact_email": provider.contact_email or "",
        "contact_phone": provider.contact_phone or "",
        "website": provider.website or "",
        "soteri_number": provider.soteri_number or "",
        "description_fi": provider.description.get("fi", ""),
        "description_sv": provider.description.get("sv", ""),
        "languages": provider.languages,
        "areas": areas,
        "accessibility_fi": provider.accessibility.get("fi", ""),
        "accessibility_sv": provider.accessibility.get("sv", ""),
        "iban": provider.iban or "",
        "bic": provider.bic or "",
    }


@router.get("/tiedot/{provider_id}")
def profile_form(
    request: Request, provider_id: Id, session: DbSession, actor: ProviderMember
) -> Response:
    provider = listings.own_provider(session, actor, provider_id)
    areas = listings.overview(session, provider).areas
    ctx = {"provider": provider, "new": False}
    values = _profile_values(provider, _area_names(session, areas))
    return _profile_page(request, ctx, values=values)


@router.post("/tiedot/{provider_id}")
def profile_submit(
    request: Request, provider_id: Id, session: DbSession, actor: ProviderMember, form: PostedForm
) -> Response:
    provider = listings.own_provider(session, actor, provider_id)
    values, data, errors = parse_form(ProviderForm, form)
    areas = _check_areas(session, str(values.get("areas", "")), errors)
    if data and listings.business_id_taken(session, data.business_id, provider_id):
        errors["business_id"] = gettext("A provider with this business ID is already registered.")
    if errors or data is None:
        ctx = {"provider": provider, "new": False}
        return _profile_page(request, ctx, values=values, errors=errors, status_code=422)
    listings.save_provider(session, actor, _provider_input(data, areas), provider)
    return done(request, "/tuottaja")


def _offer_values(offer: Offer, areas: str) -> dict[str, Any]:
    values: dict[str, Any] = {
        "category_id": offer.category_id,
        "unit": offer.unit,
        "price": f"{offer.unit_price_cents // 100},{offer.unit_price_cents % 100:02d}",
        "vat": "" if offer.vat_rate_bp is None else str(offer.vat_rate_bp / 100).replace(".", ","),
        "delivery_modes": offer.delivery_modes,
        "languages": offer.languages,
        "areas": areas,
        "valid_from": offer.valid_from.isoformat() if offer.valid_from else "",
        "valid_to": offer.valid_to.isoformat() if offer.valid_to else "",
        "status": offer.status,
    }
    for lang in ("fi", "sv", "en"):
        values[f"title_{lang}"] = offer.title.get(lang, "")
        values[f"description_{lang}"] = offer.description.get(lang, "")
    for lang in ("fi", "sv"):
        values[f"capacity_note_{lang}"] = offer.capacity_note.get(lang, "")
    return values


def _offer_page(
    request: Request,
    session: Session,
    provider_id: int,
    values: dict[str, Any],
    errors: dict[str, str],
    offer: Offer | None = None,
    status_code: int = 200,
) -> Response:
    ctx = {
        "values": values,
        "errors": errors,
        "offer": offer,
        "provider_id": provider_id,
        "categories": listings.provider_categories(session, provider_id),
        "prices": listings.price_history(session, offer.id) if offer and offer.id else [],
        "swedish_missing": listings.swedish_missing(
            values.get("languages") or [], values.get("title_sv"), values.get("description_sv")
        ),
        **_common(),
    }
    return render(request, "catalogue/provider/offer_form.html", ctx, status_code=status_code)


def _save(
    request: Request,
    form: FormData,
    session: Session,
    actor: Actor,
    provider_id: int,
    offer: Offer | None,
) -> Response:
    values, data, errors = parse_form(OfferForm, form)
    areas = _check_areas(session, str(values.get("areas", "")), errors)
    allowed = {c.id for c in listings.provider_categories(session, provider_id)}
    if data and data.category_id not in allowed:
        errors["category_id"] = gettext("Choose one of the options.")
    if data and data.valid_from and data.valid_to and data.valid_to < data.valid_from:
        errors["valid_to"] = gettext("The end date must be after the start date.")
    if errors or data is None:
        return _offer_page(request, session, provider_id, values, errors, offer, 422)
    saved = listings.save_offer(
        session,
        actor,
        provider_id,
        listings.OfferInput(
            title=texts(data, "title"),
            description=texts(data, "description"),
            category_id=data.category_id,
            unit=data.unit,
            unit_price_cents=data.cents(),
            vat_rate_bp=data.vat_bp(),
            delivery_modes=[str(m) for m in data.delivery_modes],
            languages=data.languages,
            areas=areas,
            capacity_note=texts(data, "capacity_note", ("fi", "sv")),
            valid_from=data.valid_from,
            valid_to=data.valid_to,
            status=data.status,
        ),
        offer,
    )
    return done(request, f"/tuottaja/palvelut/{saved.id}")


@router.get("/{provider_id}/palvelut/uusi")
def new_offer(
    request: Request, provider_id: Id, session: DbSession, actor: ProviderMember
) -> Response:
    listings.own_provider(session, actor, provider_id)
    return _offer_page(request, session, provider_id, {"status": "draft"}, {})


@router.post("/{provider_id}/palvelut/uusi")
def create_offer(
    request: Request, provider_id: Id, session: DbSession, actor: ProviderMember, form: PostedForm
) -> Response:
    listings.own_provider(session, actor, provider_id)
    return _save(request, form, session, actor, provider_id, None)


@router.get("/palvelut/{offer_id}")
def edit_offer(
    request: Request, offer_id: Id, session: DbSession, actor: ProviderMember
) -> Response:
    offer = listings.editable_offer(session, actor, offer_id)
    values = _offer_values(offer, _area_names(session, listings.offer_areas(session, offer_id)))
    return _offer_page(request, session, offer.provider_id, values, {}, offer)


@router.post("/palvelut/{offer_id}")
def update_offer(
    request: Request, offer_id: Id, session: DbSession, actor: ProviderMember, form: PostedForm
) -> Response:
    offer = listings.editable_offer(session, actor, offer_id)
    return _save(request, form, session, actor, offer.provider_id, offer)


@router.post("/palvelut/{offer_id}/tarkistettu")
def offer_checked(
    request: Request, offer_id: Id, session: DbSession, actor: ProviderMember
) -> Response:
    offer = listings.editable_offer(session, actor, offer_id)
    listings.mark_checked(session, offer)
    return done(request, "/tuottaja")
