"""The ten steps of the Bontang SOP *Pengukuran Kinerja* (DESIGN.md §3), one function per transition, each
`<thing>_<verb>(*, ..., by)` with `by` the acting Pegawai:

  1 pengukuran_dispose (Sekretaris) → 2 pengukuran_draft_forms (Kasubag Rendatin)
  → 3 pengukuran_issue_forms (staf Rendatin)
  → 4 form_fill / form_import / form_submit (each subbagian; the last form handed in ends the step)
  → 5 pengukuran_measure → 6 pengukuran_recap → 7 pengukuran_report_draft (staf Rendatin)
  → 8 pengukuran_send (Kasubag Rendatin)
  → 9 pengukuran_approve (and 10, the archive) or pengukuran_return (back to 5 as the next version) (Sekretaris).

Every transition asks rekap.pengukuran.policy who acts (PengukuranDitolak with the reason otherwise), checks
the stage, locks the Pengukuran row, closes the SOP step it ends and opens the next one and leaves an audit
row (services.transition). The modules follow the steps: disposition (1–3), collection (4), measurement
(5–8), decision (9–10). How long each step took is rekap.pengukuran.durasi's; who waits for which step,
rekap.pengukuran.todos'.
"""

from .collection import IsianBaris, baris_belum_lengkap, form_fill, form_import, form_submit
from .decision import ARCHIVED_DOCUMENTS, data_versi, pengukuran_approve, pengukuran_return
from .disposition import pengukuran_dispose, pengukuran_draft_forms, pengukuran_issue_forms
from .measurement import pengukuran_measure, pengukuran_recap, pengukuran_report_draft, pengukuran_send
from .transition import PengukuranDitolak

__all__ = [
    "ARCHIVED_DOCUMENTS",
    "IsianBaris",
    "PengukuranDitolak",
    "baris_belum_lengkap",
    "data_versi",
    "form_fill",
    "form_import",
    "form_submit",
    "pengukuran_approve",
    "pengukuran_dispose",
    "pengukuran_draft_forms",
    "pengukuran_issue_forms",
    "pengukuran_measure",
    "pengukuran_recap",
    "pengukuran_report_draft",
    "pengukuran_return",
    "pengukuran_send",
]
