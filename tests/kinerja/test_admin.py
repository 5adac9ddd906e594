"""The Django admin shows what only the services change (the month's stage, the working calendar, acting
appointments, entries, verification, compilation) without letting anyone add, change or delete it there: the
services hold the month locks and write the audit rows."""

import datetime

import pytest
from django.urls import reverse

from kinerja.models import HariLibur, JenisPenjabat, Ketidakhadiran, PenjabatSementara, Periode, TahapPeriode


@pytest.fixture
def rows(org):
    year = min(org.kode_years)
    day = datetime.date(year, 10, 1)
    return {
        "periode": Periode.objects.create(satker=org.kudus, tahun=year, bulan=10, tahap=TahapPeriode.FINAL),
        "harilibur": HariLibur.objects.create(satker=org.kudus, tanggal=day, nama="Libur"),
        "ketidakhadiran": Ketidakhadiran.objects.create(
            pegawai=org.asn, jenis="sakit", mulai=day, selesai=day
        ),
        "penjabatsementara": PenjabatSementara.objects.create(
            satker=org.kudus,
            subbagian=org.kul,
            pegawai=org.colleague,
            jenis=JenisPenjabat.PLH,
            mulai=day,
            selesai=day,
        ),
    }


@pytest.mark.parametrize("model", ["periode", "harilibur", "ketidakhadiran", "penjabatsementara"])
def test_the_admin_site_shows_but_cannot_add_change_or_delete(admin_client, rows, model):
    row = rows[model]
    assert admin_client.get(reverse(f"admin:kinerja_{model}_change", args=[row.pk])).status_code == 200
    assert admin_client.get(reverse(f"admin:kinerja_{model}_add")).status_code == 403
    assert (
        admin_client.post(
            reverse(f"admin:kinerja_{model}_delete", args=[row.pk]), {"post": "yes"}
        ).status_code
        == 403
    )
    assert admin_client.post(reverse(f"admin:kinerja_{model}_change", args=[row.pk]), {}).status_code == 403
    assert type(row).objects.filter(pk=row.pk).exists()
