"""manage.py restore BACKUP: rebuild an empty deployment from a backup folder (silabu.ops.restore)."""

import tempfile
import time
from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from storages.backends.s3 import S3Storage

from silabu.ops import backup, restore, stores


class Command(BaseCommand):
    help = (
        "Restore a backup made by manage.py backup into this deployment: the database (pg_restore, or SQLite's "
        "backup API), every object under its own name, then every table's row count is compared with the "
        "manifest. The backup's files are checked against their SHA-256 first. Refuses a deployment that has "
        "users, satker or stored objects unless --force. BACKUP is a folder, or s3://bucket/folder."
    )

    def add_arguments(self, parser):
        parser.add_argument("source", help="the backup folder (with manifest.json), or s3://bucket/silabu-…")
        parser.add_argument("--force", action="store_true", help="overwrite a deployment that is not empty")
        parser.add_argument("--jobs", type=int, default=4, help="objects written in parallel (default 4)")

    def handle(self, *args, **options):
        started = time.monotonic()
        source = options["source"]
        try:
            if source.startswith("s3://"):
                with tempfile.TemporaryDirectory(prefix="silabu-restore-") as tmp:
                    result = restore.restore(self._download(source, Path(tmp)), force=options["force"],
                                             jobs=options["jobs"])  # fmt: skip
            else:
                result = restore.restore(Path(source), force=options["force"], jobs=options["jobs"])
        except backup.BackupError as exc:
            raise CommandError(str(exc)) from None
        if options["verbosity"]:
            self.stdout.write(
                f"restored {result.tables} tables ({result.rows} rows, counts as in the backup) and "
                f"{result.objects_written} objects ({result.objects_kept} already in place) in "
                f"{time.monotonic() - started:.1f} s. Next: manage.py migrate (if this code is newer than the "
                "backup), then manage.py verify_storage."
            )

    def _download(self, url: str, dest: Path) -> Path:
        bucket, _, prefix = url.removeprefix("s3://").partition("/")
        store = S3Storage(
            **{**settings.BACKUP_S3_OPTIONS, "bucket_name": bucket, "location": prefix.strip("/")}
        )
        for name in stores.iter_names(store):
            target = dest / backup.safe_relative(name)
            target.parent.mkdir(parents=True, exist_ok=True)
            with store.open(name, "rb") as src, open(target, "wb") as out:
                while chunk := src.read(stores.CHUNK):
                    out.write(chunk)
        return dest
