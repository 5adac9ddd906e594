"""Accounts: the temporary passwords an Admin hands out (new staff from an import, a reset) and the reset itself.
Signing in is kinerja.auth's."""

import secrets
from typing import NamedTuple

from axes.utils import reset as axes_reset
from django.db import transaction

from silabu import policy

from .auth import login_key
from .errors import DomainError
from .models import Pegawai
from .services import audit

READABLE = frozenset("abcdefghjkmnpqrstuvwxyzABCDEFGHJKLMNPQRSTUVWXYZ23456789")


class Kredensial(NamedTuple):
    nama: str
    username: str
    password: str


def temporary_password(groups: int = 3) -> str:
    """A one-time password to read out or write down: no look-alikes (0/O, 1/l/I); e.g. ab3K-x9Qm-T4hp."""
    chars: list[str] = []
    while len(chars) < 4 * groups:
        chars.extend(c for c in secrets.token_urlsafe(16) if c in READABLE)
    return "-".join("".join(chars[i * 4 : i * 4 + 4]) for i in range(groups))


def pegawai_reset_password(*, target: Pegawai, by: Pegawai) -> str:
    """An Admin gives a colleague a new temporary password (returned once); they must change it at sign-in.

    Changing the password also ends the target's open sessions, and a lockout from failed attempts is lifted.
    """
    if not policy.can_reset_password(by.user, target):
        raise DomainError("Anda tidak dapat mengatur ulang kata sandi pegawai ini.")
    password = temporary_password()
    with transaction.atomic():
        target = (
            Pegawai.objects.select_for_update(of=("self", "user")).select_related("user").get(pk=target.pk)
        )
        target.user.set_password(password)
        target.user.save(update_fields=["password"])
        target.wajib_ganti_sandi = True
        target.save(update_fields=["wajib_ganti_sandi"])
        audit(obj=target, actor=by.user, action="pegawai_reset_sandi", satker=target.satker)
        # the name the lockout counts under: the NIP, however it was typed
        key = login_key(target.user.get_username())
        transaction.on_commit(lambda: axes_reset(username=key))
    return password
