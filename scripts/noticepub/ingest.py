"""Ingest: bytes -> text. Decode (UTF-8, UTF-8 BOM, GB18030/GBK), NFC, one newline style; refuse bad input.

A file is decoded only when it is confidently UTF-8 (it decodes strictly) or GB18030 (it decodes strictly
*and* charset-normalizer takes it for a GB encoding): Big5 or Shift-JIS bytes also decode as GB18030, into
nonsense, so decoding alone proves nothing. A UTF-8 file with a few bytes of another encoding, UTF-16 and
anything else are refused with one line saying what the file looks like.

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


# Encodings charset-normalizer may name for a Chinese GB file (all decoded as GB18030, their superset).
GB_FAMILY = frozenset({"gb18030", "gbk", "gb2312", "cp936", "hz"})
_NAMES = {"big5": "Big5", "cp950": "Big5", "big5hkscs": "Big5-HKSCS", "cp932": "Shift-JIS", "shift_jis": "Shift-JIS",
          "shift_jis_2004": "Shift-JIS", "shift_jisx0213": "Shift-JIS", "euc_jp": "EUC-JP", "iso2022_jp": "ISO-2022-JP",
          "euc_kr": "EUC-KR", "cp949": "EUC-KR", "johab": "Johab (Korean)", "utf_16": "UTF-16",
          "utf_16_le": "UTF-16", "utf_16_be": "UTF-16", "utf_32": "UTF-32", "utf_32_le": "UTF-32",
          "utf_32_be": "UTF-32", "utf_7": "UTF-7"}
_SAVE = "save it as UTF-8 (or GB18030) and add it again"


def _looks_like(data: bytes) -> str | None:
    """What charset-normalizer takes ``data`` for ("Big5", "Shift-JIS", "UTF-16"...), or None."""
    from charset_normalizer import from_bytes  # only for files that are not UTF-8

    best = from_bytes(data).best()
    if best is None:
        return None
    name = _NAMES.get(best.encoding, best.encoding)
    return name if name.lower() not in GB_FAMILY else "GB18030"


def _common_gb(text: str) -> bool:
    """True when at least 98 % of the Chinese characters of ``text`` are in GB2312 (the 6,763 common simplified
    ones): Big5 or Shift-JIS bytes read as GB18030 give rare characters, kana and symbols instead."""
    han = [ch for ch in text if _is_cjk(ch)]
    if len(han) < 4:
        return False
    common = 0
    for ch in han:
        try:
            ch.encode("gb2312")
            common += 1
        except UnicodeEncodeError:
            pass
    return common >= 0.98 * len(han)


def _line_of(data: bytes, offset: int) -> int:
    return data.count(b"\n", 0, offset) + 1


def _decode(data: bytes, path: str | Path) -> str:
    """UTF-8 (with or without BOM) or GB18030, only when the bytes are confidently one of them."""
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        raise InputError(path, f"looks like UTF-16 text (it starts with a UTF-16 byte-order mark); {_SAVE}")
    if data.startswith(b"\xef\xbb\xbf"):
        data = data[3:]
        try:
            return data.decode("utf-8")
        except UnicodeDecodeError as exc:
            raise InputError(path, f"starts with a UTF-8 byte-order mark but line {_line_of(data, exc.start + 3)} is "
                             f"not UTF-8; {_SAVE}") from None
    if b"\x00" in data:
        looks = _looks_like(data)
        if looks in ("UTF-16", "UTF-32"):
            raise InputError(path, f"looks like {looks} text; {_SAVE}")
        raise InputError(path, "looks like a binary file (it contains NUL bytes), not extracted page text")
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as exc:
        first_bad = exc.start
    as_utf8 = data.decode("utf-8", errors="replace")
    bad = as_utf8.count("\ufffd")
    han = sum(1 for ch in as_utf8 if _is_cjk(ch))
    if han > 4 * bad:  # GB bytes read as UTF-8 give far more invalid sequences than Chinese characters
        raise InputError(path, f"is mostly UTF-8, but {bad} byte sequence(s) are not (the first at line "
                         f"{_line_of(data, first_bad)}: text in another encoding, e.g. a GBK character pasted in); "
                         "save the whole file as UTF-8")
    try:
        text = data.decode("gb18030")
    except UnicodeDecodeError:
        text = None
    looks = _looks_like(data)
    if text is not None and looks is None and _common_gb(text):
        looks = "GB18030"  # too little text for charset-normalizer, but only common simplified characters
    if text is None or looks != "GB18030":
        what = f"it looks like {looks}" if looks else "its encoding cannot be recognised"
        raise InputError(path, f"is neither UTF-8 nor GB18030 text ({what}); {_SAVE}")
    return text


def decode_raw(data: bytes, path: str | Path) -> str:
    """raw.txt's text: decoded (UTF-8, UTF-8 with BOM, GB18030), NFC, "\\n" newlines, invisible characters
    removed; empty, binary, mixed or other encodings (Big5, Shift-JIS, UTF-16...) refused (raises InputError)."""
    if not data.strip():
        raise InputError(path, "is empty; put the raw page text in it")
    text = _decode(data, path)
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
