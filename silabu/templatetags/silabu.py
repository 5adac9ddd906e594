"""Template helpers shared by every app: the policy, Indonesian dates, small formatting."""

from django import template

from silabu import policy
from silabu.lib import dates, formatting, periods

register = template.Library()


@register.simple_tag(takes_context=True)
def can(context, permission: str, obj=None) -> bool:
    """{% can "edit_entri" entri as allowed %}: asks the policy module, as the views do."""
    check = policy.PERMISSIONS[permission]
    user = context["request"].user
    return check(user, obj) if obj is not None else check(user)


@register.filter
def tanggal(value, fmt: str = "") -> str:
    return dates.format_tanggal(value, with_day=(fmt == "hari"))


@register.filter
def waktu(value) -> str:
    return dates.format_waktu(value)


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
