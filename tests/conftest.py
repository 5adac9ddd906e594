"""Named people for every role, as healthchecks' alice/bob/charlie: most tests need only a few of them.

Kudus (WIB) has four subbagian; Bontang (WITA) is the other satker whose people must never see Kudus' data.
"""

import datetime
import itertools

import pytest
from django.contrib.auth import get_user_model
from hypothesis import settings

from kinerja.models import KodeOutput, LevelKode, Pegawai, Satker, StatusPegawai, Subbagian

PASSWORD = "rahasia-kudus-2026"
_serial = itertools.count(1)


def make_nip(born: str = "19850312", sex: str = "1") -> str:
    """A valid, unique 18-digit NIP: birth date, appointment year-month, sex, serial."""
    n = next(_serial)
    return f"{born}{2000 + (n // 1000) % 25}{(n // 1000) % 12 + 1:02d}{sex}{n % 1000:03d}"


def make_pegawai(satker, subbagian=None, *, nama, nip=None, status=StatusPegawai.PNS, **extra) -> Pegawai:
    nip = nip if nip is not None else (make_nip() if status != StatusPegawai.NON_ASN else None)
    username = nip or nama.lower().replace(" ", ".")
    user = get_user_model().objects.create_user(
        username=username, password=PASSWORD, email=f"{username}@example.id"
    )
    return Pegawai.objects.create(
        user=user, satker=satker, subbagian=subbagian, nip=nip, nama=nama, status=status, **extra
    )


class Org:
    """The Kudus office and one Bontang outsider, with a person in every role."""

    def __init__(self):
        self.kudus = Satker.objects.create(
            nama="KPU Kabupaten Kudus",
            kode="kudus",
            kota="Kudus",
            alamat="Jl. Ganesha No. 4, Purwosari, Kudus",
            zona_waktu="Asia/Jakarta",
            kop_baris="KOMISI PEMILIHAN UMUM\nKABUPATEN KUDUS",
        )
        self.bontang = Satker.objects.create(
            nama="KPU Kota Bontang", kode="bontang", kota="Bontang", zona_waktu="Asia/Makassar"
        )
        k = self.kudus
        self.kul = Subbagian.objects.create(
            satker=k, nama="Subbagian Keuangan, Umum dan Logistik", singkatan="KUL", urutan=1
        )
        self.teknis = Subbagian.objects.create(
            satker=k, nama="Subbagian Teknis Penyelenggaraan Pemilu dan Hupmas", singkatan="TEKNIS", urutan=2
        )
        self.rendatin_sub = Subbagian.objects.create(
            satker=k,
            nama="Subbagian Perencanaan, Data dan Informasi",
            singkatan="RENDATIN",
            is_rendatin=True,
            urutan=3,
        )
        self.hukum = Subbagian.objects.create(
            satker=k, nama="Subbagian Hukum dan SDM", singkatan="HUKUM", urutan=4
        )

        self.asn = make_pegawai(k, self.kul, nama="Ani Lestari, S.E.", jabatan="Penata Kelola Keuangan")
        self.colleague = make_pegawai(k, self.kul, nama="Budi Santoso", jabatan="Pengelola Barang")
        self.kasubag = make_pegawai(k, self.kul, nama="Citra Dewi, S.H.", jabatan="Kepala Subbagian KUL")
        self.kul.kasubag = self.kasubag
        self.kul.save()
        self.teknis_staff = make_pegawai(k, self.teknis, nama="Dedi Kurniawan")
        self.other_kasubag = make_pegawai(k, self.teknis, nama="Eko Prasetyo, S.IP.")
        self.teknis.kasubag = self.other_kasubag
        self.teknis.save()
        self.rendatin = make_pegawai(k, self.rendatin_sub, nama="Fajar Nugroho, S.Kom.")
        self.kasubag_rendatin = make_pegawai(k, self.rendatin_sub, nama="Gita Rahmawati, S.T.")
        self.rendatin_sub.kasubag = self.kasubag_rendatin
        self.rendatin_sub.save()
        self.sekretaris = make_pegawai(k, None, nama="Hadi Wijaya, S.Sos., M.M.", jabatan="Sekretaris")
        k.sekretaris = self.sekretaris
        k.save()
        self.pimpinan = make_pegawai(
            k, None, nama="Indah Permata", status=StatusPegawai.NON_ASN, is_pimpinan=True
        )
        self.admin = make_pegawai(
            k, self.hukum, nama="Joko Susilo", jabatan="Pranata Komputer", is_admin=True
        )
        self.outsider = make_pegawai(self.bontang, None, nama="Kurnia Bontang")

        year = datetime.date.today().year
        self.kode_years = {}
        for y in (year - 1, year, year + 1):
            parent = KodeOutput.objects.create(
                satker=k, tahun=y, kode="3359", uraian="Dukungan Manajemen", level=LevelKode.KEGIATAN
            )
            self.kode_years[y] = KodeOutput.objects.create(
                satker=k,
                tahun=y,
                kode="3359.EBA.994.002",
                uraian="Operasional dan pemeliharaan kantor",
                level=LevelKode.KOMPONEN,
                parent=parent,
            )
        self.kode = self.kode_years[year]


def ensure_mutu_baku() -> None:
    """The SOPs' standard times are seeded by a migration; a transactional test elsewhere may have flushed them."""
    import importlib

    from django.apps import apps

    from kinerja.models import MutuBaku

    if not MutuBaku.objects.exists():
        importlib.import_module("kinerja.migrations.0006_mutu_baku_both_sops").seed(apps, None)


@pytest.fixture
def org(db):
    ensure_mutu_baku()
    return Org()


@pytest.fixture
def login(client):
    """login(pegawai) signs the test client in as that person."""

    def _login(pegawai):
        client.force_login(pegawai.user, backend="kinerja.auth.NipOrUsernameBackend")
        return client

    return _login


def fake_document_generators(patch: pytest.MonkeyPatch) -> None:
    """Make every registered document generator render a tiny file at once, through `patch` (a function's
    `monkeypatch`, or a `pytest.MonkeyPatch.context()` for a fixture of wider scope)."""
    from kinerja import document_store as docs

    def fake(jenis):
        return lambda satker, params, progress: docs.Rendered(f"{jenis}.txt", "text/plain", jenis.encode())

    for jenis, real in list(docs.GENERATORS.items()):
        patch.setitem(docs.GENERATORS, jenis, docs.Generator(jenis, real.title, fake(jenis), real.version))


@pytest.fixture
def fake_documents(monkeypatch):
    """Every registered document generator renders a tiny file at once (demo tests need no real PDFs)."""
    fake_document_generators(monkeypatch)


# Property tests are judged by their examples, not by a machine's speed: no per-example deadline (CI runs on two
# busy cores and a first example pays for imports).
settings.register_profile("silabu", deadline=None)
settings.load_profile("silabu")
