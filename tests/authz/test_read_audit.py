"""Every page that shows a client's data to someone else leaves an audit row the client sees.

Walks every GET case of the authorization matrix (so every route: `test_matrix` fails on a
route without cases) for every non-client role that may open it: the assistant acting for
`client` under a mandate, the case worker, the organiser admin and the provider's member.
A page shows a client's data when it names the client (the acting banner aside), when its
path names the client (`{client_id}`), or, for the acting assistant, when it is a page of
the client's own area (`/oma/...`). For each client shown there must be a new audit row of
that reader about that client, with the reader's purpose (for the assistant: on the client's
behalf, purpose mandate), and afterwards each such row is on the client's own
`/oma/lokitiedot`. The client's own reads of the same pages log nothing, and the chain
(written in batches) still verifies.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path
from types import ModuleType

import pytest
from fastapi.testclient import TestClient
from sqlmodel import Session, col, select

from app.models.audit import AuditAction, AuditEvent, AuditPurpose
from app.services import audit
from tests.authz.test_matrix import Env, _login, matrix_modules
from tests.authz.world import Case, World

READERS = ["assistant", "case_worker", "admin", "provider_member"]
PURPOSE = {
    "assistant": AuditPurpose.mandate,
    "case_worker": AuditPurpose.care,
    "admin": AuditPurpose.admin,
    "provider_member": AuditPurpose.provider,
}
CLIENTS = ["client", "other_client"]

# Pages that show a client's data without naming the client: whose it is in the world (None:
# client data, but the matrix's case shows none of the two clients').
SHOWS: dict[tuple[str, str], str | None] = {
    ("GET", "/tyo/arvioinnit/{assessment_id}"): "client",  # the client's submitted assessment
    ("GET", "/hallinto/tilitys"): None,  # the matrix asks for a month without deliveries
    ("GET", "/hallinto/arviot"): None,  # the world's ratings are by raters outside it
}

# Pages a non-client may open that show no client's data, each with the reason. Public pages
# (open to anonymous visitors) need no entry. A page in neither list that names no client
# fails the test: a new page must say which it is.
AGGREGATE = "aggregate figures with small cells hidden (logged as one report event)"
NOT_CLIENT_DATA: dict[tuple[str, str], str] = {
    ("GET", "/login"): "the development login lists the demo personas by name (dev only)",
    ("GET", "/avustaja"): "the assistant's own mandates: who has given them one",
    ("GET", "/oma/tavoitteet/uusi"): "an empty form: nothing of the client is read",
    ("GET", "/hallinto/luokat"): "the organiser's service categories",
    ("GET", "/hallinto/hakusanat"): "the organiser's search synonym groups",
    ("GET", "/hallinto/hakusanat/{group_id}"): "one of the organiser's synonym groups",
    ("GET", "/hallinto/raportit/vaikutusmalli"): "the organiser's impact model (no client data)",
    ("GET", "/hallinto/raportit/vaikutusmalli/{item_id}"): "one item of the impact model",
    ("GET", "/hallinto/tuottajat"): "provider applications",
    ("GET", "/hallinto/tuottajat/{approval_id}"): "a provider's application",
    ("GET", "/tuottaja/rekisteroidy"): "the provider registration form",
    ("GET", "/tuottaja/arviot"): "the public ratings of the provider's offers (what anyone sees)",
    ("GET", "/tuottaja"): "the provider's own home",
    ("GET", "/tuottaja/{provider_id}/palvelut/uusi"): "a new offer form",
    ("GET", "/tuottaja/palvelut/{offer_id}"): "the provider's own offer",
    ("GET", "/tuottaja/tiedot/{provider_id}"): "the provider's own details",
    ("GET", "/tuottaja/kutsut"): "the provider's invitations to its own staff",
    ("GET", "/hallinto/raportit"): AGGREGATE,
    ("GET", "/hallinto/raportit/indikaattorit"): AGGREGATE,
    ("GET", "/hallinto/raportit/indikaattorit.csv"): AGGREGATE,
    ("GET", "/hallinto/raportit/indikaattorit.xlsx"): AGGREGATE,
    ("GET", "/hallinto/raportit/vaikutukset"): AGGREGATE,
    ("GET", "/hallinto/raportit/tavoitteet"): AGGREGATE,
    ("GET", "/hallinto/raportit/kustannukset"): AGGREGATE,
    **{
        ("GET", f"/hallinto/raportit/{view}{fmt}"): AGGREGATE
        for view in ("tarve-ja-tarjonta", "hinta-ja-vaikutus", "talous")
        for fmt in ("", ".csv", ".xlsx")
    },
    ("GET", "/tuottaja/vaikutukset"): AGGREGATE,
    ("GET", "/hallinto/koe"): AGGREGATE,
    ("GET", "/hallinto/koe/vertailu"): AGGREGATE,
    ("GET", "/hallinto/koe/vertailu.csv"): AGGREGATE,
    ("GET", "/hallinto/koe/tutkimusaineisto.csv"): "pseudonymised research data (one export event)",
    ("GET", "/ilmoitukset"): "the reader's own notices; they name no client (the link leads to "
    "the page where the read is logged)",
    ("GET", "/ilmoitukset/asetukset"): "the reader's own channel choices",
    ("GET", "/hallinto/taustatyot"): "background jobs: names, times, errors",
    ("GET", "/hallinto/pankkitili"): "the organiser's own bank account",
    **{
        ("GET", path): "settlement: clients only by the keyed pseudonym (AS-…), no name"
        for path in (
            "/hallinto/tilitys.csv",
            "/hallinto/tilitys/{settlement_id}",
            "/hallinto/tilitys/{settlement_id}/rivit.csv",
            "/hallinto/tilitys/{settlement_id}/rivit.xlsx",
            "/tuottaja/tilitykset",
        )
    },
}

BANNER = re.compile(r'<div class="banner banner-acting".*?</div>\s*</div>', re.S)


@pytest.fixture
def env(sqlite_template: Path, tmp_path: Path) -> Iterator[Env]:
    environment = Env(sqlite_template, tmp_path)
    yield environment
    for engine in environment.engines:
        engine.dispose()


def shown_clients(world: World, role: str, case: Case, body: str) -> set[str]:
    """The clients whose data the page showed to `role`."""
    text, shown = BANNER.sub("", body), set()
    # Longest name first, cut out once found: "Client" is not found inside "Other Client".
    for c in sorted(CLIENTS, key=lambda c: -len(world.users[c].display_name)):
        pattern = re.compile(rf"(?<!\w){re.escape(world.users[c].display_name)}(?!\w)")
        if pattern.search(text):
            shown.add(c)
            text = pattern.sub("", text)
    for c in CLIENTS:
        if "{client_id}" in case.route and f"/{world.users[c].id}/" in case.url + "/":
            shown.add(c)
    if role == "assistant" and case.route.startswith("/oma"):
        shown.add("client")
    if SHOWS.get((case.method, case.route)):
        shown.add(SHOWS[case.method, case.route])  # type: ignore[arg-type]
    return shown


def _events_after(session: Session, last_id: int) -> list[AuditEvent]:
    """Read in a short transaction of its own (SQLite: the app's requests need the lock)."""
    with Session(session.get_bind()) as own:
        return list(own.exec(select(AuditEvent).where(col(AuditEvent.id) > last_id)).all())


def _last_id(session: Session) -> int:
    with Session(session.get_bind()) as own:
        return own.exec(select(AuditEvent.id).order_by(col(AuditEvent.id).desc())).first() or 0


def _open(client: TestClient, case: Case) -> str:
    response = client.get(case.url, headers={"HX-Request": "true"} if case.htmx else {})
    assert response.status_code == 200, case.url
    return response.text


def _walk(env: Env, module: ModuleType) -> tuple[list[str], int]:
    problems: list[str] = []
    client, world, session = env.fresh()
    seen: dict[str, list[AuditEvent]] = {c: [] for c in CLIENTS}
    checked = 0
    gets = [c for c in module.cases(world) if c.method == "GET"]
    for case in gets:
        for role in READERS:
            if case.expect[role] != 200 or (case.method, case.route) in NOT_CLIENT_DATA:
                continue
            _login(client, world, role)
            before = _last_id(session)
            body = _open(client, case)
            reader = world.users[role].id
            events = [e for e in _events_after(session, before) if e.actor_id == reader]
            clients = shown_clients(world, role, case, body)
            declared = (case.method, case.route) in SHOWS or case.expect["anonymous"] == 200
            if not clients and not declared:
                problems.append(
                    f"GET {case.route} as {role} names no client: add it to SHOWS (whose data"
                    " it shows) or NOT_CLIENT_DATA (why it shows none)"
                )
            for shown in sorted(clients):
                checked += 1
                subject = world.users[shown].id
                acting_for = subject if role == "assistant" else None
                about = [
                    e
                    for e in events
                    if e.subject_id == subject
                    and e.on_behalf_of_id == acting_for
                    and e.purpose == PURPOSE[role]
                ]
                if not about:
                    problems.append(f"GET {case.url} as {role}: no audit row about {shown}")
                seen[shown] += about
    for shown, events in seen.items():
        _login(client, world, shown)
        before = _last_id(session)
        for case in gets:  # the client's own reads are not logged
            if case.expect[shown] == 200:
                _open(client, case)
        own = [e for e in _events_after(session, before) if e.action == AuditAction.read]
        problems += [f"{shown}'s own read logged: {e.category}" for e in own]
        page = client.get("/oma/lokitiedot").text
        for event in events:
            if f'datetime="{event.occurred_at.isoformat()}"' not in page:
                problems.append(f"event {event.id} ({event.category}) not on {shown}'s log")
    with Session(session.get_bind()) as own_session:
        problems += [f"audit chain: {p.problem}" for p in audit.verify(own_session)]
    session.close()
    return problems, checked


@pytest.mark.parametrize("module", matrix_modules(), ids=lambda m: m.__name__.rsplit(".", 1)[-1])
def test_every_read_of_client_data_is_logged(env: Env, module: ModuleType) -> None:
    problems, checked = _walk(env, module)
    assert not problems, "\n".join(problems)
    assert checked or module.__name__.endswith(
        ("catalogue", "foundation", "notifications", "operations")
    )
