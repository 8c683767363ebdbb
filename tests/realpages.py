"""Articles composed for the parser's real-style test pages (tests/pages/articles.yml) and page specs.

    PYTHONPATH=scripts:tests .venv/bin/python tests/realpages.py --write [--force]
    PYTHONPATH=scripts:tests .venv/bin/python tests/realpages.py --write-shapes   (tests/shapes/*.txt, *.json)

The pages under tests/pages/ were set once from these specs (--write; --force overwrites) and then
edited by hand where a real page is less regular than the generator: furniture-inplace.txt has its
jump line glued with half-width brackets and a space (「 (转第4版)」), mixed.txt a second running footer
(「民生·社会 8」) after the staff line, no-attributions.txt a running header (「2026年3月2日  星期一」)
on top. Their expected JSON comes from the specs, never from the parser.
"""

from __future__ import annotations

import json
import random
import sys
from dataclasses import replace
from pathlib import Path

import yaml

from layoutgen import Extras, Placed, expected_articles, gold_json, set_real_page
from noticepub.model import Article

PAGES = Path(__file__).resolve().parent / "pages"
SHAPES = Path(__file__).resolve().parent / "shapes"
REPO = Path(__file__).resolve().parents[1]


def _article(key: str, a: dict) -> Article:
    """One article of an articles.yml: a paragraph is a string, a table {rows: [[cell, ...], ...]} (the
    paragraph holds the rows joined by a newline, cells by one space: the model's contract) or an
    interview turn {speaker: "问：", text: ...} (the paragraph opens with the label)."""
    paragraphs: list[str] = []
    tables: list[tuple[int, tuple[tuple[str, ...], ...]]] = []
    speakers: list[tuple[int, str]] = []
    for i, p in enumerate(a["paragraphs"]):
        if isinstance(p, dict) and "rows" in p:
            rows = tuple(tuple(str(c) for c in r) for r in p["rows"])
            tables.append((i, rows))
            paragraphs.append("\n".join(" ".join(r) for r in rows))
        elif isinstance(p, dict):
            speakers.append((i, p["speaker"]))
            paragraphs.append(p["speaker"] + p["text"])
        else:
            paragraphs.append(p)
    return Article(key, a["title"], a.get("subtitle"), a.get("lead"), tuple(paragraphs), a.get("attribution"), (),
                   tuple(a.get("headings", ())), kicker=a.get("kicker"), byline=a.get("byline"),
                   tables=tuple(tables), speakers=tuple(speakers))


def load_articles(path: Path = PAGES / "articles.yml") -> dict[str, Article]:
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    return {key: _article(key, a) for key, a in data.items()}


def page_specs() -> dict[str, tuple[list[Placed], Extras, int, int]]:
    """name -> (placed articles, extras, rng seed, column width)."""
    A = load_articles()
    return {
        "furniture-inplace": ([
            Placed(A["heating"], "continued"),
            Placed(A["canteen"], "inplace", caption="图为社区食堂工作人员为老人打菜。 本报记者 李华摄"),
            Placed(A["winter"], "inplace", lead="under"),
            Placed(A["funeral"], "inplace", jump="glued"),
        ], Extras(header="2026年1月8日  星期四          民生·社会  3", continued_from="第一版",
                  staff="责任编辑：赵琳  版式设计：孙伟  校对：周洁", footer="— 3 —"), 11, 14),
        "no-attributions": ([
            Placed(A["training"], "top"),
            Placed(A["marriage"], "displaced"),
            Placed(A["volunteers"], "displaced", attribution="glued"),
            Placed(A["disability"], "displaced"),
            Placed(A["children"], "displaced", attribution="alone"),
        ], Extras(), 5, 13),
        "mixed": ([
            Placed(A["heating"], "continued"),
            Placed(A["marriage"], "inplace", caption="图为市民在婚姻登记处办理登记手续。 新华社发"),
            Placed(A["community"], "displaced", heading_blanks=False),
            Placed(A["training"], "displaced"),
            Placed(A["funeral"], "displaced", jump="alone", jump_to="A4版"),
        ], Extras(header="— 8 —", cross_reference="（相关报道见第十三、十四版）", staff="本版编辑：钱明 美编：李娜"),
            23, 15),
    }


SEED = json.loads((REPO / "tests" / "expected" / "seed.json").read_text(encoding="utf-8"))["articles"]
POOL = [a for k, a in load_articles().items() if k not in ("heating", "funeral")] + [
    Article(a["id"], a["title"], a["subtitle"], a["lead"], tuple(a["paragraphs"]), a["attribution"]) for a in SEED]
CONTINUED = load_articles()["heating"]
JUMPING = load_articles()["funeral"]
HEADERS = ["2026年1月8日  星期四          民生·社会  3", "— 8 —", "民生·社会 5", "2026年3月2日 星期一"]
STAFF = ["责任编辑：赵琳  版式设计：孙伟", "本版编辑：钱明 校对：周洁", "美编：李娜"]


def random_page(seed: int, width: int) -> tuple[list[Article], str]:
    rng = random.Random(seed)
    chosen = rng.sample(POOL, rng.randint(2, 4))
    placed: list[Placed] = []
    if rng.random() < 0.3:
        placed.append(Placed(CONTINUED, "continued"))
    for a in chosen:
        if rng.random() < 0.3:
            a = replace(a, attribution=None)
        if rng.random() < 0.2:
            a = replace(a, lead=None)
        first = not placed
        place = rng.choice(["top", "top", "inplace"]) if first else rng.choice(["inplace", "displaced", "displaced"])
        lead = rng.choice(["under", "displaced"]) if place in ("top", "inplace") else "displaced"
        caption = "图为志愿者为老人送去年货。 本报记者 李华摄" if rng.random() < 0.15 else None
        placed.append(Placed(a, place, lead, rng.choice(["inline", "alone", "glued"]), caption=caption,
                             heading_blanks=rng.random() < 0.7))
    if rng.random() < 0.25:
        placed.append(Placed(JUMPING, rng.choice(["inplace", "displaced"]), jump=rng.choice(["glued", "alone"])))
    extras = Extras(header=rng.choice([None, *HEADERS]), staff=rng.choice([None, *STAFF]),
                    footer=rng.choice([None, "— 3 —"]),
                    continued_from=rng.choice([None, "第一版"]) if placed[0].place == "continued" else None)
    return expected_articles(placed, extras), set_real_page(placed, rng, width=width, extras=extras)


def expected_json(articles: list[Article]) -> list[dict]:
    return [{"id": a.id, "title": a.title, "subtitle": a.subtitle, "lead": a.lead, "paragraphs": list(a.paragraphs),
             "attribution": a.attribution, "headings": list(a.headings), "continued": a.continued,
             "continued_from": a.continued_from} for a in articles]


MASTHEAD, DATE, SECTION = "中国社会报", "2025年5月22日 星期四", "社区·民生"
STAFF_LINES = ("本版责编：王磊", "版式设计：刘洋", "校对：张敏")


def shape_specs() -> dict[str, tuple[str, list[Placed], Extras, int, int]]:
    """The shape pages of issue 21: name -> (shape, placed articles, extras, rng seed, column width).
    Each page shows one shape among ordinary articles; the "crowded" pages hold 5-6 articles and several
    shapes. Their gold is ``gold_json(expected_articles(placed, extras))``, never the parser's output."""
    A = load_articles()
    S = load_articles(SHAPES / "articles.yml")
    brief = [S[k] for k in ("brief-wedding", "brief-funeral", "brief-relief", "brief-venture", "brief-autism",
                            "brief-volunteer")]
    return {
        "table": ("table", [
            Placed(S["dibao-table"], "top"),
            Placed(A["winter"], "inplace", lead="under"),
        ], Extras(header=f"{DATE}          {SECTION}  3"), 31, 14),
        "table-attribution": ("table", [
            Placed(A["training"], "top"),
            Placed(S["subsidy-table"], "inplace", attribution="alone"),
            Placed(S["short-custom"], "inplace"),
        ], Extras(staff="本版责编：王磊  版式设计：刘洋  校对：张敏"), 32, 15),
        "interview-qa": ("interview", [
            Placed(S["qa-interview"], "top"),
            Placed(A["marriage"], "displaced"),
        ], Extras(), 33, 14),
        "interview-named": ("interview", [
            Placed(S["short-canteen"], "top"),
            Placed(S["lift-interview"], "inplace"),
        ], Extras(furniture=((SECTION, "top"),)), 34, 13),
        "kicker": ("kicker", [
            Placed(S["village-kicker"], "top"),
            Placed(S["station-kicker"], "inplace"),
        ], Extras(), 35, 14),
        "kicker-long": ("kicker", [
            Placed(S["relief-long-kicker"], "top"),
            Placed(A["disability"], "inplace"),
        ], Extras(staff="责任编辑:赵琳  美编:李娜"), 49, 14),
        "kicker-displaced": ("kicker", [
            Placed(A["training"], "top"),
            Placed(S["station-kicker"], "displaced"),
            Placed(A["volunteers"], "displaced"),
        ], Extras(header="— 5 —"), 36, 15),
        "briefs": ("briefs", [
            Placed(A["winter"], "top", lead="under"),
            Placed(brief[0], "inplace", label="简讯"),
            *[Placed(b, "inplace") for b in brief[1:4]],
        ], Extras(), 37, 14),
        "briefs-news": ("briefs", [
            Placed(S["kunming-byline"], "top"),
            Placed(brief[4], "inplace", label="要闻简报", tight=True),
            Placed(brief[5], "inplace", tight=True),
            Placed(brief[2], "inplace", tight=True),
        ], Extras(furniture=((DATE, "top"),)), 38, 13),
        "continued-headline": ("continued", [
            Placed(S["network-continued"], "continued", repeat_title=True),
            Placed(A["training"], "inplace"),
            Placed(S["short-winter"], "inplace"),
        ], Extras(continued_from="第一版"), 39, 14),
        "continued-headline-1": ("continued", [
            Placed(S["network-continued"], "continued", repeat_title=True),
            Placed(A["marriage"], "inplace"),
        ], Extras(continued_from="1版", header=f"{MASTHEAD}  {DATE}"), 40, 15),
        "subheadings": ("subheadings", [
            Placed(S["dibao-headings"], "top"),
            Placed(S["short-custom"], "inplace"),
        ], Extras(), 41, 12),
        "furniture-top": ("furniture", [
            Placed(A["training"], "top"),
            Placed(A["children"], "inplace"),
        ], Extras(furniture=((MASTHEAD, "top"), (DATE, "top"), (SECTION, "top"),
                             *((x, "bottom") for x in STAFF_LINES))), 42, 14),
        "furniture-between": ("furniture", [
            Placed(A["marriage"], "top"),
            Placed(S["short-canteen"], "inplace"),
            Placed(A["disability"], "inplace"),
        ], Extras(furniture=((SECTION, "break"), (DATE, "after 1"), (STAFF_LINES[0], "after 2"),
                             (MASTHEAD, "bottom"))), 43, 13),
        "bylines": ("bylines", [
            Placed(S["kunming-byline"], "top"),
            Placed(S["village-kicker"], "inplace"),
            Placed(S["station-kicker"], "inplace", attribution="alone"),
        ], Extras(), 44, 14),
        "short-headlines": ("short-headlines", [
            Placed(A["training"], "top"),
            Placed(S["short-canteen"], "inplace"),
            Placed(S["short-custom"], "inplace"),
            Placed(S["short-winter"], "inplace"),
        ], Extras(), 45, 14),
        "artifacts": ("artifacts", [
            Placed(S["smart-ligatures"], "top"),
            Placed(S["homes-fullwidth"], "inplace"),
            Placed(A["winter"], "inplace", lead="under"),
        ], Extras(page_number_at_break="3", formfeeds=True, crlf=True), 46, 14),
        "crowded-5": ("crowded", [
            Placed(S["village-kicker"], "top"),
            Placed(S["short-canteen"], "inplace"),
            Placed(S["dibao-table"], "inplace"),
            Placed(A["marriage"], "inplace"),
            Placed(S["homes-fullwidth"], "inplace"),
        ], Extras(furniture=((MASTHEAD, "top"), (DATE, "top"), (SECTION, "break"), (STAFF_LINES[0], "bottom")),
                  formfeeds=True), 47, 14),
        "crowded-6": ("crowded", [
            Placed(S["network-continued"], "continued", repeat_title=True),
            Placed(S["lift-interview"], "inplace"),
            Placed(S["short-winter"], "inplace"),
            Placed(brief[0], "inplace", label="简讯"),
            Placed(brief[1], "inplace"),
            Placed(brief[3], "inplace"),
        ], Extras(continued_from="第一版", furniture=((DATE, "top"), ("本版责编：王磊  校对：张敏", "bottom")),
                  page_number_at_break="5"), 48, 15),
    }


CAPTION_PLACES = ("after", "after", "under", "break")  # where the photo sits: after the article, under its
# headline, or between two columns inside its body
CAPTIONS = ("图为志愿者为老人送去年货。 本报记者 李华摄", "图为社区食堂就餐的老人。 新华社记者 张三 摄",
            "居民在社区服务站参加活动。 本报记者 王强 摄")


def _with_lead(a: Article) -> Article:
    """The article with its first paragraph set as its lead (as a paper prints an introductory paragraph
    across columns under, or away from, the headline), when that paragraph is plain prose opening a longer
    article; else the article unchanged."""
    first = a.paragraphs[0] if a.paragraphs else ""
    if (a.lead or len(a.paragraphs) < 3 or {0, 1} & set(a.headings) or 0 in dict(a.tables) or a.speakers
            or not first.endswith("。") or len(first) < 30):
        return a
    return replace(a, lead=first, paragraphs=a.paragraphs[1:], headings=tuple(h - 1 for h in a.headings),
                   tables=tuple((i - 1, rows) for i, rows in a.tables))


def random_shape_page(seed: int, captions: bool = False, widths: tuple[int, int] | None = None,
                      tail: str | None = None, leads: bool = False) -> tuple[str, list[dict]]:
    """A random page of 3-6 articles mixing the shapes of issue 21 with ordinary articles, furniture and
    artifacts anywhere: (raw page, gold articles in the parse --json shape). With ``captions``, four in ten
    articles have a photo caption set after them (drawn from a second generator, so the page is otherwise
    the one without captions). ``widths``: the column width drawn from this range instead of 12-16
    (narrow columns of 8-11 characters, wide ones of 20-30)."""
    rng = random.Random(seed)
    A = load_articles()
    S = load_articles(SHAPES / "articles.yml")
    briefs = [a for k, a in S.items() if k.startswith("brief-")]
    shaped = [a for k, a in S.items() if not k.startswith("brief-") and k != "network-continued"]
    plain = [a for k, a in A.items() if k not in ("heating", "funeral")]
    placed: list[Placed] = []
    continued_from = None
    if rng.random() < 0.3:
        continued_from = rng.choice(["第一版", "1版", "第一版"])
        first = rng.choice([S["network-continued"], A["heating"]])
        placed.append(Placed(first, "continued", repeat_title=rng.random() < 0.6))
    n = rng.randint(3, 6) - len(placed)
    pool = rng.sample(shaped, min(len(shaped), n)) + rng.sample(plain, 2)
    titles = {p.article.title for p in placed}
    for a in pool[:n]:
        if a.title in titles:
            continue
        titles.add(a.title)
        top = not any(p.place != "continued" for p in placed)
        place = "top" if top and rng.random() < 0.6 else rng.choice(["inplace", "inplace", "displaced"])
        if a.tables or a.speakers or len(a.paragraphs) < 3:
            place = "top" if top else "inplace"  # a table, an interview or a short item sits under its headline
        lead = rng.choice(["under", "displaced"]) if place in ("top", "inplace") else "displaced"
        placed.append(Placed(a, place, lead, rng.choice(["inline", "alone", "glued"]),
                             heading_blanks=rng.random() < 0.7))
    if rng.random() < 0.4 and len(placed) <= 4:
        label = rng.choice(["简讯", "要闻简报"])
        items = [b for b in rng.sample(briefs, rng.randint(2, 6 - len(placed))) if b.title not in titles]
        tight = rng.random() < 0.5
        placed += [Placed(b, "inplace", attribution="inline", label=label if i == 0 else None, tight=tight)
                   for i, b in enumerate(items)]
    spots = ["top", "bottom", "break"] + [f"after {i + 1}" for i in range(len(placed) - 1)]
    furniture = tuple((f, rng.choice(spots)) for f in rng.sample([MASTHEAD, DATE, SECTION, *STAFF_LINES],
                                                               rng.randint(0, 4)))
    extras = Extras(header=rng.choice([None, f"{DATE}          {SECTION}  3", f"{MASTHEAD}  {DATE}"]),
                    continued_from=continued_from, furniture=furniture,
                    page_number_at_break=rng.choice([None, None, "3", "12"]), formfeeds=rng.random() < 0.3,
                    crlf=rng.random() < 0.2)
    if tail is not None:
        extras = replace(extras, tail=tail)
    if leads:
        pick = random.Random(f"leads-{seed}")
        placed = [replace(p, article=_with_lead(p.article)) if p.place != "continued" and not p.label
                  and pick.random() < 0.7 else p for p in placed]
    if captions:
        pick = random.Random(f"captions-{seed}")
        placed = [replace(p, caption=pick.choice(CAPTIONS), caption_at=pick.choice(CAPTION_PLACES))
                  if p.place != "continued" and not p.jump and pick.random() < 0.4 else p for p in placed]
    width = rng.randint(12, 16)
    if widths is not None:
        width = random.Random(f"width-{seed}").randint(*widths)
    page = set_real_page(placed, rng, width=width, extras=extras)
    return page, gold_json(expected_articles(placed, extras))


def _punctuated(a: Article, pick: random.Random) -> Article:
    """The article with punctuation in its headline half the time: ：，、 after its first words, or ？！ at
    its end."""
    mark = pick.choice(["：", "，", "、", "？", "！", None, None, None, None, None])
    if mark is None:
        return a
    if mark in "？！":
        return replace(a, title=a.title + mark)
    k = pick.randint(2, max(2, len(a.title) // 2))
    return replace(a, title=a.title[:k] + mark + a.title[k:])


def random_tail_page(seed: int, floating: bool = False, gaps: bool = False,
                     inplace: bool = False, between: bool = False, tight: bool = False,
                     top: bool = False, punct: bool = False) -> tuple[str, list[dict]]:
    """A random page in the seed's own layout, its headlines and leads mostly displaced: 3-5 ordinary
    articles (the seed's and the composed ones), seven in ten with an introductory first paragraph set as
    a lead, three in ten without an attribution; the first headline on top or displaced, four in five of the
    others displaced; the displaced headlines and leads after the bodies grouped (the seed), each headline
    followed by its lead, or the leads first; three in ten articles with a photo caption (after the article,
    under its headline or between two columns of its body). With ``floating``, half the headlines after
    the first are set across the columns their body starts in (printed at a column break inside the article
    before: ``Placed.place`` "floating"); with ``between``, between two paragraphs of the article before
    ("floating-para"). With ``gaps``, a blank line between the lines of every headline
    block (kicker, headline lines, ——subtitle), as pdftotext prints large type with wide leading. With
    ``inplace``, every headline after the first printed above its body and every lead after the bodies.
    With ``tight``, two in three headlines after the first printed in place, half of the headlines in place
    (the top one too) with no blank line between the headline block and the text below it, and six in ten
    articles without an attribution (tight headlines without an attribution to end the article before).
    With ``top``, the displaced headlines and leads are printed above the bodies instead of after them
    (headlines set side by side across the top of the page: pdftotext prints them first). With ``punct``,
    half the headlines carry punctuation as real ones do: 「民政部：…」, 「…，…」, 「…、…」 inside, or a
    question or exclamation mark at the end (「…在哪里？」), and on half the pages every headline is set on
    one line across the columns (wider than a lead's lines can be).
    (raw page, gold articles in the parse --json shape)."""
    rng = random.Random(f"tail-{seed}")
    float_pick = random.Random(f"tail-floating-{seed}")
    placed: list[Placed] = []
    for i, a in enumerate(rng.sample(POOL, rng.randint(3, 5))):
        if punct:
            a = _punctuated(a, random.Random(f"tail-punct-{seed}-{i}"))
        a = _with_lead(a) if rng.random() < 0.7 else a
        if rng.random() < 0.3:
            a = replace(a, attribution=None)
        place = rng.choice(["top", "displaced"]) if i == 0 else ("displaced" if rng.random() < 0.8 else "inplace")
        if (floating or between) and i > 0 and float_pick.random() < 0.5:
            place = "floating" if floating else "floating-para"
        lead = rng.choice(["under", "displaced"]) if place in ("top", "inplace", "floating", "floating-para") \
            else "displaced"
        if inplace and i > 0:
            place, lead = "inplace", "displaced"
        squeezed = False
        if tight:
            pick = random.Random(f"tail-tight-{seed}-{i}")
            a = replace(a, attribution=None) if pick.random() < 0.5 else a
            if i > 0:
                place = "inplace" if pick.random() < 0.67 else "displaced"
                lead = pick.choice(["under", "displaced"]) if place == "inplace" else "displaced"
            squeezed = place in ("top", "inplace") and pick.random() < 0.5
        placed.append(Placed(a, place, lead, rng.choice(["inline", "alone", "glued"]), tight=squeezed))
    extras = Extras(header=rng.choice([None, *HEADERS]), staff=rng.choice([None, *STAFF]),
                    tail=rng.choice(["grouped", "interleaved", "leads first"]), headline_gaps=gaps,
                    tail_at="top" if top else "end",
                    wide_headlines=punct and random.Random(f"tail-wide-{seed}").random() < 0.5)
    pick = random.Random(f"tail-captions-{seed}")
    placed = [replace(p, caption=pick.choice(CAPTIONS), caption_at=pick.choice(CAPTION_PLACES))
              if pick.random() < 0.3 else p for p in placed]
    page = set_real_page(placed, rng, extras=extras)
    return page, gold_json(expected_articles(placed, extras))


def shape_page(name: str) -> tuple[str, str, list[dict]]:
    """(shape, raw page, gold articles in the parse --json shape) of one shape page."""
    shape, placed, extras, seed, width = shape_specs()[name]
    page = set_real_page(placed, random.Random(seed), width=width, extras=extras)
    return shape, page, gold_json(expected_articles(placed, extras))


def write_shapes() -> None:
    """Write tests/shapes/<name>.txt and .json (the pages for people to read; tests make them afresh)."""
    for name in shape_specs():
        shape, page, gold = shape_page(name)
        (SHAPES / f"{name}.txt").write_bytes(page.encode("utf-8"))
        doc = {"shape": shape, "articles": gold}
        (SHAPES / f"{name}.json").write_text(json.dumps(doc, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")


def write(force: bool = False) -> None:
    for name, (placed, extras, seed, width) in page_specs().items():
        page = set_real_page(placed, random.Random(seed), width=width, extras=extras)
        if (PAGES / f"{name}.txt").exists() and not force:
            continue  # keep the hand edits
        (PAGES / f"{name}.txt").write_text(page, encoding="utf-8")
        want = {"articles": expected_json(expected_articles(placed, extras))}
        (PAGES / f"{name}.json").write_text(json.dumps(want, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")


if __name__ == "__main__":
    if "--write" in sys.argv:
        write(force="--force" in sys.argv)
    if "--write-shapes" in sys.argv:
        write_shapes()
