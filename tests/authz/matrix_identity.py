"""Matrix cases for mandates, the access log and session routes.

setup() gives the assistant a live mandate (all scopes) from the client, and the assistant
role switches to acting for the client right after logging in.
"""

from datetime import timedelta

from fastapi.testclient import TestClient

from app.models.actor import MandateScope
from app.models.base import utcnow
from app.models.identity import ProviderInvitation
from app.models.mandate import Mandate
from app.services.identity.invitations import token_hash
from app.services.identity.mandates import today
from tests.authz.world import ROLES, Case, World
from tests.support.web import form_post

INVITATION_TOKEN = "matrix-invitation-token"  # noqa: S105 - test data


def only(statuses: dict[str, int], default: int = 403) -> dict[str, int]:
    expect = dict.fromkeys(ROLES, default) | {"anonymous": 303}
    return expect | statuses


def logged_in(status: int) -> dict[str, int]:
    return dict.fromkeys(ROLES, status) | {"anonymous": 303}


def _act_for_client(client: TestClient, world: World) -> None:
    response = form_post(client, f"/avustaja/toimi/{world.objects['mandate_id']}")
    assert response.status_code == 303, response.text


def setup(world: World) -> None:
    mandate = Mandate(
        client_user_id=world.users["client"].id,
        assistant_user_id=world.users["assistant"].id,
        scopes=[s.value for s in MandateScope],
        valid_until=today() + timedelta(days=30),
        created_by_id=world.users["client"].id,
    )
    world.session.add(mandate)
    world.session.flush()
    world.objects["mandate_id"] = mandate.id
    world.after_login["assistant"] = _act_for_client
    world.session.add(
        ProviderInvitation(
            provider_id=world.providers["own"].id,
            email="colleague@example.fi",
            token_hash=token_hash(INVITATION_TOKEN),
            invited_by_id=world.users["provider_member"].id,
            expires_at=utcnow() + timedelta(days=1),
        )
    )


def cases(world: World) -> list[Case]:
    mandate_id = world.objects["mandate_id"]
    client_id = world.users["client"].id
    new_mandate = {
        "assistant_id": world.users["assistant_no_mandate"].id,
        "scopes": ["view"],
        "valid_until": (today() + timedelta(days=10)).isoformat(),
    }
    nobody = dict.fromkeys(ROLES, 404)  # OIDC is not configured in the matrix world
    invite = {"provider_id": world.providers["own"].id, "email": "new@example.fi"}
    return [
        Case(
            "GET",
            "/tuottaja/kutsut",
            "/tuottaja/kutsut",
            only({"provider_member": 200, "other_provider_member": 200}),
        ),
        Case(
            "POST",
            "/tuottaja/kutsut",
            "/tuottaja/kutsut",
            only({"provider_member": 303, "other_provider_member": 404}),
            data=invite,
        ),
        Case("GET", "/kutsu", f"/kutsu?t={INVITATION_TOKEN}", dict.fromkeys(ROLES, 200)),
        # sent to colleague@example.fi: no persona of another address may use the link
        Case("POST", "/kutsu", "/kutsu", logged_in(403), data={"t": INVITATION_TOKEN}),
        Case("GET", "/dev/mail", "/dev/mail", nobody),  # development only
        Case("GET", "/auth/oidc/start", "/auth/oidc/start", nobody),
        Case("GET", "/auth/oidc/callback", "/auth/oidc/callback?code=x&state=y", nobody),
        Case(
            "GET",
            "/oma/valtuutukset",
            "/oma/valtuutukset",
            only({"client": 200, "other_client": 200, "assistant": 200}),
        ),
        Case(
            "POST",
            "/oma/valtuutukset",
            "/oma/valtuutukset",
            only({"client": 303, "other_client": 303}),
            data=new_mandate,
        ),
        Case(
            "POST",
            "/oma/valtuutukset/{mandate_id}/peru",
            f"/oma/valtuutukset/{mandate_id}/peru",
            only({"client": 303, "other_client": 404}),
        ),
        Case(
            "GET", "/oma/lokitiedot", "/oma/lokitiedot", only({"client": 200, "other_client": 200})
        ),
        Case(
            "GET",
            "/asiakkaat/{client_id}/valtuutukset",
            f"/asiakkaat/{client_id}/valtuutukset",
            only({"case_worker": 200, "other_case_worker": 404}),
        ),
        Case(
            "POST",
            "/asiakkaat/{client_id}/valtuutukset",
            f"/asiakkaat/{client_id}/valtuutukset",
            only({"case_worker": 303, "other_case_worker": 404}),
            data=new_mandate,
        ),
        Case(
            "GET", "/avustaja", "/avustaja", only({"assistant": 200, "assistant_no_mandate": 200})
        ),
        Case(
            "POST",
            "/avustaja/toimi/{mandate_id}",
            f"/avustaja/toimi/{mandate_id}",
            only({"assistant": 303, "assistant_no_mandate": 404}),
        ),
        Case(
            "POST",
            "/avustaja/lopeta",
            "/avustaja/lopeta",
            only({"assistant": 303, "assistant_no_mandate": 303}),
        ),
        Case(
            "GET",
            "/hallinto/lokitiedot",
            "/hallinto/lokitiedot?haku=1",
            only({"admin": 200, "other_admin": 200}),
        ),
        Case("POST", "/logout/everywhere", "/logout/everywhere", logged_in(303)),
        Case("POST", "/session/extend", "/session/extend", logged_in(303)),
    ]
