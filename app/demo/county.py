"""Demo data of the fictional Järvimaa wellbeing services county.

Every step is idempotent: it checks whether its data exists before adding it, so
`hebu demo` (and `make run`) can run any number of times. Later capabilities add steps.
"""

from __future__ import annotations

from collections.abc import Callable

from sqlmodel import Session, select

from app.demo.assessment import load_assessments
from app.demo.budget import load_budgets
from app.demo.catalogue import load_catalogue
from app.demo.cohort import load_demo_cohort
from app.demo.identity import load_mandates
from app.demo.impact import load_impact_model
from app.demo.market import load_market
from app.demo.ratings import load_ratings
from app.demo.teaming import load_teaming
from app.models.organiser import Category, Municipality, Organiser, OrganiserMunicipality
from app.models.user import Membership, Role, User
from app.services.catalogue.municipalities import load_municipalities

ORGANISER_CODE = "jarvimaa"

# Real municipality codes (Statistics Finland) for the fictional county's area.
MUNICIPALITIES: list[tuple[str, str, str]] = [
    ("179", "Jyväskylä", "Jyväskylä"),
    ("182", "Jämsä", "Jämsä"),
    ("249", "Keuruu", "Keuruu"),
    ("410", "Laukaa", "Laukas"),
    ("500", "Muurame", "Muurame"),
    ("729", "Saarijärvi", "Saarijärvi"),
    ("992", "Äänekoski", "Äänekoski"),
]

CATEGORIES: list[tuple[str, str, str, str]] = [
    ("home-help", "Kotipalvelu", "Hemservice", "Home help"),
    ("personal-assistance", "Henkilökohtainen apu", "Personlig assistans", "Personal assistance"),
    ("therapy", "Terapiat", "Terapier", "Therapy"),
    ("day-activities", "Päivä- ja työtoiminta", "Dag- och arbetsverksamhet", "Day activities"),
    ("housing-support", "Asumisen tuki", "Boendestöd", "Housing support"),
    ("transport", "Kuljetus ja liikkuminen", "Färdtjänst och mobilitet", "Transport"),
    ("leisure", "Vapaa-aika ja osallisuus", "Fritid och delaktighet", "Leisure and participation"),
    (
        "respite",
        "Omaishoitajan vapaa",
        "Avlösning för närståendevårdare",
        "Respite for family carers",
    ),
    ("peer-support", "Vertaistuki", "Kamratstöd", "Peer support"),
    ("aids", "Apuvälineet", "Hjälpmedel", "Aids and equipment"),
]

# persona key, display name, preferred locale, role, client group
PERSONAS: list[tuple[str, str, str, Role, str | None]] = [
    ("case-worker", "Sari Mäkinen", "fi", Role.case_worker, None),
    ("admin", "Pekka Nieminen", "fi", Role.admin, None),
    ("client", "Aino Virtanen", "fi", Role.client, "disability"),
    ("client-sv", "Erik Lindqvist", "sv", Role.client, "family-carer"),
    ("assistant", "Mikko Korhonen", "fi", Role.assistant, None),
]


def _organiser(session: Session) -> Organiser:
    organiser = session.exec(select(Organiser).where(Organiser.code == ORGANISER_CODE)).first()
    if organiser is None:
        organiser = Organiser(
            code=ORGANISER_CODE,
            name={
                "fi": "Järvimaan hyvinvointialue",
                "sv": "Järvimaa välfärdsområde",
                "en": "Järvimaa wellbeing services county",
            },
            allows_own_share=True,
            iban="FI2112345600000785",  # a made-up account with valid check digits
            bic="NDEAFIHH",
        )
        session.add(organiser)
        session.flush()
    return organiser


def load_area(session: Session) -> None:
    organiser = _organiser(session)
    for code, fi, sv in MUNICIPALITIES:
        if session.get(Municipality, code) is None:
            session.add(Municipality(code=code, name_fi=fi, name_sv=sv))
    session.flush()
    for code, _fi, _sv in MUNICIPALITIES:
        if session.get(OrganiserMunicipality, (organiser.id, code)) is None:
            session.add(OrganiserMunicipality(organiser_id=organiser.id, municipality_code=code))
    for position, (slug, fi, sv, en) in enumerate(CATEGORIES):
        exists = session.exec(
            select(Category).where(Category.organiser_id == organiser.id, Category.slug == slug)
        ).first()
        if exists is None:
            session.add(
                Category(
                    organiser_id=organiser.id,
                    slug=slug,
                    name={"fi": fi, "sv": sv, "en": en},
                    position=position,
                )
            )
    session.flush()


def load_personas(session: Session) -> None:
    organiser = _organiser(session)
    users: dict[str, User] = {}
    for key, name, locale, role, group in PERSONAS:
        user = session.exec(select(User).where(User.dev_persona == key)).first()
        if user is None:
            user = User(
                display_name=name,
                email=f"{key}@demo.jarvimaa.example",
                locale=locale,
                dev_persona=key,
            )
            session.add(user)
            session.flush()
            case_worker = users.get("case-worker")
            session.add(
                Membership(
                    user_id=user.id,
                    role=role,
                    organiser_id=organiser.id,
                    case_worker_id=case_worker.id if role is Role.client and case_worker else None,
                    municipality_code="179" if role is Role.client else None,
                    client_group=group,
                )
            )
        users[key] = user
    session.flush()


STEPS: list[Callable[[Session], None]] = [
    load_municipalities,
    load_area,
    load_personas,
    load_catalogue,
    load_mandates,
    load_assessments,
    load_budgets,
    load_ratings,
    load_demo_cohort,
    load_teaming,
    load_impact_model,
    load_market,
]


def load_demo(session: Session) -> None:
    for step in STEPS:
        step(session)
