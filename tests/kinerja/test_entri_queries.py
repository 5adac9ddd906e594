"""EntriKinerja's querysets in the SOP's words: a month is a range on the date (served by the (pegawai, tanggal)
and (satker, tanggal) indexes), and the entries' counts per status come in one query."""

import datetime

import pytest
from django.db.models.functions import ExtractMonth

from kinerja.models import BuktiDukung, EntriKinerja, StatusEntri

D = datetime.date
ALL_ZERO = {StatusEntri.DIAJUKAN: 0, StatusEntri.DISETUJUI: 0, StatusEntri.DIKEMBALIKAN: 0}


def make_entri(org, tanggal: datetime.date, pegawai=None, status=StatusEntri.DIAJUKAN) -> EntriKinerja:
    pegawai = pegawai or org.asn
    return EntriKinerja.objects.create(
        satker=pegawai.satker,
        pegawai=pegawai,
        tanggal=tanggal,
        kode_output=org.kode_years[min(org.kode_years)],
        nama_kegiatan="Rekonsiliasi BMN",
        output_hasil="Berita acara",
        status=status,
    )


def dates(qs) -> list[datetime.date]:
    return sorted(qs.values_list("tanggal", flat=True))


@pytest.mark.parametrize(
    ("year", "month", "first", "last"),
    [(2024, 2, D(2024, 2, 1), D(2024, 2, 29)), (2023, 2, D(2023, 2, 1), D(2023, 2, 28)),
     (2025, 12, D(2025, 12, 1), D(2025, 12, 31)), (2025, 4, D(2025, 4, 1), D(2025, 4, 30))],
)  # fmt: skip
def test_in_month_runs_from_the_first_to_the_last_day_of_the_month(org, year, month, first, last):
    for day in (first - datetime.timedelta(days=1), first, last, last + datetime.timedelta(days=1)):
        make_entri(org, day)
    assert dates(EntriKinerja.objects.in_month(year, month)) == [first, last]


def test_for_month_is_one_persons_month_given_the_person_or_its_pk(org):
    make_entri(org, D(2025, 10, 1))
    make_entri(org, D(2025, 10, 31))
    make_entri(org, D(2025, 11, 1))
    make_entri(org, D(2025, 10, 15), pegawai=org.colleague)
    assert dates(EntriKinerja.objects.for_month(org.asn, 2025, 10)) == [D(2025, 10, 1), D(2025, 10, 31)]
    assert dates(EntriKinerja.objects.for_month(org.asn.pk, 2025, 10)) == [D(2025, 10, 1), D(2025, 10, 31)]


def test_month_filters_are_a_range_on_the_date_not_an_extract(org):
    for qs in (EntriKinerja.objects.for_month(org.asn, 2025, 10), EntriKinerja.objects.in_month(2025, 10)):
        sql = str(qs.query).upper()
        assert "BETWEEN" in sql and "EXTRACT" not in sql and "DJANGO_DATE_EXTRACT" not in sql


def test_in_months_spans_the_first_to_the_last_month_given(org):
    for day in (D(2025, 2, 28), D(2025, 3, 1), D(2025, 4, 15), D(2025, 5, 31), D(2025, 6, 1)):
        make_entri(org, day)
    assert dates(EntriKinerja.objects.in_months(2025, [5, 3])) == [
        D(2025, 3, 1),
        D(2025, 4, 15),
        D(2025, 5, 31),
    ]


def test_bukti_in_month_follows_its_entrys_date(org):
    inside, outside = make_entri(org, D(2025, 10, 31)), make_entri(org, D(2025, 11, 1))
    for entri in (inside, outside):
        BuktiDukung.objects.create(
            entri=entri,
            berkas="bukti/x.jpg",
            nama_asli="x.jpg",
            content_type="image/jpeg",
            ukuran=1,
            sha256="0",
        )
    assert list(BuktiDukung.objects.in_month(2025, 10).values_list("entri_id", flat=True)) == [inside.pk]


def test_status_counts_has_every_status_in_one_query(org, django_assert_num_queries):
    make_entri(org, D(2025, 10, 1))
    make_entri(org, D(2025, 10, 2))
    make_entri(org, D(2025, 10, 3), status=StatusEntri.DIKEMBALIKAN)
    make_entri(org, D(2025, 11, 1), status=StatusEntri.DISETUJUI)  # another month
    with django_assert_num_queries(1):
        counts = EntriKinerja.objects.for_month(org.asn, 2025, 10).status_counts()
    assert counts == {StatusEntri.DIAJUKAN: 2, StatusEntri.DISETUJUI: 0, StatusEntri.DIKEMBALIKAN: 1}
    with django_assert_num_queries(1):
        assert EntriKinerja.objects.for_month(org.asn, 2025, 9).status_counts() == ALL_ZERO


def test_status_counts_by_person_reads_zeros_for_people_without_entries(org, django_assert_num_queries):
    make_entri(org, D(2025, 10, 1))
    make_entri(org, D(2025, 10, 31), pegawai=org.colleague, status=StatusEntri.DISETUJUI)
    make_entri(org, D(2025, 10, 30), pegawai=org.colleague, status=StatusEntri.DISETUJUI)
    with django_assert_num_queries(1):
        counts = EntriKinerja.objects.in_month(2025, 10).status_counts("pegawai_id")
    assert counts[org.asn.pk] == {**ALL_ZERO, StatusEntri.DIAJUKAN: 1}
    assert counts[org.colleague.pk] == {**ALL_ZERO, StatusEntri.DISETUJUI: 2}
    assert counts[org.kasubag.pk] == ALL_ZERO


def test_status_counts_by_several_fields_keys_on_a_tuple(org, django_assert_num_queries):
    make_entri(org, D(2025, 10, 31))
    make_entri(org, D(2025, 11, 1), status=StatusEntri.DIKEMBALIKAN)
    make_entri(org, D(2025, 11, 30), status=StatusEntri.DIKEMBALIKAN)
    with django_assert_num_queries(1):
        counts = (
            EntriKinerja.objects.in_months(2025, [10, 11])
            .annotate(bulan=ExtractMonth("tanggal"))
            .status_counts("pegawai_id", "bulan")
        )
    assert dict(counts) == {
        (org.asn.pk, 10): {**ALL_ZERO, StatusEntri.DIAJUKAN: 1},
        (org.asn.pk, 11): {**ALL_ZERO, StatusEntri.DIKEMBALIKAN: 2},
    }
