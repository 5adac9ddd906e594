"""One permission matrix over every URL (issue 11, Deliver 6), in the manner of pretix's control permission tests.

The URL resolver is the list: every pattern it knows, in every namespace, needs a row in ROWS (Django's admin site
is the one stated exception, see ADMIN_RULE), and `test_every_url_pattern_has_a_row` fails naming any that has none.
A row says how to build the URL from real objects of one shared world, which methods it takes and what each person
gets back:

- anonymous → the login page, with ?next= the requested path (public rows say their own code);
- the outsider, a Bontang person holding every role there (Sekretaris, Kasubag Rendatin, Rendatin, Admin, ASN) →
  404 for any Kudus object; a page that names no object shows Bontang's own data and nothing of Kudus';
- a Kudus person in the wrong role → the 403 or 404 the row states;
- the right role → 200 or 302;
- the method a view does not take, asked by the right role (GET on a POST-only URL, POST on a read-only page) → 405.

Every GET, and every refusal, must leave the database as it was (`writes` below). Each (url, method, actor) is one
test, so a failure names its cell, e.g. `test_cell[kinerja:entri_detail-GET-colleague]`. The world is built once
per module inside a transaction that is rolled back at its end; each cell runs in a savepoint of it.

The matrix asks only URLs and HTTP outcomes: no policy function is imported. Cells where the app does not yet do
what the row says are strict xfails with their reason (a fix makes them fail until the mark is removed).
"""

import datetime
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from urllib.parse import parse_qs, urlsplit

import pytest
from django.conf import settings
from django.contrib import admin
from django.contrib.auth import get_user_model
from django.core.files.base import ContentFile
from django.db import connection, transaction
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import URLPattern, URLResolver, get_resolver, reverse
from django.utils.html import escape

from kinerja.models import (
    BuktiDukung,
    Dokumen,
    HariLibur,
    JenisBukti,
    JenisKetidakhadiran,
    JenisPemberitahuan,
    Ketidakhadiran,
    Pemberitahuan,
    PenjabatSementara,
    StatusDokumen,
    Subbagian,
)
from rekap.pengukuran.models import TahapPengukuran
from tests.conftest import PASSWORD, Org, ensure_mutu_baku, fake_document_generators
from tests.pengukuran.test_services import PNG, form_of, kerangka, sampai
from tests.rekap.test_services import compiled, mark_verified, record
from tests.verifikasi.test_services import make_entri

# --- who asks ------------------------------------------------------------------------------------------------

KUDUS = (
    "asn",  # Ani, staff of Subbagian KUL: owns the entries, the notice, the September month under review
    "colleague",  # Budi, KUL staff: his September is verified (the reopen row)
    "kasubag",  # Citra, Kasubag KUL: verifies Ani and Budi
    "other_kasubag",  # Eko, Kasubag Teknis: a head who verifies neither
    "rendatin",  # Fajar, Rendatin staff
    "kasubag_rendatin",  # Gita, Kasubag Rendatin
    "sekretaris",  # Hadi
    "pimpinan",  # Indah, a commissioner (not an ASN)
    "admin",  # Joko, the satker Admin (an in-app role, not a Django staff user)
)
ACTORS = ("anon", "outsider", *KUDUS, "superuser")  # superuser: a Django superuser with no Pegawai
LOGIN = "login"  # the expected outcome "302 to the login page with ?next="

ASN_ROLE = frozenset(KUDUS) - {"pimpinan"}
RENDATIN = frozenset({"rendatin", "kasubag_rendatin"})
SEES_SATKER = RENDATIN | {"sekretaris", "pimpinan"}  # rekap pages, the framework, a measurement in full
# Ani's entry: she, her verifier and the satker-wide readers; her month's review page: the same but herself.
ENTRI_READERS = frozenset({"asn", "kasubag", "sekretaris"}) | RENDATIN
MONTH_READERS = ENTRI_READERS - {"asn"}
KUL = frozenset({"asn", "colleague", "kasubag"})  # the people who fill KUL's Form Data Kinerja
# A measurement: whoever sees it in full, and the subbagian with an issued form (KUL, Teknis; Hukum has none).
MEASUREMENT_READERS = SEES_SATKER | KUL | {"other_kasubag"}
QUEUE = frozenset({"kasubag", "other_kasubag", "kasubag_rendatin", "sekretaris"})


def only(
    ok: Iterable[str],
    code: int = 200,
    *,
    others: int = 403,
    outsider: int = 404,
    superuser: int | None = None,
    **who,
) -> dict[str, int | str]:
    """Each actor's outcome: `code` for the `ok` people, `others` for the rest of Kudus, `outsider` for Bontang,
    and for the Pegawai-less superuser what `others` get unless said; `who` overrides actors outside `ok`."""
    ok = set(ok)
    codes: dict[str, int | str] = {"anon": LOGIN, "outsider": code if "outsider" in ok else outsider}
    codes.update({actor: code if actor in ok else others for actor in KUDUS})
    codes["superuser"] = superuser or (code if "superuser" in ok else others)
    codes.update({actor: outcome for actor, outcome in who.items() if actor not in ok})
    return codes


def each(actors: Iterable[str], code: int) -> dict[str, int]:
    return dict.fromkeys(actors, code)


def signed_in(code: int = 200) -> dict[str, int | str]:
    """Any signed-in person, of either satker or none."""
    return only(ACTORS, code)


def everyone(code: int, **who) -> dict[str, int | str]:
    """A public URL: the same for all, anonymous included."""
    return {**dict.fromkeys(ACTORS, code), **who}


# --- the world ---------------------------------------------------------------------------------------------------


class World:
    """Kudus with a person in every role (tests/conftest.py's Org), the Bontang outsider in every role of Bontang,
    and one real object behind every URL argument."""

    def __init__(self):
        org = self.org = Org()
        self.year = min(org.kode_years)  # last year: its months are past and their verification window open
        today = org.kudus.today()
        self._outsider_in_every_role()
        self.superuser = get_user_model().objects.create_superuser("root", "root@example.id", PASSWORD)

        # This month (open): Ani's entry with a photo and its thumbnail, and one she may delete.
        self.entri = make_entri(org, org.asn, tanggal=today)
        self.bukti = BuktiDukung(
            entri=self.entri,
            jenis=JenisBukti.FOTO,
            nama_asli="rapat.png",
            content_type="image/png",
            ukuran=len(PNG),
            sha256="0" * 64,
        )
        self.bukti.berkas.save("rapat.png", ContentFile(PNG), save=False)
        self.bukti.thumbnail.save("rapat-thumb.jpg", ContentFile(PNG), save=False)
        self.bukti.save()
        self.entri_hapus = make_entri(org, org.asn, tanggal=today, nama_kegiatan="Entri yang dihapus")
        self.notice = Pemberitahuan.objects.create(
            satker=org.kudus, pegawai=org.asn, jenis=JenisPemberitahuan.LAINNYA, pesan="Uji", kunci="matrix"
        )

        # The calendar, next year, so that nothing of it changes this year's working days or acting heads.
        later = today.year + 1
        self.libur = HariLibur.objects.create(
            satker=org.kudus, tanggal=datetime.date(later, 8, 17), nama="HUT RI"
        )
        self.cuti = Ketidakhadiran.objects.create(
            pegawai=org.asn,
            jenis=JenisKetidakhadiran.CUTI_TAHUNAN,
            mulai=datetime.date(later, 3, 2),
            selesai=datetime.date(later, 3, 4),
        )
        self.plt = PenjabatSementara.objects.create(
            satker=org.kudus,
            subbagian=org.kul,
            pegawai=org.colleague,
            mulai=datetime.date(later, 4, 6),
            selesai=datetime.date(later, 4, 10),
        )

        # September of last year, under verification: Ani's entry awaits Citra; Budi's month is verified.
        self.september = (self.year, 9)
        self.entri_september = make_entri(org, org.asn, tanggal=datetime.date(self.year, 9, 1))
        mark_verified(org.colleague, self.year, 9, by=org.kasubag)

        # October of last year, compiled and its plenary recorded (not final), with a ready document.
        self.oktober = (self.year, 10)
        self.rekap = compiled(org)
        record(org, self.rekap)
        self.dokumen = Dokumen(
            satker=org.kudus,
            jenis="rekap_bulanan",
            params={"tahun": self.year, "bulan": 10, "fmt": "pdf"},
            kunci="matrix",
            judul="Rekap Oktober",
            status=StatusDokumen.SIAP,
            nama_berkas="rekap.pdf",
            content_type="application/pdf",
            diminta_oleh=org.rendatin.user,
        )
        self.dokumen.berkas.save("rekap.pdf", ContentFile(b"%PDF-1.4 matrix"), save=False)
        self.dokumen.save()

        # A measurement of last year's first quarter whose forms are issued, on the framework it measures.
        ensure_mutu_baku()
        self.kerangka = kerangka(org)
        self.indikator = self.kerangka.entri  # IK.1, counted from KUL's verified entries
        self.pengukuran = sampai(org, TahapPengukuran.PENGUMPULAN, self.kerangka)
        self.form = form_of(self.pengukuran, org.kul)
        self.baris = self.form.baris_set.order_by("pk").first()
        self.baris.bukti.save("bukti.png", ContentFile(PNG), save=False)
        self.baris.bukti_nama = "bukti.png"
        self.baris.save(update_fields=["bukti", "bukti_nama"])

        # What a Bontang page must never show: Kudus' name, its people's NIPs (their names are also the examples
        # of the staff import page), its entries, its output codes and its framework.
        texts = [org.kudus.nama, "Rekonsiliasi BMN", org.kode.uraian, self.kerangka.sasaran.uraian]
        for person in (getattr(org, actor) for actor in KUDUS):
            texts += [person.nip, person.nip_display] if person.nip else []
        self.kudus_markers = [escape(text).encode() for text in texts]

        # One signed-in session per actor, made once (a cell that ends or rotates it is rolled back with the cell).
        self.sessions = {}
        for actor in ACTORS[1:]:
            client = Client()
            client.force_login(self.user(actor), backend="kinerja.auth.NipOrUsernameBackend")
            self.sessions[actor] = client.cookies[settings.SESSION_COOKIE_NAME].value

    def _outsider_in_every_role(self):
        org = self.org
        rendatin = Subbagian.objects.create(
            satker=org.bontang,
            nama="Subbagian Perencanaan, Data dan Informasi",
            singkatan="RENDATIN",
            is_rendatin=True,
            kasubag=org.outsider,
        )
        org.outsider.subbagian = rendatin
        org.outsider.is_admin = True
        org.outsider.save(update_fields=["subbagian", "is_admin"])
        org.bontang.sekretaris = org.outsider
        org.bontang.save(update_fields=["sekretaris"])

    def user(self, actor: str):
        return self.superuser if actor == "superuser" else getattr(self.org, actor).user


@pytest.fixture(scope="module")
def world(django_db_setup, django_db_blocker):
    with django_db_blocker.unblock(), pytest.MonkeyPatch.context() as patch:
        fake_document_generators(patch)  # a requested document is rendered at once, as a few bytes
        with transaction.atomic():
            yield World()
            transaction.set_rollback(True)


# --- the rows ----------------------------------------------------------------------------------------------------

Args = Callable[[World], dict]
NO_ARGS: Args = lambda w: {}  # noqa: E731


@dataclass(frozen=True)
class Row:
    """One URL pattern: its arguments, the outcome per actor for each method it takes (None: it does not take it,
    so the right role gets 405), the POST body, strict xfails by (method, actor), and the login page it uses."""

    name: str
    args: Args = NO_ARGS
    get: Mapping[str, int | str] | None = None
    post: Mapping[str, int | str] | None = None
    data: Args = NO_ARGS
    xfail: Mapping[tuple[str, str], str] = field(default_factory=dict)
    actors: tuple[str, ...] = ACTORS
    login_page: str = "login"
    other_method: bool = True  # whether the method it does not take is asked for (405)
    # a public page that shows the object it names to anyone holding its unguessable code (a printed document's
    # verification page): the outsider sees Kudus's satker there by design; what it may show is tested with it
    shows_to_code_holders: bool = False


def pk(attr: str) -> Args:
    return lambda w: {"pk": getattr(w, attr).pk}


def month(attr: str) -> Args:
    return lambda w: dict(zip(("year", "month"), getattr(w, attr), strict=True))


def review(pegawai: str, **extra: Callable[[World], object]) -> Args:
    """A person's September on the verifier's pages."""
    return lambda w: {
        "pegawai_id": getattr(w.org, pegawai).pk,
        "year": w.september[0],
        "month": w.september[1],
        **{key: get(w) for key, get in extra.items()},
    }


def measurement(**extra: Callable[[World], object]) -> Args:
    return lambda w: {"pk": w.pengukuran.pk, **{key: get(w) for key, get in extra.items()}}


def framework(level: str) -> Args:
    return lambda w: {"pk": getattr(w.kerangka, level).pk}


PUBLIC = [
    # a signed-in person is sent home; an empty sign-in comes back with its errors
    Row("login", get=everyone(302, anon=200), post=everyone(302, anon=200)),
    Row("logout", post=everyone(302)),  # Django's LogoutView takes POST only
    Row("password_change", get=signed_in(), post=signed_in()),  # an empty form comes back with its errors
    Row("password_change_done", get=signed_in()),
    Row("service_worker", get=everyone(200)),
    Row("healthz", get=everyone(200)),  # database and storage reachable; no data, no sign-in
    # the service's status: each satker's Admin (their own satker) and the deployment's operators (Django staff)
    Row("ops_status", get=only({"admin", "superuser"}, outsider=200)),
    Row("manifest", get=everyone(200)),
    Row("offline", get=everyone(200)),
    # a printed document's public verification page (issue 13): no sign-in; an empty upload comes back with its
    # errors
    Row(
        "keaslian",
        lambda w: {"kode": w.dokumen.kode_cetak},
        get=everyone(200),
        post=everyone(200),
        shows_to_code_holders=True,
    ),
    Row("home", get=signed_in()),
]

KINERJA = [
    # daily entries: the ASN's own pages; an entry is read by its owner, her verifier and the satker-wide readers
    Row("kinerja:entri_list", get=only(ASN_ROLE, outsider=200)),
    Row("kinerja:entri_create", get=only(ASN_ROLE, outsider=200), post=only(ASN_ROLE, outsider=200)),
    Row("kinerja:entri_detail", pk("entri"), get=only(ENTRI_READERS, others=404)),
    Row(
        "kinerja:entri_update",
        pk("entri"),
        # only its owner changes it (an empty form comes back with its errors)
        get=only({"asn"}, others=404, **each(MONTH_READERS, 403)),
        post=only({"asn"}, others=404, **each(MONTH_READERS, 403)),
    ),
    Row(
        "kinerja:entri_delete",
        pk("entri_hapus"),
        get=only({"asn"}, others=404, **each(MONTH_READERS, 403)),
        post=only({"asn"}, 302, others=404, **each(MONTH_READERS, 403)),
    ),
    Row("kinerja:bukti_file", pk("bukti"), get=only(ENTRI_READERS, others=404)),
    Row("kinerja:bukti_thumb", pk("bukti"), get=only(ENTRI_READERS, others=404)),
    Row("kinerja:bulan_saya_now", get=only(ASN_ROLE, outsider=200)),
    Row("kinerja:bulan_saya", month("september"), get=only(ASN_ROLE, outsider=200)),
    # the phone's queue of entries saved offline (issue 18): the page holds none, the session check says who
    Row("kinerja:antrean", get=only(ASN_ROLE, outsider=200)),
    Row("kinerja:antrean_sesi", get=everyone(200, anon=401)),
    Row("kinerja:kode_output_search", get=only(KUDUS, outsider=200)),
    Row("kinerja:notice_read", pk("notice"), post=only({"asn"}, 302, others=404)),  # one's own notice only
    # generated documents: shown to whoever may see what the document shows (here Rendatin's compiled month)
    Row("kinerja:dokumen", pk("dokumen"), get=only(SEES_SATKER, others=404)),
    Row("kinerja:dokumen_unduh", pk("dokumen"), get=only(SEES_SATKER, others=404)),
    Row("kinerja:dokumen_ulang", pk("dokumen"), post=only(SEES_SATKER, 302, others=404)),
    # master data: output codes for Rendatin and the Admin, staff accounts for the Admin
    Row("kinerja:kode_output_list", get=only(RENDATIN | {"admin"}, outsider=200)),
    Row(
        "kinerja:kode_output_import",
        get=only(RENDATIN | {"admin"}, outsider=200),
        post=only(RENDATIN | {"admin"}, outsider=200),
    ),
    Row(
        "kinerja:kode_output_toggle",
        lambda w: {"pk": w.org.kode.pk},
        post=only(RENDATIN | {"admin"}, 302),
    ),
    Row("kinerja:pegawai_list", get=only({"admin"}, outsider=200)),
    Row("kinerja:pegawai_import", get=only({"admin"}, outsider=200), post=only({"admin"}, outsider=200)),
    Row(
        "kinerja:pegawai_reset_password",
        lambda w: {"pk": w.org.colleague.pk},
        get=only({"admin"}),
        post=only({"admin"}),  # the page that shows the new temporary password once
    ),
    # the audit trail: the Sekretaris' and the Admin's, of their own satker
    Row("kinerja:audit_list", get=only({"sekretaris", "admin"}, outsider=200)),
    Row("kinerja:audit_xlsx", get=only({"sekretaris", "admin"}, outsider=200)),
    Row(
        "kinerja:audit_object",
        lambda w: {"app_label": "rekap", "model": "rekapbulanan", "pk": w.rekap.pk},
        get=only({"sekretaris", "admin"}),
    ),
    # the working calendar: the Admin's
    Row("kinerja:hari_libur_list", get=only({"admin"}, outsider=200)),
    Row("kinerja:hari_libur_create", get=only({"admin"}, outsider=200), post=only({"admin"}, outsider=200)),
    Row("kinerja:hari_libur_seed", post=only({"admin"}, 302, outsider=302)),
    Row("kinerja:hari_libur_update", pk("libur"), get=only({"admin"}), post=only({"admin"})),
    Row("kinerja:hari_libur_delete", pk("libur"), get=only({"admin"}), post=only({"admin"}, 302)),
    Row("kinerja:ketidakhadiran_list", get=only({"admin"}, outsider=200)),
    Row(
        "kinerja:ketidakhadiran_create", get=only({"admin"}, outsider=200), post=only({"admin"}, outsider=200)
    ),
    Row("kinerja:ketidakhadiran_delete", pk("cuti"), get=only({"admin"}), post=only({"admin"}, 302)),
    Row("kinerja:penjabat_list", get=only({"admin"}, outsider=200)),
    Row("kinerja:penjabat_create", get=only({"admin"}, outsider=200), post=only({"admin"}, outsider=200)),
    Row("kinerja:penjabat_delete", pk("plt"), get=only({"admin"}), post=only({"admin"}, 302)),
]

# Someone else's month is not found; one's own month on the verifier's pages is a 403 with the reason.
REVIEW_DENIED = {"others": 404, "asn": 403}

VERIFIKASI = [
    Row("verifikasi:antrean", get=only(QUEUE, outsider=200)),
    Row("verifikasi:periksa", review("asn"), get=only(MONTH_READERS, **REVIEW_DENIED)),
    Row(
        "verifikasi:setujui",
        review("asn", entri_id=lambda w: w.entri_september.pk),
        post=only({"kasubag"}, 302, **REVIEW_DENIED, **each(MONTH_READERS - {"kasubag"}, 403)),
    ),
    Row(
        "verifikasi:kembalikan",
        review("asn", entri_id=lambda w: w.entri_september.pk),
        post=only({"kasubag"}, 302, **REVIEW_DENIED, **each(MONTH_READERS - {"kasubag"}, 403)),
        data=lambda w: {"catatan": "Lampirkan berita acaranya."},
    ),
    Row(
        "verifikasi:setujui_semua",
        review("asn"),
        post=only({"kasubag"}, 302, **REVIEW_DENIED, **each(MONTH_READERS - {"kasubag"}, 403)),
    ),
    Row(
        "verifikasi:verifikasi",
        review("asn"),
        # the confirmation page exists only for whoever may verify the month now
        get=only({"kasubag"}, **REVIEW_DENIED),
        post=only({"kasubag"}, 302, **REVIEW_DENIED, **each(MONTH_READERS - {"kasubag"}, 403)),
    ),
    Row(
        "verifikasi:buka_kembali",
        review("colleague"),
        # only the Sekretaris reopens; to everyone else the reopening is not there
        get=only({"sekretaris"}, others=404, colleague=403),
        post=only({"sekretaris"}, 302, others=404, colleague=403),
        data=lambda w: {"alasan": "Entri tanggal 1 perlu dikoreksi."},
    ),
    Row(
        "verifikasi:softfile_pegawai",
        review("asn", fmt=lambda w: "pdf"),
        get=only(ENTRI_READERS, others=404),
        post=only(ENTRI_READERS, 302, others=404),
    ),
    Row(
        "verifikasi:softfile_subbagian",
        lambda w: {
            "subbagian_id": w.org.kul.pk,
            "year": w.september[0],
            "month": w.september[1],
            "fmt": "pdf",
        },
        get=only(MONTH_READERS, others=404),
        post=only(MONTH_READERS, 302, others=404),
    ),
]

REKAP = [
    Row("rekap:papan", get=only(SEES_SATKER, outsider=200)),
    Row("rekap:bulan", month("oktober"), get=only(SEES_SATKER, outsider=200)),
    # compiling names a month of one's own satker: the outsider compiles Bontang's September
    # GET: the confirmation page with the month's counts; POST compiles
    Row(
        "rekap:himpun",
        month("september"),
        get=only(RENDATIN, outsider=200),
        post=only(RENDATIN, 200, outsider=302),  # without a reason for the unverified: the page again
    ),
    Row(
        "rekap:pleno",
        month("oktober"),
        get=only(SEES_SATKER, outsider=302),  # Bontang's October is not compiled: back to its month page
        post=only(RENDATIN, 200, outsider=302),  # an empty record comes back with its errors
    ),
    Row(
        "rekap:pleno_finalisasi",
        month("oktober"),
        get=only(RENDATIN, outsider=302),
        post=only(RENDATIN, 302, outsider=302),
    ),
    Row("rekap:presentasi", month("oktober"), get=only(SEES_SATKER, others=404)),
    Row(
        "rekap:dokumen_minta",
        post=only(SEES_SATKER, 302, others=404, outsider=302),  # Bontang's October: "not compiled yet"
        data=lambda w: {"jenis": "rekap_bulanan", "fmt": "pdf", "tahun": w.year, "bulan": 10},
    ),
    Row("rekap:arsip", get=only(SEES_SATKER, outsider=200)),
    Row("rekap:laporan_kinerja", get=only(SEES_SATKER, outsider=200)),
]

# A step of the measurement: 404 for whoever does not see it, 403 for a reader who is not the step's actor.
STEP = {"others": 404, **each(MEASUREMENT_READERS, 403)}
# KUL's form is filled by KUL; Rendatin, the Sekretaris and Pimpinan only read it.
FILLS = {"others": 404, **each(SEES_SATKER, 403)}

PENGUKURAN = [
    Row("pengukuran:daftar", get=only(KUDUS, outsider=200)),
    Row(
        "pengukuran:disposisi",
        post=only({"sekretaris"}, 302, outsider=302, superuser=404),  # the outsider orders one for Bontang
        data=lambda w: {
            "tahun": w.year,
            "jenis_periode": "triwulan",
            "nomor": 2,
            "instruksi": "Ukur triwulan II.",
        },
    ),
    Row("pengukuran:detail", measurement(), get=only(MEASUREMENT_READERS, others=404)),
    Row("pengukuran:konsep", measurement(), post=only({"kasubag_rendatin"}, 302, **STEP)),
    Row("pengukuran:terbitkan", measurement(), post=only(RENDATIN, 302, **STEP)),
    Row("pengukuran:ukur", measurement(), post=only(RENDATIN, 302, **STEP)),
    Row("pengukuran:rekap_selesai", measurement(), post=only(RENDATIN, 302, **STEP)),
    Row("pengukuran:lapor", measurement(), post=only(RENDATIN, 302, **STEP)),
    Row("pengukuran:kirim", measurement(), post=only({"kasubag_rendatin"}, 302, **STEP)),
    Row("pengukuran:setujui", measurement(), post=only({"sekretaris"}, 302, **STEP)),
    # an empty return note comes back with its message beside the field
    Row("pengukuran:kembalikan", measurement(), post=only({"sekretaris"}, 200, **STEP)),
    Row(
        "pengukuran:dokumen_minta",
        measurement(),
        post=only(SEES_SATKER | KUL, 302, others=404),
        data=lambda w: {"jenis": "pengukuran_form", "fmt": "xlsx", "subbagian": w.org.kul.pk},
    ),
    Row(
        "pengukuran:form",
        measurement(form_id=lambda w: w.form.pk),
        get=only(SEES_SATKER | KUL, others=404),
        post=only(KUL, 302, **FILLS),
    ),
    Row("pengukuran:form_serahkan", measurement(form_id=lambda w: w.form.pk), post=only(KUL, 302, **FILLS)),
    Row("pengukuran:form_impor", measurement(form_id=lambda w: w.form.pk), post=only(KUL, 302, **FILLS)),
    Row(
        "pengukuran:bukti",
        measurement(baris_id=lambda w: w.baris.pk),
        get=only(SEES_SATKER | KUL, others=404),
    ),
]

# The framework: Rendatin manages it, the Sekretaris and Pimpinan read it, everyone else is refused (403);
# an object of it from another satker is not found.
EDITS = only(RENDATIN)
KERANGKA = [
    Row("pengukuran:kerangka", get=only(SEES_SATKER, outsider=200)),
    Row("pengukuran:kerangka_templat", get=only(SEES_SATKER, outsider=200)),
    Row("pengukuran:kerangka_salin", get=only(RENDATIN, outsider=200), post=only(RENDATIN, outsider=200)),
    Row("pengukuran:kerangka_impor", get=only(RENDATIN, outsider=200), post=only(RENDATIN, outsider=200)),
    Row(
        "pengukuran:kerangka_sasaran_tambah",
        get=only(RENDATIN, outsider=200),
        post=only(RENDATIN, outsider=200),
    ),
    Row("pengukuran:kerangka_sasaran_ubah", framework("sasaran"), get=EDITS, post=EDITS),
    Row("pengukuran:kerangka_sasaran_hapus", framework("sasaran"), get=EDITS, post=only(RENDATIN, 302)),
    Row("pengukuran:kerangka_program_tambah", framework("sasaran"), get=EDITS, post=EDITS),
    Row("pengukuran:kerangka_program_ubah", framework("program"), get=EDITS, post=EDITS),
    Row("pengukuran:kerangka_program_hapus", framework("program"), get=EDITS, post=only(RENDATIN, 302)),
    Row("pengukuran:kerangka_kegiatan_tambah", framework("program"), get=EDITS, post=EDITS),
    Row("pengukuran:kerangka_kegiatan_ubah", framework("kegiatan"), get=EDITS, post=EDITS),
    Row("pengukuran:kerangka_kegiatan_hapus", framework("kegiatan"), get=EDITS, post=only(RENDATIN, 302)),
    Row("pengukuran:kerangka_indikator_tambah", framework("kegiatan"), get=EDITS, post=EDITS),
    Row("pengukuran:kerangka_indikator", pk("indikator"), get=only(SEES_SATKER)),
    Row("pengukuran:kerangka_indikator_ubah", pk("indikator"), get=EDITS, post=EDITS),
    Row("pengukuran:kerangka_indikator_aktif", pk("indikator"), post=only(RENDATIN, 302)),
    Row("pengukuran:kerangka_indikator_hapus", pk("indikator"), get=EDITS, post=only(RENDATIN, 302)),
]

# Django's admin site is for the people who run the deployment (Django staff), not for any in-app role: its gate
# (AdminSite.admin_view) sends everyone else to the admin's own login page. Rows: its index, its login page and
# every registered model's list; the rest of its patterns (add, change, delete, history, the object redirects,
# autocomplete, jsi18n, logout, password change, view_on_site and the catch-all) are Django's own views behind the
# same gate and the model permissions that Django's test suite covers, so they are left out by this rule, which
# covers only patterns of the `admin` namespace: every other URL needs a row.
ADMIN_RULE = "admin"
ADMIN_ACTORS = ("anon", "asn", "admin", "superuser")
ADMIN_GATE = {"anon": LOGIN, "asn": LOGIN, "admin": LOGIN, "superuser": 200}
ADMIN_ROW = {"actors": ADMIN_ACTORS, "other_method": False}  # its login and its lists take POST too (actions)
ADMIN = [
    Row("admin:login", get={"anon": 200, "asn": 200, "admin": 200, "superuser": 302}, **ADMIN_ROW),
    Row("admin:index", get=ADMIN_GATE, login_page="admin:login", **ADMIN_ROW),
    *(
        Row(
            f"admin:{model._meta.app_label}_{model._meta.model_name}_changelist",
            get=ADMIN_GATE,
            login_page="admin:login",
            **ADMIN_ROW,
        )
        for model in admin.site._registry
    ),
]

ROWS = [*PUBLIC, *KINERJA, *VERIFIKASI, *REKAP, *PENGUKURAN, *KERANGKA, *ADMIN]


# --- the cells ---------------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Cell:
    row: Row
    method: str
    actor: str
    expected: int | str

    def __str__(self) -> str:
        return f"{self.row.name}-{self.method}-{self.actor}"


def _ok(code: int | str) -> bool:
    return isinstance(code, int) and code < 400


def cells(rows: Iterable[Row]) -> list:
    out = []
    for row in rows:
        for method, codes in (("GET", row.get), ("POST", row.post)):
            if codes is None:
                continue
            assert set(codes) == set(row.actors), f"{row.name} {method}: outcomes for {sorted(codes)}"
            for actor in row.actors:
                cell = Cell(row, method, actor, codes[actor])
                reason = row.xfail.get((method, actor))
                out.append(
                    pytest.param(cell, marks=pytest.mark.xfail(strict=True, reason=reason))
                    if reason
                    else cell
                )
        if row.other_method and (row.get is None) != (row.post is None):
            # the method the view does not take, asked by the first actor the other method lets in
            method, codes = ("GET", row.post) if row.get is None else ("POST", row.get)
            right = next((a for a in row.actors if _ok(codes[a])), None)
            assert right, f"{row.name}: nobody may {'POST' if method == 'GET' else 'GET'} it"
            out.append(Cell(row, method, right, 405))
    return out


CELLS = cells(ROWS)


def writes(queries) -> list[str]:
    """The statements that changed data, apart from the session the test client keeps."""
    return [
        q["sql"]
        for q in queries
        if q["sql"].lstrip().upper().startswith(("INSERT", "UPDATE", "DELETE", "REPLACE"))
        and "django_session" not in q["sql"]
    ]


def body(response) -> bytes:
    # Reading a file response to its end closes it, as a WSGI server would (the test client wraps it so).
    return b"".join(response.streaming_content) if response.streaming else response.content


@pytest.mark.parametrize("cell", CELLS, ids=str)
def test_cell(cell: Cell, world: World, client, db):
    row = cell.row
    path = reverse(row.name, kwargs=row.args(world))
    if cell.actor != "anon":
        client.cookies[settings.SESSION_COOKIE_NAME] = world.sessions[cell.actor]
    with CaptureQueriesContext(connection) as queries:
        if cell.method == "GET":
            response = client.get(path)
        else:
            response = client.post(path, row.data(world))
    content = body(response)

    if cell.expected == LOGIN:
        assert response.status_code == 302, (response.status_code, content[:300])
        location = urlsplit(response["Location"])
        assert location.path == reverse(row.login_page)
        assert parse_qs(location.query)["next"] == [path]
    else:
        assert response.status_code == cell.expected, (response.status_code, content[:300])
    if cell.method == "GET" or not _ok(cell.expected) or cell.expected == 405:
        assert writes(queries.captured_queries) == []
    if cell.actor == "outsider" and response.status_code == 200 and not row.shows_to_code_holders:
        leaked = [marker for marker in world.kudus_markers if marker in content]
        assert not leaked, f"Bontang's page shows Kudus data: {leaked}"


# --- coverage ----------------------------------------------------------------------------------------------------


def url_patterns(patterns=None, namespace: tuple[str, ...] = ()) -> list[tuple[str, str]]:
    """Every pattern the resolver knows, as (namespace, name), walking every include."""
    found = []
    for pattern in get_resolver().url_patterns if patterns is None else patterns:
        if isinstance(pattern, URLResolver):
            inner = (*namespace, pattern.namespace) if pattern.namespace else namespace
            found.extend(url_patterns(pattern.url_patterns, inner))
        elif isinstance(pattern, URLPattern):
            found.append((":".join(namespace), pattern.name or f"<unnamed {pattern.pattern}>"))
    return found


def qualified(namespace: str, name: str) -> str:
    return f"{namespace}:{name}" if namespace else name


def test_every_url_pattern_has_a_row():
    patterns = url_patterns()
    resolved = {qualified(ns, name) for ns, name in patterns}
    by_rule = {qualified(ns, name) for ns, name in patterns if ns == ADMIN_RULE}
    rows = [row.name for row in ROWS]
    assert len(rows) == len(set(rows)), "a URL name has two rows"
    unnamed = sorted(name for name in resolved - by_rule if "<unnamed" in name)
    assert not unnamed, f"URL patterns without a name (name them, then give them a row): {unnamed}"
    missing = resolved - set(rows) - by_rule
    assert not missing, (
        f"URL patterns without a row in tests/test_permission_matrix.py: {sorted(missing)}; "
        "add a Row saying who may GET/POST it"
    )
    stale = set(rows) - resolved
    assert not stale, f"rows for URL names the resolver does not know: {sorted(stale)}"
    by_rule -= set(rows)
    print(
        f"\npermission matrix: {len(patterns)} URL patterns, {len(resolved - by_rule)} with rows "
        f"({len(rows)} rows), {len(patterns) - len(resolved - by_rule)} admin patterns left to Django by rule; "
        f"{len(CELLS)} cells"
    )
