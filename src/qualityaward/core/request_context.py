"""The current request's id, so audit records written deep in a service carry it."""

import contextvars
import uuid

_request_id: contextvars.ContextVar[str] = contextvars.ContextVar("request_id", default="")


def current_request_id() -> str:
    return _request_id.get()


def begin_request(request_id: str | None = None) -> contextvars.Token[str]:
    return _request_id.set(request_id or uuid.uuid4().hex)


def end_request(token: contextvars.Token[str]) -> None:
    _request_id.reset(token)
