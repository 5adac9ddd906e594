"""The request log: one JSON line per request with who and how long; never a password, a token or a file."""

import json

import pytest
from django.test import Client
from django.urls import reverse

from silabu.lib.jsonlog import JsonFormatter
from silabu.ops.requestlog import scrub_path, scrub_query
from tests.conftest import PASSWORD


def lines(records) -> list[dict]:
    formatter = JsonFormatter()
    return [json.loads(formatter.format(r)) for r in records]


def test_a_signed_in_request_is_one_json_line_with_satker_and_user(org, login, request_log):
    login(org.asn).get(reverse("kinerja:entri_list") + "?page=2&q=Ani+Lestari")
    [line] = lines(request_log)
    assert set(line) == {
        "ts", "level", "logger", "msg", "method", "path", "query", "status", "duration_ms", "view",
        "satker_id", "user_id",
    }  # fmt: skip
    assert line["method"] == "GET" and line["path"] == "/kinerja/entri/" and line["status"] == 200
    assert line["query"] == "page=2&q=-"  # a search term may be a name: scrubbed
    assert line["satker_id"] == org.kudus.pk and line["user_id"] == org.asn.user.pk
    assert line["view"] == "kinerja:entri_list"
    assert isinstance(line["duration_ms"], float) and line["duration_ms"] >= 0
    assert line["logger"] == "silabu.request" and line["level"] == "info"


def test_the_sign_in_post_never_logs_the_password_or_the_csrf_token(org, request_log):
    client = Client(enforce_csrf_checks=True)
    client.get(reverse("login"))
    token = client.cookies["csrftoken"].value
    response = client.post(
        reverse("login") + "?next=/kinerja/entri/",
        {"username": org.asn.nip, "password": PASSWORD, "csrfmiddlewaretoken": token},
    )
    assert response.status_code == 302
    formatted = "\n".join(JsonFormatter().format(r) for r in request_log)
    assert PASSWORD not in formatted and token not in formatted and org.asn.nip not in formatted
    post = lines(request_log)[-1]
    assert post["method"] == "POST" and post["status"] == 302 and post["query"] == "next=-"
    assert post["user_id"] == org.asn.user.pk  # signed in by the end of the request


def test_an_anonymous_request_and_a_static_file_have_no_user(db, request_log):
    Client().get("/healthz")
    [line] = lines(request_log)
    assert line["user_id"] is None and line["satker_id"] is None and line["status"] == 200


def test_evidence_bytes_never_reach_the_log(org, login, photo_entry, request_log):
    request_log.clear()
    response = login(org.asn).get(reverse("kinerja:bukti_file", args=[photo_entry.pk]))
    content = b"".join(response.streaming_content)
    [line] = lines(request_log)
    assert line["status"] == 200 and line["path"] == f"/kinerja/bukti/{photo_entry.pk}/"
    assert len(JsonFormatter().format(request_log[0])) < 500 < len(content)


def test_a_server_error_is_logged_as_an_error(org, login, request_log, monkeypatch):
    from kinerja.views import months

    def boom(*args, **kwargs):
        raise RuntimeError("x")

    monkeypatch.setattr(months, "render", boom)
    client = login(org.asn)
    client.raise_request_exception = False
    response = client.get(reverse("kinerja:bulan_saya_now"))
    assert response.status_code == 500
    assert lines(request_log)[-1]["level"] == "error" and lines(request_log)[-1]["status"] == 500


@pytest.mark.parametrize(
    ("path", "expected"),
    [
        ("/kinerja/bukti/123/", "/kinerja/bukti/123/"),
        ("/v/k7Qz0pX3mN9rT2wY5bC8dF1gH4jL6sV0/", "/v/:token/"),
        ("/reset/MQ/c8a9f1-4b2e7d9a0c3f5e8b1d4a7c0e/", "/reset/MQ/:token/"),
        ("/kinerja/kode-output/impor/", "/kinerja/kode-output/impor/"),
        (
            "/rekap/2026/7/bahan-rapat-pleno-laporan-bulanan/",
            "/rekap/2026/7/bahan-rapat-pleno-laporan-bulanan/",
        ),
    ],
)
def test_token_like_path_segments_are_scrubbed(path, expected):
    assert scrub_path(path) == expected


def test_query_values_are_kept_only_for_navigation_parameters():
    from django.http import QueryDict

    query = QueryDict("page=3&tahun=2026&token=abc&password=hunter2&q=Ani&bulan=7&page=<script>")
    assert scrub_query(query) == "page=3&page=-&tahun=2026&token=-&password=-&q=-&bulan=7"
