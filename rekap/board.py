"""The monitoring board's figures (issue 4 §1): for each month of a year, and for each subbagian of one month,
how far the Kudus SOP has got, and how long each of its steps 3–6 took against the SOP's *mutu baku*.

The whole year is read in a fixed number of queries, whatever the number of people or months (rekap.board_data);
kinerja's rules (the month's effective stage, the verification window, completeness) are applied to the rows
read once. A month already compiled is shown as frozen in its RekapBulanan: people who joined or left later do
not change its figures.
"""

import datetime
from collections import defaultdict
from dataclasses import dataclass, field
from functools import cached_property

from kinerja.kalender import working_days
from kinerja.models import SOP, MutuBaku, Satker, SatuanWaktu, TahapPeriode
from kinerja.services import VerificationWindow, before_start, effective_tahap, satker_start
from silabu.lib.dates import format_bulan, format_lama, format_tanggal, format_terhadap_mutu

from . import angka, snapshot
from .board_data import Group, YearData
from .models import RekapBulanan

HARI_KERJA = SatuanWaktu.HARI_KERJA
MENIT = SatuanWaktu.MENIT


# The Kudus SOP's steps the board times (Keputusan Sekretaris No. 738/2024): 3 verification, 4 compilation, 5 the
# plenary, 6 its results. Their standards are kinerja.MutuBaku, per satker (step 3: the satker's own verification
# window); the SOP says "hari", the board counts working days, as the verification deadline does.
BOARD_STEPS = (3, 4, 5, 6)


def mutu_baku(satker: Satker) -> dict[int, MutuBaku]:
    """The standards of the board's steps for this satker, in one query."""
    standards = MutuBaku.objects.for_satker(satker, SOP.KUDUS)
    return {n: standards[n] for n in BOARD_STEPS}


def batas_langkah(satker: Satker, langkah: int) -> int:
    """The limit of one step for this satker (kinerja.MutuBaku; step 3 is the satker's verification window)."""
    return MutuBaku.objects.standard(satker, SOP.KUDUS, langkah).waktu


class Status:
    BELUM = "belum"
    BERJALAN = "berjalan"
    SELESAI = "selesai"
    TIDAK_DICATAT = "tidak_dicatat"
    SEBELUM_MULAI = (
        "sebelum_mulai"  # a month before the satker's record began (kinerja.services.before_start)
    )

    LABELS = {
        BELUM: "Belum mulai",
        BERJALAN: "Berjalan",
        SELESAI: "Selesai",
        TIDAK_DICATAT: "Waktu tidak dicatat",
        SEBELUM_MULAI: "Sebelum satker mulai mencatat",
    }


@dataclass
class StepTime:
    """One SOP step of one month: elapsed (so far, if still running) against its limit."""

    mutu: MutuBaku
    batas: int
    status: str
    elapsed: int | None = None

    @property
    def late(self) -> bool:
        return self.elapsed is not None and self.elapsed > self.batas

    @property
    def waktu(self) -> str:
        """The elapsed time as people say it: "1 jam 45 menit", "5 hari kerja"."""
        return format_lama(self.elapsed or 0, self.mutu.satuan)

    @property
    def waktu_mutu(self) -> str:
        """ "1 jam 45 menit (mutu baku 120 menit)", "5 hari kerja (mutu baku 3 hari kerja)"."""
        return format_terhadap_mutu(self.waktu, self.mutu.label)

    @property
    def status_label(self) -> str:
        return Status.LABELS[self.status]


@dataclass
class Deadline:
    """The verification deadline of a month (or of one subbagian's people in it)."""

    opens: datetime.date
    due: datetime.date
    state: str  # Status.BELUM (not open yet), BERJALAN, SELESAI, or SEBELUM_MULAI (nothing was expected)
    days: int = 0  # working days left while running on time; otherwise working days late
    late: bool = False
    done_on: datetime.date | None = None
    # closed by compiling without everyone: "10 dari 20 pegawai terverifikasi" (never read as "on time, done")
    partial: str = ""

    @property
    def keterangan(self) -> str:
        if self.partial:
            late = f", terlambat {self.days} hari kerja" if self.late else ""
            return f"Dihimpun sebelum semua terverifikasi ({self.partial}){late}"
        if self.state == Status.SEBELUM_MULAI:
            return Status.LABELS[Status.SEBELUM_MULAI]
        if self.state == Status.BELUM:
            return f"Dibuka {format_tanggal(self.opens)}"
        if self.late:
            suffix = "" if self.state == Status.SELESAI else " (belum selesai)"
            return f"Terlambat {self.days} hari kerja{suffix}"
        if self.state == Status.SELESAI:
            return "Tepat waktu"
        return f"Sisa {self.days} hari kerja"


@dataclass
class MonthRow:
    year: int
    month: int
    tahap: str
    people: int
    verified: int
    pending: int  # entries still waiting for a decision (diajukan) or for the owner's fix (dikembalikan)
    returned: int
    completeness: float | None
    deadline: Deadline
    steps: list[StepTime] = field(default_factory=list)
    compiled: bool = False
    notice: str = ""  # the compilation's exception (rekap.angka.exception_notice)
    before_start: bool = False  # before the satker's record began: no figure, nothing late

    @property
    def label(self) -> str:
        return format_bulan(self.year, self.month)

    @property
    def tahap_label(self) -> str:
        return TahapPeriode(self.tahap).label

    @property
    def late_steps(self) -> list[StepTime]:
        return [s for s in self.steps if s.late]

    @property
    def all_verified(self) -> bool:
        return self.people > 0 and self.verified == self.people


@dataclass
class SubbagianRow:
    nama: str
    singkatan: str
    kasubag: str
    people: int
    verified: int
    pending: int
    returned: int
    completeness: float | None
    deadline: Deadline

    @property
    def all_verified(self) -> bool:
        return self.people > 0 and self.verified == self.people


@dataclass
class Board:
    satker: Satker
    year: int
    today: datetime.date
    months: list[MonthRow]
    drill: MonthRow | None = None
    subbagian: list[SubbagianRow] = field(default_factory=list)

    @cached_property
    def mutu_baku(self) -> list[tuple[MutuBaku, int]]:
        return [(m, m.waktu) for m in mutu_baku(self.satker).values()]


def months_shown(year: int, today: datetime.date) -> list[int]:
    """Every month of a past year; of the current year, those up to today's."""
    if year < today.year:
        return list(range(1, 13))
    if year == today.year:
        return list(range(1, today.month + 1))
    return []


# --- the figures, over the year's data read once ------------------------------------------------------------


def _count(satker: Satker, start: datetime.date, end: datetime.date, holidays: dict) -> int:
    """Working days from start to end, both included (0 when end is before start)."""
    return len(working_days(satker, start, end, holidays)) if end >= start else 0


def _after(day: datetime.date) -> datetime.date:
    return day + datetime.timedelta(days=1)


class _Year(YearData):
    """The board's figures for some months of one year, from the data read once (rekap.board_data)."""

    def tahap(self, month: int, w: VerificationWindow) -> str:
        return effective_tahap(
            self.recorded.get(month), year=self.year, month=month, today=self.today, window=lambda: w
        )

    def deadline(self, w: VerificationWindow, tahap: str, group: Group, compiled_on) -> Deadline:
        """On time / late: finished when everyone is verified, or when the month was compiled without them."""
        today, holidays = self.today, self.holidays
        if tahap == TahapPeriode.OPEN:
            return Deadline(w.opens, w.deadline, Status.BELUM)
        done_on = group.last_verified if group.all_verified else compiled_on
        if done_on is not None:
            late_by = _count(self.satker, _after(w.deadline), done_on, holidays)
            partial = "" if group.all_verified else angka.verified_of(group.verified, group.people)
            return Deadline(w.opens, w.deadline, Status.SELESAI, late_by, late_by > 0, done_on, partial)
        if today <= w.deadline:
            left = _count(self.satker, max(today, w.opens), w.deadline, holidays)
            return Deadline(w.opens, w.deadline, Status.BERJALAN, left)
        late_by = _count(self.satker, _after(w.deadline), today, holidays)
        return Deadline(w.opens, w.deadline, Status.BERJALAN, late_by, True)

    @cached_property
    def mutu(self) -> dict[int, MutuBaku]:
        return mutu_baku(self.satker)

    def steps(self, month: int, w: VerificationWindow, tahap: str, group: Group) -> list[StepTime]:
        satker, today, holidays = self.satker, self.today, self.holidays
        rekap, pleno = self.rekap.get(month), self.pleno.get(month)
        compiled_on = rekap["dihimpun_on"] if rekap else None

        def step(n: int, status: str, elapsed: int | None = None) -> StepTime:
            return StepTime(self.mutu[n], self.mutu[n].waktu, status, elapsed)

        # 3: from the day verification opens to the day the last person was verified (or the month compiled).
        if tahap == TahapPeriode.OPEN:
            s3 = step(3, Status.BELUM)
        else:
            done_on = group.last_verified if group.all_verified else compiled_on
            if done_on is not None:
                s3 = step(3, Status.SELESAI, _count(satker, w.opens, done_on, holidays))
            else:
                s3 = step(3, Status.BERJALAN, _count(satker, w.opens, today, holidays))

        # 4: from the last verification (or, without everyone, the deadline) to the compilation.
        if group.all_verified and group.last_verified:
            since = group.last_verified
        elif tahap != TahapPeriode.OPEN and (rekap or today > w.deadline):
            since = w.deadline
        else:
            since = None
        if since is None:
            s4 = step(4, Status.BELUM)
        elif rekap:
            s4 = step(4, Status.SELESAI, _count(satker, _after(since), compiled_on, holidays))
        else:
            s4 = step(4, Status.BERJALAN, _count(satker, _after(since), today, holidays))

        # 5: the meeting itself, from its start to its end.
        if pleno is None:
            s5 = step(5, Status.BELUM)
        elif pleno["mulai"] and pleno["selesai"]:
            minutes = (pleno["selesai"].hour * 60 + pleno["selesai"].minute) - (
                pleno["mulai"].hour * 60 + pleno["mulai"].minute
            )
            s5 = step(5, Status.SELESAI, minutes)
        else:
            s5 = step(5, Status.TIDAK_DICATAT)

        # 6: from the meeting's day to the finalised results.
        if pleno is None:
            s6 = step(6, Status.BELUM)
        elif pleno["final_on"]:
            s6 = step(
                6, Status.SELESAI, _count(satker, _after(pleno["tanggal"]), pleno["final_on"], holidays)
            )
        else:
            s6 = step(6, Status.BERJALAN, _count(satker, _after(pleno["tanggal"]), today, holidays))
        return [s3, s4, s5, s6]

    @cached_property
    def first_record(self) -> datetime.date | None:
        """The satker's first recorded day (kinerja.services.satker_start), counting this year's records read."""
        months = {*self.rekap, *(m for (_, m) in self.laporan)}
        months |= {m for m, tahap in self.recorded.items() if tahap != TahapPeriode.OPEN}
        return satker_start(self.satker, *(datetime.date(self.year, m, 1) for m in months))

    def _before_start_row(self, month: int, w: VerificationWindow, tahap: str) -> MonthRow:
        return MonthRow(
            year=self.year,
            month=month,
            tahap=tahap,
            people=0,
            verified=0,
            pending=0,
            returned=0,
            completeness=None,
            deadline=Deadline(w.opens, w.deadline, Status.SEBELUM_MULAI),
            steps=[StepTime(self.mutu[n], self.mutu[n].waktu, Status.SEBELUM_MULAI) for n in BOARD_STEPS],
            before_start=True,
        )

    def month_row(self, month: int) -> MonthRow:
        w = self.window(month)
        tahap = self.tahap(month, w)
        if before_start(self.year, month, start=self.first_record, today=self.today):
            return self._before_start_row(month, w, tahap)
        rekap = self.rekap.get(month)
        if rekap is None:
            group = self.group(month)
        else:
            # The compiled month as it was frozen; the last verification is still read from LaporanBulanan,
            # which no longer changes once the month is compiled.
            missing = rekap["data__belum_terverifikasi"] or []
            group = Group(
                people=rekap["jumlah_pegawai"],
                verified=rekap["jumlah_terverifikasi"],
                pending=sum(p.get("menunggu", 0) + p.get("dikembalikan", 0) for p in missing),
                returned=sum(p.get("dikembalikan", 0) for p in missing),
                last_verified=max(
                    (on for (_, m), (status, on) in self.laporan.items() if m == month and on),
                    default=None,
                ),
                completeness=[rekap["data__total__kelengkapan"]],
            )
        compiled_on = rekap["dihimpun_on"] if rekap else None
        return MonthRow(
            year=self.year,
            month=month,
            tahap=tahap,
            people=group.people,
            verified=group.verified,
            pending=group.pending,
            returned=group.returned,
            completeness=group.average,
            deadline=self.deadline(w, tahap, group, compiled_on),
            steps=self.steps(month, w, tahap, group),
            compiled=rekap is not None,
            notice=angka.exception_notice(
                people=rekap["jumlah_pegawai"],
                verified=rekap["jumlah_terverifikasi"],
                reason=rekap["alasan_belum_lengkap"],
            )
            if rekap
            else "",
        )

    def subbagian_rows(self, row: MonthRow) -> list[SubbagianRow]:
        if row.before_start:
            return []
        month = row.month
        w = self.window(month)
        rekap = self.rekap.get(month)
        compiled_on = rekap["dihimpun_on"] if rekap else None
        if rekap is not None:
            return self._frozen_subbagian_rows(row, w, compiled_on)
        groups: dict = {}
        heads: dict = {}
        for p in self.people:
            key = p.subbagian_id
            if key not in groups:
                groups[key] = Group()
                sub = p.subbagian
                heads[key] = (
                    (sub.nama, sub.singkatan, sub.kasubag_id)
                    if sub
                    else (snapshot.NO_SUBBAGIAN["nama"], snapshot.NO_SUBBAGIAN["singkatan"], None)
                )
            groups[key].add(self.person_month(p.pk, month))
        names = {p.pk: p.nama for p in self.people}
        return [
            SubbagianRow(
                nama=heads[key][0],
                singkatan=heads[key][1],
                kasubag=names.get(heads[key][2], ""),
                people=g.people,
                verified=g.verified,
                pending=g.pending,
                returned=g.returned,
                completeness=g.average,
                deadline=self.deadline(w, row.tahap, g, compiled_on),
            )
            for key, g in groups.items()
        ]

    def _frozen_subbagian_rows(self, row: MonthRow, w, compiled_on) -> list[SubbagianRow]:
        data = (
            RekapBulanan.objects.filter(satker=self.satker, tahun=self.year, bulan=row.month)
            .values_list("data", flat=True)
            .get()
        )
        missing: dict[str, list] = defaultdict(list)
        for p in data["belum_terverifikasi"]:
            missing[p["subbagian"]].append(p)
        rows = []
        tz = self.satker.tz
        for section in data["subbagian"]:
            verified_on = [
                datetime.datetime.fromisoformat(p["diverifikasi_pada"]).astimezone(tz).date()
                for p in section["pegawai"]
                if p["diverifikasi_pada"]
            ]
            group = Group(
                people=section["total"]["pegawai"],
                verified=section["total"]["terverifikasi"],
                pending=sum(p["menunggu"] + p["dikembalikan"] for p in missing[section["nama"]]),
                returned=sum(p["dikembalikan"] for p in missing[section["nama"]]),
                last_verified=max(verified_on, default=None),
                completeness=[section["total"]["kelengkapan"]],
            )
            rows.append(
                SubbagianRow(
                    nama=section["nama"],
                    singkatan=section["singkatan"],
                    kasubag=(section["kasubag"] or {}).get("nama", ""),
                    people=group.people,
                    verified=group.verified,
                    pending=group.pending,
                    returned=group.returned,
                    completeness=group.average,
                    deadline=self.deadline(w, row.tahap, group, compiled_on),
                )
            )
        return rows


def build(
    satker: Satker,
    year: int,
    *,
    today: datetime.date | None = None,
    months: list[int] | None = None,
    drill: int | None = None,
) -> Board:
    """The board of a year (or of some of its months), with the per-subbagian rows of the month `drill`."""
    today = today or satker.today()
    shown = months_shown(year, today) if months is None else sorted(months)
    if not shown:
        return Board(satker, year, today, [])
    data = _Year(satker, year, shown, today)
    rows = [data.month_row(m) for m in shown]
    board = Board(satker, year, today, rows)
    board.drill = next((r for r in rows if r.month == drill), None)
    if board.drill is not None:
        board.subbagian = data.subbagian_rows(board.drill)
    return board
