"""Parse warnings: each doubtful result is reported, and the seed and the real-style pages have none."""

import random
from dataclasses import replace
from pathlib import Path

import pytest

from conftest import SEED_RAW
from layoutgen import Placed, gold_json, set_real_page
from noticepub.parse import parse_page
from realpages import load_articles
from test_shapes import _comparable

A = load_articles()


def kinds(text: str) -> list[str]:
    return [w.kind for w in parse_page(text, "p").warnings]


def test_no_warnings_on_good_pages():
    assert kinds(SEED_RAW.read_text(encoding="utf-8")) == []
    for page in sorted((Path(__file__).resolve().parent / "pages").glob("*.txt")):
        assert kinds(page.read_text(encoding="utf-8")) == [], page.name


def test_article_with_no_paragraphs():
    page = set_real_page([Placed(A["training"], "top")], random.Random(1), width=14) + "\n\n孤立标题没有正文在本版\n"
    result = parse_page(page, "p")
    (w,) = [w for w in result.warnings if w.kind == "no-paragraphs"]
    assert w.article_id == result.articles[-1].id and "孤立标题没有正文在本版" in w.message and w.lines


def test_untitled_article():
    page = set_real_page([Placed(replace(A["training"], title=""), "displaced", attribution="alone"),
                          Placed(replace(A["children"], title=""), "displaced")], random.Random(2), width=14)
    assert "untitled" in kinds(page)


def test_second_story_opener():
    body = replace(A["training"], paragraphs=A["training"].paragraphs + A["marriage"].paragraphs)
    page = set_real_page([Placed(body, "top")], random.Random(3), width=14)
    result = parse_page(page, "p")
    (w,) = [w for w in result.warnings if w.kind == "second-opener"]
    assert "新华社北京" in w.message and w.article_id == "a1"


def test_weak_match():
    page = set_real_page([Placed(A["training"], "top", attribution="alone"),
                          Placed(replace(A["children"], title="今日要闻速览"), "displaced")], random.Random(4), width=14)
    result = parse_page(page, "p")
    (w,) = [w for w in result.warnings if w.kind == "weak-match"]
    assert w.article_id == "a2" and "score 0.00" in w.message


def test_section_label_above_the_headline_is_furniture_not_the_title():
    page = "民生·社会\n\n" + set_real_page([Placed(A["training"], "top")], random.Random(5), width=14)
    result = parse_page(page, "p")
    assert result.articles[0].title == A["training"].title
    assert "民生·社会" in [d.text for d in result.dropped]


@pytest.mark.parametrize("title", ["要闻导读（第3版）"])
def test_furniture_like_title(title):
    page = set_real_page([Placed(replace(A["training"], title=title), "top")], random.Random(5), width=14)
    result = parse_page(page, "p")
    assert result.articles[0].title == title
    (w,) = [w for w in result.warnings if w.kind == "furniture-in-title"]
    assert title in w.message


def test_one_paragraph_articles_are_warned():
    page = ("民政部开展培训\n\n日前，民政部开展了培训\n工作，效果良好。（据民政部官网）各地\n要做好准备工作，落实责任。\n\n"
            "另一篇稿件标题\n\n本报讯 记者日前获悉，某市\n养老服务站投入使用。\n")
    result = parse_page(page, "p")
    kinds = {(w.kind, w.article_id) for w in result.warnings}
    assert ("one-paragraph", "a1") in kinds and ("untitled", "a2") in kinds
    for w in result.warnings:
        assert w.article_id in {a.id for a in result.articles}
        assert w.evidence or w.kind == "untitled"


def test_doubtful_boundary_names_both_articles_with_its_margin():
    from noticepub.parse import checks
    from noticepub.parse.pipeline import DEFAULT_RULES, run
    from noticepub.parse.state import PageState

    page = (Path(__file__).resolve().parent / "pages" / "no-attributions.txt").read_text(encoding="utf-8")
    state = PageState.start(page, "p", DEFAULT_RULES, None)
    run(state, DEFAULT_RULES)
    assert state.splits and not [w for w in state.warnings if w.kind == "doubtful-boundary"]
    old = checks.SPLIT_MARGIN
    checks.SPLIT_MARGIN = 10.0  # every boundary doubtful: each names the article it starts and the one before
    try:
        state = PageState.start(page, "p", DEFAULT_RULES, None)
        result = run(state, DEFAULT_RULES)
    finally:
        checks.SPLIT_MARGIN = old
    doubtful = [w for w in result.warnings if w.kind == "doubtful-boundary"]
    assert len(doubtful) == 2 * len(state.splits)
    assert all(dict(w.evidence)["margin"] and "instead" in dict(w.evidence)["rejected"] or
               "no split" in dict(w.evidence)["rejected"] for w in doubtful)


def test_lone_sub_heading_deep_in_an_article_is_a_headline_or_warned():
    from noticepub.parse.pipeline import default_ruler

    page = ("社区养老服务站投入使用\n\n日前，某市首批社区养老服务\n站投入使用。\n\n"
            "服务站由街道统一建设，委托\n专业机构运营。\n\n老人们对此十分满意，纷纷点\n赞。\n\n扩招\n\n"
            "今年秋季，市老年大学新增课\n程三十门。\n\n报名人数创历年新高，老年大\n学还开设了线上课堂。\n")
    a, b = parse_page(page, "p").articles
    assert (a.title, len(a.paragraphs), b.title, len(b.paragraphs)) == ("社区养老服务站投入使用", 3, "扩招", 2)
    rules = default_ruler()
    rules.disable("lone sub-heading")
    result = parse_page(page, "p", ruler=rules)
    (a,) = result.articles
    assert a.headings == (3,)
    (w,) = [w for w in result.warnings if w.kind == "lone-sub-heading"]
    assert w.article_id == a.id and "扩招" in w.message and dict(w.evidence)["rejected"] == "headline printed in place"


def test_the_pages_only_article_with_sub_headings_is_warned():
    """A page that parses into one article whose unnumbered sub-headings stay sub-headings (each rejected as
    a headline in place with evidence below 0: 加强排查走访, 做好物资储备) is warned: short headlines printed in
    place may have been read as sub-headings. A one-article page whose sub-headings are numbered is not."""
    page = ("多地启动冬季救助保障专项行动\n\n  入冬以来，多地民政部门\n启动冬季救助保障专项行\n"
            "动，全力保障困难群众温暖\n过冬。\n\n加强排查走访\n\n  各地组织乡镇（街道）干\n"
            "部和社区工作者，对低保对\n象、特困人员等开展拉网式\n排查，建立工作台账。\n\n做好物资储备\n\n"
            "  各地提前储备棉衣棉被、\n取暖设备等物资，确保困难\n群众生活不因寒潮受到影\n响。\n")
    result = parse_page(page, "p")
    (a,) = result.articles
    assert [a.paragraphs[i] for i in a.headings] == ["加强排查走访", "做好物资储备"]
    (w,) = [w for w in result.warnings if w.kind == "only-article"]
    assert w.article_id == a.id and "加强排查走访" in w.message
    numbered = ("低保新规出台\n\n  近日，省民政厅联合印发\n《关于进一步做好最低生活\n保障工作的通知》。\n\n"
                "一、规范认定条件\n\n  通知明确，共同生活的\n家庭成员按照实际生活情\n况确定。\n\n"
                "二、完善动态管理\n\n  各地要对低保家庭实行\n分类管理，每年核查一次。\n")
    result = parse_page(numbered, "p")
    assert len(result.articles) == 1 and len(result.articles[0].headings) == 2
    assert not [w for w in result.warnings if w.kind == "only-article"]


def test_short_headlines_on_a_page_that_would_hold_one_article_start_articles():
    """short-headlines: three short headlines printed in place (社区食堂开张了, 婚俗改革见实效, 冬季救助不停歇),
    each a near miss as a headline in place (evidence 0): a page holds several articles, so each starts one,
    with its paragraphs and the last one's attribution."""
    from realpages import shape_page

    _, page, gold = shape_page("short-headlines")
    result = parse_page(page, "p")
    assert [(a.title, list(a.paragraphs), a.attribution) for a in result.articles] == \
        [(g["title"], g["paragraphs"], g["attribution"]) for g in gold]


def test_a_joint_guessed_across_a_blank_after_a_finished_sentence_is_warned():
    """Wide columns with squeezed punctuation: 「…做到“一户一方案”。」, a blank line, then a paragraph's first
    line as long as a full one: rule 'sentence at column foot' reads a column break and joins, which here
    is wrong (on this page three times, in three articles, while its column width was learned from its
    table rows too; learned from prose, two of the three joints are read right). The article whose joint
    is still wrong is warned ('doubtful-joint', naming the lines); the two read right are not."""
    from realpages import random_shape_page

    page, gold = random_shape_page(3, widths=(20, 30))
    result = parse_page(page, "p")
    warned = {w.article_id: w for w in result.warnings if w.kind == "doubtful-joint"}
    titles = {a.id: a.title for a in result.articles}
    assert sorted(titles[k] for k in warned) == ["困难老人居家适老化改造完成"]
    right = {g["title"]: g for g in _comparable(gold_json(list(result.articles)))}
    for title in ("全面推进社区养老服务网络建设", "婚俗改革见实效"):
        assert right[title] == next(g for g in _comparable(gold) if g["title"] == title)
    w = next(w for k, w in warned.items() if titles[k] == "困难老人居家适老化改造完成")
    assert "区民政局表示" in page.splitlines()[w.lines[0] - 1]
    assert dict(w.evidence)["rule"] == "sentence at column foot"
    assert {g["title"]: len(g["paragraphs"]) for g in gold}["困难老人居家适老化改造完成"] == 3
    assert len(next(a for a in result.articles if a.title == "困难老人居家适老化改造完成").paragraphs) == 2


def test_a_table_whose_rows_do_not_line_up_is_warned():
    """The table page with one row's first two cells printed one space apart (「东山区 1080」): that row has
    one cell fewer than the others; the table is kept exactly as printed and its article is warned
    ('ragged-table', naming the row). The page as generated has no such warning."""
    page = (Path(__file__).resolve().parent / "shapes" / "table.txt").read_text(encoding="utf-8")
    assert "ragged-table" not in kinds(page)
    ragged = page.replace("东山区     1080", "东山区 1080")
    result = parse_page(ragged, "p")
    (w,) = [w for w in result.warnings if w.kind == "ragged-table"]
    rows = dict(next(a for a in result.articles if a.id == w.article_id).tables)
    (table,) = rows.values()
    odd = [i + 1 for i, r in enumerate(table) if "东山区 1080" in r]
    assert dict(w.evidence)["odd rows"] == str(odd[0]) and f"row {odd[0]} has" in w.message


CONTINUED_WITH_AN_OPENER = """本报讯（记者王明）日前，市民政
局召开全市养老服务工作推进会，部
署下一阶段重点任务，要求各区加快
补齐社区养老服务设施短板。

会议要求，各区要加强督促检查，
确保各项任务按期完成。

（据市民政局）

社区食堂让老人吃上热乎饭

中午十一点半，家住城东街道的
张大爷拄着拐杖走进社区食堂，一荤
两素一汤，只花了十二元，他说饭菜
软和，价钱实惠，比在家做方便多了。

（据中国社会报）
"""


def test_a_continued_article_whose_first_line_opens_a_story_is_warned():
    """The page's first article has no headline while the next one has: it is read as continued from
    another page, but it opens with 「本报讯（记者王明）」: its headline may be missing ('doubtful-continued').
    A page that does begin mid-sentence (the seed's second column) is not warned."""
    result = parse_page(CONTINUED_WITH_AN_OPENER, "p")
    assert result.articles[0].continued
    (w,) = [w for w in result.warnings if w.kind == "doubtful-continued"]
    assert w.article_id == "a1" and w.lines == (1,) and "本报讯" in w.message
    tail = "\n".join(CONTINUED_WITH_AN_OPENER.splitlines()[1:]) + "\n"  # the page begins inside the sentence
    assert tail.startswith("局召开") and tail.count("\n") > 10 and "doubtful-continued" not in kinds(tail)


def test_an_article_holding_the_body_of_a_bodiless_one_is_warned():
    """A seed-layout page with two articles on one subject and no attribution between them (「河北11部门开展
    “春暖农民工”服务行动」 and 「山西多举措做好春节期间农民工返乡返岗保障工作」): the DP found no boundary, so the
    first has no paragraphs (warned 'no-paragraphs') and the second holds both bodies; its text restates the
    first's headline and lead, so it is warned too ('absorbed-body', naming the bodiless article): it held
    no warning."""
    from realpages import random_tail_page

    page, _ = random_tail_page(3)
    result = parse_page(page, "p")
    titles = {a.id: a.title for a in result.articles}
    absorbed = [w for w in result.warnings if w.kind == "absorbed-body"]
    assert [titles[w.article_id] for w in absorbed] == ["山西多举措做好春节期间农民工返乡返岗保障工作"]
    assert "河北11部门" in absorbed[0].message
    assert not next(a for a in result.articles if a.title.startswith("河北11部门")).paragraphs
