"""Which output codes a daily entry may carry (issue 12, item 7): only the levels an ASN works on (RO and/or
komponen, per the satker's setting), offered with their path, refused everywhere an entry is written."""

import json

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from kinerja import services
from kinerja.errors import KodeOutputDitolak
from kinerja.forms import EntriForm
from kinerja.models import EntriKinerja, KodeOutput, LevelKode, LevelKodeEntri
from rekap.pengukuran.forms import IndikatorForm

from .test_entries_views import entry_data, make_entri

PATH = (
    "Program Dukungan Manajemen › Dukungan Manajemen dan Pelaksanaan Tugas Teknis Lainnya › "
    "Layanan Dukungan Manajemen Internal › Layanan Perkantoran"
)


class Tree:
    """program › kegiatan › KRO › RO › komponen, as the budget nests them."""

    def __init__(self, org, komponen: int = 1):
        k, y = org.kudus, org.kode.tahun

        def code(kode, uraian, level, parent=None):
            return KodeOutput.objects.create(
                satker=k, tahun=y, kode=kode, uraian=uraian, level=level, parent=parent
            )

        self.program = code("076.01.WA", "Program Dukungan Manajemen", LevelKode.PROGRAM)
        self.kegiatan = code(
            "3360",
            "Dukungan Manajemen dan Pelaksanaan Tugas Teknis Lainnya",
            LevelKode.KEGIATAN,
            self.program,
        )
        self.kro = code("3360.EBA", "Layanan Dukungan Manajemen Internal", LevelKode.KRO, self.kegiatan)
        self.ro = code("3360.EBA.994", "Layanan Perkantoran", LevelKode.RO, self.kro)
        self.komponen = [
            code(f"3360.EBA.994.{n:03d}", f"Komponen {n}", LevelKode.KOMPONEN, self.ro)
            for n in range(1, komponen + 1)
        ]

    @property
    def not_selectable(self):
        return [self.program, self.kegiatan, self.kro]


@pytest.fixture
def tree(org):
    return Tree(org)


def form_choices(org, pegawai=None) -> dict[int, str]:
    form = EntriForm(pegawai=pegawai or org.asn, years=(org.kode.tahun,))
    return {int(value.value): label for value, label in form.fields["kode_output"].choices if value}


def test_the_picker_offers_only_ro_and_komponen_each_with_its_path(org, tree):
    choices = form_choices(org)
    assert set(choices) == {tree.ro.pk, tree.komponen[0].pk, org.kode.pk}
    assert choices[tree.komponen[0].pk] == f"3360.EBA.994.001 — Komponen 1 (Komponen) · {PATH}"
    assert choices[tree.ro.pk] == (
        "3360.EBA.994 — Layanan Perkantoran (RO) · Program Dukungan Manajemen › "
        "Dukungan Manajemen dan Pelaksanaan Tugas Teknis Lainnya › Layanan Dukungan Manajemen Internal"
    )


def test_the_entry_page_lists_the_same_choices(org, tree, login):
    html = login(org.asn).get(reverse("kinerja:entri_create")).content.decode()
    assert f"3360.EBA.994.001 — Komponen 1 (Komponen) · {PATH}" in html
    for code in tree.not_selectable:
        assert f'value="{code.pk}"' not in html


def test_the_code_search_offers_only_selectable_codes_with_their_path(org, tree, login):
    response = login(org.asn).get(reverse("kinerja:kode_output_search"), {"q": "3360"})
    html = response.content.decode()
    assert f"3360.EBA.994.001 — Komponen 1 (Komponen) · {PATH}" in html
    assert f'value="{tree.ro.pk}"' in html
    for code in tree.not_selectable:
        assert f'value="{code.pk}"' not in html


@pytest.mark.parametrize("url", [reverse("kinerja:entri_create"), reverse("kinerja:kode_output_search")])
def test_path_labels_cost_no_query_per_code(org, login, url):
    client = login(org.asn)

    def queries() -> int:
        with CaptureQueriesContext(connection) as ctx:
            assert client.get(url).status_code == 200
        return len(ctx.captured_queries)

    Tree(org, komponen=2)
    few = queries()
    ro = KodeOutput.objects.get(kode="3360.EBA.994")
    for n in range(30):
        KodeOutput.objects.create(
            satker=org.kudus,
            tahun=org.kode.tahun,
            kode=f"3360.EBA.994.{100 + n}",
            uraian=f"Komponen {100 + n}",
            level=LevelKode.KOMPONEN,
            parent=ro,
        )
    assert queries() == few


@pytest.mark.parametrize("level", ["program", "kegiatan", "kro"])
def test_a_crafted_post_with_a_code_above_ro_is_a_field_error_and_saves_nothing(org, tree, login, level):
    code = getattr(tree, level)
    response = login(org.asn).post(reverse("kinerja:entri_create"), entry_data(org, kode_output=code.pk))
    assert response.status_code == 200
    errors = response.context["form"].errors
    assert list(errors) == ["kode_output"]
    assert errors["kode_output"] == [services.kode_output_refusal(org.kudus)]
    assert "Pilih kode RO atau komponen" in errors["kode_output"][0]
    assert not EntriKinerja.objects.exists()


def test_the_phone_queue_gets_the_same_refusal_beside_the_field(org, tree, login):
    response = login(org.asn).post(
        reverse("kinerja:entri_create"),
        entry_data(org, kode_output=tree.program.pk),
        headers={"Accept": "application/json"},
    )
    assert response.status_code == 422
    body = json.loads(response.content)
    assert body["galat"] == {"kode_output": [services.kode_output_refusal(org.kudus)]}
    assert not EntriKinerja.objects.exists()


def test_changing_an_entry_to_a_program_code_is_refused(org, tree, login):
    entri = make_entri(org)
    response = login(org.asn).post(
        reverse("kinerja:entri_update", args=[entri.pk]), entry_data(org, kode_output=tree.program.pk)
    )
    assert response.status_code == 200 and list(response.context["form"].errors) == ["kode_output"]
    entri.refresh_from_db()
    assert entri.kode_output == org.kode


def test_the_services_refuse_what_the_form_does_not_offer(org, tree):
    """The guard under the form: no caller (import, admin action, a future API) writes such an entry."""
    data = {
        "tanggal": org.kudus.today(),
        "kode_output": tree.program,
        "nama_kegiatan": "Rapat",
        "output_hasil": "Notulen",
    }
    with pytest.raises(KodeOutputDitolak):
        services.entri_create(by=org.asn, data=data)
    assert not EntriKinerja.objects.exists()
    entri = make_entri(org)
    with pytest.raises(KodeOutputDitolak):
        services.entri_update(entri=entri, by=org.asn, data={**data, "kode_output": tree.kro})
    entri.refresh_from_db()
    assert entri.kode_output == org.kode
    assert services.entri_create(by=org.asn, data={**data, "kode_output": tree.ro}).kode_output == tree.ro


@pytest.mark.parametrize(
    ("setting", "allowed", "refused"),
    [
        (LevelKodeEntri.RO_KOMPONEN, ("ro", "komponen"), ()),
        (LevelKodeEntri.KOMPONEN, ("komponen",), ("ro",)),
        (LevelKodeEntri.RO, ("ro",), ("komponen",)),
    ],
)
def test_the_satker_setting_decides_which_levels_are_chosen(org, tree, login, setting, allowed, refused):
    org.kudus.level_kode_entri = setting
    org.kudus.save()
    org.asn.refresh_from_db()
    by_level = {"ro": tree.ro, "komponen": tree.komponen[0]}
    choices = form_choices(org)
    assert {code.level for code in KodeOutput.objects.filter(pk__in=choices)} == set(allowed)
    client = login(org.asn)
    for level in refused:
        response = client.post(
            reverse("kinerja:entri_create"), entry_data(org, kode_output=by_level[level].pk)
        )
        assert list(response.context["form"].errors) == ["kode_output"]
    assert not EntriKinerja.objects.exists()
    for level in allowed:
        response = client.post(
            reverse("kinerja:entri_create"), entry_data(org, kode_output=by_level[level].pk)
        )
        assert response.status_code == 302
    assert EntriKinerja.objects.count() == len(allowed)


def test_the_satker_setting_defaults_to_ro_and_komponen(org):
    assert org.kudus.level_kode_entri == LevelKodeEntri.RO_KOMPONEN
    assert org.kudus.kode_levels_entri == ("ro", "komponen")


def test_an_indicator_links_only_codes_an_entry_can_carry(org, tree):
    """Realisation counts the entries under a linked code: a program code would always count nothing."""
    form = IndikatorForm(satker=org.kudus, tahun=org.kode.tahun)
    offered = {int(value.value) for value, _ in form.fields["kode_output"].choices}
    assert offered == {tree.ro.pk, tree.komponen[0].pk, org.kode.pk}
