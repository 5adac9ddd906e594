"""No path around the services through the Django admin (issue 13).

The test walks admin.site._registry: every ModelAdmin declares WRITES. A read-only one lets nobody add, change
or delete (its permissions are False for a superuser, its pages answer 403, it has no actions); a service one
has a case below, and adding, changing and deleting through its pages each write an audit row (a service did
it). A ModelAdmin registered without a declaration, or a service one without a case here, fails.
"""

import datetime
import itertools
from decimal import Decimal

import pytest
from django.contrib import admin
from django.contrib.auth.models import Group, Permission, User
from django.db.models import Model
from django.db.models.fields.files import FieldFile
from django.test import RequestFactory
from django.urls import reverse

from kinerja.admin_base import READ_ONLY, SERVICE, ServiceAdmin
from kinerja.models import (
    AuditLog,
    HariLibur,
    JenisPenjabat,
    KodeOutput,
    LevelKode,
    MutuBaku,
    Pegawai,
    PenjabatSementara,
    Periode,
    Satker,
    Subbagian,
    TahapPeriode,
)
from kinerja.models.kalender import Ketidakhadiran
from rekap.pengukuran.models import SkalaKategori
from tests.conftest import make_pegawai

D = datetime.date
REGISTRY = list(admin.site._registry.items())


def label(model) -> str:
    return model._meta.label if hasattr(model, "_meta") else type(model).__name__


def url(model, view: str, *args) -> str:
    return reverse(f"admin:{model._meta.app_label}_{model._meta.model_name}_{view}", args=args)


@pytest.fixture
def superuser(db):
    return User.objects.create_superuser("root", "root@example.id", "x")


@pytest.fixture
def su_client(client, superuser):
    client.force_login(superuser, backend="kinerja.auth.NipOrUsernameBackend")
    return client


def su_request(superuser):
    request = RequestFactory().get("/admin/")
    request.user = superuser
    return request


def post_data(model_admin, request, obj: Model | None, **overrides) -> dict:
    """What the admin's own form would post for `obj` (its current values), with `overrides`."""
    form = model_admin.get_form(request, obj, change=obj is not None)(instance=obj)
    data = {}
    for name, field in form.fields.items():
        value = form.initial.get(name, field.initial)
        if callable(value):
            value = value()
        if isinstance(value, FieldFile):
            continue  # no upload: the file stays as it is
        if isinstance(value, Model):
            value = value.pk
        elif isinstance(value, list | tuple):
            value = [v.pk if isinstance(v, Model) else v for v in value]
        elif isinstance(value, bool):
            if not value:
                continue
            value = "on"
        elif isinstance(value, datetime.datetime):  # Django's split date and time widget
            data[f"{name}_0"], data[f"{name}_1"] = value.date().isoformat(), value.strftime("%H:%M:%S")
            continue
        elif isinstance(value, datetime.date):
            value = value.isoformat()
        elif value is None:
            value = ""
        data[name] = value
    for name, value in overrides.items():
        if value is False:
            data.pop(name, None)
        else:
            data[name] = value
    return data


def errors(response):
    context = response.context or {}
    form = context.get("adminform")
    return form.form.errors if form else [str(m) for m in context.get("messages", [])]


# --- the cases: model → how to add, change and delete one through the admin --------------------------------


SERIAL = itertools.count(1)


def kode_output(org):
    return KodeOutput.objects.create(
        satker=org.kudus, tahun=2026, kode=f"9999.A{next(SERIAL)}", uraian="Kode uji", level=LevelKode.KRO
    )


def skala(org):
    return SkalaKategori.objects.create(satker=org.kudus, nama="Baik", minimum=Decimal(next(SERIAL)))


def mutu(org):
    taken = MutuBaku.objects.filter(satker=org.kudus).values("langkah")
    default = (
        MutuBaku.objects.filter(satker__isnull=True, sop="bontang")
        .exclude(langkah__in=taken)
        .order_by("-langkah")
        .first()
    )
    return MutuBaku.objects.create(
        satker=org.kudus, sop=default.sop, langkah=default.langkah, kegiatan=default.kegiatan, waktu=5
    )


def lone_user(org):
    return User.objects.create_user(f"tamu{next(SERIAL)}", "tamu@example.id", "x")


def group(org):
    return Group.objects.create(name=f"Admin satker {next(SERIAL)}")


def attempt(org):
    from axes.models import AccessAttempt

    return AccessAttempt.objects.create(
        username="x", ip_address="10.0.0.1", user_agent="t", failures_since_start=5, get_data="", post_data=""
    )


# each: (add: org → overrides or None, change: (org → obj, overrides) or None, delete: org → obj or None)
CASES = {
    "kinerja.Satker": (
        lambda org: {
            "nama": "KPU Kota Tegal",
            "kode": "tegal",
            "kota": "Tegal",
            "zona_waktu": "Asia/Jakarta",
        },
        (lambda org: org.kudus, {"telepon": "0291-123"}),
        None,
    ),
    "kinerja.Subbagian": (
        lambda org: {"satker": org.kudus.pk, "nama": "Subbagian Baru", "singkatan": "BARU", "kasubag": ""},
        (lambda org: org.hukum, {"nama": "Subbagian Hukum"}),
        lambda org: Subbagian.objects.create(satker=org.kudus, nama="Kosong", singkatan="KOSONG"),
    ),
    "kinerja.Pegawai": (None, (lambda org: org.colleague, {"jabatan": "Analis"}), None),
    "kinerja.PenjabatSementara": (
        lambda org: {
            "satker": org.kudus.pk,
            "subbagian": org.kul.pk,
            "pegawai": org.colleague.pk,
            "jenis": "Plh",
            "mulai": "2026-12-07",
            "selesai": "2026-12-11",
        },
        None,
        lambda org: PenjabatSementara.objects.create(
            satker=org.kudus,
            subbagian=org.kul,
            pegawai=org.colleague,
            mulai=D(2026, 12, 1),
            selesai=D(2026, 12, 2),
        ),
    ),
    "kinerja.KodeOutput": (
        lambda org: {
            "satker": org.kudus.pk,
            "tahun": 2026,
            "kode": "9998.BBB",
            "uraian": "Baru",
            "level": "kro",
        },
        (kode_output, {"uraian": "Kode uji diubah"}),
        kode_output,
    ),
    "kinerja.HariLibur": (
        lambda org: {
            "satker": org.kudus.pk,
            "tanggal": "2026-12-10",
            "nama": "Libur lokal",
            "jenis": "lokal",
        },
        (
            lambda org: HariLibur.objects.create(satker=org.kudus, tanggal=D(2026, 12, 11), nama="A"),
            {"nama": "B"},
        ),
        lambda org: HariLibur.objects.create(satker=org.kudus, tanggal=D(2026, 12, 14), nama="C"),
    ),
    "kinerja.Ketidakhadiran": (
        lambda org: {"pegawai": org.asn.pk, "jenis": "sakit", "mulai": "2026-12-01", "selesai": "2026-12-02"},
        None,
        lambda org: Ketidakhadiran.objects.create(
            pegawai=org.asn, jenis="izin", mulai=D(2026, 12, 3), selesai=D(2026, 12, 3)
        ),
    ),
    "kinerja.MutuBaku": (
        lambda org: {
            "satker": org.kudus.pk,
            "sop": "bontang",
            "langkah": MutuBaku.objects.filter(satker__isnull=True, sop="bontang")
            .order_by("langkah")[1]
            .langkah,
            "kegiatan": "Langkah sendiri",
            "waktu": 4,
            "satuan": "menit",
        },
        (mutu, {"waktu": 7}),
        mutu,
    ),
    "pengukuran.SkalaKategori": (
        lambda org: {"satker": org.kudus.pk, "nama": "Sangat baik", "minimum": "91"},
        (skala, {"nama": "Cukup baik"}),
        skala,
    ),
    "auth.User": (
        lambda org: {
            "username": "baru",
            "password1": "Sandi-panjang-2026",
            "password2": "Sandi-panjang-2026",
        },
        (lone_user, {"first_name": "Tamu"}),
        lone_user,
    ),
    "auth.Group": (
        lambda org: {"name": "Baru", "permissions": [Permission.objects.get(codename="view_harilibur").pk]},
        (group, {"name": "Admin satker Kudus"}),
        group,
    ),
    "axes.AccessAttempt": (None, None, attempt),
}


def test_every_registered_admin_declares_how_it_writes():
    undeclared = [label(m) for m, a in REGISTRY if getattr(a, "WRITES", None) not in (READ_ONLY, SERVICE)]
    assert undeclared == []
    service = {label(m) for m, a in REGISTRY if a.WRITES == SERVICE}
    assert service == set(CASES), "every service admin needs a case in this module (and only those)"


def test_the_counts_of_admin_paths():
    """The figures of the issue's note: of 32 registered ModelAdmins, 20 are read-only and 12 write only
    through services (on main before issue 13, 11 of them changed rows with a plain save and no audit row)."""
    read_only = [m for m, a in REGISTRY if a.WRITES == READ_ONLY]
    assert (len(REGISTRY), len(read_only), len(CASES)) == (32, 20, 12)


@pytest.mark.parametrize(
    ("model", "model_admin"), [r for r in REGISTRY if r[1].WRITES == READ_ONLY], ids=label
)
def test_a_read_only_admin_lets_nobody_add_change_or_delete(superuser, model, model_admin):
    request = su_request(superuser)
    assert not model_admin.has_add_permission(request)
    assert not model_admin.has_change_permission(request)
    assert not model_admin.has_delete_permission(request)
    assert not model_admin.has_change_permission(request, model())
    assert not model_admin.has_delete_permission(request, model())
    assert model_admin.get_actions(request) == {}
    for inline in model_admin.get_inline_instances(request):
        assert not inline.has_add_permission(request, None)
        assert not inline.has_change_permission(request)
        assert not inline.has_delete_permission(request)


@pytest.mark.parametrize("model", [m for m, a in REGISTRY if a.WRITES == READ_ONLY], ids=label)
def test_a_read_only_admin_answers_403_to_add(su_client, model):
    assert su_client.get(url(model, "add")).status_code == 403
    assert su_client.post(url(model, "add"), {}).status_code == 403


@pytest.mark.parametrize(("model", "model_admin"), [r for r in REGISTRY if r[1].WRITES == SERVICE], ids=label)
def test_a_service_admin_writes_only_through_its_service(org, superuser, su_client, model, model_admin):
    request = su_request(superuser)
    if isinstance(model_admin, ServiceAdmin):
        # the saves of the base class, which call the services, are not bypassed
        for name in ("save_model", "delete_model", "delete_queryset"):
            assert getattr(type(model_admin), name) is getattr(ServiceAdmin, name), name
    assert "delete_selected" not in model_admin.get_actions(request)
    add, change, delete = CASES[label(model)]

    assert model_admin.has_add_permission(request) == (add is not None)
    if add is not None:
        before = set(model.objects.values_list("pk", flat=True))
        data = post_data(model_admin, request, None, **add(org))
        response = su_client.post(url(model, "add"), data)
        assert response.status_code == 302, errors(response)
        [pk] = set(model.objects.values_list("pk", flat=True)) - before
        assert AuditLog.objects.filter(object_id=pk, content_type__model=model._meta.model_name).count() == 1

    assert model_admin.has_change_permission(request, model()) == (change is not None)
    if change is not None:
        make, overrides = change
        obj = make(org)
        data = post_data(model_admin, request, obj, **overrides)
        response = su_client.post(url(model, "change", obj.pk), data)
        assert response.status_code == 302, errors(response)
        obj.refresh_from_db()
        for name, value in overrides.items():
            assert str(getattr(obj, name)) == str(value)
        assert AuditLog.objects.filter(object_id=obj.pk, content_type__model=model._meta.model_name).exists()

    if delete is not None:
        obj = delete(org)
        assert model_admin.has_delete_permission(request, obj)
        response = su_client.post(url(model, "delete", obj.pk), {"post": "yes"})
        assert response.status_code == 302
        assert not model.objects.filter(pk=obj.pk).exists()
        assert AuditLog.objects.filter(object_id=obj.pk, content_type__model=model._meta.model_name).exists()
    else:
        assert not model_admin.has_delete_permission(request, model())


# --- the findings ------------------------------------------------------------------------------------------


@pytest.fixture
def final_july(org):
    return Periode.objects.create(satker=org.kudus, tahun=2026, bulan=7, tahap=TahapPeriode.FINAL)


def messages_of(response) -> str:
    return " ".join(str(m) for m in response.context["messages"]) if response.context else ""


def test_a_holiday_inside_a_final_month_is_refused_in_the_admin(org, final_july, su_client):
    data = {"satker": org.kudus.pk, "tanggal": "2026-07-15", "nama": "Libur", "jenis": "lokal"}
    response = su_client.post(url(HariLibur, "add"), data, follow=True)
    assert "Juli 2026 (Final)" in messages_of(response)
    assert not HariLibur.objects.exists() and not AuditLog.objects.exists()


def test_deleting_a_holiday_of_a_final_month_is_refused_in_the_admin(org, final_july, su_client):
    libur = HariLibur.objects.create(satker=org.kudus, tanggal=D(2026, 7, 15), nama="Libur")
    response = su_client.post(url(HariLibur, "delete", libur.pk), {"post": "yes"}, follow=True)
    assert "Juli 2026 (Final)" in messages_of(response)
    assert HariLibur.objects.filter(pk=libur.pk).exists() and not AuditLog.objects.exists()


def test_a_leave_inside_a_final_month_is_refused_in_the_admin(org, final_july, su_client):
    data = {"pegawai": org.asn.pk, "jenis": "sakit", "mulai": "2026-07-14", "selesai": "2026-07-15"}
    response = su_client.post(url(Ketidakhadiran, "add"), data, follow=True)
    assert "Juli 2026 (Final)" in messages_of(response)
    assert not Ketidakhadiran.objects.exists() and not AuditLog.objects.exists()


def test_deleting_a_leave_of_a_final_month_is_refused_in_the_admin(org, final_july, su_client):
    row = Ketidakhadiran.objects.create(
        pegawai=org.asn, jenis="sakit", mulai=D(2026, 7, 14), selesai=D(2026, 7, 14)
    )
    su_client.post(url(Ketidakhadiran, "delete", row.pk), {"post": "yes"})
    assert Ketidakhadiran.objects.filter(pk=row.pk).exists() and not AuditLog.objects.exists()


def test_a_400_day_acting_appointment_is_refused_in_the_admin(org, su_client):
    data = {
        "satker": org.kudus.pk,
        "subbagian": org.kul.pk,
        "pegawai": org.colleague.pk,
        "jenis": JenisPenjabat.PLT,
        "mulai": "2026-01-01",
        "selesai": str(D(2026, 1, 1) + datetime.timedelta(days=399)),
    }
    response = su_client.post(url(PenjabatSementara, "add"), data, follow=True)
    assert "Rentang 400 hari terlalu panjang untuk Plt (paling lama 92 hari)" in messages_of(response)
    assert not PenjabatSementara.objects.exists() and not AuditLog.objects.exists()


@pytest.mark.parametrize("view", ["delete", "change"])
def test_a_final_months_periode_cannot_be_deleted_or_changed(org, final_july, su_client, view):
    data = (
        {"post": "yes"}
        if view == "delete"
        else {"satker": org.kudus.pk, "tahun": 2025, "bulan": 7, "tahap": "OPEN"}
    )
    assert su_client.post(url(Periode, view, final_july.pk), data).status_code == 403
    final_july.refresh_from_db()
    assert (final_july.tahun, final_july.bulan, final_july.tahap) == (2026, 7, TahapPeriode.FINAL)


# --- a satker's own staff account ----------------------------------------------------------------------------


@pytest.fixture
def kudus_staff(org, client):
    """Kudus's Admin with a staff account and every model permission of the core."""
    user = org.admin.user
    user.is_staff = True
    user.save()
    user.user_permissions.set(Permission.objects.filter(content_type__app_label="kinerja"))
    client.force_login(user, backend="kinerja.auth.NipOrUsernameBackend")
    return client


def test_kudus_staff_cannot_open_bontangs_satker(org, kudus_staff):
    response = kudus_staff.get(url(Satker, "change", org.bontang.pk))
    assert response.status_code == 302 and response.url == reverse("admin:index")
    assert kudus_staff.get(url(Satker, "change", org.kudus.pk)).status_code == 200
    assert list(kudus_staff.get(url(Satker, "changelist")).context["cl"].queryset) == [org.kudus]


def test_kudus_staff_cannot_create_a_holiday_in_bontang(org, kudus_staff):
    data = {"satker": org.bontang.pk, "tanggal": "2026-12-10", "nama": "Libur", "jenis": "lokal"}
    response = kudus_staff.post(url(HariLibur, "add"), data)
    assert response.status_code == 200  # the form again: Bontang is not among its choices
    assert "satker" in response.context["adminform"].form.errors
    assert not HariLibur.objects.exists() and not AuditLog.objects.exists()


def test_kudus_staff_cannot_create_a_subbagian_in_bontang(org, kudus_staff):
    data = {"satker": org.bontang.pk, "nama": "Umum", "singkatan": "UMUM", "urutan": 0}
    response = kudus_staff.post(url(Subbagian, "add"), data)
    assert response.status_code == 200
    assert "satker" in response.context["adminform"].form.errors
    assert not Subbagian.objects.filter(satker=org.bontang).exists()


def test_kudus_staff_sees_only_kudus_choices(org, kudus_staff):
    form = kudus_staff.get(url(Subbagian, "add")).context["adminform"].form
    assert list(form.fields["satker"].queryset) == [org.kudus]
    form = kudus_staff.get(url(Ketidakhadiran, "add")).context["adminform"].form
    assert org.outsider not in form.fields["pegawai"].queryset and org.asn in form.fields["pegawai"].queryset


def test_kudus_staff_creates_a_kudus_holiday_through_the_service(org, kudus_staff):
    data = {"satker": org.kudus.pk, "tanggal": "2026-12-10", "nama": "Hari Jadi", "jenis": "lokal"}
    assert kudus_staff.post(url(HariLibur, "add"), data).status_code == 302
    libur = HariLibur.objects.get()
    log = AuditLog.objects.get(action="hari_libur_tambah")
    assert (log.object_id, log.actor, log.satker) == (libur.pk, org.admin.user, org.kudus)


def test_kudus_staff_cannot_make_itself_superuser(org, kudus_staff):
    user = org.admin.user
    user.user_permissions.add(*Permission.objects.filter(content_type__app_label="auth"))
    request = su_request(user)
    model_admin = admin.site._registry[User]
    data = post_data(model_admin, request, user, is_superuser="on")
    kudus_staff.post(url(User, "change", user.pk), data)
    user.refresh_from_db()
    assert not user.is_superuser


def test_a_bontang_person_is_not_moved_into_kudus_subbagian(org, su_client):
    pegawai = make_pegawai(org.bontang, nama="Orang Bontang")
    request_admin = admin.site._registry[Pegawai]
    data = post_data(
        request_admin, su_request(User.objects.get(username="root")), pegawai, subbagian=org.kul.pk
    )
    response = su_client.post(url(Pegawai, "change", pegawai.pk), data)
    assert response.status_code == 200
    assert "Subbagian harus dari satker yang sama." in str(response.context["adminform"].form.errors)
    pegawai.refresh_from_db()
    assert pegawai.subbagian is None and not AuditLog.objects.exists()


def test_kudus_staff_cannot_take_over_a_superusers_account(org, kudus_staff):
    org.admin.user.user_permissions.add(*Permission.objects.filter(content_type__app_label="auth"))
    root = org.sekretaris.user
    root.is_superuser = root.is_staff = True
    root.save()
    password = root.password
    data = {"password1": "Sandi-baru-panjang-2026", "password2": "Sandi-baru-panjang-2026"}
    kudus_staff.post(reverse("admin:auth_user_password_change", args=[root.pk]), data)
    kudus_staff.post(
        url(User, "change", root.pk),
        {**post_data(admin.site._registry[User], su_request(root), root), "first_name": "X"},
    )
    root.refresh_from_db()
    assert (root.password, root.first_name) == (password, "")
    assert not AuditLog.objects.exists()


def test_a_superuser_sets_a_password_in_the_admin_with_an_audit_row(org, su_client):
    user = org.asn.user
    data = {"password1": "Sandi-baru-panjang-2026", "password2": "Sandi-baru-panjang-2026"}
    assert su_client.post(reverse("admin:auth_user_password_change", args=[user.pk]), data).status_code == 302
    user.refresh_from_db()
    assert user.check_password("Sandi-baru-panjang-2026")
    log = AuditLog.objects.get(action="akun_ganti_sandi_admin")
    assert (log.object_id, log.satker, log.actor.username) == (user.pk, org.kudus, "root")
