"""The policy's registry: the later apps add their rules and their documents' viewers to the core's policy from
their AppConfig.ready(), so that templates ({% can "name" %}) find every rule and the core knows no app above it."""

import re
from pathlib import Path

import pytest
from django.conf import settings
from django.core.exceptions import ImproperlyConfigured

from kinerja import document_store as docs
from kinerja.models import Dokumen
from rekap import policy as rekap_policy
from silabu import policy
from verifikasi import policy as verifikasi_policy

CAN_TAG = re.compile(r"""{%\s*can\s+["']([a-z_]+)["']""")

# The measurement's documents are still decided in the core's measurement section until it moves to
# rekap/pengukuran/policy.py (issue 11); then they are registered like the others and this set can go.
NOT_YET_REGISTERED = {
    "pengukuran_form",
    "pengukuran_kertas_kerja",
    "pengukuran_laporan",
    "pengukuran_disposisi",
}


def names_templates_ask() -> dict[str, list[str]]:
    found: dict[str, list[str]] = {}
    for folder in settings.TEMPLATES[0]["DIRS"]:
        for path in sorted(Path(folder).rglob("*.html")):
            for name in CAN_TAG.findall(path.read_text()):
                found.setdefault(name, []).append(str(path.relative_to(folder)))
    return found


def test_every_rule_a_template_asks_for_is_registered():
    asked = names_templates_ask()
    # the scan sees the nav's rules, one per app, so it cannot pass by finding nothing
    assert {"create_entri", "verification_queue", "view_rekap", "use_pengukuran"} <= set(asked)
    missing = {name: where for name, where in asked.items() if name not in policy.PERMISSIONS}
    assert missing == {}


@pytest.mark.parametrize(
    ("name", "check"),
    [
        ("verify", verifikasi_policy.can_verify),
        ("view_laporan", verifikasi_policy.can_view_laporan),
        ("reopen_laporan", verifikasi_policy.can_reopen_laporan),
        ("verification_queue", verifikasi_policy.can_use_verification_queue),
        ("download_softfile_pegawai", verifikasi_policy.can_download_softfile_pegawai),
        ("download_softfile_subbagian", verifikasi_policy.can_download_softfile_subbagian),
        ("view_rekap", rekap_policy.can_view_rekap),
        ("manage_rekap", rekap_policy.can_manage_rekap),
    ],
)
def test_the_later_apps_register_their_rules_under_their_names(name, check):
    assert policy.PERMISSIONS[name] is check


def test_every_kind_of_generated_document_says_who_may_view_it():
    assert set(docs.GENERATORS) - set(policy.DOCUMENT_VIEWERS) <= NOT_YET_REGISTERED
    assert policy.DOCUMENT_VIEWERS["softfile_pegawai"] is verifikasi_policy.can_view_softfile_pegawai
    for jenis in rekap_policy.REKAP_DOCUMENTS:
        assert policy.DOCUMENT_VIEWERS[jenis] is rekap_policy.can_view_rekap_dokumen


def test_a_name_registered_twice_is_refused():
    with pytest.raises(ImproperlyConfigured, match="'view_rekap' is registered twice"):
        policy.rule("view_rekap")(lambda user: True)
    with pytest.raises(ImproperlyConfigured, match="'softfile_pegawai' is registered twice"):
        policy.document_rule("softfile_pegawai")(lambda user, dokumen: True)
    # registering the same function again (a module imported twice) is harmless
    assert policy.rule("view_rekap")(rekap_policy.can_view_rekap) is rekap_policy.can_view_rekap


def test_a_document_is_viewed_by_its_kinds_rule_within_the_satker_only(org, monkeypatch):
    asked = []

    def rule(user, dokumen):
        asked.append((user, dokumen.jenis))
        return True

    monkeypatch.setitem(policy.DOCUMENT_VIEWERS, "uji", rule)
    own = Dokumen(satker=org.kudus, jenis="uji", params={})
    assert policy.can_view_dokumen(org.asn.user, own) is True
    assert asked == [(org.asn.user, "uji")]
    # another satker's document never reaches the rule; a kind nobody registered is nobody's
    assert policy.can_view_dokumen(org.outsider.user, own) is False
    assert (
        policy.can_view_dokumen(org.sekretaris.user, Dokumen(satker=org.kudus, jenis="lain", params={}))
        is False
    )
    assert asked == [(org.asn.user, "uji")]
