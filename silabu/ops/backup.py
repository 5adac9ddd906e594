"""Backups that restore: a database dump, every stored object the database names, and a manifest of SHA-256s.

A backup is a folder:

    silabu-20261103T020000Z/
      manifest.json         format, time, database file and hash, row count of every table, every object and hash
      database.pgdump       PostgreSQL: pg_dump --format=custom (pg_restore reads it)
      database.sqlite3      SQLite: a copy made with SQLite's online backup API
      objects/<storage>/<name>   e.g. objects/evidence/bukti/2026/11/3f2a….jpg

Consistency. On PostgreSQL the dump, the row counts and the list of objects all come from one snapshot: a
repeatable-read transaction exports it (pg_export_snapshot) and pg_dump runs in it (--snapshot), so the objects
copied are exactly those the dumped rows name. On SQLite the backup API copies the database as of one moment
(it restarts if a write lands during the copy); counts and names are then read from that copy. SQLite's API is used
rather than Django's serialisation because it is exact (every table, the migration history, the sequences) and
fast, and a SILABU on SQLite restores onto SQLite; moving to PostgreSQL is a migration, not a restore.

Objects are immutable once named (random keys; a new version is a new object), so copying them after the dump
is safe. One deleted between the dump and its copy (an ASN removing evidence in an open month) is listed under
"missing" in the manifest and the command fails loudly: run it again.

Everything is generic: the tables come from the database, the objects from every FileField of every installed app
(silabu.ops.stores.file_fields), so nothing here knows verifikasi or rekap.
"""

import datetime
import hashlib
import json
import os
import shutil
import socket
import sqlite3
import subprocess
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath

import django
from django.conf import settings
from django.db import connection, transaction
from django.db.backends.postgresql.client import DatabaseClient
from django.utils import timezone

from . import stores

FORMAT = "silabu-backup/1"
MANIFEST = "manifest.json"
OBJECTS = "objects"
DB_FILES = {"postgresql": "database.pgdump", "sqlite": "database.sqlite3"}


class BackupError(Exception):
    pass


# --- the database ---------------------------------------------------------------------------------------------


def pg_tool(name: str) -> str:
    folder = settings.PG_BIN_DIR
    path = str(Path(folder) / name) if folder else shutil.which(name)
    if not path or not Path(path).exists():
        raise BackupError(f"{name} not found (install postgresql-client, or set PG_BIN_DIR)")
    return path


def pg_env(settings_dict: dict) -> dict[str, str]:
    """The libpq environment for pg_dump/pg_restore: the password never appears on a command line."""
    _, env = DatabaseClient.settings_to_cmd_args_env(settings_dict, [])
    env = dict(env or {})
    for key, value in (
        ("PGHOST", settings_dict.get("HOST")),
        ("PGPORT", settings_dict.get("PORT")),
        ("PGUSER", settings_dict.get("USER")),
        ("PGDATABASE", settings_dict.get("NAME")),
    ):
        if value:
            env[key] = str(value)
    # the child needs PATH, locale and HOME (for ~/.pgpass) as much as the connection variables
    return {**os.environ, **env}


def run(args: list[str], env: dict[str, str]) -> None:
    result = subprocess.run(args, env=env, capture_output=True, text=True, check=False)
    if result.returncode != 0:
        raise BackupError(
            f"{Path(args[0]).name} failed ({result.returncode}): {result.stderr.strip()[-2000:]}"
        )


def table_counts(cursor, tables: list[str]) -> dict[str, int]:
    counts = {}
    for table in sorted(tables):
        cursor.execute(f"SELECT COUNT(*) FROM {connection.ops.quote_name(table)}")
        counts[table] = cursor.fetchone()[0]
    return counts


def object_names(cursor) -> dict[str, set[str]]:
    """The stored objects the database names, by storage alias: every non-empty FileField value."""
    names: dict[str, set[str]] = {}
    for model, fld in stores.file_fields():
        alias = stores.storage_alias(fld.storage)
        table = connection.ops.quote_name(model._meta.db_table)
        column = connection.ops.quote_name(fld.column)
        cursor.execute(f"SELECT {column} FROM {table} WHERE {column} IS NOT NULL AND {column} <> ''")
        names.setdefault(alias, set()).update(row[0] for row in cursor.fetchall())
    return names


def _sqlite_snapshot(target: Path) -> tuple[dict[str, int], dict[str, set[str]]]:
    connection.ensure_connection()
    copy = sqlite3.connect(target)
    try:
        connection.connection.backup(copy)
        cursor = copy.cursor()
        cursor.execute("SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'")
        tables = [row[0] for row in cursor.fetchall()]
        return table_counts(cursor, tables), object_names(cursor)
    finally:
        copy.close()


def _pg_snapshot(target: Path) -> tuple[dict[str, int], dict[str, set[str]]]:
    connection.ensure_connection()
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY")
        cursor.execute("SELECT pg_export_snapshot()")
        snapshot = cursor.fetchone()[0]
        run(
            [pg_tool("pg_dump"), "--format=custom", f"--snapshot={snapshot}", f"--file={target}"],
            pg_env(connection.settings_dict),
        )
        tables = connection.introspection.table_names(cursor)
        return table_counts(cursor, tables), object_names(cursor)


def dump_database(target_dir: Path) -> tuple[dict, dict[str, int], dict[str, set[str]]]:
    vendor = connection.vendor
    if vendor not in DB_FILES:
        raise BackupError(f"no backup method for {vendor}")
    target = target_dir / DB_FILES[vendor]
    counts, names = (_pg_snapshot if vendor == "postgresql" else _sqlite_snapshot)(target)
    digest, size = sha256_file(target)
    info = {
        "vendor": vendor,
        "method": "pg_dump --format=custom" if vendor == "postgresql" else "sqlite3 online backup API",
        "file": target.name,
        "sha256": digest,
        "size": size,
    }
    return info, counts, names


# --- objects --------------------------------------------------------------------------------------------------


def sha256_file(path: Path) -> tuple[str, int]:
    digest = hashlib.sha256()
    size = 0
    with open(path, "rb") as handle:
        while chunk := handle.read(stores.CHUNK):
            digest.update(chunk)
            size += len(chunk)
    return digest.hexdigest(), size


def safe_relative(name: str) -> PurePosixPath:
    """An object name as a relative path that cannot leave the backup folder (a manifest is input too)."""
    path = PurePosixPath(name)
    if not name or path.is_absolute() or ".." in path.parts or "\\" in name or "\x00" in name:
        raise BackupError(f"unsafe object name {name!r}")
    return path


def object_path(root: Path, alias: str, name: str) -> Path:
    return root / OBJECTS / safe_relative(alias) / safe_relative(name)


def _copy_out(storage, name: str, dest: Path) -> tuple[str, int]:
    dest.parent.mkdir(parents=True, exist_ok=True)
    digest = hashlib.sha256()
    size = 0
    with open(dest, "wb") as out:
        for chunk in stores.read_chunks(storage, name):
            digest.update(chunk)
            out.write(chunk)
            size += len(chunk)
    return digest.hexdigest(), size


@dataclass
class BackupResult:
    path: Path
    manifest: dict
    missing: list[dict] = field(default_factory=list)


def backup(dest: Path, *, jobs: int = 4, now: datetime.datetime | None = None) -> BackupResult:
    """Write a new backup folder under `dest`; the manifest is written last, so a folder without one is unfinished."""
    now = now or timezone.now()
    root = Path(dest) / f"silabu-{now.astimezone(datetime.UTC):%Y%m%dT%H%M%SZ}"
    if root.exists():
        raise BackupError(f"{root} exists already")
    root.mkdir(parents=True)
    db_info, counts, names = dump_database(root)

    used = stores.used_storages()
    work = [(alias, name) for alias in sorted(names) for name in sorted(names[alias])]

    def copy(item):
        alias, name = item
        try:
            digest, size = _copy_out(used[alias], name, object_path(root, alias, name))
        except FileNotFoundError:
            return {"storage": alias, "name": name, "missing": True}
        return {"storage": alias, "name": name, "sha256": digest, "size": size}

    with ThreadPoolExecutor(max_workers=max(1, jobs)) as pool:
        copied = list(pool.map(copy, work))
    objects = [item for item in copied if not item.get("missing")]
    missing = [{"storage": item["storage"], "name": item["name"]} for item in copied if item.get("missing")]
    manifest = {
        "format": FORMAT,
        "created_at": now.isoformat(),
        "host": socket.gethostname(),
        "django": django.get_version(),
        "database": db_info,
        "tables": counts,
        "storages": {alias: stores.describe(storage) for alias, storage in used.items()},
        "objects": objects,
        "missing": missing,
    }
    partial = root / (MANIFEST + ".partial")
    partial.write_text(json.dumps(manifest, indent=1, ensure_ascii=False))
    partial.rename(root / MANIFEST)
    return BackupResult(root, manifest, missing)


def upload_to_bucket(root: Path, bucket_storage) -> int:
    """Copy a finished backup folder into a bucket (the storage's location is the folder's name)."""
    count = 0
    for path in sorted(p for p in root.rglob("*") if p.is_file()):
        name = path.relative_to(root).as_posix()
        with open(path, "rb") as handle:
            saved = bucket_storage.save(name, handle)
        if saved != name:
            raise BackupError(f"{name} exists in the bucket already")
        count += 1
    return count
