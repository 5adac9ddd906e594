"""Steps 5 to 8: Rendatin measures each row's capaian, recaps per sasaran/program/kegiatan and reports the draft
to the Kasubag Rendatin, who checks it and sends it to the Sekretaris."""

from decimal import Decimal

from django.db import transaction
from django.utils import timezone

from kinerja.models import Pegawai
from kinerja.services import audit

from .. import hitung
from ..models import BarisPengukuran, Pengukuran
from ..policy import PESAN_KASUBAG_RENDATIN, PESAN_RENDATIN, is_kasubag_rendatin, is_rendatin
from .transition import PengukuranDitolak, T, advance, angka, locked, require, require_tahap

MAX_CAPAIAN = Decimal("9999999.99")  # max_digits=9, decimal_places=2


def _set_manual(row: BarisPengukuran, value, alasan: str) -> None:
    if value is None or value == "":
        row.capaian_manual, row.alasan_manual = None, ""
        return
    row.capaian_manual = angka(value, f"Capaian manual {row.indikator_kode}", maximum=MAX_CAPAIAN)
    row.alasan_manual = (alasan or "").strip()
    if not row.alasan_manual:
        raise PengukuranDitolak(f"Capaian manual untuk indikator {row.indikator_kode} memerlukan alasan.")


def pengukuran_measure(
    *, pengukuran: Pengukuran, manual: dict[int, tuple[Decimal | None, str]] | None = None, by: Pegawai
) -> Pengukuran:
    """Compute every row's capaian and category with the formulas (DESIGN.md §3) and save them.

    `manual` is the complete set of manual capaian (row id → (capaian, reason)); a row left out, or given
    None, has none. A manual capaian needs a reason. Called in step 5 it ends the step; called again during
    the recap (step 6) it re-measures without changing the step.
    """
    manual = manual or {}
    require(is_rendatin(by, pengukuran.satker), PESAN_RENDATIN)
    now = timezone.now()
    with transaction.atomic():
        p = locked(pengukuran)
        require_tahap(p, T.PENGUKURAN, T.REKAP)
        open_forms = list(p.form_set.filter(diserahkan_pada__isnull=True).select_related("subbagian"))
        if open_forms:
            raise PengukuranDitolak(
                "Belum semua form diserahkan: " + ", ".join(f.subbagian.nama for f in open_forms) + "."
            )
        rows = list(p.baris_set.all())
        unknown = [str(pk) for pk in manual if pk not in {r.pk for r in rows}]
        if unknown:
            raise PengukuranDitolak(f"Baris {', '.join(unknown)} bukan bagian dari pengukuran ini.")
        skala = hitung.skala_for(p.satker)
        for row in rows:
            _set_manual(row, *manual.get(row.pk, (None, "")))
            hitung.hitung_baris(row, skala)
        BarisPengukuran.objects.bulk_update(
            rows, ["capaian", "capaian_manual", "alasan_manual", "kategori", "pesan"]
        )
        measured = sum(1 for r in rows if r.capaian_akhir is not None)
        note = f"{measured} dari {len(rows)} indikator terukur."
        if p.tahap == T.PENGUKURAN:
            advance(p, ke=T.REKAP, by=by, now=now, action="pengukuran_diukur", catatan=note)
        else:
            audit(obj=p, actor=by.user, action="pengukuran_diukur_ulang", catatan=note, satker=p.satker)
    return p


def _step(
    pengukuran: Pengukuran, by: Pegawai, actor, message: str, tahap: str, ke: str, action: str, catatan=""
):
    """A step that only moves the measurement on: its actor, at its stage."""
    require(actor(by, pengukuran.satker), message)
    with transaction.atomic():
        p = locked(pengukuran)
        require_tahap(p, tahap)
        advance(p, ke=ke, by=by, now=timezone.now(), action=action, catatan=(catatan or "").strip())
    return p


def pengukuran_recap(*, pengukuran: Pengukuran, by: Pegawai) -> Pengukuran:
    """Step 6 done: the recap per sasaran/program/kegiatan is ready to report."""
    return _step(pengukuran, by, is_rendatin, PESAN_RENDATIN, T.REKAP, T.DRAF, "pengukuran_rekap")


def pengukuran_report_draft(*, pengukuran: Pengukuran, by: Pegawai) -> Pengukuran:
    """Step 7: Rendatin staff report the recap to the Kasubag Rendatin as a draft."""
    return _step(pengukuran, by, is_rendatin, PESAN_RENDATIN, T.DRAF, T.PEMERIKSAAN, "pengukuran_draf")


def pengukuran_send(*, pengukuran: Pengukuran, catatan: str = "", by: Pegawai) -> Pengukuran:
    """Step 8: the Kasubag Rendatin has checked the report and sends it to the Sekretaris."""
    return _step(
        pengukuran,
        by,
        is_kasubag_rendatin,
        PESAN_KASUBAG_RENDATIN,
        T.PEMERIKSAAN,
        T.PERSETUJUAN,
        "pengukuran_dikirim",
        catatan,
    )
