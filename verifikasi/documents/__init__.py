"""The verified softfiles as generated documents (kinerja.document_store): rendered off the request, stored,
reused. The softfile itself is .softfile.

A stored softfile is reused while its data is unchanged: the fingerprint covers the people's entries of the
month (count, last change), their evidence count, their LaporanBulanan (status, verifier, time) and the day
(the signature block carries the date).
"""

from django.db.models import Count, Max

from kinerja import document_store as docs
from kinerja.models import BuktiDukung, EntriKinerja, Pegawai, Satker, Subbagian
from silabu.lib.dates import format_bulan

from ..models import LaporanBulanan
from . import softfile


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


def _build_pegawai(satker: Satker, params: dict) -> softfile.SoftfileData:
    pegawai = Pegawai.objects.select_related("satker__sekretaris", "subbagian__kasubag").get(
        pk=params["pegawai_id"], satker=satker
    )
    return softfile.pegawai_softfile(pegawai, params["tahun"], params["bulan"])


def _build_subbagian(satker: Satker, params: dict) -> softfile.SoftfileData:
    subbagian = Subbagian.objects.select_related("satker", "kasubag").get(
        pk=params["subbagian_id"], satker=satker
    )
    return softfile.subbagian_softfile(subbagian, params["tahun"], params["bulan"])


def register() -> None:
    for jenis, title, build in [
        ("softfile_pegawai", _title_pegawai, _build_pegawai),
        ("softfile_subbagian", _title_subbagian, _build_subbagian),
    ]:
        docs.register(docs.report_generator(jenis, title=title, build=build, version=_version))
