"""Hostile inputs of issue 25 (YAML, PO limits, corrections reverted, encodings): one reproduction each.

Every case is run through the CLI, as a maintainer or a pull request would run it: one error line naming
the file (and the key or line), exit 2, no traceback, nothing written.
"""

from __future__ import annotations

import re
import resource
import subprocess
import sys
import time

import polib
import pytest

from conftest import REPO, SEED_ID, SEED_SLUG, run_cli

MEMORY_LIMIT = 1 << 30  # 1 GiB of address space: the alias bomb took 3.1 GB before it was refused


def _limited() -> None:
    resource.setrlimit(resource.RLIMIT_AS, (MEMORY_LIMIT, MEMORY_LIMIT))


def _run_limited(project, *args: str) -> tuple[subprocess.CompletedProcess, float]:
    start = time.perf_counter()
    import os

    run = subprocess.run([sys.executable, "-m", "noticepub", *args], cwd=project, capture_output=True, text=True,
                         env={**os.environ, "CI": "1"}, timeout=120, preexec_fn=_limited)
    return run, time.perf_counter() - start


def _one_line_error(run: subprocess.CompletedProcess, *needles: str) -> str:
    assert run.returncode == 2, (run.returncode, run.stdout[-500:], run.stderr[-2000:])
    assert "Traceback" not in run.stderr
    lines = run.stderr.strip().splitlines()
    assert len(lines) == 1, run.stderr[-2000:]
    for needle in needles:
        assert needle in lines[0], lines[0]
    return lines[0]


def alias_bomb() -> str:
    """412 bytes: nine lists of nine references to the list before, 9^9 (387 million) strings expanded."""
    parts = ['&a0 ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]']
    parts += [f"&a{i} [" + ",".join([f"*a{i - 1}"] * 9) + "]" for i in range(1, 9)]
    return "date: [" + ", ".join(parts) + "]\n"


def _meta(project):
    return project / "source_texts" / SEED_ID / "notice.yml"


def test_alias_bomb_in_notice_yml_is_refused_fast_and_small(tmp_project):
    _meta(tmp_project).write_text(alias_bomb(), encoding="utf-8")
    for command in ("build", "status"):
        run, seconds = _run_limited(tmp_project, command)
        _one_line_error(run, f"{SEED_ID}/notice.yml", "line 1", "anchors and aliases")
        assert seconds < 10  # 51 s and a MemoryError before


@pytest.mark.parametrize("where", ["notice.yml", "glossary.yml", "zh-Hant-overrides.yml"])
def test_deep_nesting_is_refused_without_recursion_error(tmp_project, where):
    path = _meta(tmp_project) if where == "notice.yml" else tmp_project / "source_texts" / where
    key = {"notice.yml": "tags", "glossary.yml": "terms", "zh-Hant-overrides.yml": "overrides"}[where]
    path.write_text(f"{key}: " + "[" * 5000 + "]" * 5000 + "\n", encoding="utf-8")  # 10 KB
    run, _ = _run_limited(tmp_project, "build")
    _one_line_error(run, where, "nested more than 16 levels deep")


@pytest.mark.parametrize("where", ["glossary.yml", "zh-Hant-overrides.yml"])
def test_aliases_in_shared_files_are_refused(tmp_project, where):
    path = tmp_project / "source_texts" / where
    path.write_text(path.read_text(encoding="utf-8") + "\nextra: &x [1]\nmore: *x\n", encoding="utf-8")
    _one_line_error(run_cli(tmp_project, "build"), where, "anchors and aliases")


def test_duplicate_keys_are_refused(tmp_project):
    """A first `corrections:` block was silently ignored."""
    _meta(tmp_project).write_text("corrections:\n  split: [57]\ntags: [养老服务]\ncorrections:\n  join: [[60, 71]]\n",
                                  encoding="utf-8")
    for command in ("build", "translate", "status", "qa"):
        _one_line_error(run_cli(tmp_project, command), "notice.yml", "line 4", "duplicate key 'corrections'",
                        "first at line 1")
    glossary = tmp_project / "source_texts" / "glossary.yml"
    glossary.write_text("terms: []\nterms: []\n", encoding="utf-8")
    _meta(tmp_project).write_text("tags: [养老服务]\n", encoding="utf-8")
    _one_line_error(run_cli(tmp_project, "build"), "glossary.yml", "duplicate key 'terms'")


@pytest.mark.parametrize(("text", "key"), [
    ("date: 2023-02-30\n", "key 'date': 2023-02-30 is not a date (day is out of range for month)"),
    ("date: '" + "9" * 100_000 + "'\n", "key 'date': must be a date"),
    ("date: [" + ", ".join(["x" * 50] * 2000) + "]\n", "key 'date': must be a date"),
    ("slugs: {a1: '" + "z" * 100_000 + "'}\n", "key 'slugs.a1'"),
    ("tags: ['" + "农" * 50_000 + "']\n", "key 'tags'"),
    ("'" + "k" * 1000 + "': 1\n", "unknown key"),
    ("corrections:\n  split: ['" + "7" * 200_000 + "x']\n", "key 'corrections.split'"),
])
def test_value_errors_name_the_key_and_never_print_the_whole_value(tmp_project, text, key):
    _meta(tmp_project).write_text(text, encoding="utf-8")
    line = _one_line_error(run_cli(tmp_project, "build"), f"source_texts/{SEED_ID}/notice.yml: ", key)
    assert len(line) < 800


def test_po_limit_holds_after_a_rewrite(tmp_project):
    """An en.po of exactly max_po_bytes that a rewrite would grow is refused before it is written."""
    po = tmp_project / "source_texts" / SEED_ID / "en.po"
    catalog = polib.pofile(str(po), wrapwidth=0)
    catalog.wrapwidth = 0
    po.write_text(str(catalog) + "\n", encoding="utf-8")  # unwrapped: the normal form is longer
    size = po.stat().st_size
    settings = tmp_project / "pyproject.toml"
    settings.write_text(settings.read_text(encoding="utf-8").replace("max_po_bytes = 12_000_000",
                                                                      f"max_po_bytes = {size}"), encoding="utf-8")
    assert run_cli(tmp_project, "build").returncode == 0  # read as it is (nothing changed: not rewritten)
    before = po.read_bytes()
    docs = sorted((tmp_project / "docs").rglob("*"))
    _meta(tmp_project).write_text("tags: [养老服务]\ncorrections:\n  split: [57]\n", encoding="utf-8")
    line = _one_line_error(run_cli(tmp_project, "build"), "en.po", f"over the limit of {size:,} bytes",
                           "max_po_bytes")
    assert "nothing was written" in line
    assert po.read_bytes() == before and sorted((tmp_project / "docs").rglob("*")) == docs
    assert run_cli(tmp_project, "status").returncode == 0  # the file is still readable by every command


def test_reverting_a_correction_restores_the_reviewed_entries(tmp_project):
    po = tmp_project / "source_texts" / SEED_ID / "en.po"
    original = po.read_bytes()
    assert run_cli(tmp_project, "build").returncode == 0
    for corrections in ("split: [57]", "split: [57, 94]\n  join: [[18, 32]]"):
        _meta(tmp_project).write_text(f"tags: [养老服务]\ncorrections:\n  {corrections}\n", encoding="utf-8")
        build = run_cli(tmp_project, "build")
        assert build.returncode == 0, build.stderr
        assert po.read_bytes() != original  # the split sentences are outdated (fuzzy) for now
        status = run_cli(tmp_project, "status")
        assert " 0 (  0.0%)" not in status.stdout.splitlines()[1].split("%)")[3]  # something outdated
    (_meta(tmp_project)).write_text("tags: [养老服务]\n", encoding="utf-8")
    build = run_cli(tmp_project, "build")
    assert build.returncode == 0, build.stderr
    def entries(data: bytes) -> list[tuple]:
        return [(e.msgctxt, e.msgid, e.msgstr, e.fuzzy, e.obsolete, e.previous_msgid, e.tcomment)
                for e in polib.pofile(data.decode("utf-8"))]

    assert entries(po.read_bytes()) == entries(original)  # every reviewed entry back, not fuzzy, nothing left over
    row = next(line for line in run_cli(tmp_project, "status").stdout.splitlines() if line.startswith(SEED_ID))
    assert row.split()[1:4] == ["72", "72", "(100.0%)"]


def test_seed_files_are_accepted_by_the_strict_reader():
    from noticepub.inputcheck import load_yaml

    for path in [*sorted((REPO / "source_texts").glob("*.yml")), *sorted((REPO / "source_texts").glob("*/*.yml"))]:
        assert load_yaml(path, path.read_bytes(), "file") is not None


def _hant(text: str) -> str:
    import opencc

    return opencc.OpenCC("s2t").convert(text)


JAPANESE = "日本の厚生労働省は、高齢者介護施設における感染症対策の研修を実施しました。\n" * 30


@pytest.mark.parametrize(("encode", "looks"), [
    (lambda seed: _hant(seed).encode("big5", errors="ignore"), "it looks like Big5"),
    (lambda seed: JAPANESE.encode("shift_jis"), "it looks like Shift-JIS"),
    (lambda seed: seed.encode("utf-16"), "looks like UTF-16 text"),
    (lambda seed: seed[:500].encode() + "民".encode("gbk") + seed[500:].encode(), "is mostly UTF-8"),
], ids=["big5", "shift-jis", "utf-16", "utf-8-with-one-gbk-character"])
def test_other_encodings_are_refused_in_one_line(tmp_project, encode, looks):
    """A Big5 page was published as GB18030 mojibake with exit 0."""
    raw = tmp_project / "source_texts" / SEED_ID / "raw.txt"
    raw.write_bytes(encode(raw.read_text(encoding="utf-8")))
    for command in ("build", "status"):
        _one_line_error(run_cli(tmp_project, command), f"source_texts/{SEED_ID}/raw.txt: ", looks, "as UTF-8")
    assert not (tmp_project / "docs").exists()


@pytest.mark.parametrize("encoding", ["utf-8-sig", "gb18030"])
def test_utf8_bom_and_gb18030_pages_build_as_utf8(tmp_project, tmp_path, encoding):
    assert run_cli(tmp_project, "build").returncode == 0
    expected = {p.relative_to(tmp_project / "docs"): p.read_bytes() for p in (tmp_project / "docs").rglob("*.md")}
    import hashlib

    raw = tmp_project / "source_texts" / SEED_ID / "raw.txt"
    old_hash = hashlib.sha256(raw.read_bytes()).hexdigest().encode()
    raw.write_bytes(raw.read_text(encoding="utf-8").encode(encoding))
    new_hash = hashlib.sha256(raw.read_bytes()).hexdigest().encode()
    build = run_cli(tmp_project, "build")
    assert build.returncode == 0, build.stderr
    got = {p.relative_to(tmp_project / "docs"): p.read_bytes() for p in (tmp_project / "docs").rglob("*.md")}
    assert sum(new_hash in page for page in got.values()) > 0
    # the same pages, word for word: only the recorded hash of raw.txt differs
    assert {p: page.replace(new_hash, old_hash).replace(new_hash[:12], old_hash[:12])
            for p, page in got.items()} == expected


@pytest.mark.parametrize("old", ["../../../site", "javascript:alert(1)", "Min-Sheng", "x" * 101, "a/b", ""])
def test_moved_keys_of_legacy_urls_go_through_the_slug_rule(tmp_path, monkeypatch, old):
    """`../../../site` overwrote site/index.html; `javascript:`, uppercase, 300 characters were accepted."""
    from noticepub.errors import NoticepubError
    from noticepub.render import redirects

    legacy = tmp_path / "legacy-urls.yml"
    legacy.write_text(f"notices: [{SEED_ID}]\nmoved: {{'{old}': {SEED_ID}}}\n", encoding="utf-8")
    monkeypatch.setattr(redirects, "LEGACY", legacy)
    redirects._legacy.cache_clear()
    try:
        with pytest.raises(NoticepubError) as info:
            redirects.old_notice_folders(SEED_ID, "x")
    finally:
        redirects._legacy.cache_clear()
    message = info.value.one_line()
    assert message.startswith(f"{legacy}: key 'moved' key ") and "must be a URL name of lowercase ASCII" in message
    assert len(message) < 400


def test_the_shipped_legacy_urls_pass_the_slug_rule():
    from noticepub.render import redirects

    redirects._legacy.cache_clear()
    assert redirects.old_notice_folders(SEED_ID, "x") == [SEED_ID]


# ------------------------------------------------------------------ URL records and tag URLs
def test_the_record_is_checked_like_every_input(tmp_project):
    record = tmp_project / "source_texts" / "urls.txt"
    for line in ("notices/../../site/", "notices/JAVASCRIPT:alert(1)/", f"notices/{'x' * 101}/", "tags/x/",
                 f"notices/{SEED_SLUG}/ -> ../../etc/"):
        record.write_text(f"# header\n{SEED_ID} {line}\n", encoding="utf-8")
        for command in ("build", "status"):
            run = run_cli(tmp_project, command)
            assert run.returncode == 2, (line, run.stderr)
            assert "source_texts/urls.txt: line 2: not a notice URL" in run.stderr
            assert len(run.stderr.strip().splitlines()) == 1
    for line in (f"notices/{SEED_SLUG}/", f"../{SEED_ID} notices/{SEED_SLUG}/", "<<<<<<< HEAD"):  # no or a bad id
        record.write_text(f"{line}\n", encoding="utf-8")
        run = run_cli(tmp_project, "build")
        assert run.returncode == 2, (line, run.stderr)
        assert "source_texts/urls.txt: line 1: not '<notice-id> <URL>'" in run.stderr and "merge conflict" in run.stderr
        assert len(run.stderr.strip().splitlines()) == 1
    assert not (tmp_project / "docs").exists()


def test_a_record_cannot_make_the_build_write_without_bound(tmp_project):
    record = tmp_project / "source_texts" / "urls.txt"
    record.write_text("".join(f"{SEED_ID} notices/old-{n}/\n" for n in range(5001)), encoding="utf-8")
    run = run_cli(tmp_project, "build")
    assert run.returncode == 2 and "line 5001: notice fdc91a8a205b8552 lists more than 5,000 URLs" in run.stderr, \
        run.stderr
    assert len(run.stderr.strip().splitlines()) == 1
    record.write_text("".join(f"{SEED_ID} notices/old-{n}/\n" for n in range(50)), encoding="utf-8")
    build = run_cli(tmp_project, "build")
    assert build.returncode == 0, build.stderr
    line = next(line for line in build.stderr.splitlines() if "moved from" in line)
    assert "notices/old-0/, notices/old-1/, notices/old-10/ and 47 more to" in line and len(line) < 400
    assert (tmp_project / "docs" / "en" / "notices" / "old-49" / "index.html").is_file()


def _add_notice(project, name: str, tags: str, date: str) -> None:
    folder = project / "source_texts" / name
    folder.mkdir()
    folder.joinpath("raw.txt").write_bytes((project / "source_texts" / SEED_ID / "raw.txt").read_bytes())
    folder.joinpath("notice.yml").write_text(f"date: {date}\ntags: [{tags}]\n", encoding="utf-8")


def _tag_page_title(project, slug: str) -> str:
    text = (project / "docs" / "zh-Hans" / "tags" / f"{slug}.md").read_text(encoding="utf-8")
    return re.search(r"^title: (.+)$", text, flags=re.M).group(1)


def _tag_links(project, notice_slug: str) -> set[str]:
    """The tag pages the article pages of a notice link to."""
    pages = sorted((project / "docs" / "zh-Hans" / "notices" / notice_slug).glob("a[0-9].md"))
    assert pages
    return {slug for page in pages
            for slug in re.findall(r"\]\(\.\./\.\./tags/([a-z0-9-]+)\.md\)", page.read_text(encoding="utf-8"))}


def test_a_new_tag_never_takes_an_old_tags_url(tmp_project):
    """Adding 岷生 moved the published tags/min-sheng/ (民生) to min-sheng-2."""
    _add_notice(tmp_project, "page-b", "民生", "2023-02-01")
    assert run_cli(tmp_project, "build").returncode == 0
    assert "民生" in _tag_page_title(tmp_project, "min-sheng")
    assert "min-sheng 民生" in (tmp_project / "source_texts" / "tag-urls.txt").read_text(encoding="utf-8")
    _add_notice(tmp_project, "page-a", "岷生", "2023-01-01")  # sorts first, and its notice too
    build = run_cli(tmp_project, "build")
    assert build.returncode == 0, build.stderr
    record = (tmp_project / "source_texts" / "tag-urls.txt").read_text(encoding="utf-8")
    new = re.search(r"^(min-sheng-[0-9a-f]{6}) 岷生$", record, flags=re.M).group(1)
    assert "民生" in _tag_page_title(tmp_project, "min-sheng") and "岷生" in _tag_page_title(tmp_project, new)
    assert new in _tag_links(tmp_project, "2023-01-01-min-zheng-bu-kai-zhan-quan-guo")
    assert "min-sheng" in _tag_links(tmp_project, "2023-02-01-min-zheng-bu-kai-zhan-quan-guo")
    assert run_cli(tmp_project, "build", "--check").returncode == 0
    # the tag that held the name disappears: its name stays reserved, the new tag keeps its own
    (tmp_project / "source_texts" / "page-b" / "notice.yml").write_text("date: 2023-02-01\n", encoding="utf-8")
    assert run_cli(tmp_project, "build").returncode == 0
    assert "岷生" in _tag_page_title(tmp_project, new)
    assert not (tmp_project / "docs" / "zh-Hans" / "tags" / "min-sheng.md").exists()


def test_two_new_tags_with_one_name_converge_in_one_more_build(tmp_project):
    _add_notice(tmp_project, "page-a", "岷生", "2023-01-01")
    _add_notice(tmp_project, "page-b", "民生", "2023-02-01")
    assert run_cli(tmp_project, "build").returncode == 0
    record = (tmp_project / "source_texts" / "tag-urls.txt").read_text(encoding="utf-8")
    assert "\nmin-sheng 岷生\n" in record and re.search(r"^min-sheng-[0-9a-f]{6} 民生$", record, flags=re.M)
    assert run_cli(tmp_project, "build").returncode == 0
    assert run_cli(tmp_project, "build", "--check").returncode == 0
    slug = re.search(r"^(min-sheng-[0-9a-f]{6}) 民生$", record, flags=re.M).group(1)
    assert _tag_links(tmp_project, "2023-02-01-min-zheng-bu-kai-zhan-quan-guo") >= {slug}
    assert "民生" in _tag_page_title(tmp_project, slug)


def test_tag_record_round_trips_any_tag_notice_yml_allows(tmp_path):
    """A tag with an ideographic space or U+2028 (both allowed in notice.yml) and a CRLF checkout read back."""
    import shutil

    from noticepub.render import names
    from noticepub.settings import load_settings

    (tmp_path / "source_texts").mkdir()
    shutil.copy2(REPO / "pyproject.toml", tmp_path / "pyproject.toml")
    settings = load_settings(tmp_path)
    slugs, data = names.tag_slugs(["养老\u3000服务", "民生\u2028政策", "民生", "岷生"], settings)
    for variant in (data, data.replace(b"\n", b"\r\n")):
        (tmp_path / "source_texts" / "tag-urls.txt").write_bytes(variant)
        assert names.tag_record(settings) == slugs
    assert len(set(slugs.values())) == 4
