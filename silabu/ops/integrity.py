"""Is every stored file what the database says it is? (manage.py verify_storage)

- every evidence file (BuktiDukung.berkas) and every generated document (Dokumen.berkas, archived or not) is
  re-read and hashed against the SHA-256 recorded when it was stored: missing or corrupt;
- every other object a row names (thumbnails, measurement evidence, logos: no hash is recorded for them) must
  exist: missing;
- every object in a store that no row names, older than the grace period (an upload whose row is being committed
  right now is not an orphan): orphan.
"""

import datetime
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field

from django.utils import timezone

from kinerja.models import BuktiDukung, Dokumen

from . import stores

# the FileFields whose rows record the SHA-256 of their object: (model, file field) -> hash field
HASHED = {(BuktiDukung, "berkas"): "sha256", (Dokumen, "berkas"): "sha256"}


@dataclass(frozen=True)
class Problem:
    kind: str  # "missing", "corrupt", "orphan"
    storage: str
    name: str
    detail: str = ""


@dataclass
class Report:
    hashed: int = 0
    present: int = 0
    listed: int = 0
    problems: list[Problem] = field(default_factory=list)

    def count(self, kind: str) -> int:
        return sum(1 for p in self.problems if p.kind == kind)

    @property
    def ok(self) -> bool:
        return not self.problems


def _expected() -> tuple[dict[tuple[str, str], str | None], set[tuple[str, str]]]:
    """(storage alias, name) -> recorded SHA-256 or None, and every (alias, name) a row names."""
    expected: dict[tuple[str, str], str | None] = {}
    for model, fld in stores.file_fields():
        alias = stores.storage_alias(fld.storage)
        rows = model._base_manager.exclude(**{fld.attname: ""}).exclude(**{f"{fld.attname}__isnull": True})
        hash_field = HASHED.get((model, fld.name))
        if hash_field:
            for name, digest in rows.values_list(fld.attname, hash_field).iterator(chunk_size=5000):
                expected[(alias, name)] = digest or None
        else:
            for name in rows.values_list(fld.attname, flat=True).iterator(chunk_size=5000):
                expected.setdefault((alias, name), None)
    return expected, set(expected)


def _check_one(item) -> Problem | None:
    (alias, name), digest, storage = item
    try:
        found, _size = stores.sha256_of(storage, name)
    except FileNotFoundError:
        return Problem("missing", alias, name)
    if found != digest:
        return Problem("corrupt", alias, name, f"recorded {digest[:12]}…, stored {found[:12]}…")
    return None


def _orphans(listed: dict[str, set[str]], referenced: set[tuple[str, str]], grace: datetime.timedelta):
    cutoff = timezone.now() - grace
    used = stores.used_storages()
    for alias, names in listed.items():
        for name in sorted(names):
            if (alias, name) in referenced:
                continue
            try:
                young = used[alias].get_modified_time(name) > cutoff
            except (FileNotFoundError, NotImplementedError):
                young = False
            if not young:
                yield Problem("orphan", alias, name)


def verify(*, grace: datetime.timedelta = datetime.timedelta(minutes=15), jobs: int = 4) -> Report:
    """One listing of each store, then: every hashed object re-read (in parallel), every other named object looked
    up in the listing, every listed object no row names checked for its age."""
    report = Report()
    used = stores.used_storages()
    listed = {alias: set(stores.iter_names(storage)) for alias, storage in used.items()}
    report.listed = sum(len(names) for names in listed.values())
    expected, referenced = _expected()
    hashed = []
    for (alias, name), digest in sorted(expected.items()):
        if name not in listed[alias]:
            report.problems.append(Problem("missing", alias, name))
        elif digest is None:
            report.present += 1
        else:
            hashed.append(((alias, name), digest, used[alias]))
    report.hashed = len(hashed)
    with ThreadPoolExecutor(max_workers=max(1, jobs)) as pool:
        report.problems += [problem for problem in pool.map(_check_one, hashed) if problem]
    report.problems += list(_orphans(listed, referenced, grace))
    return report
