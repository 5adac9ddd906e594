"""Demo: the framework KPU Kota Bontang measures (three sasaran, their kegiatan, 16 indicators) and how the demo
fills each indicator (demo.pengukuran builds it through rekap.pengukuran.kerangka)."""

from dataclasses import dataclass
from decimal import Decimal

from rekap.pengukuran.models import Arah, AturanRealisasi

D = Decimal


@dataclass
class Spec:
    """One indicator of the demo framework and how the demo fills it.

    For a linked indicator (`kode` set), targets follow the entries' monthly level: the monthly target is
    that level × `tekanan` (so capaian ≈ 100 / tekanan). For a manual one, `target` is the yearly target,
    `pola` says how periods share it, and `capaian` are the achievements the subbagian reports, in the order
    approved quarter, returned quarter, month.
    """

    kode_ind: str
    uraian: str
    satuan: str
    sub: str
    kegiatan: str
    kode: str = ""
    aturan: str = AturanRealisasi.MANUAL
    satuan_volume: str = ""
    tekanan: Decimal = D(1)
    arah: str = Arah.NAIK
    target: Decimal | None = None
    rentang: tuple[Decimal, Decimal] | None = None
    pola: str = "tetap"  # tetap: the same every period; kumulatif: grows to the yearly target
    capaian: tuple[Decimal, ...] = (D(100), D(100), D(100))
    keterangan: str = ""


SASARAN = [
    ("SS.1", "Meningkatnya partisipasi dan literasi politik masyarakat Kota Bontang"),
    ("SS.2", "Meningkatnya kualitas data pemilih berkelanjutan dan layanan informasi publik"),
    ("SS.3", "Meningkatnya kualitas tata kelola kelembagaan dan dukungan manajemen KPU Kota Bontang"),
]
# (sasaran, program code, program, kegiatan code, kegiatan)
KEGIATAN = [
    (
        "SS.1",
        "076.01.DH",
        "Program Penyelenggaraan Pemilu dalam Proses Konsolidasi Demokrasi",
        "3363",
        "Pelaksanaan Pendidikan Pemilih dan Partisipasi Masyarakat",
    ),
    ("SS.1", "076.01.DH", "", "3359.EBD.959", "Layanan Hukum dan Pengaduan Masyarakat"),
    ("SS.2", "076.01.WA", "Program Dukungan Manajemen", "3359.EBD.953", "Layanan Data dan Informasi"),
    ("SS.2", "076.01.WA", "", "3359.EBC.954", "Layanan Manajemen Perencanaan dan Penganggaran"),
    ("SS.3", "076.01.WA", "Program Dukungan Manajemen", "3359.EBA", "Layanan Dukungan Manajemen Internal"),
    ("SS.3", "076.01.WA", "", "3359.EBB", "Layanan Manajemen SDM"),
]
SPECS = [
    Spec(
        "IKK 1.1",
        "Jumlah kegiatan sosialisasi dan pendidikan pemilih yang dilaksanakan",
        "kegiatan",
        "PARHUBMAS",
        "3363",
        kode="3363.QDC.001.051",
        aturan=AturanRealisasi.JUMLAH_ENTRI,
        tekanan=D("0.9"),
    ),
    Spec(
        "IKK 1.2",
        "Jumlah rilis berita dan publikasi kegiatan KPU Kota Bontang",
        "berita",
        "PARHUBMAS",
        "3363",
        kode="3359.EBA.958.001",
        aturan=AturanRealisasi.JUMLAH_VOLUME,
        satuan_volume="berita",
        tekanan=D("1.15"),
    ),
    Spec(
        "IKK 1.3",
        "Indeks kepuasan peserta sosialisasi pendidikan pemilih",
        "indeks",
        "PARHUBMAS",
        "3363",
        rentang=(D(80), D(90)),
        capaian=(D(100), D("92.5"), D(100)),
    ),
    Spec(
        "IKK 1.4",
        "Persentase pengaduan masyarakat yang ditindaklanjuti tepat waktu",
        "persen",
        "TEKNIS",
        "3359.EBD.959",
        target=D(100),
        capaian=(D(100), D(85), D(100)),
    ),
    Spec(
        "IKK 1.5",
        "Jumlah produk hukum dan telaahan hukum yang disusun",
        "dokumen",
        "TEKNIS",
        "3359.EBD.959",
        kode="3359.EBD.959.001",
        aturan=AturanRealisasi.JUMLAH_VOLUME,
        satuan_volume="dokumen",
        tekanan=D("1.4"),
    ),
    Spec(
        "IKK 2.1",
        "Jumlah rekapitulasi pemutakhiran data pemilih berkelanjutan",
        "dokumen",
        "RENDATIN",
        "3359.EBD.953",
        kode="3359.EBD.953.001",
        aturan=AturanRealisasi.JUMLAH_VOLUME,
        satuan_volume="dokumen",
        tekanan=D(1),
    ),
    Spec(
        "IKK 2.2",
        "Persentase permohonan informasi publik yang diselesaikan tepat waktu",
        "persen",
        "RENDATIN",
        "3359.EBD.953",
        target=D(100),
        capaian=(D(100), D(100), D(95)),
    ),
    Spec(
        "IKK 2.3",
        "Jumlah laporan monitoring dan evaluasi kinerja yang disusun",
        "laporan",
        "RENDATIN",
        "3359.EBC.954",
        kode="3359.EBC.954.002",
        aturan=AturanRealisasi.JUMLAH_VOLUME,
        satuan_volume="laporan",
        tekanan=D("1.2"),
    ),
    Spec(
        "IKK 2.4",
        "Jumlah dokumen perencanaan dan penganggaran yang disusun",
        "dokumen",
        "RENDATIN",
        "3359.EBC.954",
        kode="3359.EBC.954.001",
        aturan=AturanRealisasi.JUMLAH_ENTRI,
        tekanan=D("1.6"),
    ),
    Spec(
        "IKK 3.1",
        "Jumlah surat masuk dan keluar yang diadministrasikan",
        "surat",
        "KUL",
        "3359.EBA",
        kode="3359.EBA.962.001",
        aturan=AturanRealisasi.JUMLAH_VOLUME,
        satuan_volume="surat",
        tekanan=D("0.95"),
    ),
    Spec(
        "IKK 3.2",
        "Persentase realisasi anggaran (kumulatif)",
        "persen",
        "KUL",
        "3359.EBA",
        target=D(95),
        pola="kumulatif",
        capaian=(D(96), D(72), D(98)),
    ),
    Spec(
        "IKK 3.3",
        "Persentase keterlambatan penyampaian laporan keuangan",
        "persen",
        "KUL",
        "3359.EBA",
        arah=Arah.TURUN,
        target=D(5),
        capaian=(D(120), D(100), D(140)),
    ),
    Spec(
        "IKK 3.4",
        "Jumlah temuan hasil pemeriksaan yang belum ditindaklanjuti",
        "temuan",
        "KUL",
        "3359.EBA",
        arah=Arah.TURUN,
        target=D(0),
        capaian=(D(0), D(0), D(0)),
        keterangan="Tidak ada temuan yang belum ditindaklanjuti.",
    ),
    Spec(
        "IKK 3.5",
        "Nilai Indikator Kinerja Pelaksanaan Anggaran (IKPA)",
        "nilai",
        "KUL",
        "3359.EBA",
        rentang=(D(90), D(100)),
        capaian=(D(100), D(100), D(100)),
    ),
    Spec(
        "IKK 3.6",
        "Jumlah berkas layanan kepegawaian yang diproses",
        "berkas",
        "PARHUBMAS",
        "3359.EBB",
        kode="3359.EBB.951.001",
        aturan=AturanRealisasi.JUMLAH_VOLUME,
        satuan_volume="berkas",
        tekanan=D("1.05"),
    ),
    Spec(
        "IKK 3.7",
        "Persentase pegawai yang mengikuti pengembangan kompetensi",
        "persen",
        "PARHUBMAS",
        "3359.EBB",
        target=D(80),
        pola="kumulatif",
        capaian=(D(80), D(60), D(100)),
    ),
]
