"""CSRF checks read every body a client can send: multipart (python-multipart's current
API), undecodable urlencoded bytes, non-ASCII header tokens. Each is refused or passed, never
a 500 (app/csrf.py)."""

from __future__ import annotations

from fastapi.testclient import TestClient

from tests.support.web import csrf_token


def test_multipart_post_with_a_cookie_is_checked_not_crashed(
    lenient: TestClient, demo: None
) -> None:
    token = csrf_token(lenient)
    ok = lenient.post(
        "/login/dev",
        data={"csrftoken": token, "persona": "client", "next": "/"},
        files={"attachment": ("a.txt", b"x")},
    )
    assert ok.status_code == 303
    forged = lenient.post(
        "/logout", data={"csrftoken": "forged"}, files={"attachment": ("a.txt", b"x")}
    )
    assert forged.status_code == 403
    file_first = lenient.post(
        "/logout",
        files=[("attachment", ("a.txt", b"x", "text/plain")), ("csrftoken", (None, token))],
    )
    assert file_first.status_code == 403
    no_boundary = lenient.post(
        "/logout", content=b"x", headers={"content-type": "multipart/form-data"}
    )
    assert no_boundary.status_code == 400


def test_undecodable_form_body_is_refused_not_crashed(lenient: TestClient, demo: None) -> None:
    csrf_token(lenient)
    answer = lenient.post(
        "/logout",
        content=b"csrftoken=\xff\xfe&x=1",
        headers={"content-type": "application/x-www-form-urlencoded"},
    )
    assert answer.status_code == 403


def test_non_ascii_csrf_header_is_refused_not_crashed(lenient: TestClient, demo: None) -> None:
    csrf_token(lenient)
    answer = lenient.post("/logout", headers={"x-csrftoken": "ä".encode("latin-1")})  # type: ignore[dict-item]
    assert answer.status_code == 403
