"""Forms of the provider pages: provider profile and offers (validated with pydantic)."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Annotated, Any

from pydantic import AfterValidator, BaseModel, Field, ValidationInfo, field_validator

from app.errors import Invalid
from app.forms import FieldError, Id, parse_decimal_between, parse_money_cents
from app.i18n import lazy_gettext
from app.models.offer import DeliveryMode, OfferStatus, Unit
from app.routes.formdata import cents_between
from app.services.catalogue import bank
from app.services.catalogue.listings import (
    MAX_DESCRIPTION,
    MAX_PRICE_CENTS,
    InvalidWebAddress,
    business_id_valid,
    web_address_valid,
)

LANGUAGE_CODES = ("fi", "sv", "en", "se", "ru", "ar", "so", "et", "fsl")


def _need_fi_or_sv(value: str, info: ValidationInfo) -> str:
    """On the `<text>_sv` field: the Swedish text, or else the Finnish one, must be written."""
    finnish = str(info.field_name).removesuffix("_sv") + "_fi"
    if not value.strip() and not str(info.data.get(finnish) or "").strip():
        raise FieldError(lazy_gettext("Write the text in Finnish or Swedish (or both)."))
    return value


def _known_languages(value: list[str]) -> list[str]:
    if any(v not in LANGUAGE_CODES for v in value):
        raise FieldError(lazy_gettext("Choose one of the options."))
    return value


# The Swedish text of a text written in Finnish or Swedish (its `_fi` field comes before it).
FinnishOrSwedish = Annotated[str, AfterValidator(_need_fi_or_sv)]
Languages = Annotated[list[str], AfterValidator(_known_languages)]


class ProviderForm(BaseModel):
    name: str = Field(min_length=2, max_length=200)
    business_id: str = Field(max_length=20)
    contact_email: str | None = Field(default=None, max_length=320)
    contact_phone: str | None = Field(default=None, max_length=40)
    website: str | None = Field(default=None, max_length=300)
    soteri_number: str | None = Field(default=None, max_length=40)
    description_fi: str = Field(default="", max_length=MAX_DESCRIPTION)
    description_sv: FinnishOrSwedish = Field(
        default="", max_length=MAX_DESCRIPTION, validate_default=True
    )
    languages: Languages = Field(default_factory=list)
    areas: str = Field(default="", max_length=2000)
    accessibility_fi: str = Field(default="", max_length=1000)
    accessibility_sv: str = Field(default="", max_length=1000)
    organiser: str | None = Field(default=None, max_length=40)
    iban: str | None = Field(default=None, max_length=50)
    bic: str | None = Field(default=None, max_length=20)

    @field_validator("iban", "bic")
    @classmethod
    def _bank(cls, value: str | None, info: ValidationInfo) -> str | None:
        try:
            return bank.normal(str(info.field_name), value)
        except Invalid as exc:
            raise FieldError(exc.text()) from exc

    @field_validator("business_id")
    @classmethod
    def _business_id(cls, value: str) -> str:
        value = value.strip()
        if not business_id_valid(value):
            raise FieldError(
                lazy_gettext("Check the business ID: it is 7 digits, a dash and a check digit.")
            )
        return value

    @field_validator("website")
    @classmethod
    def _website(cls, value: str | None) -> str | None:
        value = (value or "").strip()
        if value and not web_address_valid(value):
            raise FieldError(InvalidWebAddress.default_text)
        return value


class OfferForm(BaseModel):
    title_fi: str = Field(default="", max_length=200)
    title_sv: FinnishOrSwedish = Field(default="", max_length=200, validate_default=True)
    title_en: str = Field(default="", max_length=200)
    description_fi: str = Field(default="", max_length=MAX_DESCRIPTION)
    description_sv: str = Field(default="", max_length=MAX_DESCRIPTION)
    description_en: str = Field(default="", max_length=MAX_DESCRIPTION)
    category_id: Id
    unit: Unit
    price: str = Field(max_length=30)
    vat: str = Field(default="", max_length=10)
    delivery_modes: list[DeliveryMode] = Field(default_factory=list)
    languages: Languages = Field(default_factory=list)
    areas: str = Field(default="", max_length=2000)
    capacity_note_fi: str = Field(default="", max_length=500)
    capacity_note_sv: str = Field(default="", max_length=500)
    valid_from: date | None = None
    valid_to: date | None = None
    status: OfferStatus = OfferStatus.draft

    @field_validator("price")
    @classmethod
    def _price(cls, value: str) -> str:
        cents_between(
            value,
            1,
            MAX_PRICE_CENTS,
            lazy_gettext("Enter a price in euros, for example 35,50."),
            lazy_gettext("Enter a price between 0,01 € and 10 000 €."),
        )
        return value

    @field_validator("vat")
    @classmethod
    def _vat(cls, value: str) -> str:
        if value.strip():
            try:
                _vat_rate(value)
            except ValueError as exc:
                raise FieldError(lazy_gettext("Enter the VAT rate in percent, e.g. 25,5.")) from exc
        return value

    @field_validator("status")
    @classmethod
    def _status(cls, value: OfferStatus) -> OfferStatus:
        if value not in (OfferStatus.draft, OfferStatus.published):
            raise FieldError(lazy_gettext("Choose one of the options."))
        return value

    def cents(self) -> int:
        return parse_money_cents(self.price)

    def vat_bp(self) -> int | None:
        if not self.vat.strip():
            return None
        return int(_vat_rate(self.vat) * 100)


def _vat_rate(text: str) -> Decimal:
    """'25,5 %' -> Decimal('25.5'); ValueError unless a rate from 0 to 30 per cent."""
    return parse_decimal_between(text.replace("%", ""), 0, 30)


def texts(
    data: BaseModel, prefix: str, langs: tuple[str, ...] = ("fi", "sv", "en")
) -> dict[str, str]:
    values: dict[str, Any] = data.model_dump()
    return {
        lang: str(values[f"{prefix}_{lang}"]).strip()
        for lang in langs
        if f"{prefix}_{lang}" in values and str(values[f"{prefix}_{lang}"]).strip()
    }
