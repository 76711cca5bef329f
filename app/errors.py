"""Domain errors: what a user can understand went wrong, with the HTTP status it maps to.

Services raise these; they import no web code. `app.error_pages` turns them (and every other
exception) into an HTMX-aware page, toast or JSON answer.
"""

from __future__ import annotations

from typing import Any, ClassVar

from app.i18n import lazy_gettext


class AppError(Exception):
    """An error a user can understand; message is translated at render time.

    A subclass states its status and its message as class attributes, e.g.
    `class PlanLocked(Conflict): default_text = lazy_gettext("...")`.
    """

    status_code = 400
    default_text: ClassVar[Any] = lazy_gettext("Something went wrong with your request.")

    def __init__(self, message: Any = None, status_code: int | None = None, **params: Any) -> None:
        self.message = message if message is not None else self.default_message()
        if status_code is not None:
            self.status_code = status_code
        self.params = params
        super().__init__(str(self.message))

    def default_message(self) -> Any:
        return self.default_text

    def text(self) -> str:
        text = str(self.message)
        return text % self.params if self.params else text


class NotFound(AppError):
    status_code = 404
    default_text = lazy_gettext("The page or item was not found.")


class Forbidden(AppError):
    status_code = 403
    default_text = lazy_gettext("You do not have permission to do this.")


class Conflict(AppError):
    status_code = 409


class Invalid(AppError):
    """Input that the rules refuse (Unprocessable Content)."""

    status_code = 422
