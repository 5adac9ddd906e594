"""The one-way dependencies of DESIGN.md §7, checked on every module's imports (the standard `ast` module).

Layers, lowest first; a module may import its own layer and any layer below it, never one above:

    silabu.lib  →  plain helpers: imports no app (not even the rest of `silabu`)
    core        →  kinerja (the organisation, entries, calendar, the month's stage) and silabu (the policy,
                   template tags, middleware), which read each other: the policy reads the core's models and
                   the core's views ask the policy
    verifikasi  →  month-end verification
    pengukuran  →  the measurement SOP (rekap.pengukuran)
    rekap       →  the monthly chain and the board (may read the measurement)
    demo        →  the demo loader, above every app; nothing imports it

Imports inside functions count as much as those at the top: a deferred import is still a dependency.
"""

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
PACKAGES = ("silabu", "kinerja", "verifikasi", "rekap", "demo")
LAYERS = [
    ("silabu.lib",),
    ("silabu", "kinerja"),
    ("verifikasi",),
    ("rekap.pengukuran",),
    ("rekap",),
    ("demo",),
]
# silabu.urls wires every app's URLconf into the root (by dotted string); settings names every app.
ROOTS_OF_THE_TREE = {"silabu.urls", "silabu.settings", "silabu.settings_test", "silabu.wsgi"}


def layer_of(module: str) -> int | None:
    """The layer of a module: the one whose package name is the longest prefix of it (silabu.lib before silabu)."""
    best = None
    for index, names in enumerate(LAYERS):
        for name in names:
            if (module == name or module.startswith(name + ".")) and (best is None or len(name) > best[1]):
                best = (index, len(name))
    return best[0] if best else None


def modules():
    for package in PACKAGES:
        for path in sorted((ROOT / package).rglob("*.py")):
            if "migrations" in path.parts:
                continue
            parts = list(path.relative_to(ROOT).with_suffix("").parts)
            is_package = parts[-1] == "__init__"
            if is_package:
                parts = parts[:-1]
            yield ".".join(parts), path, is_package


def imported_names(module: str, path: Path, is_package: bool):
    tree = ast.parse(path.read_text(), filename=str(path))
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            for alias in node.names:
                yield node.lineno, alias.name
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = module.split(".") if is_package else module.split(".")[:-1]
                base = base[: len(base) - (node.level - 1)]
                target = ".".join(base + ([node.module] if node.module else []))
            else:
                target = node.module or ""
            yield node.lineno, target
            # "from rekap import services" names a submodule: check it as one
            for alias in node.names:
                yield node.lineno, f"{target}.{alias.name}"


def upward_imports():
    found = []
    for module, path, is_package in modules():
        if module in ROOTS_OF_THE_TREE:
            continue
        own = layer_of(module)
        for lineno, target in imported_names(module, path, is_package):
            theirs = layer_of(target)
            if theirs is not None and own is not None and theirs > own:
                found.append(f"{path.relative_to(ROOT)}:{lineno} {module} imports {target}")
    return sorted(set(found))


def test_layers_are_known():
    assert layer_of("silabu.lib.dates") < layer_of("silabu.policy") == layer_of("kinerja.models")
    assert layer_of("kinerja.models") < layer_of("verifikasi.services") < layer_of("rekap.pengukuran.models")
    assert layer_of("rekap.pengukuran.models") < layer_of("rekap.board") < layer_of("demo.kinerja")


@pytest.mark.parametrize("module", ["silabu.lib.dates", "kinerja.models"])
def test_the_walk_sees_imports(module):
    found = [m for m, _, _ in modules()]
    assert module in found


def test_no_module_imports_a_layer_above_its_own():
    assert upward_imports() == []


def test_the_walk_would_see_an_upward_import(tmp_path):
    """The check itself can fail: a core module that reads verifikasi is reported."""
    (tmp_path / "kinerja").mkdir()
    (tmp_path / "kinerja" / "probe.py").write_text(
        "def f():\n    from verifikasi.models import LaporanBulanan\n"
    )
    found = [
        target
        for _, target in imported_names("kinerja.probe", tmp_path / "kinerja" / "probe.py", False)
        if layer_of(target) > layer_of("kinerja.probe")
    ]
    assert "verifikasi.models" in found
