"""Supervision: who verifies whom on a given day, acting heads (Plt/Plh) included."""

import datetime

import pytest

from kinerja.models import JenisPenjabat, Pegawai, PenjabatSementara, StatusPegawai
from kinerja.organisasi import Verifier, supervisees, verifier_for
from tests.conftest import make_pegawai

D = datetime.date
DAY = D(2026, 11, 10)
PLH_FROM, PLH_TO = D(2026, 11, 16), D(2026, 11, 20)
KUL_POST = "Kepala Subbagian Keuangan, Umum dan Logistik"


def fresh(pegawai: Pegawai) -> Pegawai:
    """Reload, so no relation cached by the fixture hides what the database says."""
    return Pegawai.objects.with_org().get(pk=pegawai.pk)


def acting(org, pegawai, subbagian, jenis=JenisPenjabat.PLH, mulai=PLH_FROM, selesai=PLH_TO):
    return PenjabatSementara.objects.create(
        satker=org.kudus, subbagian=subbagian, pegawai=pegawai, jenis=jenis, mulai=mulai, selesai=selesai
    )


def names(queryset) -> set[str]:
    return set(queryset.values_list("nama", flat=True))


def people(org, *attrs) -> set[str]:
    return {getattr(org, a).nama for a in attrs}


# --- verifier_for ------------------------------------------------------------------------------------------


@pytest.mark.parametrize("attr", ["asn", "colleague"])
def test_staff_are_verified_by_their_kasubag(org, attr):
    verifier = verifier_for(fresh(getattr(org, attr)), DAY)
    assert verifier.pegawai == org.kasubag
    assert verifier.acting == ""
    assert verifier.post == KUL_POST
    assert verifier.sign_title == KUL_POST


def test_staff_of_another_subbagian_are_verified_by_their_own_kasubag(org):
    assert verifier_for(fresh(org.teknis_staff), DAY).pegawai == org.other_kasubag
    assert verifier_for(fresh(org.rendatin), DAY).pegawai == org.kasubag_rendatin


@pytest.mark.parametrize("attr", ["kasubag", "other_kasubag", "kasubag_rendatin"])
def test_kasubag_is_verified_by_the_sekretaris(org, attr):
    verifier = verifier_for(fresh(getattr(org, attr)), DAY)
    assert verifier == Verifier(org.sekretaris, "", "Sekretaris")
    assert verifier.sign_title == "Sekretaris"


def test_person_without_subbagian_is_verified_by_the_sekretaris(org):
    staf = make_pegawai(org.kudus, None, nama="Lina Staf Sekretariat")
    assert verifier_for(fresh(staf), DAY).pegawai == org.sekretaris


def test_plh_verifies_in_place_of_the_kasubag_inside_the_range(org):
    acting(org, org.teknis_staff, org.kul)
    asn = fresh(org.asn)
    for day in (PLH_FROM, D(2026, 11, 18), PLH_TO):
        verifier = verifier_for(asn, day)
        assert verifier.pegawai == org.teknis_staff
        assert verifier.acting == "Plh"
        assert verifier.sign_title == "Plh. Kepala Subbagian Keuangan, Umum dan Logistik"


@pytest.mark.parametrize("day", [PLH_FROM - datetime.timedelta(days=1), PLH_TO + datetime.timedelta(days=1)])
def test_outside_the_plh_range_the_holder_verifies_again(org, day):
    acting(org, org.teknis_staff, org.kul)
    assert verifier_for(fresh(org.asn), day) == Verifier(org.kasubag, "", KUL_POST)


def test_plh_for_one_subbagian_does_not_change_another(org):
    acting(org, org.teknis_staff, org.kul)
    assert verifier_for(fresh(org.rendatin), D(2026, 11, 18)).pegawai == org.kasubag_rendatin
    assert verifier_for(fresh(org.kasubag), D(2026, 11, 18)).pegawai == org.sekretaris


def test_acting_head_of_another_satker_is_ignored(org):
    # a Plh row of Bontang for a Bontang person never reaches Kudus' posts
    PenjabatSementara.objects.create(
        satker=org.bontang, subbagian=None, pegawai=org.outsider, mulai=PLH_FROM, selesai=PLH_TO
    )
    assert verifier_for(fresh(org.kasubag), D(2026, 11, 18)).pegawai == org.sekretaris


def test_vacant_post_has_no_verifier(org):
    org.kul.kasubag = None
    org.kul.save()
    verifier = verifier_for(fresh(org.asn), DAY)
    assert verifier == Verifier(None, "", KUL_POST)


def test_vacant_post_with_a_plt_is_verified_by_the_plt(org):
    org.kul.kasubag = None
    org.kul.save()
    acting(
        org, org.other_kasubag, org.kul, jenis=JenisPenjabat.PLT, mulai=D(2026, 1, 1), selesai=D(2026, 12, 31)
    )
    verifier = verifier_for(fresh(org.asn), DAY)
    assert verifier.pegawai == org.other_kasubag
    assert verifier.acting == "Plt"
    assert verifier.sign_title == "Plt. Kepala Subbagian Keuangan, Umum dan Logistik"


def test_plt_of_the_sekretaris_post_verifies_the_kasubags(org):
    acting(org, org.kasubag_rendatin, None, jenis=JenisPenjabat.PLT)
    for attr in ("kasubag", "other_kasubag"):
        verifier = verifier_for(fresh(getattr(org, attr)), D(2026, 11, 18))
        assert verifier.pegawai == org.kasubag_rendatin
        assert verifier.sign_title == "Plt. Sekretaris"
    # staff still go to their own Kasubag
    assert verifier_for(fresh(org.asn), D(2026, 11, 18)).pegawai == org.kasubag


def test_an_acting_head_never_verifies_themself(org):
    acting(org, org.colleague, org.kul)
    assert verifier_for(fresh(org.asn), D(2026, 11, 18)).pegawai == org.colleague
    assert verifier_for(fresh(org.colleague), D(2026, 11, 18)).pegawai != org.colleague


# --- supervisees -------------------------------------------------------------------------------------------


def test_kasubag_supervises_exactly_the_staff_of_their_subbagian(org):
    assert names(supervisees(fresh(org.kasubag), DAY)) == people(org, "asn", "colleague")
    assert names(supervisees(fresh(org.other_kasubag), DAY)) == people(org, "teknis_staff")
    assert names(supervisees(fresh(org.kasubag_rendatin), DAY)) == people(org, "rendatin")


def test_sekretaris_supervises_the_kasubags_and_staff_without_subbagian(org):
    staf = make_pegawai(org.kudus, None, nama="Lina Staf Sekretariat")
    make_pegawai(org.kudus, None, nama="Ketua PNS", is_pimpinan=True)  # a Pimpinan is nobody's supervisee
    make_pegawai(org.kudus, None, nama="Anggota", status=StatusPegawai.NON_ASN, is_pimpinan=True)

    result = names(supervisees(fresh(org.sekretaris), DAY))

    assert result == people(org, "kasubag", "other_kasubag", "kasubag_rendatin") | {staf.nama}
    assert org.pimpinan.nama not in result
    assert org.sekretaris.nama not in result


@pytest.mark.parametrize("attr", ["asn", "colleague", "teknis_staff", "rendatin", "admin", "pimpinan"])
def test_people_who_hold_no_post_supervise_nobody(org, attr):
    assert not supervisees(fresh(getattr(org, attr)), DAY).exists()


def test_plh_supervises_the_post_and_the_holder_does_not_meanwhile(org):
    acting(org, org.colleague, org.kul)
    on = D(2026, 11, 18)

    assert names(supervisees(fresh(org.colleague), on)) == people(org, "asn")  # not the Plh themself
    assert not supervisees(fresh(org.kasubag), on).exists()
    # outside the range everything is as before
    assert names(supervisees(fresh(org.kasubag), DAY)) == people(org, "asn", "colleague")
    assert not supervisees(fresh(org.colleague), DAY).exists()


def test_plh_from_another_subbagian_supervises_both_subbagian(org):
    acting(org, org.other_kasubag, org.kul)
    assert names(supervisees(fresh(org.other_kasubag), D(2026, 11, 18))) == people(
        org, "teknis_staff", "asn", "colleague"
    )


def test_plt_of_the_sekretaris_post_supervises_the_kasubags(org):
    acting(org, org.kasubag_rendatin, None, jenis=JenisPenjabat.PLT)
    on = D(2026, 11, 18)
    result = names(supervisees(fresh(org.kasubag_rendatin), on))
    assert result == people(org, "rendatin", "kasubag", "other_kasubag")
    # Nobody verifies themself: the Plt's own entries stay with the Sekretaris who holds the post.
    assert names(supervisees(fresh(org.sekretaris), on)) == people(org, "kasubag_rendatin")


def test_inactive_people_are_not_supervised(org):
    Pegawai.objects.filter(pk=org.colleague.pk).update(aktif=False)
    Pegawai.objects.filter(pk=org.other_kasubag.pk).update(aktif=False)
    assert names(supervisees(fresh(org.kasubag), DAY)) == people(org, "asn")
    assert names(supervisees(fresh(org.sekretaris), DAY)) == people(org, "kasubag", "kasubag_rendatin")


def test_outsider_is_never_supervised(org):
    for attr in ("kasubag", "other_kasubag", "kasubag_rendatin", "sekretaris"):
        assert org.outsider.nama not in names(supervisees(fresh(getattr(org, attr)), DAY))
    # not even by an acting head of the Sekretaris post
    acting(org, org.kasubag_rendatin, None)
    assert org.outsider.nama not in names(supervisees(fresh(org.kasubag_rendatin), D(2026, 11, 18)))


def test_supervisees_take_a_fixed_number_of_queries(org, django_assert_max_num_queries):
    for n in range(5):
        make_pegawai(org.kudus, org.kul, nama=f"Staf KUL {n}")
    sekretaris = fresh(org.sekretaris)
    with django_assert_max_num_queries(4):
        rows = list(supervisees(sekretaris, DAY))
        [(p.subbagian, p.satker, p.user) for p in rows]
    kasubag = fresh(org.kasubag)
    with django_assert_max_num_queries(4):
        rows = list(supervisees(kasubag, DAY))
        [(p.subbagian, p.satker, p.user) for p in rows]
    assert len(rows) == 7


# --- the two views agree -----------------------------------------------------------------------------------

KUDUS_ASN = ["asn", "colleague", "kasubag", "teknis_staff", "other_kasubag", "rendatin", "kasubag_rendatin"]


def assert_verifier_sees(org, attr, on):
    person = fresh(getattr(org, attr))
    verifier = verifier_for(person, on).pegawai
    assert verifier is not None
    assert supervisees(fresh(verifier), on).filter(pk=person.pk).exists(), (
        f"{person} is verified by {verifier} on {on}, but is not among {verifier}'s supervisees"
    )


@pytest.mark.parametrize("attr", KUDUS_ASN)
def test_everyone_is_among_the_supervisees_of_their_verifier(org, attr):
    assert_verifier_sees(org, attr, DAY)


@pytest.mark.parametrize("attr", ["asn", "kasubag", "rendatin"])
def test_everyone_is_among_the_supervisees_of_their_verifier_while_a_plh_acts(org, attr):
    acting(org, org.colleague, org.kul)
    assert_verifier_sees(org, attr, D(2026, 11, 18))


def test_the_plh_themself_is_among_the_supervisees_of_their_verifier(org):
    acting(org, org.colleague, org.kul)
    assert_verifier_sees(org, "colleague", D(2026, 11, 18))


def test_the_plt_sekretaris_themself_is_among_the_supervisees_of_their_verifier(org):
    acting(org, org.kasubag_rendatin, None, jenis=JenisPenjabat.PLT)
    assert_verifier_sees(org, "kasubag_rendatin", D(2026, 11, 18))
