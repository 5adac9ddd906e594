from django.contrib.auth import get_user_model
from django.contrib.auth.backends import ModelBackend

from .models import normalize_nip


class NipOrUsernameBackend(ModelBackend):
    """ASN sign in with their NIP (spaces allowed, as printed on documents); other accounts with a username."""

    def authenticate(self, request, username=None, password=None, **kwargs):
        if username is None or password is None:
            return None
        digits = normalize_nip(username)
        if len(digits) == 18 and digits.isdigit():
            user = get_user_model().objects.filter(pegawai__nip=digits).first()
            if user is not None:
                if user.check_password(password) and self.user_can_authenticate(user):
                    return user
                return None
        return super().authenticate(request, username=username, password=password, **kwargs)
