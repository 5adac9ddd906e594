"""The Sekretaris' disposition sheet (step 1), "pengukuran_disposisi" {pengukuran_id, fmt: "pdf"}: to the Kasubag
Rendatin, to measure performance for a period.
"""

import datetime
from dataclasses import dataclass

from kinerja import document_store as docs
from kinerja.document_store import DokumenTidakTersedia
from kinerja.models import Satker
from silabu.lib.dates import satker_time
from silabu.lib.signatures import Signatory, place_date

from .base import (
    PengukuranDoc,
    local,
    pengukuran_of,
    periode_of,
    rendatin_of,
    rendatin_unit,
    sekretaris_title,
)

TITLE = "LEMBAR DISPOSISI"


@dataclass
class Disposisi(PengukuranDoc):
    kepada: Signatory
    sekretaris: Signatory
    generated_at: datetime.datetime

    formats = ("pdf",)
    template_name = "pengukuran/dokumen/disposisi.html"

    @property
    def title(self) -> str:
        return TITLE

    @property
    def tanggal_label(self) -> str:
        return satker_time(self.satker, self.pengukuran.disposisi_pada)

    @property
    def perihal(self) -> str:
        return f"Pengukuran kinerja periode {self.periode_label}"

    @property
    def signatures(self) -> list[Signatory]:
        """The Sekretaris' block, signed with their title alone, as a letter is."""
        s = self.sekretaris
        return [Signatory(f"{s.title},", "", s.nama, s.nip, s.place_date)]

    @property
    def footer(self) -> str:
        return f"{self.satker.nama} · Lembar Disposisi · Pengukuran Kinerja {self.periode_label}"

    def filename(self, fmt: str) -> str:
        return f"disposisi-pengukuran-{self.periode_slug}.{fmt}"


def disposisi_data(satker: Satker, params: dict) -> Disposisi:
    pengukuran = pengukuran_of(satker, params)
    rendatin = rendatin_of(satker)
    kasubag = rendatin.kasubag if rendatin else None
    day = local(satker, pengukuran.disposisi_pada)
    oleh = pengukuran.disposisi_oleh or satker.sekretaris
    return Disposisi(
        satker=satker,
        pengukuran=pengukuran,
        kepada=Signatory.of("Kepada,", f"Kepala {rendatin_unit(rendatin)}", kasubag),
        sekretaris=Signatory.of(
            "Yang memberi disposisi,",
            sekretaris_title(satker, oleh, day.date()),
            oleh,
            place_date(satker.kota, day),
        ),
        generated_at=satker.now(),
    )


def version(satker: Satker, params: dict) -> str:
    pengukuran = pengukuran_of(satker, params)
    rendatin = rendatin_of(satker)
    kasubag = rendatin.kasubag if rendatin else None
    oleh = pengukuran.disposisi_oleh
    return docs.fingerprint(
        pengukuran.instruksi,
        pengukuran.disposisi_pada.isoformat(),
        oleh.pk if oleh else None,
        oleh.nama if oleh else None,
        kasubag.pk if kasubag else None,
        kasubag.nama if kasubag else None,
    )


def title(satker: Satker, params: dict) -> str:
    try:
        p = pengukuran_of(satker, params)
    except DokumenTidakTersedia:
        return "Lembar Disposisi Pengukuran Kinerja"
    return f"Lembar Disposisi Pengukuran Kinerja {periode_of(p)}"
