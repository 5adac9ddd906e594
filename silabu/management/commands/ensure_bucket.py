"""manage.py ensure_bucket: make the S3 bucket that evidence, documents and logos go to, private. Idempotent."""

from django.core.management.base import BaseCommand, CommandError

from silabu.ops import stores


class Command(BaseCommand):
    help = (
        "Create the S3 bucket of the evidence store (EVIDENCE_S3_BUCKET) if it is missing, block public access and "
        "refuse a bucket that is public. Safe to run on every deployment; does nothing for a local folder."
    )

    def handle(self, *args, **options):
        buckets: dict[str, tuple[list[str], object]] = {}
        for alias, storage in stores.used_storages().items():
            if stores.is_s3(storage):
                buckets.setdefault(storage.bucket_name, ([], storage))[0].append(alias)
            elif options["verbosity"]:
                self.stdout.write(f"{alias}: the folder {stores.describe(storage)}, no bucket needed")
        for bucket, (aliases, storage) in buckets.items():
            try:
                done = stores.ensure_bucket(storage)
            except PermissionError as exc:
                raise CommandError(str(exc)) from None
            if options["verbosity"]:
                self.stdout.write(
                    f"{', '.join(aliases)}: s3://{bucket} ({storage.endpoint_url or 'AWS'}): "
                    + "; ".join(done)
                )
