"""PDF documents with WeasyPrint over a Django template, with no network and no file outside static/.

A document template may use the project's own static files (by a path relative to static/) and `data:`
URIs; every other URL (http, https, ftp, a file anywhere else on the disk) is refused, so text that users
typed into a document can never make the server fetch something.
"""

import base64
import io
import logging
import mimetypes
from collections.abc import Iterable
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit
from urllib.request import url2pathname

from django.conf import settings
from django.template.loader import render_to_string
from django.utils.safestring import SafeString, mark_safe
from PIL import ImageFile
from pypdf import PdfReader, PdfWriter

# Importing WeasyPrint sets Pillow's process-wide ImageFile.LOAD_TRUNCATED_IMAGES to True, which would let
# damaged evidence photos through kinerja/evidence.py's checks in every process that can render a document.
# Put the flag back as it was; WeasyPrint only needs it for broken images in documents, which we do not have.
_load_truncated = ImageFile.LOAD_TRUNCATED_IMAGES
import weasyprint  # noqa: E402
from weasyprint.urls import URLFetcher, URLFetcherResponse  # noqa: E402

ImageFile.LOAD_TRUNCATED_IMAGES = _load_truncated

logger = logging.getLogger(__name__)

IMAGE_SIGNATURES = {
    b"\x89PNG\r\n\x1a\n": "image/png",
    b"\xff\xd8\xff": "image/jpeg",
    b"GIF87a": "image/gif",
    b"GIF89a": "image/gif",
}


def static_root() -> Path:
    return (Path(settings.BASE_DIR) / "static").resolve()


class LocalOnlyFetcher(URLFetcher):
    """Serve `data:` URIs and files under one folder; refuse everything else."""

    def __init__(self, root: Path):
        super().__init__(allowed_protocols=("data", "file"), allow_redirects=False)
        self.root = root.resolve()

    def fetch(self, url: str, headers=None) -> URLFetcherResponse:
        scheme = url.split(":", 1)[0].lower()
        if scheme == "data":
            return super().fetch(url, headers)
        if scheme == "file":
            path = Path(url2pathname(urlsplit(url).path)).resolve()
            if path.is_relative_to(self.root) and path.is_file():
                content_type = mimetypes.guess_type(path.name)[0] or "application/octet-stream"
                return URLFetcherResponse(url, path.read_bytes(), {"Content-Type": content_type})
        logger.warning("PDF rendering refused to fetch %s", url[:200])
        raise ValueError(f"URL not allowed in documents: {url[:200]}")


def _html(template_name: str, context: dict[str, Any]) -> weasyprint.HTML:
    root = static_root()
    return weasyprint.HTML(
        string=render_to_string(template_name, context),
        base_url=root.as_uri() + "/",
        url_fetcher=LocalOnlyFetcher(root),
    )


def render_pdf(template_name: str, context: dict[str, Any]) -> bytes:
    return _html(template_name, context).write_pdf()


def render_pdf_parts(template_name: str, parts: Iterable[dict[str, Any]]) -> bytes:
    """A long document laid out part by part and bound into one PDF.

    WeasyPrint holds the whole layout of a document until it is written: a compiled month of ~2,700 rows in
    one layout peaks near 500 MB. Laid out in parts of a few hundred rows, each written and let go before the
    next, the peak is one part's. Each part starts on a new page and continues the page numbers (the template
    gets `first_page`); the total is not known while a part is laid out, so its pages say "Halaman n" only.
    The PDF keeps the first part's metadata and every part's outline (bookmarks).
    """
    writer = PdfWriter()
    first_page = 1
    for context in parts:
        rendered = _html(template_name, {**context, "first_page": first_page}).render()
        first_page += len(rendered.pages)
        reader = PdfReader(io.BytesIO(rendered.write_pdf()))
        del rendered
        if not writer.pages and reader.metadata:
            writer.add_metadata(dict(reader.metadata))
        writer.append(reader)
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def image_data_uri(fieldfile) -> str:
    """An uploaded image (e.g. the satker logo) as a data: URI, or "" when there is none or it is unreadable.

    Only PNG, JPEG, GIF and WebP, known by their first bytes: what WeasyPrint draws without surprises."""
    if not fieldfile:
        return ""
    try:
        with fieldfile.open("rb") as handle:
            data = handle.read()
    except (OSError, ValueError):
        logger.warning("Image %s could not be read for a document", fieldfile.name)
        return ""
    content_type = next((ct for sig, ct in IMAGE_SIGNATURES.items() if data.startswith(sig)), "")
    if not content_type and data[:4] == b"RIFF" and data[8:12] == b"WEBP":
        content_type = "image/webp"
    if not content_type:
        return ""
    return f"data:{content_type};base64,{base64.b64encode(data).decode('ascii')}"


def css_string(text: str) -> SafeString:
    """Text as a quoted CSS string (for @page margin boxes) that none of its characters can end or escape:
    everything but letters, digits and spaces is written as a CSS hex escape, ended by the one space that
    CSS consumes after an escape."""
    return mark_safe(
        '"' + "".join(ch if ch.isalnum() or ch == " " else f"\\{ord(ch):x} " for ch in text) + '"'
    )
