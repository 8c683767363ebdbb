"""Strict PO reading (po_check.validate_po) and the shared safe-input helpers of fsutil."""

from __future__ import annotations

import unicodedata
from pathlib import Path

import pytest

from conftest import REPO, SEED_ID
from noticepub.errors import ConfigError, InputError
from noticepub.fsutil import check_docs_dir, read_input
from noticepub.ingest import _INVISIBLE_PLANES, clean_text
from noticepub.po_check import validate_po

SEED_PO = (REPO / "source_texts" / SEED_ID / "en.po").read_bytes()
P = Path("source_texts/x/en.po")


def test_the_seed_po_is_valid():
    validate_po(P, SEED_PO)


@pytest.mark.parametrize(
    ("text", "line", "words"),
    [
        ('msgctxt "a"\nmsgid "x"\nmsgstr "abc\n', 3, "end-of-line within string"),
        ('msgctxt "a"\nmsgid "x"\nmsgstr abc"\n', 3, ""),
        ('msgctxt "a"\nmsgid "x"\nmsgstr "a\\qb"\n', 3, "invalid control sequence"),
        ('msgctxt "a"\nmsgstr "abc"\n', 2, "syntax error"),
        ('msgctxt "a"\nmsgid "x"\nmsgstr "1"\n\nmsgctxt "a"\nmsgid "x"\nmsgstr "2"\n', 6, "duplicate"),
        ('msgctxt "a"\nmsgid "x"\nmsgstr "1"\n\nmsgctxt "a"\nmsgid "y"\nmsgstr "2"\n', 5, "duplicate msgctxt 'a'"),
        ('msgid "x"\nmsgstr "1"\n', 1, "without msgctxt"),
    ],
)
def test_malformed_po_names_the_line(text, line, words):
    with pytest.raises(InputError) as info:
        validate_po(P, text.encode())
    message = info.value.one_line()
    assert message.startswith(f"{P}: line {line}: ")
    assert words in message


def test_obsolete_duplicates_and_multiline_strings_are_fine():
    validate_po(P, b'msgctxt "a"\nmsgid ""\n"x"\n"y"\nmsgstr ""\n"1"\n\n#~ msgctxt "a"\n#~ msgid "old"\n#~ msgstr "o"\n')


@pytest.mark.parametrize(("data", "words"), [(b"", "empty (0 bytes)"), (b'msgid "\xff"\n', "not UTF-8")])
def test_empty_or_undecodable_po_is_refused(data, words):
    with pytest.raises(InputError, match=words.replace("(", r"\(").replace(")", r"\)")):
        validate_po(P, data)


def test_read_input_refuses_symlinks_folders_and_big_files(tmp_path):
    root = tmp_path / "repo"
    (root / "src" / "n").mkdir(parents=True)
    (root / "src" / "n" / "raw.txt").write_bytes(b"12345")
    assert read_input(root, root / "src" / "n" / "raw.txt", 10, "max_raw_bytes") == b"12345"
    assert read_input(root, root / "src" / "n" / "missing.txt", 10, "max_raw_bytes") is None
    with pytest.raises(InputError, match="over the limit of 4 bytes.*max_raw_bytes"):
        read_input(root, root / "src" / "n" / "raw.txt", 4, "max_raw_bytes")
    (root / "src" / "link").symlink_to(root / "src" / "n")
    with pytest.raises(InputError, match="link: is a symbolic link"):
        read_input(root, root / "src" / "link" / "raw.txt", 10, "max_raw_bytes")
    (root / "src" / "n" / "dir.txt").mkdir()
    with pytest.raises(InputError, match="not a regular file"):
        read_input(root, root / "src" / "n" / "dir.txt", 10, "max_raw_bytes")
    with pytest.raises(InputError, match="outside the repository"):
        read_input(root, root / ".." / "elsewhere.txt", 10, "max_raw_bytes")


@pytest.mark.parametrize("value", [".", "", "/abs", "../up", "source_texts", "source_texts/a", "scripts", ".git",
                                   "src-link", "a-file"])
def test_check_docs_dir_refuses_anything_but_a_plain_folder_inside(tmp_path, value):
    root = tmp_path / "repo"
    (root / "source_texts").mkdir(parents=True)
    (root / "elsewhere").mkdir()
    (root / "src-link").symlink_to(root / "elsewhere")
    (root / "a-file").write_text("x")
    with pytest.raises(ConfigError):
        check_docs_dir(root, value, ("source_texts",))


def test_check_docs_dir_accepts_a_plain_folder(tmp_path):
    assert check_docs_dir(tmp_path, "docs", ("source_texts",)) == tmp_path / "docs"
    assert check_docs_dir(tmp_path, "public/docs", ("source_texts",)) == tmp_path / "public" / "docs"


def test_clean_text_removes_format_and_control_characters_only():
    assert clean_text("民政\u200b部\u202e发布\ufeff\x1b[0m\n\tok") == "民政部发布[0m\n\tok"
    assert clean_text("plain ASCII") == "plain ASCII"


def test_invisible_characters_live_only_in_the_scanned_planes():
    covered = {cp for plane in _INVISIBLE_PLANES for cp in plane}
    for cp in range(0x110000):
        if unicodedata.category(chr(cp)) in ("Cc", "Cf"):
            assert cp in covered, hex(cp)
