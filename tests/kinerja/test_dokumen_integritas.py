"""Every download of a stored document re-checks its SHA-256 (issue 13, Deliver 5): a file changed in the store
is refused with a page that says so, logged, audited and reported to the satker's Admins."""

import logging

import pytest
from django.urls import reverse

from kinerja import document_store as docs
from kinerja.models import AuditLog, Pemberitahuan
from tests.kinerja.test_document_store import fake, params_for  # noqa: F401 (the fixture)
from tests.ops.test_verify_storage import replace

pytestmark = pytest.mark.storage


@pytest.fixture
def archived(org, fake):  # noqa: F811
    dokumen = docs.dokumen_request(
        satker=org.kudus, jenis="softfile_pegawai", params=params_for(org), by=org.asn
    )
    return docs.dokumen_archive(dokumen=dokumen, note="Arsip uji")


def test_an_intact_archived_document_downloads(org, login, archived):
    response = login(org.asn).get(reverse("kinerja:dokumen_unduh", kwargs={"pk": archived.pk}))
    assert response.status_code == 200 and b"".join(response.streaming_content) == b"isi 1 kudus"
    assert not AuditLog.objects.filter(action="dokumen_rusak").exists()


def test_a_tampered_archived_document_is_refused_logged_audited_and_reported(org, login, archived, caplog):
    replace(archived.berkas, b"isi 1 kudus, diubah")
    with caplog.at_level(logging.ERROR, logger="kinerja.document_store"):
        response = login(org.asn).get(reverse("kinerja:dokumen_unduh", kwargs={"pk": archived.pk}))
    assert response.status_code == 409
    html = response.content.decode()
    assert "Dokumen rusak: unduhan ditolak." in html and archived.sha256 in html
    assert "isi 1 kudus" not in html
    assert any("does not match its SHA-256" in r.getMessage() for r in caplog.records)
    row = AuditLog.objects.get(action="dokumen_rusak")
    assert row.object_id == archived.pk and row.actor == org.asn.user and row.satker == org.kudus
    assert archived.sha256 in row.catatan
    notice = Pemberitahuan.objects.get(kunci__startswith=f"dokumen_rusak:{archived.pk}:")
    assert notice.pegawai == org.admin and notice.tautan == reverse(
        "kinerja:dokumen", kwargs={"pk": archived.pk}
    )

    # asked again, it is refused again; the Admin is told once about the same damage
    again = login(org.asn).get(reverse("kinerja:dokumen_unduh", kwargs={"pk": archived.pk}))
    assert again.status_code == 409
    assert Pemberitahuan.objects.filter(kunci__startswith="dokumen_rusak:").count() == 1


def test_a_tampered_document_that_is_not_archived_is_refused_too(org, login, fake):  # noqa: F811
    dokumen = docs.dokumen_request(
        satker=org.kudus, jenis="softfile_pegawai", params=params_for(org), by=org.asn
    )
    replace(dokumen.berkas, b"lain")
    with pytest.raises(docs.DokumenRusak):
        docs.dokumen_open_checked(dokumen=dokumen)
