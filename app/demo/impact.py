"""The demo organiser's impact model (seed 002 appendix 2, seed 004's iooi chain), each item
linked to the core indicators that measure it. Idempotent: added only to an empty model."""

from __future__ import annotations

from sqlmodel import Session, select

from app.demo.bulk import insert_rows
from app.models.impact import ImpactItem, ImpactLink, ImpactStep
from app.models.organiser import Organiser
from app.models.user import User

S = ImpactStep
# step, Finnish, Swedish, English, the indicators that measure it
ITEMS: list[tuple[ImpactStep, str, str, str, list[str]]] = [
    (
        S.resources,
        "Omatyöntekijä ja HB-avustaja",
        "Egen arbetstagare och HB-assistent",
        "Named worker and HB assistant",
        ["C23"],
    ),  # noqa: E501
    (
        S.resources,
        "Henkilökohtainen budjetti asiakkaan palveluihin",
        "Personlig budget för klientens tjänster",
        "A personal budget for the client's services",
        ["C31"],
    ),  # noqa: E501
    (
        S.resources,
        "Itsearviointityökalu (30 € asiakasta kohden)",
        "Självbedömningsverktyg (30 € per klient)",
        "Self-assessment tool (30 € per client)",
        [],
    ),  # noqa: E501
    (
        S.resources,
        "Palveluntuottajien verkosto",
        "Nätverket av tjänsteproducenter",
        "The network of providers",
        [],
    ),  # noqa: E501
    (
        S.activities,
        "Elämäntilanteen ja asiointiprofiilin kartoitus",
        "Kartläggning av livssituationen och ärendeprofilen",
        "Mapping the life situation and service-use profile",
        ["A1"],
    ),  # noqa: E501
    (
        S.activities,
        "Budjetin suunnittelu yhdessä asiakkaan kanssa",
        "Budgeten planeras tillsammans med klienten",
        "Planning the budget with the client",
        ["B2"],
    ),  # noqa: E501
    (
        S.activities,
        "Palveluntuottajien tiimiyttäminen (ryhmä C)",
        "Teamarbete med tjänsteproducenterna (grupp C)",
        "Convening the providers (arm C)",
        [],
    ),  # noqa: E501
    (
        S.activities,
        "Vaikutusten arviointi kerran vuodessa",
        "Årlig bedömning av effekterna",
        "Yearly evaluation of the impact",
        ["C12b"],
    ),  # noqa: E501
    (
        S.outputs,
        "Vahvistetut budjettisuunnitelmat",
        "Fastställda budgetplaner",
        "Confirmed budget plans",
        ["A1", "B1"],
    ),  # noqa: E501
    (
        S.outputs,
        "Asiakkaan valitsemat palvelut toteutuvat",
        "Tjänsterna som klienten valt genomförs",
        "The services the client chose are delivered",
        ["C32"],
    ),  # noqa: E501
    (
        S.outputs,
        "Toimitukset ilman kiistoja",
        "Leveranser utan tvister",
        "Deliveries without disputes",
        ["C4"],
    ),  # noqa: E501
    (
        S.outcomes,
        "Asiakkaan koettu hyvinvointi paranee",
        "Klientens upplevda välmående förbättras",
        "The client's own wellbeing improves",
        ["C12a"],
    ),  # noqa: E501
    (
        S.outcomes,
        "Asiakkaan omat tavoitteet toteutuvat",
        "Klientens egna mål uppnås",
        "The client's own goals are reached",
        ["C12b"],
    ),  # noqa: E501
    (
        S.outcomes,
        "Asiakas kokee tulleensa kuulluksi ja päättää itse",
        "Klienten upplever sig hörd och bestämmer själv",
        "The client feels heard and decides",
        ["C13"],
    ),  # noqa: E501
    (
        S.impact,
        "Ihmisten hyvinvointi ja osallisuus",
        "Människors välmående och delaktighet",
        "People's wellbeing and participation",
        ["C12a", "C13"],
    ),  # noqa: E501
    (
        S.impact,
        "Palvelut kokonaistaloudellisesti",
        "Kostnadseffektiva tjänster",
        "Services at a sound total cost",
        ["C31", "C23"],
    ),  # noqa: E501
]


def load_impact_model(session: Session) -> None:
    organiser = session.exec(select(Organiser).where(Organiser.code == "jarvimaa")).first()
    admin = session.exec(select(User).where(User.dev_persona == "admin")).first()
    if organiser is None or admin is None:
        return
    if session.exec(select(ImpactItem.id).where(ImpactItem.organiser_id == organiser.id)).first():
        return
    positions: dict[ImpactStep, int] = {}
    rows = []
    for step, fi, sv, en, _codes in ITEMS:
        positions[step] = positions.get(step, 0) + 1
        rows.append(
            {
                "organiser_id": organiser.id,
                "step": step,
                "position": positions[step],
                "text": {"fi": fi, "sv": sv, "en": en},
                "updated_by_id": admin.id,
            }
        )
    ids = insert_rows(session, ImpactItem, rows)
    links = [
        {"item_id": item_id, "code": code}
        for item_id, (*_texts, codes) in zip(ids, ITEMS, strict=True)
        for code in codes
    ]
    insert_rows(session, ImpactLink, links)
    session.flush()
