"""The performance framework of a satker's year (issue 5, Deliver 1): Sasaran → Program → Kegiatan → Indikator,
with targets per period, managed by Rendatin on the web and by spreadsheet.

- data: what an indicator is (IndikatorData, Target) and every rule it must meet, for the page and the import;
- queries: reading a year's framework;
- services: every change, each checked, in a transaction holding the satker's row, with an audit row;
- impor and ekspor: the spreadsheet, one row per indicator (the export is also the import's template).

Indicator codes are unique within a satker's year (not only within a kegiatan): the import updates by code,
and a code that meant two indicators would make "update by code" ambiguous.
"""

from .data import (
    TAHUN_MAX,
    TAHUN_MIN,
    IndikatorData,
    KerangkaDitolak,
    Target,
    check_tahun,
    indikator_errors,
    normalise,
    num_text,
    parse_target,
)
from .queries import (
    codes_by_name,
    data_of,
    dipakai,
    indikator_of_year,
    iter_indikator,
    tahun_tersimpan,
    targets_of,
    tree,
    years_for_select,
)
from .services import (
    SalinResult,
    indikator_create,
    indikator_delete,
    indikator_set_aktif,
    indikator_update,
    kegiatan_create,
    kegiatan_update,
    kelompok_delete,
    kerangka_salin,
    program_create,
    program_update,
    sasaran_create,
    sasaran_update,
)

__all__ = [
    "TAHUN_MAX",
    "TAHUN_MIN",
    "IndikatorData",
    "KerangkaDitolak",
    "SalinResult",
    "Target",
    "check_tahun",
    "codes_by_name",
    "data_of",
    "dipakai",
    "indikator_create",
    "indikator_delete",
    "indikator_errors",
    "indikator_of_year",
    "indikator_set_aktif",
    "indikator_update",
    "iter_indikator",
    "kegiatan_create",
    "kegiatan_update",
    "kelompok_delete",
    "kerangka_salin",
    "normalise",
    "num_text",
    "parse_target",
    "program_create",
    "program_update",
    "sasaran_create",
    "sasaran_update",
    "tahun_tersimpan",
    "targets_of",
    "tree",
    "years_for_select",
]
