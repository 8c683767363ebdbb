"""jieba's prefix dictionary read from an SQLite file on demand instead of loaded whole.

jieba keeps every word and word prefix of its dictionary (about 500,000 entries) in one dict and
loads it from a marshal cache before the first segmentation: 1 s on a quiet machine, 5 s on a busy
one, paid by every site build that segments a single new sentence. Segmentation only ever asks for
the prefixes of the text at hand, so the same dictionary is written once into SQLite (in
``.noticepub-cache/``, named by a digest of the dictionary's bytes) and each lookup reads one row.
Words added at run time (user dictionaries) live in memory on top. The words, frequencies and total
are the very ones jieba computes, so the segmentation is the same (``tests/test_site_incremental.py``
compares it with jieba's own).
"""

from __future__ import annotations

import hashlib
import os
import sqlite3
import tempfile
from pathlib import Path
from typing import Any

_MISSING = object()


class SqliteFreq:
    """The subset of ``dict`` jieba's Tokenizer uses on ``FREQ``: ``in``, ``[]``, ``get``, ``[]=``."""

    def __init__(self, path: Path) -> None:
        self._db = sqlite3.connect(f"file:{path}?mode=ro", uri=True, check_same_thread=False)
        self._seen: dict[str, Any] = {}   # rows read so far (None: not in the dictionary)
        self._added: dict[str, int] = {}  # words added at run time (user dictionaries)

    def _value(self, word: str) -> int | None:
        value = self._added.get(word, _MISSING)
        if value is _MISSING:
            value = self._seen.get(word, _MISSING)
        if value is _MISSING:
            row = self._db.execute("SELECT f FROM freq WHERE w = ?", (word,)).fetchone()
            value = self._seen[word] = None if row is None else row[0]
        return value  # type: ignore[return-value]

    def __contains__(self, word: object) -> bool:
        return isinstance(word, str) and self._value(word) is not None

    def __getitem__(self, word: str) -> int:
        value = self._value(word)
        if value is None:
            raise KeyError(word)
        return value

    def get(self, word: str, default: Any = None) -> Any:
        value = self._value(word)
        return default if value is None else value

    def __setitem__(self, word: str, value: int) -> None:
        self._added[word] = value


def _dictionary_digest(tokenizer: Any) -> str:
    with tokenizer.get_dict_file() as fh:
        return hashlib.blake2b(fh.read(), digest_size=16).hexdigest()


def use_sqlite_prefix_dict(tokenizer: Any, cache_dir: Path) -> None:
    """Initialize ``tokenizer`` (a ``jieba.Tokenizer``) from the SQLite copy of its dictionary.

    The first time a dictionary is seen, jieba loads it the usual way (its marshal cache in
    ``cache_dir``) and the copy is written; every later process opens the copy.
    """
    if tokenizer.initialized:
        return
    import jieba

    path = cache_dir / f"jieba-{jieba.__version__}-{_dictionary_digest(tokenizer)}.sqlite"
    if not path.is_file():
        tokenizer.tmp_dir = str(cache_dir)
        tokenizer.initialize()
        fd, tmp = tempfile.mkstemp(dir=cache_dir, suffix=".sqlite-tmp")
        os.close(fd)
        db = sqlite3.connect(tmp)
        db.execute("CREATE TABLE freq (w TEXT PRIMARY KEY, f INTEGER NOT NULL) WITHOUT ROWID")
        db.execute("CREATE TABLE meta (k TEXT PRIMARY KEY, v INTEGER NOT NULL)")
        db.executemany("INSERT INTO freq VALUES (?, ?)", tokenizer.FREQ.items())
        db.execute("INSERT INTO meta VALUES ('total', ?)", (tokenizer.total,))
        db.commit()
        db.close()
        os.replace(tmp, path)
        return
    freq = SqliteFreq(path)
    total = freq._db.execute("SELECT v FROM meta WHERE k = 'total'").fetchone()[0]
    with tokenizer.lock:
        tokenizer.FREQ, tokenizer.total = freq, total
        tokenizer.initialized = True
