"""Matrix cases for operations: the background jobs page and "run now" are the organiser
admins' (any organiser's: the jobs are the whole service's); an unknown job is not found."""

from __future__ import annotations

from tests.authz.matrix_budget import only
from tests.authz.world import Case, World


def cases(world: World) -> list[Case]:
    base = "/hallinto/taustatyot"
    admins = {"admin": 200, "other_admin": 200}
    return [
        Case("GET", base, base, only(admins)),
        Case(
            "POST",
            base + "/{name}/aja",
            base + "/session_cleanup/aja",
            only({"admin": 303, "other_admin": 303}),
        ),
        Case(
            "POST",
            base + "/{name}/aja",
            base + "/no_such_job/aja",
            only({"admin": 404, "other_admin": 404}),
        ),
    ]
