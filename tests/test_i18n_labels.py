"""One table of labels: every enum member has one, in Finnish and Swedish too."""

from pathlib import Path

import pytest
from babel.messages.pofile import read_po

from app import i18n
from app.config import Environment, Settings
from app.i18n import labels
from app.routes.catalogue.provider_forms import LANGUAGE_CODES
from app.services.catalogue.listings import CHECKLIST
from app.services.operations import registry
from app.services.search.base import RATING_LEVELS, Sort
from app.templating import templates

I18N = Path(__file__).resolve().parent.parent / "app" / "i18n"


@pytest.mark.parametrize("kind", sorted(labels.ENUM_LABELS))
def test_every_member_of_every_labelled_enum_has_a_label(kind):
    enum, table = labels.ENUM_LABELS[kind]
    assert set(table) == {member.value for member in enum}


@pytest.mark.parametrize(
    ("kind", "codes"),
    [
        ("Sort", {member.value for member in Sort}),
        ("language", set(LANGUAGE_CODES)),
        ("checklist", set(CHECKLIST)),
        ("rating_filter", {str(level) for level in RATING_LEVELS}),
        ("fallback_note", set(i18n.LOCALES)),
        ("job", set(registry.names(Settings(environment=Environment.test)))),
    ],
)
def test_code_sets_have_a_label_for_every_code(kind, codes):
    assert set(labels.CODE_LABELS[kind]) == codes


def _msgids(locale: str) -> dict[str, str]:
    with (I18N / locale / "LC_MESSAGES" / "messages.po").open("rb") as fh:
        return {m.id: m.string for m in read_po(fh) if m.id and not m.fuzzy}


@pytest.mark.parametrize("locale", ["fi", "sv"])
def test_every_label_is_translated(locale):
    translated = _msgids(locale)
    missing = []
    for kind, table in labels.LABELS.items():
        for code, text in table.items():
            msgid = text._args[0]
            if not translated.get(msgid, "").strip():
                missing.append(f"{kind}.{code}: {msgid!r}")
    for kind, text in labels.FALLBACKS.items():
        if not translated.get(text._args[0], "").strip():
            missing.append(f"{kind} fallback")
    assert not missing, "\n".join(missing)


@pytest.fixture
def locale():
    tokens = []

    def use(name: str) -> None:
        tokens.append(i18n.set_locale(name))

    yield use
    for token in reversed(tokens):
        i18n.reset_locale(token)


def test_the_filter_picks_the_label_of_the_named_enum(locale):
    locale("fi")
    page = templates.from_string('{{ s | label("PlanStatus") }}/{{ s | label("PlanAction") }}')
    assert page.render(s="confirmed") == "Vahvistettu/vahvisti suunnitelman"
    locale("sv")
    swedish = i18n.translations("sv").ugettext("Teaming meeting with providers")
    assert templates.from_string('{{ "teaming" | label("MeetingKind") }}').render() == swedish
    assert swedish != "Teaming meeting with providers"


def test_an_unknown_value_prints_itself_not_another_label(locale, caplog):
    locale("fi")
    assert labels.label("lost", "DeliveryStatus") == "lost"
    assert "no label" in caplog.text
    assert labels.label("nonsense", "audit_category") == "muut tiedot"
    with pytest.raises(KeyError):
        labels.label("draft", "NoSuchKind")
