"""Plenary records are versioned (issue 13, Deliver 4): every save keeps a version, so a correction never loses the
notes recorded before."""

import pytest

from kinerja.models import AuditLog
from rekap import services
from rekap.models import VersiPleno
from rekap.services import Catatan
from tests.rekap.test_services import KEPUTUSAN, compiled, record


def test_saving_the_plenary_again_keeps_the_earlier_notes_as_a_version(org):
    rekap = compiled(org)
    first = record(
        org,
        rekap,
        catatan_umum="Rapat berjalan lancar.",
        catatan=[Catatan("Bukti dukung KUL lengkap.", koreksi="Tidak ada", subbagian=org.kul)],
    )
    second = record(
        org,
        rekap,
        by=org.kasubag_rendatin,
        keputusan="Diterima tanpa catatan.",
        peserta=[org.pimpinan, org.sekretaris],
        catatan=[Catatan("Teknis melengkapi dua bukti.", subbagian=org.teknis)],
    )
    assert second.pk == first.pk
    v1, v2 = VersiPleno.objects.filter(rapat=first).order_by("nomor")
    assert (v1.nomor, v2.nomor) == (1, 2)
    assert v1.dicatat_oleh == org.rendatin and v2.dicatat_oleh == org.kasubag_rendatin
    # the first version is the record as first saved, though the rows now hold the correction
    assert v1.isi["keputusan"] == KEPUTUSAN and v1.isi["catatan_umum"] == "Rapat berjalan lancar."
    assert v1.isi["catatan"] == [
        {
            "subbagian": org.kul.nama,
            "kode_output": "",
            "catatan": "Bukti dukung KUL lengkap.",
            "koreksi": "Tidak ada",
        }
    ]
    assert {p["nama"] for p in v1.isi["peserta"]} == {
        org.pimpinan.nama,
        org.sekretaris.nama,
        org.kasubag.nama,
        org.kasubag_rendatin.nama,
    }
    assert v1.isi["pimpinan_rapat"]["nip"] == org.pimpinan.nip
    assert v2.isi["keputusan"] == "Diterima tanpa catatan."
    assert [n["catatan"] for n in v2.isi["catatan"]] == ["Teknis melengkapi dua bukti."]
    assert v2.isi == services.pleno_content(second)
    assert second.catatan_set.get().catatan == "Teknis melengkapi dua bukti."
    audits = AuditLog.objects.filter(action__in=["pleno_dicatat", "pleno_diubah"]).order_by("id")
    assert [a.action for a in audits] == ["pleno_dicatat", "pleno_diubah"]


def test_a_refused_save_keeps_no_version(org):
    rekap = compiled(org)
    rapat = record(org, rekap)
    services.pleno_finalise(rapat=rapat, by=org.rendatin)
    with pytest.raises(services.RekapDitolak):
        record(org, rekap, keputusan="Diubah setelah final")
    assert VersiPleno.objects.filter(rapat=rapat).count() == 1
    assert VersiPleno.objects.get(rapat=rapat).isi["keputusan"] == KEPUTUSAN


def test_the_plenary_page_shows_the_earlier_versions(org, login, fake_documents):
    from tests.rekap.test_views import pleno_post, texts, url

    compiled(org)
    client = login(org.rendatin)
    assert client.post(url("pleno", org), pleno_post(org)).status_code == 302
    corrected = pleno_post(
        org, keputusan="Diterima tanpa koreksi.", **{"catatan-0-catatan": "Foto sudah lengkap."}
    )
    assert client.post(url("pleno", org), corrected).status_code == 302

    page = client.get(url("pleno", org)).content.decode()
    assert 'id="versi-1"' in page and 'id="versi-2"' not in page  # version 2 is the record shown above
    earlier = texts(page.split('id="versi-1"', 1)[1].split("</details>", 1)[0])
    assert "Laporan bulanan Oktober diterima dengan koreksi." in earlier
    assert "Foto kegiatan belum lengkap." in earlier and org.rendatin.nama in earlier
    assert "Diterima tanpa koreksi." not in earlier
