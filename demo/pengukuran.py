"""Demo: KPU Kota Bontang (WITA) running its SOP *Pengukuran Kinerja* beside Kudus' SOP in one deployment.

`seed_pengukuran()` (called by `seed_demo`, safe to run again: it does nothing once Bontang exists) builds the
satker with its four subbagian (as in the SOP's flowchart), its people, output codes and verified daily
entries (demo.kinerja's helpers, verified through the verification services), a framework of 16 indicators
over three sasaran (through rekap.pengukuran.kerangka), and three measurements driven through the SOP's ten
steps by rekap.pengukuran.services, each by the actor the SOP names:

- the quarter before last: all ten steps, approved by the Sekretaris (and archived);
- the last full quarter: sent to the Sekretaris, returned with a note, now at step 5 again (version 2);
- the last month whose verification is open: at step 4, one subbagian's form handed in, one partly filled.

Targets of the linked indicators are set from the entries' own monthly level, so capaian land in every
category. The services stamp every step "now"; afterwards the demo moves those stamps back to a plausible
history (as demo.kinerja backdates entries), so the mutu baku board shows real durations, some of them late.
"""

import datetime
import random
import sys
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

from django.contrib.auth import get_user_model
from django.db import transaction
from django.db.models import Count, Sum
from django.db.models.functions import Lower

from demo import kinerja as demo
from demo.data import organisation
from demo.pengukuran_kerangka import KEGIATAN, SASARAN, SPECS
from demo.pengukuran_riwayat import backdate
from kinerja.models import (
    EntriKinerja,
    KodeOutput,
    Pegawai,
    Satker,
    StatusEntri,
    StatusPegawai,
    Subbagian,
    TahapPeriode,
)
from kinerja.organisasi import verifier_for
from kinerja.services import periode_tahap
from rekap.pengukuran import kerangka, periode, services
from rekap.pengukuran.kerangka import IndikatorData, Target
from rekap.pengukuran.models import (
    Arah,
    AturanRealisasi,
    BarisPengukuran,
    FormDataKinerja,
    JenisPeriode,
    JenisTarget,
    Pengukuran,
)
from rekap.pengukuran.periode import period_months
from silabu.lib.dates import shift_month
from verifikasi.services import entri_approve_remaining, laporan_for, laporan_verify

BONTANG = "bontang"
D = Decimal

_ORG = organisation("bontang")
SUBBAGIAN = _ORG["subbagian"]  # (short name, name, is Rendatin)
# demo.kinerja's output codes name the Kudus subbagian; here they map onto Bontang's.
KODE_SUBBAGIAN = {"KUL": "KUL", "TEKNIS": "PARHUBMAS", "RENDATIN": "RENDATIN", "HUKUM": "TEKNIS"}
KODE_PINDAH = {"3359.EBB.951.001": "PARHUBMAS"}  # staff records: SDM sits with Parhubmas in Bontang

SEKRETARIS = _ORG["sekretaris"]  # (nama, jabatan, golongan)
STAFF = _ORG["staff"]  # short name -> [(nama, jabatan, golongan)], the Kasubag first
PIMPINAN = _ORG["pimpinan"]  # (jabatan, username, nama)


MANUAL_CAPAIAN_ALASAN = (
    "Target 0 temuan dan realisasi 0: capaian ditetapkan 100% (rumus tidak dapat membagi dengan target 0)."
)
RETURN_NOTE = (
    "Realisasi IKK 3.2 belum sesuai data SAKTI per akhir triwulan; mohon dicek ulang dan dilengkapi bukti "
    "dukung. Capaian IKK 1.4 di bawah target: tambahkan penjelasan penyebab dan rencana tindak lanjut."
)


def _q(value: Decimal, places: str = "0.01") -> Decimal:
    return value.quantize(D(places), rounding=ROUND_HALF_UP)


def _targets(yearly: Decimal, pola: str, *, whole: bool) -> dict[tuple[str, int], Target]:
    """Per-period targets from the yearly one: a count splits over the periods; a percentage is the same
    every period; a cumulative one grows to the yearly target."""
    out = {}
    for jenis, count in ((JenisPeriode.TRIWULAN, 4), (JenisPeriode.SEMESTER, 2), (JenisPeriode.BULAN, 12)):
        for n in range(1, count + 1):
            if pola == "kumulatif":
                value = yearly * n / count
            elif pola == "jumlah":
                value = yearly / count
            else:
                value = yearly
            out[(jenis.value, n)] = Target(nilai=_q(value, "1") if whole else _q(value))
    return out


def _range_targets(bawah: Decimal, atas: Decimal) -> dict[tuple[str, int], Target]:
    return {key: Target(bawah=bawah, atas=atas) for key in periode.PERIODS}


def monthly_levels(satker: Satker, year_months: list[tuple[int, int]]) -> dict[str, Decimal]:
    """The average monthly realisation of each linked indicator over these months (approved entries)."""
    linked = [spec for spec in SPECS if spec.kode]
    rows = (
        EntriKinerja.objects.filter(
            satker=satker,
            status=StatusEntri.DISETUJUI,
            kode_output__kode__in={spec.kode for spec in linked},
            tanggal__year__in={y for y, _ in year_months},
        )
        .annotate(s=Lower("satuan"))
        .values("kode_output__kode", "tanggal__year", "tanggal__month", "s")
        .annotate(n=Count("pk"), v=Sum("volume"))
    )
    wanted = set(year_months)
    levels = {spec.kode_ind: D(0) for spec in linked}
    for row in rows:
        if (row["tanggal__year"], row["tanggal__month"]) not in wanted:
            continue
        for spec in linked:
            if spec.kode != row["kode_output__kode"]:
                continue
            if spec.aturan == AturanRealisasi.JUMLAH_ENTRI:
                levels[spec.kode_ind] += row["n"]
            elif row["s"].strip() == spec.satuan_volume:
                levels[spec.kode_ind] += row["v"] or 0
    return {kode: total / max(1, len(year_months)) for kode, total in levels.items()}


def build_framework(satker: Satker, tahun: int, subs: dict, by: Pegawai, levels: dict[str, Decimal]) -> None:
    sasaran = {
        kode: kerangka.sasaran_create(satker=satker, tahun=tahun, kode=kode, uraian=uraian, by=by)
        for kode, uraian in SASARAN
    }
    programs: dict[tuple[str, str], object] = {}
    kegiatan = {}
    for s_kode, p_kode, p_uraian, k_kode, k_uraian in KEGIATAN:
        key = (s_kode, p_kode)
        if key not in programs:
            programs[key] = kerangka.program_create(
                sasaran=sasaran[s_kode], kode=p_kode, uraian=p_uraian, by=by
            )
        kegiatan[k_kode] = kerangka.kegiatan_create(
            program=programs[key], kode=k_kode, uraian=k_uraian, by=by
        )
    codes = kerangka.codes_by_name(satker, tahun)
    for spec in SPECS:
        data = IndikatorData(
            kode=spec.kode_ind,
            uraian=spec.uraian,
            satuan=spec.satuan,
            subbagian=subs[spec.sub],
            arah=spec.arah,
            aturan_realisasi=spec.aturan,
            satuan_volume=spec.satuan_volume,
            kode_output=[codes[spec.kode]] if spec.kode else [],
        )
        if spec.rentang:
            data.jenis_target = JenisTarget.RENTANG
            data.tahunan = Target(bawah=spec.rentang[0], atas=spec.rentang[1])
            data.targets = _range_targets(*spec.rentang)
        elif spec.kode:
            month = max(D(1), _q(levels[spec.kode_ind] * spec.tekanan, "1"))
            data.tahunan = Target(nilai=month * 12)
            data.targets = _targets(month * 12, "jumlah", whole=True)
        else:
            data.tahunan = Target(nilai=spec.target)
            data.targets = _targets(spec.target, spec.pola, whole=False)
        kerangka.indikator_create(kegiatan=kegiatan[spec.kegiatan], data=data, by=by)


# --- the organisation --------------------------------------------------------------------------------------


def build_organisation(rng: random.Random):
    satker = demo.create_satker(
        kode=BONTANG,
        nama="KPU Kota Bontang",
        kota="Bontang",
        zona_waktu="Asia/Makassar",
        alamat="Jl. Awang Long No. 1, Bontang Baru, Kec. Bontang Utara, Kota Bontang, Kalimantan Timur 75311",
        kop="KOMISI PEMILIHAN UMUM\nKOTA BONTANG",
    )
    subs = {
        short: Subbagian.objects.create(
            satker=satker, singkatan=short, nama=nama, is_rendatin=rendatin, urutan=i
        )
        for i, (short, nama, rendatin) in enumerate(SUBBAGIAN, start=1)
    }
    serial = Pegawai.objects.count() + 500
    people: dict = {"sekretaris": demo.create_pegawai(satker, None, rng, serial, *SEKRETARIS)}
    satker.sekretaris = people["sekretaris"]
    satker.save(update_fields=["sekretaris"])
    for short, staff in STAFF.items():
        members = []
        for nama, jabatan, golongan in staff:
            serial += 1
            members.append(demo.create_pegawai(satker, subs[short], rng, serial, nama, jabatan, golongan))
        subs[short].kasubag = members[0]
        subs[short].save(update_fields=["kasubag"])
        people[short] = members
    people["pimpinan"] = [
        Pegawai.objects.create(
            user=get_user_model().objects.create_user(username=username, password=demo.DEMO_PASSWORD),
            satker=satker,
            nama=nama,
            jabatan=jabatan,
            status=StatusPegawai.NON_ASN,
            is_pimpinan=True,
        )
        for jabatan, username, nama in PIMPINAN
    ]
    admin = people["PARHUBMAS"][-1]  # SDM keeps the staff records, so it administers SILABU here
    admin.is_admin = True
    admin.save(update_fields=["is_admin"])
    people["admin"] = admin
    return satker, subs, people


def create_codes(satker: Satker, year: int, subs: dict) -> dict[str, KodeOutput]:
    codes = demo.create_kode_output(satker, year, {k: subs[v] for k, v in KODE_SUBBAGIAN.items()})
    for kode, short in KODE_PINDAH.items():
        codes[kode].subbagian = subs[short]
        codes[kode].save(update_fields=["subbagian"])
    return codes


def verify_month(staff: list[Pegawai], year: int, month: int, today: datetime.date) -> int:
    """Every entry of the month approved and each person's month verified by their verifier."""
    done = 0
    for pegawai in staff:
        if not EntriKinerja.objects.for_month(pegawai, year, month).exists():
            continue
        verifier = verifier_for(pegawai, today).pegawai
        laporan = laporan_for(pegawai, year, month)
        entri_approve_remaining(laporan=laporan, by=verifier)
        laporan_verify(laporan=laporan, by=verifier)
        done += 1
    return done


# --- which periods -----------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Periods:
    bulan: tuple[int, int]  # (year, month) in progress
    dikembalikan: tuple[int, int]  # (year, quarter) returned
    disetujui: tuple[int, int]  # (year, quarter) approved

    @property
    def months(self) -> list[tuple[int, int]]:
        found = {self.bulan}
        for year, quarter in (self.dikembalikan, self.disetujui):
            found.update((year, m) for m in period_months(JenisPeriode.TRIWULAN, quarter))
        return sorted(found)

    @property
    def years(self) -> list[int]:
        return sorted({y for y, _ in self.months})


def _previous_quarter(year: int, quarter: int) -> tuple[int, int]:
    return (year, quarter - 1) if quarter > 1 else (year - 1, 4)


def choose_periods(satker: Satker, today: datetime.date) -> Periods:
    """The month in progress is the latest whose verification is open; the returned quarter is the last full
    quarter up to it, the approved one the quarter before."""
    year, month = shift_month(today.year, today.month, -1)
    if periode_tahap(satker, year, month, today=today) == TahapPeriode.OPEN:
        year, month = shift_month(year, month, -1)
    quarter = (month - 1) // 3 + 1
    returned = (year, quarter) if month % 3 == 0 else _previous_quarter(year, quarter)
    return Periods(bulan=(year, month), dikembalikan=returned, disetujui=_previous_quarter(*returned))


# --- driving the SOP ---------------------------------------------------------------------------------------


@dataclass
class Actors:
    sekretaris: Pegawai
    kasubag_rendatin: Pegawai
    rendatin: Pegawai  # a Rendatin staff member
    kasubag: dict[int, Pegawai]  # subbagian id → its Kasubag (who fills and hands in its form)


def _realisasi(row: BarisPengukuran, capaian: Decimal) -> Decimal:
    """The realisation that gives this capaian for the row's target (the demo's reported numbers)."""
    if row.target_bawah is not None:
        bound = row.target_atas if capaian >= 100 else row.target_bawah
        if capaian == 100:
            return _q((row.target_bawah + row.target_atas) / 2)
        return _q(bound * capaian / 100)
    if row.target is None or row.target == 0:
        return D(0)
    if row.arah == Arah.TURUN:
        return _q(row.target * (2 - capaian / 100))
    return _q(row.target * capaian / 100)


def _fill(form: FormDataKinerja, by: Pegawai, which: int, *, only=None) -> None:
    specs = {s.kode_ind: s for s in SPECS}
    nilai = {}
    for row in form.baris_set.all():
        if only is not None and row.indikator_kode not in only:
            continue
        spec = specs.get(row.indikator_kode)
        if row.aturan_realisasi != AturanRealisasi.MANUAL:
            keterangan = "Dihitung dari entri kinerja terverifikasi."
            value = row.realisasi if row.realisasi is not None else D(0)
        else:
            value = _realisasi(row, spec.capaian[which]) if spec else row.realisasi
            keterangan = (spec.keterangan if spec else "") or "Data dari subbagian."
        nilai[row.pk] = services.IsianBaris(realisasi=value, keterangan=keterangan)
    services.form_fill(form=form, by=by, nilai=nilai)


def _start(satker, actors: Actors, jenis: str, tahun: int, nomor: int) -> Pengukuran:
    nama = periode.periode_label(jenis, nomor, tahun)
    p = services.pengukuran_dispose(
        satker=satker,
        tahun=tahun,
        jenis_periode=jenis,
        nomor=nomor,
        instruksi=(
            f"Kepada Kasubag Perencanaan, Data dan Informasi: mohon laksanakan pengukuran kinerja {nama} "
            "sesuai SOP Pengukuran Kinerja, dan laporkan hasilnya kepada Sekretaris."
        ),
        by=actors.sekretaris,
    )
    pilihan: dict[int, list[int]] = {}
    for ind in kerangka.indikator_of_year(satker, tahun).filter(aktif=True).order_by("kode"):
        pilihan.setdefault(ind.subbagian_id, []).append(ind.pk)
    services.pengukuran_draft_forms(pengukuran=p, by=actors.kasubag_rendatin, pilihan=pilihan)
    services.pengukuran_issue_forms(pengukuran=p, by=actors.rendatin)
    return p


def _collect_and_measure(p: Pengukuran, actors: Actors, which: int) -> None:
    for form in p.form_set.select_related("subbagian"):
        by = actors.kasubag[form.subbagian_id]
        _fill(form, by, which)
        services.form_submit(form=form, by=by)
    zero = {r.pk: (D(100), MANUAL_CAPAIAN_ALASAN) for r in p.baris_set.filter(target=0)}
    services.pengukuran_measure(pengukuran=p, by=actors.rendatin, manual=zero)
    services.pengukuran_recap(pengukuran=p, by=actors.rendatin)
    services.pengukuran_report_draft(pengukuran=p, by=actors.rendatin)
    services.pengukuran_send(
        pengukuran=p,
        by=actors.kasubag_rendatin,
        catatan="Sudah diperiksa; mohon persetujuan Sekretaris.",
    )


def drive(satker: Satker, actors: Actors, periods: Periods) -> dict[str, Pengukuran]:
    """The three measurements, each step by its actor through rekap.pengukuran.services."""
    approved = _start(satker, actors, JenisPeriode.TRIWULAN, *periods.disetujui)
    _collect_and_measure(approved, actors, 0)
    services.pengukuran_approve(
        pengukuran=approved,
        by=actors.sekretaris,
        catatan="Disetujui sebagai bahan penyusunan Laporan Kinerja dan evaluasi.",
    )

    returned = _start(satker, actors, JenisPeriode.TRIWULAN, *periods.dikembalikan)
    _collect_and_measure(returned, actors, 1)
    services.pengukuran_return(pengukuran=returned, by=actors.sekretaris, catatan=RETURN_NOTE)

    month = _start(satker, actors, JenisPeriode.BULAN, *periods.bulan)
    forms = {f.subbagian.singkatan: f for f in month.form_set.select_related("subbagian")}
    kul = forms["KUL"]
    _fill(kul, actors.kasubag[kul.subbagian_id], 2)
    services.form_submit(form=kul, by=actors.kasubag[kul.subbagian_id])
    parhubmas = forms["PARHUBMAS"]
    _fill(parhubmas, actors.kasubag[parhubmas.subbagian_id], 2, only={"IKK 1.1", "IKK 1.2"})
    return {"disetujui": approved, "dikembalikan": returned, "bulan": month}


# --- the entry point ---------------------------------------------------------------------------------------


def seed_pengukuran(
    *, verbosity: int = 1, stdout=None, seed: int = 6475, evidence: bool = True
) -> Satker | None:
    """Build the Bontang demo (see the module docstring); None when it is there already."""
    out = stdout or sys.stdout
    existing = Satker.objects.filter(kode=BONTANG).first()
    if existing is not None:
        if verbosity:
            out.write("Data demo KPU Kota Bontang sudah ada; tidak ada yang diubah.\n")
            print_logins(existing, out)
        return None
    rng = random.Random(seed)
    with transaction.atomic():
        satker, subs, people = build_organisation(rng)
        today, now = satker.today(), satker.now()
        periods = choose_periods(satker, today)
        demo.seed_calendar(satker, {*periods.years, today.year})
        codes = {year: create_codes(satker, year, subs) for year in periods.years}
        staff = [p for short in STAFF for p in people[short]]
        pool = demo.EvidencePool(rng, satker.tz) if evidence else None
        yesterday = today - datetime.timedelta(days=1)
        entries = 0
        for year, month in periods.months:
            by_sub = demo.codes_by_subbagian(codes[year], subs)
            last = (year, month) == periods.bulan
            entries += demo.create_month_entries(
                staff,
                by_sub,
                year,
                month,
                rng,
                until=yesterday,
                per_day=(1, 2),
                evidence=pool if last else None,
                evidence_rate=0.3,
            )
        verified = sum(verify_month(staff, year, month, today) for year, month in periods.months)

        levels = monthly_levels(satker, periods.months)
        kasubag_rendatin = subs["RENDATIN"].kasubag
        first, *others = periods.years
        build_framework(satker, first, subs, kasubag_rendatin, levels)
        for year in others:
            kerangka.kerangka_salin(satker=satker, dari=first, ke=year, by=kasubag_rendatin)

        actors = Actors(
            sekretaris=people["sekretaris"],
            kasubag_rendatin=kasubag_rendatin,
            rendatin=people["RENDATIN"][1],
            kasubag={sub.pk: sub.kasubag for sub in subs.values()},
        )
        measured = drive(satker, actors, periods)
        backdate(satker, measured, periods, now)
    if verbosity:
        labels = {k: periode.label(p) for k, p in measured.items()}
        out.write(
            f"Data demo KPU Kota Bontang dibuat: {len(staff)} pegawai, {entries} entri kinerja "
            f"({verified} laporan bulanan terverifikasi), {len(SPECS)} indikator kinerja. Pengukuran: "
            f"{labels['disetujui']} disetujui; {labels['dikembalikan']} dikembalikan Sekretaris (langkah 5, "
            f"versi 2); {labels['bulan']} pada langkah 4 (1 form diserahkan).\n"
        )
        print_logins(satker, out)
    return satker


def print_logins(satker: Satker, out) -> None:
    """The Bontang demo's logins, as seed_demo prints Kudus' (demo.kinerja.print_logins)."""
    demo.print_logins(
        satker, out, f"\nKPU Kota Bontang (WITA) — kata sandi semua akun demo: {demo.DEMO_PASSWORD}"
    )
