"""Character conservation: every CJK character, digit and letter lands in exactly one output field
or in `dropped` with a reason; the parser never crashes with an unexpected exception."""

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from conftest import SEED_RAW
from noticepub.errors import InputError, ParseError
from noticepub.model import Article, ParseResult
from noticepub.parse import check_conservation, parse_page

SEED = SEED_RAW.read_text(encoding="utf-8")

cjk = st.characters(min_codepoint=0x4E00, max_codepoint=0x9FFF)
punct = st.sampled_from(list("，。、；：！？“”‘’《》（）() 　\t-—…+%") + ["（据新华社）", "（据", "）", "\n", "\n\n"])
anything = st.characters(blacklist_categories=("Cs",))
line_endings = st.sampled_from(["\n", "\r\n", "\r"])


def _ok(text: str) -> None:
    try:
        result = parse_page(text, "fuzz")
    except (ParseError, InputError):
        return  # refusing is allowed; crashing or losing text is not
    check_conservation(text.replace("\r\n", "\n").replace("\r", "\n"), result)


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(st.one_of(cjk, punct, st.integers(0, 999).map(str)), max_size=400).map("".join))
def test_chinese_like_text_conserves(text):
    _ok(text)


@settings(max_examples=200, deadline=None)
@given(st.text(anything, max_size=300))
def test_arbitrary_unicode_conserves(text):
    _ok(text)


@settings(max_examples=30, deadline=None)
@given(st.integers(0, len(SEED)), st.integers(0, 400), line_endings)
def test_mutilated_seed_conserves(cut, length, newline):
    _ok((SEED[:cut] + SEED[cut + length:]).replace("\n", newline))


def test_pathological_shapes():
    _ok("\n" * 10_000 + "民政部\n" + "\n" * 10_000)
    _ok("民" * 200_000)
    _ok("（据" * 500 + "）" * 500)
    _ok("😀民政部😀\x07\x1b[31m控制字符\u200b\u202e反转")


def test_crlf_and_long_lines():
    _ok(SEED.replace("\n", "\r\n"))
    _ok(SEED.replace("\n", ""))  # the whole page on one line
    _ok(SEED.replace("\n\n", "\n"))  # no blank lines at all
    _ok("\n".join(SEED.split("\n")[::-1]))  # lines in reverse order


def test_violation_is_an_error():
    good = parse_page(SEED, "seed")
    broken = ParseResult(good.source, (Article("a1", "民政部", None, None, (), None),), ())
    with pytest.raises(ParseError, match="character conservation failed"):
        check_conservation(SEED, broken)


FURNITURE_BITS = [
    "（上接第一版）", "（下转第四版）", "（转A4版）", "图为志愿者。 本报记者 李华摄", "— 3 —", "民生·社会 3",
    "责任编辑：赵琳", "2026年1月8日 星期四", "多措并举保障供暖", "本报讯（记者王明）", "（据新华社）", "——副题",
    "", "（相关报道见第十三、十四版）", "新华社发", "日前，", "。", "，",
]


@settings(max_examples=80, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.integers(0, 10**6), st.lists(st.tuples(st.floats(0, 1), st.floats(0, 1), st.sampled_from(FURNITURE_BITS)),
                                       max_size=12))
def test_real_pages_with_stray_furniture_conserve(seed, edits):
    """Generated real pages with furniture, openers and jump lines inserted, glued or lines deleted anywhere."""
    from realpages import random_page

    _, page = random_page(seed, 12 + seed % 5)
    lines = page.split("\n")
    for op, where, bit in edits:
        i = int(where * (len(lines) - 1))
        if op < 0.4:
            lines.insert(i, bit)
        elif op < 0.6:
            lines[i] += bit
        elif op < 0.8:
            lines[i] = bit + lines[i]
        elif len(lines) > 1:
            del lines[i]
    _ok("\n".join(lines))
