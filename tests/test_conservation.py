"""Character conservation: every CJK character, digit and letter lands in exactly one output field
or in `dropped` with a reason; the parser never crashes with an unexpected exception.

The check here is the test's own (it does not trust the parser's `check_conservation`, which the parser
also runs on itself): a `ParseError` out of `parse_page` is the parser saying it lost or invented text,
so it fails the test like any other loss. The mutation tests at the end prove it: a parser that drops
one character (with its own check on, or switched off) fails `_ok`.
"""

import sys
from collections import Counter

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

# Every text field of an article (kicker and byline are the round-3 contract; getattr keeps the check
# honest on a parser that does not fill them yet). Table cells and speaker labels live in `paragraphs`.
TEXT_FIELDS = ("kicker", "title", "subtitle", "byline", "lead", "attribution")


def _counted(text: str) -> Counter:
    """The characters conservation accounts for (CJK, digits, letters), as a multiset."""
    return Counter(ch for ch in text if ch.isalnum())


def _output_text(result: ParseResult) -> str:
    parts: list[str] = []
    for a in result.articles:
        parts += [v for v in (getattr(a, f, None) for f in TEXT_FIELDS) if v]
        parts += list(a.paragraphs)
    parts += [d.text for d in result.dropped]
    return "".join(parts)


def assert_conserved(text: str, result: ParseResult) -> None:
    want, got = _counted(text), _counted(_output_text(result))
    lost, extra = want - got, got - want
    assert not lost and not extra, (f"lost {sum(lost.values())} ({''.join(sorted(lost))[:30]}), "
                                    f"extra {sum(extra.values())} ({''.join(sorted(extra))[:30]})")


def _ok(text: str) -> None:
    """Parse ``text``: the parser may refuse bad input (InputError); it may not crash, lose or invent text."""
    try:
        result = parse_page(text, "fuzz")
    except InputError:
        return  # refusing the input is allowed
    except ParseError as exc:  # the parser's own conservation check fired: it lost or invented characters
        pytest.fail(f"the parser lost or invented text: {exc}")
    assert_conserved(text.replace("\r\n", "\n").replace("\r", "\n"), result)


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


# ---------------------------------------------------------------- mutation checks: the tests above can fail
def _drop_first_character(monkeypatch, *, own_check: bool) -> None:
    """Make the parser drop the first character of every paragraph (the mutant issue 21 names), with the
    parser's own conservation check left on (``own_check``) or switched off everywhere it is imported."""
    init = Article.__init__

    def lossy(self, *args, **kwargs):
        init(self, *args, **kwargs)
        object.__setattr__(self, "paragraphs", tuple(p[1:] for p in self.paragraphs))

    monkeypatch.setattr(Article, "__init__", lossy)
    if not own_check:
        for name, module in list(sys.modules.items()):
            if name.startswith("noticepub.parse") and hasattr(module, "check_conservation"):
                monkeypatch.setattr(module, "check_conservation", lambda text, result: None)


def _duplicate_title(monkeypatch) -> None:
    """Make the parser repeat each title's first character in the first paragraph (invented text)."""
    init = Article.__init__

    def inventive(self, *args, **kwargs):
        init(self, *args, **kwargs)
        if self.title and self.paragraphs:
            object.__setattr__(self, "paragraphs", (self.title[0] + self.paragraphs[0],) + self.paragraphs[1:])

    monkeypatch.setattr(Article, "__init__", inventive)
    for name, module in list(sys.modules.items()):
        if name.startswith("noticepub.parse") and hasattr(module, "check_conservation"):
            monkeypatch.setattr(module, "check_conservation", lambda text, result: None)


MUTATION_INPUTS = {
    "seed": SEED,
    "seed with CRLF": SEED.replace("\n", "\r\n"),
    "seed without blank lines": SEED.replace("\n\n", "\n"),
    "short page": "民政部部署冬季救助工作\n\n  民政部近日印发通知，要求各地做好困难群众冬季生活保障工作。\n",
}


@pytest.mark.parametrize("own_check", [True, False], ids=["parser-check-on", "parser-check-off"])
@pytest.mark.parametrize("name", list(MUTATION_INPUTS))
def test_mutant_that_drops_a_character_fails(monkeypatch, name, own_check):
    text = MUTATION_INPUTS[name]
    _ok(text)  # the real parser passes
    _drop_first_character(monkeypatch, own_check=own_check)
    with pytest.raises((pytest.fail.Exception, AssertionError), match="lost"):
        _ok(text)


def test_mutant_that_invents_a_character_fails(monkeypatch):
    _ok(SEED)
    _duplicate_title(monkeypatch)
    with pytest.raises(AssertionError, match="extra [1-9]"):
        _ok(SEED)


def test_mutant_fails_the_generated_real_pages(monkeypatch):
    """The property test over generated real pages catches the mutant on every page it draws."""
    from realpages import random_page

    pages = [random_page(seed, 12 + seed % 5)[1] for seed in range(5)]
    for page in pages:
        _ok(page)
    _drop_first_character(monkeypatch, own_check=True)
    for page in pages:
        with pytest.raises(pytest.fail.Exception, match="lost"):
            _ok(page)
