from collections.abc import Iterator

import pytest
from fastapi.testclient import TestClient
from sqlmodel import Session, select

from app.models.mandate import Mandate
from app.models.user import User


@pytest.fixture
def second_client(app) -> Iterator[TestClient]:  # noqa: ANN001
    with TestClient(app, base_url="http://testserver", follow_redirects=False) as c:
        yield c


def persona(session: Session, key: str) -> User:
    user = session.exec(select(User).where(User.dev_persona == key)).one()
    return user


def mandate_between(session: Session, client_key: str, assistant_key: str) -> Mandate:
    client, assistant = persona(session, client_key), persona(session, assistant_key)
    return session.exec(
        select(Mandate).where(
            Mandate.client_user_id == client.id, Mandate.assistant_user_id == assistant.id
        )
    ).one()
