"""Demo and benchmark data: a realistic KPU secretariat, its output codes and months of entries.

Used by `seed_demo` (what `make run` shows) and by the benchmark (a satker-year). Writes rows in bulk on
purpose: it creates history (entries dated in the past, some entered late) that the services would refuse.
"""

import datetime
import io
import random
from decimal import Decimal

from django.contrib.auth import get_user_model
from django.core.files.base import ContentFile
from django.utils import timezone
from PIL import Image, ImageDraw

from demo.data import organisation
from kinerja import kalender_services
from kinerja.evidence import process_upload
from kinerja.kalender import holidays_between, is_filled_late, working_days
from kinerja.models import (
    BuktiDukung,
    EntriKinerja,
    JenisBukti,
    JenisKetidakhadiran,
    Ketidakhadiran,
    KodeOutput,
    LevelKode,
    Pegawai,
    Satker,
    StatusPegawai,
    Subbagian,
)
from silabu.lib.dates import days_between, month_bounds

DEMO_PASSWORD = "silabu-demo-2026"

_ORG = organisation("kudus")
SUBBAGIAN = _ORG["subbagian"]  # (short name, name, is Rendatin)

# (code, description, level, subbagian restriction or None)
KODE_OUTPUT = [
    ("076.01.WA", "Program Dukungan Manajemen", LevelKode.PROGRAM, None),
    (
        "3359",
        "Dukungan Manajemen dan Pelaksanaan Tugas Teknis Lainnya KPU Kabupaten/Kota",
        LevelKode.KEGIATAN,
        None,
    ),
    ("3359.EBA", "Layanan Dukungan Manajemen Internal", LevelKode.KRO, None),
    ("3359.EBA.956", "Layanan BMN", LevelKode.RO, None),
    ("3359.EBA.956.001", "Penatausahaan dan Pengelolaan Barang Milik Negara", LevelKode.KOMPONEN, "KUL"),
    ("3359.EBA.958", "Layanan Hubungan Masyarakat", LevelKode.RO, None),
    ("3359.EBA.958.001", "Publikasi, Pemberitaan dan Kehumasan", LevelKode.KOMPONEN, "TEKNIS"),
    ("3359.EBA.962", "Layanan Umum", LevelKode.RO, None),
    ("3359.EBA.962.001", "Pengelolaan Persuratan dan Kearsipan", LevelKode.KOMPONEN, None),
    ("3359.EBA.962.002", "Pengelolaan Rumah Tangga dan Keprotokolan", LevelKode.KOMPONEN, "KUL"),
    ("3359.EBA.994", "Layanan Perkantoran", LevelKode.RO, None),
    ("3359.EBA.994.001", "Gaji dan Tunjangan", LevelKode.KOMPONEN, "KUL"),
    ("3359.EBA.994.002", "Operasional dan Pemeliharaan Kantor", LevelKode.KOMPONEN, None),
    ("3359.EBB", "Layanan Manajemen SDM", LevelKode.KRO, None),
    ("3359.EBB.951", "Layanan Manajemen SDM", LevelKode.RO, None),
    ("3359.EBB.951.001", "Administrasi Kepegawaian", LevelKode.KOMPONEN, "HUKUM"),
    ("3359.EBB.951.002", "Pengembangan Kompetensi SDM", LevelKode.KOMPONEN, None),
    ("3359.EBC", "Layanan Manajemen Kinerja Internal", LevelKode.KRO, None),
    ("3359.EBC.954", "Layanan Manajemen Perencanaan dan Penganggaran", LevelKode.RO, None),
    ("3359.EBC.954.001", "Penyusunan Rencana Kerja dan Anggaran", LevelKode.KOMPONEN, "RENDATIN"),
    ("3359.EBC.954.002", "Monitoring, Evaluasi dan Laporan Kinerja", LevelKode.KOMPONEN, "RENDATIN"),
    ("3359.EBC.955", "Layanan Manajemen Keuangan", LevelKode.RO, None),
    ("3359.EBC.955.001", "Pengelolaan Keuangan dan Laporan Keuangan", LevelKode.KOMPONEN, "KUL"),
    ("3359.EBD", "Layanan Manajemen Data dan Informasi", LevelKode.KRO, None),
    ("3359.EBD.953", "Layanan Data dan Informasi", LevelKode.RO, None),
    ("3359.EBD.953.001", "Pengelolaan Data Pemilih dan Sistem Informasi", LevelKode.KOMPONEN, None),
    ("3359.EBD.959", "Layanan Hukum", LevelKode.RO, None),
    (
        "3359.EBD.959.001",
        "Advokasi, Penyelesaian Sengketa dan Dokumentasi Hukum",
        LevelKode.KOMPONEN,
        "HUKUM",
    ),
    (
        "076.01.DH",
        "Program Penyelenggaraan Pemilu dalam Proses Konsolidasi Demokrasi",
        LevelKode.PROGRAM,
        None,
    ),
    ("3363", "Pelaksanaan Pendidikan Pemilih dan Partisipasi Masyarakat", LevelKode.KEGIATAN, None),
    ("3363.QDC", "Fasilitasi dan Pembinaan Masyarakat", LevelKode.KRO, None),
    ("3363.QDC.001", "Sosialisasi dan Pendidikan Pemilih", LevelKode.RO, None),
    ("3363.QDC.001.051", "Pendidikan Pemilih Berkelanjutan", LevelKode.KOMPONEN, "TEKNIS"),
    ("3363.QDC.001.052", "Pemutakhiran Data Pemilih Berkelanjutan", LevelKode.KOMPONEN, None),
]

# Work that fits each code, with its unit: what people really write.
KEGIATAN = {
    "3359.EBA.956.001": [("Inventarisasi BMN ruang rapat", "Daftar barang ruangan", "dokumen")],
    "3359.EBA.958.001": [
        ("Menyusun rilis berita kegiatan KPU", "Rilis berita di laman dan media sosial", "berita")
    ],
    "3359.EBA.962.001": [
        ("Mengagendakan surat masuk", "Surat masuk tercatat dan terdisposisi", "surat"),
        ("Menyusun konsep surat keluar", "Konsep surat siap ditandatangani", "surat"),
    ],
    "3359.EBA.962.002": [("Menyiapkan rapat koordinasi", "Ruang rapat dan konsumsi siap", "kegiatan")],
    "3359.EBA.994.001": [("Menyusun daftar gaji bulanan", "Daftar gaji dan rekap potongan", "dokumen")],
    "3359.EBA.994.002": [
        ("Pemeliharaan kendaraan dinas", "Kendaraan diservis, bukti bayar diarsipkan", "unit"),
        ("Pengecekan jaringan dan perangkat kantor", "Perangkat berfungsi baik", "kegiatan"),
    ],
    "3359.EBB.951.001": [("Memproses usulan kenaikan pangkat", "Berkas usulan lengkap", "berkas")],
    "3359.EBB.951.002": [
        ("Mengikuti webinar pengembangan kompetensi", "Sertifikat dan catatan materi", "kegiatan")
    ],
    "3359.EBC.954.001": [("Menyusun RKA-K/L tahun berikutnya", "Draf RKA-K/L", "dokumen")],
    "3359.EBC.954.002": [
        ("Merekap data kinerja bulanan", "Rekap kinerja per subbagian", "laporan"),
        ("Menyusun bahan rapat pleno laporan bulanan", "Bahan pleno", "dokumen"),
    ],
    "3359.EBC.955.001": [("Membuat SPM dan SP2D", "SPM terbit", "dokumen")],
    "3359.EBD.953.001": [("Pemutakhiran data pemilih berkelanjutan", "Rekap DPB bulanan", "dokumen")],
    "3359.EBD.959.001": [("Menyusun kajian hukum", "Telaahan staf", "dokumen")],
    "3363.QDC.001.051": [
        ("Sosialisasi pendidikan pemilih di sekolah", "Laporan sosialisasi dan daftar hadir", "kegiatan")
    ],
    "3363.QDC.001.052": [
        ("Koordinasi data pemilih dengan Disdukcapil", "Berita acara koordinasi", "kegiatan")
    ],
}

STAFF = _ORG["staff"]  # short name -> [(nama, jabatan, golongan)], the Kasubag first


def make_nip(rng: random.Random, serial: int, status: str = StatusPegawai.PNS) -> str:
    born = datetime.date(1970, 1, 1) + datetime.timedelta(days=rng.randrange(0, 365 * 28))
    if status == StatusPegawai.PPPK:
        return f"{born:%Y%m%d}2023{21}{rng.choice('12')}{serial % 1000:03d}"
    tmt = datetime.date(born.year + rng.randint(22, 30), rng.randint(1, 12), 1)
    return f"{born:%Y%m%d}{tmt:%Y%m}{rng.choice('12')}{serial % 1000:03d}"


def _user(username: str, email: str = ""):
    user = get_user_model().objects.create_user(username=username, email=email)
    user.set_password(DEMO_PASSWORD)
    user.save(update_fields=["password"])
    return user


def create_pegawai(
    satker: Satker,
    sub: Subbagian | None,
    rng: random.Random,
    serial: int,
    nama: str,
    jabatan: str,
    golongan: str,
) -> Pegawai:
    """One demo person with a sign-in of their own (the NIP, the demo password); PPPK by their golongan."""
    status = StatusPegawai.PPPK if golongan.startswith("PPPK") else StatusPegawai.PNS
    nip = make_nip(rng, serial, status)
    return Pegawai.objects.create(
        user=_user(nip),
        satker=satker,
        subbagian=sub,
        nip=nip,
        nama=nama,
        jabatan=jabatan,
        pangkat_golongan=golongan,
        status=status,
    )


def login_rows(satker: Satker) -> list[tuple[str, str, str]]:
    """(role, login, name) to try the demo with: one person per role, and every Kasubag (each verifies only their
    own subbagian, so one Kasubag shows a single subbagian's queue). A role the satker lacks is left out."""
    subs = list(satker.subbagian_set.select_related("kasubag__user").order_by("urutan", "pk"))

    def staff_of(sub: Subbagian | None) -> Pegawai | None:
        if sub is None:
            return None
        return sub.pegawai_set.exclude(pk=sub.kasubag_id).select_related("user").order_by("nama").first()

    first = next(
        (s for s in subs if s.singkatan == "KUL"), next((s for s in subs if not s.is_rendatin), None)
    )
    rendatin = next((s for s in subs if s.is_rendatin), None)
    kasubags = [
        ("Kasubag Rendatin" if s.is_rendatin else f"Kasubag ({s.singkatan})", s.kasubag)
        for s in sorted(
            subs, key=lambda s: s.is_rendatin
        )  # the verifying heads first, Rendatin's with Rendatin
    ]
    people = [
        ("ASN", staff_of(first)),
        *[row for row in kasubags if not row[0].startswith("Kasubag Rendatin")],
        ("Rendatin", staff_of(rendatin)),
        *[row for row in kasubags if row[0].startswith("Kasubag Rendatin")],
        ("Sekretaris", satker.sekretaris),
        ("Pimpinan", satker.pegawai_set.filter(is_pimpinan=True).select_related("user").first()),
        ("Admin satker", satker.pegawai_set.filter(is_admin=True).select_related("user").first()),
    ]
    return [(role, p.nip or p.user.username, p.nama) for role, p in people if p is not None]


def print_logins(satker: Satker, out, heading: str, extra: tuple[tuple[str, str, str], ...] = ()) -> None:
    """The demo's logins under `heading`, as `make run` shows them."""
    out.write(f"{heading}\n")
    for role, login, name in [*login_rows(satker), *extra]:
        out.write(f"  {role:<28} {login:<20} {name}\n")


def create_satker(
    *, kode: str, nama: str, kota: str, zona_waktu: str, alamat: str = "", kop: str = ""
) -> Satker:
    return Satker.objects.create(
        kode=kode, nama=nama, kota=kota, zona_waktu=zona_waktu, alamat=alamat, kop_baris=kop or nama.upper()
    )


def create_subbagian(satker: Satker) -> dict[str, Subbagian]:
    return {
        short: Subbagian.objects.create(
            satker=satker, singkatan=short, nama=name, is_rendatin=is_rendatin, urutan=i + 1
        )
        for i, (short, name, is_rendatin) in enumerate(SUBBAGIAN)
    }


def create_people(
    satker: Satker, subbagian: dict[str, Subbagian], rng: random.Random, *, extra_per_sub: int = 0
):
    """Sekretaris, a Kasubag and staff per subbagian, two Pimpinan; returns {"sekretaris":…, "KUL": [...], …}."""
    serial = Pegawai.objects.count() + 1
    people: dict = {}

    def person(nama, jabatan, golongan, sub=None):
        nonlocal serial
        serial += 1
        return create_pegawai(satker, sub, rng, serial - 1, nama, jabatan, golongan)

    people["sekretaris"] = person("Da'faf Ali, S.Ag., M.Si.", "Sekretaris", "Pembina (IV/a)")
    satker.sekretaris = people["sekretaris"]
    satker.save(update_fields=["sekretaris"])
    for short, staff in STAFF.items():
        sub = subbagian[short]
        members = []
        for i, (nama, jabatan, golongan) in enumerate(staff):
            members.append(person(nama, jabatan, golongan, sub))
            if i == 0:
                sub.kasubag = members[0]
                sub.save(update_fields=["kasubag"])
        for j in range(extra_per_sub):
            members.append(person(f"Pegawai {short.title()} {j + 1}", "Pelaksana", "Pengatur (II/c)", sub))
        people[short] = members
    for nama, jabatan, username in [
        ("Dr. Ahmad Sholeh, M.Pd.", "Ketua KPU Kabupaten", f"ketua.{satker.kode}"),
        ("Nurul Hidayah, S.H.", "Anggota KPU Kabupaten", f"anggota.{satker.kode}"),
    ]:
        people.setdefault("pimpinan", []).append(
            Pegawai.objects.create(
                user=_user(username),
                satker=satker,
                nama=nama,
                jabatan=jabatan,
                status=StatusPegawai.NON_ASN,
                is_pimpinan=True,
            )
        )
    # Hukum & SDM runs the staff records: its last member administers SILABU for the satker.
    admin = people["HUKUM"][-1]
    admin.is_admin = True
    admin.save(update_fields=["is_admin"])
    people["admin"] = admin
    return people


def create_kode_output(satker: Satker, year: int, subbagian: dict[str, Subbagian]) -> dict[str, KodeOutput]:
    codes: dict[str, KodeOutput] = {}
    for kode, uraian, level, sub in KODE_OUTPUT:
        parent_code = next(
            (c for c in sorted(codes, key=len, reverse=True) if kode.startswith(c + ".")), None
        )
        codes[kode] = KodeOutput.objects.create(
            satker=satker,
            tahun=year,
            kode=kode,
            uraian=uraian,
            level=level,
            parent=codes.get(parent_code) if parent_code else None,
            subbagian=subbagian[sub] if sub else None,
        )
    return codes


def _demo_image(rng: random.Random, caption: str) -> bytes:
    img = Image.new("RGB", (800, 600), tuple(rng.randint(60, 200) for _ in range(3)))
    draw = ImageDraw.Draw(img)
    for _ in range(6):
        x, y = rng.randint(0, 700), rng.randint(0, 500)
        draw.rectangle(
            [x, y, x + rng.randint(40, 200), y + rng.randint(40, 150)],
            fill=tuple(rng.randint(0, 255) for _ in range(3)),
        )
    draw.text((24, 560), caption, fill=(255, 255, 255))
    out = io.BytesIO()
    img.save(out, "JPEG", quality=80)
    return out.getvalue()


def _demo_pdf(title: str) -> bytes:
    """A one-page PDF with a line of text: enough to be a real document the browser opens."""
    text = title.replace("(", "[").replace(")", "]")
    stream = f"BT /F1 14 Tf 72 770 Td ({text}) Tj ET".encode("latin-1", "replace")
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 4 0 R "
        b"/Resources << /Font << /F1 5 0 R >> >> >>",
        b"<< /Length " + str(len(stream)).encode() + b" >>\nstream\n" + stream + b"\nendstream",
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
    ]
    out = io.BytesIO()
    out.write(b"%PDF-1.4\n")
    offsets = []
    for i, body in enumerate(objects, start=1):
        offsets.append(out.tell())
        out.write(f"{i} 0 obj\n".encode() + body + b"\nendobj\n")
    xref = out.tell()
    out.write(f"xref\n0 {len(objects) + 1}\n0000000000 65535 f \n".encode())
    for offset in offsets:
        out.write(f"{offset:010d} 00000 n \n".encode())
    out.write(f"trailer\n<< /Size {len(objects) + 1} /Root 1 0 R >>\nstartxref\n{xref}\n%%EOF\n".encode())
    return out.getvalue()


class EvidencePool:
    """A few processed evidence files, stored again for each entry that uses one (each row owns its file)."""

    def __init__(self, rng: random.Random, tz):
        from django.core.files.uploadedfile import SimpleUploadedFile

        self.items = []
        for i in range(6):
            data = _demo_image(rng, f"Dokumentasi kegiatan {i + 1}")
            upload = SimpleUploadedFile(f"IMG_2026{i:04d}.jpg", data)
            self.items.append(
                (
                    process_upload(
                        upload,
                        max_bytes=10 << 20,
                        long_side=1600,
                        max_pixels=60_000_000,
                        thumb_side=320,
                        tz=tz,
                    ),
                    f"IMG_2026{i:04d}.jpg",
                    JenisBukti.FOTO,
                )
            )
        for i, title in enumerate(["Laporan kegiatan", "Notulen rapat", "Daftar hadir"]):
            upload = SimpleUploadedFile(f"{title}.pdf", _demo_pdf(f"{title} - KPU"))
            kind = JenisBukti.LAPORAN if i == 0 else JenisBukti.DOKUMEN
            self.items.append(
                (
                    process_upload(
                        upload,
                        max_bytes=10 << 20,
                        long_side=1600,
                        max_pixels=60_000_000,
                        thumb_side=320,
                        tz=tz,
                    ),
                    f"{title}.pdf",
                    kind,
                )
            )

    def attach(self, entri: EntriKinerja, rng: random.Random) -> BuktiDukung:
        processed, name, kind = rng.choice(self.items)
        bukti = BuktiDukung(
            entri=entri,
            jenis=kind,
            nama_asli=name,
            content_type=processed.content_type,
            ukuran=processed.size,
            sha256=processed.sha256,
            lebar=processed.width,
            tinggi=processed.height,
        )
        bukti.berkas.save(f"bukti.{processed.extension}", ContentFile(processed.content), save=False)
        if processed.thumbnail:
            bukti.thumbnail.save("thumb.jpg", ContentFile(processed.thumbnail), save=False)
        return bukti


def create_month_entries(
    pegawai_list: list[Pegawai],
    codes_by_sub: dict[int | None, list[KodeOutput]],
    year: int,
    month: int,
    rng: random.Random,
    *,
    until: datetime.date,
    per_day: tuple[int, int] = (1, 3),
    empty_rate: float = 0.05,
    late_rate: float = 0.08,
    evidence: EvidencePool | None = None,
    evidence_rate: float = 0.5,
) -> int:
    """Entries for each person's working days of a month up to `until`; returns how many were made."""
    if not pegawai_list:
        return 0
    satker = pegawai_list[0].satker
    start, end = month_bounds(year, month)
    end = min(end, until)
    if end < start:
        return 0
    holidays = holidays_between(satker, start, end)
    days = working_days(satker, start, end, holidays)
    leave = {
        (row.pegawai_id, d)
        for row in Ketidakhadiran.objects.filter(pegawai__in=pegawai_list, mulai__lte=end, selesai__gte=start)
        for d in days_between(max(row.mulai, start), min(row.selesai, end))
    }
    tz = satker.tz
    entries: list[EntriKinerja] = []
    for pegawai in pegawai_list:
        choices = codes_by_sub.get(pegawai.subbagian_id) or codes_by_sub[None]
        for day in days:
            if (pegawai.pk, day) in leave or rng.random() < empty_rate:
                continue
            late = rng.random() < late_rate
            created_day = day + datetime.timedelta(days=rng.randint(3, 6)) if late else day
            for n in range(rng.randint(*per_day)):
                kode = rng.choice(choices)
                nama, hasil, satuan = rng.choice(
                    KEGIATAN.get(kode.kode, [("Pelaksanaan tugas harian", "Tugas selesai", "kegiatan")])
                )
                start_hour = 8 + 2 * n
                created = datetime.datetime.combine(
                    created_day, datetime.time(start_hour + 2, rng.randint(0, 59)), tz
                )
                entries.append(
                    EntriKinerja(
                        satker=satker,
                        pegawai=pegawai,
                        tanggal=day,
                        kode_output=kode,
                        nama_kegiatan=nama,
                        output_hasil=hasil,
                        volume=Decimal(rng.randint(1, 5)),
                        satuan=satuan,
                        jam_mulai=datetime.time(start_hour, 0),
                        jam_selesai=datetime.time(start_hour + 1, 30),
                        filled_late=is_filled_late(satker, day, created_day) if late else False,
                        dibuat=created,
                        diubah=created,
                    )
                )
    EntriKinerja.objects.bulk_create(entries, batch_size=2000)
    if evidence is not None:
        bukti = [evidence.attach(e, rng) for e in entries if rng.random() < evidence_rate]
        BuktiDukung.objects.bulk_create(bukti, batch_size=2000)
    return len(entries)


def codes_by_subbagian(codes: dict[str, KodeOutput], subbagian: dict[str, Subbagian]) -> dict:
    """The leaf codes each subbagian works on; None → the codes open to everyone."""
    leaves = [c for c in codes.values() if c.level == LevelKode.KOMPONEN]
    by_sub = {None: [c for c in leaves if c.subbagian_id is None]}
    for sub in subbagian.values():
        by_sub[sub.pk] = [c for c in leaves if c.subbagian_id in (None, sub.pk)]
    return by_sub


def add_leave(people: list[Pegawai], rng: random.Random, around: datetime.date) -> None:
    for pegawai in rng.sample(people, k=min(3, len(people))):
        start = around + datetime.timedelta(days=rng.randint(-20, 5))
        kalender_services.ketidakhadiran_add(
            pegawai=pegawai,
            jenis=rng.choice([JenisKetidakhadiran.CUTI_TAHUNAN, JenisKetidakhadiran.SAKIT]),
            mulai=start,
            selesai=start + datetime.timedelta(days=rng.randint(0, 3)),
            keterangan="Data demo",
            by=None,  # the loader, as an import command would
        )


def seed_calendar(satker: Satker, years) -> None:
    for year in years:
        kalender_services.hari_libur_seed(satker=satker, year=year, by=None)


def now_in(satker: Satker) -> datetime.datetime:
    return timezone.now().astimezone(satker.tz)
