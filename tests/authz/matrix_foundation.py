"""Matrix cases for the public shell and the login routes."""

from tests.authz.world import ROLES, Case, World


def everyone(status: int) -> dict[str, int]:
    return dict.fromkeys(ROLES, status)


def cases(world: World) -> list[Case]:
    return [
        Case("GET", "/", "/", everyone(200)),
        Case("GET", "/saavutettavuus", "/saavutettavuus", everyone(200)),
        Case("GET", "/tietosuoja", "/tietosuoja", everyone(200)),
        Case("GET", "/lang/{locale}", "/lang/sv?next=/", everyone(303)),
        Case("GET", "/healthz", "/healthz", everyone(200)),
        Case("GET", "/readyz", "/readyz", everyone(200)),
        Case("GET", "/login", "/login", everyone(200)),
        Case("POST", "/logout", "/logout", everyone(303)),
        Case(
            "POST",
            "/login/dev",
            "/login/dev",
            everyone(303) | {"anonymous": 303},
            data={"persona": "authz-client", "next": "/"},
        ),
    ]
