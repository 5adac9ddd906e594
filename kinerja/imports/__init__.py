"""Master data from spreadsheets: a year's output codes (Rendatin) and a whole office's staff (Admin).

Each import reads the whole file and checks every row before it writes anything; if any row is wrong the caller
gets ImporGagal with every (row, message) pair and nothing is saved (kinerja.imports.base, which the
performance framework's import shares).
"""

from .kode_output import ImportResult, kode_output_import
from .pegawai import PegawaiImportResult, pegawai_import

__all__ = ["ImportResult", "PegawaiImportResult", "kode_output_import", "pegawai_import"]
