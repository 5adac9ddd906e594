"""The Content-Security-Policy in a real browser: nothing inline runs, and the journeys' violation check works."""

import pytest


@pytest.mark.parametrize("viewport", ["phone"], indirect=True)
def test_inline_code_is_refused_and_the_refusal_is_caught(page, demo, login):
    login(page, demo.asn)
    page.evaluate(
        """() => {
            const div = document.createElement("div");
            div.innerHTML = '<p id="inline" style="color: rgb(255, 0, 0)">x</p><img src="x" onerror="window.ran = 1">';
            document.body.appendChild(div);
        }"""
    )
    page.wait_for_timeout(300)
    assert page.evaluate("getComputedStyle(document.getElementById('inline')).color") != "rgb(255, 0, 0)"
    assert page.evaluate("window.ran") is None
    assert any("inline style" in v for v in page.csp_violations), page.csp_violations
    assert any("inline event handler" in v or "script-src" in v for v in page.csp_violations)
    page.csp_violations.clear()  # caught on purpose: the fixture's own check must not fail this test


@pytest.mark.parametrize("viewport", ["desktop"], indirect=True)
def test_htmx_and_bootstrap_work_under_the_policy(page, demo, login):
    """htmx (with its indicator styles and eval off) swaps the output-code options as one types."""
    login(page, demo.asn)
    page.goto("/kinerja/entri/tambah/")
    assert page.evaluate("typeof htmx") == "object"
    assert page.evaluate("htmx.config.allowEval") is False
    assert page.evaluate("htmx.config.includeIndicatorStyles") is False
    # settling a swap must not copy a style attribute: Bootstrap leaves style="" on what it animated
    assert "style" not in page.evaluate("htmx.config.attributesToSettle")
    assert page.locator("head style").count() == 0  # htmx added no <style> of its own
    options = page.locator("#id_kode_output option")
    before = options.count()
    with page.expect_response(lambda r: "kode-output" in r.url and r.status == 200):
        page.get_by_label("Cari kode output").fill("zzz-tidak-ada")
    page.wait_for_function(f"document.querySelectorAll('#id_kode_output option').length < {before}")
    assert options.count() < before
