"""Domain errors. Services raise them with a message fit to show the user; views turn them into messages."""


class DomainError(Exception):
    """A rule of the SOP or of the data refused the action. `str(error)` is the Indonesian message; `field`, when
    set, names the form field it is about, so the view returns the form with the message beside that field."""

    field: str | None = None

    def __init__(self, *args, field: str | None = None):
        super().__init__(*args)
        if field is not None:
            self.field = field


def require_text(
    value: str | None, *, field: str, message: str, error: type[DomainError] = DomainError
) -> str:
    """A required note or reason, stripped; empty, it is refused with `message` beside `field` (the browser's
    `required` is only a hint: a form sent without JavaScript or by hand must meet the same rule)."""
    text = (value or "").strip()
    if not text:
        raise error(message, field=field)
    return text


class AksesDitolak(DomainError):
    """This person may not do this (their role, or whose object it is). Uncaught, it is the 403 page with its
    message (silabu.middleware.AksesDitolakMiddleware); never Python's built-in PermissionError."""


class PeriodeTerkunci(DomainError):
    """The month's stage does not allow this change."""


class EntriTidakDapatDiubah(DomainError):
    """The entry is approved, or otherwise frozen."""


class TanggalTidakValid(DomainError):
    """A date in the future, or otherwise outside what the rules allow."""


class KodeOutputDitolak(DomainError):
    """The entry's output code may not be chosen (level, year, subbagian, inactive). `field` names the form
    field the view puts the message beside."""

    field = "kode_output"


class BuktiDitolak(DomainError):
    """An evidence file was refused (kind, size, damage)."""


class ImporGagal(DomainError):
    """An import file had errors; nothing was saved. `errors` holds (row number, message) pairs."""

    def __init__(self, message: str, errors: list[tuple[int, str]] | None = None):
        super().__init__(message)
        self.errors = errors or []
