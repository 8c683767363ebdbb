"""Articles composed for the parser's real-style test pages (tests/pages/articles.yml) and page specs.

    PYTHONPATH=scripts:tests .venv/bin/python tests/realpages.py --write [--force]

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

from layoutgen import Extras, Placed, expected_articles, set_real_page
from noticepub.model import Article

PAGES = Path(__file__).resolve().parent / "pages"
REPO = Path(__file__).resolve().parents[1]


def load_articles() -> dict[str, Article]:
    data = yaml.safe_load((PAGES / "articles.yml").read_text(encoding="utf-8"))
    return {key: Article(key, a["title"], a.get("subtitle"), a.get("lead"), tuple(a["paragraphs"]),
                         a.get("attribution"), (), tuple(a.get("headings", ())))
            for key, a in data.items()}


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
