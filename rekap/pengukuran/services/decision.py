"""Steps 9 and 10: the Sekretaris approves the measurement (it becomes input to the Laporan Kinerja) or returns it
with notes (Rendatin measures again as the next version); either way the decided version is kept with its
numbers and its documents are archived, immutable, with their SHA-256."""

from decimal import Decimal

from django.db import transaction
from django.utils import timezone

from kinerja import document_store as docs
from kinerja.errors import require_text
from kinerja.models import Pegawai

from .. import hitung
from ..models import BarisPengukuran, KeputusanVersi, Pengukuran, VersiPengukuran
from ..periode import label
from ..policy import PESAN_SEKRETARIS, is_sekretaris
from .transition import PengukuranDitolak, T, advance, locked, require, require_tahap

# The documents that record a decided version (step 9 → 10), archived with their SHA-256.
ARCHIVED_DOCUMENTS = (
    ("pengukuran_kertas_kerja", "xlsx"),
    ("pengukuran_kertas_kerja", "pdf"),
    ("pengukuran_laporan", "pdf"),
)


def _text(value: Decimal | None) -> str | None:
    return None if value is None else str(value)


def data_versi(pengukuran: Pengukuran, rows: list[BarisPengukuran]) -> dict:
    """A version's numbers as JSON (decimals as strings): every row and the recap."""

    def kelompok(group: hitung.Kelompok, children: bool = True) -> dict:
        item = {
            "nama": group.nama,
            "rata_rata": _text(group.rata_rata),
            "per_kategori": group.per_kategori,
            "jumlah": len(group.rows),
        }
        if children and group.children:
            item["anak"] = [kelompok(child) for child in group.children.values()]
        return item

    summary = hitung.rekap(pengukuran, rows)
    return {
        "periode": label(pengukuran),
        "tahun": pengukuran.tahun,
        "jenis_periode": pengukuran.jenis_periode,
        "nomor": pengukuran.nomor,
        "versi": pengukuran.versi,
        "baris": [
            {
                "id": r.pk,
                "form_id": r.form_id,
                "indikator_id": r.indikator_id,
                "subbagian": r.form.subbagian.nama,
                "urutan": r.urutan,
                "sasaran": r.sasaran,
                "program": r.program,
                "kegiatan": r.kegiatan,
                "kode": r.indikator_kode,
                "indikator": r.indikator_uraian,
                "satuan": r.satuan,
                "arah": r.arah,
                "target": _text(r.target),
                "target_bawah": _text(r.target_bawah),
                "target_atas": _text(r.target_atas),
                "aturan_realisasi": r.aturan_realisasi,
                "satuan_volume": r.satuan_volume,
                "realisasi_usulan": _text(r.realisasi_usulan),
                "realisasi": _text(r.realisasi),
                "keterangan": r.keterangan,
                "bukti_nama": r.bukti_nama,
                "capaian": _text(r.capaian),
                "capaian_manual": _text(r.capaian_manual),
                "alasan_manual": r.alasan_manual,
                "capaian_akhir": _text(r.capaian_akhir),
                "kategori": r.kategori,
                "pesan": r.pesan,
            }
            for r in rows
        ],
        "skala": [{"nama": k.nama, "minimum": str(k.minimum)} for k in summary.skala],
        "rekap": {
            "total": kelompok(summary.total, children=False),
            "sasaran": [kelompok(s) for s in summary.sasaran],
            "kategori": summary.kategori_names,
        },
    }


def _record_version(p: Pengukuran, by: Pegawai, keputusan: str, catatan: str, now) -> VersiPengukuran:
    rows = list(p.baris_set.select_related("form__subbagian").order_by("urutan", "pk"))
    return VersiPengukuran.objects.create(
        pengukuran=p,
        versi=p.versi,
        keputusan=keputusan,
        catatan=catatan,
        oleh=by,
        pada=now,
        data=data_versi(p, rows),
    )


def _archive(p: Pengukuran, versi: VersiPengukuran, by: Pegawai) -> None:
    """File the worksheet and the report of this version, immutable, with their SHA-256."""
    note = f"Pengukuran kinerja {label(p)} versi {versi.versi}, {versi.get_keputusan_display().lower()}"
    for jenis, fmt in ARCHIVED_DOCUMENTS:
        if jenis not in docs.GENERATORS:
            raise PengukuranDitolak("Dokumen arsip pengukuran belum dapat dibuat. Hubungi admin.")
        docs.dokumen_request(
            satker=p.satker,
            jenis=jenis,
            params={"pengukuran_id": p.pk, "versi": versi.versi, "fmt": fmt},
            by=by,
            archive_note=note,
        )


def _decide(pengukuran: Pengukuran, by: Pegawai, keputusan: str, catatan: str, *, ke: str, action: str):
    now = timezone.now()
    with transaction.atomic():
        p = locked(pengukuran)
        require_tahap(p, T.PERSETUJUAN)
        versi = _record_version(p, by, keputusan, catatan, now)
        _archive(p, versi, by)
        returned = keputusan == KeputusanVersi.DIKEMBALIKAN
        advance(p, ke=ke, by=by, now=now, action=action, catatan=catatan, versi_baru=returned)
    return versi


def pengukuran_approve(*, pengukuran: Pengukuran, catatan: str = "", by: Pegawai) -> VersiPengukuran:
    """Step 9 approve: the version is kept with its numbers, the measurement becomes input to the Laporan
    Kinerja, and step 10 archives its documents."""
    require(is_sekretaris(by, pengukuran.satker), PESAN_SEKRETARIS)
    catatan = (catatan or "").strip()
    return _decide(
        pengukuran, by, KeputusanVersi.DISETUJUI, catatan, ke=T.DISETUJUI, action="pengukuran_disetujui"
    )


def pengukuran_return(*, pengukuran: Pengukuran, catatan: str, by: Pegawai) -> VersiPengukuran:
    """Step 9 return: the version is kept and archived with the notes, and Rendatin measures again (step 5)
    as the next version."""
    require(is_sekretaris(by, pengukuran.satker), PESAN_SEKRETARIS)
    catatan = require_text(
        catatan,
        field="catatan",
        message="Tuliskan catatan pengembalian: apa yang perlu diperbaiki.",
        error=PengukuranDitolak,
    )
    return _decide(
        pengukuran,
        by,
        KeputusanVersi.DIKEMBALIKAN,
        catatan,
        ke=T.PENGUKURAN,
        action="pengukuran_dikembalikan",
    )
