"""The build's own pieces, each alone: notice discovery and keys (sources.py), the typed per-notice cache
(cache.py), the one-notice pipeline (notice.py) and the notice.yml schema (meta.KEYS)."""

from __future__ import annotations

import dataclasses
import json
from pathlib import Path

import pytest

from conftest import SEED_ID
from noticepub.cache import Cache, NoticeResult, TranslationCounts
from noticepub.errors import InputError
from noticepub.meta import KEYS, SCHEMA, parse_notice_yml
from noticepub.model import EDITED, MACHINE, PENDING, ArticleSummary, NoticeMeta, NoticeSummary, SegmentState
from noticepub.notice import english, parse_notice, process_notice, report_warnings, spans
from noticepub.settings import load_settings
from noticepub.sources import NoticeInputs, SharedInputs, discover, notice_key
from noticepub.translate import TranslationReport


def _result(key: str = "k1") -> NoticeResult:
    return NoticeResult(
        notice_id="n1",
        key=key,
        pages={"en/notices/n1/a1.md": "ab" * 32},
        summary=NoticeSummary(
            id="n1", slug="n1", date=None, publication=None, page=None, tags=("社会救助",), regions=(),
            articles=tuple(ArticleSummary(id=a, slug=a, title={"zh-Hans": "标题"}, first={}, attribution={},
                                          pending={"en": True}, continued=False, headline=True, tags=(), regions=())
                           for a in ("a1", "a2")),
            unpublished=(), counts={"edited": 3}),
        translation=TranslationCounts.of({"edited": 3, "pending": 2}, "argos 1.9"),
        warnings=["n1: QA: a1.p1.1: number 7 missing"],
        from_cache=False,
        page_bytes={"en/notices/n1/a1.md": b"page"},
    )


def test_segment_states_are_the_strings_on_disk() -> None:
    assert [str(s) for s in (EDITED, MACHINE, PENDING)] == ["edited", "machine", "pending"]
    assert SegmentState("pending") is PENDING
    assert json.dumps({PENDING: 1}) == '{"pending": 1}'
    assert f"{MACHINE}" == "machine"


def test_cache_round_trip_is_typed_and_keyed(tmp_path: Path) -> None:
    settings = load_settings(Path(__file__).resolve().parents[1])
    cache = Cache(dataclasses.replace(settings, root=tmp_path))
    cache.store(_result())
    back = cache.load("n1", "k1")
    assert back is not None and back.from_cache
    assert back.translation == TranslationCounts(((EDITED, 3), (MACHINE, 0), (PENDING, 2)), "argos 1.9")
    assert back.translation.get(PENDING) == 2
    assert back.pages == {"en/notices/n1/a1.md": "ab" * 32}
    assert back.articles == 2 and back.page_bytes == {}  # page bytes are never cached
    assert back.summary == _result().summary  # typed on the way back
    assert cache.load("n1", "other-key") is None
    from noticepub.site_incremental import signed_loads  # cache files are JSON signed with the machine's key

    stored = signed_loads((cache.dir / "n1.json").read_bytes())
    assert stored["translation"] == {"counts": {"edited": 3, "machine": 0, "pending": 2}, "engine": "argos 1.9"}


def test_cache_file_of_another_shape_is_a_miss(tmp_path: Path) -> None:
    settings = dataclasses.replace(load_settings(Path(__file__).resolve().parents[1]), root=tmp_path)
    cache = Cache(settings)
    cache.dir.mkdir(parents=True)
    (cache.dir / "n1.json").write_text(json.dumps({"key": "k1", "pages": {}}), encoding="utf-8")
    assert cache.load("n1", "k1") is None
    (cache.dir / "n1.json").write_text("[1, 2]", encoding="utf-8")
    assert cache.load("n1", "k1") is None


def test_notice_key_follows_every_input(tmp_project: Path) -> None:
    settings = load_settings(tmp_project)
    shared = SharedInputs.collect(settings)
    (folder,) = discover(settings)
    inputs = NoticeInputs.read(folder, settings)
    key = notice_key(shared, inputs)
    assert key == notice_key(shared, NoticeInputs.read(folder, settings))  # deterministic
    assert notice_key(shared, dataclasses.replace(inputs, raw=inputs.raw + b"\n")) != key
    assert notice_key(shared, dataclasses.replace(inputs, notice_yml=b"page: 4\n")) != key
    assert notice_key(shared, inputs, b"msgid \"\"\n") != key
    glossary = settings.glossary_path
    glossary.write_text(glossary.read_text(encoding="utf-8") + "\n# edited\n", encoding="utf-8")
    assert notice_key(SharedInputs.collect(settings), inputs) != key


def test_discover_refuses_a_folder_without_raw_txt(tmp_project: Path) -> None:
    settings = load_settings(tmp_project)
    (settings.source_path / "empty-notice").mkdir()
    with pytest.raises(InputError, match="has no raw.txt"):
        discover(settings)


def test_one_notice_pipeline_on_the_seed(tmp_project: Path) -> None:
    settings = load_settings(tmp_project)
    inputs = NoticeInputs.read(settings.source_path / SEED_ID, settings)
    notice = parse_notice(inputs, settings)
    assert notice.meta.id == SEED_ID and len(notice.parsed.articles) >= 4
    en = english(notice, settings)
    assert en.report.counts[EDITED] == 72 and not en.report.counts.get(PENDING)
    result = process_notice(inputs, settings, SharedInputs.collect(settings))
    assert not result.from_cache and result.po_bytes is None  # en.po already says it all
    assert result.translation.get(EDITED) == 72
    assert set(result.pages) == set(result.page_bytes)
    assert any(p.startswith("en/notices/") for p in result.pages)


def test_warnings_name_pending_and_every_finding() -> None:
    report = TranslationReport(counts={PENDING: 2}, qa_findings=["a1.p1.1: number 7 missing"])
    assert report_warnings(report) == ["2 English segment(s) pending translation", "QA: a1.p1.1: number 7 missing"]
    assert report_warnings(TranslationReport(counts={EDITED: 5})) == []
    assert spans((3, 4, 5, 9)) == "3-5, 9" and spans(()) == "-"


def test_notice_yml_schema_is_declared_once() -> None:
    fields = [f.name for f in dataclasses.fields(NoticeMeta) if f.name != "id"]
    assert [key.name for key in KEYS] == list(SCHEMA)
    assert sorted(SCHEMA) == sorted(fields)  # every key is a NoticeMeta field and every field a key
    meta = parse_notice_yml(b"date: 2023-01-16\npage: A3\nslugs: {a1: x-y}\n", Path("notice.yml"), "n1")
    assert (str(meta.date), meta.page, meta.slugs) == ("2023-01-16", "A3", (("a1", "x-y"),))
    with pytest.raises(InputError, match="key 'page': must be a page label"):
        parse_notice_yml(b"page: [1]\n", Path("notice.yml"), "n1")


def test_input_stat_cache_reads_again_only_the_file_that_changed(tmp_project: Path, monkeypatch) -> None:
    """sources.InputState: a notice whose files are as the last build read them needs no read; when only its
    en.po or notice.yml changed (e.g. the en.po the last build wrote, too recent then to keep), that file
    alone is read again, and kept once it is older than the stamp margin; an edit that restores size and
    mtime is seen (ctime); a changed raw.txt, a symlink or a file over its limit sends the notice to a
    whole read (None)."""
    import hashlib
    import os

    import noticepub.fsutil as fsutil
    import noticepub.sources as sources
    from noticepub.sources import InputState, input_hashes

    settings = load_settings(tmp_project)
    folder = tmp_project / "source_texts" / SEED_ID
    po = folder / "en.po"
    po.write_bytes(b'msgid ""\nmsgstr ""\n')
    path = tmp_project / "stat-cache.json"
    monkeypatch.setattr(fsutil, "STAMP_MARGIN_NS", -10**9)  # as if a tick had passed since each write
    state = InputState(path)
    inputs = NoticeInputs.read(folder, settings)
    state.remember(inputs)
    state.save()
    assert InputState(path).hashes(folder, settings) == input_hashes(inputs)

    read: list[str] = []
    real = sources.read_input
    monkeypatch.setattr(sources, "read_input", lambda root, p, *a, **k: read.append(p.name) or real(root, p, *a, **k))
    new = b'msgid ""\nmsgstr ""\n\nmsgid "a"\nmsgstr "b"\n'
    po.write_bytes(new)
    state = InputState(path)
    got = dict(state.hashes(folder, settings))
    assert read == ["en.po"] and got["en.po"] == hashlib.sha256(new).hexdigest()
    assert got["raw.txt"] == dict(input_hashes(inputs))["raw.txt"]
    assert state.seen[f"{SEED_ID}/en.po"][4] == got["en.po"]  # old enough (patched margin): kept
    state.save()
    read.clear()
    info = po.stat()
    po.write_bytes(new.replace(b'"b"', b'"c"'))  # same size, mtime put back: the ctime still moves
    os.utime(po, ns=(info.st_atime_ns, info.st_mtime_ns))
    monkeypatch.setattr(fsutil, "STAMP_MARGIN_NS", 2 * 10**9)  # the real rule: just written, not kept
    state = InputState(path)
    assert dict(state.hashes(folder, settings))["en.po"] == hashlib.sha256(po.read_bytes()).hexdigest()
    assert read == ["en.po"] and f"{SEED_ID}/en.po" not in state.seen and f"{SEED_ID}/raw.txt" in state.seen
    po.write_bytes(b"x" * (settings.max_po_bytes + 1))
    assert InputState(path).hashes(folder, settings) is None
    po.unlink()
    po.symlink_to(folder / "notice.yml")
    assert InputState(path).hashes(folder, settings) is None
    po.unlink()
    raw = folder / "raw.txt"
    raw.write_bytes(raw.read_bytes() + "补充。\n".encode())
    read.clear()
    assert InputState(path).hashes(folder, settings) is None and read == []
