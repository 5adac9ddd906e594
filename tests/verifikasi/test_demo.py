"""The demo leaves last month under verification with a realistic mix, and the month before verified."""

import datetime

from django.core.management import call_command

from kinerja.kalender import working_days
from kinerja.models import (
    AuditLog,
    EntriKinerja,
    JenisPemberitahuan,
    JenisPenjabat,
    Pegawai,
    Pemberitahuan,
    PenjabatSementara,
    Satker,
    StatusEntri,
    TahapPeriode,
)
from kinerja.services import periode_tahap
from silabu.lib.dates import month_bounds, shift_month
from verifikasi.models import LaporanBulanan, StatusLaporan
from verifikasi.reminders import remind_empty_days


def counts() -> dict[str, int]:
    models = (EntriKinerja, LaporanBulanan, Pemberitahuan, PenjabatSementara, AuditLog, Pegawai)
    return {m.__name__: m.objects.count() for m in models} | {
        "verified": LaporanBulanan.objects.verified().count(),
        "returned": EntriKinerja.objects.returned().count(),
    }


def test_seed_demo_verifies_through_the_services(db, fake_documents):
    call_command("seed_demo", verbosity=0)
    kudus = Satker.objects.get(kode="kudus")
    today = kudus.today()
    last = shift_month(today.year, today.month, -1)
    before = shift_month(today.year, today.month, -2)
    subs = {s.singkatan: s for s in kudus.subbagian_set.select_related("kasubag")}

    def laporan(sub, month):
        return LaporanBulanan.objects.filter(
            pegawai__subbagian=subs[sub], tahun=month[0], bulan=month[1]
        ).exclude(pegawai=subs[sub].kasubag)

    assert periode_tahap(kudus, *last) == TahapPeriode.VERIFICATION

    # KUL: every staff member verified by the KUL Kasubag.
    kul_staff = subs["KUL"].pegawai_set.exclude(pk=subs["KUL"].kasubag_id)
    kul = laporan("KUL", last)
    assert kul.count() == kul_staff.count() == 4
    assert all(lap.is_verified and lap.verifikator == subs["KUL"].kasubag for lap in kul)
    assert all(lap.verifikator_acting == "" for lap in kul)

    # Teknis: verified by the Plt, who signs as such; the Plt covers today and follows the earlier Plh.
    plt = PenjabatSementara.objects.get(subbagian=subs["TEKNIS"], jenis=JenisPenjabat.PLT)
    plh = PenjabatSementara.objects.get(subbagian=subs["TEKNIS"], jenis=JenisPenjabat.PLH)
    assert plt.mulai <= today <= plt.selesai and plh.selesai < plt.mulai
    teknis = laporan("TEKNIS", last).filter(status=StatusLaporan.TERVERIFIKASI)
    assert teknis.count() == 3
    for lap in teknis:
        assert lap.verifikator == plt.pegawai and lap.verifikator_acting == "Plt"
        assert lap.verifikator_jabatan == f"Plt. Kepala {subs['TEKNIS'].nama}"

    # Rendatin: part-way, with notes on the returned entries, some approvals and one person verified.
    start, end = month_bounds(*last)
    rendatin_entries = EntriKinerja.objects.filter(
        pegawai__subbagian=subs["RENDATIN"], tanggal__range=(start, end)
    )
    returned = rendatin_entries.filter(status=StatusEntri.DIKEMBALIKAN)
    assert returned.count() >= 2
    assert all(e.catatan_verifikasi for e in returned)
    assert "Lampirkan notulen rapat" in " ".join(e.catatan_verifikasi for e in returned)
    assert rendatin_entries.filter(status=StatusEntri.DISETUJUI).exists()
    assert rendatin_entries.filter(status=StatusEntri.DIAJUKAN).exists()
    assert laporan("RENDATIN", last).filter(status=StatusLaporan.TERVERIFIKASI).count() == 1

    # Hukum: nothing decided yet.
    hukum_entries = EntriKinerja.objects.filter(pegawai__subbagian=subs["HUKUM"], tanggal__range=(start, end))
    assert hukum_entries.exists()
    assert not hukum_entries.exclude(status=StatusEntri.DIAJUKAN).exists()
    assert not laporan("HUKUM", last).filter(status=StatusLaporan.TERVERIFIKASI).exists()

    # Two months ago: everyone with entries verified, every entry approved; Kasubags by the Sekretaris.
    start, end = month_bounds(*before)
    with_entries = set(
        EntriKinerja.objects.filter(satker=kudus, tanggal__range=(start, end)).values_list(
            "pegawai_id", flat=True
        )
    )
    verified = LaporanBulanan.objects.for_month(*before).verified().filter(satker=kudus)
    assert set(verified.values_list("pegawai_id", flat=True)) == with_entries
    assert len(with_entries) == 20
    assert not EntriKinerja.objects.filter(satker=kudus, tanggal__range=(start, end)).exclude(
        status=StatusEntri.DISETUJUI
    )
    for sub in subs.values():
        assert verified.get(pegawai=sub.kasubag).verifikator == kudus.sekretaris

    # Today's reminders were run: notices for the home page, and nothing left for the daily job to add.
    if working_days(kudus, today.replace(day=1), today - datetime.timedelta(days=1)):
        assert Pemberitahuan.objects.filter(satker=kudus, jenis=JenisPemberitahuan.HARI_KOSONG).exists()
    assert remind_empty_days(kudus, today, dry_run=True).reminders == []

    # Running the demo again changes nothing.
    snapshot = counts()
    call_command("seed_demo", verbosity=0)
    assert counts() == snapshot


def test_the_printed_logins_name_every_kasubag_of_both_offices(db, fake_documents):
    """Issue 12: `make run` listed one Kasubag per office, while each verifies only their own subbagian."""
    import io

    out = io.StringIO()
    call_command("seed_demo", verbosity=1, stdout=out)
    printed = out.getvalue()
    lines = printed.splitlines()
    for satker in Satker.objects.all():
        heads = [s for s in satker.subbagian_set.select_related("kasubag") if s.kasubag is not None]
        assert heads, satker
        for sub in heads:
            role = "Kasubag Rendatin" if sub.is_rendatin else f"Kasubag ({sub.singkatan})"
            row = next(
                (line for line in lines if line.startswith(f"  {role} ") and sub.kasubag.nama in line), None
            )
            assert row is not None, f"{satker}: {role} {sub.kasubag.nama} is not printed"
            assert (sub.kasubag.nip or sub.kasubag.user.username) in row
    for role in ("ASN", "Rendatin", "Sekretaris", "Pimpinan", "Admin satker", "Admin sistem (Django admin)"):
        assert f"  {role} " in printed, role
