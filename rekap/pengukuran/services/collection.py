"""Step 4: each subbagian fills its Form Data Kinerja (on the page, or by importing the XLSX filled offline)
and hands it in; the last form handed in ends the step."""

import logging
from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal

from django.core.files.base import ContentFile
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.utils import timezone

from kinerja.audit import diff, snapshot
from kinerja.evidence import named_as_kind, process_upload_with_settings
from kinerja.models import Pegawai
from kinerja.services import audit, files_removed_on_error

from ..models import BarisPengukuran, FormDataKinerja
from ..policy import can_fill, pesan_subbagian
from .transition import PengukuranDitolak, T, advance, angka, locked, require, require_tahap

logger = logging.getLogger(__name__)

MAX_KETERANGAN = 2000


@dataclass
class IsianBaris:
    """What a subbagian fills into one row of its form."""

    realisasi: Decimal | None
    keterangan: str = ""
    bukti: UploadedFile | None = None


def _require_pengisi(form: FormDataKinerja, by: Pegawai) -> None:
    require(can_fill(by, form), pesan_subbagian(form.subbagian))


def _locked_open_form(form: FormDataKinerja, refusal: str):
    """(the measurement, the form) locked, while the forms are being collected and this one is not handed in."""
    p = locked(form.pengukuran)
    form = FormDataKinerja.objects.select_related("subbagian").get(pk=form.pk)
    require_tahap(p, T.PENGUMPULAN)
    if form.diserahkan_pada is not None:
        raise PengukuranDitolak(refusal.format(subbagian=form.subbagian.nama))
    return p, form


def _delete_on_commit(files: list) -> None:
    def remove():
        for storage, name in files:
            try:
                storage.delete(name)
            except OSError:
                logger.exception("could not delete replaced evidence file %s", name)

    if files:
        transaction.on_commit(remove)


# what the audit row of a form's save records, per indicator
FILLED_FIELDS = ("realisasi", "keterangan", "bukti_nama")


def _cleaned(form: FormDataKinerja, nilai: dict[int, IsianBaris]) -> dict[int, tuple[Decimal | None, str]]:
    known = {r.pk: r for r in form.baris_set.all()}
    unknown = [str(pk) for pk in nilai if pk not in known]
    if unknown:
        raise PengukuranDitolak(f"Baris {', '.join(unknown)} bukan bagian dari form {form.subbagian.nama}.")
    return {
        pk: (
            None
            if isian.realisasi is None
            else angka(isian.realisasi, f"Realisasi {known[pk].indikator_kode}"),
            (isian.keterangan or "").strip()[:MAX_KETERANGAN],
        )
        for pk, isian in nilai.items()
    }


def _save(
    *, form: FormDataKinerja, by: Pegawai, nilai: dict[int, IsianBaris], action: str
) -> FormDataKinerja:
    _require_pengisi(form, by)
    cleaned = _cleaned(form, nilai)
    # Evidence is checked (and images re-encoded) before any lock is taken: it can take a while.
    tz = form.pengukuran.satker.tz
    uploads = {}
    for pk, isian in nilai.items():
        if isian.bukti:
            processed = process_upload_with_settings(isian.bukti, tz=tz)
            # the name kept and downloaded carries the extension of what the file is, not what it was called
            uploads[pk] = (processed, named_as_kind(isian.bukti.name, processed.extension))
    with transaction.atomic():
        p, form = _locked_open_form(form, "Form {subbagian} sudah diserahkan dan tidak dapat diubah lagi.")
        rows = list(form.baris_set.filter(pk__in=list(cleaned)))
        replaced = []
        changes: dict[str, list] = {}
        with files_removed_on_error() as stored:
            for row in rows:
                was = snapshot(row, FILLED_FIELDS)
                row.realisasi, row.keterangan = cleaned[row.pk]
                if row.pk in uploads:
                    processed, display = uploads[row.pk]
                    if row.bukti:
                        replaced.append((row.bukti.storage, row.bukti.name))
                    row.bukti.save(f"bukti.{processed.extension}", ContentFile(processed.content), save=False)
                    stored.append(row.bukti)
                    row.bukti_nama = display
                for field, values in diff(was, row, FILLED_FIELDS).items():
                    changes[f"{row.indikator_kode} {field}"] = values
            BarisPengukuran.objects.bulk_update(rows, ["realisasi", "keterangan", "bukti", "bukti_nama"])
            audit(
                obj=form,
                actor=by.user,
                action=action,
                catatan=f"{len(rows)} indikator, {len(uploads)} bukti",
                satker=p.satker,
                perubahan=changes,
            )
        _delete_on_commit(replaced)
    return form


def form_fill(*, form: FormDataKinerja, nilai: dict[int, IsianBaris], by: Pegawai) -> FormDataKinerja:
    """Save realisation, notes and evidence for some rows of a subbagian's form (any number of times until
    it is handed in). A realisation of None empties it; a negative one is refused."""
    return _save(form=form, by=by, nilai=nilai, action="pengukuran_form_diisi")


def form_import(*, form: FormDataKinerja, berkas, by: Pegawai) -> FormDataKinerja:
    """Read back the form's XLSX filled offline (rekap.pengukuran.formdata_reader checks that it is this form of
    this subbagian and period) and save it like form_fill: all of it, or nothing."""
    _require_pengisi(form, by)
    try:  # deferred: the reader returns IsianBaris, defined here
        from ..formdata_reader import parse_form
    except ImportError:
        raise PengukuranDitolak(
            "Impor berkas Form Data Kinerja belum tersedia. Isi realisasinya langsung di halaman ini."
        ) from None
    nilai = parse_form(form, berkas)
    return _save(form=form, by=by, nilai=nilai, action="pengukuran_form_impor")


def baris_belum_lengkap(rows: Iterable[BarisPengukuran]) -> list[BarisPengukuran]:
    """Rows with neither a realisation nor a note saying why there is none."""
    return [r for r in rows if r.realisasi is None and not r.keterangan.strip()]


def form_submit(*, form: FormDataKinerja, by: Pegawai) -> FormDataKinerja:
    """Hand the form in. Every row needs a realisation or a note explaining why not. When the last form is in,
    step 4 ends and the measurement waits for Rendatin (step 5)."""
    _require_pengisi(form, by)
    now = timezone.now()
    with transaction.atomic():
        p, form = _locked_open_form(form, "Form {subbagian} sudah diserahkan.")
        missing = baris_belum_lengkap(form.baris_set.all())
        if missing:
            codes = ", ".join(r.indikator_kode for r in missing[:5]) + (" …" if len(missing) > 5 else "")
            raise PengukuranDitolak(
                f"Realisasi belum diisi untuk {len(missing)} indikator ({codes}). "
                "Isi realisasinya, atau jelaskan di keterangan mengapa tidak ada."
            )
        form.diserahkan_pada, form.diserahkan_oleh = now, by
        form.save(update_fields=["diserahkan_pada", "diserahkan_oleh"])
        audit(
            obj=form,
            actor=by.user,
            action="pengukuran_form_diserahkan",
            satker=p.satker,
            perubahan=diff(None, form, ["diserahkan_pada", "diserahkan_oleh"]),
        )
        if not p.form_set.filter(diserahkan_pada__isnull=True).exists():
            advance(
                p,
                ke=T.PENGUKURAN,
                by=by,
                now=now,
                action="pengukuran_terkumpul",
                catatan="Semua form data kinerja sudah diserahkan.",
            )
    return form
