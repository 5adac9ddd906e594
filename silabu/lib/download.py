"""File names for Content-Disposition: what a download is saved as, never a way to break the header."""

import unicodedata


def safe_filename(name: str, fallback: str = "berkas") -> str:
    """The last path part of `name` without control or format characters (no CR/LF to split a header, no bidi
    override to disguise an extension), at most 150 characters, or `fallback` when nothing is left. Django's
    FileResponse then quotes it (filename="..."), or encodes it (filename*=UTF-8''...) when it is not ASCII."""
    name = unicodedata.normalize("NFC", name or "").replace("\\", "/").rsplit("/", 1)[-1]
    name = "".join(ch for ch in name if unicodedata.category(ch)[0] not in ("C", "Z") or ch == " ").strip(
        " ."
    )
    if not name:
        return fallback
    if len(name) > 150:
        stem, dot, ext = name.rpartition(".")
        name = (stem[: 150 - len(ext) - 1] + "." + ext) if dot and 0 < len(ext) <= 16 else name[:150]
    return name
