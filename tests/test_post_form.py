"""The shared form post: a domain error shown on the form leaves nothing written behind."""

from __future__ import annotations

from typing import Any

from fastapi.responses import Response
from pydantic import BaseModel
from sqlalchemy.engine import Engine
from sqlmodel import Session, select
from starlette.requests import Request

from app.errors import Invalid
from app.models.organiser import Organiser
from app.routes.responses import post_form


class NameForm(BaseModel):
    code: str


class Refused(Invalid):
    pass


def _request() -> Request:
    return Request({"type": "http", "method": "POST", "path": "/", "headers": []})


def _again(**shown: Any) -> Response:
    return Response(str(shown.get("errors")), status_code=422)


def test_a_refusal_after_a_write_rolls_the_write_back(engine: Engine) -> None:
    with Session(engine) as session:

        def act(form: NameForm) -> None:
            session.add(Organiser(code=form.code, name={"fi": "Kesken"}))
            session.flush()  # written, then the rules refuse the rest
            raise Refused("no")

        response = post_form(
            _request(),
            {"code": "half-done"},
            NameForm,
            act=act,
            then="/",
            again=_again,
            field_errors={Refused: "code"},
            session=session,
        )
        assert response.status_code == 422 and "code" in response.body.decode()
        session.commit()  # the request's unit of work commits the page it answered with
    with Session(engine) as check:
        assert check.exec(select(Organiser).where(Organiser.code == "half-done")).first() is None


def test_a_successful_act_is_kept(engine: Engine) -> None:
    with Session(engine) as session:
        response = post_form(
            _request(),
            {"code": "done-ok"},
            NameForm,
            act=lambda form: session.add(Organiser(code=form.code, name={"fi": "Valmis"})),
            then="/valmis",
            again=_again,
            field_errors={Refused: "code"},
            session=session,
        )
        assert response.status_code == 303 and response.headers["location"] == "/valmis"
        session.commit()
    with Session(engine) as check:
        assert check.exec(select(Organiser).where(Organiser.code == "done-ok")).first()
