"""rekap.pengukuran.policy: the measurement's rules registered with the core policy, and the one answer the
pages, the templates and the services' guards all get."""

import ast
from pathlib import Path

import pytest
from django.core.exceptions import ImproperlyConfigured
from django.template import Context, Template
from django.test import RequestFactory

from kinerja.models import Dokumen, PenjabatSementara
from rekap.pengukuran import policy, services
from rekap.pengukuran.models import TahapPengukuran as T
from rekap.pengukuran.services import PengukuranDitolak
from silabu import policy as core
from tests.pengukuran.test_services import (  # noqa: F401 (autouse fixtures)
    fake_generators,
    form_of,
    kerangka,
    mutu_baku_seeded,
    pilihan,
    sampai,
)

PEOPLE = [
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
RULES = {
    "use_pengukuran": policy.can_use_pengukuran,
    "dispose_pengukuran": policy.can_dispose_pengukuran,
    "draft_form": policy.can_draft_form,
    "issue_form": policy.can_issue_form,
    "fill_form": policy.can_fill_form,
    "view_form": policy.can_view_form,
    "measure": policy.can_measure,
    "check_pengukuran": policy.can_check_pengukuran,
    "decide_pengukuran": policy.can_decide_pengukuran,
    "view_pengukuran": policy.can_view_pengukuran,
    "view_dokumen_pengukuran": policy.can_view_dokumen_pengukuran,
}


def test_every_measurement_rule_is_registered_under_its_template_name():
    for name, rule in RULES.items():
        assert core.PERMISSIONS[name] is rule, name
    assert {name for name, rule in core.PERMISSIONS.items() if rule.__module__ == policy.__name__} == set(
        RULES
    )


def test_a_name_cannot_be_registered_twice():
    with pytest.raises(ImproperlyConfigured, match="'draft_form' is registered twice"):
        core.rule("draft_form")(lambda user, obj=None: True)
    assert core.PERMISSIONS["draft_form"] is policy.can_draft_form


def test_the_core_policy_imports_no_measurement_code():
    tree = ast.parse(Path(core.__file__).read_text())
    modules = [n.module for n in ast.walk(tree) if isinstance(n, ast.ImportFrom)]
    modules += [a.name for n in ast.walk(tree) if isinstance(n, ast.Import) for a in n.names]
    assert not [m for m in modules if m and m.split(".")[0] == "rekap"]


# --- one answer for the page, the template and the service ----------------------------------------------------

# stage: (the user's rule, the actor function the service's guard asks, the step, its refusal)
STEPS = {
    T.KONSEP: (
        policy.can_draft_form,
        policy.is_kasubag_rendatin,
        lambda p, who, k: services.pengukuran_draft_forms(pengukuran=p, pilihan=pilihan(*k.semua), by=who),
        policy.PESAN_KASUBAG_RENDATIN,
    ),
    T.FORM: (
        policy.can_issue_form,
        policy.is_rendatin,
        lambda p, who, k: services.pengukuran_issue_forms(pengukuran=p, by=who),
        policy.PESAN_RENDATIN,
    ),
    T.PENGUKURAN: (
        policy.can_measure,
        policy.is_rendatin,
        lambda p, who, k: services.pengukuran_measure(pengukuran=p, by=who),
        policy.PESAN_RENDATIN,
    ),
    T.PEMERIKSAAN: (
        policy.can_check_pengukuran,
        policy.is_kasubag_rendatin,
        lambda p, who, k: services.pengukuran_send(pengukuran=p, by=who),
        policy.PESAN_KASUBAG_RENDATIN,
    ),
    T.PERSETUJUAN: (
        policy.can_decide_pengukuran,
        policy.is_sekretaris,
        lambda p, who, k: services.pengukuran_approve(pengukuran=p, by=who),
        policy.PESAN_SEKRETARIS,
    ),
}


def allowed_by_template(user, permission: str, obj) -> bool:
    request = RequestFactory().get("/")
    request.user = user
    out = Template("{% load silabu %}{% can permission obj as ok %}{{ ok }}").render(
        Context({"request": request, "permission": permission, "obj": obj})
    )
    return out == "True"


@pytest.mark.parametrize("tahap", list(STEPS))
def test_the_page_the_template_and_the_guard_agree_on_every_step(org, tahap):
    rule, actor, call, refusal = STEPS[tahap]
    k = kerangka(org)
    p = sampai(org, tahap, k)
    name = next(n for n, r in RULES.items() if r is rule)
    allowed = []
    for person in PEOPLE:
        pegawai = getattr(org, person)
        answer = rule(pegawai.user, p)
        assert answer == actor(pegawai, p.satker) == allowed_by_template(pegawai.user, name, p), person
        if answer:
            allowed.append(person)
            continue
        with pytest.raises(PengukuranDitolak) as refused:
            call(p, pegawai, k)
        assert str(refused.value) == refusal, person
    assert allowed  # someone may do every step
    call(p, getattr(org, allowed[0]), k)  # and it is done by them


def test_an_acting_head_acts_for_the_post_and_the_rules_follow(org):
    today = org.kudus.today()
    PenjabatSementara.objects.create(
        satker=org.kudus,
        subbagian=org.rendatin_sub,
        pegawai=org.kasubag,
        jenis="Plh",
        mulai=today,
        selesai=today,
    )
    p = sampai(org, T.KONSEP)
    assert policy.is_kasubag_rendatin(org.kasubag, org.kudus)
    assert policy.can_draft_form(org.kasubag.user, p) and policy.can_issue_form(org.kasubag.user, p)
    assert policy.subbagian_ids(org.kasubag) == {org.kul.pk, org.rendatin_sub.pk}


# --- who sees what -------------------------------------------------------------------------------------------------


def test_a_subbagian_sees_a_measurement_once_its_form_is_issued_and_only_its_own_form(org):
    p = sampai(org, T.FORM)
    assert not policy.can_view_pengukuran(org.asn.user, p)
    assert list(policy.visible_pengukuran(org.asn.user)) == []
    services.pengukuran_issue_forms(pengukuran=p, by=org.rendatin)
    assert policy.can_view_pengukuran(org.asn.user, p)
    assert list(policy.visible_pengukuran(org.asn.user)) == [p]
    assert policy.can_view_form(org.asn.user, form_of(p, org.kul))
    assert not policy.can_view_form(org.asn.user, form_of(p, org.teknis))
    assert policy.sees_all_pengukuran(org.pimpinan.user, p) and not policy.sees_all_pengukuran(
        org.asn.user, p
    )
    assert not policy.can_view_pengukuran(org.outsider.user, p)
    assert list(policy.visible_pengukuran(org.outsider.user)) == []


def document(p, jenis: str, **params) -> Dokumen:
    return Dokumen(satker=p.satker, jenis=jenis, params={"pengukuran_id": p.pk, **params})


def test_the_core_document_rule_reaches_the_measurements_for_its_kinds(org):
    p = sampai(org, T.PENGUMPULAN)
    kul_form = document(p, "pengukuran_form", subbagian_id=org.kul.pk, fmt="xlsx")
    teknis_form = document(p, "pengukuran_form", subbagian_id=org.teknis.pk, fmt="xlsx")
    worksheet = document(p, "pengukuran_kertas_kerja", versi=1, fmt="pdf")
    for doc, who, expected in [
        (kul_form, org.asn, True),
        (teknis_form, org.asn, False),
        (worksheet, org.asn, False),
        (worksheet, org.pimpinan, True),
        (teknis_form, org.rendatin, True),
        (kul_form, org.outsider, False),
        (document(p, "pengukuran_form", subbagian_id=0), org.rendatin, False),
        (document(p, "bukan_pengukuran"), org.rendatin, False),
    ]:
        assert core.can_view_dokumen(who.user, doc) is expected, (doc.jenis, doc.params, who.nama)
        assert policy.can_view_dokumen_pengukuran(who.user, doc) is expected
