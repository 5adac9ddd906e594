"""The measurement documents (Bontang SOP): Form Data Kinerja, kertas kerja with live formulas, the report to the
Sekretaris and the disposition sheet. Measurements are built directly with the models; PDFs are read as text,
workbooks cell by cell, and the worksheet's formulas are evaluated by a small Excel evaluator below and
compared with rekap.pengukuran.rumus."""

import datetime
import io
import re
from decimal import ROUND_HALF_UP, Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from hypothesis import given, settings
from hypothesis import strategies as st
from openpyxl import load_workbook
from pypdf import PdfReader

from kinerja import document_store as docs
from kinerja.models import Dokumen, StatusDokumen
from rekap.pengukuran import documents, hitung, rumus
from rekap.pengukuran.documents import base, kertas_kerja, laporan, lembar
from rekap.pengukuran.documents import form as form_document
from rekap.pengukuran.models import (
    BarisPengukuran,
    FormDataKinerja,
    Indikator,
    Kegiatan,
    KeputusanVersi,
    LangkahPengukuran,
    Pengukuran,
    Program,
    Sasaran,
    SkalaKategori,
    TahapPengukuran,
    VersiPengukuran,
)
from silabu.lib.formatting import format_fixed

D = Decimal
FORMULA_TEXT = '=HYPERLINK("http://contoh.invalid","klik")'
YEAR = 2026
SASARAN_1 = "Meningkatnya kualitas pelayanan kesekretariatan"
SASARAN_2 = "Terselenggaranya pemilu yang transparan"

# code, direction, target, lower, upper, realisation, subbagian, manual capaian, reason
SPEC = [
    ("IK.1", "naik", "100", None, None, "85", "kul", None, ""),  # 85.00 Baik
    ("IK.2", "naik", "80", None, None, "96", "kul", None, ""),  # 120.00: above 100 kept
    ("IK.3", "turun", "10", None, None, "12", "teknis", None, ""),  # 80.00 Baik
    ("IK.4", "turun", "10", None, None, "25", "teknis", None, ""),  # floored at 0
    ("IK.5", "naik", None, "80", "90", "99", "teknis", None, ""),  # range, above: 110.00
    ("IK.6", "turun", None, "80", "90", "60", "kul", None, ""),  # range lower-is-better, below: 125.00
    ("IK.7", "naik", "0", None, None, "5", "kul", None, ""),  # target 0: the row's message
    ("IK.8", "naik", "50", None, None, None, "kul", None, ""),  # no realisation yet
    ("IK.9", "naik", "0", None, None, "3", "teknis", "75", "Target nol, dinilai dari laporan"),  # manual
    ("IK.10", "naik", "3", None, None, "2", "teknis", None, ""),  # 66.67 half-up
]


# --- building a measurement with the models -----------------------------------------------------------------


def make_pengukuran(
    org,
    spec=SPEC,
    *,
    tahap=TahapPengukuran.PERSETUJUAN,
    versi=1,
    nomor=2,
    jenis="triwulan",
    tahun=YEAR,
    satker=None,
) -> Pengukuran:
    """A measurement of Kudus with one row per spec line, in two sasaran, forms for KUL and Teknis."""
    satker = satker or org.kudus
    pengukuran = Pengukuran.objects.create(
        satker=satker,
        tahun=tahun,
        jenis_periode=jenis,
        nomor=nomor,
        tahap=tahap,
        versi=versi,
        instruksi="Mohon segera dilakukan pengukuran kinerja triwulan ini.\nLaporkan paling lambat Jumat.",
        disposisi_oleh=org.sekretaris,
        disposisi_pada=datetime.datetime(tahun, 7, 1, 1, 30, tzinfo=datetime.UTC),  # 08:30 WIB
    )
    subbagian = {"kul": org.kul, "teknis": org.teknis}
    forms = {
        key: FormDataKinerja.objects.create(
            pengukuran=pengukuran,
            subbagian=sub,
            diterbitkan_pada=datetime.datetime(tahun, 7, 2, 2, 0, tzinfo=datetime.UTC),
            diterbitkan_oleh=org.rendatin,
        )
        for key, sub in subbagian.items()
    }
    sasaran = []
    for i, uraian in enumerate((SASARAN_1, SASARAN_2), 1):
        s, _ = Sasaran.objects.get_or_create(
            satker=satker, tahun=tahun, kode=f"S{i}", defaults={"uraian": uraian, "urutan": i}
        )
        p, _ = Program.objects.get_or_create(sasaran=s, kode=f"P{i}", defaults={"uraian": f"Program {i}"})
        k, _ = Kegiatan.objects.get_or_create(program=p, kode=f"K{i}", defaults={"uraian": f"Kegiatan {i}"})
        sasaran.append((s, p, k))
    for n, (kode, arah, target, bawah, atas, realisasi, sub, manual, alasan) in enumerate(spec, 1):
        s, p, k = sasaran[0] if n <= len(spec) // 2 else sasaran[1]
        indikator, _ = Indikator.objects.get_or_create(
            kegiatan=k,
            kode=kode,
            defaults={
                "uraian": f"Persentase capaian {kode}",
                "satuan": "persen",
                "arah": arah,
                "subbagian": subbagian[sub],
            },
        )
        BarisPengukuran.objects.create(
            pengukuran=pengukuran,
            form=forms[sub],
            indikator=indikator,
            sasaran=s.uraian,
            program=p.uraian,
            kegiatan=k.uraian,
            indikator_kode=kode,
            indikator_uraian=f"Persentase capaian {kode}",
            satuan="persen",
            arah=arah,
            target=D(target) if target is not None else None,
            target_bawah=D(bawah) if bawah is not None else None,
            target_atas=D(atas) if atas is not None else None,
            aturan_realisasi="manual",
            realisasi=D(realisasi) if realisasi is not None else None,
            realisasi_usulan=D(realisasi) if realisasi is not None else None,
            capaian_manual=D(manual) if manual is not None else None,
            alasan_manual=alasan,
            urutan=n,
        )
    return pengukuran


def measure(pengukuran: Pengukuran) -> list[BarisPengukuran]:
    """Step 5 as the services do it: capaian and category stored on the rows."""
    skala = hitung.skala_for(pengukuran.satker)
    rows = list(pengukuran.baris_set.order_by("urutan", "pk"))
    for row in rows:
        hitung.hitung_baris(row, skala)
    BarisPengukuran.objects.bulk_update(rows, ["capaian", "kategori", "pesan"])
    return rows


def archived_data(pengukuran: Pengukuran) -> dict:
    """A VersiPengukuran.data in the services' shape (services.data_versi): short keys, decimals as text."""
    rows = measure(pengukuran)

    def text(value):
        return None if value is None else str(value)

    return {
        "versi": pengukuran.versi,
        "baris": [
            {
                "id": r.pk,
                "indikator_id": r.indikator_id,
                "subbagian": r.form.subbagian.nama,
                "sasaran": r.sasaran,
                "program": r.program,
                "kegiatan": r.kegiatan,
                "kode": r.indikator_kode,
                "indikator": r.indikator_uraian,
                "satuan": r.satuan,
                "arah": r.arah,
                "target": text(r.target),
                "target_bawah": text(r.target_bawah),
                "target_atas": text(r.target_atas),
                "realisasi_usulan": text(r.realisasi_usulan),
                "realisasi": text(r.realisasi),
                "keterangan": r.keterangan,
                "capaian": text(r.capaian),
                "capaian_manual": text(r.capaian_manual),
                "alasan_manual": r.alasan_manual,
                "capaian_akhir": text(r.capaian_akhir),
                "kategori": r.kategori,
                "pesan": r.pesan,
            }
            for r in rows
        ],
    }


def steps(pengukuran, org, versi=1):
    """Step 5 measured by Fajar (Rendatin staff), step 8 sent on by Gita (Kasubag Rendatin)."""
    base = datetime.datetime(YEAR, 7, 10, 2, 0, tzinfo=datetime.UTC)
    LangkahPengukuran.objects.create(
        pengukuran=pengukuran, langkah=5, versi=versi, mulai=base, selesai=base, oleh=org.rendatin
    )
    LangkahPengukuran.objects.create(
        pengukuran=pengukuran,
        langkah=8,
        versi=versi,
        mulai=base,
        selesai=base + datetime.timedelta(days=1),
        oleh=org.kasubag_rendatin,
    )


def kk_params(p, versi=None, fmt="xlsx"):
    return {"pengukuran_id": p.pk, "versi": versi or p.versi, "fmt": fmt}


def pdf_text(content: bytes) -> str:
    reader = PdfReader(io.BytesIO(content))
    return re.sub(r"\s+", " ", " ".join(page.extract_text() for page in reader.pages))


def render(jenis, satker, params) -> docs.Rendered:
    return docs.GENERATORS[jenis].render(satker, params, lambda _: None)


# --- a small Excel formula evaluator ------------------------------------------------------------------------

TOKEN = re.compile(
    r"""\s*(?:
    (?P<num>\d+(?:\.\d+)?(?:[eE][-+]?\d+)?)
   |(?P<str>"(?:[^"]|"")*")
   |(?P<ref>(?:[A-Za-z_][A-Za-z0-9_]*!)?\$?[A-Z]{1,3}\$?\d+(?::\$?[A-Z]{1,3}\$?\d+)?)
   |(?P<func>[A-Z][A-Z0-9.]*)\(
   |(?P<bool>TRUE|FALSE)\b
   |(?P<op><=|>=|<>|[-+*/&=<>(),])
    )""",
    re.VERBOSE,
)


def excel_round(x: float, digits: int) -> float:
    """Excel's ROUND: on the 15-significant-digit value, half away from zero."""
    value = Decimal(format(x, ".15g"))
    sign = -1 if value < 0 else 1
    return sign * float(abs(value).quantize(Decimal(1).scaleb(-digits), rounding=ROUND_HALF_UP))


def col_index(letters: str) -> int:
    n = 0
    for ch in letters:
        n = n * 26 + ord(ch) - 64
    return n


class Excel:
    """Evaluates the formulas of a workbook loaded with openpyxl (formulas as text): enough of Excel for the
    worksheet — arithmetic, comparisons, IF/AND/OR/NOT/ISNUMBER/MAX/ROUND/VLOOKUP, cross-sheet references."""

    def __init__(self, wb):
        self.wb = wb

    def cell(self, sheet: str, ref: str):
        value = self.wb[sheet][ref.replace("$", "")].value
        if isinstance(value, str) and value.startswith("="):
            return Excel(self.wb).formula(sheet, value)  # a parser of its own: this one is mid-formula
        if isinstance(value, Decimal):
            return float(value)
        return value

    def formula(self, sheet: str, text: str):
        tokens = []
        pos = 0
        body = text[1:]
        while pos < len(body):
            m = TOKEN.match(body, pos)
            assert m and m.end() > pos, f"cannot read {body[pos:]!r}"
            kind = m.lastgroup
            tokens.append((kind, m.group(kind)))
            if kind == "func":
                tokens.append(("op", "("))
            pos = m.end()
        self.tokens, self.i, self.sheet = tokens, 0, sheet
        value = self.comparison()
        assert self.i == len(self.tokens), f"unread tokens in {text}"
        return value

    # parser: comparison < concatenation < additive < multiplicative < unary < primary
    def peek(self):
        return self.tokens[self.i] if self.i < len(self.tokens) else (None, None)

    def take(self, value=None):
        token = self.tokens[self.i]
        assert value is None or token[1] == value, (token, value)
        self.i += 1
        return token

    def comparison(self):
        left = self.concat()
        while self.peek()[1] in ("=", "<>", "<", "<=", ">", ">="):
            op = self.take()[1]
            right = self.concat()
            left = self.compare(op, left, right)
        return left

    @staticmethod
    def compare(op, a, b):
        a = 0 if a is None else a
        b = 0 if b is None else b
        return {
            "=": a == b,
            "<>": a != b,
            "<": a < b,
            "<=": a <= b,
            ">": a > b,
            ">=": a >= b,
        }[op]

    def concat(self):
        left = self.additive()
        while self.peek()[1] == "&":
            self.take()
            left = f"{left}{self.additive()}"
        return left

    def additive(self):
        left = self.multiplicative()
        while self.peek()[1] in ("+", "-"):
            op = self.take()[1]
            right = self.multiplicative()
            left = num(left) + num(right) if op == "+" else num(left) - num(right)
        return left

    def multiplicative(self):
        left = self.unary()
        while self.peek()[1] in ("*", "/"):
            op = self.take()[1]
            right = self.unary()
            if op == "*":
                left = num(left) * num(right)
            else:
                assert num(right) != 0, "#DIV/0!"
                left = num(left) / num(right)
        return left

    def unary(self):
        if self.peek()[1] == "-":
            self.take()
            return -num(self.unary())
        return self.primary()

    def primary(self):
        kind, value = self.take()
        if kind == "num":
            return float(value)
        if kind == "str":
            return value[1:-1].replace('""', '"')
        if kind == "bool":
            return value == "TRUE"
        if kind == "ref":
            sheet, _, ref = value.rpartition("!")
            sheet = sheet or self.sheet
            if ":" in ref:
                return ("range", sheet, ref)
            return self.cell(sheet, ref)
        if kind == "op" and value == "(":
            inner = self.comparison()
            self.take(")")
            return inner
        if kind == "func":
            self.take("(")
            args = []
            if self.peek()[1] != ")":
                args.append(self.lazy())
                while self.peek()[1] == ",":
                    self.take()
                    args.append(self.lazy())
            self.take(")")
            return self.call(value, args)
        raise AssertionError(f"unexpected {value!r}")

    def lazy(self):
        """An argument as a thunk over its tokens, so IF evaluates only the branch it takes."""
        start = self.i
        depth = 0
        while True:
            kind, value = self.peek()
            if kind is None:
                break
            if value == "(":
                depth += 1
            elif value == ")":
                if depth == 0:
                    break
                depth -= 1
            elif value == "," and depth == 0:
                break
            self.i += 1
        tokens = self.tokens[start : self.i]
        sheet = self.sheet

        def thunk():
            saved = (self.tokens, self.i, self.sheet)
            self.tokens, self.i, self.sheet = tokens, 0, sheet
            try:
                value = self.comparison()
                assert self.i == len(tokens)
                return value
            finally:
                self.tokens, self.i, self.sheet = saved

        return thunk

    def call(self, name, args):
        if name == "IF":
            return args[1]() if args[0]() else (args[2]() if len(args) > 2 else False)
        if name == "AND":
            return all(a() for a in args)
        if name == "OR":
            return any(a() for a in args)
        if name == "NOT":
            return not args[0]()
        if name == "ISNUMBER":
            value = args[0]()
            return isinstance(value, int | float) and not isinstance(value, bool)
        if name == "MAX":
            return max(num(a()) for a in args)
        if name == "ROUND":
            return excel_round(num(args[0]()), int(num(args[1]())))
        if name == "VLOOKUP":
            value, (_, sheet, ref), column, approx = args[0](), args[1](), int(num(args[2]())), args[3]()
            assert approx is True
            start, end = ref.replace("$", "").split(":")
            first = int(re.sub(r"\D", "", start))
            last = int(re.sub(r"\D", "", end))
            key_col = re.sub(r"\d", "", start)
            found = None
            for r in range(first, last + 1):
                key = self.cell(sheet, f"{key_col}{r}")
                if key is not None and num(key) <= value:
                    found = r
            assert found is not None, "#N/A"
            result_col = chr(ord(key_col) + column - 1)
            return self.cell(sheet, f"{result_col}{found}")
        raise AssertionError(f"function {name} not supported")


def num(value) -> float:
    if value is None:
        return 0.0
    assert isinstance(value, int | float), f"#VALUE! ({value!r})"
    return float(value)


def as_capaian(value) -> Decimal:
    return Decimal(repr(value)).quantize(Decimal("0.01"))


# --- the kertas kerja XLSX ----------------------------------------------------------------------------------


def table_rows(ws, header_first="No"):
    """Row numbers of the worksheet table: after the header row, while column A holds a number."""
    header = next(r for r in range(1, 60) if ws.cell(r, 1).value == header_first and ws.cell(r, 2).value)
    rows = []
    r = header + 1
    while isinstance(ws.cell(r, 1).value, int):
        rows.append(r)
        r += 1
    return header, rows


def test_kertas_kerja_formulas_give_the_apps_numbers(org):
    p = make_pengukuran(org)
    rows = {r.indikator_kode: r for r in measure(p)}
    content = render(documents.JENIS_KERTAS_KERJA, org.kudus, kk_params(p)).content
    wb = load_workbook(io.BytesIO(content))
    ws = wb[kertas_kerja.KK_SHEET]
    header, numbers = table_rows(ws)
    assert [c.value for c in ws[header]][:9] == [
        "No",
        "Sasaran",
        "Indikator",
        "Satuan",
        "Target",
        "Realisasi",
        "Capaian (%)",
        "Kategori",
        "Keterangan",
    ]
    for column in ("J", "K", "L", "M"):
        assert ws.column_dimensions[column].hidden
    assert ws.freeze_panes == f"B{header + 1}"
    assert ws.page_setup.orientation == "landscape"
    assert len(numbers) == len(SPEC)
    excel = Excel(wb)
    seen = {}
    for r in numbers:
        kode = ws.cell(r, 3).value.split()[0]
        row = rows[kode]
        capaian = excel.cell(kertas_kerja.KK_SHEET, f"G{r}")
        kategori = excel.cell(kertas_kerja.KK_SHEET, f"H{r}")
        assert str(ws.cell(r, 8).value).startswith("=IF(ISNUMBER(G")  # the category is always a live lookup
        seen[kode] = (ws.cell(r, 7).value, capaian, kategori)
        if row.capaian_akhir is not None:
            assert as_capaian(capaian) == row.capaian_akhir, kode
            assert kategori == row.kategori, kode
        else:
            assert capaian == row.pesan, kode
            assert kategori == ""
    # naik, over 100, turun, floor, both range directions, half-up: live formulas
    for kode, expected in [
        ("IK.1", "85.00"),
        ("IK.2", "120.00"),
        ("IK.3", "80.00"),
        ("IK.4", "0.00"),
        ("IK.5", "110.00"),
        ("IK.6", "125.00"),
        ("IK.10", "66.67"),
    ]:
        formula, value, _ = seen[kode]
        assert formula.startswith("=IF(NOT(ISNUMBER(F"), kode
        assert as_capaian(value) == D(expected), kode
    assert seen["IK.1"][2] == "Baik"
    assert seen["IK.2"][2] == "Sangat Baik"
    assert seen["IK.4"][2] == "Sangat Kurang"
    assert seen["IK.10"][2] == "Cukup"
    # target 0: the row's message, no formula; missing realisation: the formula says so itself
    assert seen["IK.7"][0].startswith("Target 0")
    assert seen["IK.8"][0].startswith("=IF(") and seen["IK.8"][1] == "Realisasi belum diisi."
    # manual capaian: a value, its reason in Keterangan, the category still looked up
    manual_row = next(r for r in numbers if ws.cell(r, 3).value.startswith("IK.9 "))
    assert ws.cell(manual_row, 7).value == 75
    assert seen["IK.9"][2] == "Cukup"
    assert "Capaian manual: Target nol, dinilai dari laporan" in ws.cell(manual_row, 9).value


def test_kertas_kerja_stores_each_formulas_value_beside_it(org):
    """Issue 12 item 15: a viewer that does not calculate (data_only, phone previews) shows capaian and
    kategori; a program that calculates still has the formulas."""
    p = make_pengukuran(org)
    rows = {r.indikator_kode: r for r in measure(p)}
    content = render(documents.JENIS_KERTAS_KERJA, org.kudus, kk_params(p)).content
    formulas = load_workbook(io.BytesIO(content))[kertas_kerja.KK_SHEET]
    values = load_workbook(io.BytesIO(content), data_only=True)[kertas_kerja.KK_SHEET]
    _, numbers = table_rows(formulas)
    checked = 0
    for r in numbers:
        row = rows[formulas.cell(r, 3).value.split()[0]]
        capaian, kategori = formulas.cell(r, 7).value, formulas.cell(r, 8).value
        assert str(kategori).startswith("=IF(ISNUMBER(G")  # the formulas remain
        if str(capaian).startswith("="):
            expected = row.pesan if row.capaian_akhir is None else float(row.capaian_akhir)
            assert values.cell(r, 7).value == expected, row.indikator_kode
            checked += 1
        else:
            assert values.cell(r, 7).value == capaian  # a plain value or message, as written
        assert values.cell(r, 8).value == (row.kategori if row.capaian_akhir is not None else None)
    assert checked >= 7
    # the cached values are what the formulas compute (the test's own evaluator of the sheet)
    excel = Excel(load_workbook(io.BytesIO(content)))
    for r in numbers:
        if str(formulas.cell(r, 7).value).startswith("="):
            computed = excel.cell(kertas_kerja.KK_SHEET, f"G{r}")
            cached = values.cell(r, 7).value
            assert cached == computed or as_capaian(cached) == as_capaian(computed), r
        assert (values.cell(r, 8).value or "") == excel.cell(kertas_kerja.KK_SHEET, f"H{r}"), r
    assert load_workbook(io.BytesIO(content)).calculation.fullCalcOnLoad


def test_kertas_kerja_formulas_stay_live_when_realisation_changes(org):
    p = make_pengukuran(org)
    wb = load_workbook(io.BytesIO(render(documents.JENIS_KERTAS_KERJA, org.kudus, kk_params(p)).content))
    ws = wb[kertas_kerja.KK_SHEET]
    _, numbers = table_rows(ws)
    r = next(r for r in numbers if ws.cell(r, 3).value.startswith("IK.8 "))  # target 50, no realisation
    ws[f"F{r}"] = 46
    excel = Excel(wb)
    assert as_capaian(excel.cell(kertas_kerja.KK_SHEET, f"G{r}")) == D("92.00")
    assert excel.cell(kertas_kerja.KK_SHEET, f"H{r}") == "Sangat Baik"
    ws[f"F{r}"] = -1
    assert excel.cell(kertas_kerja.KK_SHEET, f"G{r}") == "Realisasi tidak boleh negatif."


def test_kertas_kerja_uses_the_satkers_scale_on_its_skala_sheet(org):
    SkalaKategori.objects.create(satker=org.kudus, nama="Tercapai", minimum=D(100))
    SkalaKategori.objects.create(satker=org.kudus, nama="Hampir", minimum=D(80))
    SkalaKategori.objects.create(satker=org.kudus, nama="Belum", minimum=D(10))
    p = make_pengukuran(org)
    rows = {r.indikator_kode: r for r in measure(p)}
    wb = load_workbook(io.BytesIO(render(documents.JENIS_KERTAS_KERJA, org.kudus, kk_params(p)).content))
    skala = wb[kertas_kerja.SKALA_SHEET]
    assert [(skala.cell(r, 1).value, skala.cell(r, 2).value) for r in (2, 3, 4)] == [
        (10, "Belum"),
        (80, "Hampir"),
        (100, "Tercapai"),
    ]
    ws = wb[kertas_kerja.KK_SHEET]
    _, numbers = table_rows(ws)
    excel = Excel(wb)
    got = {ws.cell(r, 3).value.split()[0]: excel.cell(kertas_kerja.KK_SHEET, f"H{r}") for r in numbers}
    assert got["IK.4"] == "Belum" == rows["IK.4"].kategori  # 0: below every minimum, the lowest band
    assert got["IK.1"] == "Hampir" == rows["IK.1"].kategori
    assert got["IK.2"] == "Tercapai" == rows["IK.2"].kategori


def formula_sheet(row: base.Baris, skala) -> Excel:
    """A one-row worksheet for the property test, laid out as the kertas kerja (row 2, the Skala sheet)."""
    from openpyxl import Workbook

    wb = Workbook()
    ws = wb.active
    ws.title = kertas_kerja.KK_SHEET
    ws["F2"] = float(row.realisasi) if row.realisasi is not None else None
    ws["K2"] = float(row.target) if row.target is not None else None
    ws["L2"] = float(row.target_bawah) if row.target_bawah is not None else None
    ws["M2"] = float(row.target_atas) if row.target_atas is not None else None
    ws["G2"] = kertas_kerja.capaian_formula(row, 2)
    ws["H2"] = kertas_kerja.kategori_formula(2, len(skala))
    sheet = wb.create_sheet(kertas_kerja.SKALA_SHEET)
    for i, band in enumerate(sorted(skala, key=lambda k: k.minimum), 2):
        sheet.cell(i, 1, float(band.minimum) if band.minimum.is_finite() else 0.0)
        sheet.cell(i, 2, band.nama)
    return Excel(wb)


money = st.decimals(min_value=D("0.01"), max_value=D("100000"), places=2)
realisation = st.decimals(min_value=D(0), max_value=D("100000"), places=2)


@settings(max_examples=300, deadline=None)
@given(
    arah=st.sampled_from([rumus.NAIK, rumus.TURUN]),
    a=money,
    b=money,
    realisasi=realisation,
    rentang=st.booleans(),
)
def test_the_excel_formula_is_rumus_capaian(arah, a, b, realisasi, rentang):
    if rentang:
        row = base.Baris(id=1, arah=arah, target_bawah=min(a, b), target_atas=max(a, b), realisasi=realisasi)
        expected = rumus.capaian(arah=arah, realisasi=realisasi, bawah=min(a, b), atas=max(a, b))
    else:
        row = base.Baris(id=1, arah=arah, target=a, realisasi=realisasi)
        expected = rumus.capaian(arah=arah, realisasi=realisasi, target=a)
    assert kertas_kerja.can_use_formula(row)
    excel = formula_sheet(row, rumus.DEFAULT_SKALA)
    assert as_capaian(excel.cell(kertas_kerja.KK_SHEET, "G2")) == expected
    assert excel.cell(kertas_kerja.KK_SHEET, "H2") == rumus.kategori(expected)


@pytest.mark.parametrize(
    ("arah", "realisasi", "target", "bawah", "atas"),
    [
        ("naik", "1", "8", None, None),  # 12.5: exact halves
        ("naik", "0.01", "8", None, None),  # 0.125 → 0.13 half-up
        ("naik", "0.01", "0.08", None, None),  # 12.5
        ("turun", "0.29", "0.08", None, None),  # floored
        ("turun", "1.15", "1", None, None),  # 85.00 (float noise)
        ("naik", "1.005", "1", None, None),
        ("naik", "90", None, "80", "90"),  # on the bound
        ("turun", "80", None, "80", "90"),
        ("turun", "79.99", None, "80", "90"),
        ("naik", "0", None, "0", "10"),  # a lower bound of 0
    ],
)
def test_formula_boundaries(arah, realisasi, target, bawah, atas):
    def dec(x):
        return None if x is None else D(x)

    row = base.Baris(
        id=1,
        arah=arah,
        target=dec(target),
        target_bawah=dec(bawah),
        target_atas=dec(atas),
        realisasi=D(realisasi),
    )
    expected = rumus.capaian(
        arah=arah, realisasi=D(realisasi), target=dec(target), bawah=dec(bawah), atas=dec(atas)
    )
    excel = formula_sheet(row, rumus.DEFAULT_SKALA)
    assert as_capaian(excel.cell(kertas_kerja.KK_SHEET, "G2")) == expected


@given(nilai=st.decimals(min_value=D(-10), max_value=D(300), places=2))
def test_the_category_lookup_is_rumus_kategori(nilai):
    row = base.Baris(id=1, capaian_manual=nilai)
    from openpyxl import Workbook

    wb = Workbook()
    ws = wb.active
    ws.title = kertas_kerja.KK_SHEET
    ws["G2"] = float(nilai)
    ws["H2"] = kertas_kerja.kategori_formula(2, len(rumus.DEFAULT_SKALA))
    sheet = wb.create_sheet(kertas_kerja.SKALA_SHEET)
    for i, band in enumerate(sorted(rumus.DEFAULT_SKALA, key=lambda k: k.minimum), 2):
        sheet.cell(i, 1, float(band.minimum) if band.minimum.is_finite() else 0.0)
        sheet.cell(i, 2, band.nama)
    assert Excel(wb).cell(kertas_kerja.KK_SHEET, "H2") == rumus.kategori(row.capaian_manual)


def test_kertas_kerja_text_cells_cannot_run_but_its_formulas_do(org):
    p = make_pengukuran(org)
    BarisPengukuran.objects.filter(pengukuran=p, indikator_kode="IK.1").update(
        keterangan=FORMULA_TEXT, sasaran="@SUM(A1:A9)"
    )
    content = render(documents.JENIS_KERTAS_KERJA, org.kudus, kk_params(p)).content
    wb = load_workbook(io.BytesIO(content))
    ws = wb[kertas_kerja.KK_SHEET]
    _, numbers = table_rows(ws)
    r = next(r for r in numbers if ws.cell(r, 3).value.startswith("IK.1 "))
    assert ws.cell(r, 9).value == FORMULA_TEXT
    assert ws.cell(r, 9).data_type == "s" and ws.cell(r, 9).quotePrefix
    assert ws.cell(r, 2).data_type == "s"
    assert ws.cell(r, 7).data_type == "f" and ws.cell(r, 8).data_type == "f"


def test_kertas_kerja_pdf_shows_the_worksheet(org):
    p = make_pengukuran(org)
    steps(p, org)
    rendered = render(documents.JENIS_KERTAS_KERJA, org.kudus, kk_params(p, fmt="pdf"))
    assert rendered.content_type == "application/pdf"
    assert rendered.filename == "kertas-kerja-pengukuran-triwulan-ii-2026-v1.pdf"
    text = pdf_text(rendered.content)
    assert (
        text.startswith("KOMISI PEMILIHAN UMUM KABUPATEN KUDUS Jl. Ganesha")
        and "KPU KABUPATEN KUDUS" not in text
    )
    assert "KERTAS KERJA PENGUKURAN KINERJA" in text
    assert "Periode: Triwulan II 2026 · Versi 1" in text
    assert re.search(r"Dibuat: \d{1,2} \w+ \d{4} \d\d:\d\d WIB", text)
    assert "DRAF — BELUM DISETUJUI SEKRETARIS" in text
    for number in ("85,00", "120,00", "80,00", "110,00", "125,00", "66,67", "75,00"):
        assert number in text
    assert "Target 0: capaian tidak dapat dihitung" in text
    assert "Realisasi belum diisi." in text
    assert "Capaian manual: Target nol, dinilai dari laporan" in text
    assert "Fajar Nugroho, S.Kom." in text and org.rendatin.nip_display in text
    assert "Gita Rahmawati, S.T." in text and org.kasubag_rendatin.nip_display in text
    assert "Sangat Baik (≥ 91)" in text


# --- the report to the Sekretaris ---------------------------------------------------------------------------


def test_laporan_has_recap_worksheet_versions_and_signatures(org):
    p = make_pengukuran(org, versi=2)
    steps(p, org, versi=2)
    VersiPengukuran.objects.create(
        pengukuran=p,
        versi=1,
        keputusan=KeputusanVersi.DIKEMBALIKAN,
        catatan="Lengkapi bukti IK.7 dan periksa target.",
        oleh=org.sekretaris,
        pada=datetime.datetime(YEAR, 7, 5, 3, 0, tzinfo=datetime.UTC),
        data={"baris": []},
    )
    rendered = render(documents.JENIS_LAPORAN, org.kudus, {"pengukuran_id": p.pk, "versi": 2, "fmt": "pdf"})
    assert rendered.filename == "laporan-pengukuran-kinerja-triwulan-ii-2026-v2.pdf"
    text = pdf_text(rendered.content)
    assert "LAPORAN HASIL PENGUKURAN KINERJA" in text
    assert "Periode: Triwulan II 2026 · Versi 2" in text
    assert "Kepada Yth. Sekretaris KPU Kabupaten Kudus" in text
    # the recap: overall and per sasaran, averages of the measured rows, counts per category
    rows = measure(p)
    lembar = laporan.laporan_data(org.kudus, {"pengukuran_id": p.pk, "versi": 2})
    overall = lembar.rekap_rows[0]
    measured = [r.capaian_akhir for r in rows if r.capaian_akhir is not None]
    average = (sum(measured) / len(measured)).quantize(D("0.01"), rounding=ROUND_HALF_UP)
    assert overall["rata_rata"] == average
    assert overall["jumlah"] == 10
    assert lembar.kategori_names == [
        "Sangat Baik",
        "Baik",
        "Cukup",
        "Kurang",
        "Sangat Kurang",
        "Belum terukur",
    ]
    assert overall["counts"] == [3, 2, 2, 0, 1, 2]
    assert format_fixed(average) in text
    assert [(g["jenis"], g["nama"]) for g in lembar.rekap_rows if g["level"] == 1] == [
        ("Sasaran", SASARAN_1),
        ("Sasaran", SASARAN_2),
    ]
    assert SASARAN_1 in text and "Program 1" in text and "Kegiatan 2" in text
    # the worksheet table
    assert "120,00" in text and "125,00" in text and "Target 0: capaian tidak dapat dihitung" in text
    # the earlier version's return notes
    assert "Dikembalikan" in text and "Lengkapi bukti IK.7 dan periksa target." in text
    # signature blocks: staff who measured, Kasubag Rendatin, the Sekretaris' undecided block
    assert "Diukur oleh," in text and "Fajar Nugroho, S.Kom." in text and org.rendatin.nip_display in text
    assert "Diperiksa oleh," in text and "Kepala Subbagian Perencanaan, Data dan Informasi" in text
    assert "Gita Rahmawati, S.T." in text and org.kasubag_rendatin.nip_display in text
    assert "Disetujui / Dikembalikan *)" in text
    assert "Hadi Wijaya, S.Sos., M.M." in text and org.sekretaris.nip_display in text
    assert "DRAF — BELUM DISETUJUI SEKRETARIS" in text


def test_an_archived_version_shows_its_own_data_not_the_live_rows(org):
    p = make_pengukuran(org)
    steps(p, org)
    decided_at = datetime.datetime(YEAR, 7, 15, 7, 30, tzinfo=datetime.UTC)  # 14:30 WIB
    VersiPengukuran.objects.create(
        pengukuran=p,
        versi=1,
        keputusan=KeputusanVersi.DIKEMBALIKAN,
        catatan="Realisasi IK.1 perlu dicek ulang.",
        oleh=org.sekretaris,
        pada=decided_at,
        data=archived_data(p),
    )
    p.versi = 2
    p.tahap = TahapPengukuran.PENGUKURAN
    p.save()
    # version 2: Rendatin corrects IK.1 (85 → 95)
    BarisPengukuran.objects.filter(pengukuran=p, indikator_kode="IK.1").update(realisasi=D(95))
    v1 = {"pengukuran_id": p.pk, "versi": 1, "fmt": "pdf"}
    text = pdf_text(render(documents.JENIS_LAPORAN, org.kudus, v1).content)
    assert "Dikembalikan Sekretaris pada 15 Juli 2026 14:30 WIB oleh Hadi Wijaya" in text
    assert "Dikembalikan," in text and "Kudus, 15 Juli 2026" in text
    assert "Realisasi IK.1 perlu dicek ulang." in text
    assert "85,00" in text and "95,00" not in text
    wb = load_workbook(
        io.BytesIO(render(documents.JENIS_KERTAS_KERJA, org.kudus, {**v1, "fmt": "xlsx"}).content)
    )
    ws = wb[kertas_kerja.KK_SHEET]
    _, numbers = table_rows(ws)
    r = next(r for r in numbers if ws.cell(r, 3).value.startswith("IK.1 "))
    assert ws.cell(r, 6).value == 85
    assert as_capaian(Excel(wb).cell(kertas_kerja.KK_SHEET, f"G{r}")) == D("85.00")
    # the live version 2 has the correction, and the earlier notes
    v2 = {"pengukuran_id": p.pk, "versi": 2, "fmt": "pdf"}
    text2 = pdf_text(render(documents.JENIS_LAPORAN, org.kudus, v2).content)
    assert "95,00" in text2 and "Versi 2" in text2 and "Realisasi IK.1 perlu dicek ulang." in text2
    # the archived version's fingerprint does not move with the live rows; the live one does
    before = lembar.lembar_version(org.kudus, v1), lembar.lembar_version(org.kudus, v2)
    BarisPengukuran.objects.filter(pengukuran=p, indikator_kode="IK.2").update(realisasi=D(70))
    after = lembar.lembar_version(org.kudus, v1), lembar.lembar_version(org.kudus, v2)
    assert before[0] == after[0]
    assert before[1] != after[1]


def test_an_approved_version_has_the_approval_block(org):
    p = make_pengukuran(org, tahap=TahapPengukuran.DISETUJUI)
    steps(p, org)
    VersiPengukuran.objects.create(
        pengukuran=p,
        versi=1,
        keputusan=KeputusanVersi.DISETUJUI,
        oleh=org.sekretaris,
        pada=datetime.datetime(YEAR, 7, 20, 2, 0, tzinfo=datetime.UTC),
        data=archived_data(p),
    )
    text = pdf_text(render(documents.JENIS_LAPORAN, org.kudus, {"pengukuran_id": p.pk, "versi": 1}).content)
    assert "Disetujui Sekretaris pada 20 Juli 2026 09:00 WIB" in text
    assert "Disetujui," in text and "Kudus, 20 Juli 2026" in text
    assert "DRAF" not in text and "Coret yang tidak perlu" not in text


def test_reading_a_version_takes_a_fixed_number_of_queries(org):
    small = make_pengukuran(org, SPEC[:3])
    many = [
        (f"X.{i}", "naik", "100", None, None, str(i), ("kul", "teknis")[i % 2], None, "") for i in range(30)
    ]
    big = make_pengukuran(org, many, nomor=3)
    for p in (small, big):
        steps(p, org)
    counts = []
    for p in (small, big):
        params = {"pengukuran_id": p.pk, "versi": 1}
        with CaptureQueriesContext(connection) as ctx:
            laporan.laporan_data(org.kudus, params)
            lembar.lembar_version(org.kudus, params)
        counts.append(len(ctx.captured_queries))
    assert counts[0] == counts[1]
    assert counts[0] <= 12
    form_counts = []
    for p in (small, big):
        with CaptureQueriesContext(connection) as ctx:
            form_document.form_data(org.kudus, {"pengukuran_id": p.pk, "subbagian_id": org.kul.pk})
        form_counts.append(len(ctx.captured_queries))
    assert form_counts[0] == form_counts[1] <= 3


# --- the Form Data Kinerja ----------------------------------------------------------------------------------


def form_params(p, sub, fmt="xlsx"):
    return {"pengukuran_id": p.pk, "subbagian_id": sub.pk, "fmt": fmt}


def test_form_xlsx_is_protected_prefilled_and_identified(org):
    p = make_pengukuran(org, tahap=TahapPengukuran.PENGUMPULAN)
    row = BarisPengukuran.objects.get(pengukuran=p, indikator_kode="IK.1")
    row.realisasi = None
    row.realisasi_usulan = D("42.5")
    row.keterangan = FORMULA_TEXT
    row.save()
    rendered = render(documents.JENIS_FORM, org.kudus, form_params(p, org.kul))
    assert rendered.filename == "form-data-kinerja-triwulan-ii-2026-kul-v1.xlsx"
    wb = load_workbook(io.BytesIO(rendered.content))
    ws = wb[form_document.FORM_SHEET]
    header, numbers = table_rows(ws)
    assert [c.value for c in ws[header]] == form_document.FORM_HEADER
    kul_rows = BarisPengukuran.objects.filter(form__subbagian=org.kul, pengukuran=p).order_by("urutan", "pk")
    assert [ws.cell(r, 10).value for r in numbers] == [r.pk for r in kul_rows]
    assert ws.column_dimensions["J"].hidden
    assert ws.protection.sheet
    assert ws.freeze_panes == f"B{header + 1}"
    first = numbers[0]
    assert ws.cell(first, 5).value == "IK.1 Persentase capaian IK.1"
    assert ws.cell(first, 8).value == 42.5  # prefilled from verified entries
    assert ws.cell(first, 9).value == FORMULA_TEXT and ws.cell(first, 9).data_type == "s"
    for r in numbers:
        for column in range(1, 11):
            assert ws.cell(r, column).protection.locked == (column not in (8, 9)), (r, column)
    validations = ws.data_validations.dataValidation
    assert len(validations) == 1
    assert validations[0].type == "decimal" and validations[0].operator == "greaterThanOrEqual"
    assert validations[0].formula1 == "0"
    assert str(validations[0].sqref) == f"H{numbers[0]}:H{numbers[-1]}"
    range_row = next(r for r in numbers if ws.cell(r, 5).value.startswith("IK.6 "))
    assert ws.cell(range_row, 7).value == "80 – 90"
    meta_sheet = wb[form_document.META_SHEET]
    assert meta_sheet.sheet_state == "veryHidden"
    meta = {row[0]: row[1] for row in meta_sheet.iter_rows(values_only=True)}
    assert meta["jenis"] == "form_data_kinerja"
    assert meta["pengukuran_id"] == p.pk and meta["subbagian_id"] == org.kul.pk
    assert (meta["tahun"], meta["jenis_periode"], meta["nomor"], meta["versi"]) == (2026, "triwulan", 2, 1)
    assert meta["satker"] == "kudus"
    text = "\n".join(str(ws.cell(r, 1).value) for r in range(1, header))
    assert "FORM DATA KINERJA" in text and "Subbagian: Subbagian Keuangan, Umum dan Logistik" in text
    assert "Periode: Triwulan II 2026" in text


def test_form_pdf(org):
    p = make_pengukuran(org, tahap=TahapPengukuran.PENGUMPULAN)
    rendered = render(documents.JENIS_FORM, org.kudus, form_params(p, org.teknis, "pdf"))
    assert rendered.content_type == "application/pdf"
    text = pdf_text(rendered.content)
    assert "FORM DATA KINERJA" in text
    assert "Subbagian Teknis Penyelenggaraan Pemilu dan Hupmas" in text
    assert "Periode: Triwulan II 2026" in text
    assert "IK.3 Persentase capaian IK.3" in text and "IK.1 " not in text  # only Teknis' rows
    assert "Diterbitkan pada 2 Juli 2026 09:00 WIB oleh Fajar Nugroho, S.Kom." in text
    assert "Eko Prasetyo, S.IP." in text and org.other_kasubag.nip_display in text


def test_a_form_of_another_satker_or_a_missing_form_is_refused(org):
    p = make_pengukuran(org)
    with pytest.raises(docs.DokumenTidakTersedia):
        render(documents.JENIS_FORM, org.bontang, form_params(p, org.kul))
    with pytest.raises(docs.DokumenTidakTersedia):
        render(documents.JENIS_FORM, org.kudus, form_params(p, org.hukum))
    with pytest.raises(docs.DokumenTidakTersedia, match="Versi 3"):
        render(documents.JENIS_KERTAS_KERJA, org.kudus, kk_params(p, versi=3))


# --- the disposition sheet ----------------------------------------------------------------------------------


def test_disposisi_sheet(org):
    p = make_pengukuran(org, tahap=TahapPengukuran.KONSEP)
    rendered = render(documents.JENIS_DISPOSISI, org.kudus, {"pengukuran_id": p.pk, "fmt": "pdf"})
    assert rendered.filename == "disposisi-pengukuran-triwulan-ii-2026.pdf"
    text = pdf_text(rendered.content)
    assert "LEMBAR DISPOSISI" in text
    assert "Kepala Subbagian Perencanaan, Data dan Informasi (Gita Rahmawati, S.T.)" in text
    assert "Mohon segera dilakukan pengukuran kinerja triwulan ini." in text
    assert "Laporkan paling lambat Jumat." in text
    assert "1 Juli 2026 08:30 WIB" in text
    assert "Pengukuran kinerja periode Triwulan II 2026" in text
    assert "Kudus, 1 Juli 2026" in text
    assert "Hadi Wijaya, S.Sos., M.M." in text and org.sekretaris.nip_display in text


def test_times_are_in_the_satkers_own_zone(org):
    p = make_pengukuran(org, satker=org.bontang, tahap=TahapPengukuran.KONSEP)
    text = pdf_text(render(documents.JENIS_DISPOSISI, org.bontang, {"pengukuran_id": p.pk}).content)
    assert "KPU KOTA BONTANG" in text
    assert "1 Juli 2026 09:30 WITA" in text
    assert re.search(r"Dibuat: \d{1,2} \w+ \d{4} \d\d:\d\d WITA", text)


# --- through kinerja.document_store --------------------------------------------------------------------------------


def test_every_document_is_registered_and_renders_through_the_queue(org):
    p = make_pengukuran(org)
    steps(p, org)
    requests = [
        (documents.JENIS_FORM, form_params(p, org.kul, "xlsx")),
        (documents.JENIS_FORM, form_params(p, org.kul, "pdf")),
        (documents.JENIS_KERTAS_KERJA, kk_params(p, fmt="xlsx")),
        (documents.JENIS_KERTAS_KERJA, kk_params(p, fmt="pdf")),
        (documents.JENIS_LAPORAN, {"pengukuran_id": p.pk, "versi": 1, "fmt": "pdf"}),
        (documents.JENIS_DISPOSISI, {"pengukuran_id": p.pk, "fmt": "pdf"}),
    ]
    for jenis, params in requests:
        made = docs.dokumen_request(satker=org.kudus, jenis=jenis, params=params)
        assert made.status == StatusDokumen.SIAP, (jenis, made.pesan_galat)
        assert len(made.sha256) == 64 and "Triwulan II 2026" in made.judul
        assert docs.dokumen_request(satker=org.kudus, jenis=jenis, params=params).pk == made.pk  # reused
    assert Dokumen.objects.filter(satker=org.kudus).count() == len(requests)
    # a changed realisation makes the form and worksheet stale
    form_before = docs.GENERATORS[documents.JENIS_FORM].version(org.kudus, form_params(p, org.kul))
    BarisPengukuran.objects.filter(pengukuran=p, indikator_kode="IK.1").update(keterangan="Sudah dicek")
    assert docs.GENERATORS[documents.JENIS_FORM].version(org.kudus, form_params(p, org.kul)) != form_before
    assert docs.current(org.kudus, documents.JENIS_KERTAS_KERJA, kk_params(p)) is None


def test_an_archived_request_after_the_decision_keeps_that_version(org):
    """As the services do it: the version is stored, then its documents are requested as archived."""
    p = make_pengukuran(org)
    steps(p, org)
    VersiPengukuran.objects.create(
        pengukuran=p,
        versi=1,
        keputusan=KeputusanVersi.DIKEMBALIKAN,
        catatan="Perbaiki.",
        oleh=org.sekretaris,
        pada=timezone.now(),
        data=archived_data(p),
    )
    params = {"pengukuran_id": p.pk, "versi": 1, "fmt": "xlsx"}
    archived = docs.dokumen_request(
        satker=org.kudus,
        jenis=documents.JENIS_KERTAS_KERJA,
        params=params,
        archive_note="Versi 1 dikembalikan",
    )
    assert archived.status == StatusDokumen.SIAP and archived.arsip
    Pengukuran.objects.filter(pk=p.pk).update(versi=2, tahap=TahapPengukuran.PENGUKURAN)
    BarisPengukuran.objects.filter(pengukuran=p).update(realisasi=D(1))
    assert docs.current(org.kudus, documents.JENIS_KERTAS_KERJA, params).pk == archived.pk
