"""Template helpers shared by every app: the policy, Indonesian dates, small formatting."""

import datetime

from django import template
from django.utils import timezone

from silabu import policy
from silabu.lib import dates, formatting, periods

register = template.Library()


@register.simple_tag(takes_context=True)
def can(context, permission: str, obj=None) -> bool:
    """{% can "edit_entri" entri as allowed %}: asks the policy module, as the views do."""
    check = policy.PERMISSIONS[permission]
    user = context["request"].user
    return check(user, obj) if obj is not None else check(user)


def _local(value):
    """An aware moment as the wall clock of the zone this request runs in (PegawaiMiddleware activates the
    signed-in person's satker zone); dates and naive values pass unchanged."""
    if isinstance(value, datetime.datetime) and timezone.is_aware(value):
        return timezone.localtime(value)
    return value


@register.filter
def tanggal(value, fmt: str = "") -> str:
    """A date, or the date of a moment in the request's zone: 4 Desember 2026 (fmt "hari": Jumat, 4 ...)."""
    return dates.format_tanggal(_local(value), with_day=(fmt == "hari"))


@register.filter
def waktu(value, zone=None) -> str:
    """Every moment a page shows: {{ entri.dibuat|waktu }} -> "4 Desember 2026 00:30 WITA".

    In the zone of `zone` (a satker, a ZoneInfo or a zone name) or, without it, the zone the request runs in,
    which PegawaiMiddleware sets to the signed-in person's satker. Always labelled (WIB/WITA/WIT). The only
    way templates write a moment: tests/test_waktu.py refuses Django's |date, |time and |timezone there.
    """
    if not value:
        return ""
    return dates.format_waktu_zona(value, zone if zone else timezone.get_current_timezone())


@register.filter
def jam(value) -> str:
    """A time of day as entered (an entry's 08:00–10:30, a meeting's start): HH:MM, in no zone of its own."""
    if not value:
        return ""
    return f"{_local(value):%H:%M}"


@register.filter
def bulan(value: int) -> str:
    return dates.nama_bulan(int(value))


@register.simple_tag
def label_bulan(year: int, month: int, stage: str = "") -> str:
    """{% label_bulan year month tahap_label %}: "September 2026 (Final)", as every message and document names it."""
    return periods.month_label(int(year), int(month), stage or None)


@register.filter
def angka(value) -> str:
    """Volumes: 2 rather than 2.00, 1,5 (Indonesian decimal comma) rather than 1.50."""
    return formatting.format_number(value)


@register.filter
def ukuran(value: int) -> str:
    return formatting.format_size(value)


@register.simple_tag
def audit_url(obj) -> str:
    """{% audit_url obj %}: the page of this object's audit history."""
    from django.urls import reverse

    meta = obj._meta
    return reverse("kinerja:audit_object", args=[meta.app_label, meta.model_name, obj.pk])
