"""Parse time grows linearly with the page (issue 25: 0.25/0.5/1/4 MB took 0.6/1.6/5.3/97 s)."""

import time

from conftest import SEED_RAW
from noticepub.ingest import read_raw
from noticepub.parse import parse_page


def _seconds(page: str) -> float:  # CPU time: the machine's other processes do not count
    best = float("inf")
    for _ in range(2):
        t = time.process_time()
        parse_page(page, "p")
        best = min(best, time.process_time() - t)
    return best


def test_ten_times_the_page_takes_about_ten_times_as_long():
    seed = read_raw(SEED_RAW, 10_000_000)
    small = "\n\n".join([seed] * 8)  # ~0.1 MB, 32 articles
    large = "\n\n".join([seed] * 80)  # ~1 MB, 320 articles (quadratic: x100, measured x9)
    ratio = _seconds(large) / _seconds(small)
    assert ratio < 25, ratio

