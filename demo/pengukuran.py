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
from django.contrib.contenttypes.models import ContentType
from django.db import transaction
from django.db.models import Count, Sum
from django.db.models.functions import Lower

from demo import kinerja as demo
from kinerja.kalender import working_days
from kinerja.models import (
    AuditLog,
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
    LangkahPengukuran,
    Pengukuran,
    VersiPengukuran,
)
from rekap.pengukuran.periode import period_months
from silabu.lib.dates import shift_month
from verifikasi.services import entri_approve_remaining, laporan_for, laporan_verify

BONTANG = "bontang"
D = Decimal

SUBBAGIAN = [
    ("KUL", "Subbagian Keuangan, Umum dan Logistik", False),
    ("TEKNIS", "Subbagian Teknis Penyelenggaraan Pemilu dan Hukum", False),
    ("PARHUBMAS", "Subbagian Partisipasi, Hubungan Masyarakat dan SDM", False),
    ("RENDATIN", "Subbagian Perencanaan, Data dan Informasi", True),
]
# demo.kinerja's output codes name the Kudus subbagian; here they map onto Bontang's.
KODE_SUBBAGIAN = {"KUL": "KUL", "TEKNIS": "PARHUBMAS", "RENDATIN": "RENDATIN", "HUKUM": "TEKNIS"}
KODE_PINDAH = {"3359.EBB.951.001": "PARHUBMAS"}  # staff records: SDM sits with Parhubmas in Bontang

SEKRETARIS = ("Bambang Rahmadhany, S.E., M.M.", "Sekretaris KPU Kota Bontang", "Pembina Tk. I (IV/b)")
STAFF = {
    "KUL": [
        ("Hj. Nurhayati, S.E.", "Kepala Subbagian Keuangan, Umum dan Logistik", "Penata Tk. I (III/d)"),
        ("Muhammad Arif, A.Md.", "Pengelola Keuangan", "Pengatur Tk. I (II/d)"),
        ("Sitti Rahmawati, S.Ak.", "Penata Laporan Keuangan", "Penata Muda Tk. I (III/b)"),
    ],
    "TEKNIS": [
        (
            "Andi Syamsuddin, S.H.",
            "Kepala Subbagian Teknis Penyelenggaraan Pemilu dan Hukum",
            "Penata Tk. I (III/d)",
        ),
        ("Rudy Hartono, S.H.", "Penata Kelola Pemilu", "Penata Muda Tk. I (III/b)"),
        ("Wahyuni Lestari", "Pengadministrasi Hukum", "PPPK (VII)"),
    ],
    "PARHUBMAS": [
        (
            "Dewi Anggraini, S.Sos.",
            "Kepala Subbagian Partisipasi, Hubungan Masyarakat dan SDM",
            "Penata (III/c)",
        ),
        ("Fajar Ramadhan, S.I.Kom.", "Pranata Hubungan Masyarakat", "Penata Muda (III/a)"),
        ("Nur Aisyah, S.Psi.", "Analis SDM Aparatur", "Penata Muda (III/a)"),
    ],
    "RENDATIN": [
        (
            "Rahmat Hidayat, S.T., M.T.",
            "Kepala Subbagian Perencanaan, Data dan Informasi",
            "Penata Tk. I (III/d)",
        ),
        ("Indah Permatasari, S.Kom.", "Pranata Komputer Ahli Pertama", "Penata Muda Tk. I (III/b)"),
        ("Yoga Pratama, S.E.", "Perencana Ahli Pertama", "Penata Muda (III/a)"),
    ],
}
PIMPINAN = [("Ketua KPU Kota Bontang", "ketua.bontang", "H. Abdul Rasyid, S.Pd., M.Si.")]


# --- the framework -------------------------------------------------------------------------------------------


@dataclass
class Spec:
    """One indicator of the demo framework and how the demo fills it.

    For a linked indicator (`kode` set), targets follow the entries' monthly level: the monthly target is
    that level × `tekanan` (so capaian ≈ 100 / tekanan). For a manual one, `target` is the yearly target,
    `pola` says how periods share it, and `capaian` are the achievements the subbagian reports, in the order
    approved quarter, returned quarter, month.
    """

    kode_ind: str
    uraian: str
    satuan: str
    sub: str
    kegiatan: str
    kode: str = ""
    aturan: str = AturanRealisasi.MANUAL
    satuan_volume: str = ""
    tekanan: Decimal = D(1)
    arah: str = Arah.NAIK
    target: Decimal | None = None
    rentang: tuple[Decimal, Decimal] | None = None
    pola: str = "tetap"  # tetap: the same every period; kumulatif: grows to the yearly target
    capaian: tuple[Decimal, ...] = (D(100), D(100), D(100))
    keterangan: str = ""


SASARAN = [
    ("SS.1", "Meningkatnya partisipasi dan literasi politik masyarakat Kota Bontang"),
    ("SS.2", "Meningkatnya kualitas data pemilih berkelanjutan dan layanan informasi publik"),
    ("SS.3", "Meningkatnya kualitas tata kelola kelembagaan dan dukungan manajemen KPU Kota Bontang"),
]
# (sasaran, program code, program, kegiatan code, kegiatan)
KEGIATAN = [
    (
        "SS.1",
        "076.01.DH",
        "Program Penyelenggaraan Pemilu dalam Proses Konsolidasi Demokrasi",
        "3363",
        "Pelaksanaan Pendidikan Pemilih dan Partisipasi Masyarakat",
    ),
    ("SS.1", "076.01.DH", "", "3359.EBD.959", "Layanan Hukum dan Pengaduan Masyarakat"),
    ("SS.2", "076.01.WA", "Program Dukungan Manajemen", "3359.EBD.953", "Layanan Data dan Informasi"),
    ("SS.2", "076.01.WA", "", "3359.EBC.954", "Layanan Manajemen Perencanaan dan Penganggaran"),
    ("SS.3", "076.01.WA", "Program Dukungan Manajemen", "3359.EBA", "Layanan Dukungan Manajemen Internal"),
    ("SS.3", "076.01.WA", "", "3359.EBB", "Layanan Manajemen SDM"),
]
SPECS = [
    Spec(
        "IKK 1.1",
        "Jumlah kegiatan sosialisasi dan pendidikan pemilih yang dilaksanakan",
        "kegiatan",
        "PARHUBMAS",
        "3363",
        kode="3363.QDC.001.051",
        aturan=AturanRealisasi.JUMLAH_ENTRI,
        tekanan=D("0.9"),
    ),
    Spec(
        "IKK 1.2",
        "Jumlah rilis berita dan publikasi kegiatan KPU Kota Bontang",
        "berita",
        "PARHUBMAS",
        "3363",
        kode="3359.EBA.958.001",
        aturan=AturanRealisasi.JUMLAH_VOLUME,
        satuan_volume="berita",
        tekanan=D("1.15"),
    ),
    Spec(
        "IKK 1.3",
        "Indeks kepuasan peserta sosialisasi pendidikan pemilih",
        "indeks",
        "PARHUBMAS",
        "3363",
        rentang=(D(80), D(90)),
        capaian=(D(100), D("92.5"), D(100)),
    ),
    Spec(
        "IKK 1.4",
        "Persentase pengaduan masyarakat yang ditindaklanjuti tepat waktu",
        "persen",
        "TEKNIS",
        "3359.EBD.959",
        target=D(100),
        capaian=(D(100), D(85), D(100)),
    ),
    Spec(
        "IKK 1.5",
        "Jumlah produk hukum dan telaahan hukum yang disusun",
        "dokumen",
        "TEKNIS",
        "3359.EBD.959",
        kode="3359.EBD.959.001",
        aturan=AturanRealisasi.JUMLAH_VOLUME,
        satuan_volume="dokumen",
        tekanan=D("1.4"),
    ),
    Spec(
        "IKK 2.1",
        "Jumlah rekapitulasi pemutakhiran data pemilih berkelanjutan",
        "dokumen",
        "RENDATIN",
        "3359.EBD.953",
        kode="3359.EBD.953.001",
        aturan=AturanRealisasi.JUMLAH_VOLUME,
        satuan_volume="dokumen",
        tekanan=D(1),
    ),
    Spec(
        "IKK 2.2",
        "Persentase permohonan informasi publik yang diselesaikan tepat waktu",
        "persen",
        "RENDATIN",
        "3359.EBD.953",
        target=D(100),
        capaian=(D(100), D(100), D(95)),
    ),
    Spec(
        "IKK 2.3",
        "Jumlah laporan monitoring dan evaluasi kinerja yang disusun",
        "laporan",
        "RENDATIN",
        "3359.EBC.954",
        kode="3359.EBC.954.002",
        aturan=AturanRealisasi.JUMLAH_VOLUME,
        satuan_volume="laporan",
        tekanan=D("1.2"),
    ),
    Spec(
        "IKK 2.4",
        "Jumlah dokumen perencanaan dan penganggaran yang disusun",
        "dokumen",
        "RENDATIN",
        "3359.EBC.954",
        kode="3359.EBC.954.001",
        aturan=AturanRealisasi.JUMLAH_ENTRI,
        tekanan=D("1.6"),
    ),
    Spec(
        "IKK 3.1",
        "Jumlah surat masuk dan keluar yang diadministrasikan",
        "surat",
        "KUL",
        "3359.EBA",
        kode="3359.EBA.962.001",
        aturan=AturanRealisasi.JUMLAH_VOLUME,
        satuan_volume="surat",
        tekanan=D("0.95"),
    ),
    Spec(
        "IKK 3.2",
        "Persentase realisasi anggaran (kumulatif)",
        "persen",
        "KUL",
        "3359.EBA",
        target=D(95),
        pola="kumulatif",
        capaian=(D(96), D(72), D(98)),
    ),
    Spec(
        "IKK 3.3",
        "Persentase keterlambatan penyampaian laporan keuangan",
        "persen",
        "KUL",
        "3359.EBA",
        arah=Arah.TURUN,
        target=D(5),
        capaian=(D(120), D(100), D(140)),
    ),
    Spec(
        "IKK 3.4",
        "Jumlah temuan hasil pemeriksaan yang belum ditindaklanjuti",
        "temuan",
        "KUL",
        "3359.EBA",
        arah=Arah.TURUN,
        target=D(0),
        capaian=(D(0), D(0), D(0)),
        keterangan="Tidak ada temuan yang belum ditindaklanjuti.",
    ),
    Spec(
        "IKK 3.5",
        "Nilai Indikator Kinerja Pelaksanaan Anggaran (IKPA)",
        "nilai",
        "KUL",
        "3359.EBA",
        rentang=(D(90), D(100)),
        capaian=(D(100), D(100), D(100)),
    ),
    Spec(
        "IKK 3.6",
        "Jumlah berkas layanan kepegawaian yang diproses",
        "berkas",
        "PARHUBMAS",
        "3359.EBB",
        kode="3359.EBB.951.001",
        aturan=AturanRealisasi.JUMLAH_VOLUME,
        satuan_volume="berkas",
        tekanan=D("1.05"),
    ),
    Spec(
        "IKK 3.7",
        "Persentase pegawai yang mengikuti pengembangan kompetensi",
        "persen",
        "PARHUBMAS",
        "3359.EBB",
        target=D(80),
        pola="kumulatif",
        capaian=(D(80), D(60), D(100)),
    ),
]
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


def _person(satker, sub, rng, serial, nama, jabatan, golongan) -> Pegawai:
    status = StatusPegawai.PPPK if golongan.startswith("PPPK") else StatusPegawai.PNS
    nip = demo.make_nip(rng, serial, status)
    user = get_user_model().objects.create_user(username=nip)
    user.set_password(demo.DEMO_PASSWORD)
    user.save(update_fields=["password"])
    return Pegawai.objects.create(
        user=user,
        satker=satker,
        subbagian=sub,
        nip=nip,
        nama=nama,
        jabatan=jabatan,
        pangkat_golongan=golongan,
        status=status,
    )


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
    people: dict = {"sekretaris": _person(satker, None, rng, serial, *SEKRETARIS)}
    satker.sekretaris = people["sekretaris"]
    satker.save(update_fields=["sekretaris"])
    for short, staff in STAFF.items():
        members = []
        for nama, jabatan, golongan in staff:
            serial += 1
            members.append(_person(satker, subs[short], rng, serial, nama, jabatan, golongan))
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


# --- a plausible history -----------------------------------------------------------------------------------

# Office minutes each step took (against the mutu baku: 10, 20, 120, 120, 1 day, 180, 60, 90, 30 minutes).
ON_TIME = {1: 10, 2: 15, 3: 105, 4: 110, 5: 400, 6: 160, 7: 45, 8: 75, 9: 25, 10: 0}
LATE = {1: 12, 2: 35, 3: 150, 4: 95, 5: 2 * 480 + 180, 6: 170, 7: 55, 8: 80, 9: 28, 10: 0}
OFFICE_OPENS, OFFICE_CLOSES = datetime.time(8, 0), datetime.time(16, 0)
OFFICE_DAY = 480


class OfficeClock:
    """Office hours (08:00–16:00 local) on the satker's working days, to lay steps out as people work."""

    def __init__(self, satker: Satker, around: datetime.datetime):
        tz = satker.tz
        first = around.astimezone(tz).date() - datetime.timedelta(days=7)
        self.tz = tz
        self.days = working_days(satker, first, first + datetime.timedelta(days=120))

    def _open(self, day: datetime.date) -> datetime.datetime:
        return datetime.datetime.combine(day, OFFICE_OPENS, self.tz)

    def _close(self, day: datetime.date) -> datetime.datetime:
        return datetime.datetime.combine(day, OFFICE_CLOSES, self.tz)

    def next_day(self, moment: datetime.datetime) -> datetime.datetime:
        day = moment.astimezone(self.tz).date()
        return self._open(next(d for d in self.days if d > day))

    def start(self, moment: datetime.datetime, minutes: int) -> datetime.datetime:
        """When a step of `minutes` begins: now if it fits in today's office hours, else the next morning."""
        local = moment.astimezone(self.tz)
        if local.date() not in self.days or local >= self._close(local.date()):
            return self.next_day(local)
        local = max(local, self._open(local.date()))
        fits = local + datetime.timedelta(minutes=minutes) <= self._close(local.date())
        return local if fits or minutes > OFFICE_DAY else self.next_day(local)

    def add(self, moment: datetime.datetime, minutes: int) -> datetime.datetime:
        """`moment` plus this many office minutes."""
        local = moment.astimezone(self.tz)
        while True:
            left = (self._close(local.date()) - local).total_seconds() / 60
            if minutes <= left:
                return local + datetime.timedelta(minutes=minutes)
            minutes -= max(0, left)
            local = self.next_day(local)


def _start_of(satker: Satker, year: int, month: int, nth: int = 2) -> datetime.datetime:
    """08:30 local time on the nth working day of a month."""
    first = datetime.date(year, month, 1)
    days = working_days(satker, first, first + datetime.timedelta(days=20))
    return datetime.datetime.combine(days[min(nth, len(days) - 1)], datetime.time(8, 30), satker.tz)


def retime(p: Pengukuran, start: datetime.datetime, minutes: dict[int, int]) -> datetime.datetime:
    """Lay the measurement's steps out from `start` with these durations in office hours; returns the end."""
    rows = list(LangkahPengukuran.objects.filter(pengukuran=p).order_by("id"))
    clock = OfficeClock(p.satker, start)
    cursor = start
    closed = []
    for row in rows:
        if row.selesai is None:
            row.mulai = cursor
            continue
        # A step that would not fit in today's office hours is picked up the next morning.
        row.mulai = cursor = clock.start(cursor, minutes[row.langkah])
        row.selesai = cursor = clock.add(cursor, minutes[row.langkah])
        closed.append(row)
    LangkahPengukuran.objects.bulk_update(rows, ["mulai", "selesai"])
    Pengukuran.objects.filter(pk=p.pk).update(disposisi_pada=start)
    step = {}
    for row in closed:
        step.setdefault((row.langkah, row.versi), row)
    for versi in VersiPengukuran.objects.filter(pengukuran=p):
        VersiPengukuran.objects.filter(pk=versi.pk).update(pada=step[(9, versi.versi)].selesai)
    issued = step.get((3, 1))
    collecting = next((r for r in rows if r.langkah == 4), None)
    forms = list(FormDataKinerja.objects.filter(pengukuran=p).order_by("pk"))
    if issued is not None:
        FormDataKinerja.objects.filter(pengukuran=p).update(diterbitkan_pada=issued.selesai)
    if collecting is not None:
        # Forms come in one after another during step 4 (every 30 minutes while it is still open).
        gap = minutes[4] / (len(forms) + 1) if collecting.selesai else 30
        for i, form in enumerate(forms, start=1):
            if form.diserahkan_pada is not None:
                form.diserahkan_pada = clock.add(collecting.mulai, round(gap * i))
        FormDataKinerja.objects.bulk_update(forms, ["diserahkan_pada"])
    # The audit trail follows: one row per transition, in the order the steps closed.
    logs = AuditLog.objects.filter(
        content_type=ContentType.objects.get_for_model(Pengukuran), object_id=p.pk
    ).order_by("id")
    transitions = [r for r in closed if r.langkah != 10]
    for log, row in zip(logs, transitions, strict=False):
        AuditLog.objects.filter(pk=log.pk).update(waktu=row.selesai)
    form_logs = AuditLog.objects.filter(
        content_type=ContentType.objects.get_for_model(FormDataKinerja), object_id__in=[f.pk for f in forms]
    )
    when = {f.pk: f.diserahkan_pada or (collecting.mulai if collecting else start) for f in forms}
    for log in form_logs:
        AuditLog.objects.filter(pk=log.pk).update(waktu=when[log.object_id])
    return cursor


def backdate(
    satker: Satker, measured: dict[str, Pengukuran], periods: Periods, now: datetime.datetime
) -> None:
    """A quarter's measurement starts on the third working day after the quarter (at least two weeks ago);
    the month's started this afternoon, or yesterday afternoon when the office is closed now."""
    latest = now - datetime.timedelta(days=14)

    def after(year: int, quarter: int) -> datetime.datetime:
        return min(_start_of(satker, *shift_month(year, quarter * 3, 1)), latest)

    retime(measured["disetujui"], after(*periods.disetujui), ON_TIME)
    retime(measured["dikembalikan"], after(*periods.dikembalikan), LATE)
    clock = OfficeClock(satker, now)
    month_start = now - datetime.timedelta(minutes=150)
    if clock.start(month_start, 120) != month_start.astimezone(satker.tz):
        today = now.astimezone(satker.tz).date()
        previous = max(d for d in clock.days if d < today)
        month_start = datetime.datetime.combine(previous, datetime.time(13, 0), satker.tz)
    retime(measured["bulan"], month_start, {1: 10, 2: 20, 3: 90, 4: 0})


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
    """One login per role, as seed_demo prints Kudus' (a role the satker lacks is left out)."""
    subs = {s.singkatan: s for s in satker.subbagian_set.select_related("kasubag")}

    def staff_of(short: str) -> Pegawai | None:
        sub = subs.get(short)
        return sub.pegawai_set.exclude(pk=sub.kasubag_id).order_by("nama").first() if sub else None

    def kasubag_of(short: str) -> Pegawai | None:
        return subs[short].kasubag if short in subs else None

    pimpinan = satker.pegawai_set.filter(is_pimpinan=True).select_related("user").first()
    candidates = [
        ("ASN", staff_of("KUL")),
        ("Kasubag (KUL)", kasubag_of("KUL")),
        ("Rendatin", staff_of("RENDATIN")),
        ("Kasubag Rendatin", kasubag_of("RENDATIN")),
        ("Sekretaris", satker.sekretaris),
        ("Pimpinan", pimpinan),
        ("Admin satker", satker.pegawai_set.filter(is_admin=True).first()),
    ]
    out.write(f"\nKPU Kota Bontang (WITA) — kata sandi semua akun demo: {demo.DEMO_PASSWORD}\n")
    for role, person in candidates:
        if person is not None:
            out.write(f"  {role:<28} {person.nip or person.user.username:<20} {person.nama}\n")
