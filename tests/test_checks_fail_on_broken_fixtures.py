"""The quality gates of `make test` must be able to fail: each is run on a broken fixture."""

import subprocess
import sys
from pathlib import Path

from noticepub.linkcheck import check_site

REPO = Path(__file__).resolve().parents[1]


def _page(path: Path, body: str) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(f"<!doctype html><html><head></head><body>{body}</body></html>", encoding="utf-8")


def test_linkcheck_passes_a_sound_site(tmp_path):
    _page(tmp_path / "index.html", '<a href="a/">a</a> <a href="a/#part">part</a> <a href="https://gov.cn/">out</a>')
    _page(tmp_path / "a" / "index.html", '<h2 id="part">P</h2><a href="../">up</a>')
    assert check_site(tmp_path, "https://example.org/site/") == []


def test_linkcheck_finds_dangling_link_missing_anchor_and_foreign_resources(tmp_path):
    _page(
        tmp_path / "index.html",
        '<a href="missing/">x</a> <a href="a/#nope">y</a> <a href="javascript:alert(1)">z</a>'
        '<link rel="stylesheet" href="https://fonts.googleapis.com/css">'
        '<script src="https://cdn.example.com/x.js"></script>'
        '<link rel="alternate" hreflang="en" href="https://example.org/site/en/">',
    )
    _page(tmp_path / "a" / "index.html", "<p>no ids</p>")
    problems = [str(p) for p in check_site(tmp_path, "https://example.org/site/")]
    assert any("missing/: target does not exist" in p for p in problems)
    assert any("anchor #nope not found" in p for p in problems)
    assert any("script URL" in p for p in problems)
    assert any("fonts.googleapis.com" in p and "another origin" in p for p in problems)
    assert any("cdn.example.com" in p for p in problems)
    assert any("/en/: target does not exist" in p for p in problems)  # own absolute URL checked locally
    assert len(problems) == 6


def test_linkcheck_cli_exit_codes(tmp_path):
    _page(tmp_path / "index.html", '<a href="gone.html">x</a>')
    run = subprocess.run([sys.executable, "-m", "noticepub.linkcheck", str(tmp_path), "--site-url", "https://e.org/"],
                         capture_output=True, text=True)
    assert run.returncode == 1
    assert "1 problem(s)" in run.stdout


def _mdlint(path: Path) -> subprocess.CompletedProcess:
    return subprocess.run(
        [str(Path(sys.executable).parent / "pymarkdown"), "--config", str(REPO / ".pymarkdown.json"), "scan", str(path)],
        capture_output=True,
        text=True,
    )


def test_markdown_lint_accepts_a_generated_style_page(tmp_path):
    page = tmp_path / "ok.md"
    page.write_text('---\ntitle: "标题"\n---\n\n# 标题\n\n正文，没有问题。\n\n## 小节\n\n- 一\n- 二\n', encoding="utf-8")
    assert _mdlint(page).returncode == 0


def test_markdown_lint_rejects_a_malformed_page(tmp_path):
    page = tmp_path / "bad.md"
    page.write_text("# 标题\n## 没有空行\n正文  \n\n\n\n* 一\n+ 二\n", encoding="utf-8")
    run = _mdlint(page)
    assert run.returncode != 0
    assert "MD022" in run.stdout and "MD012" in run.stdout
