"""One project error type. Services raise it with a translated message; views,
the API and commands show that message to the user."""

from django.utils.translation import gettext_lazy as _


class QualityAwardError(Exception):
    """A refusal the user can act on. `message` is shown as it is."""

    status_code = 400
    default_message = _("The request could not be carried out.")

    def __init__(self, message: object = None, *, code: str = "invalid") -> None:
        self.message = str(message if message is not None else self.default_message)
        self.code = code
        super().__init__(self.message)


class NotAllowed(QualityAwardError):
    status_code = 403
    default_message = _("You are not allowed to do this.")


class Conflict(QualityAwardError):
    """The object changed under the user (a concurrent change or a stale form)."""

    status_code = 409
    default_message = _("Someone else changed this in the meantime. Reload and try again.")
