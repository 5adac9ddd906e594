"""The verified softfiles as generated documents (kinerja.dokumen): rendered off the request, stored, reused.

A stored softfile is reused while its data is unchanged: the fingerprint covers the people's entries of the
month (count, last change), their evidence count, their LaporanBulanan (status, verifier, time) and the day
(the signature block carries the date).
"""

from django.db.models import Count, Max

from kinerja import dokumen as docs
from kinerja.models import BuktiDukung, EntriKinerja, Pegawai, Satker, Subbagian
from silabu.lib.dates import format_bulan

from . import softfile
from .models import LaporanBulanan


def _people(satker: Satker, params: dict) -> list[Pegawai]:
    if "pegawai_id" in params:
        return list(Pegawai.objects.filter(pk=params["pegawai_id"], satker=satker))
    subbagian = Subbagian.objects.get(pk=params["subbagian_id"], satker=satker)
    return softfile.subbagian_people(subbagian, params["tahun"], params["bulan"])


def _version(satker: Satker, params: dict) -> str:
    ids = sorted(p.pk for p in _people(satker, params))
    year, month = params["tahun"], params["bulan"]
    entries = (
        EntriKinerja.objects.filter(pegawai_id__in=ids)
        .in_month(year, month)
        .aggregate(n=Count("id"), last=Max("diubah"))
    )
    bukti = BuktiDukung.objects.filter(entri__pegawai_id__in=ids).in_month(year, month).count()
    laporan = list(
        LaporanBulanan.objects.filter(pegawai_id__in=ids, tahun=params["tahun"], bulan=params["bulan"])
        .order_by("pegawai_id")
        .values_list("pegawai_id", "status", "verifikator_id", "diverifikasi_pada")
    )
    return docs.fingerprint(ids, entries["n"], entries["last"], bukti, laporan, satker.today())


def _title_pegawai(satker: Satker, params: dict) -> str:
    pegawai = Pegawai.objects.get(pk=params["pegawai_id"], satker=satker)
    period = format_bulan(params["tahun"], params["bulan"])
    return f"Softfile data kinerja {pegawai.nama} — {period} ({params['fmt'].upper()})"


def _title_subbagian(satker: Satker, params: dict) -> str:
    subbagian = Subbagian.objects.get(pk=params["subbagian_id"], satker=satker)
    period = format_bulan(params["tahun"], params["bulan"])
    return f"Softfile data kinerja {subbagian.nama} — {period} ({params['fmt'].upper()})"


def _render_pegawai(satker: Satker, params: dict, progress) -> docs.Rendered:
    pegawai = Pegawai.objects.select_related("satker__sekretaris", "subbagian__kasubag").get(
        pk=params["pegawai_id"], satker=satker
    )
    return docs.Rendered(
        *softfile.softfile_for_pegawai(pegawai, params["tahun"], params["bulan"], params["fmt"])
    )


def _render_subbagian(satker: Satker, params: dict, progress) -> docs.Rendered:
    subbagian = Subbagian.objects.select_related("satker", "kasubag").get(
        pk=params["subbagian_id"], satker=satker
    )
    progress(10)
    return docs.Rendered(
        *softfile.softfile_for_subbagian(subbagian, params["tahun"], params["bulan"], params["fmt"])
    )


def register() -> None:
    docs.register(docs.Generator("softfile_pegawai", _title_pegawai, _render_pegawai, _version))
    docs.register(docs.Generator("softfile_subbagian", _title_subbagian, _render_subbagian, _version))
