"""Signing in with a NIP, throttling, password change and the forced change after an Admin reset."""

import pytest
from django.urls import reverse

from kinerja import services
from kinerja.errors import DomainError
from kinerja.models import AuditLog
from tests.conftest import PASSWORD


def test_asn_signs_in_with_nip_even_with_spaces(org, client):
    n = org.asn.nip
    spaced = f"{n[:8]} {n[8:14]} {n[14]} {n[15:]}"
    response = client.post(reverse("login"), {"username": spaced, "password": PASSWORD})
    assert response.status_code == 302 and response["Location"] == reverse("home")
    assert client.get(reverse("home")).context["pegawai"] == org.asn


def test_pimpinan_signs_in_with_username(org, client):
    response = client.post(reverse("login"), {"username": org.pimpinan.user.username, "password": PASSWORD})
    assert response.status_code == 302


def test_wrong_password_is_refused_with_a_message(org, client):
    response = client.post(reverse("login"), {"username": org.asn.nip, "password": "salah"})
    assert response.status_code == 200
    assert "NIP/nama pengguna atau kata sandi salah" in response.content.decode()


def test_inactive_user_cannot_sign_in(org, client):
    org.asn.user.is_active = False
    org.asn.user.save()
    response = client.post(reverse("login"), {"username": org.asn.nip, "password": PASSWORD})
    assert response.status_code == 200 and "_auth_user_id" not in client.session


def test_repeated_failures_lock_the_account_even_with_the_right_password(org, client, settings):
    for _ in range(settings.AXES_FAILURE_LIMIT):
        client.post(reverse("login"), {"username": org.asn.nip, "password": "salah"})
    response = client.post(reverse("login"), {"username": org.asn.nip, "password": PASSWORD})
    assert response.status_code == 429
    assert "Terlalu banyak percobaan" in response.content.decode()
    assert "_auth_user_id" not in client.session


def test_password_change(org, login):
    client = login(org.asn)
    response = client.post(
        reverse("password_change"),
        {"old_password": PASSWORD, "new_password1": "Kudus-Baru-2026!", "new_password2": "Kudus-Baru-2026!"},
    )
    assert response.status_code == 302
    org.asn.user.refresh_from_db()
    assert org.asn.user.check_password("Kudus-Baru-2026!")


def test_temporary_password_forces_a_change_first(org, login):
    org.asn.wajib_ganti_sandi = True
    org.asn.save()
    client = login(org.asn)
    response = client.get(reverse("kinerja:entri_create"))
    assert response.status_code == 302 and response["Location"] == reverse("password_change")
    client.post(
        reverse("password_change"),
        {"old_password": PASSWORD, "new_password1": "Kudus-Baru-2026!", "new_password2": "Kudus-Baru-2026!"},
    )
    org.asn.refresh_from_db()
    assert not org.asn.wajib_ganti_sandi
    assert client.get(reverse("kinerja:entri_create")).status_code == 200


def test_a_password_change_is_audited_and_says_whether_it_was_required(org, login):
    org.colleague.wajib_ganti_sandi = True
    org.colleague.save()
    for pegawai in (org.asn, org.colleague):
        login(pegawai).post(
            reverse("password_change"),
            {
                "old_password": PASSWORD,
                "new_password1": "Kudus-Baru-2026!",
                "new_password2": "Kudus-Baru-2026!",
            },
        )
    rows = AuditLog.objects.filter(action="pegawai_ganti_sandi").order_by("pk")
    assert list(rows.values_list("object_id", "actor", "catatan", "satker")) == [
        (org.asn.pk, org.asn.user.pk, "", org.kudus.pk),
        (org.colleague.pk, org.colleague.user.pk, "Penggantian kata sandi yang diwajibkan", org.kudus.pk),
    ]


def test_nobody_finishes_another_persons_password_change(org):
    org.asn.wajib_ganti_sandi = True
    org.asn.save()
    with pytest.raises(DomainError):
        services.pegawai_finish_password_change(pegawai=org.asn, by=org.admin)
    org.asn.refresh_from_db()
    assert org.asn.wajib_ganti_sandi
    assert not AuditLog.objects.exists()


def test_temporary_password_still_lets_the_browser_fetch_the_app_shell(org, login):
    org.asn.wajib_ganti_sandi = True
    org.asn.save()
    client = login(org.asn)
    for name in ("service_worker", "manifest", "offline"):
        assert client.get(reverse(name)).status_code == 200, name
    assert client.get(reverse("home"))["Location"] == reverse("password_change")


def test_logout_is_post_only(org, login):
    client = login(org.asn)
    assert client.get(reverse("logout")).status_code == 405
    assert client.post(reverse("logout")).status_code == 302
    assert "_auth_user_id" not in client.session


@pytest.mark.parametrize(
    "url",
    [
        "home",
        "kinerja:entri_list",
        "kinerja:entri_create",
        "kinerja:bulan_saya_now",
        "kinerja:kode_output_search",
    ],
)
def test_anonymous_is_sent_to_login(client, url):
    response = client.get(reverse(url))
    assert response.status_code == 302 and response["Location"].startswith(reverse("login"))


def _spellings(nip: str) -> list[str]:
    """The ways people (and a guesser) write one NIP: as printed, with dots, dashes, odd spacing."""
    return [
        f"{nip[:8]} {nip[8:14]} {nip[14]} {nip[15:]}",
        f"{nip[:8]}.{nip[8:14]}.{nip[14]}.{nip[15:]}",
        f"{nip[:8]}-{nip[8:14]}-{nip[14]}-{nip[15:]}",
        f" {nip} ",
        " ".join(nip),
        f"{nip[:8]}\t{nip[8:]}",
    ]


def test_a_nip_locked_out_stays_locked_under_every_spelling(org, client, settings):
    """The lockout keys the account's NIP, not the characters typed: respelling it neither earns more guesses
    nor signs in with the right password while the NIP is locked."""
    nip = org.asn.nip
    for _ in range(settings.AXES_FAILURE_LIMIT):
        client.post(reverse("login"), {"username": nip, "password": "salah"})
    assert client.post(reverse("login"), {"username": nip, "password": PASSWORD}).status_code == 429
    for spelling in _spellings(nip):
        wrong = client.post(reverse("login"), {"username": spelling, "password": "salah"})
        assert wrong.status_code == 429, spelling
        right = client.post(reverse("login"), {"username": spelling, "password": PASSWORD})
        assert right.status_code == 429, spelling
        assert "_auth_user_id" not in client.session, spelling


def test_failures_under_different_spellings_add_up_to_one_lockout(org, client, settings):
    nip = org.asn.nip
    spellings = _spellings(nip)
    for i in range(settings.AXES_FAILURE_LIMIT):
        client.post(reverse("login"), {"username": spellings[i % len(spellings)], "password": "salah"})
    assert client.post(reverse("login"), {"username": nip, "password": PASSWORD}).status_code == 429


def test_username_and_nip_of_one_account_share_one_lockout(org, client, settings):
    """An account whose username is not its NIP: guesses by username count against the NIP, and back."""
    user = org.colleague.user
    user.username = "budi.santoso"
    user.save(update_fields=["username"])
    for _ in range(settings.AXES_FAILURE_LIMIT):
        client.post(reverse("login"), {"username": "budi.santoso", "password": "salah"})
    assert (
        client.post(reverse("login"), {"username": org.colleague.nip, "password": PASSWORD}).status_code
        == 429
    )


def test_a_successful_sign_in_by_any_spelling_clears_the_earlier_failures(org, client, settings):
    nip = org.asn.nip
    for _ in range(settings.AXES_FAILURE_LIMIT - 1):
        client.post(reverse("login"), {"username": nip, "password": "salah"})
    spaced = _spellings(nip)[0]
    assert client.post(reverse("login"), {"username": spaced, "password": PASSWORD}).status_code == 302
    client.post(reverse("logout"))
    for _ in range(settings.AXES_FAILURE_LIMIT - 1):
        client.post(reverse("login"), {"username": nip, "password": "salah"})
    assert client.post(reverse("login"), {"username": nip, "password": PASSWORD}).status_code == 302


def test_an_admin_reset_lifts_the_lockout_of_an_account_whose_username_is_not_its_nip(
    org, client, settings, django_capture_on_commit_callbacks
):
    from kinerja.accounts import pegawai_reset_password

    user = org.colleague.user
    user.username = "budi.santoso"
    user.save(update_fields=["username"])
    for _ in range(settings.AXES_FAILURE_LIMIT):
        client.post(reverse("login"), {"username": org.colleague.nip, "password": "salah"})
    with django_capture_on_commit_callbacks(execute=True):
        password = pegawai_reset_password(target=org.colleague, by=org.admin)
    response = client.post(reverse("login"), {"username": org.colleague.nip, "password": password})
    assert response.status_code == 302
