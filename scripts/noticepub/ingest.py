"""Ingest: bytes -> text. Decode (UTF-8, UTF-8 BOM, GB18030/GBK), NFC, one newline style; refuse bad input.

Every refusal is an InputError: one line naming the file, the problem and the fix.
"""

from __future__ import annotations

import unicodedata
from functools import lru_cache
from pathlib import Path

from noticepub.errors import InputError


def _is_cjk(ch: str) -> bool:
    o = ord(ch)
    return 0x3400 <= o <= 0x9FFF or 0xF900 <= o <= 0xFAFF or 0x20000 <= o <= 0x3FFFF


# Control (Cc) and format (Cf) characters live only in planes 0, 1 and 14 (tests/test_ingest.py checks it).
_INVISIBLE_PLANES = (range(0x0, 0x20000), range(0xE0000, 0xE1000))


@lru_cache(maxsize=1)
def _invisible_table() -> dict[int, None]:
    return {cp: None for plane in _INVISIBLE_PLANES for cp in plane
            if unicodedata.category(chr(cp)) in ("Cc", "Cf") and chr(cp) not in "\n\t"}


def clean_text(text: str) -> str:
    """The one clean-up for every text that reaches a page, from any file (raw.txt, en.po, notice.yml,
    glossary, overrides): format characters (Cf: U+200B zero-width space, U+202E right-to-left override,
    U+FEFF...) and control characters (Cc, except newline and tab) are removed."""
    if text.isascii() and text.isprintable():
        return text
    if len(text) < 4096:  # short values: no need for the whole table
        return "".join(ch for ch in text if ch in "\n\t" or unicodedata.category(ch) not in ("Cc", "Cf"))
    return text.translate(_invisible_table())


def decode_raw(data: bytes, path: str | Path) -> str:
    if not data.strip():
        raise InputError(path, "is empty; put the raw page text in it")
    if b"\x00" in data:
        raise InputError(path, "looks like a binary file (it contains NUL bytes; if it is UTF-16 text, save it as UTF-8), "
                         "not extracted page text")
    if data.startswith(b"\xef\xbb\xbf"):
        data = data[3:]
    text: str | None = None
    for encoding in ("utf-8", "gb18030"):
        try:
            text = data.decode(encoding)
            break
        except UnicodeDecodeError:
            continue
    if text is None:
        raise InputError(path, "cannot be decoded as UTF-8 or GB18030; save it as UTF-8")
    text = unicodedata.normalize("NFC", text.replace("\r\n", "\n").replace("\r", "\n"))
    controls = sum(1 for ch in text if unicodedata.category(ch) == "Cc" and ch not in "\n\t")
    if controls > max(8, len(text) // 100):
        raise InputError(path, f"looks like a binary file ({controls} control characters), not extracted page text")
    text = clean_text(text)
    if not any(_is_cjk(ch) for ch in text):
        raise InputError(path, "contains no Chinese text; is this the right file?")
    return text


def read_raw(path: Path, max_bytes: int) -> str:
    path = Path(path)
    try:
        size = path.stat().st_size
        if size > max_bytes:
            raise InputError(
                path,
                f"is {size:,} bytes, over the limit of {max_bytes:,} bytes (setting max_raw_bytes in "
                "[tool.noticepub] of pyproject.toml); split the page or raise the limit",
            )
        data = path.read_bytes()
    except OSError as exc:
        raise InputError(path, f"cannot be read: {exc.strerror}") from None
    return decode_raw(data, path)
