"""State changes of the core's master data (satker, subbagian, people, output codes, the SOPs' standard times)
that have no page of their own in the app but are kept in the Django admin.

Each change is one function that checks the rules, runs atomically and leaves an audit row naming the fields
that changed, old and new. `data` holds the new values by field name (a form's cleaned data); `by` is the
signed-in User (a superuser or a satker's own staff account): the admin asks the policy
(`silabu.policy.can_administer_satker`) before it calls these, and these check the rows belong together.
"""

from django.db import models, transaction

from . import services
from .audit import diff, snapshot
from .errors import DomainError
from .models import KodeOutput, MutuBaku, Pegawai, Satker, Subbagian

# Settings a month's verification window is computed from: before they change, the months that have reached
# VERIFICATION are written down, so that the change cannot send one back to OPEN.
WINDOW_SETTINGS = ("verifikasi_buka_hari", "verifikasi_tenggat_hari", "zona_waktu")


def _apply(obj: models.Model, data: dict) -> list[str]:
    """Set the new values on `obj`; return the names of the fields whose value changed."""
    changed = []
    for name, value in data.items():
        field = obj._meta.get_field(name)
        if field.is_relation:
            differs = getattr(obj, field.attname) != (value.pk if value is not None else None)
        else:
            if isinstance(field, models.FileField) and value is False:
                value = ""  # the form's "clear" box
            differs = getattr(obj, field.attname) != value
        if differs:
            changed.append(field.name)
            setattr(obj, field.name, value)
    return changed


def _all_fields(obj: models.Model) -> list[str]:
    return [f.name for f in obj._meta.concrete_fields if not f.primary_key]


def _audited(obj, *, by, action: str, satker, perubahan: dict) -> None:
    services.audit(
        obj=obj, actor=by, action=action, catatan=str(obj)[:4000], satker=satker, perubahan=perubahan
    )


def audited_create(model, *, data: dict, by, action: str, satker_of) -> models.Model:
    """A new row of `model` from a form's `data`, checked by the model's own validation, with an audit row that
    holds every value it was given ({field: [None, new]}). `satker_of(row)` names the satker it is filed under."""
    obj = model()
    _apply(obj, data)
    obj.full_clean()
    obj.save()
    _audited(obj, by=by, action=action, satker=satker_of(obj), perubahan=diff(None, obj, _all_fields(obj)))
    return obj


def audited_update(obj, *, data: dict, by, action: str, satker) -> list[str]:
    """Set `data` on the row (locked by the caller) and save the fields that changed, with an audit row of
    their old and new values; nothing (no save, no row) when nothing changed. Returns the changed fields."""
    before = snapshot(obj, data)
    changed = _apply(obj, data)
    if changed:
        obj.full_clean()
        obj.save(update_fields=[obj._meta.get_field(name).attname for name in changed])
        _audited(obj, by=by, action=action, satker=satker, perubahan=diff(before, obj, changed))
    return changed


def audited_delete(obj, *, by, action: str, satker) -> None:
    """Delete the row (locked and checked by the caller), with an audit row that keeps what it held
    ({field: [old, None]})."""
    _audited(obj, by=by, action=action, satker=satker, perubahan=diff(obj, None, _all_fields(obj)))
    obj.delete()


def _check_pegawai_of(satker_id: int | None, pegawai: Pegawai | None, label: str) -> None:
    if pegawai is not None and pegawai.satker_id != satker_id:
        raise DomainError(f"{label} harus pegawai satker ini.")


# --- satker ------------------------------------------------------------------------------------------------


def satker_create(*, data: dict, by) -> Satker:
    """A new satker (a superuser's work)."""
    if data.get("sekretaris") is not None:
        raise DomainError("Sekretaris dipilih setelah pegawai satker ini ada.")
    with transaction.atomic():
        return audited_create(Satker, data=data, by=by, action="satker_tambah", satker_of=lambda s: s)


def satker_update(*, satker: Satker, data: dict, by) -> Satker:
    """Change a satker's settings. The kode stays: documents and accounts are filed under it. A change of the
    verification window or the time zone never moves a month back from VERIFICATION: the months that have
    reached it are recorded first (kinerja.services.periode_record_reached)."""
    with transaction.atomic():
        satker = Satker.objects.select_for_update().get(pk=satker.pk)
        if "kode" in data and data["kode"] != satker.kode:
            raise DomainError("Kode satker tidak dapat diubah.")
        _check_pegawai_of(satker.pk, data.get("sekretaris"), "Sekretaris")
        if any(name in data and data[name] != getattr(satker, name) for name in WINDOW_SETTINGS):
            services.periode_record_reached(satker=satker)
        audited_update(satker, data=data, by=by, action="satker_ubah", satker=satker)
    return satker


# --- subbagian ---------------------------------------------------------------------------------------------


def subbagian_create(*, data: dict, by) -> Subbagian:
    _check_pegawai_of(getattr(data.get("satker"), "pk", None), data.get("kasubag"), "Kepala subbagian")
    with transaction.atomic():
        return audited_create(
            Subbagian, data=data, by=by, action="subbagian_tambah", satker_of=lambda s: s.satker
        )


def subbagian_update(*, subbagian: Subbagian, data: dict, by) -> Subbagian:
    """Rename a subbagian, reorder it, name its head. It stays in its satker."""
    with transaction.atomic():
        subbagian = (
            Subbagian.objects.select_for_update(of=("self",)).select_related("satker").get(pk=subbagian.pk)
        )
        if "satker" in data and data["satker"].pk != subbagian.satker_id:
            raise DomainError("Subbagian tidak dapat dipindah ke satker lain.")
        _check_pegawai_of(subbagian.satker_id, data.get("kasubag"), "Kepala subbagian")
        audited_update(subbagian, data=data, by=by, action="subbagian_ubah", satker=subbagian.satker)
    return subbagian


def subbagian_delete(*, subbagian: Subbagian, by) -> None:
    """Only a subbagian nobody belongs to (its people are moved first)."""
    with transaction.atomic():
        subbagian = (
            Subbagian.objects.select_for_update(of=("self",)).select_related("satker").get(pk=subbagian.pk)
        )
        if subbagian.pegawai_set.exists():
            raise DomainError(f"{subbagian.nama} masih memiliki pegawai; pindahkan pegawainya lebih dahulu.")
        audited_delete(subbagian, by=by, action="subbagian_hapus", satker=subbagian.satker)


# --- people ------------------------------------------------------------------------------------------------


def pegawai_update(*, pegawai: Pegawai, data: dict, by) -> Pegawai:
    """Change a person's record: name, post, subbagian, roles, active. A person stays in their satker and with
    their account (their entries and documents are filed under both); people are added by the staff import."""
    with transaction.atomic():
        pegawai = Pegawai.objects.select_for_update(of=("self",)).select_related("satker").get(pk=pegawai.pk)
        if "satker" in data and data["satker"].pk != pegawai.satker_id:
            raise DomainError("Pegawai tidak dapat dipindah ke satker lain.")
        if "user" in data and data["user"].pk != pegawai.user_id:
            raise DomainError("Akun pegawai tidak dapat diganti.")
        sub = data.get("subbagian")
        if sub is not None and sub.satker_id != pegawai.satker_id:
            raise DomainError("Subbagian harus subbagian satker ini.")
        audited_update(pegawai, data=data, by=by, action="pegawai_ubah", satker=pegawai.satker)
    return pegawai


# --- output codes ------------------------------------------------------------------------------------------


def _check_kode(data: dict, satker_id: int | None) -> None:
    parent = data.get("parent")
    if parent is not None and parent.satker_id not in (None, satker_id):
        raise DomainError("Induk kode harus kode satker ini atau kode bersama.")
    sub = data.get("subbagian")
    if sub is not None and sub.satker_id != satker_id:
        raise DomainError("Subbagian harus subbagian satker ini.")


def kode_output_create(*, data: dict, by) -> KodeOutput:
    _check_kode(data, getattr(data.get("satker"), "pk", None))
    with transaction.atomic():
        return audited_create(
            KodeOutput, data=data, by=by, action="kode_output_tambah", satker_of=lambda k: k.satker
        )


def kode_output_update(*, kode: KodeOutput, data: dict, by) -> KodeOutput:
    with transaction.atomic():
        kode = KodeOutput.objects.select_for_update(of=("self",)).select_related("satker").get(pk=kode.pk)
        if "satker" in data and getattr(data["satker"], "pk", None) != kode.satker_id:
            raise DomainError("Kode output tidak dapat dipindah ke satker lain.")
        _check_kode(data, kode.satker_id)
        audited_update(kode, data=data, by=by, action="kode_output_ubah", satker=kode.satker)
    return kode


def kode_output_delete(*, kode: KodeOutput, by) -> None:
    """Only a code no entry uses; a used code is deactivated instead."""
    with transaction.atomic():
        kode = KodeOutput.objects.select_for_update(of=("self",)).select_related("satker").get(pk=kode.pk)
        if kode.entri_set.exists():
            raise DomainError(f"Kode {kode.kode} sudah dipakai entri; nonaktifkan saja.")
        audited_delete(kode, by=by, action="kode_output_hapus", satker=kode.satker)


# --- the SOPs' standard times ------------------------------------------------------------------------------


def mutu_baku_create(*, data: dict, by) -> MutuBaku:
    """A satker's own standard for a step of an SOP: the step must be one the SOP has (its default)."""
    if data.get("satker") is None:
        raise DomainError("Langkah SOP bawaan ditetapkan oleh sistem; tambahkan mutu baku untuk satu satker.")
    if not MutuBaku.objects.filter(
        satker__isnull=True, sop=data.get("sop"), langkah=data.get("langkah")
    ).exists():
        raise DomainError("SOP ini tidak memiliki langkah tersebut.")
    with transaction.atomic():
        return audited_create(
            MutuBaku, data=data, by=by, action="mutu_baku_tambah", satker_of=lambda m: m.satker
        )


def mutu_baku_update(*, mutu: MutuBaku, data: dict, by) -> MutuBaku:
    """Change a standard's wording or time; the step it belongs to (satker, SOP, step number) stays."""
    with transaction.atomic():
        mutu = MutuBaku.objects.select_for_update(of=("self",)).select_related("satker").get(pk=mutu.pk)
        for name in ("satker", "sop", "langkah"):
            if name in data and data[name] != getattr(mutu, name):
                raise DomainError("Satker, SOP dan langkah mutu baku tidak dapat diubah.")
        audited_update(mutu, data=data, by=by, action="mutu_baku_ubah", satker=mutu.satker)
    return mutu


def mutu_baku_delete(*, mutu: MutuBaku, by) -> None:
    """A satker's own standard may go (the default holds for it again); a default never does."""
    with transaction.atomic():
        mutu = MutuBaku.objects.select_for_update(of=("self",)).select_related("satker").get(pk=mutu.pk)
        if mutu.satker_id is None:
            raise DomainError("Mutu baku bawaan tidak dapat dihapus.")
        audited_delete(mutu, by=by, action="mutu_baku_hapus", satker=mutu.satker)
