"""Errors raised by business services; their message is French and shown as is to users.

``status`` is the HTTP status the API answers with: 400 for bad input, 409 for an action the
current state does not allow (or a stale edit).
"""


class RuleViolation(Exception):
    status = 400

    def __init__(self, message: str, *, field: str | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.field = field


class Conflict(RuleViolation):
    status = 409
