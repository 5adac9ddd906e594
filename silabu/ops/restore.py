"""Rebuild a deployment from a backup folder (silabu.ops.backup): the database as dumped, every object back under
its own name, then the row count of every table compared with the manifest.

It refuses a deployment that is in use, unless forced: one with a user account or a satker, or with any object in
its stores. (A database that `migrate` has just made is empty in this sense: migrations fill reference tables,
never users or satker.) The backup itself is checked first, every file against the manifest's SHA-256, so a damaged
backup changes nothing.
"""

import json
import sqlite3
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path

from django.contrib.auth import get_user_model
from django.contrib.contenttypes.models import ContentType
from django.db import connection

from kinerja.models import Satker

from . import stores
from .backup import (
    DB_FILES,
    FORMAT,
    MANIFEST,
    BackupError,
    object_path,
    pg_env,
    pg_tool,
    run,
    sha256_file,
    table_counts,
)


@dataclass
class RestoreResult:
    tables: int
    rows: int
    objects_written: int
    objects_kept: int


def read_manifest(root: Path) -> dict:
    path = Path(root) / MANIFEST
    if not path.is_file():
        raise BackupError(f"{path} not found: not a backup folder, or an unfinished backup")
    manifest = json.loads(path.read_text())
    if manifest.get("format") != FORMAT:
        raise BackupError(f"unknown backup format {manifest.get('format')!r} (expected {FORMAT})")
    return manifest


def check_backup(root: Path, manifest: dict, *, jobs: int = 4) -> None:
    """Every file of the backup is there with the SHA-256 the manifest records."""
    db = manifest["database"]
    if sha256_file(root / db["file"])[0] != db["sha256"]:
        raise BackupError(f"{db['file']}: SHA-256 differs from the manifest: the backup is damaged")

    def check(item):
        path = object_path(root, item["storage"], item["name"])
        if not path.is_file():
            return f"{item['storage']}/{item['name']}: missing from the backup"
        if sha256_file(path)[0] != item["sha256"]:
            return f"{item['storage']}/{item['name']}: SHA-256 differs from the manifest"
        return None

    with ThreadPoolExecutor(max_workers=max(1, jobs)) as pool:
        problems = [p for p in pool.map(check, manifest["objects"]) if p]
    if problems:
        raise BackupError(f"the backup is damaged ({len(problems)} objects): " + "; ".join(problems[:5]))


def in_use() -> list[str]:
    """Why this deployment is not empty (nothing when it is)."""
    reasons = []
    tables = set(connection.introspection.table_names())
    for model, label in ((get_user_model(), "user accounts"), (Satker, "satker")):
        if model._meta.db_table in tables:
            count = model._base_manager.count()
            if count:
                reasons.append(f"{count} {label}")
    for alias, storage in stores.used_storages().items():
        if not stores.is_empty(storage):
            reasons.append(f"objects in the {alias} store ({stores.describe(storage)})")
    return reasons


def restore_database(root: Path, manifest: dict) -> None:
    db = manifest["database"]
    if db["vendor"] != connection.vendor:
        raise BackupError(f"the backup is of {db['vendor']}, this deployment runs {connection.vendor}")
    path = root / DB_FILES[db["vendor"]]
    if connection.vendor == "postgresql":
        settings_dict = dict(connection.settings_dict)
        connection.close()  # our own session must not hold a lock on what pg_restore drops
        run(
            [
                pg_tool("pg_restore"),
                "--clean",
                "--if-exists",
                "--no-owner",
                "--no-privileges",
                "--single-transaction",
                "--exit-on-error",
                f"--dbname={settings_dict['NAME']}",
                str(path),
            ],
            pg_env(settings_dict),
        )
    else:
        connection.ensure_connection()
        source = sqlite3.connect(path)
        try:
            source.backup(connection.connection)
        finally:
            source.close()
    ContentType.objects.clear_cache()


def restore_objects(root: Path, manifest: dict, *, jobs: int = 4) -> tuple[int, int]:
    used = stores.used_storages()
    unknown = {item["storage"] for item in manifest["objects"]} - set(used)
    if unknown:
        raise BackupError(f"this deployment has no storage named {', '.join(sorted(unknown))}")
    # what each store holds already (nothing, unless forced): one listing instead of a request per object
    present = {alias: set(stores.iter_names(storage)) for alias, storage in used.items()}

    def put(item) -> bool:
        storage, name = used[item["storage"]], item["name"]
        if name in present[item["storage"]]:
            if stores.sha256_of(storage, name)[0] == item["sha256"]:
                return False  # already there as backed up (a forced restore over a deployment)
            storage.delete(name)
        with open(object_path(root, item["storage"], name), "rb") as handle:
            try:
                stores.write_exact(storage, name, handle)
            except FileExistsError as exc:
                raise BackupError(f"{item['storage']}/{exc}") from None
        return True

    with ThreadPoolExecutor(max_workers=max(1, jobs)) as pool:
        written = sum(pool.map(put, manifest["objects"]))
    return written, len(manifest["objects"]) - written


def restore(root: Path, *, force: bool = False, jobs: int = 4) -> RestoreResult:
    root = Path(root)
    manifest = read_manifest(root)
    check_backup(root, manifest, jobs=jobs)
    reasons = in_use()
    if reasons and not force:
        raise BackupError(
            "this deployment is not empty (" + ", ".join(reasons) + "); use --force to overwrite it"
        )
    restore_database(root, manifest)
    written, kept = restore_objects(root, manifest, jobs=jobs)
    expected = manifest["tables"]
    with connection.cursor() as cursor:
        found = table_counts(cursor, list(expected))
    wrong = {t: (expected[t], found[t]) for t in expected if expected[t] != found[t]}
    if wrong:
        raise BackupError(f"row counts differ after the restore (table: backup, now): {wrong}")
    return RestoreResult(len(expected), sum(expected.values()), written, kept)
