"""Signing in through the real login form, and the navigation a person reaches afterwards."""

import pytest


@pytest.mark.parametrize("viewport", ["phone", "desktop"], indirect=True)
def test_login_form_signs_in(page, demo, login, shot):
    page.goto("/masuk/")
    shot(page, "masuk")
    login(page, demo.asn)
    assert page.get_by_role("heading", name="Halo, Ani Lestari").is_visible()
    shot(page, "beranda")


@pytest.mark.xfail(
    strict=True,
    reason="BUG: without JavaScript the phone's 'Menu' button (Bootstrap collapse) does nothing, so every "
    "navigation link stays hidden on a phone",
)
@pytest.mark.parametrize("javascript", [False], indirect=True)
@pytest.mark.parametrize("viewport", ["phone"], indirect=True)
def test_phone_menu_opens_without_javascript(page, demo, login):
    login(page, demo.asn)
    page.get_by_role("button", name="Menu").click()
    assert page.locator("nav.navbar").get_by_role("link", name="Bulan saya", exact=True).is_visible()
