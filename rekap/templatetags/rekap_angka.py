"""{% label "kegiatan" %}: what a figure of a month counts, as rekap.angka words it (the one place)."""

from django import template

from .. import angka

register = template.Library()


@register.simple_tag
def label(name: str) -> str:
    return angka.label(name)
