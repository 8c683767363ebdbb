"""Sentence segmentation: deterministic rules, checked on examples and on generated text."""

import json

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from conftest import REPO
from noticepub.translate.segment import split_sentences


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("会议指出，《指南》的核心目标是“保健康、防重症”。《指南》充分吸收了经验。",
         ["会议指出，《指南》的核心目标是“保健康、防重症”。", "《指南》充分吸收了经验。"]),
        ("他说：“我们要努力。”随后离开。", ["他说：“我们要努力。”", "随后离开。"]),
        ("他说：“我们要努力。我们会成功。”随后离开。", ["他说：“我们要努力。我们会成功。”", "随后离开。"]),
        ("提供“累能歇脚、渴能喝水”等服务；支持企业培训。", ["提供“累能歇脚、渴能喝水”等服务；", "支持企业培训。"]),
        ("印发《关于做好工作的通知。附件》要求", ["印发《关于做好工作的通知。附件》要求"]),
        ("开展关怀慰问。为留岗农民工组织活动！真的吗？", ["开展关怀慰问。", "为留岗农民工组织活动！", "真的吗？"]),
        ("真的吗？！好的。", ["真的吗？！", "好的。"]),
        ("（据央广网。）下一句。", ["（据央广网。）", "下一句。"]),
        ("一个“未闭合的引号。后面的句子。", ["一个“未闭合的引号。", "后面的句子。"]),
        ("没有句号的标题", ["没有句号的标题"]),
        ("", []),
        ("  ", []),
    ],
)
def test_split_sentences(text, expected):
    assert split_sentences(text) == expected
    assert "".join(split_sentences(text)) == text.strip()


def test_seed_segments_are_stable():
    """The seed's 72 segments: each one is a fixed point (re-splitting a segment gives itself)."""
    expected = json.loads((REPO / "tests" / "expected" / "seed.json").read_text(encoding="utf-8"))
    fields = [f for a in expected["articles"]
              for f in (a["title"], a["subtitle"], a["lead"], *a["paragraphs"], a["attribution"]) if f]
    segments = [s for f in fields for s in split_sentences(f)]
    assert len(segments) == 72
    assert all(split_sentences(s) == [s] for s in segments)


CHARS = st.sampled_from(
    list("民政部养老机构农民工春节服务一二三123") + list("。！？；，、“”《》（）：") + ["“”", "《》", "（）"]
)
TEXTS = st.lists(CHARS, max_size=40).map("".join)


@settings(max_examples=400, deadline=None)
@given(TEXTS)
def test_segments_concatenate_to_the_text(text):
    assert "".join(split_sentences(text)) == text


@settings(max_examples=400, deadline=None)
@given(TEXTS)
def test_deterministic_and_idempotent(text):
    segments = split_sentences(text)
    assert segments == split_sentences(text)
    assert all(segment and split_sentences(segment) == [segment] for segment in segments)


@settings(max_examples=300, deadline=None)
@given(TEXTS, TEXTS, TEXTS)
def test_never_cut_inside_a_document_title(before, inside, after):
    inside = inside.replace("《", "").replace("》", "")
    text = f"{before}《{inside}》{after}"
    cuts, position = [], 0
    for segment in split_sentences(text):
        position += len(segment)
        cuts.append(position)
    start = len(before) + 1
    for cut in cuts[:-1]:
        assert not start <= cut < start + len(inside) + 1, (text, split_sentences(text))
