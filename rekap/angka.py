"""What each of a month's figures counts, said once, and the month's exception notice (issue 12 §2).

A compiled month counts two different things: its *people* (all whose month is verified, and of them those
verified when it was compiled) and its *entries* (only the approved entries of the verified people are counted
as kegiatan). Completeness is about filling in, of every person, verified or not. A page or a document that
shows one of these figures takes its label from LABELS, so "Pegawai 20" never stands for "10 verified".

A month compiled before everyone was verified carries an exception (the reason Rendatin recorded, and who
was left out): `exception_notice` is its one wording, shown wherever that month's numbers appear — the board,
the month page, the booklet, the presentation, the plenary's results and the Laporan Kinerja.
"""

LABELS = {
    # people
    "pegawai": "Pegawai (semua)",
    "terverifikasi": "Pegawai terverifikasi",
    # entries
    "kegiatan": "Kegiatan terverifikasi (entri disetujui)",
    "tertunda": "Entri menunggu keputusan",
    "tidak_dihimpun": "Entri tidak dihimpun (pegawai belum terverifikasi)",
    # filling in, of everyone
    "kelengkapan": "Kelengkapan pengisian (semua pegawai)",
}

SHORT = {
    "pegawai": "pegawai",
    "terverifikasi": "terverifikasi",
    "kegiatan": "kegiatan terverifikasi",
    "kelengkapan": "kelengkapan pengisian (semua pegawai)",
}


def label(name: str) -> str:
    return LABELS[name]


def verified_of(verified: int, people: int) -> str:
    """ "10 dari 20 pegawai terverifikasi": always both numbers, so neither is read as the other."""
    return f"{verified} dari {people} pegawai terverifikasi"


def exception_notice(*, people: int, verified: int, reason: str) -> str:
    """The month's exception, or "" for a month compiled with everyone verified."""
    if verified >= people and not reason:
        return ""
    missing = people - verified
    text = (
        f"Pengecualian saat dihimpun: {verified_of(verified, people)}; "
        f"data {missing} pegawai yang belum terverifikasi tidak dihitung."
    )
    return f"{text} Alasan: {reason}" if reason else text


def notice_of(rekap) -> str:
    """The exception notice of a RekapBulanan (or of None: "")."""
    if rekap is None:
        return ""
    return exception_notice(
        people=rekap.jumlah_pegawai, verified=rekap.jumlah_terverifikasi, reason=rekap.alasan_belum_lengkap
    )
