"""`noticepub status`, QA messages, the build's pending hint and scripts/rebuild.py without dependencies."""

from __future__ import annotations

import subprocess
import sys

import polib

from conftest import REPO, SEED_ID, run_cli


def _po(project):
    return project / "source_texts" / SEED_ID / "en.po"


def test_status_figures_match_the_po_file(tmp_project):
    po_path = _po(tmp_project)
    po = polib.pofile(str(po_path))
    entries = [e for e in po if not e.obsolete]
    for entry in entries[:5]:  # machine
        entry.flags.append("fuzzy")
        entry.tcomment = "machine translation: argos translate-zh_en 1.9"
    for entry in entries[5:8]:  # pending
        entry.msgstr = ""
    for entry in entries[8:10]:  # outdated: reviewed text kept for a changed source
        entry.flags.append("fuzzy")
        entry.previous_msgid = entry.msgid + "（旧）"
    po.save(str(po_path))
    saved = po_path.read_bytes()
    run = run_cli(tmp_project, "status")
    assert run.returncode == 0, run.stderr
    expected = {"edited": 62, "machine": 5, "pending": 3, "outdated": 2}
    reread = polib.pofile(str(po_path))
    from noticepub.translate.memory import entry_state

    counted = {state: sum(entry_state(e) == state for e in reread if not e.obsolete) for state in expected}
    assert counted == expected
    row = next(line for line in run.stdout.splitlines() if line.startswith(SEED_ID))
    assert row.split()[1] == "72"
    assert "62 ( 86.1%)" in row and "5 (  6.9%)" in row and "3 (  4.2%)" in row and "2 (  2.8%)" in row
    total = next(line for line in run.stdout.splitlines() if line.startswith("total"))
    assert total.split()[1] == "72"
    assert ("86.1% of 72 English segments reviewed by a person, 6.9% machine-translated, "
            "6.9% pending or outdated") in run.stdout
    assert po_path.read_bytes() == saved  # status writes nothing
    only = run_cli(tmp_project, "status", "--only", "no-such")
    assert only.returncode == 2 and "no such notice" in only.stderr


def test_status_counts_a_notice_without_po_file_as_pending(tmp_project):
    folder = tmp_project / "source_texts" / "extra-page"
    folder.mkdir()
    folder.joinpath("raw.txt").write_bytes((tmp_project / "source_texts" / SEED_ID / "raw.txt").read_bytes())
    run = run_cli(tmp_project, "status")
    row = next(line for line in run.stdout.splitlines() if line.startswith("extra-page"))
    assert row.split()[1:] == ["72", "0", "(", "0.0%)", "0", "(", "0.0%)", "72", "(100.0%)", "0", "(", "0.0%)"]
    assert not (folder / "en.po").exists()


def test_qa_message_quotes_both_sentences_and_the_missing_item(tmp_project):
    po = _po(tmp_project)
    po.write_text(po.read_text(encoding="utf-8").replace("by January 16", "by mid-January"), encoding="utf-8")
    run = run_cli(tmp_project, "qa")
    line = next(line for line in run.stdout.splitlines() if "a4.p9.1: number 16 missing" in line)
    assert "「" in line and "」" in line and "1月16日" in line  # the Chinese sentence
    assert "mid-January" in line  # the English sentence


def test_rebuild_without_dependencies_prints_one_line():
    run = subprocess.run([sys.executable, "-S", str(REPO / "scripts" / "rebuild.py")], capture_output=True, text=True,
                         cwd=REPO, timeout=60)
    assert run.returncode == 1
    assert run.stdout == ""
    lines = run.stderr.splitlines()
    assert len(lines) == 1 and "make site" in lines[0] and ".venv/bin/noticepub build" in lines[0]
    assert "Traceback" not in run.stderr


def test_workflows_deploy_without_mt_and_translate_through_one_pull_request():
    import yaml

    pages_text = (REPO / ".github" / "workflows" / "pages.yml").read_text(encoding="utf-8")
    pages = yaml.safe_load(pages_text)
    steps = [s.get("run", "") + s.get("uses", "") for job in pages["jobs"].values() for s in job.get("steps", [])]
    assert not any("argospm" in s or "models install" in s or "noticepub translate" in s for s in steps)
    assert any("noticepub build" in s for s in steps)
    translate = yaml.safe_load((REPO / ".github" / "workflows" / "translate.yml").read_text(encoding="utf-8"))
    triggers = translate[True]  # YAML 1.1 reads the key `on` as True
    assert triggers["push"]["branches"] == ["main"] and "workflow_dispatch" in triggers
    shards = translate["jobs"]["translate"]["strategy"]["matrix"]["shard"]
    assert shards == list(range(1, int(translate["env"]["SHARDS"]) + 1))
    runs = "\n".join(s.get("run", "") for s in translate["jobs"]["translate"]["steps"])
    assert "noticepub models install" in runs and "sha256sum --check" in runs  # the pinned model, verified
    assert 'noticepub translate --shard "$SHARD/$SHARDS"' in runs  # SHARD: the matrix value, through env
    assert translate["jobs"]["translate"]["env"]["SHARD"] == "${{ matrix.shard }}"
    pr_steps = translate["jobs"]["pull-request"]["steps"]
    pr = next(s for s in pr_steps if s.get("uses", "").startswith("peter-evans/create-pull-request@"))
    assert pr["uses"].split("@")[1].split()[0]  # pinned
    assert pr["with"]["add-paths"] == "source_texts/*/en.po" and pr["with"]["branch"]
