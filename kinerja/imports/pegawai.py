"""A whole office's staff from XLSX/CSV (Admin): new people get an account with a temporary password, existing
ones are updated, roles in the file are granted (never taken away); one wrong row refuses the file
(kinerja.imports.base)."""

from dataclasses import dataclass, field
from typing import BinaryIO

from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db.models import Q
from django.utils.text import slugify

from ..accounts import Kredensial, temporary_password
from ..models import Pegawai, Role, Satker, StatusPegawai, Subbagian, normalize_nip, validate_nip
from .base import Row, RowErrors, SubbagianLookup, Table, import_into, parsed_once, read_rows

MAX_ROWS = 1000

PEGAWAI_COLUMNS = {
    "nip": "nip",
    "nama": "nama",
    "jabatan": "jabatan",
    "golongan": "golongan",
    "pangkat": "golongan",
    "pangkat/golongan": "golongan",
    "pangkat golongan": "golongan",
    "subbagian": "subbagian",
    "status": "status",
    "peran": "peran",
    "email": "email",
}
GRANTED_ROLES = {Role.KASUBAG, Role.SEKRETARIS, Role.ADMIN, Role.PIMPINAN}
# ASN follows from the status and Rendatin from membership of the Rendatin subbagian; accepted, not stored.
DERIVED_ROLES = {Role.ASN, Role.RENDATIN}
STATUS_WORDS = {
    "pns": StatusPegawai.PNS,
    "pppk": StatusPegawai.PPPK,
    "non_asn": StatusPegawai.NON_ASN,
    "non-asn": StatusPegawai.NON_ASN,
    "non asn": StatusPegawai.NON_ASN,
    "nonasn": StatusPegawai.NON_ASN,
}
# Column → Pegawai field; an existing person keeps what the file has no column for.
OPTIONAL_FIELDS = {
    "jabatan": "jabatan",
    "golongan": "pangkat_golongan",
    "subbagian": "subbagian",
    "status": "status",
}


@dataclass(frozen=True)
class PegawaiImportResult:
    created: int
    updated: int
    unchanged: int = 0
    credentials: list[Kredensial] = field(default_factory=list)
    posts: list[str] = field(default_factory=list)  # the Kasubag and Sekretaris posts filled

    @property
    def summary(self) -> str:
        return f"{self.created} akun baru, {self.updated} diperbarui, {self.unchanged} tanpa perubahan"


@dataclass
class _PegawaiRow:
    number: int
    nip: str | None
    username: str
    nama: str
    jabatan: str
    golongan: str
    subbagian: Subbagian | None
    status: str
    roles: set[str]
    email: str
    existing: Pegawai | None = None

    @property
    def who(self) -> str:
        return f"NIP {self.nip}" if self.nip else f"nama pengguna {self.username}"


# --- one row -----------------------------------------------------------------------------------------------------


def _roles(row: Row, errors: RowErrors) -> set[str]:
    roles: set[str] = set()
    for word in row.text("peran").replace(";", ",").split(","):
        word = word.strip().lower()
        if not word or word in DERIVED_ROLES:
            continue
        if word in GRANTED_ROLES:
            roles.add(word)
        else:
            errors.add(
                row.number, f"peran {word!r} tidak dikenal; pilih dari kasubag, sekretaris, admin, pimpinan."
            )
    return roles


def _nip_and_username(row: Row, nama: str, errors: RowErrors) -> tuple[str | None, str]:
    n = row.number
    nip = normalize_nip(row.text("nip").lstrip("'")) or None
    if isinstance(row.values.get("nip"), float):
        # Excel keeps 15 significant digits: an 18-digit NIP typed as a number has already lost its tail.
        errors.add(
            n, "NIP tersimpan sebagai angka sehingga digit terakhirnya hilang; format kolom NIP sebagai Teks."
        )
    elif nip:
        try:
            validate_nip(nip)
        except ValidationError as error:
            errors.add(n, f"NIP {nip}: {' '.join(error.messages)}")
    if nip:
        return nip, nip
    # Only a Pimpinan outside the civil service goes without NIP; checked once the person is matched.
    username = slugify(nama)[:150]
    if nama and not username:
        errors.add(n, "nama tidak dapat dijadikan nama pengguna; isi nama dengan huruf.")
    return None, username


def _email(row: Row, errors: RowErrors) -> str:
    email = row.text("email")
    if email:
        try:
            validate_email(email)
        except ValidationError:
            errors.add(row.number, f"email {email!r} tidak valid.")
    return email


def _parse_pegawai_row(row: Row, *, subbagian: SubbagianLookup, errors: RowErrors) -> _PegawaiRow | None:
    n = row.number
    before = len(errors)
    nama = row.text("nama")
    if not nama:
        errors.add(n, "nama wajib diisi.")
    errors.length(n, "nama", nama, 150)
    status_text = row.text("status")
    status = STATUS_WORDS.get(status_text.lower()) if status_text else StatusPegawai.PNS
    if status is None:
        errors.add(n, f"status {status_text!r} tidak dikenal; isi PNS, PPPK atau NON_ASN.")
    roles = _roles(row, errors)
    nip, username = _nip_and_username(row, nama, errors)
    sub = subbagian.find(row, errors)
    if Role.KASUBAG in roles and Role.SEKRETARIS in roles:
        errors.add(n, "peran kasubag dan sekretaris tidak dapat dipegang bersamaan.")
    elif Role.KASUBAG in roles and not row.text("subbagian"):
        errors.add(n, "peran kasubag memerlukan kolom subbagian yang dipimpin.")
    email = _email(row, errors)
    jabatan, golongan = row.text("jabatan"), row.text("golongan")
    errors.length(n, "jabatan", jabatan, 150)
    errors.length(n, "golongan", golongan, 80)
    if len(errors) > before:
        return None
    return _PegawaiRow(n, nip, username, nama, jabatan, golongan, sub, status, roles, email)


# --- the file ------------------------------------------------------------------------------------------------------


def pegawai_import(
    *, satker: Satker, fileobj: BinaryIO, filename: str, by: Pegawai | None
) -> PegawaiImportResult:
    """Onboard or update a satker's staff from an XLSX/CSV file (all rows or none).

    New people get an account named by their NIP with a temporary password they must change at first
    sign-in; the passwords are returned once and never stored in clear. Roles in the file are granted, never
    taken away: `kasubag` and `sekretaris` fill those posts (replacing the holder), `admin` and `pimpinan`
    set the flags.
    """
    table = read_rows(fileobj, aliases=PEGAWAI_COLUMNS, required=("nip", "nama"), max_rows=MAX_ROWS)
    sekretaris = {}

    def write(locked: Satker) -> PegawaiImportResult:
        result = _pegawai_write(locked, _pegawai_validate(locked, table), table.columns)
        sekretaris["id"] = locked.sekretaris_id
        return result

    result = import_into(
        satker,
        write,
        busy="Data pegawai",
        action="pegawai_impor",
        title="pegawai",
        filename=filename,
        by=by,
        note=lambda r: f"{r.summary}." + (" Jabatan: " + "; ".join(r.posts) + "." if r.posts else ""),
    )
    satker.sekretaris_id = sekretaris["id"]
    return result


def _pegawai_validate(satker: Satker, table: Table) -> list[_PegawaiRow]:
    errors = RowErrors()
    parsed = _parsed_rows(satker, table, errors)
    unmatched = _match_existing(satker, parsed, errors)
    taken = set(
        get_user_model()
        .objects.filter(username__in=[item.username for item in parsed])
        .values_list("username", flat=True)
    )
    for item in parsed:
        if item.number not in unmatched:
            _check_person(satker, item, table.columns, taken, errors)
    errors.raise_if_any()
    return parsed


def _parsed_rows(satker: Satker, table: Table, errors: RowErrors) -> list[_PegawaiRow]:
    """Every row read, each person once, each post (a subbagian's Kasubag, the Sekretaris) given once."""
    subbagian = SubbagianLookup(satker)
    parsed: list[_PegawaiRow] = []
    kasubag_of: dict[int, int] = {}
    sekretaris_row: int | None = None
    for _, item in parsed_once(
        table,
        lambda row: _parse_pegawai_row(row, subbagian=subbagian, errors=errors),
        key=lambda item: item.username,
        again=lambda item, first: f"{item.who} sudah ada pada baris {first}.",
        errors=errors,
    ):
        if Role.KASUBAG in item.roles:
            claimed = kasubag_of.setdefault(item.subbagian.pk, item.number)
            if claimed != item.number:
                errors.add(
                    item.number,
                    f"subbagian {item.subbagian.singkatan} sudah diberi kasubag pada baris {claimed}.",
                )
        if Role.SEKRETARIS in item.roles:
            if sekretaris_row is not None:
                errors.add(item.number, f"sekretaris sudah ditetapkan pada baris {sekretaris_row}.")
            else:
                sekretaris_row = item.number
        parsed.append(item)
    return parsed


def _match_existing(satker: Satker, parsed: list[_PegawaiRow], errors: RowErrors) -> set[int]:
    """Find the people already there: by NIP, and those without NIP (Pimpinan) by name, as their account may
    predate any import. Returns the rows that match wrongly (another satker's NIP, a name held twice)."""
    nips = [item.nip for item in parsed if item.nip]
    by_nip = {p.nip: p for p in Pegawai.objects.filter(nip__in=nips).select_related("user")}
    nipless: dict[str, list[Pegawai]] = {}
    for person in Pegawai.objects.filter(satker=satker, nip__isnull=True).select_related("user"):
        nipless.setdefault(person.nama.lower(), []).append(person)
    wrong: set[int] = set()
    for item in parsed:
        if item.nip:
            match = by_nip.get(item.nip)
            if match is not None and match.satker_id != satker.pk:
                errors.add(item.number, f"NIP {item.nip} sudah terdaftar di satker lain.")
                wrong.add(item.number)
            else:
                item.existing = match
            continue
        matches = nipless.get(item.nama.lower(), [])
        if len(matches) > 1:
            errors.add(
                item.number, f"ada {len(matches)} pegawai tanpa NIP bernama {item.nama}; ubah lewat Admin."
            )
            wrong.add(item.number)
        elif matches:
            item.existing = matches[0]
    return wrong


def _check_person(
    satker: Satker, item: _PegawaiRow, columns: frozenset[str], taken: set[str], errors: RowErrors
) -> None:
    if item.nip is None and not _may_go_without_nip(item, columns):
        errors.add(item.number, "NIP wajib diisi; hanya pimpinan berstatus NON_ASN yang boleh tanpa NIP.")
        return
    if item.existing is None and item.username in taken:
        errors.add(item.number, f"nama pengguna {item.username} sudah dipakai akun lain.")
        return
    keeps_subbagian = item.existing is not None and "subbagian" not in columns
    if item.subbagian is None and not (
        keeps_subbagian
        or item.roles & {Role.SEKRETARIS, Role.PIMPINAN}
        or item.status == StatusPegawai.NON_ASN
        or (item.existing is not None and item.existing.pk == satker.sekretaris_id)
    ):
        errors.add(item.number, "subbagian wajib diisi (hanya Sekretaris dan Pimpinan tanpa subbagian).")


def _may_go_without_nip(item: _PegawaiRow, columns: frozenset[str]) -> bool:
    person = item.existing
    status = person.status if person is not None and "status" not in columns else item.status
    pimpinan = Role.PIMPINAN in item.roles or (person is not None and person.is_pimpinan)
    return status == StatusPegawai.NON_ASN and pimpinan


# --- writing ---------------------------------------------------------------------------------------------------


def _pegawai_write(satker: Satker, parsed: list[_PegawaiRow], columns: frozenset[str]) -> PegawaiImportResult:
    credentials: list[Kredensial] = []
    created = updated = unchanged = 0
    people: dict[int, Pegawai] = {}
    for item in parsed:
        if item.existing is None:
            pegawai, password = _create(satker, item)
            credentials.append(Kredensial(item.nama, item.username, password))
            created += 1
        else:
            pegawai = item.existing
            if _update(pegawai, item, columns):
                updated += 1
            else:
                unchanged += 1
        people[item.number] = pegawai
    posts = _assign_posts(satker, parsed, people)
    return PegawaiImportResult(created, updated, unchanged, credentials, posts)


def _values(item: _PegawaiRow) -> dict:
    return {
        "nama": item.nama,
        "jabatan": item.jabatan,
        "pangkat_golongan": item.golongan,
        "subbagian": item.subbagian,
        "status": item.status,
    }


def _create(satker: Satker, item: _PegawaiRow) -> tuple[Pegawai, str]:
    password = temporary_password()
    user = get_user_model().objects.create_user(username=item.username, email=item.email, password=password)
    pegawai = Pegawai.objects.create(
        user=user,
        satker=satker,
        nip=item.nip,
        is_admin=Role.ADMIN in item.roles,
        is_pimpinan=Role.PIMPINAN in item.roles,
        wajib_ganti_sandi=True,
        **_values(item),
    )
    return pegawai, password


def _update(pegawai: Pegawai, item: _PegawaiRow, columns: frozenset[str]) -> bool:
    """Whether anything changed: what the file has columns for, the granted flags, the e-mail."""
    values = _values(item)
    for column, name in OPTIONAL_FIELDS.items():
        if column not in columns:
            del values[name]
    values["is_admin"] = pegawai.is_admin or Role.ADMIN in item.roles
    values["is_pimpinan"] = pegawai.is_pimpinan or Role.PIMPINAN in item.roles
    changed = [name for name, value in values.items() if _field_value(pegawai, name) != _plain(value)]
    for name in changed:
        setattr(pegawai, name, values[name])
    if changed:
        pegawai.save(update_fields=changed)
    if item.email and pegawai.user.email != item.email:
        pegawai.user.email = item.email
        pegawai.user.save(update_fields=["email"])
        changed.append("email")
    return bool(changed)


def _field_value(obj, name: str):
    return obj.subbagian_id if name == "subbagian" else getattr(obj, name)


def _plain(value):
    return value.pk if isinstance(value, Subbagian) else value


def _assign_posts(satker: Satker, parsed: list[_PegawaiRow], people: dict[int, Pegawai]) -> list[str]:
    """Fill the Kasubag and Sekretaris posts the file names; the previous holders simply lose the post."""
    posts: list[str] = []
    heads = {item.subbagian.pk: people[item.number] for item in parsed if Role.KASUBAG in item.roles}
    current = dict(Subbagian.objects.filter(satker=satker).values_list("pk", "kasubag_id"))
    heads = {sub: p for sub, p in heads.items() if current.get(sub) != p.pk}
    if heads:
        # A person heads one subbagian at most: free both the posts and the new heads' old posts first.
        Subbagian.objects.filter(satker=satker).filter(
            Q(pk__in=heads) | Q(kasubag__in=list(heads.values()))
        ).update(kasubag=None)
        subs = Subbagian.objects.in_bulk(list(heads))
        for sub_pk, pegawai in heads.items():
            Subbagian.objects.filter(pk=sub_pk).update(kasubag=pegawai)
            posts.append(f"Kasubag {subs[sub_pk].singkatan}: {pegawai.nama}")
    for item in parsed:
        if Role.SEKRETARIS in item.roles and satker.sekretaris_id != people[item.number].pk:
            satker.sekretaris = people[item.number]
            satker.save(update_fields=["sekretaris"])
            posts.append(f"Sekretaris: {item.nama}")
    return posts
