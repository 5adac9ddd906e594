"""manage.py verify_storage: every stored file against its recorded SHA-256; missing, corrupt, orphan objects."""

import datetime
import json
import time

from django.core.management.base import BaseCommand, CommandError

from silabu.ops import integrity


class Command(BaseCommand):
    help = (
        "Re-hash every evidence file (BuktiDukung) and generated document (Dokumen) against the SHA-256 recorded "
        "when it was stored, check that every other object a row names (thumbnails, measurement evidence, logos) "
        "exists, and list objects no row names (orphans). Exit status 1 if anything is missing, corrupt or orphan."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--grace-minutes",
            type=int,
            default=15,
            help="objects younger than this are not called orphans (an upload being committed); default 15",
        )
        parser.add_argument("--jobs", type=int, default=4, help="objects read in parallel (default 4)")
        parser.add_argument("--json", action="store_true", help="print the report as JSON")

    def handle(self, *args, **options):
        started = time.monotonic()
        report = integrity.verify(
            grace=datetime.timedelta(minutes=options["grace_minutes"]), jobs=options["jobs"]
        )
        seconds = time.monotonic() - started
        counts = {kind: report.count(kind) for kind in ("missing", "corrupt", "orphan")}
        if options["json"]:
            self.stdout.write(
                json.dumps(
                    {
                        "hashed": report.hashed,
                        "present": report.present,
                        "listed": report.listed,
                        **counts,
                        "seconds": round(seconds, 2),
                        "problems": [p.__dict__ for p in report.problems],
                    },
                    ensure_ascii=False,
                )
            )
        else:
            if options["verbosity"]:
                for p in report.problems:
                    self.stdout.write(
                        f"{p.kind}: {p.storage}/{p.name}" + (f" ({p.detail})" if p.detail else "")
                    )
            if options["verbosity"] or not report.ok:
                self.stdout.write(
                    f"{report.hashed} files hashed, {report.present} more checked present, {report.listed} objects "
                    f"listed in {seconds:.1f} s: {counts['missing']} missing, {counts['corrupt']} corrupt, "
                    f"{counts['orphan']} orphan"
                )
        if not report.ok:
            raise CommandError(
                f"storage does not match the database: {counts['missing']} missing, {counts['corrupt']} corrupt, "
                f"{counts['orphan']} orphan",
                returncode=1,
            )
