"""The frozen month (rekap.snapshot.build and RekapBulanan.data): totals per subbagian × output code, each
person's completeness as the calendar computes it, who is in and who is not, and that nothing later changes it.
"""

import copy
import datetime
import json
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from kinerja.kalender import month_summary
from kinerja.models import (
    BuktiDukung,
    EntriKinerja,
    HariLibur,
    JenisKetidakhadiran,
    JenisPenjabat,
    Ketidakhadiran,
    KodeOutput,
    LevelKode,
    PenjabatSementara,
    Satker,
    StatusEntri,
    Subbagian,
)
from rekap import snapshot
from tests.conftest import make_pegawai
from tests.rekap.test_services import (
    compile_month,
    make_entri,
    mark_verified,
    october,
    verify_everyone,
)
from verifikasi import services as verifikasi

D = datetime.date
OPS = "3359.EBA.994.002"
SDM = "3359.EBB.951.002"


def second_code(org) -> KodeOutput:
    return KodeOutput.objects.create(
        satker=org.kudus,
        tahun=october(org)[0],
        kode=SDM,
        uraian="Pengembangan Kompetensi SDM",
        level=LevelKode.KOMPONEN,
    )


def section(data: dict, sub) -> dict:
    key = sub.pk if sub is not None else None
    return next(s for s in data["subbagian"] if s["id"] == key)


def person_of(data: dict, pegawai) -> dict:
    return next(p for s in data["subbagian"] for p in s["pegawai"] if p["id"] == pegawai.pk)


def output_of(outputs: list[dict], kode: str) -> dict:
    return next(o for o in outputs if o["kode"] == kode)


@pytest.fixture
def month(org):
    """October: KUL's Ani and Budi and Teknis' Dedi worked on two codes; everyone verified."""
    sdm = second_code(org)
    a1 = make_entri(org, org.asn, 1, volume=Decimal("1.5"), satuan="dokumen", output_hasil="Daftar barang")
    make_entri(org, org.asn, 2, volume=Decimal("2.25"), satuan="dokumen", output_hasil="Laporan BMN")
    make_entri(org, org.asn, 2, kode=sdm, volume=Decimal(3), satuan="kegiatan", output_hasil="Sertifikat")
    make_entri(org, org.colleague, 1, volume=Decimal("1.00"), satuan="unit", output_hasil="Daftar barang")
    make_entri(
        org, org.teknis_staff, 6, volume=Decimal("0.10"), satuan="dokumen", output_hasil="Rilis berita"
    )
    make_entri(
        org, org.teknis_staff, 7, volume=Decimal("0.20"), satuan="dokumen", output_hasil="Rilis berita"
    )
    for name in ("foto1.jpg", "foto2.jpg"):
        BuktiDukung.objects.create(
            entri=a1,
            berkas=f"bukti/{name}",
            nama_asli=name,
            content_type="image/jpeg",
            ukuran=10,
            sha256="0" * 64,
        )
    verify_everyone(org)
    return snapshot.build(org.kudus, *october(org))


# --- totals ---------------------------------------------------------------------------------------------------


def test_totals_per_subbagian_and_output_code(org, month):
    kul = section(month, org.kul)
    assert [o["kode"] for o in kul["output"]] == [OPS, SDM]
    ops = output_of(kul["output"], OPS)
    assert ops == {
        "kode": OPS,
        "uraian": "Operasional dan pemeliharaan kantor",
        "kegiatan": 3,
        "pegawai": 2,
        "pegawai_ids": sorted([org.asn.pk, org.colleague.pk]),
        "volume": {"dokumen": "3.75", "unit": "1"},
        "hasil": ["Daftar barang", "Laporan BMN"],
    }
    sdm = output_of(kul["output"], SDM)
    assert (sdm["kegiatan"], sdm["pegawai"], sdm["volume"], sdm["hasil"]) == (
        1,
        1,
        {"kegiatan": "3"},
        ["Sertifikat"],
    )
    assert kul["total"]["pegawai"] == 3  # Ani, Budi and their Kasubag Citra
    assert (kul["total"]["terverifikasi"], kul["total"]["kegiatan"]) == (3, 4)

    teknis = section(month, org.teknis)
    [teknis_ops] = teknis["output"]
    # Decimal sums: 0.1 + 0.2 is exactly 0.3.
    assert (teknis_ops["kegiatan"], teknis_ops["pegawai"], teknis_ops["volume"]) == (2, 1, {"dokumen": "0.3"})
    assert teknis_ops["hasil"] == ["Rilis berita"]


def test_satker_wide_outputs_add_up_the_subbagian(org, month):
    assert [o["kode"] for o in month["output"]] == [OPS, SDM]
    ops = output_of(month["output"], OPS)
    assert (ops["kegiatan"], ops["pegawai"]) == (5, 3)
    assert ops["pegawai_ids"] == sorted([org.asn.pk, org.colleague.pk, org.teknis_staff.pk])
    assert ops["volume"] == {"dokumen": "4.05", "unit": "1"}
    assert month["total"]["kegiatan"] == 6
    assert month["total"]["pegawai"] == 8 and month["total"]["terverifikasi"] == 8
    for sub in month["subbagian"]:
        per_code = {o["kode"]: o["kegiatan"] for o in sub["output"]}
        assert sum(per_code.values()) == sub["total"]["kegiatan"] == len(sub["entri"])


def test_entry_rows_are_copied_in_date_order(org, month):
    kul = section(month, org.kul)
    asn, budi = org.asn.pk, org.colleague.pk
    year = october(org)[0]
    first, second = sorted([asn, budi])
    expected_day_one = sorted(
        [
            [D(year, 10, 1).isoformat(), asn, OPS, "Rekonsiliasi BMN", "Daftar barang", "1.5", "dokumen", 2],
            [D(year, 10, 1).isoformat(), budi, OPS, "Rekonsiliasi BMN", "Daftar barang", "1", "unit", 0],
        ],
        key=lambda row: row[1],
    )
    assert [row[1] for row in expected_day_one] == [first, second]
    assert kul["entri"][:2] == expected_day_one
    day_two = kul["entri"][2:]
    assert sorted(map(tuple, day_two)) == sorted(
        [
            (D(year, 10, 2).isoformat(), asn, OPS, "Rekonsiliasi BMN", "Laporan BMN", "2.25", "dokumen", 0),
            (D(year, 10, 2).isoformat(), asn, SDM, "Rekonsiliasi BMN", "Sertifikat", "3", "kegiatan", 0),
        ]
    )


def test_volumes_are_decimal_strings_and_everything_is_plain_json(org, month):
    text = json.dumps(month)  # no Decimal, date or model left in it
    assert json.loads(text) == month
    for output in month["output"]:
        assert all(isinstance(v, str) for v in output["volume"].values())
    assert snapshot.decimal_str(Decimal("10.00")) == "10"
    assert snapshot.decimal_str(Decimal("0.50")) == "0.5"
    assert snapshot.decimal_str(Decimal("1234567.25")) == "1234567.25"
    assert snapshot.decimal_str(Decimal("0")) == "0"


def test_distinct_results_per_output_are_capped(org):
    for i in range(snapshot.HASIL_PER_OUTPUT + 5):
        make_entri(org, org.asn, 1 + i % 28, output_hasil=f"Dokumen nomor {i}")
    make_entri(org, org.asn, 3, output_hasil="Dokumen nomor 0")
    verify_everyone(org)
    data = snapshot.build(org.kudus, *october(org))
    [ops] = data["output"]
    assert ops["kegiatan"] == snapshot.HASIL_PER_OUTPUT + 6
    assert len(ops["hasil"]) == snapshot.HASIL_PER_OUTPUT
    assert len(set(ops["hasil"])) == snapshot.HASIL_PER_OUTPUT
    assert len(section(data, org.kul)["entri"]) == snapshot.HASIL_PER_OUTPUT + 6


def test_the_header_copies_the_satker_and_the_signatories(org, month):
    assert (month["versi"], month["tahun"], month["bulan"]) == (snapshot.VERSION, october(org)[0], 10)
    assert month["satker"] == {
        "nama": "KPU Kabupaten Kudus",
        "kota": "Kudus",
        "zona_waktu": "Asia/Jakarta",
        "alamat": "Jl. Ganesha No. 4, Purwosari, Kudus",
        "kop_baris": ["KOMISI PEMILIHAN UMUM", "KABUPATEN KUDUS"],
    }
    assert month["penandatangan"] == {
        "rendatin": {"nama": "Gita Rahmawati, S.T.", "nip": org.kasubag_rendatin.nip_display, "jabatan": ""},
        "sekretaris": {
            "nama": "Hadi Wijaya, S.Sos., M.M.",
            "nip": org.sekretaris.nip_display,
            "jabatan": "Sekretaris",
        },
    }
    kul = section(month, org.kul)
    assert (kul["nama"], kul["singkatan"]) == (org.kul.nama, "KUL")
    assert kul["kasubag"] == {
        "nama": "Citra Dewi, S.H.",
        "nip": org.kasubag.nip_display,
        "jabatan": "Kepala Subbagian KUL",
    }
    assert [s["id"] for s in month["subbagian"]] == [
        org.kul.pk,
        org.teknis.pk,
        org.rendatin_sub.pk,
        org.hukum.pk,
    ]


def test_signatories_may_be_missing(org):
    org.rendatin_sub.kasubag = None
    org.rendatin_sub.save()
    org.kudus.sekretaris = None
    org.kudus.save()
    data = snapshot.build(org.kudus, *october(org))
    assert data["penandatangan"] == {"rendatin": None, "sekretaris": None}


# --- people ---------------------------------------------------------------------------------------------------


def test_each_persons_completeness_is_the_calendars(org):
    year = october(org)[0]
    HariLibur.objects.create(satker=org.kudus, tanggal=D(year, 10, 15), nama="Libur uji")
    Ketidakhadiran.objects.create(
        pegawai=org.asn,
        jenis=JenisKetidakhadiran.CUTI_TAHUNAN,
        mulai=D(year, 10, 20),
        selesai=D(year, 10, 22),
    )
    for day in range(1, 32):
        if D(year, 10, day).weekday() < 5 and day % 3:
            make_entri(org, org.asn, day, filled_late=day % 4 == 0)
        if D(year, 10, day).weekday() < 5 and day % 2:
            make_entri(org, org.colleague, day)
    make_entri(org, org.teknis_staff, 15)  # on the holiday: counted as an entry, not as a working day
    verify_everyone(org, but=[org.colleague])
    data = snapshot.build(org.kudus, *october(org))

    today = org.kudus.today()
    people = [p for s in data["subbagian"] for p in s["pegawai"]]
    assert len(people) == 8
    by_id = {p.pk: p for p in snapshot.people_to_verify(org.kudus)}
    for row in people:
        summary = month_summary(by_id[row["id"]], year, 10, today=today)
        assert (row["hari_kerja"], row["hari_terisi"], row["terlambat"], row["kelengkapan"]) == (
            summary.expected,
            summary.filled,
            summary.filled_late,
            summary.completeness,
        ), row["nama"]
    ani = person_of(data, org.asn)
    assert ani["terlambat"] > 0 and 0 < ani["kelengkapan"] < 100
    # Budi is unverified: completeness still shown, his entries not counted.
    budi = person_of(data, org.colleague)
    assert budi["hari_terisi"] > 0 and budi["entri"] == 0 and not budi["terverifikasi"]
    assert data["total"]["hari_kerja"] == max(p["hari_kerja"] for p in people)
    for sub in data["subbagian"]:
        known = [p["kelengkapan"] for p in sub["pegawai"] if p["kelengkapan"] is not None]
        assert sub["total"]["kelengkapan"] == round(sum(known) / len(known), 1)


def test_verifier_of_each_person_is_recorded_as_signed(org):
    year, month = october(org)
    make_entri(org, org.asn, 1)
    make_entri(org, org.colleague, 1)
    verifikasi.laporan_verify(laporan=verifikasi.laporan_for(org.asn, year, month), by=org.kasubag)
    today = org.kudus.today()
    PenjabatSementara.objects.create(
        satker=org.kudus,
        subbagian=org.kul,
        pegawai=org.admin,
        jenis=JenisPenjabat.PLT,
        mulai=today - datetime.timedelta(days=1),
        selesai=today + datetime.timedelta(days=1),
    )
    budi = verifikasi.laporan_verify(laporan=verifikasi.laporan_for(org.colleague, year, month), by=org.admin)
    data = snapshot.build(org.kudus, year, month)

    ani = person_of(data, org.asn)
    assert ani["verifikator"] == {
        "nama": "Citra Dewi, S.H.",
        "nip": org.kasubag.nip_display,
        "jabatan": "Kepala Subbagian Keuangan, Umum dan Logistik",
        "acting": "",
    }
    assert ani["diverifikasi_pada"] is not None
    row = person_of(data, org.colleague)
    assert row["verifikator"] == {
        "nama": "Joko Susilo",
        "nip": org.admin.nip_display,
        "jabatan": "Plt. Kepala Subbagian Keuangan, Umum dan Logistik",
        "acting": "Plt",
    }
    assert row["diverifikasi_pada"] == budi.diverifikasi_pada.isoformat()
    assert person_of(data, org.teknis_staff)["verifikator"] is None  # not verified


def test_the_sekretaris_and_pimpinan_are_never_in_the_month(org):
    make_entri(org, org.sekretaris, 1, volume=Decimal(99))
    mark_verified(org.sekretaris, *october(org))
    make_entri(org, org.asn, 1)
    verify_everyone(org)
    data = snapshot.build(org.kudus, *october(org))
    ids = {p["id"] for s in data["subbagian"] for p in s["pegawai"]}
    assert org.sekretaris.pk not in ids and org.pimpinan.pk not in ids
    assert all(s["id"] is not None for s in data["subbagian"])  # no "Tanpa subbagian" for them
    assert data["total"]["kegiatan"] == 1
    assert data["output"][0]["volume"] == {"kegiatan": "1"}
    assert all(p["nama"] != org.sekretaris.nama for p in data["belum_terverifikasi"])
    assert data["penandatangan"]["sekretaris"]["nama"] == org.sekretaris.nama


def test_people_without_a_subbagian_have_their_own_section_last(org):
    lone = make_pegawai(org.kudus, None, nama="Rina Tanpa Subbagian", jabatan="Pelaksana")
    unverified_lone = make_pegawai(org.kudus, None, nama="Sari Tanpa Subbagian")
    make_entri(org, lone, 3, volume=Decimal(2), satuan="berkas")
    make_entri(org, unverified_lone, 3, status=StatusEntri.DIAJUKAN)
    verify_everyone(org, but=[unverified_lone])
    data = snapshot.build(org.kudus, *october(org))

    last = data["subbagian"][-1]
    assert {k: last[k] for k in ("id", "nama", "singkatan", "kasubag")} == {
        "id": None,
        "nama": "Tanpa subbagian",
        "singkatan": "-",
        "kasubag": None,
    }
    assert [p["nama"] for p in last["pegawai"]] == ["Rina Tanpa Subbagian", "Sari Tanpa Subbagian"]
    assert last["total"] == {
        "pegawai": 2,
        "terverifikasi": 1,
        "kegiatan": 1,
        "kelengkapan": last["total"]["kelengkapan"],
    }
    assert last["output"][0]["volume"] == {"berkas": "2"}
    [missing] = data["belum_terverifikasi"]
    assert (missing["nama"], missing["subbagian"], missing["menunggu"], missing["entri"]) == (
        "Sari Tanpa Subbagian",
        "Tanpa subbagian",
        1,
        1,
    )
    assert snapshot.NO_SUBBAGIAN["nama"] == "Tanpa subbagian"  # the constant is not changed by a build


def test_empty_subbagian_inactive_people_and_other_satkers_are_left_out(org):
    Subbagian.objects.create(satker=org.kudus, nama="Subbagian Baru", singkatan="BARU", urutan=9)
    org.admin.aktif = False
    org.admin.save()
    make_entri(org, org.admin, 1)
    other = make_pegawai(org.bontang, None, nama="Orang Bontang")
    make_entri(org, other, 1)
    verify_everyone(org)
    data = snapshot.build(org.kudus, *october(org))
    names = [s["singkatan"] for s in data["subbagian"]]
    assert names == ["KUL", "TEKNIS", "RENDATIN"]  # Hukum's only person is inactive; Baru has nobody
    assert data["total"]["pegawai"] == 7 and data["total"]["kegiatan"] == 0


def test_only_approved_entries_of_verified_people_count(org):
    make_entri(org, org.asn, 1)
    make_entri(org, org.asn, 2, status=StatusEntri.DIAJUKAN)  # cannot happen through the services
    make_entri(org, org.colleague, 1)
    make_entri(org, org.colleague, 2, status=StatusEntri.DIKEMBALIKAN)
    verify_everyone(org, but=[org.colleague])
    data = snapshot.build(org.kudus, *october(org))
    assert data["total"]["kegiatan"] == 1
    assert person_of(data, org.asn)["entri"] == 1
    [budi] = data["belum_terverifikasi"]
    assert (budi["menunggu"], budi["dikembalikan"], budi["entri"]) == (0, 1, 2)


def test_entries_of_other_months_are_not_in_the_snapshot(org):
    year = october(org)[0]
    make_entri(org, org.asn, 31)
    make_entri(org, org.asn, 1, tanggal=D(year, 9, 30))
    make_entri(org, org.asn, 1, tanggal=D(year, 11, 1))
    verify_everyone(org)
    data = snapshot.build(org.kudus, *october(org))
    assert [row[0] for row in section(data, org.kul)["entri"]] == [D(year, 10, 31).isoformat()]


# --- frozen ---------------------------------------------------------------------------------------------------


def test_later_changes_to_master_data_never_change_the_compiled_month(org):
    sdm = second_code(org)
    make_entri(org, org.asn, 1)
    make_entri(org, org.teknis_staff, 2, kode=sdm)
    verify_everyone(org, but=[org.colleague])
    rekap = compile_month(org, reason="Budi belum diverifikasi")
    frozen = copy.deepcopy(rekap.data)

    org.asn.nama, org.asn.jabatan = "Ani Lestari Berganti Nama", "Jabatan Baru"
    org.asn.subbagian = org.teknis  # moved to another subbagian
    org.asn.save()
    org.colleague.nama = "Budi Berganti Nama"
    org.colleague.save()
    org.kasubag.nama = "Kasubag Berganti Nama"
    org.kasubag.save()
    org.sekretaris.nama = "Sekretaris Baru"
    org.sekretaris.save()
    KodeOutput.objects.filter(pk=org.kode_years[october(org)[0]].pk).update(uraian="Uraian yang diubah")
    sdm.uraian = "Uraian SDM yang diubah"
    sdm.save()
    org.kul.nama, org.kul.singkatan = "Subbagian Baru Namanya", "KUB"
    org.kul.save()
    org.kudus.nama, org.kudus.alamat, org.kudus.kota = (
        "KPU Kabupaten Kudus (baru)",
        "Alamat baru",
        "Kota Baru",
    )
    org.kudus.kop_baris = "KOP BARU"
    org.kudus.save()
    org.teknis_staff.aktif = False
    org.teknis_staff.save()

    rekap.refresh_from_db()
    assert rekap.data == frozen
    assert snapshot.build(org.kudus, *october(org)) != frozen  # the live data did change
    kul = next(s for s in rekap.data["subbagian"] if s["singkatan"] == "KUL")
    assert "Ani Lestari, S.E." in [p["nama"] for p in kul["pegawai"]]
    assert rekap.data["output"][0]["uraian"] == "Operasional dan pemeliharaan kantor"
    assert rekap.data["satker"]["nama"] == "KPU Kabupaten Kudus"
    assert rekap.data["belum_terverifikasi"][0]["nama"] == "Budi Santoso"


# --- queries --------------------------------------------------------------------------------------------------


def small_satker(tag: str, people: int, entries: int) -> tuple[Satker, int]:
    """A satker of `people` people (one of them unverified) with `entries` entries each, on three codes."""
    year = datetime.date.today().year - 1
    satker = Satker.objects.create(nama=f"KPU Uji {tag}", kode=f"uji-{tag}", kota="Uji", kop_baris="KPU UJI")
    subs = [
        Subbagian.objects.create(
            satker=satker, nama=f"Subbagian {i}", singkatan=f"S{i}", urutan=i, is_rendatin=i == 0
        )
        for i in range(3)
    ]
    sekretaris = make_pegawai(satker, None, nama=f"Sekretaris {tag}", jabatan="Sekretaris")
    satker.sekretaris = sekretaris
    satker.save()
    codes = [
        KodeOutput.objects.create(
            satker=satker, tahun=year, kode=f"K.{i}", uraian=f"Kode {i}", level=LevelKode.KOMPONEN
        )
        for i in range(3)
    ]
    HariLibur.objects.create(satker=satker, tanggal=D(year, 10, 15), nama="Libur")
    staff = [make_pegawai(satker, subs[i % 3], nama=f"Pegawai {tag} {i}") for i in range(people)]
    for sub, head in zip(subs, staff, strict=False):
        sub.kasubag = head
        sub.save()
    Ketidakhadiran.objects.create(
        pegawai=staff[0], jenis=JenisKetidakhadiran.SAKIT, mulai=D(year, 10, 20), selesai=D(year, 10, 21)
    )
    for n, pegawai in enumerate(staff):
        unverified = n == len(staff) - 1
        for j in range(entries):
            entri = EntriKinerja.objects.create(
                satker=satker,
                pegawai=pegawai,
                tanggal=D(year, 10, 1 + j % 28),
                kode_output=codes[j % 3],
                nama_kegiatan=f"Kegiatan {j}",
                output_hasil=f"Hasil {j % 5}",
                volume=Decimal(j % 4 + 1),
                satuan=("dokumen", "kegiatan")[j % 2],
                status=StatusEntri.DIAJUKAN if unverified and j % 2 else StatusEntri.DISETUJUI,
            )
            if j % 3 == 0:
                BuktiDukung.objects.create(
                    entri=entri,
                    berkas="bukti/x.jpg",
                    nama_asli="x.jpg",
                    content_type="image/jpeg",
                    ukuran=1,
                    sha256="0",
                )
        if not unverified:
            mark_verified(pegawai, year, 10, by=sekretaris)
    return Satker.objects.get(pk=satker.pk), year


def build_queries(satker: Satker, year: int) -> tuple[int, dict]:
    with CaptureQueriesContext(connection) as ctx:
        data = snapshot.build(satker, year, 10)
    return len(ctx.captured_queries), data


def test_build_reads_the_month_in_a_fixed_number_of_queries(db):
    small, year = small_satker("kecil", people=2, entries=3)
    large, _ = small_satker("besar", people=6, entries=20)
    small_queries, small_data = build_queries(small, year)
    large_queries, large_data = build_queries(large, year)
    assert (small_data["total"]["pegawai"], small_data["total"]["kegiatan"]) == (2, 3)
    assert (large_data["total"]["pegawai"], large_data["total"]["kegiatan"]) == (6, 100)
    assert len(large_data["belum_terverifikasi"]) == 1
    assert small_queries == large_queries
    assert large_queries <= 10
