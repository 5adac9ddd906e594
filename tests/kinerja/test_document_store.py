"""Generated documents: requested once, rendered by the task, stored with SHA-256, reused, archived, private."""

import hashlib

import pytest
from django.urls import reverse

from kinerja import document_store as docs
from kinerja.models import Dokumen, StatusDokumen

# .ci/run's S3 leg runs this module again with the documents in a bucket
pytestmark = pytest.mark.storage
CALLS = []


def _render(satker, params, progress):
    CALLS.append(params)
    progress(50)
    if params.get("boom"):
        raise RuntimeError("kertas habis")
    return docs.Rendered(f"uji-{params['n']}.txt", "text/plain", f"isi {params['n']} {satker.kode}".encode())


@pytest.fixture
def fake(monkeypatch):
    """A generator 'softfile_pegawai' (so the policy's rule for it applies) whose data version we control."""
    version = {"v": "1"}
    generators = dict(docs.GENERATORS)
    generators["softfile_pegawai"] = docs.Generator(
        "softfile_pegawai",
        lambda satker, params: f"Uji {params['n']}",
        _render,
        lambda satker, params: version["v"],
    )
    monkeypatch.setattr(docs, "GENERATORS", generators)
    CALLS.clear()
    return version


def params_for(org, **extra):
    return {"pegawai_id": org.asn.pk, "tahun": 2025, "bulan": 10, "fmt": "pdf", "n": 1, **extra}


def test_a_requested_document_is_rendered_stored_and_reused(org, fake):
    first = docs.dokumen_request(
        satker=org.kudus, jenis="softfile_pegawai", params=params_for(org), by=org.asn
    )
    assert first.status == StatusDokumen.SIAP and first.progres == 100
    content = first.berkas.open("rb").read()
    assert content == b"isi 1 kudus"
    assert first.sha256 == hashlib.sha256(content).hexdigest() and first.ukuran == len(content)
    assert first.nama_berkas == "uji-1.txt" and first.judul == "Uji 1"
    again = docs.dokumen_request(satker=org.kudus, jenis="softfile_pegawai", params=params_for(org))
    assert again.pk == first.pk and len(CALLS) == 1
    fake["v"] = "2"  # the source data changed
    newer = docs.dokumen_request(satker=org.kudus, jenis="softfile_pegawai", params=params_for(org))
    assert newer.pk != first.pk and len(CALLS) == 2


def test_a_failure_is_recorded_and_can_be_retried(org, fake, login):
    failed = docs.dokumen_request(
        satker=org.kudus, jenis="softfile_pegawai", params=params_for(org, boom=True)
    )
    assert failed.status == StatusDokumen.GAGAL
    assert failed.pesan_galat == "RuntimeError: kertas habis" and not failed.berkas
    client = login(org.asn)
    page = client.get(reverse("kinerja:dokumen", args=[failed.pk])).content.decode()
    assert "Dokumen gagal dibuat" in page and "Coba lagi" in page
    assert client.get(reverse("kinerja:dokumen_unduh", args=[failed.pk])).status_code == 404
    response = client.post(reverse("kinerja:dokumen_ulang", args=[failed.pk]))
    retried = Dokumen.objects.exclude(pk=failed.pk).get()
    assert response["Location"] == reverse("kinerja:dokumen", args=[retried.pk])
    assert retried.status == StatusDokumen.GAGAL  # still failing, but recorded again, not lost


def test_pending_page_polls_and_works_without_javascript(org, fake, login):
    pending = Dokumen.objects.create(
        satker=org.kudus, jenis="softfile_pegawai", params=params_for(org), kunci="k", judul="Uji tunggu"
    )
    page = login(org.asn).get(reverse("kinerja:dokumen", args=[pending.pk])).content.decode()
    assert 'hx-trigger="every 2s"' in page
    assert '<meta http-equiv="refresh" content="3">' in page
    assert "Dokumen sedang disiapkan" in page


def test_download_is_private_and_checked_by_the_policy(org, fake, login):
    dokumen = docs.dokumen_request(satker=org.kudus, jenis="softfile_pegawai", params=params_for(org))
    url = reverse("kinerja:dokumen_unduh", args=[dokumen.pk])
    response = login(org.asn).get(url)
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == b"isi 1 kudus"
    assert response["Content-Disposition"] == 'attachment; filename="uji-1.txt"'
    assert response["Cache-Control"] == "private, no-store"
    for outsider in (org.teknis_staff, org.other_kasubag, org.outsider, org.pimpinan):
        client = login(outsider)
        assert client.get(url).status_code == 404
        assert client.get(reverse("kinerja:dokumen", args=[dokumen.pk])).status_code == 404
    assert login(org.kasubag).get(url).status_code == 200  # the person's verifier


def test_an_archived_document_is_kept_and_never_regenerated(org, fake, login):
    params = params_for(org)
    shown = docs.dokumen_request(satker=org.kudus, jenis="softfile_pegawai", params=params)
    docs.dokumen_archive(dokumen=shown, note="Dilihat rapat pleno")
    shown.refresh_from_db()
    assert shown.arsip and shown.keterangan_arsip == "Dilihat rapat pleno" and shown.diarsipkan_pada
    fake["v"] = "2"
    kept = docs.dokumen_request(
        satker=org.kudus, jenis="softfile_pegawai", params=params, archive_note="lagi"
    )
    assert kept.pk == shown.pk and len(CALLS) == 1
    response = login(org.asn).post(reverse("kinerja:dokumen_ulang", args=[shown.pk]))
    assert response["Location"] == reverse("kinerja:dokumen", args=[shown.pk])
    assert Dokumen.objects.count() == 1


def test_asking_for_an_archived_copy_marks_it_before_it_is_rendered(org, fake):
    dokumen = docs.dokumen_request(
        satker=org.kudus, jenis="softfile_pegawai", params=params_for(org), archive_note="Hasil pleno"
    )
    assert (
        dokumen.arsip and dokumen.status == StatusDokumen.SIAP and dokumen.keterangan_arsip == "Hasil pleno"
    )


def test_get_never_asks_for_a_document(org, fake, login):
    login(org.asn).get(reverse("kinerja:dokumen_ulang", args=[1]))
    assert Dokumen.objects.count() == 0


# --- the document's life: every change of status or archive flag through one guarded function --------------


def test_a_failed_document_cannot_be_archived_and_stays_as_it_was(org, fake):
    failed = docs.dokumen_request(
        satker=org.kudus, jenis="softfile_pegawai", params=params_for(org, boom=True)
    )
    with pytest.raises(docs.DokumenDitolak):
        docs.dokumen_archive(dokumen=failed, note="Hasil pleno")
    failed.refresh_from_db()
    assert failed.status == StatusDokumen.GAGAL and not failed.arsip and not failed.diarsipkan_pada


def test_an_archived_document_keeps_its_first_note(org, fake):
    dokumen = docs.dokumen_request(satker=org.kudus, jenis="softfile_pegawai", params=params_for(org))
    first = docs.dokumen_archive(dokumen=dokumen, note="Dilihat rapat pleno")
    again = docs.dokumen_archive(dokumen=dokumen, note="Lagi")
    assert again.keterangan_arsip == "Dilihat rapat pleno" and again.diarsipkan_pada == first.diarsipkan_pada


def test_status_moves_only_forward(org, fake):
    queued = Dokumen.objects.create(
        satker=org.kudus, jenis="softfile_pegawai", params=params_for(org), kunci="k", judul="Uji"
    )
    with pytest.raises(docs.DokumenDitolak):  # queued → ready skips rendering
        docs.dokumen_store(dokumen=queued, rendered=docs.Rendered("uji.txt", "text/plain", b"isi"))
    queued.refresh_from_db()
    assert queued.status == StatusDokumen.MENUNGGU and not queued.berkas  # the file was removed again
    rendering = docs.dokumen_start(dokumen_id=queued.pk)
    assert rendering.status == StatusDokumen.DIBUAT and rendering.mulai_pada
    ready = docs.dokumen_store(dokumen=rendering, rendered=docs.Rendered("uji.txt", "text/plain", b"isi"))
    assert ready.status == StatusDokumen.SIAP and ready.sha256 == hashlib.sha256(b"isi").hexdigest()
    for move in (
        lambda: docs.dokumen_start(dokumen_id=ready.pk),
        lambda: docs.dokumen_fail(dokumen_id=ready.pk, error=RuntimeError("x")),
    ):
        with pytest.raises(docs.DokumenDitolak):
            move()
    ready.refresh_from_db()
    assert ready.status == StatusDokumen.SIAP and ready.pesan_galat == ""
    assert docs.render_dokumen.call(ready.pk) == "skipped" and CALLS == []


def test_an_archive_made_while_rendering_stays_when_the_file_is_stored(org, fake):
    dokumen = Dokumen.objects.create(
        satker=org.kudus, jenis="softfile_pegawai", params=params_for(org), kunci="k", judul="Uji"
    )
    rendering = docs.dokumen_start(dokumen_id=dokumen.pk)
    docs.dokumen_archive(dokumen=dokumen, note="Hasil pleno")
    stored = docs.dokumen_store(dokumen=rendering, rendered=docs.Rendered("uji.txt", "text/plain", b"isi"))
    assert stored.status == StatusDokumen.SIAP and stored.arsip and stored.keterangan_arsip == "Hasil pleno"


def test_who_asked_is_recorded(org, fake):
    dokumen = docs.dokumen_request(
        satker=org.kudus, jenis="softfile_pegawai", params=params_for(org), by=org.asn
    )
    assert dokumen.diminta_oleh == org.asn.user
