"""Verification's domain error, apart from its services so that its policy can raise it too."""

from kinerja.errors import DomainError


class VerifikasiDitolak(DomainError):
    """The verification step is not allowed now, or not for this person."""
