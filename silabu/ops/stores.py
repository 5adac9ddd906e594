"""The object stores behind the FileFields (local folders, or an S3-compatible bucket through django-storages):
reachability, the private bucket, listing and hashing, the same way for both."""

import hashlib
import os
from collections.abc import Iterator
from pathlib import Path

from django.apps import apps
from django.core.files import File
from django.core.files.storage import FileSystemStorage, Storage, default_storage, storages
from django.db import models

CHUNK = 1024 * 1024


def is_s3(storage: Storage) -> bool:
    return hasattr(storage, "bucket_name") and hasattr(storage, "connection")


def s3_client(storage: Storage):
    return storage.connection.meta.client


def describe(storage: Storage) -> str:
    if is_s3(storage):
        prefix = f"/{storage.location}" if storage.location else ""
        return f"s3://{storage.bucket_name}{prefix} ({storage.endpoint_url or 'AWS'})"
    return str(getattr(storage, "location", type(storage).__name__))


def ping(storage: Storage) -> None:
    """Raise if the store cannot be reached (the bucket is gone, the credentials fail, the folder is missing)."""
    if is_s3(storage):
        s3_client(storage).head_bucket(Bucket=storage.bucket_name)
        return
    location = Path(storage.location)
    # the folder may not exist before the first upload; its parent must then be writable
    probe = location if location.exists() else location.parent
    if not probe.is_dir() or not os.access(probe, os.W_OK):
        raise OSError(f"{location} is not a writable folder")


def file_fields() -> Iterator[tuple[type[models.Model], models.FileField]]:
    """Every concrete FileField (and ImageField) of every installed app: where stored objects are named."""
    for model in apps.get_models():
        if model._meta.proxy or not model._meta.managed:
            continue
        for field in model._meta.concrete_fields:
            if isinstance(field, models.FileField):
                yield model, field


def storage_alias(storage: Storage) -> str:
    """The STORAGES alias of a FileField's storage. A field holds the instance storages[alias] returned when its
    model was imported (or default_storage, the lazy proxy of storages["default"]); after a settings change the
    registry makes new instances, so an alias is also recognised by the same class and options."""
    if storage is default_storage:
        return "default"
    for alias in storages.backends:
        candidate = storages[alias]
        if candidate is storage or (
            type(candidate) is type(storage) and candidate.deconstruct() == storage.deconstruct()
        ):
            return alias
    raise LookupError(f"storage {storage!r} is not one of settings.STORAGES")


def used_storages() -> dict[str, Storage]:
    """The storages FileFields write to, by alias (evidence; default for logos)."""
    return {storage_alias(field.storage): field.storage for _, field in file_fields()}


def iter_names(storage: Storage) -> Iterator[str]:
    """Every object name in a store (relative to its location, as FileFields record them)."""
    if is_s3(storage):
        prefix = f"{storage.location.strip('/')}/" if storage.location else ""
        paginator = s3_client(storage).get_paginator("list_objects_v2")
        for page in paginator.paginate(Bucket=storage.bucket_name, Prefix=prefix):
            for item in page.get("Contents", ()):
                yield item["Key"][len(prefix) :]
        return
    if isinstance(storage, FileSystemStorage):
        root = Path(storage.location)
        if not root.exists():
            return
        for folder, _dirs, files in os.walk(root):
            for filename in files:
                yield (Path(folder) / filename).relative_to(root).as_posix()
        return
    raise NotImplementedError(f"cannot list {type(storage).__name__}")


def is_empty(storage: Storage) -> bool:
    return next(iter_names(storage), None) is None


def _key(storage: Storage, name: str) -> str:
    # the S3 key of a stored name: the location prefix joined as django-storages itself does
    return storage._normalize_name(name)


def read_chunks(storage: Storage, name: str) -> Iterator[bytes]:
    """A stored object's bytes, streamed. On S3 one GET (storage.open() first asks for the object's head, then
    buffers all of it). Raises FileNotFoundError when it is missing."""
    if is_s3(storage):
        from botocore.exceptions import ClientError

        try:
            body = s3_client(storage).get_object(Bucket=storage.bucket_name, Key=_key(storage, name))["Body"]
        except ClientError as exc:
            if exc.response.get("Error", {}).get("Code") in ("NoSuchKey", "404"):
                raise FileNotFoundError(name) from None
            raise
        with body:
            yield from body.iter_chunks(CHUNK)
        return
    with storage.open(name, "rb") as handle:
        while chunk := handle.read(CHUNK):
            yield chunk


def write_exact(storage: Storage, name: str, handle) -> None:
    """Store `handle`'s bytes under exactly `name` (a restore puts every object back under its own key)."""
    if is_s3(storage):
        s3_client(storage).upload_fileobj(handle, storage.bucket_name, _key(storage, name))
        return
    saved = storage.save(name, File(handle, name=name))
    if saved != name:
        raise FileExistsError(f"{name} was stored as {saved}")


def sha256_chunks(chunks) -> tuple[str, int]:
    """The SHA-256 and size of bytes that arrive in chunks (a stored object, an upload)."""
    digest = hashlib.sha256()
    size = 0
    for chunk in chunks:
        digest.update(chunk)
        size += len(chunk)
    return digest.hexdigest(), size


def sha256_of(storage: Storage, name: str) -> tuple[str, int]:
    """The SHA-256 and size of a stored object, read in chunks. Raises FileNotFoundError when it is missing."""
    return sha256_chunks(read_chunks(storage, name))


def ensure_bucket(storage: Storage) -> list[str]:
    """Create the storage's bucket if it is missing and keep it private. Idempotent: returns what it did."""
    from botocore.exceptions import ClientError

    client = s3_client(storage)
    bucket = storage.bucket_name
    done = []
    try:
        client.head_bucket(Bucket=bucket)
    except ClientError as exc:
        if exc.response.get("Error", {}).get("Code") not in ("404", "NoSuchBucket", "NotFound"):
            raise
        params = {"Bucket": bucket}
        region = client.meta.region_name
        if region and region != "us-east-1":
            params["CreateBucketConfiguration"] = {"LocationConstraint": region}
        client.create_bucket(**params)
        done.append(f"bucket {bucket} created")
    else:
        done.append(f"bucket {bucket} exists")
    try:
        client.put_public_access_block(
            Bucket=bucket,
            PublicAccessBlockConfiguration={
                "BlockPublicAcls": True,
                "IgnorePublicAcls": True,
                "BlockPublicPolicy": True,
                "RestrictPublicBuckets": True,
            },
        )
        done.append("public access blocked")
    except ClientError as exc:
        # MinIO and some Ceph releases have no public-access block; their buckets are private unless a policy
        # says otherwise, which the check below refuses.
        if exc.response.get("Error", {}).get("Code") not in (
            "NotImplemented",
            "XNotImplemented",
            "MethodNotAllowed",
        ):
            raise
        done.append(
            "this server has no public access block (its buckets are private unless a policy says otherwise)"
        )
    if bucket_is_public(client, bucket):
        raise PermissionError(
            f"bucket {bucket} has a public policy or ACL: remove it, evidence must stay private"
        )
    return done


_PUBLIC_GRANTEES = (
    "http://acs.amazonaws.com/groups/global/AllUsers",
    "http://acs.amazonaws.com/groups/global/AuthenticatedUsers",
)


def bucket_is_public(client, bucket: str) -> bool:
    from botocore.exceptions import ClientError

    try:
        acl = client.get_bucket_acl(Bucket=bucket)
    except ClientError:
        acl = {"Grants": []}
    if any(g.get("Grantee", {}).get("URI") in _PUBLIC_GRANTEES for g in acl.get("Grants", ())):
        return True
    try:
        status = client.get_bucket_policy_status(Bucket=bucket)
    except ClientError:
        return False  # no policy, or a server that cannot say
    return bool(status.get("PolicyStatus", {}).get("IsPublic"))
