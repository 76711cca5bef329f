"""The authorization matrix's world: one user per role, two organisers, two providers.

Areas add `tests/authz/matrix_<area>.py` modules with `setup(world)` (optional) and
`cases(world) -> list[Case]`; `test_matrix.py` runs every case for every role.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from fastapi.testclient import TestClient
from sqlmodel import Session

from app.models.organiser import Organiser
from app.models.provider import ApprovalStatus, Provider, ProviderApproval
from app.models.user import Membership, Role, User

ROLES = [
    "anonymous",
    "client",
    "other_client",
    "assistant",
    "assistant_no_mandate",
    "case_worker",
    "other_case_worker",
    "admin",
    "other_admin",
    "provider_member",
    "other_provider_member",
]


@dataclass
class Case:
    method: str
    route: str  # the FastAPI path template as declared, e.g. "/palvelut/{offer_id}"
    url: str  # the concrete URL requested
    expect: dict[str, int]  # role -> expected HTTP status; every role in ROLES
    data: dict[str, Any] | None = None  # form fields (the CSRF token is added)
    htmx: bool = False

    def __post_init__(self) -> None:
        missing = [r for r in ROLES if r not in self.expect]
        if missing:
            raise ValueError(f"{self.method} {self.url}: no expectation for {missing}")


@dataclass
class World:
    session: Session
    users: dict[str, User]
    organiser: Organiser
    other_organiser: Organiser
    providers: dict[str, Provider]
    objects: dict[str, Any] = field(default_factory=dict)
    # Called right after a role logs in (e.g. the assistant switches to acting for a client).
    after_login: dict[str, Callable[[TestClient, World], None]] = field(default_factory=dict)


def persona_key(role: str) -> str:
    return f"authz-{role.replace('_', '-')}"


def build_world(session: Session) -> World:
    organiser = Organiser(code="authz-a", name={"fi": "Alue A", "sv": "Område A"})
    other = Organiser(code="authz-b", name={"fi": "Alue B", "sv": "Område B"})
    session.add_all([organiser, other])
    session.flush()
    providers = {
        "own": Provider(name="Oma Tuottaja Oy", business_id="0000001-9"),
        "other": Provider(name="Toinen Tuottaja Oy", business_id="0000002-7"),
    }
    session.add_all(providers.values())
    session.flush()
    for provider in providers.values():
        session.add(
            ProviderApproval(
                provider_id=provider.id, organiser_id=organiser.id, status=ApprovalStatus.approved
            )
        )
    users: dict[str, User] = {}
    for role in ROLES[1:]:
        user = User(display_name=role.replace("_", " ").title(), dev_persona=persona_key(role))
        session.add(user)
        session.flush()
        users[role] = user
    spec: dict[str, tuple[Role, Organiser | None, Provider | None]] = {
        "client": (Role.client, organiser, None),
        "other_client": (Role.client, organiser, None),
        "assistant": (Role.assistant, organiser, None),
        "assistant_no_mandate": (Role.assistant, organiser, None),
        "case_worker": (Role.case_worker, organiser, None),
        "other_case_worker": (Role.case_worker, other, None),
        "admin": (Role.admin, organiser, None),
        "other_admin": (Role.admin, other, None),
        "provider_member": (Role.provider_owner, None, providers["own"]),
        "other_provider_member": (Role.provider_owner, None, providers["other"]),
    }
    for role, (member_role, org, provider) in spec.items():
        session.add(
            Membership(
                user_id=users[role].id,
                role=member_role,
                organiser_id=org.id if org else None,
                provider_id=provider.id if provider else None,
                case_worker_id=users["case_worker"].id if member_role is Role.client else None,
                municipality_code=None,
            )
        )
    session.flush()
    return World(
        session=session,
        users=users,
        organiser=organiser,
        other_organiser=other,
        providers=providers,
    )
