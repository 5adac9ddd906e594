"""The demo offices' organisation as data: subbagian, people and their posts (one JSON file per satker)."""

import json
from functools import cache
from pathlib import Path


def _rows(rows: list) -> list[tuple]:
    return [tuple(row) for row in rows]


@cache
def organisation(satker: str) -> dict:
    """A demo satker's organisation ("kudus", "bontang"): `subbagian` [(short, name, is Rendatin)], `staff`
    {short: [(nama, jabatan, golongan)], the Kasubag first}, and for Bontang `sekretaris` (nama, jabatan,
    golongan) and `pimpinan` [(jabatan, username, nama)]."""
    raw = json.loads(Path(__file__).with_name(f"{satker}.json").read_text(encoding="utf-8"))
    org = {
        "subbagian": _rows(raw["subbagian"]),
        "staff": {short: _rows(people) for short, people in raw["staff"].items()},
    }
    if "sekretaris" in raw:
        org["sekretaris"] = tuple(raw["sekretaris"])
    if "pimpinan" in raw:
        org["pimpinan"] = _rows(raw["pimpinan"])
    return org
