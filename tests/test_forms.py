import pytest
from pydantic import BaseModel, Field, field_validator
from starlette.datastructures import FormData

from app import i18n
from app.forms import parse_form, parse_money_cents
from app.i18n import lazy_gettext


class Sample(BaseModel):
    name: str = Field(min_length=1, max_length=5)
    count: int = Field(gt=0)
    tags: list[str] = []

    @field_validator("name")
    @classmethod
    def no_digits(cls, v: str) -> str:
        if any(c.isdigit() for c in v):
            raise ValueError(lazy_gettext("Check this value."))
        return v


@pytest.fixture(params=["fi", "sv"])
def locale(request):
    token = i18n.set_locale(request.param)
    yield request.param
    i18n.reset_locale(token)


def test_errors_are_translated_and_input_is_kept(locale):
    form = FormData([("name", "toolongname"), ("count", "abc"), ("csrftoken", "t")])
    values, model, errors = parse_form(Sample, form)
    assert model is None
    assert values == {"name": "toolongname", "count": "abc"}
    expected = {"fi": ("Anna kokonaisluku.", "enintään 5"), "sv": ("Ange ett heltal.", "högst 5")}
    assert errors["count"] == expected[locale][0]
    assert expected[locale][1] in errors["name"]


def test_missing_field_and_custom_validator(locale):
    values, model, errors = parse_form(Sample, FormData([("name", "ab1")]))
    assert model is None
    assert set(errors) == {"name", "count"}
    assert errors["name"] == {"fi": "Tarkista tämä arvo.", "sv": "Kontrollera detta värde."}[locale]


def test_valid_form_with_lists_and_nbsp():
    form = FormData([("name", "\u00a0Aino "), ("count", "3"), ("tags", "a"), ("tags", "b")])
    _values, model, errors = parse_form(Sample, form)
    assert errors == {}
    assert model == Sample(name="Aino", count=3, tags=["a", "b"])


@pytest.mark.parametrize(
    ("text", "cents"),
    [("12,50", 1250), ("1\u00a0234,5 €", 123450), ("1234.56", 123456), ("0", 0), ("7", 700)],
)
def test_parse_money(text, cents):
    assert parse_money_cents(text) == cents


@pytest.mark.parametrize("text", ["", "abc", "1,234", "12,345", "€"])
def test_parse_money_rejects(text):
    with pytest.raises(ValueError):
        parse_money_cents(text)
