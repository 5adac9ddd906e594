"""Domain errors. Services raise them with a message fit to show the user; views turn them into messages."""


class DomainError(Exception):
    """A rule of the SOP or of the data refused the action. `str(error)` is the Indonesian message."""


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
