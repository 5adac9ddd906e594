"""Signature blocks, written once: the rows below a sheet's table and the PDF partial."""

import datetime
from types import SimpleNamespace

from django.template.loader import render_to_string

from silabu.lib.signatures import UNSIGNED_NAME, Signatory, place_date, place_undated, signature_rows
from silabu.lib.xlsx import Styled

KASUBAG = SimpleNamespace(nama="Citra Dewi, S.H.", nip_display="19850312 201001 2 003")


def test_a_block_for_a_person_a_recorded_person_and_one_to_sign_by_hand():
    assert Signatory.of(
        "Diverifikasi oleh,", "Kepala Subbagian", KASUBAG, "Kudus, 3 November 2026"
    ) == Signatory(
        "Diverifikasi oleh,",
        "Kepala Subbagian",
        "Citra Dewi, S.H.",
        "19850312 201001 2 003",
        "Kudus, 3 November 2026",
    )
    assert Signatory.of("Mengetahui,", "Sekretaris", None) == Signatory("Mengetahui,", "Sekretaris")
    recorded = {"nama": "Hadi", "nip": "1", "jabatan": "Plt. Sekretaris"}
    assert Signatory.recorded("Mengetahui,", recorded, "Sekretaris").title == "Plt. Sekretaris"
    assert Signatory.recorded("Mengetahui,", {**recorded, "jabatan": ""}, "Sekretaris").title == "Sekretaris"
    assert Signatory.recorded("Mengetahui,", None, "Sekretaris") == Signatory("Mengetahui,", "Sekretaris")


def test_place_and_date():
    assert place_date("Kudus", datetime.date(2026, 11, 3)) == "Kudus, 3 November 2026"
    assert place_date("Kudus", None) == ""
    assert place_undated("Bontang") == "Bontang, ……………………"


def test_rows_side_by_side_in_their_columns_with_room_to_sign():
    blocks = [
        Signatory("Mengetahui,", "Sekretaris"),
        Signatory.of("Diverifikasi oleh,", "Kepala Subbagian", KASUBAG, "Kudus, 3 November 2026"),
    ]
    rows = signature_rows(blocks, columns=(2, 5, 8))
    assert rows == [
        [],
        [None, None, None, None, "Kudus, 3 November 2026"],
        [None, "Mengetahui,", None, None, "Diverifikasi oleh,"],
        [None, "Sekretaris", None, None, "Kepala Subbagian"],
        [],
        [],
        [None, Styled(UNSIGNED_NAME, bold=True), None, None, Styled("Citra Dewi, S.H.", bold=True)],
        [None, None, None, None, "NIP. 19850312 201001 2 003"],
    ]
    assert signature_rows([], columns=(2,)) == []


def test_the_pdf_partial_draws_each_block_and_an_offset_for_a_letter():
    blocks = [Signatory.of("Diverifikasi oleh,", "Kepala Subbagian", KASUBAG, "Kudus, 3 November 2026")]
    html = render_to_string("dokumen/_ttd.html", {"signatures": blocks})
    for text in [
        "Kudus, 3 November 2026",
        "Diverifikasi oleh,",
        "Citra Dewi, S.H.",
        "NIP. 19850312 201001 2 003",
    ]:
        assert text in html
    assert 'class="sela"' not in html
    assert 'class="sela"' in render_to_string("dokumen/_ttd.html", {"signatures": blocks, "offset": True})
    assert render_to_string("dokumen/_ttd.html", {"signatures": []}).strip() == ""
