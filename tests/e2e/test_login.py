"""Signing in through the real login form, and the navigation a person reaches afterwards."""

import pytest


@pytest.mark.parametrize("viewport", ["phone", "desktop"], indirect=True)
def test_login_form_signs_in(page, demo, login, shot):
    page.goto("/masuk/")
    shot(page, "masuk")
    login(page, demo.asn)
    assert page.get_by_role("heading", name="Halo, Ani Lestari").is_visible()
    shot(page, "beranda")


@pytest.mark.parametrize("javascript", [False], indirect=True)
@pytest.mark.parametrize("viewport", ["phone"], indirect=True)
def test_phone_menu_is_open_without_javascript(page, demo, login):
    """Without JavaScript the Bootstrap collapse cannot open, so the menu is shown open and its button hidden."""
    login(page, demo.asn)
    assert not page.get_by_role("button", name="Menu").is_visible()
    assert page.locator("nav.navbar").get_by_role("link", name="Bulan saya", exact=True).is_visible()


@pytest.mark.parametrize("viewport", ["phone"], indirect=True)
def test_phone_menu_opens_with_its_button(page, demo, login):
    login(page, demo.asn)
    link = page.locator("nav.navbar").get_by_role("link", name="Bulan saya", exact=True)
    assert not link.is_visible()
    page.get_by_role("button", name="Menu").click()
    link.wait_for(state="visible")
