"""silabu.lib.zipcheck: members inflated for real, under a cap, and code found by content, not by name."""

import io
import time
import zipfile

import pytest

from silabu.lib.zipcheck import ZipRefused, inspect_zip
from tests.hostile_zips import MIB, OLE, bomb, docx, docx_with_renamed_vba, odt, odt_with_basic, zip_of

CAP = 400 * MIB


def test_a_plain_document_is_inflated_once_and_carries_no_code():
    contents = inspect_zip(docx(), max_unpacked=CAP)
    assert contents.macro is None
    assert contents.names == ("[Content_Types].xml", "_rels/.rels", "word/document.xml")
    with zipfile.ZipFile(io.BytesIO(docx())) as archive:
        assert contents.unpacked == sum(info.file_size for info in archive.infolist())


def test_a_vba_project_under_any_name_is_found():
    declared = inspect_zip(docx_with_renamed_vba(declared=True), max_unpacked=CAP)
    assert declared.macro == "[Content_Types].xml: declares vbaproject"
    by_its_bytes = inspect_zip(docx_with_renamed_vba(declared=False), max_unpacked=CAP)
    assert by_its_bytes.macro == "word/media/image7.bin: OLE compound file"


def test_a_vba_project_declared_in_the_content_types_is_found_even_with_entities():
    types = '<Types><Override PartName="/word/x.dat" ContentType="application/vnd.ms-office.vba&#80;roject"/></Types>'
    found = inspect_zip(docx(**{"[Content_Types].xml": types}), max_unpacked=CAP).macro
    assert found == "[Content_Types].xml: declares vbaproject"


def test_a_macro_relationship_is_found():
    rels = (
        '<Relationships><Relationship Id="r" Target="x.dat" '
        'Type="http://schemas.microsoft.com/office/2006/relationships/vbaProject"/></Relationships>'
    )
    data = zip_of({"[Content_Types].xml": b"<Types/>", "word/_rels/a.rels": rels.encode()})
    found = inspect_zip(data, max_unpacked=CAP)
    assert found.macro == "word/_rels/a.rels: declares vbaproject"


def test_any_embedded_ole_object_counts_as_code():
    data = docx(word__embeddings__oleObject1_bin=OLE + b"\x00" * 100)
    assert inspect_zip(data, max_unpacked=CAP).macro == "word/embeddings/oleObject1_bin: OLE compound file"


def test_libreoffice_basic_is_found_by_folder_and_by_manifest():
    assert inspect_zip(odt_with_basic(), max_unpacked=CAP).macro.startswith(
        "META-INF/manifest.xml: lists basic/"
    )
    only_manifest = odt(manifest_extra='<manifest:file-entry manifest:full-path="Scripts/python/x.py"/>')
    assert inspect_zip(only_manifest, max_unpacked=CAP).macro == "META-INF/manifest.xml: lists scripts/"
    only_folder = odt({"Dialogs/Standard/Dialog1.xml": "<dlg/>"})
    assert (
        inspect_zip(only_folder, max_unpacked=CAP).macro
        == "Dialogs/Standard/Dialog1.xml: ODF macro or script"
    )
    assert inspect_zip(odt(), max_unpacked=CAP).macro is None


def test_a_gigabyte_member_is_refused_after_inflating_no_more_than_the_cap():
    data = bomb(mib=1100)
    assert len(data) < 2 * MIB
    started = time.monotonic()
    with pytest.raises(ZipRefused) as refused:
        inspect_zip(data, max_unpacked=CAP)
    assert refused.value.kind == "too_big"
    assert time.monotonic() - started < 5  # stopped at the ratio cap (100 x 1 MB), not after 1.1 GB


def test_the_absolute_cap_applies_below_the_ratio():
    data = zip_of({"[Content_Types].xml": b"<Types/>", "xl/a.xml": b"0" * (3 * MIB)})
    assert inspect_zip(data, max_unpacked=3 * MIB + 100).unpacked > 3 * MIB
    with pytest.raises(ZipRefused, match="inflates past the cap"):
        inspect_zip(data, max_unpacked=3 * MIB)


def test_the_ratio_cap_refuses_a_small_file_that_inflates_a_hundredfold():
    data = bomb(mib=40)  # 40 MiB of zeros in about 40 KB
    assert inspect_zip(data, max_unpacked=CAP, ratio_floor=CAP).unpacked > 40 * MIB  # a valid zip
    with pytest.raises(ZipRefused) as refused:
        inspect_zip(data, max_unpacked=CAP)
    assert refused.value.kind == "too_big"


def test_a_directory_that_understates_a_member_is_damaged_not_believed():
    # zipfile stops reading at the declared size, so testzip() alone would check 100 bytes of a 40 MiB member
    data = bomb(mib=40, declared=100)
    with pytest.raises(ZipRefused) as refused:
        inspect_zip(data, max_unpacked=CAP, ratio_floor=CAP)
    assert refused.value.kind == "damaged"


def test_a_bad_crc_is_damaged():
    data = bytearray(zip_of({"a.xml": b"A" * 100}, stored_first=True))
    data[data.index(b"AAAA")] ^= 0xFF
    with pytest.raises(ZipRefused) as refused:
        inspect_zip(bytes(data), max_unpacked=CAP)
    assert refused.value.kind == "damaged"


def test_too_many_members_are_refused_before_any_is_inflated():
    data = zip_of({f"m/{i}.xml": b"" for i in range(11)})
    with pytest.raises(ZipRefused) as refused:
        inspect_zip(data, max_unpacked=CAP, max_members=10)
    assert refused.value.kind == "too_big"
