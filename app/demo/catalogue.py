"""Demo providers and offers for the Järvimaa catalogue (idempotent).

About 40 providers and 150 offers across the 10 demo categories, fi and sv texts (some fi
only), a few providers pending approval and one suspended. Personas `provider-owner` and
`provider-editor` belong to the first provider.
"""

from __future__ import annotations

import random

from sqlmodel import Session, col, select
from sqlmodel.sql.expression import SelectOfScalar
from stdnum import iban

from app.models.offer import Offer, OfferStatus
from app.models.organiser import Category, Organiser
from app.models.provider import ApprovalStatus, Provider, ProviderApproval
from app.models.search import SearchSynonym
from app.models.user import Membership, Role, User
from app.services.catalogue import listings

PREFIXES = [
    "Järvi",
    "Koivu",
    "Kaste",
    "Lehto",
    "Mänty",
    "Aalto",
    "Kallio",
    "Ranta",
    "Tuuli",
    "Sini",
    "Kuusi",
    "Vaahtera",
    "Pihlaja",
    "Kanerva",
    "Saari",
    "Niitty",
    "Laakso",
    "Helmi",
    "Aamu",
    "Ilta",
]
SUFFIXES = ["Hoiva Oy", "Palvelut Oy", "Apu ky", "Kuntoutus Oy"]
# category slug -> [(fi title, sv title or "", unit, low €, high €, fi description)]
TEMPLATES: dict[str, list[tuple[str, str, str, int, int, str]]] = {
    "home-help": [
        ("Kotisiivous", "Hemstädning", "hour", 30, 48, "Siivoamme kotisi sovitusti."),
        ("Kauppa-asiointi", "Butiksärenden", "visit", 18, 30, "Käymme kaupassa puolestasi."),
        ("Ikkunanpesu", "Fönstertvätt", "piece", 60, 140, "Pesemme ikkunat keväällä ja syksyllä."),
        ("Ateriapalvelu kotiin", "", "day", 9, 16, "Lämmin ateria kotiin joka päivä."),
    ],
    "personal-assistance": [
        (
            "Henkilökohtainen avustaja",
            "Personlig assistent",
            "hour",
            26,
            36,
            "Avustaja arjen askareisiin ja harrastuksiin.",
        ),
        ("Avustaja vapaa-ajalle", "", "hour", 25, 34, "Avustaja mukaan harrastuksiin."),
    ],
    "therapy": [
        (
            "Fysioterapia",
            "Fysioterapi",
            "session",
            55,
            95,
            "Fysioterapiaa kotona tai vastaanotolla.",
        ),
        ("Puheterapia", "Talterapi", "session", 70, 110, "Puheterapiaa lapsille ja aikuisille."),
        ("Toimintaterapia", "Arbetsterapi", "session", 65, 105, "Arjen taitojen harjoittelua."),
        ("Musiikkiterapia", "", "session", 60, 90, "Musiikkiterapiaa yksin tai ryhmässä."),
    ],
    "day-activities": [
        ("Päivätoiminta", "Dagverksamhet", "day", 45, 85, "Päivätoimintaa ryhmässä."),
        ("Työtoiminta", "Arbetsverksamhet", "day", 35, 70, "Mielekästä tekemistä työpajassa."),
    ],
    "housing-support": [
        ("Asumisen ohjaus", "Boendehandledning", "hour", 38, 58, "Ohjausta kotona asumiseen."),
        ("Tukiasuminen", "Stödboende", "month", 900, 1800, "Tuettu asunto ja ohjaus."),
    ],
    "transport": [
        ("Asiointikuljetus", "Färdtjänst", "trip", 12, 35, "Kuljetus asioille ja harrastuksiin."),
        ("Saattajapalvelu", "Ledsagarservice", "hour", 25, 38, "Saattaja mukaan matkalle."),
    ],
    "leisure": [
        ("Liikuntaryhmä", "Motionsgrupp", "session", 8, 20, "Ohjattua liikuntaa ryhmässä."),
        ("Kulttuuriopastus", "", "visit", 15, 30, "Opastettu käynti museoon tai teatteriin."),
    ],
    "respite": [
        (
            "Omaishoitajan vapaa",
            "Avlösning för närståendevårdare",
            "day",
            90,
            180,
            "Omaishoitaja saa vapaata, kun hoidamme läheistäsi.",
        ),
        ("Lyhytaikainen hoito", "Korttidsvård", "day", 110, 220, "Hoitoa muutamaksi päiväksi."),
    ],
    "peer-support": [
        (
            "Vertaistukiryhmä",
            "Kamratstödsgrupp",
            "session",
            5,
            15,
            "Keskustelua vertaisten kanssa.",
        ),
    ],
    "aids": [
        (
            "Apuvälineiden huolto",
            "Service av hjälpmedel",
            "visit",
            40,
            90,
            "Huollamme pyörätuolit ja rollaattorit.",
        ),
        ("Turvaranneke", "Trygghetsarmband", "month", 25, 45, "Turvaranneke ja hälytyspalvelu."),
    ],
}
SV_DESCRIPTION = "Tjänsten ges på svenska och finska."
PROVIDER_COUNT = 40
PENDING = {37, 38, 39}
SUSPENDED = 36
PERSONAS = [
    ("provider-owner", "Leena Koivisto", Role.provider_owner),
    ("provider-editor", "Juha Lehtonen", Role.provider_editor),
]


AREAS = ["179", "182", "249", "410", "500", "729", "992"]


def approved_offers(organiser: Organiser) -> SelectOfScalar[Offer]:
    """The published offers of the providers the organiser approved, oldest first."""
    approved = select(ProviderApproval.provider_id).where(
        ProviderApproval.organiser_id == organiser.id,
        ProviderApproval.status == ApprovalStatus.approved,
    )
    return (
        select(Offer)
        .where(Offer.status == OfferStatus.published, col(Offer.provider_id).in_(approved))
        .order_by(col(Offer.id))
    )


def business_id(number: int) -> str:
    """A valid Y-tunnus near `number` (skips numbers whose remainder is 1)."""
    while True:
        digits = f"{number:07d}"
        weights = (7, 9, 10, 5, 8, 4, 2)
        remainder = sum(int(d) * w for d, w in zip(digits, weights, strict=True)) % 11
        if remainder != 1:
            return f"{digits}-{0 if remainder == 0 else 11 - remainder}"
        number += 1


def load_catalogue(session: Session) -> None:
    organiser = session.exec(select(Organiser).where(Organiser.code == "jarvimaa")).first()
    if organiser is None or organiser.id is None:
        return
    if session.exec(select(Provider).where(Provider.business_id == business_id(3100001))).first():
        _personas(session)
        return
    rng = random.Random(4)
    categories = {
        c.slug: c.id or 0
        for c in session.exec(select(Category).where(Category.organiser_id == organiser.id))
    }
    number = 3100001
    for index in range(PROVIDER_COUNT):
        bid = business_id(number)
        number = int(bid[:7]) + 1
        areas = sorted(rng.sample(AREAS, rng.randint(1, 4)))
        provider = _provider(session, index, bid, areas)
        assert provider.id is not None
        approval = listings.apply_for_approval(session, provider.id, organiser.id)
        if index not in PENDING:
            checklist = dict.fromkeys(listings.CHECKLIST, True)
            listings.decide(session, None, approval, ApprovalStatus.approved, checklist=checklist)
        _offers(session, rng, index, provider.id, areas, categories)
        if index == SUSPENDED:
            listings.decide(
                session, None, approval, ApprovalStatus.suspended, reason="Vakuutus puuttuu."
            )
    _synonyms(session, organiser.id, categories)
    session.flush()
    _personas(session)


# The organiser's own synonym groups for its demo categories (beside the built-in ones).
SYNONYMS: dict[str, list[tuple[list[str], list[str]]]] = {
    "therapy": [(["musiikkiterapia", "musiikki", "laulu"], ["musikterapi", "musik", "sång"])],
    "day-activities": [
        (["päivätoiminta", "päiväkeskus", "kerho"], ["dagverksamhet", "dagcenter", "klubb"])
    ],
    "housing-support": [
        (["asumisohjaus", "asumistuki", "tukiasuminen"], ["boendehandledning", "boendestöd"])
    ],
    "respite": [
        (
            ["intervallihoito", "vuorohoito", "lomitus"],
            ["korttidsvård", "intervallvård", "avlösning"],
        )
    ],
    "leisure": [(["liikunta", "jumppa", "kuntoilu"], ["motion", "gymnastik", "träning"])],
}


def _synonyms(session: Session, organiser_id: int, categories: dict[str, int]) -> None:
    for slug, groups in SYNONYMS.items():
        for fi, sv in groups:
            session.add(
                SearchSynonym(
                    organiser_id=organiser_id,
                    category_id=categories.get(slug),
                    words_fi=fi,
                    words_sv=sv,
                )
            )


def _swedish(index: int) -> bool:
    return index % 3 == 0  # every third provider serves in Swedish too


def _provider(session: Session, index: int, bid: str, areas: list[str]) -> Provider:
    """The index-th demo provider."""
    name = f"{PREFIXES[index % len(PREFIXES)]} {SUFFIXES[index % len(SUFFIXES)]}"
    if index >= len(PREFIXES):
        name = f"{PREFIXES[index % len(PREFIXES)]}n {SUFFIXES[(index + 1) % len(SUFFIXES)]}"
    swedish = _swedish(index)
    return listings.save_provider(
        session,
        None,
        listings.ProviderInput(
            name=name,
            business_id=bid,
            contact_email=f"info@{name.split()[0].lower()}{index}.example",
            soteri_number=f"SOTERI-{1000 + index}",
            description={"fi": f"{name} tuottaa sosiaali- ja terveyspalveluja."}
            | ({"sv": f"{name} erbjuder social- och hälsovårdstjänster."} if swedish else {}),
            languages=["fi", "sv"] if swedish else ["fi"],
            areas=areas,
            accessibility={"fi": "Esteetön sisäänkäynti."} if index % 2 else {},
            iban=_demo_iban(index),
            bic="NDEAFIHH",
        ),
    )


def _demo_iban(index: int) -> str:
    """A made-up Finnish account number with valid check digits, one per demo provider."""
    bban = f"12345600{index:06d}"
    return "FI" + iban.calc_check_digits("FI00" + bban) + bban


def _offers(
    session: Session,
    rng: random.Random,
    index: int,
    provider_id: int,
    areas: list[str],
    categories: dict[str, int],
) -> None:
    """Three published offers in three categories (the first 30 providers add a draft)."""
    slugs = list(TEMPLATES)
    swedish = _swedish(index)
    for offer_no in range(4 if index < 30 else 3):
        slug = slugs[(index + offer_no * 3) % len(slugs)]
        fi, sv, unit, low, high, desc = rng.choice(TEMPLATES[slug])
        price = rng.randint(low, high) * 100 + rng.choice([0, 0, 50, 90])
        listings.save_offer(
            session,
            None,
            provider_id,
            listings.OfferInput(
                title={"fi": fi} | ({"sv": sv} if sv and swedish else {}),
                description={"fi": desc} | ({"sv": SV_DESCRIPTION} if swedish else {}),
                category_id=categories[slug],
                unit=unit,
                unit_price_cents=price,
                delivery_modes=rng.sample(["home", "provider", "remote"], rng.randint(1, 2)),
                languages=["fi", "sv"] if swedish else ["fi"],
                areas=areas,
                status=OfferStatus.published if offer_no < 3 else OfferStatus.draft,
            ),
        )


def _personas(session: Session) -> None:
    provider = session.exec(
        select(Provider).where(Provider.business_id == business_id(3100001))
    ).one()
    for key, name, role in PERSONAS:
        user = session.exec(select(User).where(User.dev_persona == key)).first()
        if user is not None:
            continue
        user = User(
            display_name=name, email=f"{key}@demo.jarvimaa.example", locale="fi", dev_persona=key
        )
        session.add(user)
        session.flush()
        session.add(Membership(user_id=user.id, role=role, provider_id=provider.id))
    session.flush()
