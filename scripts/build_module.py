"""Build the SuiteCRM Module Loader package: dist/suitecrm-journey-<version>.zip.

Responsible for turning suitecrm_module/ into the zip that Admin -> Module Loader
installs: manifest.php at the zip root with the version filled in from
``connector.__version__`` (read from connector/__init__.py, so the module and the
connector always match), every other file copied as is, stray files (.DS_Store,
__pycache__, editor swap and backup files) left out, and the archive made
deterministic (sorted entries, fixed timestamps and permissions) so that the same
sources always give the same bytes.

It must not import the connector package (building the zip needs no runtime
dependency) and must not change anything under suitecrm_module/.

Usage: python scripts/build_module.py [--source DIR] [--out-dir DIR]
"""

from __future__ import annotations

import argparse
import ast
import fnmatch
import os
import subprocess
import sys
import time
import zipfile
from collections.abc import Iterator
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SOURCE = ROOT / "suitecrm_module"
OUT_DIR = ROOT / "dist"
VERSION_FILE = ROOT / "connector" / "__init__.py"
PACKAGE_NAME = "suitecrm-journey"

STRAY_NAMES = (
    "__pycache__",
    ".DS_Store",
    "Thumbs.db",
    "desktop.ini",
    ".git",
    ".gitignore",
    ".idea",
)
STRAY_PATTERNS = ("*.swp", "*.swo", "*~", "*.bak", "*.orig", "*.pyc", "._*", ".#*")
PLACEHOLDERS = ("@VERSION@", "@PUBLISHED_DATE@")
EARLIEST_ZIP_TIME = 315532800  # 1980-01-01T00:00:00Z, the earliest time a zip entry can hold


def read_version(path: Path = VERSION_FILE) -> str:
    """The connector's ``__version__``, read from its source without importing it."""
    tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
    for node in tree.body:
        if isinstance(node, ast.Assign | ast.AnnAssign):
            targets = node.targets if isinstance(node, ast.Assign) else [node.target]
            names = [t.id for t in targets if isinstance(t, ast.Name)]
            if "__version__" in names and isinstance(node.value, ast.Constant):
                value = node.value.value
                if isinstance(value, str) and value:
                    return value
    raise SystemExit(f"{path}: no __version__ = '<version>' found; set it there and build again")


def build_time(root: Path = ROOT) -> int:
    """Seconds since the epoch stamped on the package: SOURCE_DATE_EPOCH, else the last commit."""
    env = os.environ.get("SOURCE_DATE_EPOCH", "").strip()
    if env.isdigit():
        return max(int(env), EARLIEST_ZIP_TIME)
    try:
        done = subprocess.run(
            ["git", "log", "-1", "--format=%ct"],
            cwd=root,
            capture_output=True,
            text=True,
            check=False,
            timeout=10,
        )
    except (OSError, subprocess.SubprocessError):
        return EARLIEST_ZIP_TIME
    stamp = done.stdout.strip()
    if done.returncode != 0 or not stamp.isdigit():
        return EARLIEST_ZIP_TIME
    return max(int(stamp), EARLIEST_ZIP_TIME)


def is_stray(relative: Path) -> bool:
    """Whether a path inside the source folder is editor, OS or build litter."""
    for part in relative.parts:
        if part in STRAY_NAMES or any(fnmatch.fnmatch(part, p) for p in STRAY_PATTERNS):
            return True
    return False


def iter_sources(source: Path) -> Iterator[Path]:
    """Every file of the package, relative to ``source``, sorted, strays left out."""
    files = [p.relative_to(source) for p in source.rglob("*") if p.is_file()]
    for relative in sorted(files, key=lambda p: p.as_posix()):
        if not is_stray(relative):
            yield relative


def render_manifest(text: str, version: str, published: str) -> str:
    """manifest.php with the version and publication date filled in."""
    for placeholder in PLACEHOLDERS:
        if placeholder not in text:
            raise SystemExit(f"manifest.php: placeholder {placeholder} is missing")
    return text.replace("@VERSION@", version).replace("@PUBLISHED_DATE@", published)


def build(source: Path = SOURCE, out_dir: Path = OUT_DIR, version: str | None = None) -> Path:
    """Write the zip and return its path."""
    version = version or read_version()
    if not (source / "manifest.php").is_file():
        raise SystemExit(f"{source}: manifest.php not found; is this the suitecrm_module folder?")
    stamp = build_time()
    published = time.strftime("%Y-%m-%d %H:%M:%S", time.gmtime(stamp))
    date_time = time.gmtime(stamp)[:6]
    out_dir.mkdir(parents=True, exist_ok=True)
    target = out_dir / f"{PACKAGE_NAME}-{version}.zip"
    partial = target.with_suffix(".zip.partial")
    with zipfile.ZipFile(
        partial, "w", compression=zipfile.ZIP_DEFLATED, compresslevel=9
    ) as archive:
        for relative in iter_sources(source):
            data = (source / relative).read_bytes()
            if relative.as_posix() == "manifest.php":
                data = render_manifest(data.decode("utf-8"), version, published).encode("utf-8")
            info = zipfile.ZipInfo(relative.as_posix(), date_time=date_time)
            info.compress_type = zipfile.ZIP_DEFLATED
            info.external_attr = (0o100644 & 0xFFFF) << 16
            info.create_system = 3
            archive.writestr(info, data)
    partial.replace(target)
    return target


def main(argv: list[str] | None = None) -> int:
    """Command line: build the package and say where it is."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--source", type=Path, default=SOURCE, help="package source folder")
    parser.add_argument("--out-dir", type=Path, default=OUT_DIR, help="where to write the zip")
    args = parser.parse_args(argv)
    target = build(args.source, args.out_dir)
    with zipfile.ZipFile(target) as archive:
        count = len(archive.namelist())
    print(f"{target} ({target.stat().st_size} bytes, {count} files)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
