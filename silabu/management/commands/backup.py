"""manage.py backup DEST: the database and every stored object, with a manifest of SHA-256s (silabu.ops.backup)."""

import time
from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from storages.backends.s3 import S3Storage

from silabu.ops import backup


class Command(BaseCommand):
    help = (
        "Write a backup: a consistent database dump (PostgreSQL: pg_dump custom format; SQLite: the online backup "
        "API), every evidence, document and logo object the database names, and manifest.json with the SHA-256 "
        "of each, to a new folder DEST/silabu-<UTC time>/ (and optionally into a bucket). Restore it with "
        "manage.py restore. Exit status 1 if an object the database names could not be read."
    )

    def add_arguments(self, parser):
        parser.add_argument("dest", help="folder under which the backup folder is made")
        parser.add_argument(
            "--bucket",
            help="also copy the finished backup into this S3 bucket (BACKUP_S3_* settings, else EVIDENCE_S3_*)",
        )
        parser.add_argument("--jobs", type=int, default=4, help="objects copied in parallel (default 4)")

    def handle(self, *args, **options):
        started = time.monotonic()
        try:
            result = backup.backup(Path(options["dest"]), jobs=options["jobs"])
        except backup.BackupError as exc:
            raise CommandError(str(exc)) from None
        manifest = result.manifest
        size = sum(o["size"] for o in manifest["objects"]) + manifest["database"]["size"]
        if options["verbosity"]:
            self.stdout.write(
                f"{result.path}: {manifest['database']['method']}, {len(manifest['tables'])} tables, "
                f"{sum(manifest['tables'].values())} rows, {len(manifest['objects'])} objects, "
                f"{size / 1024 / 1024:.1f} MiB in {time.monotonic() - started:.1f} s"
            )
        if options["bucket"]:
            store = S3Storage(**{**settings.BACKUP_S3_OPTIONS, "bucket_name": options["bucket"],
                                 "location": result.path.name})  # fmt: skip
            count = backup.upload_to_bucket(result.path, store)
            if options["verbosity"]:
                self.stdout.write(f"copied {count} files to s3://{options['bucket']}/{result.path.name}/")
        if result.missing:
            names = ", ".join(f"{m['storage']}/{m['name']}" for m in result.missing[:10])
            raise CommandError(
                f"{len(result.missing)} objects named by the database could not be read ({names}): deleted during "
                "the backup (run it again), or lost (manage.py verify_storage)",
                returncode=1,
            )
