#!/usr/bin/env python3
"""A longer fuzz campaign for the parser than the test suite runs (hypothesis, many examples).

    .venv/bin/python scripts/fuzz.py [--examples 20000]

Every input must either parse with characters conserved or be refused with ParseError/InputError;
anything else is a finding and is printed with the failing input.
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from hypothesis import HealthCheck, given, settings  # noqa: E402
from hypothesis import strategies as st  # noqa: E402

from noticepub.errors import InputError, ParseError  # noqa: E402
from noticepub.ingest import decode_raw  # noqa: E402
from noticepub.parse import check_conservation, parse_page  # noqa: E402

SEED = (Path(__file__).resolve().parents[1] / "source_texts" / "fdc91a8a205b8552" / "raw.txt").read_text("utf-8")
pieces = st.one_of(
    st.characters(min_codepoint=0x4E00, max_codepoint=0x9FFF),
    st.sampled_from(list("，。、；：！？“”‘’《》（）() 　\t-—…+%\n") + ["（据新华社）", "\n\n", "\r\n", "\r", "（据", "）"]),
    st.integers(0, 2024).map(str),
    st.characters(blacklist_categories=("Cs",)),
)
page = st.one_of(
    st.lists(pieces, max_size=600).map("".join),
    st.builds(lambda a, b, ins: SEED[:a] + ins + SEED[b:], st.integers(0, len(SEED)), st.integers(0, len(SEED)),
              st.lists(pieces, max_size=50).map("".join)),
    st.binary(max_size=2000),
)


def check(data) -> None:
    try:
        text = decode_raw(data, "fuzz") if isinstance(data, bytes) else data
        result = parse_page(text, "fuzz")
    except (ParseError, InputError):
        return
    check_conservation(text.replace("\r\n", "\n").replace("\r", "\n"), result)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--examples", type=int, default=20000)
    args = parser.parse_args()
    start = time.perf_counter()

    @settings(max_examples=args.examples, deadline=None, derandomize=False,
              suppress_health_check=list(HealthCheck), database=None)
    @given(page)
    def campaign(data):
        check(data)

    campaign()
    print(f"fuzz: {args.examples} examples, no finding, {time.perf_counter() - start:.0f} s")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
