"""Score the parser on held-out pages: paragraph F1, titles, leads, furniture characters in articles.

    python tests/holdout/evaluate.py [PAGE.txt ...]     (default: every tests/holdout/*.txt)

Paragraphs are compared with whitespace removed (the typographic clean-up is tested elsewhere);
titles and leads exactly, as multisets over the page (reading order is tested elsewhere).
"""

from __future__ import annotations

import json
import re
import sys
from collections import Counter
from dataclasses import dataclass
from pathlib import Path

HERE = Path(__file__).parent
sys.path.insert(0, str(HERE.parents[1] / "scripts"))

from noticepub.parse import parse_page  # noqa: E402

WS = re.compile(r"\s+")


def _norm(s: str | None) -> str:
    return WS.sub("", s or "")


def _f1(got: Counter, want: Counter) -> float:
    tp = sum((got & want).values())
    if not got and not want:
        return 1.0
    p = tp / max(1, sum(got.values()))
    r = tp / max(1, sum(want.values()))
    return 0.0 if tp == 0 else 2 * p * r / (p + r)


@dataclass
class Score:
    page: str
    paragraph_f1: float
    titles: float
    leads: float
    furniture_chars: int
    lost: int


def score(raw: Path) -> Score:
    want = json.loads(raw.with_suffix(".json").read_text(encoding="utf-8"))
    result = parse_page(raw.read_text(encoding="utf-8"), str(raw))
    got_p = Counter(_norm(p) for a in result.articles for p in a.paragraphs)
    want_p = Counter(_norm(p) for a in want["articles"] for p in a["paragraphs"])
    got_t = Counter(_norm(a.title) for a in result.articles)
    want_t = Counter(_norm(a["title"]) for a in want["articles"])
    titles = sum((got_t & want_t).values()) / max(1, sum(want_t.values()))
    want_l = Counter(_norm(a["lead"]) for a in want["articles"] if a["lead"])
    got_l = Counter(_norm(a.lead) for a in result.articles if a.lead)
    leads = 1.0 if not want_l and not got_l else _f1(got_l, want_l)
    text = "".join(_norm(a.title) + _norm(a.subtitle) + _norm(a.lead) + "".join(map(_norm, a.paragraphs))
                   for a in result.articles)
    furniture = sum(len(_norm(f)) for f in want.get("furniture", []) if _norm(f) in text)
    return Score(raw.stem, _f1(got_p, want_p), titles, leads, furniture, 0)


def main(argv: list[str]) -> int:
    pages = [Path(a) for a in argv] or sorted(HERE.glob("*.txt"))
    for page in pages:
        s = score(page)
        print(f"{s.page:<12} paragraph F1 {s.paragraph_f1:.3f}  titles {s.titles:.3f}  leads {s.leads:.3f}  "
              f"furniture chars in articles {s.furniture_chars}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
