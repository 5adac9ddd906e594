"""NIP: 18 digits, the first eight a plausible birth date; typed with spaces or dots; unique everywhere."""

import datetime

import pytest
from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from hypothesis import given
from hypothesis import strategies as st

from kinerja.models import Pegawai, StatusPegawai, normalize_nip, validate_nip
from tests.conftest import make_pegawai

VALID = "198503122010011003"


def error_code(value: str) -> str:
    with pytest.raises(ValidationError) as info:
        validate_nip(value)
    return info.value.code


def is_date(yyyymmdd: str) -> bool:
    try:
        datetime.date(int(yyyymmdd[:4]), int(yyyymmdd[4:6]), int(yyyymmdd[6:8]))
    except ValueError:
        return False
    return True


# --- format ------------------------------------------------------------------------------------------------


def test_eighteen_digits_with_a_birth_date_is_accepted():
    assert validate_nip(VALID) is None


@pytest.mark.parametrize(
    "value",
    [
        VALID[:-1],  # 17 digits
        VALID + "4",  # 19 digits
        "",
        "19850312201001100A",  # a letter at the end
        "I98503122010011003",  # a capital I for a 1
        "19850312 201001 1 003",  # grouped as printed: must be normalised first
        "19850312.201001.1.003",
        "-19850312201001103",
    ],
)
def test_wrong_length_or_non_digits_is_nip_format(value):
    assert error_code(value) == "nip_format"


def test_non_ascii_digits_are_nip_format():
    full_width = VALID.translate(str.maketrans("0123456789", "０１２３４５６７８９"))
    assert error_code(full_width) == "nip_format"


@pytest.mark.parametrize(
    "born",
    [
        "19851312",  # month 13
        "19850001",  # month 0
        "19850132",  # day 32
        "19850100",  # day 0
        "19870230",  # 30 February
        "19870229",  # 29 February of a non-leap year
        "19000229",  # 1900 is not a leap year
    ],
)
def test_first_eight_digits_not_a_real_date_is_nip_date(born):
    assert error_code(born + "2010011003") == "nip_date"


@pytest.mark.parametrize("born", ["19880229", "19960229", "20000229"])
def test_29_february_of_a_leap_year_is_accepted(born):
    validate_nip(born + "2010011003")


@pytest.mark.parametrize("year", [1850, 1900, 1939])
def test_birth_year_too_long_ago_is_nip_year(year):
    assert error_code(f"{year}0312" + "2010011003") == "nip_year"


def test_birth_year_too_recent_for_a_civil_servant_is_nip_year():
    this_year = datetime.date.today().year
    assert error_code(f"{this_year}0101" + "2010011003") == "nip_year"
    assert error_code(f"{this_year - 16}0101" + "2010011003") == "nip_year"


def test_birth_year_bounds_are_accepted():
    this_year = datetime.date.today().year
    validate_nip("19400101" + "2010011003")
    validate_nip(f"{this_year - 17}1231" + "2010011003")


@given(
    born=st.dates(min_value=datetime.date(1950, 1, 1), max_value=datetime.date(2000, 12, 31)),
    rest=st.text(alphabet="0123456789", min_size=10, max_size=10),
)
def test_any_valid_birth_date_followed_by_ten_digits_is_accepted(born, rest):
    validate_nip(f"{born:%Y%m%d}{rest}")


@given(
    head=st.text(alphabet="0123456789", min_size=8, max_size=8).filter(lambda s: not is_date(s)),
    rest=st.text(alphabet="0123456789", min_size=10, max_size=10),
)
def test_any_eighteen_digits_without_a_date_up_front_is_rejected(head, rest):
    assert error_code(head + rest) == "nip_date"


# --- normalising what people type --------------------------------------------------------------------------


@pytest.mark.parametrize(
    "typed",
    [
        "19850312 201001 1 003",
        "19850312.201001.1.003",
        "19850312-201001-1-003",
        " 198503122010011003 ",
        "19850312\t201001 1\u00a0003",  # tab and a non-breaking space pasted from a document
        VALID,
    ],
)
def test_spaces_dots_and_dashes_are_removed(typed):
    assert normalize_nip(typed) == VALID
    validate_nip(normalize_nip(typed))


def test_normalising_keeps_other_characters_for_the_validator_to_refuse():
    assert normalize_nip("19850312 20100A 1 003") == "1985031220100A1003"
    assert error_code(normalize_nip("19850312 20100A 1 003")) == "nip_format"


# --- the model ---------------------------------------------------------------------------------------------


def test_nip_is_unique_across_satker(org):
    with pytest.raises(IntegrityError), transaction.atomic():
        make_pegawai(org.bontang, None, nama="Kembar NIP", nip=org.asn.nip)
    assert Pegawai.objects.filter(nip=org.asn.nip).count() == 1


def test_people_without_nip_do_not_collide(org):
    make_pegawai(org.kudus, None, nama="Anggota Dua", status=StatusPegawai.NON_ASN, is_pimpinan=True)
    assert Pegawai.objects.filter(nip__isnull=True).count() == 2  # with org.pimpinan


def unsaved(org, **fields) -> Pegawai:
    user = get_user_model().objects.create_user(username=f"baru-{fields.get('status', 'x')}", password="x")
    return Pegawai(user=user, satker=org.kudus, subbagian=org.kul, nama="Pegawai Baru", **fields)


@pytest.mark.parametrize("status", [StatusPegawai.PNS, StatusPegawai.PPPK])
@pytest.mark.parametrize("nip", [None, ""])
def test_full_clean_requires_nip_for_pns_and_pppk(org, status, nip):
    with pytest.raises(ValidationError) as info:
        unsaved(org, status=status, nip=nip).full_clean()
    assert "nip" in info.value.message_dict


def test_full_clean_accepts_non_asn_without_nip(org):
    unsaved(org, status=StatusPegawai.NON_ASN, nip=None).full_clean()


def test_full_clean_accepts_pppk_with_a_valid_nip(org):
    unsaved(org, status=StatusPegawai.PPPK, nip="199001012022212001").full_clean()


def test_full_clean_runs_the_nip_validator(org):
    with pytest.raises(ValidationError) as info:
        unsaved(org, status=StatusPegawai.PNS, nip="198502302010011003").full_clean()
    assert [e.code for e in info.value.error_dict["nip"]] == ["nip_date"]


def test_full_clean_reports_a_duplicate_nip(org):
    with pytest.raises(ValidationError) as info:
        unsaved(org, status=StatusPegawai.PNS, nip=org.colleague.nip).full_clean()
    assert "nip" in info.value.message_dict
