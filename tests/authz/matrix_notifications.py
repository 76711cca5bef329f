"""Matrix cases for the inbox and notification settings: every logged-in role has its own;
a notification is marked read only by its owner (anyone else: not found)."""

from app.models.notification import Notification
from tests.authz.world import ROLES, Case, World


def logged_in(status: int) -> dict[str, int]:
    return dict.fromkeys(ROLES, status) | {"anonymous": 303}


def setup(world: World) -> None:
    note = Notification(
        user_id=world.users["client"].id,  # type: ignore[arg-type]
        kind="frame_set",
        dedup_key="matrix:frame",
        link="/oma/budjetti",
    )
    world.session.add(note)
    world.session.flush()
    world.objects["notification_id"] = note.id


def cases(world: World) -> list[Case]:
    note_id = world.objects["notification_id"]
    own_only = logged_in(404) | {"client": 303}
    return [
        Case("GET", "/ilmoitukset", "/ilmoitukset", logged_in(200)),
        Case("GET", "/ilmoitukset", "/ilmoitukset?laji=frame_set", logged_in(200)),
        Case("POST", "/ilmoitukset/luettu", "/ilmoitukset/luettu", logged_in(303)),
        Case(
            "POST",
            "/ilmoitukset/{notification_id}/luettu",
            f"/ilmoitukset/{note_id}/luettu",
            own_only,
        ),
        Case("GET", "/ilmoitukset/asetukset", "/ilmoitukset/asetukset", logged_in(200)),
        Case(
            "POST",
            "/ilmoitukset/asetukset",
            "/ilmoitukset/asetukset",
            logged_in(303),
            data={"email_frame_set": "on"},
        ),
    ]
