"""The review screen's server side (noticepub.review): line roles, notice.yml edits that keep every other byte,
the build's validation before a write, the session token, loopback-only Host, stale saves, undo, the
`reviewed:` mark going stale, and the counts `noticepub status` prints."""

from __future__ import annotations

import dataclasses
import datetime as dt
import json
from pathlib import Path

import pytest
import yaml

from conftest import REPO, run_cli
from noticepub.model import LineInfo, LineRole
from noticepub.review import edit
from noticepub.review.app import ReviewApp
from noticepub.review.state import REVIEWED, TO_REVIEW, line_roles, review_notice
from noticepub.settings import load_settings

# The README's worked example ("Correcting a parse"), plus a last line the parser starts a paragraph with:
# line 7 is taken for a sub-heading (it is the headline of a second article whose body starts at line 9),
# and line 12 continues the paragraph of lines 9-11.
RAW = ("社区养老服务站投入使用\n\n日前，某市首批社区养老服务\n站投入使用，为辖区老年人提供\n助餐、助浴、日间照料等服务。\n\n"
       "老年大学扩招\n\n今年秋季，市老年大学新增课\n程三十门，招生规模比去年扩大\n一倍，报名人数创历年新高。\n"
       "学员中年龄最大的已经九十岁。\n")
NOTICE_YML = ("# A page for the review tests: comments, quoting, block lists and blank lines must survive.\n"
              "publication: 中国社会报   # the paper\n"
              "tags:\n"
              "    - 养老服务\n"
              "    - \"老年教育\"\n"
              "\n"
              "# a comment between keys\n"
              "original_filename: '001_demo.txt'\n")
FIXED = "corrections:\n  headlines:\n    9: [7]\n  join: [[11, 12]]\n"
NOTICE = "review-demo"
# Two stories, the second one's opener (本报讯) inside the first: a "second-opener" warning at line 7.
OPENERS = ("社区养老服务站投入使用\n\n本报讯 日前，某市首批社区养老\n服务站投入使用，为辖区老年人\n"
           "提供助餐、助浴等服务。\n\n本报讯 今年秋季，市老年大学新\n增课程三十门，招生规模比去年\n扩大一倍。\n")


def add_demo(project: Path, notice_yml: str = NOTICE_YML) -> Path:
    folder = project / "source_texts" / NOTICE
    folder.mkdir()
    (folder / "raw.txt").write_text(RAW, encoding="utf-8")
    (folder / "notice.yml").write_bytes(notice_yml.encode("utf-8"))
    return folder


@pytest.fixture()
def demo(tmp_path: Path, monkeypatch) -> tuple[Path, Path]:
    project = tmp_path / "project"
    (project / "source_texts").mkdir(parents=True)
    (project / "pyproject.toml").write_bytes((REPO / "pyproject.toml").read_bytes())
    monkeypatch.chdir(project)
    return project, add_demo(project)


def settings_of(project: Path):
    return dataclasses.replace(load_settings(), root=project)


def titles(review) -> list[str]:
    return [a.title for a in review.articles]


# ------------------------------------------------------------------ roles
def test_line_roles_from_the_parse_record(demo):
    project, folder = demo
    review = review_notice(folder, settings_of(project))
    roles = {info.line: (info.role, info.article_id, info.paragraph) for info in review.roles}
    assert len(review.roles) == len(RAW.splitlines()) == 12
    assert roles[1] == (LineRole.HEADLINE, "a1", None)
    assert roles[2][0] == LineRole.BLANK
    assert roles[3] == roles[5] == (LineRole.BODY, "a1", 0)
    assert roles[7] == (LineRole.SUBHEADING, "a1", 1)  # the wrong parse the screen must show
    assert roles[12][0] == LineRole.BODY and roles[12][2] != roles[11][2]


def test_line_roles_prefer_the_parsers_line_info(demo):
    project, folder = demo
    parsed = review_notice(folder, settings_of(project))
    from noticepub.notice import parse_notice
    from noticepub.sources import NoticeInputs

    result = parse_notice(NoticeInputs.read(folder, settings_of(project)), settings_of(project)).parsed
    given = tuple(LineInfo(no, LineRole.KICKER if no == 3 else LineRole.BODY, "a9", 4, "test") for no in range(1, 13))
    roles = line_roles(dataclasses.replace(result, line_info=given), 12)
    assert roles == given
    assert parsed.roles != given


# ------------------------------------------------------------------ notice.yml edits
def test_corrections_written_with_every_other_byte_kept(demo):
    project, folder = demo
    settings = settings_of(project)
    review = review_notice(folder, settings)
    first = edit.correct(review.notice_yml, review, "headline", 7, 7)
    assert first.decode() == NOTICE_YML + "corrections:\n  headlines:\n    9: [7]\n"
    review = review_notice(folder, settings, notice_yml=first, raw=review.raw)
    assert titles(review) == ["社区养老服务站投入使用", "老年大学扩招"]
    second = edit.correct(first, review, "join", 12, 12)
    assert second.decode() == NOTICE_YML + FIXED
    review = review_notice(folder, settings, notice_yml=second, raw=review.raw)
    assert [a.paragraphs for a in review.articles][1] == (
        "今年秋季，市老年大学新增课程三十门，招生规模比去年扩大一倍，报名人数创历年新高。学员中年龄最大的已经九十岁。",)
    # a second role for the same line replaces the first; the lines leave every other key
    third = edit.correct(second, review, "furniture", 12, 12)
    assert yaml.safe_load(third)["corrections"] == {"headlines": {9: [7]}, "furniture": [12]}


def test_comments_inside_corrections_and_crlf_and_bom_survive(tmp_path, monkeypatch):
    project = tmp_path / "p"
    (project / "source_texts").mkdir(parents=True)
    (project / "pyproject.toml").write_bytes((REPO / "pyproject.toml").read_bytes())
    monkeypatch.chdir(project)
    text = ("publication: 中国社会报\r\ncorrections:\r\n  # why: the caption is furniture\r\n"
            "  furniture: [12]  # caption\r\ntags: [养老服务]\r\n")
    folder = add_demo(project, "\ufeff" + text)
    review = review_notice(folder, settings_of(project))
    assert review.error is None, review.error
    out = edit.correct(review.notice_yml, review, "headline", 7, 7)
    assert out.startswith(b"\xef\xbb\xbf") and b"\n" not in out.replace(b"\r\n", b"")
    body = out[3:].decode()
    assert body.startswith("publication: 中国社会报\r\ncorrections:\r\n  # why: the caption is furniture\r\n"
                           "  furniture: [12]  # caption\r\n")
    assert body.endswith("tags: [养老服务]\r\n")
    assert yaml.safe_load(body)["corrections"] == {"furniture": [12], "headlines": {9: [7]}}


def test_lead_after_a_headline_moves_the_headline_to_the_body_after_the_lead(demo):
    project, folder = demo
    settings = settings_of(project)
    review = review_notice(folder, settings)
    step = edit.correct(review.notice_yml, review, "headline", 7, 7)
    review = review_notice(folder, settings, notice_yml=step, raw=review.raw)
    step = edit.correct(step, review, "lead", 9, 11)
    c = yaml.safe_load(step)["corrections"]
    assert c == {"headlines": {12: [7]}, "leads": {12: ["9-11"]}}
    review = review_notice(folder, settings, notice_yml=step, raw=review.raw)
    assert titles(review) == ["社区养老服务站投入使用", "老年大学扩招"]
    assert review.articles[1].lead == "今年秋季，市老年大学新增课程三十门，招生规模比去年扩大一倍，报名人数创历年新高。"


def test_headline_of_a_picked_article(demo):
    project, folder = demo
    review = review_notice(folder, settings_of(project))
    out = edit.correct(review.notice_yml, review, "headline", 7, 7, body=10)
    assert yaml.safe_load(out)["corrections"] == {"headlines": {10: [7]}}
    for bad in (7, 8, 13):  # the headline itself, a blank line, no such line
        with pytest.raises(Exception, match=f"line {bad} cannot be the first body line"):
            edit.correct(review.notice_yml, review, "lead", 7, 7, body=bad)


def test_other_roles_go_to_the_roles_key_one_entry_per_run(demo):
    project, folder = demo
    review = review_notice(folder, settings_of(project))
    out = edit.correct(review.notice_yml, review, "kicker", 5, 7)  # 6 is blank: two runs
    assert yaml.safe_load(out)["corrections"] == {"roles": {"5": "kicker", "7": "kicker"}}
    with pytest.raises(Exception, match="blank"):
        edit.correct(review.notice_yml, review, "body", 6, 6)
    with pytest.raises(Exception, match="not lines of raw.txt"):
        edit.correct(review.notice_yml, review, "body", 12, 13)


# ------------------------------------------------------------------ the app: safety and writes
def _app(project: Path) -> ReviewApp:
    return ReviewApp(settings_of(project), listen=("127.0.0.1", 8000))


def _post(app: ReviewApp, what: str, body: dict, **headers: str) -> tuple[int, dict]:
    h = {"Host": "127.0.0.1:8000", "Content-Type": "application/json", "X-Noticepub-Token": app.token,
         "Origin": "http://127.0.0.1:8000"}
    h.update({k.replace("_", "-"): v for k, v in headers.items()})
    h = {k: v for k, v in h.items() if v is not None}
    status, _, data = app.post(f"/review/{NOTICE}/{what}", h, json.dumps(body).encode())
    return status, json.loads(data)


def test_post_needs_the_token_a_local_host_and_no_foreign_origin(demo):
    project, folder = demo
    app = _app(project)
    before = (folder / "notice.yml").read_bytes()
    etag = review_notice(folder, settings_of(project)).etag
    fix = {"etag": etag, "action": "headline", "first": 7, "last": 7}
    for headers, status in (({"X_Noticepub_Token": None}, 403), ({"X_Noticepub_Token": "guess"}, 403),
                            ({"Origin": "http://evil.example"}, 403), ({"Host": "evil.example:8000"}, 403),
                            ({"Host": "127.0.0.1:9999"}, 403), ({"Sec_Fetch_Site": "cross-site"}, 403),
                            ({"Content_Type": "application/x-www-form-urlencoded"}, 415)):
        got, data = _post(app, "correct", fix, **headers)
        assert (got, data["ok"]) == (status, False), headers
    assert (folder / "notice.yml").read_bytes() == before
    assert app.get(f"/review/{NOTICE}/", "", {"Host": "rebound.example:8000"})[0] == 403
    anywhere = ReviewApp(settings_of(project), listen=("0.0.0.0", 8000))
    assert anywhere.get("/review/", "", {"Host": "127.0.0.1:8000"})[0] == 403
    h = {"Host": "127.0.0.1:8000", "Content-Type": "application/json", "X-Noticepub-Token": app.token}
    for path in ("/review/../correct", f"/review/{NOTICE}/../plain/correct", "/review/Review-Demo/correct",
                 f"/review/{NOTICE}/delete", f"/review/{NOTICE}/correct/x"):
        assert app.post(path, h, json.dumps(fix).encode())[0] == 404, path  # only the notice in the URL, by id
    got, data = _post(app, "correct", fix)
    assert got == 200 and data["ok"], data
    assert (folder / "notice.yml").read_bytes() == (NOTICE_YML + "corrections:\n  headlines:\n    9: [7]\n").encode()


def test_stale_save_refused_bad_correction_refused_with_the_builds_message_and_undo(demo):
    project, folder = demo
    app = _app(project)
    loaded = review_notice(folder, settings_of(project)).etag
    status, data = _post(app, "correct", {"etag": loaded, "action": "headline", "first": 7, "last": 7})
    assert status == 200
    fixed = (folder / "notice.yml").read_bytes()
    # a second tab, loaded before that save: refused, file untouched
    status, data = _post(app, "correct", {"etag": loaded, "action": "split", "first": 10, "last": 10})
    assert status == 409 and "changed since this page was loaded" in data["error"]
    assert (folder / "notice.yml").read_bytes() == fixed
    # line 9 starts the corrected article: it cannot also be furniture (the build's check, its one line)
    status, data = _post(app, "correct", {"etag": data and review_notice(folder, settings_of(project)).etag,
                                          "action": "furniture", "first": 9, "last": 9})
    assert status == 422
    assert data["error"] == (f"{folder / 'notice.yml'}: key 'corrections.article_starts': line 9 is also in "
                             "'corrections.furniture'")
    assert (folder / "notice.yml").read_bytes() == fixed
    # undo the headline: the file as it was, byte for byte
    status, data = _post(app, "undo", {"etag": review_notice(folder, settings_of(project)).etag})
    assert status == 200 and data["ok"]
    assert (folder / "notice.yml").read_bytes() == NOTICE_YML.encode()
    status, data = _post(app, "undo", {"etag": review_notice(folder, settings_of(project)).etag})
    assert status == 409 and "nothing to undo" in data["error"]


def test_reviewed_mark_goes_stale_when_raw_or_parse_changes(demo):
    project, folder = demo
    settings = settings_of(project)
    app = _app(project)
    status, data = _post(app, "reviewed", {"etag": review_notice(folder, settings).etag})
    assert status == 200 and data["state"] == REVIEWED
    mark = yaml.safe_load((folder / "notice.yml").read_bytes())["reviewed"]
    assert mark["date"] == dt.date.today() and len(mark["raw_sha256"]) == len(mark["parse_sha256"]) == 64
    assert (folder / "notice.yml").read_text(encoding="utf-8").startswith(NOTICE_YML)
    assert review_notice(folder, settings).state == REVIEWED
    # a correction changes the parse result: to review again
    status, data = _post(app, "correct", {"etag": review_notice(folder, settings).etag, "action": "headline",
                                          "first": 7, "last": 7})
    review = review_notice(folder, settings)
    assert review.state == TO_REVIEW and review.reason.startswith("the parse changed since the review of")
    _post(app, "reviewed", {"etag": review.etag})
    assert review_notice(folder, settings).state == REVIEWED
    # raw.txt changed (one character): to review again
    raw = folder / "raw.txt"
    raw.write_text(RAW.replace("九十岁", "九十一岁"), encoding="utf-8")
    review = review_notice(folder, settings)
    assert review.state == TO_REVIEW and review.reason.startswith("raw.txt changed since the review of")


def test_a_bad_reviewed_mark_is_refused_by_the_build_schema(demo):
    project, folder = demo
    (folder / "notice.yml").write_text(NOTICE_YML + "reviewed: {date: 2026-01-01, raw_sha256: abc, parse_sha256: x}\n",
                                       encoding="utf-8")
    review = review_notice(folder, settings_of(project))
    assert review.error == f"{folder / 'notice.yml'}: key 'reviewed.raw_sha256' must be 64 lowercase hexadecimal " \
                           "digits (a sha256)"


def test_list_page_puts_warnings_first_and_counts(demo):
    project, folder = demo
    other = project / "source_texts" / "plain"
    other.mkdir()
    (other / "raw.txt").write_text("社区养老服务站投入使用\n\n日前，某市首批社区养老服务站投入使用。\n", encoding="utf-8")
    broken = project / "source_texts" / "broken"
    broken.mkdir()
    (broken / "raw.txt").write_text(RAW, encoding="utf-8")
    (broken / "notice.yml").write_text("date: 2023-02-30\n", encoding="utf-8")
    warned = project / "source_texts" / "warned"
    warned.mkdir()
    (warned / "raw.txt").write_text(OPENERS, encoding="utf-8")
    app = _app(project)
    status, ctype, body = app.get("/review/", "", {"Host": "127.0.0.1:8000"})
    html = body.decode()
    assert status == 200 and ctype.startswith("text/html")
    # the demo page (one article, 老年大学扩招 kept as its sub-heading) carries an only-article warning too
    assert "4 notice(s): 0 reviewed, 3 to review; 2 with parse warnings (2 warning(s))" in html
    assert "1 the build refuses" in html
    order = [html.index(f"/review/{name}/") for name in ("broken", "warned", NOTICE, "plain")]
    assert order[0] < min(order[1:3]) and max(order[1:3]) < order[3]
    row = html[html.index("/review/broken/"):].split("</tr>")[0]
    assert '<span class="badge bad">error</span>' in row and "day is out of range" in row  # the build's message
    page = app.get(f"/review/{NOTICE}/", "", {"Host": "127.0.0.1:8000"})[2].decode()
    assert f'content="{app.token}"' in page and 'id="L7"' in page and 'data-role="subheading"' in page
    assert "<script>" not in page.replace('<script src="/review/assets/review.js" defer></script>', "")


def test_page_text_is_escaped(demo):
    project, folder = demo
    (folder / "raw.txt").write_text(RAW.replace("老年大学扩招", "老年<script>alert(1)</script>大学"), encoding="utf-8")
    page = _app(project).get(f"/review/{NOTICE}/", "", {"Host": "127.0.0.1:8000"})[2].decode()
    assert "<script>alert" not in page and "&lt;script&gt;alert(1)&lt;/script&gt;" in page


def test_status_prints_the_review_counts(demo):
    project, folder = demo
    (project / "source_texts" / "warned").mkdir()
    (project / "source_texts" / "warned" / "raw.txt").write_text(OPENERS, encoding="utf-8")
    run = run_cli(project, "status")
    assert run.returncode == 0, run.stderr
    assert run.stdout.splitlines()[-1] == ("review: 2 notice(s): 0 reviewed, 2 to review; 2 with parse warnings "
                                           "(2 warning(s)), 0 with corrections (0 in force)")
    app = _app(project)
    _post(app, "correct", {"etag": review_notice(folder, settings_of(project)).etag, "action": "headline",
                           "first": 7, "last": 7})
    _post(app, "reviewed", {"etag": review_notice(folder, settings_of(project)).etag})
    run = run_cli(project, "status", "--only", NOTICE)
    last = run.stdout.splitlines()[-1]
    assert last.startswith("review: 1 notice(s): 1 reviewed, 0 to review;")
    assert last.endswith("1 with corrections (1 in force)")


def test_warning_shown_at_its_line_with_its_evidence(demo):
    project, folder = demo
    (folder / "raw.txt").write_text(OPENERS, encoding="utf-8")
    app = _app(project)
    review = review_notice(folder, settings_of(project))
    assert [w.kind for w in review.warnings] == ["second-opener"]
    page = app.get(f"/review/{NOTICE}/", "", {"Host": "127.0.0.1:8000"})[2].decode()
    line7 = page[page.index('id="L7"'):].split('role="option"')[0]
    assert 'class="warn"' in line7 and "second-opener" in line7
    assert "explain: line 7: paragraph end: blank line after a finished sentence" in line7  # --explain's words
    assert '<a href="#L7">line 7: second-opener</a>' in page
    # the parser's own evidence, when it gives some, is shown instead
    from noticepub.review import render

    given = dataclasses.replace(review.warnings[0], evidence=(("chosen", "one article"), ("rejected", "boundary at 7"),
                                                              ("margin", "0.03")))
    html = render.panes(dataclasses.replace(review, warnings=(given,)))
    assert "chosen: one article; rejected: boundary at 7; margin: 0.03" in html


def test_list_summaries_cached_by_input_hashes(demo, monkeypatch):
    from noticepub.review import state

    project, folder = demo
    settings = settings_of(project)
    first = state.collect_summaries(settings)
    assert [(s.notice_id, s.state, s.articles) for s in first] == [(NOTICE, TO_REVIEW, 1)]
    cached = project / ".noticepub-cache" / "review" / f"{NOTICE}.json"
    assert json.loads(cached.read_text(encoding="utf-8"))["summary"]["lines"] == 12

    def no_parse(*args, **kwargs):
        raise AssertionError("parsed again")

    with monkeypatch.context() as m:
        m.setattr(state, "review_notice", no_parse)
        assert state.collect_summaries(settings) == first  # nothing changed: from the cache
    (folder / "notice.yml").write_text(NOTICE_YML + FIXED, encoding="utf-8")
    assert [(s.articles, s.corrections) for s in state.collect_summaries(settings)] == [(2, 2)]
    cached.write_text('{"key": 1, "summary": "os.system"}', encoding="utf-8")  # garbage: made again
    assert [(s.articles, s.corrections) for s in state.collect_summaries(settings)] == [(2, 2)]
