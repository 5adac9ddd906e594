"""The policy module, role by role: who sees, creates and edits entries; who manages master data, people."""

import datetime

import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.models import AnonymousUser
from django.http import Http404

from kinerja.models import (
    EntriKinerja,
    JenisPenjabat,
    Pegawai,
    PenjabatSementara,
    Periode,
    Role,
    StatusEntri,
    TahapPeriode,
)
from silabu import policy

EVERYONE = [
    "asn",
    "colleague",
    "kasubag",
    "teknis_staff",
    "other_kasubag",
    "rendatin",
    "kasubag_rendatin",
    "sekretaris",
    "pimpinan",
    "admin",
    "outsider",
]


def user_of(pegawai: Pegawai):
    """A freshly loaded user, as a request would have it: nothing cached from the fixture."""
    return get_user_model().objects.get(pk=pegawai.user_id)


def work_day(org) -> datetime.date:
    # Today: the current month is OPEN until its verification window opens after its last working day.
    return org.kudus.today()


def entri_of(org, pegawai, status=StatusEntri.DIAJUKAN, day=None) -> EntriKinerja:
    day = day or work_day(org)
    return EntriKinerja.objects.create(
        satker=pegawai.satker,
        pegawai=pegawai,
        tanggal=day,
        kode_output=org.kode_years[day.year],
        nama_kegiatan="Menyusun laporan realisasi anggaran",
        output_hasil="1 dokumen laporan",
        status=status,
    )


def set_tahap(org, day: datetime.date, tahap: str, satker=None) -> Periode:
    return Periode.objects.create(satker=satker or org.kudus, tahun=day.year, bulan=day.month, tahap=tahap)


@pytest.fixture
def ani_entri(org):
    return entri_of(org, org.asn)


# --- reading entries ---------------------------------------------------------------------------------------

SEES_ANI = {
    "asn": True,  # the owner
    "colleague": False,
    "kasubag": True,  # her head
    "teknis_staff": False,
    "other_kasubag": False,  # head of another subbagian
    "rendatin": True,  # Rendatin compiles the whole satker
    "kasubag_rendatin": True,
    "sekretaris": True,
    "pimpinan": False,
    "admin": False,  # an admin is not her head
    "outsider": False,  # another satker
}


@pytest.mark.parametrize(("attr", "sees"), SEES_ANI.items())
def test_visible_entri_for_each_role(org, ani_entri, attr, sees):
    assert policy.visible_entri(user_of(getattr(org, attr))).filter(pk=ani_entri.pk).exists() is sees


@pytest.mark.parametrize(("attr", "sees"), SEES_ANI.items())
def test_can_view_entri_for_each_role(org, ani_entri, attr, sees):
    assert policy.can_view_entri(user_of(getattr(org, attr)), ani_entri) is sees


def test_kasubag_cannot_see_other_subbagian_entries(org):
    teknis = entri_of(org, org.teknis_staff)
    assert not policy.can_view_entri(user_of(org.kasubag), teknis)
    assert policy.can_view_entri(user_of(org.other_kasubag), teknis)


def test_kasubag_sees_own_entries_but_not_the_sekretaris(org):
    own = entri_of(org, org.kasubag)
    sekretaris = entri_of(org, org.sekretaris)
    visible = policy.visible_entri(user_of(org.kasubag))
    assert visible.filter(pk=own.pk).exists()
    assert not visible.filter(pk=sekretaris.pk).exists()


def test_sekretaris_sees_the_kasubags_entries(org):
    assert policy.can_view_entri(user_of(org.sekretaris), entri_of(org, org.kasubag))


def test_nobody_in_kudus_sees_bontang_entries(org):
    bontang = entri_of(org, org.outsider)
    for attr in EVERYONE[:-1]:
        user = user_of(getattr(org, attr))
        assert not policy.can_view_entri(user, bontang), attr
        assert not policy.visible_entri(user).filter(pk=bontang.pk).exists(), attr
    assert policy.can_view_entri(user_of(org.outsider), bontang)


def test_outsider_sees_only_their_own_satker(org, ani_entri):
    own = entri_of(org, org.outsider)
    assert list(policy.visible_entri(user_of(org.outsider))) == [own]


def test_colleague_gets_404_for_anis_entry(org, ani_entri):
    with pytest.raises(Http404):
        policy.get_or_404(policy.visible_entri(user_of(org.colleague)), pk=ani_entri.pk)
    assert policy.get_or_404(policy.visible_entri(user_of(org.kasubag)), pk=ani_entri.pk) == ani_entri


def test_plh_of_the_subbagian_sees_its_entries_while_acting(org, ani_entri):
    today = org.kudus.today()
    PenjabatSementara.objects.create(
        satker=org.kudus,
        subbagian=org.kul,
        pegawai=org.other_kasubag,
        jenis=JenisPenjabat.PLH,
        mulai=today - datetime.timedelta(days=1),
        selesai=today + datetime.timedelta(days=1),
    )
    assert policy.can_view_entri(user_of(org.other_kasubag), ani_entri)


def test_anonymous_and_inactive_users_see_nothing(org, ani_entri):
    assert not policy.visible_entri(AnonymousUser()).exists()
    assert not policy.can_view_entri(AnonymousUser(), ani_entri)
    Pegawai.objects.filter(pk=org.kasubag.pk).update(aktif=False)
    assert not policy.visible_entri(user_of(org.kasubag)).exists()
    assert not policy.can_view_entri(user_of(org.kasubag), ani_entri)


def test_bukti_is_visible_exactly_to_those_who_see_the_entry(org, ani_entri):
    bukti = ani_entri.bukti.model(entri=ani_entri)  # unsaved is enough: only the entry matters
    for attr, sees in SEES_ANI.items():
        assert policy.can_view_bukti(user_of(getattr(org, attr)), bukti) is sees, attr


# --- editing entries ---------------------------------------------------------------------------------------


def test_owner_can_edit_in_an_open_month(org, ani_entri):
    assert policy.can_edit_entri(user_of(org.asn), ani_entri)


@pytest.mark.parametrize("attr", [a for a in EVERYONE if a != "asn"])
def test_nobody_else_can_edit_an_entry(org, ani_entri, attr):
    assert not policy.can_edit_entri(user_of(getattr(org, attr)), ani_entri)


def test_owner_can_edit_a_returned_entry_in_an_open_month(org):
    assert policy.can_edit_entri(user_of(org.asn), entri_of(org, org.asn, StatusEntri.DIKEMBALIKAN))


def test_owner_cannot_edit_an_approved_entry(org):
    assert not policy.can_edit_entri(user_of(org.asn), entri_of(org, org.asn, StatusEntri.DISETUJUI))


def test_owner_cannot_edit_a_pending_entry_during_verification(org, ani_entri):
    set_tahap(org, ani_entri.tanggal, TahapPeriode.VERIFICATION)
    assert not policy.can_edit_entri(user_of(org.asn), ani_entri)


def test_owner_can_fix_a_returned_entry_during_verification(org):
    returned = entri_of(org, org.asn, StatusEntri.DIKEMBALIKAN)
    set_tahap(org, returned.tanggal, TahapPeriode.VERIFICATION)
    assert policy.can_edit_entri(user_of(org.asn), returned)
    assert not policy.can_edit_entri(user_of(org.kasubag), returned)


def test_owner_cannot_edit_an_approved_entry_during_verification(org):
    approved = entri_of(org, org.asn, StatusEntri.DISETUJUI)
    set_tahap(org, approved.tanggal, TahapPeriode.VERIFICATION)
    assert not policy.can_edit_entri(user_of(org.asn), approved)


@pytest.mark.parametrize("tahap", [TahapPeriode.COMPILED, TahapPeriode.PLENO, TahapPeriode.FINAL])
@pytest.mark.parametrize("status", [StatusEntri.DIAJUKAN, StatusEntri.DIKEMBALIKAN])
def test_nobody_edits_after_the_month_is_compiled(org, tahap, status):
    entri = entri_of(org, org.asn, status)
    set_tahap(org, entri.tanggal, tahap)
    for attr in EVERYONE:
        assert not policy.can_edit_entri(user_of(getattr(org, attr)), entri), attr


def test_periode_of_another_month_or_satker_does_not_lock_the_entry(org, ani_entri):
    day = ani_entri.tanggal
    set_tahap(org, day, TahapPeriode.FINAL, satker=org.bontang)
    set_tahap(org, day.replace(day=1) - datetime.timedelta(days=1), TahapPeriode.FINAL)
    set_tahap(org, day.replace(year=day.year + 1), TahapPeriode.FINAL)
    assert policy.can_edit_entri(user_of(org.asn), ani_entri)


def test_explicit_open_periode_allows_editing(org, ani_entri):
    set_tahap(org, ani_entri.tanggal, TahapPeriode.OPEN)
    assert policy.can_edit_entri(user_of(org.asn), ani_entri)


# --- creating entries --------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("attr", "allowed"),
    [(a, a != "pimpinan") for a in EVERYONE],
)
def test_can_create_entri_for_asn_roles_only(org, attr, allowed):
    assert policy.can_create_entri(user_of(getattr(org, attr))) is allowed


def test_anonymous_cannot_create_entri():
    assert not policy.can_create_entri(AnonymousUser())


# --- master data and people --------------------------------------------------------------------------------

MANAGES_KODE = {"rendatin", "kasubag_rendatin", "admin"}


@pytest.mark.parametrize("attr", EVERYONE)
def test_can_manage_kode_output_rendatin_and_admin_only(org, attr):
    assert policy.can_manage_kode_output(user_of(getattr(org, attr))) is (attr in MANAGES_KODE)


def test_rendatin_edits_only_their_own_satkers_kode(org):
    from kinerja.models import KodeOutput, LevelKode

    bontang = KodeOutput.objects.create(
        satker=org.bontang,
        tahun=org.kode.tahun,
        kode="3359.EBA.994.002",
        uraian="x",
        level=LevelKode.KOMPONEN,
    )
    assert policy.can_edit_kode_output(user_of(org.rendatin), org.kode)
    assert not policy.can_edit_kode_output(user_of(org.rendatin), bontang)
    assert not policy.can_edit_kode_output(user_of(org.asn), org.kode)


@pytest.mark.parametrize("attr", EVERYONE)
def test_can_manage_pegawai_admin_only(org, attr):
    assert policy.can_manage_pegawai(user_of(getattr(org, attr))) is (attr == "admin")


def test_admin_can_reset_password_in_own_satker(org):
    assert policy.can_reset_password(user_of(org.admin), org.asn)
    assert policy.can_reset_password(user_of(org.admin), org.sekretaris)


def test_admin_cannot_reset_own_password_here(org):
    assert not policy.can_reset_password(user_of(org.admin), org.admin)


def test_admin_cannot_reset_password_of_another_satker(org):
    assert not policy.can_reset_password(user_of(org.admin), org.outsider)


@pytest.mark.parametrize("attr", ["asn", "kasubag", "sekretaris", "rendatin", "outsider"])
def test_non_admin_cannot_reset_passwords(org, attr):
    assert not policy.can_reset_password(user_of(getattr(org, attr)), org.colleague)


# --- roles -------------------------------------------------------------------------------------------------

ROLES = {
    "asn": {Role.ASN},
    "colleague": {Role.ASN},
    "kasubag": {Role.ASN, Role.KASUBAG},
    "teknis_staff": {Role.ASN},
    "other_kasubag": {Role.ASN, Role.KASUBAG},
    "rendatin": {Role.ASN, Role.RENDATIN},
    "kasubag_rendatin": {Role.ASN, Role.KASUBAG, Role.RENDATIN},
    "sekretaris": {Role.ASN, Role.SEKRETARIS},
    "pimpinan": {Role.PIMPINAN},
    "admin": {Role.ASN, Role.ADMIN},
    "outsider": {Role.ASN},
}


@pytest.mark.parametrize(("attr", "roles"), ROLES.items())
def test_roles_of_each_person(org, attr, roles):
    assert Pegawai.objects.get(pk=getattr(org, attr).pk).roles == roles
    assert policy.pegawai_of(user_of(getattr(org, attr))).roles == roles


@pytest.mark.parametrize(("attr", "roles"), ROLES.items())
def test_has_role_agrees_with_roles(org, attr, roles):
    user = user_of(getattr(org, attr))
    for role in Role.values:
        assert policy.has_role(user, role) is (role in roles), role


def test_a_kasubag_who_leaves_the_post_loses_the_role(org):
    org.kul.kasubag = None
    org.kul.save()
    assert Pegawai.objects.get(pk=org.kasubag.pk).roles == {Role.ASN}


# --- queries -----------------------------------------------------------------------------------------------


def test_pegawai_of_is_computed_once_per_user(org, django_assert_num_queries):
    user = user_of(org.kasubag_rendatin)
    with django_assert_num_queries(1):
        first = policy.pegawai_of(user)
    with django_assert_num_queries(0):
        assert policy.pegawai_of(user) is first
        assert first.roles == ROLES["kasubag_rendatin"]  # the relations came with it
    assert first == org.kasubag_rendatin


def test_pegawai_of_anonymous_is_none_without_a_query():
    # no `db` fixture: any query would raise
    assert policy.pegawai_of(AnonymousUser()) is None
