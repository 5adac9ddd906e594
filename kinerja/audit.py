"""What an audit row says changed: the fields a service touched, each with its old and new value.

A service takes a `snapshot` of the fields it may change before it changes them and passes
`diff(before, after, fields)` to kinerja.services.audit as `perubahan`. Values are stored as JSON reads them
(dates as ISO text, decimals as text, a foreign key as the related row's id), so an inspector reads the row
without the code that wrote it.
"""

import datetime
import json
from collections.abc import Iterable, Mapping
from decimal import Decimal
from typing import Any

from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import FieldDoesNotExist
from django.core.serializers.json import DjangoJSONEncoder
from django.db import models
from django.utils import timezone

from .models import AuditLog, Satker

# What a secret field (a password hash) shows: that it changed, never what it was or became.
MASKED = "(disembunyikan)"

Perubahan = dict[str, list[Any]]


def _plain(value: Any) -> Any:
    """A value as JSON keeps it: the stored row never holds a Python object."""
    if isinstance(value, models.Model):
        return value.pk
    if isinstance(value, models.fields.files.FieldFile):
        return value.name or ""
    return json.loads(json.dumps(value, cls=DjangoJSONEncoder))


def _read(source: models.Model | Mapping[str, Any], field: str) -> Any:
    """The field's value as the database will hold it: a foreign key as its id (no query), a number a form
    has just set in the field's own type and places (3 in a decimal field with two places reads 3.00)."""
    if isinstance(source, Mapping):
        return source.get(field)
    try:
        model_field = source._meta.get_field(field)
    except FieldDoesNotExist:  # a property: read it as it is
        return getattr(source, field)
    value = getattr(source, model_field.attname)
    if value is not None and not model_field.is_relation:
        value = model_field.to_python(value)
        if isinstance(model_field, models.DecimalField):
            value = value.quantize(Decimal(1).scaleb(-model_field.decimal_places))
    return value


def snapshot(obj: models.Model, fields: Iterable[str]) -> dict[str, Any]:
    """The fields' values now, as JSON keeps them: the `before` of a later `diff`."""
    return {field: _plain(_read(obj, field)) for field in fields}


def diff(
    before: models.Model | Mapping[str, Any] | None,
    after: models.Model | Mapping[str, Any] | None,
    fields: Iterable[str],
    *,
    secret: Iterable[str] = (),
) -> Perubahan:
    """{field: [old, new]} for each of `fields` whose value differs between `before` and `after` (a model
    instance or a `snapshot`). None for `before` is a creation (old values None), None for `after` a deletion.
    A field in `secret` shows only that it changed."""
    secret = set(secret)
    changes: Perubahan = {}
    for field in fields:
        old = _plain(_read(before, field)) if before is not None else None
        new = _plain(_read(after, field)) if after is not None else None
        if old != new:
            changes[field] = [MASKED, MASKED] if field in secret else [old, new]
    return changes


# --- the audit writer ---------------------------------------------------------------------------------------


def audit(*, obj: models.Model, **fields) -> None:
    """One audit row for `obj`; `fields` as for audit_many."""
    audit_many(objs=[obj], **fields)


def audit_many(
    *,
    objs,
    actor,
    action: str,
    dari: str = "",
    ke: str = "",
    catatan: str = "",
    satker=None,
    waktu: datetime.datetime | None = None,
    perubahan: dict | None = None,
) -> None:
    """One audit row per object, in one INSERT: who (`actor`, a User), what (`action`), from and to (`dari`,
    `ke`), why (`catatan`), when (`waktu`, now unless a loader writes history), which fields changed
    (`perubahan`, {field: [old, new]} from kinerja.audit.diff; the same for every object of the call).

    The satker, when not given, is the object's own (its `satker_id`), so no row is left without one."""
    objs = list(objs)
    if not objs:
        return
    content_type = ContentType.objects.get_for_model(objs[0])
    waktu = waktu or timezone.now()
    AuditLog.objects.bulk_create(
        [
            AuditLog(
                satker_id=satker.pk if satker is not None else _satker_id_of(obj),
                actor=actor,
                content_type=content_type,
                object_id=obj.pk,
                action=action,
                dari=dari,
                ke=ke,
                catatan=catatan,
                perubahan=perubahan or {},
                waktu=waktu,
            )
            for obj in objs
        ]
    )


def _satker_id_of(obj: models.Model) -> int | None:
    if isinstance(obj, Satker):
        return obj.pk
    return getattr(obj, "satker_id", None)
