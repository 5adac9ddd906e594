"""Every service writes an audit row: the class, not one instance.

The service modules are found, not listed: every `services.py`, every module of a `services/` package, every
`*_services.py`, and the other modules whose functions change state (accounts, output codes, documents,
imports). Each public function defined there is either declared READ_ONLY (with why) or has an exerciser in
EXERCISE: a setup that returns the call, which must then leave at least one audit row, every one with a satker
and an actor or a reason it has none (a command, the background worker). A new service with neither fails
`test_every_service_is_exercised_or_declared_read_only`.
"""

import datetime
import glob
import importlib
import inspect
from collections.abc import Callable
from decimal import Decimal
from pathlib import Path
from types import SimpleNamespace

import pytest
from axes.models import AccessAttempt
from django.contrib.auth.models import Group, Permission, User
from django.utils import timezone

from kinerja import accounts, document_store, kalender_services, master_services
from kinerja import kode_output as kode_output_services
from kinerja import services as core
from kinerja.models import (
    AuditLog,
    EntriKinerja,
    HariLibur,
    JenisLibur,
    JenisPenjabat,
    Ketidakhadiran,
    KodeOutput,
    LevelKode,
    MutuBaku,
    StatusEntri,
    Subbagian,
    TahapPeriode,
)
from rekap import services as rekap_services
from rekap.pengukuran import services as pengukuran
from rekap.pengukuran.kerangka import services as kerangka
from rekap.pengukuran.models import SkalaKategori
from rekap.pengukuran.models import TahapPengukuran as T
from rekap.pengukuran.services import skala as skala_services
from tests.conftest import fake_document_generators, make_nip
from tests.kinerja.test_imports import CODE_HEADER, import_codes, import_staff, staff_rows
from tests.ops.test_verify_storage import replace
from tests.pengukuran import test_services as pk
from tests.pengukuran.test_impor_kerangka import row as kerangka_row
from tests.pengukuran.test_impor_kerangka import run as kerangka_run
from tests.pengukuran.test_impor_kerangka import xlsx as kerangka_xlsx
from tests.pengukuran.test_kerangka import Framework
from tests.pengukuran.test_kerangka import data as indikator_data
from tests.rekap import test_services as rk
from verifikasi import services as verifikasi

ROOT = Path(__file__).resolve().parent.parent
APPS = ("kinerja", "verifikasi", "rekap", "silabu")
# modules outside the naming pattern whose functions change state
OTHER_WRITERS = (
    "kinerja.accounts",
    "kinerja.kode_output",
    "kinerja.document_store",
    "kinerja.imports.pegawai",
    "kinerja.imports.kode_output",
    "rekap.pengukuran.kerangka.impor",
)


def service_modules() -> list[str]:
    paths: set[str] = set()
    for app in APPS:
        for pattern in ("**/services.py", "**/services/*.py", "**/*_services.py"):
            paths.update(
                str(Path(p).relative_to(ROOT)) for p in glob.glob(str(ROOT / app / pattern), recursive=True)
            )
    names = {p[: -len(".py")].replace("/", ".").removesuffix(".__init__") for p in paths}
    return sorted(names | set(OTHER_WRITERS))


def service_functions() -> list[str]:
    found = []
    for name in service_modules():
        module = importlib.import_module(name)
        for attr, value in vars(module).items():
            if not attr.startswith("_") and inspect.isfunction(value) and value.__module__ == name:
                found.append(f"{name}.{attr}")
    return sorted(found)


# --- what writes nothing -------------------------------------------------------------------------------------

READ_ONLY = {
    "kinerja.periode_services.verification_window": "a calendar computation",
    "kinerja.periode_services.effective_tahap": "a rule over data already read",
    "kinerja.periode_services.periode_tahap": "reads the stage (recording it when reached is Deliver 2's)",
    "kinerja.services.entri_edit_block_reason": "a rule",
    "kinerja.periode_services.periode_lock": (
        "the month's row lock (making the OPEN row a month without one reads as): no state moves"
    ),
    "kinerja.periode_services.periode_lock_months": "periode_lock, shared, on several months: a row lock",
    "kinerja.periode_services.periode_rows": (
        "makes the OPEN rows months without one read as, before a lock: no state moves"
    ),
    "kinerja.services.kode_output_refusal": "a message",
    "kinerja.services.files_removed_on_error": "a context manager for a service's stored files",
    "kinerja.services.delete_evidence_files": "removes files after a service's audited deletion commits",
    "kinerja.accounts.temporary_password": "makes a password, stores nothing",
    "kinerja.accounts.check_may_change_account": "a guard (akun_save and the admin's password page ask it)",
    "kinerja.periode_services.satker_start": "a lookup (the satker's first recorded day)",
    "kinerja.periode_services.before_start": "a rule over dates already read",
    "kinerja.document_store.stalled": "a lookup (the watchdog's list)",
    "kinerja.document_store.verification_url": "an address",
    "kinerja.document_store.dokumen_heartbeat": (
        "the worker's liveness time on a row being rendered, like its progress: no state moves"
    ),
    "kinerja.document_store.register": "registers a generator at start-up",
    "kinerja.document_store.report_generator": "builds a generator",
    "kinerja.document_store.kunci_for": "a key",
    "kinerja.document_store.fingerprint": "a hash",
    "kinerja.document_store.dokumen_copy_matches": "compares a copy's SHA-256 with the stored one: stores nothing",
    "kinerja.document_store.current": "a lookup",
    "kinerja.imports.kode_output.infer_level": "a rule",
    "verifikasi.services.laporan_for": "get-or-create of the person's empty month record (no state moves)",
    "verifikasi.services.current_verifier": "a lookup",
    "verifikasi.services.laporan_counts": "a count",
    "verifikasi.services.laporan_lock_month": "locks the month's records (empty ones created) for rekap_compile",
    "verifikasi.services.laporan_history": "reads the audit rows",
    "verifikasi.services.deadline_for": "a calendar computation",
    "rekap.services.unverified_people": "a lookup",
    "rekap.services.check_pleno_complete": "a guard (pleno_finalise and the plenary page ask it)",
    "rekap.services.pleno_content": "reads the plenary's record (what pleno_save keeps as a version)",
    "rekap.pengukuran.kerangka.services.lock_satker": "a row lock",
    "rekap.pengukuran.kerangka.services.actor_of": "a lookup",
    "rekap.pengukuran.kerangka.services.apply_data": "sets fields in memory for indikator_create/update",
    "rekap.pengukuran.kerangka.services.set_targets": "part of indikator_create/update, which audit",
    "rekap.pengukuran.kerangka.services.write_indikator": "part of indikator_create/update, which audit",
    "rekap.pengukuran.services.collection.baris_belum_lengkap": "a lookup",
    "rekap.pengukuran.services.decision.data_versi": "builds the snapshot data",
    "rekap.pengukuran.services.transition.require": "a guard",
    "rekap.pengukuran.services.transition.locked": "a row lock",
    "rekap.pengukuran.services.transition.require_tahap": "a guard",
    "rekap.pengukuran.services.transition.advance": "the audited step move every pengukuran service calls",
    "rekap.pengukuran.services.transition.angka": "a formatter",
}


# --- exercisers: setup(org, monkeypatch) -> the call ---------------------------------------------------------

Exercise = Callable[..., Callable[[], object]]
D = datetime.date


def _today_entri(org, **fields) -> EntriKinerja:
    today = org.kudus.today()
    data = {
        "tanggal": today,
        "kode_output": org.kode_years[today.year],
        "nama_kegiatan": "Mengagendakan surat",
        "output_hasil": "Agenda",
        "volume": 1,
        **fields,
    }
    return core.entri_create(by=org.asn, data=data)


def _october_entri(org, status=StatusEntri.DIAJUKAN) -> EntriKinerja:
    year = min(org.kode_years)
    return EntriKinerja.objects.create(
        satker=org.kudus,
        pegawai=org.asn,
        tanggal=D(year, 10, 1),
        kode_output=org.kode_years[year],
        nama_kegiatan="Rekonsiliasi",
        status=status,
    )


def _laporan(org):
    return verifikasi.laporan_for(org.asn, min(org.kode_years), 10)


def _libur(org) -> HariLibur:
    return kalender_services.hari_libur_add(
        satker=org.kudus, tanggal=D(2030, 5, 2), nama="Hari Jadi", jenis=JenisLibur.LOKAL, by=org.admin
    )


def _leave(org) -> Ketidakhadiran:
    return kalender_services.ketidakhadiran_add(
        pegawai=org.asn,
        jenis="cuti_tahunan",
        mulai=D(2030, 5, 6),
        selesai=D(2030, 5, 7),
        keterangan="",
        by=org.admin,
    )


def _penjabat(org):
    return kalender_services.penjabat_add(
        satker=org.kudus,
        subbagian=org.kul,
        pegawai=org.colleague,
        jenis=JenisPenjabat.PLH,
        mulai=D(2030, 5, 6),
        selesai=D(2030, 5, 8),
        nomor_sk="",
        by=org.admin,
    )


def _generator(monkeypatch, fail: bool = False):
    def render(satker, params, progress):
        if fail:
            raise RuntimeError("gagal uji")
        return document_store.Rendered("uji.txt", "text/plain", b"isi")

    generators = dict(document_store.GENERATORS)
    generators["uji"] = document_store.Generator("uji", lambda s, p: "Uji", render, lambda s, p: "1")
    monkeypatch.setattr(document_store, "GENERATORS", generators)


def _queued(org, monkeypatch):
    """A requested document the worker has not taken up yet."""
    _generator(monkeypatch)
    monkeypatch.setattr(document_store, "render_dokumen", SimpleNamespace(enqueue=lambda *a, **k: None))
    return document_store.dokumen_request(satker=org.kudus, jenis="uji", params={}, by=org.asn)


def _rendering(org, monkeypatch):
    dokumen = _queued(org, monkeypatch)
    document_store.dokumen_start(dokumen_id=dokumen.pk)
    return dokumen


def _pengukuran_at(tahap):
    """The pengukuran step that moves a measurement on from `tahap`, as the ten-step test runs it."""

    def setup(org, monkeypatch):
        fake_document_generators(monkeypatch)
        k = pk.kerangka(org)
        p = pk.fresh(pk.sampai(org, tahap, k))
        return {
            T.KONSEP: lambda: pengukuran.pengukuran_draft_forms(
                pengukuran=p, by=org.kasubag_rendatin, pilihan=pk.pilihan(*k.semua)
            ),
            T.FORM: lambda: pengukuran.pengukuran_issue_forms(pengukuran=p, by=org.rendatin),
            T.PENGUKURAN: lambda: pengukuran.pengukuran_measure(pengukuran=p, by=org.rendatin),
            T.REKAP: lambda: pengukuran.pengukuran_recap(pengukuran=p, by=org.rendatin),
            T.DRAF: lambda: pengukuran.pengukuran_report_draft(pengukuran=p, by=org.rendatin),
            T.PEMERIKSAAN: lambda: pengukuran.pengukuran_send(
                pengukuran=p, by=org.kasubag_rendatin, catatan="ok"
            ),
            T.PERSETUJUAN: lambda: pengukuran.pengukuran_approve(pengukuran=p, by=org.sekretaris),
        }[tahap]

    return setup


def _form_step(what):
    def setup(org, monkeypatch):
        p = pk.fresh(pk.sampai(org, T.PENGUMPULAN))
        form = pk.form_of(p, org.kul)
        nilai = {r.pk: pengukuran.IsianBaris(pk.VALUES[r.indikator_kode]) for r in form.baris_set.all()}
        if what == "fill":
            return lambda: pengukuran.form_fill(form=form, by=org.kasubag, nilai=nilai)
        pengukuran.form_fill(form=form, by=org.kasubag, nilai=nilai)
        return lambda: pengukuran.form_submit(form=pk.form_of(p, org.kul), by=org.kasubag)

    return setup


def _form_import(org, monkeypatch):
    from rekap.pengukuran import formdata_reader

    p = pk.fresh(pk.sampai(org, T.PENGUMPULAN))
    form = pk.form_of(p, org.kul)
    values = {r.pk: pengukuran.IsianBaris(Decimal(3)) for r in form.baris_set.all()}
    monkeypatch.setattr(formdata_reader, "parse_form", lambda f, berkas: values)
    return lambda: pengukuran.form_import(form=form, by=org.kasubag, berkas="form.xlsx")


def _compiled(org, monkeypatch):
    rk.install_fake_generators(monkeypatch)
    return rk.compiled(org)


def _verified_month(org):
    rk.make_entri(org, org.asn, 1)
    rk.verify_everyone(org)


def _root() -> User:
    return User.objects.filter(username="root").first() or User.objects.create_superuser(
        "root", "r@x.id", "x"
    )


def _failed(org, monkeypatch):
    dokumen = _rendering(org, monkeypatch)
    return document_store.dokumen_fail(dokumen_id=dokumen.pk, error=RuntimeError("gagal uji"))


LATER = datetime.timedelta(days=1)  # well past DOKUMEN_STALL_SECONDS


def _stored(org, monkeypatch):
    dokumen = _rendering(org, monkeypatch)
    return document_store.dokumen_store(
        dokumen=dokumen, rendered=document_store.Rendered("a.txt", "text/plain", b"isi asli")
    )


def _tampered(org, monkeypatch):
    dokumen = _stored(org, monkeypatch)
    replace(dokumen.berkas, b"isi diubah")
    return dokumen


def _refused_download(org, dokumen):
    def call():
        with pytest.raises(document_store.DokumenRusak):
            document_store.dokumen_open_checked(dokumen=dokumen, by=org.admin.user)

    return call


def _kode(org) -> KodeOutput:
    return KodeOutput.objects.create(
        satker=org.kudus, tahun=2026, kode="9999.UJI", uraian="Kode uji", level=LevelKode.KRO
    )


def _mutu_step(org) -> MutuBaku:
    """A step of the default SOP the satker has no standard of its own for."""
    return MutuBaku.objects.filter(satker__isnull=True, sop="bontang").order_by("-langkah").first()


def _mutu(org) -> MutuBaku:
    step = _mutu_step(org)
    return MutuBaku.objects.create(
        satker=org.kudus, sop=step.sop, langkah=step.langkah, kegiatan=step.kegiatan, waktu=5
    )


def _skala(org) -> SkalaKategori:
    return SkalaKategori.objects.create(satker=org.kudus, nama="Baik", minimum=Decimal(77))


def _empty_subbagian(org) -> Subbagian:
    return Subbagian.objects.create(satker=org.kudus, nama="Kosong", singkatan="KOSONG")


def _attempt(org) -> AccessAttempt:
    nip = org.asn.nip  # as a person types it, with spaces
    return AccessAttempt.objects.create(
        username=f"{nip[:8]} {nip[8:14]} {nip[14]} {nip[15:]}",
        ip_address="10.0.0.1",
        user_agent="t",
        failures_since_start=5,
        get_data="",
        post_data="",
    )


EXERCISE: dict[str, Exercise] = {
    # the core: entries and the month's stage
    "kinerja.services.entri_create": lambda org, mp: lambda: _today_entri(org),
    "kinerja.services.entri_update": lambda org, mp: (
        lambda e: lambda: core.entri_update(entri=e, by=org.asn, data={"volume": 2})
    )(_today_entri(org)),
    "kinerja.services.entri_delete": lambda org, mp: (
        lambda e: lambda: core.entri_delete(entri=e, by=org.asn)
    )(_today_entri(org)),
    "kinerja.services.entri_set_decision": lambda org, mp: (
        lambda e: (
            lambda: core.entri_set_decision(entri=e, status=StatusEntri.DISETUJUI, note="", by=org.kasubag)
        )
    )(_october_entri(org)),
    "kinerja.services.entri_set_decisions": lambda org, mp: (
        lambda e: (
            lambda: core.entri_set_decisions(
                entries=[e], status=StatusEntri.DIKEMBALIKAN, note="x", by=org.kasubag
            )
        )
    )(_october_entri(org)),
    "kinerja.services.entri_undo_approvals": lambda org, mp: (
        lambda e: lambda: core.entri_undo_approvals(entries=[e], note="buka", by=org.sekretaris)
    )(_october_entri(org, StatusEntri.DISETUJUI)),
    "kinerja.periode_services.periode_set_tahap": lambda org, mp: (
        lambda: core.periode_set_tahap(
            satker=org.kudus,
            year=2030,
            month=1,
            to=TahapPeriode.VERIFICATION,
            by=org.rendatin,
            expected_from=(TahapPeriode.OPEN,),
        )
    ),
    "kinerja.services.pegawai_finish_password_change": lambda org, mp: (
        lambda: core.pegawai_finish_password_change(pegawai=org.asn, by=org.asn)
    ),
    "kinerja.accounts.pegawai_reset_password": lambda org, mp: (
        lambda: accounts.pegawai_reset_password(target=org.asn, by=org.admin)
    ),
    "kinerja.kode_output.kode_output_set_aktif": lambda org, mp: (
        lambda: kode_output_services.kode_output_set_aktif(kode=org.kode, aktif=False, by=org.rendatin)
    ),
    # the calendar
    "kinerja.kalender_services.hari_libur_add": lambda org, mp: lambda: _libur(org),
    "kinerja.kalender_services.hari_libur_update": lambda org, mp: (
        lambda libur: (
            lambda: kalender_services.hari_libur_update(
                libur=libur, nama="Hari Jadi Kudus", jenis=JenisLibur.LOKAL, by=org.admin
            )
        )
    )(_libur(org)),
    "kinerja.kalender_services.hari_libur_delete": lambda org, mp: (
        lambda libur: lambda: kalender_services.hari_libur_delete(libur=libur, by=org.admin)
    )(_libur(org)),
    "kinerja.kalender_services.hari_libur_seed": lambda org, mp: (
        lambda: kalender_services.hari_libur_seed(satker=org.kudus, year=2031, by=None)
    ),
    "kinerja.kalender_services.ketidakhadiran_add": lambda org, mp: lambda: _leave(org),
    "kinerja.kalender_services.ketidakhadiran_delete": lambda org, mp: (
        lambda row: lambda: kalender_services.ketidakhadiran_delete(row=row, by=org.admin)
    )(_leave(org)),
    "kinerja.kalender_services.penjabat_add": lambda org, mp: lambda: _penjabat(org),
    "kinerja.kalender_services.penjabat_delete": lambda org, mp: (
        lambda row: lambda: kalender_services.penjabat_delete(row=row, by=org.admin)
    )(_penjabat(org)),
    # documents
    "kinerja.document_store.dokumen_request": lambda org, mp: (
        (_generator(mp), None)[1]
        or (lambda: document_store.dokumen_request(satker=org.kudus, jenis="uji", params={}, by=org.asn))
    ),
    "kinerja.document_store.dokumen_archive": lambda org, mp: (
        lambda d: lambda: document_store.dokumen_archive(dokumen=d, note="arsip", by=org.sekretaris)
    )(_rendering(org, mp)),
    "kinerja.document_store.dokumen_start": lambda org, mp: (
        lambda d: lambda: document_store.dokumen_start(dokumen_id=d.pk)
    )(_queued(org, mp)),
    "kinerja.document_store.dokumen_fail": lambda org, mp: (
        lambda d: lambda: document_store.dokumen_fail(dokumen_id=d.pk, error=RuntimeError("x"))
    )(_rendering(org, mp)),
    "kinerja.document_store.dokumen_store": lambda org, mp: (
        lambda d: (
            lambda: document_store.dokumen_store(
                dokumen=d, rendered=document_store.Rendered("a.txt", "text/plain", b"a")
            )
        )
    )(_rendering(org, mp)),
    "kinerja.document_store.dokumen_retry": lambda org, mp: (
        lambda d: lambda: document_store.dokumen_retry(dokumen=d, by=org.asn)
    )(_failed(org, mp)),
    "kinerja.document_store.dokumen_stall": lambda org, mp: (
        lambda d: lambda: document_store.dokumen_stall(dokumen_id=d.pk, now=timezone.now() + LATER)
    )(_rendering(org, mp)),
    "kinerja.document_store.dokumen_watchdog": lambda org, mp: (
        _rendering(org, mp),
        lambda: document_store.dokumen_watchdog(now=timezone.now() + LATER),
    )[1],
    "kinerja.document_store.dokumen_open_checked": lambda org, mp: _refused_download(org, _tampered(org, mp)),
    "kinerja.document_store.dokumen_report_corrupt": lambda org, mp: (
        lambda d: lambda: document_store.dokumen_report_corrupt(dokumen=d, found="0" * 64, by=org.admin.user)
    )(_stored(org, mp)),
    "kinerja.periode_services.periode_record_reached": lambda org, mp: (
        lambda: core.periode_record_reached(satker=org.kudus, today=D(2031, 8, 3))
    ),
    # the admin's master data (kinerja.master_services and the generic writers the admin's services share)
    "kinerja.master_services.audited_create": lambda org, mp: (
        lambda: master_services.audited_create(
            Subbagian,
            data={"satker": org.kudus, "nama": "Subbagian Uji", "singkatan": "UJI"},
            by=_root(),
            action="subbagian_tambah",
            satker_of=lambda s: s.satker,
        )
    ),
    "kinerja.master_services.audited_update": lambda org, mp: (
        lambda: master_services.audited_update(
            org.hukum,
            data={"nama": "Subbagian Hukum (diubah)"},
            by=_root(),
            action="subbagian_ubah",
            satker=org.kudus,
        )
    ),
    "kinerja.master_services.audited_delete": lambda org, mp: (
        lambda sub: (
            lambda: master_services.audited_delete(
                sub, by=_root(), action="subbagian_hapus", satker=org.kudus
            )
        )
    )(_empty_subbagian(org)),
    "kinerja.master_services.satker_create": lambda org, mp: (
        lambda: master_services.satker_create(
            data={"nama": "KPU Kota Tegal", "kode": "tegal", "kota": "Tegal", "zona_waktu": "Asia/Jakarta"},
            by=_root(),
        )
    ),
    "kinerja.master_services.satker_update": lambda org, mp: (
        lambda: master_services.satker_update(satker=org.kudus, data={"telepon": "0291-123"}, by=_root())
    ),
    "kinerja.master_services.subbagian_create": lambda org, mp: (
        lambda: master_services.subbagian_create(
            data={"satker": org.kudus, "nama": "Subbagian Baru", "singkatan": "BARU"}, by=org.admin.user
        )
    ),
    "kinerja.master_services.subbagian_update": lambda org, mp: (
        lambda: master_services.subbagian_update(
            subbagian=org.hukum, data={"nama": "Subbagian Hukum (diubah)"}, by=org.admin.user
        )
    ),
    "kinerja.master_services.subbagian_delete": lambda org, mp: (
        lambda sub: lambda: master_services.subbagian_delete(subbagian=sub, by=org.admin.user)
    )(_empty_subbagian(org)),
    "kinerja.master_services.pegawai_update": lambda org, mp: (
        lambda: master_services.pegawai_update(
            pegawai=org.colleague, data={"jabatan": "Analis"}, by=org.admin.user
        )
    ),
    "kinerja.master_services.kode_output_create": lambda org, mp: (
        lambda: master_services.kode_output_create(
            data={"satker": org.kudus, "tahun": 2026, "kode": "9998.BBB", "uraian": "Baru", "level": "kro"},
            by=org.admin.user,
        )
    ),
    "kinerja.master_services.kode_output_update": lambda org, mp: (
        lambda kode: (
            lambda: master_services.kode_output_update(
                kode=kode, data={"uraian": "Diubah"}, by=org.admin.user
            )
        )
    )(_kode(org)),
    "kinerja.master_services.kode_output_delete": lambda org, mp: (
        lambda kode: lambda: master_services.kode_output_delete(kode=kode, by=org.admin.user)
    )(_kode(org)),
    "kinerja.master_services.mutu_baku_create": lambda org, mp: (
        lambda step: (
            lambda: master_services.mutu_baku_create(
                data={
                    "satker": org.kudus,
                    "sop": step.sop,
                    "langkah": step.langkah,
                    "kegiatan": "Langkah sendiri",
                    "waktu": 4,
                    "satuan": "menit",
                },
                by=org.admin.user,
            )
        )
    )(_mutu_step(org)),
    "kinerja.master_services.mutu_baku_update": lambda org, mp: (
        lambda mutu: lambda: master_services.mutu_baku_update(mutu=mutu, data={"waktu": 7}, by=org.admin.user)
    )(_mutu(org)),
    "kinerja.master_services.mutu_baku_delete": lambda org, mp: (
        lambda mutu: lambda: master_services.mutu_baku_delete(mutu=mutu, by=org.admin.user)
    )(_mutu(org)),
    "rekap.pengukuran.services.skala.skala_create": lambda org, mp: (
        lambda: skala_services.skala_create(
            data={"satker": org.kudus, "nama": "Sangat baik", "minimum": Decimal(91)}, by=org.admin.user
        )
    ),
    "rekap.pengukuran.services.skala.skala_update": lambda org, mp: (
        lambda sk: (
            lambda: skala_services.skala_update(skala=sk, data={"nama": "Cukup baik"}, by=org.admin.user)
        )
    )(_skala(org)),
    "rekap.pengukuran.services.skala.skala_delete": lambda org, mp: (
        lambda sk: lambda: skala_services.skala_delete(skala=sk, by=org.admin.user)
    )(_skala(org)),
    # accounts, groups and lockouts (the admin's, kinerja.accounts)
    "kinerja.accounts.akun_save": lambda org, mp: (
        lambda user: (
            setattr(user, "first_name", "Rina"),
            lambda: accounts.akun_save(account=user, changed=["first_name"], created=False, by=_root()),
        )[1]
    )(org.asn.user),
    "kinerja.accounts.akun_set_password": lambda org, mp: (
        lambda user: (
            user.set_password("Sandi-baru-panjang-2026"),
            user.save(),
            lambda: accounts.akun_set_password(account=user, by=_root()),
        )[2]
    )(org.asn.user),
    "kinerja.accounts.akun_delete": lambda org, mp: (
        lambda user: lambda: accounts.akun_delete(account=user, by=_root())
    )(User.objects.create_user("tamu", "tamu@example.id", "x")),
    "kinerja.accounts.grup_save": lambda org, mp: (
        lambda group: (
            lambda: accounts.grup_save(
                group=group,
                changed=["name", "permissions"],
                created=True,
                by=_root(),
                m2m={"permissions": Permission.objects.filter(codename="view_harilibur")},
            )
        )
    )(Group(name="Admin satker")),
    "kinerja.accounts.grup_delete": lambda org, mp: (
        lambda group: lambda: accounts.grup_delete(group=group, by=_root())
    )(Group.objects.create(name="Admin satker")),
    "kinerja.accounts.akses_unlock": lambda org, mp: (
        lambda attempt: lambda: accounts.akses_unlock(attempt=attempt, by=_root())
    )(_attempt(org)),
    # imports
    "kinerja.imports.kode_output.kode_output_import": lambda org, mp: (
        lambda: import_codes(org, [CODE_HEADER, ["3359.EBA.994.003", "Pengadaan ATK", "", "KUL", "ya"]])
    ),
    "kinerja.imports.pegawai.pegawai_import": lambda org, mp: (
        lambda: import_staff(
            org, staff_rows([make_nip(), "Rina Baru", "Pengadministrasi", "", "KUL", "PNS", "asn", ""])
        )
    ),
    "rekap.pengukuran.kerangka.impor.kerangka_import": lambda org, mp: (
        lambda: kerangka_run(org, kerangka_xlsx([kerangka_row("IK9")]))
    ),
    # verification
    "verifikasi.services.entri_approve": lambda org, mp: (
        lambda e: lambda: verifikasi.entri_approve(laporan=_laporan(org), entri=e, by=org.kasubag)
    )(_october_entri(org)),
    "verifikasi.services.entri_return": lambda org, mp: (
        lambda e: (
            lambda: verifikasi.entri_return(laporan=_laporan(org), entri=e, by=org.kasubag, note="Lengkapi")
        )
    )(_october_entri(org)),
    "verifikasi.services.entri_approve_remaining": lambda org, mp: (
        _october_entri(org),
        lambda: verifikasi.entri_approve_remaining(laporan=_laporan(org), by=org.kasubag),
    )[1],
    "verifikasi.services.laporan_verify": lambda org, mp: (
        _october_entri(org, StatusEntri.DISETUJUI),
        lambda: verifikasi.laporan_verify(laporan=_laporan(org), by=org.kasubag),
    )[1],
    "verifikasi.services.laporan_reopen": lambda org, mp: (
        _october_entri(org, StatusEntri.DISETUJUI),
        verifikasi.laporan_verify(laporan=_laporan(org), by=org.kasubag),
        lambda: verifikasi.laporan_reopen(laporan=_laporan(org), by=org.sekretaris, reason="Salah hitung"),
    )[2],
    # the month's compilation and plenary
    "rekap.services.rekap_compile": lambda org, mp: (
        rk.install_fake_generators(mp),
        _verified_month(org),
        lambda: rk.compile_month(org),
    )[2],
    "rekap.services.pleno_save": lambda org, mp: (lambda r: lambda: rk.record(org, r))(_compiled(org, mp)),
    "rekap.services.pleno_finalise": lambda org, mp: (
        lambda r: (lambda rapat: lambda: rekap_services.pleno_finalise(rapat=rapat, by=org.rendatin))(
            rk.record(org, r)
        )
    )(_compiled(org, mp)),
    # the framework
    "rekap.pengukuran.kerangka.services.sasaran_create": lambda org, mp: (
        lambda: kerangka.sasaran_create(
            satker=org.kudus, tahun=2030, kode="S9", uraian="Sasaran", by=org.rendatin
        )
    ),
    "rekap.pengukuran.kerangka.services.sasaran_update": lambda org, mp: (
        lambda fw: (
            lambda: kerangka.sasaran_update(
                sasaran=fw.sasaran, kode="S1", uraian="Baru", urutan=1, by=org.rendatin
            )
        )
    )(Framework(org)),
    "rekap.pengukuran.kerangka.services.program_create": lambda org, mp: (
        lambda fw: (
            lambda: kerangka.program_create(sasaran=fw.sasaran, kode="P9", uraian="Program", by=org.rendatin)
        )
    )(Framework(org)),
    "rekap.pengukuran.kerangka.services.program_update": lambda org, mp: (
        lambda fw: (
            lambda: kerangka.program_update(
                program=fw.program, kode="P1", uraian="Baru", urutan=1, by=org.rendatin
            )
        )
    )(Framework(org)),
    "rekap.pengukuran.kerangka.services.kegiatan_create": lambda org, mp: (
        lambda fw: (
            lambda: kerangka.kegiatan_create(
                program=fw.program, kode="K9", uraian="Kegiatan", by=org.rendatin
            )
        )
    )(Framework(org)),
    "rekap.pengukuran.kerangka.services.kegiatan_update": lambda org, mp: (
        lambda fw: (
            lambda: kerangka.kegiatan_update(
                kegiatan=fw.kegiatan, kode="K1", uraian="Baru", urutan=1, by=org.rendatin
            )
        )
    )(Framework(org)),
    "rekap.pengukuran.kerangka.services.kelompok_delete": lambda org, mp: (
        lambda fw: (
            lambda: kerangka.kelompok_delete(
                obj=kerangka.sasaran_create(
                    satker=org.kudus, tahun=fw.sasaran.tahun, kode="S8", uraian="x", by=None
                ),
                by=org.rendatin,
            )
        )
    )(Framework(org)),
    "rekap.pengukuran.kerangka.services.indikator_create": lambda org, mp: (
        lambda fw: (
            lambda: kerangka.indikator_create(
                kegiatan=fw.kegiatan, data=indikator_data(org, "IK7"), by=org.rendatin
            )
        )
    )(Framework(org)),
    "rekap.pengukuran.kerangka.services.indikator_update": lambda org, mp: (
        lambda fw: (
            lambda: kerangka.indikator_update(
                indikator=fw.tunggal, data=indikator_data(org, "IK1", uraian="Diubah"), by=org.rendatin
            )
        )
    )(Framework(org)),
    "rekap.pengukuran.kerangka.services.indikator_set_aktif": lambda org, mp: (
        lambda fw: lambda: kerangka.indikator_set_aktif(indikator=fw.tunggal, aktif=False, by=org.rendatin)
    )(Framework(org)),
    "rekap.pengukuran.kerangka.services.indikator_delete": lambda org, mp: (
        lambda fw: lambda: kerangka.indikator_delete(indikator=fw.tunggal, by=org.rendatin)
    )(Framework(org)),
    "rekap.pengukuran.kerangka.services.kerangka_salin": lambda org, mp: (
        lambda fw: (
            lambda: kerangka.kerangka_salin(
                satker=org.kudus, dari=fw.sasaran.tahun, ke=fw.sasaran.tahun + 5, by=org.rendatin
            )
        )
    )(Framework(org)),
    # the measurement's ten steps
    "rekap.pengukuran.services.disposition.pengukuran_dispose": lambda org, mp: (
        lambda k: lambda: pk.mulai(org, k)
    )(pk.kerangka(org)),
    "rekap.pengukuran.services.disposition.pengukuran_draft_forms": _pengukuran_at(T.KONSEP),
    "rekap.pengukuran.services.disposition.pengukuran_issue_forms": _pengukuran_at(T.FORM),
    "rekap.pengukuran.services.collection.form_fill": _form_step("fill"),
    "rekap.pengukuran.services.collection.form_submit": _form_step("submit"),
    "rekap.pengukuran.services.collection.form_import": _form_import,
    "rekap.pengukuran.services.measurement.pengukuran_measure": _pengukuran_at(T.PENGUKURAN),
    "rekap.pengukuran.services.measurement.pengukuran_recap": _pengukuran_at(T.REKAP),
    "rekap.pengukuran.services.measurement.pengukuran_report_draft": _pengukuran_at(T.DRAF),
    "rekap.pengukuran.services.measurement.pengukuran_send": _pengukuran_at(T.PEMERIKSAAN),
    "rekap.pengukuran.services.decision.pengukuran_approve": _pengukuran_at(T.PERSETUJUAN),
    "rekap.pengukuran.services.decision.pengukuran_return": lambda org, mp: (
        fake_document_generators(mp),
        (
            lambda p: (
                lambda: pengukuran.pengukuran_return(pengukuran=p, by=org.sekretaris, catatan="Perbaiki IK.1")
            )
        )(pk.fresh(pk.sampai(org, T.PERSETUJUAN))),
    )[1],
}


def test_every_service_is_exercised_or_declared_read_only():
    found = set(service_functions())
    unclassified = found - set(EXERCISE) - set(READ_ONLY)
    assert not unclassified, (
        f"services with no audit exercise and not declared read-only: {sorted(unclassified)}"
    )
    assert not set(EXERCISE) & set(READ_ONLY)
    stale = (set(EXERCISE) | set(READ_ONLY)) - found
    assert not stale, f"listed but no longer services: {sorted(stale)}"


def test_the_service_modules_are_found():
    modules = service_modules()
    assert {"kinerja.services", "kinerja.kalender_services", "verifikasi.services", "rekap.services"} <= set(
        modules
    )
    assert "rekap.pengukuran.services.collection" in modules


# Commands have no actor; the worker's moves of a document have none either.
NO_ACTOR = {"kinerja.kalender_services.hari_libur_seed", "kinerja.document_store.dokumen_start"}
NO_ACTOR |= {"kinerja.document_store.dokumen_fail", "kinerja.document_store.dokumen_store"}
# The stage a month reached by the calendar is written when observed; the watchdog is the background job's.
NO_ACTOR |= {"kinerja.periode_services.periode_record_reached"}
NO_ACTOR |= {"kinerja.document_store.dokumen_stall", "kinerja.document_store.dokumen_watchdog"}

# What belongs to no satker: permission groups (a superuser's, for every office) and the accounts that are no
# person's (akun_delete refuses a person's account). Their rows are for the superusers' own audit admin.
NO_SATKER = {"kinerja.accounts.akun_delete", "kinerja.accounts.grup_save", "kinerja.accounts.grup_delete"}
# A new satker's row is filed under the satker it created.
OWN_SATKER = {"kinerja.master_services.satker_create"}


# Loads of a whole file or year: the row records what was loaded as counts; the file is the detail.
BULK_LOADS = {
    "kinerja.imports.pegawai.pegawai_import",
    "kinerja.imports.kode_output.kode_output_import",
    "rekap.pengukuran.kerangka.impor.kerangka_import",
    "rekap.pengukuran.kerangka.services.kerangka_salin",
}


@pytest.mark.parametrize("name", sorted(EXERCISE))
def test_the_service_writes_an_audit_row(org, monkeypatch, name):
    act = EXERCISE[name](org, monkeypatch)
    last = AuditLog.objects.order_by("-pk").values_list("pk", flat=True).first() or 0
    act()
    rows = list(AuditLog.objects.filter(pk__gt=last))
    assert rows, f"{name} wrote no audit row"
    if name in NO_SATKER:
        assert all(row.satker_id is None for row in rows), [(r.action, r.satker_id) for r in rows]
    elif name in OWN_SATKER:
        assert all(row.satker_id == row.object_id for row in rows), [(r.action, r.satker_id) for r in rows]
    else:
        assert all(row.satker_id == org.kudus.pk for row in rows), [(r.action, r.satker_id) for r in rows]
    if name not in NO_ACTOR:
        assert any(row.actor_id is not None for row in rows)
    # and it says what changed: a move from → to, or the fields with their old and new values
    if name not in BULK_LOADS:
        assert any(row.perubahan or row.dari or row.ke for row in rows), f"{name}: {[r.action for r in rows]}"
    # and the audit page names the action in Indonesian, not by its code ("satker_ubah")
    unnamed = sorted({row.action for row in rows} - set(AuditLog.ACTION_LABELS))
    assert unnamed == [], f"{name}: actions with no label in AuditLog.ACTION_LABELS: {unnamed}"
