"""Every moment a person reads is in the satker's zone, with its label (issue 12, item 1), as a class.

The clock is frozen at 2026-12-03 16:30 UTC, which is Friday 4 December 00:30 in WITA (Bontang's zone,
UTC+8) and still 3 December in UTC and in WIB. The permission matrix's world (one real object behind every
URL) is built at that moment, and its office, the one with a person in every role, is given Bontang's zone
(Asia/Makassar), so every timestamp it stores is that moment and every reader is a WITA user. Then

- every page of every URL pattern, asked by someone who may read it, must not show the UTC or the WIB wall
  clock of it, nor the WITA one without its label; the pages listed in SHOWS_MOMENT must show it labelled;
- every registered document (PDF and XLSX) says when it was made in WITA;
- no template writes a moment through Django's own filters (|date, |time, |timezone, ...): the `waktu`,
  `tanggal` and `jam` filters of silabu/templatetags/silabu.py are the one way.
"""

import datetime
import io
import re
from pathlib import Path

import pytest
from django.apps import apps
from django.conf import settings
from django.db import models, transaction
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook
from pypdf import PdfReader

from kinerja import document_store as docs
from kinerja.models import AuditLog, Dokumen, Satker
from silabu.lib.dates import format_waktu_zona, satker_time
from tests.conftest import fake_document_generators
from tests.test_permission_matrix import KUDUS, ROWS, World, body
from verifikasi.models import LaporanBulanan

MOMENT = datetime.datetime(2026, 12, 3, 16, 30, tzinfo=datetime.UTC)
WITA = "Asia/Makassar"
SHOWN = "4 Desember 2026 00:30 WITA"
# How the moment reads when a page forgets the zone: the UTC wall clock, the deployment's WIB, an unlabelled WITA.
WRONG = [b"3 Desember 2026 16:30", b"3 Desember 2026 23:30", re.compile(rb"4 Desember 2026 00:30(?! WITA)")]


def freeze(patch: pytest.MonkeyPatch, moment: datetime.datetime) -> None:
    """Stop the clock at `moment` for everything that asks Django for the time: timezone.now() and the model
    fields whose default is it (they hold the function itself)."""
    real_now = timezone.now
    frozen = lambda: moment  # noqa: E731
    patch.setattr(timezone, "now", frozen)
    for model in apps.get_models():
        for field in model._meta.get_fields():
            if isinstance(field, models.DateTimeField) and field.default is real_now:
                patch.setattr(field, "default", frozen)
                patch.setattr(field, "_get_default", frozen)  # Django caches the default's callable here


@pytest.fixture(scope="module")
def wita_world(django_db_setup, django_db_blocker):
    with django_db_blocker.unblock(), pytest.MonkeyPatch.context() as patch:
        freeze(patch, MOMENT)
        fake_document_generators(patch)
        with transaction.atomic():
            world = World()
            Satker.objects.filter(pk=world.org.kudus.pk).update(zona_waktu=WITA)
            world.org.kudus.refresh_from_db()
            # the matrix's ready document, made and archived at the moment, for the pages that say so
            Dokumen.objects.filter(pk=world.dokumen.pk).update(
                selesai_pada=MOMENT, arsip=True, diarsipkan_pada=MOMENT, keterangan_arsip="Arsip uji"
            )
            # Budi's verified September, with its line in the history
            org = world.org
            laporan = LaporanBulanan.objects.get(pegawai=org.colleague, tahun=world.year, bulan=9)
            AuditLog.objects.create(
                satker=org.kudus, actor=org.kasubag.user, target=laporan, action="laporan_diverifikasi"
            )
            yield world
            transaction.set_rollback(True)


def reader_of(row) -> str | None:
    """The first Kudus person the row lets GET it (the matrix's right role)."""
    if row.get is None or row.name.startswith("admin:"):
        return None  # Django's admin is the operators' tool, with Django's own formats
    return next((actor for actor in KUDUS if row.get.get(actor) == 200), None)


PAGES = [pytest.param(row, id=row.name) for row in ROWS if reader_of(row)]
# Pages that show a stored moment of the world: an entry's "Dicatat" and history, the review page's verification
# and history, the Kasubag's queue ("verified at"), the compiled month, the plenary, the archive, a measurement,
# its forms and its framework.
SHOWS_MOMENT = {
    "kinerja:entri_detail",
    "kinerja:dokumen",
    "rekap:bulan",
    "rekap:pleno",
    "rekap:presentasi",
    "rekap:arsip",
    "pengukuran:detail",
    "pengukuran:form",
    "pengukuran:kerangka_indikator",
}
# Pages that show the date of a stored moment (a measurement's disposition day): the WITA date, not the UTC one.
SHOWS_DAY = {"pengukuran:daftar"}


def page(world: World, row, actor: str):
    client = Client()
    client.cookies[settings.SESSION_COOKIE_NAME] = world.sessions[actor]
    return client.get(reverse(row.name, kwargs=row.args(world)))


@pytest.mark.parametrize("row", PAGES)
def test_page_shows_moments_in_the_satker_zone_with_its_label(row, wita_world, db):
    actor = reader_of(row)
    response = page(wita_world, row, actor)
    assert response.status_code == 200, response.status_code
    if not response.get("Content-Type", "").startswith("text/html"):
        return
    content = body(response)
    wrong = [w if isinstance(w, bytes) else w.pattern for w in WRONG if re.search(w, content)]
    assert not wrong, f"{row.name} (as {actor}) shows the moment out of the satker's zone: {wrong}"
    if row.name in SHOWS_MOMENT:
        assert SHOWN.encode() in content, f"{row.name} (as {actor}) does not show {SHOWN}"
    if row.name in SHOWS_DAY:
        assert b"4 Desember 2026" in content and b"3 Desember 2026" not in content, row.name


def test_every_listed_page_is_a_page():
    assert {row.name for row in ROWS if reader_of(row)} >= SHOWS_MOMENT | SHOWS_DAY


def kasubag_page(world: World, name: str, kwargs=None, query=None) -> bytes:
    client = Client()
    client.cookies[settings.SESSION_COOKIE_NAME] = world.sessions["kasubag"]
    response = client.get(reverse(name, kwargs=kwargs), query)
    assert response.status_code == 200
    return response.content


def test_the_kasubag_queue_shows_when_a_month_was_verified(wita_world, db):
    """September's queue, where Budi's month is verified: "Terverifikasi … 4 Desember 2026 00:30 WITA"."""
    year, month = wita_world.september
    content = kasubag_page(wita_world, "verifikasi:antrean", query={"tahun": year, "bulan": month})
    assert SHOWN.encode() in content
    assert not any(re.search(w, content) for w in WRONG)


def test_a_verified_month_and_its_history_show_the_satker_zone(wita_world, db):
    """Budi's verified September on the review page: the verification and its history line (Riwayat)."""
    year, month = wita_world.september
    kwargs = {"pegawai_id": wita_world.org.colleague.pk, "year": year, "month": month}
    content = kasubag_page(wita_world, "verifikasi:periksa", kwargs).decode()
    assert f"Terverifikasi {SHOWN}" in content
    assert f"<li>{SHOWN} — " in content  # the history
    assert not any(
        re.search(w.decode() if isinstance(w, bytes) else w.pattern.decode(), content) for w in WRONG
    )


# --- documents -----------------------------------------------------------------------------------------------


def document_params(world: World) -> dict[str, dict]:
    """Parameters of one document of every registered kind, from the world's objects."""
    year, month = world.oktober
    sep_year, sep_month = world.september
    measured = {"pengukuran_id": world.pengukuran.pk}
    return {
        "softfile_pegawai": {"pegawai_id": world.org.asn.pk, "tahun": sep_year, "bulan": sep_month},
        "softfile_subbagian": {"subbagian_id": world.org.kul.pk, "tahun": sep_year, "bulan": sep_month},
        "rekap_bulanan": {"tahun": year, "bulan": month},
        "bahan_pleno": {"tahun": year, "bulan": month},
        "hasil_pleno": {"tahun": year, "bulan": month},
        "laporan_kinerja": {"tahun": year, "periode": "TAHUN"},
        "pengukuran_form": {**measured, "subbagian_id": world.org.kul.pk},
        "pengukuran_kertas_kerja": measured,
        "pengukuran_laporan": measured,
        "pengukuran_disposisi": measured,
    }


def pdf_text(content: bytes) -> str:
    return re.sub(r"\s+", " ", " ".join(p.extract_text() for p in PdfReader(io.BytesIO(content)).pages))


def xlsx_text(content: bytes) -> str:
    book = load_workbook(io.BytesIO(content), read_only=True)
    return " ".join(
        str(v) for ws in book.worksheets for row in ws.iter_rows(values_only=True) for v in row if v
    )


def test_every_document_kind_has_parameters(wita_world, db):
    assert set(document_params(wita_world)) == set(docs.GENERATORS)


def test_every_document_says_when_it_was_made_in_the_satker_zone(wita_world, db, monkeypatch):
    from rekap import documents as rekap_documents
    from rekap.pengukuran import documents as pengukuran_documents
    from verifikasi import documents as verifikasi_documents

    monkeypatch.setattr(docs, "GENERATORS", {})  # the real generators again, not the world's quick fakes
    for module in (verifikasi_documents, rekap_documents, pengukuran_documents):
        module.register()
    satker = wita_world.org.kudus
    made = []
    for jenis, params in document_params(wita_world).items():
        generator = docs.GENERATORS[jenis]
        for fmt in ("pdf", "xlsx"):
            try:
                rendered = generator.render(satker, {**params, "fmt": fmt}, lambda _: None)
            except ValueError:
                continue  # a kind without this format
            text = pdf_text(rendered.content) if fmt == "pdf" else xlsx_text(rendered.content)
            assert SHOWN in text, f"{jenis} {fmt}: no {SHOWN}"
            assert not any(
                re.search(w.decode() if isinstance(w, bytes) else w.pattern.decode(), text) for w in WRONG
            )
            made.append((jenis, fmt))
    assert {jenis for jenis, _ in made} == set(docs.GENERATORS)


# --- the one home -----------------------------------------------------------------------------------------------

TEMPLATES = Path(settings.BASE_DIR) / "templates"
# Django's own ways of writing a moment or a time: they would print a moment unlabelled (|date, |time), or
# convert it for a filter that then forgets the zone (|timezone, |localtime, |utc).
DJANGO_TIME = re.compile(
    r"\|\s*(date|time|timezone|localtime|utc|naturaltime|naturalday|timesince|timeuntil)\b|\{%\s*now\b"
    r"|\{%\s*load\b[^%]*\btz\b"
)


def test_templates_write_moments_only_through_the_silabu_filters():
    found = [
        f"{path.relative_to(TEMPLATES)}:{n}: {match.group(0)}"
        for path in sorted(TEMPLATES.rglob("*.html"))
        for n, line in enumerate(path.read_text().splitlines(), 1)
        for match in DJANGO_TIME.finditer(line)
    ]
    assert not found, f"use |waktu (a moment), |tanggal (a date) or |jam (a time of day): {found}"


def test_the_waktu_filter_and_documents_share_one_format(wita_world, db):
    from silabu.templatetags.silabu import waktu

    satker = wita_world.org.kudus
    assert satker_time(satker, MOMENT) == format_waktu_zona(MOMENT, WITA) == SHOWN
    assert waktu(MOMENT, satker) == waktu(MOMENT, WITA) == SHOWN
    with timezone.override(WITA):
        assert waktu(MOMENT) == SHOWN  # the zone PegawaiMiddleware activates for the request
    with timezone.override("Asia/Jakarta"):
        assert waktu(MOMENT) == "3 Desember 2026 23:30 WIB"
    with timezone.override("Asia/Jayapura"):
        assert waktu(MOMENT) == "4 Desember 2026 01:30 WIT"
    assert waktu(None) == ""
