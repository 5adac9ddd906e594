"""The satker's audit log as an inspector reads it: filtered, paged, and exported as XLSX.

One queryset (`log_rows`) serves the page, the per-object history and the export; the export is a row generator
(`export_rows`) that silabu.lib.xlsx renders. Times read in the satker's zone, with its label.
"""

import datetime
from dataclasses import dataclass

from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import FieldDoesNotExist
from django.db.models import QuerySet

from silabu.lib.dates import format_tanggal, format_waktu_zona
from silabu.lib.xlsx import Sheet, bold, workbook_bytes

from .models import AuditLog, Pegawai, Satker

HEADER = ["Waktu", "Pelaku", "Aksi", "Jenis objek", "ID objek", "Dari", "Ke", "Perubahan", "Catatan"]
WIDTHS = [26, 28, 32, 22, 10, 16, 16, 60, 40]


@dataclass(frozen=True)
class AuditFilter:
    """What the Sekretaris or Admin narrows the log to; every part optional."""

    dari: datetime.date | None = None
    sampai: datetime.date | None = None
    pelaku: int | None = None  # a Pegawai of the satker
    aksi: str = ""
    jenis: int | None = None  # a ContentType

    def describe(self, satker: Satker) -> str:
        parts = []
        if self.dari or self.sampai:
            parts.append(f"{format_tanggal(self.dari) or '…'} s.d. {format_tanggal(self.sampai) or '…'}")
        if self.aksi:
            parts.append(AuditLog(action=self.aksi).action_label)
        return "; ".join(parts) or "semua"


def _local_start(satker: Satker, day: datetime.date) -> datetime.datetime:
    return datetime.datetime.combine(day, datetime.time.min, tzinfo=satker.tz)


def log_rows(satker: Satker, filters: AuditFilter = AuditFilter()) -> QuerySet[AuditLog]:
    """The satker's audit rows, newest first, narrowed by `filters` (days are the satker's local days)."""
    qs = AuditLog.objects.filter(satker=satker).select_related("actor__pegawai", "content_type")
    if filters.dari:
        qs = qs.filter(waktu__gte=_local_start(satker, filters.dari))
    if filters.sampai:
        qs = qs.filter(waktu__lt=_local_start(satker, filters.sampai + datetime.timedelta(days=1)))
    if filters.pelaku:
        qs = qs.filter(actor__pegawai__pk=filters.pelaku)
    if filters.aksi:
        qs = qs.filter(action=filters.aksi)
    if filters.jenis:
        qs = qs.filter(content_type_id=filters.jenis)
    return qs.order_by("-waktu", "-id")


def object_rows(satker: Satker, content_type: ContentType, object_id: int) -> QuerySet[AuditLog]:
    """One object's history within the satker, oldest first (a story reads forwards)."""
    return (
        AuditLog.objects.filter(satker=satker, content_type=content_type, object_id=object_id)
        .select_related("actor__pegawai", "content_type")
        .order_by("waktu", "id")
    )


def actor_name(row: AuditLog) -> str:
    if row.actor is None:
        return "Sistem"
    pegawai = getattr(row.actor, "pegawai", None)
    return pegawai.nama if pegawai is not None else row.actor.get_username()


def object_label(content_type: ContentType) -> str:
    model = content_type.model_class()
    return str(model._meta.verbose_name).capitalize() if model is not None else content_type.model


def _value(value) -> str:
    if value is None or value == "":
        return "—"
    if isinstance(value, list):
        return ", ".join(str(v) for v in value)
    return str(value)


def _field(model, name: str):
    try:
        return model._meta.get_field(name) if model is not None else None
    except FieldDoesNotExist:
        return None


def _shown(field, value) -> str:
    """A stored value as people read it: a choice by its label (a stage "COMPILED" reads "Dihimpun")."""
    choices = dict(field.flatchoices) if field is not None and field.choices else {}
    return _value(choices.get(value, value) if not isinstance(value, list) else value)


# the field of an object whose move an audit row's dari → ke records (a month's stage, a document's status)
STATE_FIELDS = ("tahap", "status")


def _state_field(row: AuditLog):
    model = row.content_type.model_class() if row.content_type_id else None
    for name in STATE_FIELDS:
        field = _field(model, name)
        if field is not None and field.choices:
            return field
    return None


def move_ends(row: AuditLog) -> tuple[str, str]:
    """The row's from and to as people read them ("Terbuka", "Verifikasi"), "" for an end it has not."""
    field = _state_field(row)
    return tuple(_shown(field, end) if end else "" for end in (row.dari, row.ke))


def move_text(row: AuditLog) -> str:
    """The row's move in words ("Terbuka → Verifikasi"); "" for a row that records no move."""
    if not (row.dari or row.ke):
        return ""
    dari, ke = move_ends(row)
    return f"{dari or '—'} → {ke or '—'}"


def changes_text(row: AuditLog) -> list[str]:
    """Each changed field in words: 'Nama diubah: Hari Jadi → Hari Jadi Kudus', 'Tahap diubah: Dihimpun → Pleno'."""
    model = row.content_type.model_class() if row.content_type_id else None
    lines = []
    for name, (old, new) in (row.perubahan or {}).items():
        field = _field(model, name)
        label = (
            str(field.verbose_name).capitalize() if field is not None else name.replace("_", " ").capitalize()
        )
        lines.append(f"{label} diubah: {_shown(field, old)} → {_shown(field, new)}")
    return lines


def filter_choices(satker: Satker) -> dict:
    """The choices of the log's filters: the satker's people, the actions and object types its log holds."""
    present = AuditLog.objects.filter(satker=satker).order_by()
    actions = sorted(set(present.values_list("action", flat=True).distinct()))
    types = ContentType.objects.filter(pk__in=present.values("content_type_id").distinct())
    return {
        "people": Pegawai.objects.filter(satker=satker).order_by("nama").only("pk", "nama"),
        "actions": [(a, AuditLog(action=a).action_label) for a in actions],
        "types": sorted(((ct.pk, object_label(ct)) for ct in types), key=lambda item: item[1]),
    }


def export_rows(satker: Satker, rows):
    yield bold(HEADER)
    for row in rows.iterator(chunk_size=500):
        yield [
            format_waktu_zona(row.waktu, satker.zona_waktu),
            actor_name(row),
            row.action_label,
            object_label(row.content_type),
            row.object_id,
            *move_ends(row),
            "\n".join(changes_text(row)),
            row.catatan,
        ]


def export_xlsx(satker: Satker, filters: AuditFilter) -> tuple[str, str, bytes]:
    """(filename, content type, bytes) of the filtered log."""
    content = workbook_bytes(
        [Sheet("Jejak audit", export_rows(satker, log_rows(satker, filters)), widths=WIDTHS)]
    )
    today = satker.today()
    return (
        f"jejak-audit-{satker.kode}-{today:%Y%m%d}.xlsx",
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        content,
    )
