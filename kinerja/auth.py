from django.contrib.auth import get_user_model
from django.contrib.auth.backends import ModelBackend

from .models import normalize_nip


def nip_typed(username: str) -> str | None:
    """The NIP a sign-in name spells ("19850312 201001 1 003", dots, dashes), or None when it is no NIP."""
    digits = normalize_nip(username)
    return digits if len(digits) == 18 and digits.isdigit() else None


def login_key(username: str | None) -> str | None:
    """The one name a sign-in attempt counts against, however it was typed.

    An account with a NIP is keyed by that NIP, whether it was typed with spaces, dots or dashes, or the account's
    username was typed instead; so a guesser gets AXES_FAILURE_LIMIT tries per account, not per spelling, and a
    locked account stays locked under every spelling. Other names are keyed as typed (usernames are
    case-sensitive, as ModelBackend compares them).
    """
    if username is None:
        return None
    nip = nip_typed(username)
    if nip is not None:
        return nip
    nip = (
        get_user_model()
        .objects.filter(username=username, pegawai__nip__isnull=False)
        .values_list("pegawai__nip", flat=True)
        .first()
    )
    return nip or username


def axes_username(request, credentials) -> str | None:
    """AXES_USERNAME_CALLABLE: django-axes counts failures, locks and resets under login_key, not the raw input.

    credentials come from authenticate() (the sign-in form) or from axes itself ({"username": user.username} on a
    successful sign-in and in axes.utils.reset); without them, the posted form."""
    if credentials:
        username = credentials.get("username")
    else:
        username = getattr(request, "POST", {}).get("username")
    return login_key(username)


class NipOrUsernameBackend(ModelBackend):
    """ASN sign in with their NIP (spaces allowed, as printed on documents); other accounts with a username."""

    def authenticate(self, request, username=None, password=None, **kwargs):
        if username is None or password is None:
            return None
        digits = nip_typed(username)
        if digits is not None:
            user = get_user_model().objects.filter(pegawai__nip=digits).first()
            if user is not None:
                if user.check_password(password) and self.user_can_authenticate(user):
                    return user
                return None
        return super().authenticate(request, username=username, password=password, **kwargs)
