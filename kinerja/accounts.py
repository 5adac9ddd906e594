"""Accounts: the temporary passwords an Admin hands out (new staff from an import, a reset) and the reset itself.
Signing in is kinerja.auth's."""

import secrets
from typing import NamedTuple

from axes.utils import reset as axes_reset
from django.db import models, transaction

from silabu import policy

from .audit import MASKED, diff, snapshot
from .auth import login_key
from .errors import DomainError
from .models import Pegawai, normalize_nip
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
        was = {**snapshot(target.user, ["password"]), **snapshot(target, ["wajib_ganti_sandi"])}
        target.user.set_password(password)
        target.user.save(update_fields=["password"])
        target.wajib_ganti_sandi = True
        target.save(update_fields=["wajib_ganti_sandi"])
        now = {**snapshot(target.user, ["password"]), **snapshot(target, ["wajib_ganti_sandi"])}
        audit(
            obj=target,
            actor=by.user,
            action="pegawai_reset_sandi",
            satker=target.satker,
            perubahan=diff(was, now, ["password", "wajib_ganti_sandi"], secret=["password"]),
        )
        # the name the lockout counts under: the NIP, however it was typed
        key = login_key(target.user.get_username())
        transaction.on_commit(lambda: axes_reset(username=key))
    return password


# --- accounts, groups and lockouts in the Django admin -----------------------------------------------------

# What only a superuser grants: the way into the admin and every permission in it.
PRIVILEGE_FIELDS = frozenset({"is_staff", "is_superuser", "groups", "user_permissions"})


def _satker_of(user):
    pegawai = Pegawai.objects.filter(user=user).select_related("satker").first()
    return pegawai.satker if pegawai is not None else None


def _satker_of_username(username: str):
    """The satker of the person a sign-in name is theirs (a NIP as typed, or an account's username)."""
    digits = normalize_nip(username or "")
    pegawai = (
        Pegawai.objects.filter(models.Q(nip=digits) | models.Q(user__username=username))
        .select_related("satker")
        .first()
    )
    return pegawai.satker if pegawai is not None else None


def _own_fields(obj) -> list[str]:
    return [f.name for f in obj._meta.concrete_fields if not f.primary_key]


def _m2m_changes(before, m2m: dict | None) -> dict:
    """{name: [old ids, new ids]} of the many-to-many fields a form changes (saved after the row itself)."""
    changes = {}
    for name, related in (m2m or {}).items():
        old = sorted(getattr(before, name).values_list("pk", flat=True)) if before is not None else []
        new = sorted(r.pk for r in related)
        if old != new:
            changes[name] = [old, new]
    return changes


def akun_save(*, account, changed: list[str], created: bool, by, m2m: dict | None = None) -> None:
    """Save a sign-in account as the admin's form built it (a new one, or changed fields, its password hashed
    by the form), audited with the fields that changed, old and new (the password only as changed); `m2m` holds
    the form's new groups and permissions (saved by the form after this). Only a superuser grants admin access
    or permissions: a satker's staff account cannot raise itself or anyone."""
    if not by.is_superuser and PRIVILEGE_FIELDS & set(changed):
        raise DomainError("Hanya superuser yang mengubah hak akses admin.")
    check_may_change_account(account=account, by=by)
    with transaction.atomic():
        before = None if created else type(account).objects.filter(pk=account.pk).first()
        account.save()
        fields = _own_fields(account)
        if not created:
            fields = [name for name in fields if name in changed]
        perubahan = {
            **diff(before, account, fields, secret=["password"]),
            **_m2m_changes(before, {k: v for k, v in (m2m or {}).items() if k in changed}),
        }
        audit(
            obj=account,
            actor=by,
            action="akun_tambah" if created else "akun_ubah",
            catatan=account.username,
            satker=_satker_of(account),
            perubahan=perubahan,
        )


def check_may_change_account(*, account, by) -> None:
    """A superuser's account is changed by superusers only (a staff account cannot take it over)."""
    if account.pk is None or by.is_superuser:
        return
    if type(account).objects.filter(pk=account.pk, is_superuser=True).exists():
        raise DomainError("Akun superuser hanya dapat diubah oleh superuser.")


def akun_set_password(*, account, by) -> None:
    """A password the admin's form has just set (the form saved it inside this transaction): audited, the
    password shown only as changed."""
    audit(
        obj=account,
        actor=by,
        action="akun_ganti_sandi_admin",
        catatan=account.username,
        satker=_satker_of(account),
        perubahan={"password": [MASKED, MASKED]},
    )


# what an audit row keeps of a deleted account
ACCOUNT_FIELDS = ("username", "first_name", "last_name", "email", "is_active", "is_staff", "is_superuser")


def akun_delete(*, account, by) -> None:
    """Only an account with no Pegawai: a person's account goes with their entries and documents, so a person
    is deactivated instead. (Such an account belongs to no satker: its audit row has none.)"""
    with transaction.atomic():
        if Pegawai.objects.filter(user=account).exists():
            raise DomainError(f"Akun {account.username} milik seorang pegawai; nonaktifkan pegawainya saja.")
        audit(
            obj=account,
            actor=by,
            action="akun_hapus",
            catatan=account.username,
            perubahan=diff(account, None, ACCOUNT_FIELDS),
        )
        account.delete()


def grup_save(*, group, changed: list[str], created: bool, by, m2m: dict | None = None) -> None:
    """A group of admin permissions (a superuser's work, of no satker), audited with its name and the
    permissions it gained or lost (`m2m`: the form's new permissions, saved by the form after this)."""
    if not by.is_superuser:
        raise DomainError("Hanya superuser yang mengubah kelompok hak akses.")
    with transaction.atomic():
        before = None if created else type(group).objects.filter(pk=group.pk).first()
        group.save()
        audit(
            obj=group,
            actor=by,
            action="grup_tambah" if created else "grup_ubah",
            catatan=group.name,
            perubahan={
                **diff(before, group, ["name"]),
                **_m2m_changes(before, {k: v for k, v in (m2m or {}).items() if created or k in changed}),
            },
        )


def grup_delete(*, group, by) -> None:
    if not by.is_superuser:
        raise DomainError("Hanya superuser yang mengubah kelompok hak akses.")
    with transaction.atomic():
        audit(
            obj=group,
            actor=by,
            action="grup_hapus",
            catatan=group.name,
            perubahan={
                "name": [group.name, None],
                "permissions": [sorted(group.permissions.values_list("pk", flat=True)), None],
            },
        )
        group.delete()


def akses_unlock(*, attempt, by) -> None:
    """Lift a sign-in lockout (django-axes' AccessAttempt) before it expires: audited, under the satker of the
    person whose sign-in name it is."""
    with transaction.atomic():
        audit(
            obj=attempt,
            actor=by,
            action="akses_buka_kunci",
            catatan=f"{attempt.username} dari {attempt.ip_address}: {attempt.failures_since_start} kali gagal",
            satker=_satker_of_username(attempt.username),
            perubahan=diff(attempt, None, ["username", "ip_address", "failures_since_start"]),
        )
        attempt.delete()
