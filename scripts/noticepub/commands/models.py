"""`noticepub models list` and `noticepub models install FILE.argosmodel` (offline)."""

from __future__ import annotations

import argparse
import zipfile
from pathlib import Path

from noticepub.errors import TranslationError
from noticepub.translate.engine import find_zh_en, installed_packages, require_mt


def cmd_models_list(args: argparse.Namespace) -> int:
    require_mt()
    packages = installed_packages()
    if not packages:
        print("no Argos Translate packages installed")
        return 0
    used = find_zh_en()
    for pkg in packages:
        mark = "  (used for English)" if used is not None and pkg.path == used.path else ""
        print(f"{pkg.from_code}->{pkg.to_code}  {pkg.code}  version {pkg.version}  {pkg.path}{mark}")
    return 0


def check_archive(path: Path) -> None:
    """Refuse files that would break the packages directory (a flat zip spills model/ into it)."""
    if not path.is_file() or path.suffix != ".argosmodel":
        raise TranslationError(path, "not an .argosmodel file")
    try:
        with zipfile.ZipFile(path) as archive:
            names = [n for n in archive.namelist() if n and not n.startswith("__MACOSX")]
    except zipfile.BadZipFile:
        raise TranslationError(path, "is not a valid .argosmodel (zip) archive") from None
    tops = {name.split("/", 1)[0] for name in names}
    if len(tops) != 1 or not all("/" in n for n in names) or f"{next(iter(tops))}/metadata.json" not in names:
        raise TranslationError(path, "must hold one top folder with metadata.json inside (a flat zip would spill files)")
    if any(".." in Path(n).parts or n.startswith("/") for n in names):
        raise TranslationError(path, "holds paths outside its folder; refusing to install it")


def cmd_models_install(args: argparse.Namespace) -> int:
    path = Path(args.file)
    check_archive(path)
    require_mt(path)
    import argostranslate.package as argos_package  # optional and slow to import: only to install

    argos_package.install_from_path(path)
    print(f"installed {path.name}")
    return cmd_models_list(args)
