"""Each named parser rule on its own (the rules `noticepub parse --rules` lists), and the rulers."""

import random
import re
from dataclasses import replace

import pytest

from noticepub.parse import parse_page
from noticepub.parse.assemble import assemble, pair_leads
from noticepub.parse.furniture import CONTINUE, END, find_furniture, glued_tail, whole_line
from noticepub.parse.layout import Geometry, Group, Line, classify, inplace_score, is_headline, is_lead, is_top_headline
from noticepub.parse.openers import opener
from noticepub.parse.pipeline import continued_start, default_ruler, list_rules
from noticepub.parse.reflow import (
    BREAK,
    JOIN,
    Joint,
    Paragraph,
    after_attribution,
    article_boundary,
    before_attribution,
    blank_after_sentence,
    column_break,
    full_first_line,
    lost_indent,
    maintainer_correction,
    sentence_at_column_foot,
    short_last_line,
    sub_heading,
    wrapped,
)
from noticepub.parse.segment import Body, Part, segment, split_attributions
from noticepub.parse.split import split_bodies
from noticepub.parse.text import ends_sentence, ends_with_attribution, tidy_and_explain

GEO = Geometry(width=13.0, indent=2.0, tol=0.5)


def L(no: int, text: str) -> Line:
    from noticepub.parse.text import measure

    m = measure(text)
    core = m - 1 if text and text[-1] in "，。、；：！？”）" else m
    return Line(no, text, text, m, core, ends_sentence(text) or ends_with_attribution(text))


def J(prev: str, line: str, **kw) -> Joint:
    return Joint(L(1, prev), L(2, line), kw.pop("gap", False), kw.pop("continues", True), GEO, **kw)


# ------------------------------------------------------------------ layout: furniture
@pytest.mark.parametrize("text,name", [
    ("2026年1月8日  星期四          民生·社会  3", "running header (date)"),
    ("— 8 —", "page number"),
    ("民生·社会 3", "running header (section)"),
    ("责任编辑：赵琳  版式设计：孙伟", "staff line"),
    ("本版编辑：钱明 校对：周洁", "staff line"),
    ("（下转第四版）", "jump line (to)"),
    ("（转A4版）", "jump line (to)"),
    ("（上接第一版）", "jump line (from)"),
    ("（相关报道见第十三、十四版）", "cross-reference"),
])
def test_page_furniture_rule(text, name):
    pat, _ = whole_line(text)
    assert pat.name == name


@pytest.mark.parametrize("text", ["民政部门要加强组织领导，", "会议强调，各地民政部门要", "多措并举保障供暖",
                                  "山西多举措做好春节期间"])
def test_page_furniture_rule_leaves_text_alone(text):
    assert whole_line(text) is None


def test_jump_line_glued_rule():
    pat, m = glued_tail("示，将加强对殡葬服务机构的（下转第四版）")
    assert pat.effect == END and m.group(0) == "（下转第四版）"
    assert glued_tail("（下转第四版）") is None  # a whole line is not a glued tail
    assert glued_tail("各地要做好工作。") is None


def test_jump_from_names_the_page():
    hits = find_furniture([L(1, "（上接第一版）"), L(2, "民生保障工作，确保困难群众温")])
    assert [(h.effect, h.page) for h in hits] == [(CONTINUE, "第一版")]


def test_photo_caption_rule():
    lines = [L(1, "服务。"), L(2, ""), L(3, "图为社区食堂工作人员为老人打"), L(4, "菜。 本报记者 李华摄"), L(5, ""),
             L(6, "山西太原，志愿者为老人送去年货。 新华社发"), L(7, "")]
    hits = find_furniture(lines)
    assert [h.line for h in hits] == [3, 4, 6]
    assert {h.name for h in hits} == {"photo caption"}
    assert find_furniture([L(1, "图为实现这一目标，各地要加"), L(2, "强组织领导，确保落实。")]) == []


# ------------------------------------------------------------------ layout: roles
def test_lead_rule():
    wide = Group([L(1, "近日，省民政厅印发通知，在全省启动为期三个月的冬季救助帮扶专项行动，聚焦低保对象。")])
    assert is_lead(wide, GEO)
    assert not is_lead(Group([L(1, "通知要求，各地要全面开展")]), GEO)


def test_top_and_displaced_headline_rules():
    head = Group([L(1, "我省多措并举保障困难群众温暖过冬")])
    assert is_headline(head, GEO) and is_top_headline(head, GEO)
    assert not is_headline(Group([L(1, "各地要做好补贴资金发放。")]), GEO)


def test_headline_in_place_rule():
    prev = Group([L(1, "群众的实际问题。")])
    head = Group([L(2, "殡葬服务改革稳步推进")])
    story = Group([L(3, "本报讯记者日前从市民"), L(4, "政局获悉，我市将进一步深")])
    plain = Group([L(3, "各地积极推进社区服务"), L(4, "站点建设，为居民提供养")])
    assert inplace_score(prev, head, story, GEO)[0] >= 2  # a story opener follows: a headline
    assert inplace_score(prev, Group([L(2, "提升服务能力")]), plain, GEO)[0] < 2  # short, no evidence: sub-heading


def test_classify_does_not_change_its_input():
    groups = [Group([L(1, "我省多措并举保障困难群众温暖过冬")]), Group([L(3, "通知要求，各地要全面开展"), L(4, "排查。")])]
    out = classify(groups, GEO)
    assert out[0].role == "top-headline" and groups[0].role == "body"


# ------------------------------------------------------------------ reflow rules, each alone
def test_maintainer_correction_rule():
    assert maintainer_correction(J("a。", "b", forced=(JOIN, "x"))) == (JOIN, "x")
    assert maintainer_correction(J("a。", "b")) is None


def test_article_boundary_rule():
    assert article_boundary(J("群众的实际问题", "本报讯", boundary="in place"))[0] == BREAK
    assert article_boundary(J("a", "b")) is None


def test_sub_heading_rule():
    assert sub_heading(J("评估。", "让服务可持续", heading=True))[0] == BREAK
    assert sub_heading(J("让服务可持续", "为保障助餐服务持续运营，", prev_heading=True))[0] == BREAK
    assert sub_heading(J("a", "b")) is None


def test_attribution_rules():
    assert after_attribution(J("走访慰问。（据央广网）", "对春节期间"))[0] == BREAK
    assert before_attribution(J("走访慰问。", "（据央广网）开展关怀慰问。"))[0] == BREAK
    assert after_attribution(J("走访慰问。", "对春节期间")) is None


def test_column_break_rule():
    assert column_break(J("指导各地民政部门切实", "把握好“乙类乙管”阶段", gap=True))[0] == JOIN
    assert column_break(J("疫情防控。", "会议指出", gap=True)) is None


def test_sentence_at_column_foot_rule():
    full = "养老机构疫情防控工作专班。"
    assert sentence_at_column_foot(J(full, "通过视频会方式举办了全国养", gap=True))[0] == JOIN
    assert sentence_at_column_foot(J(full, "会议指出，", gap=True)) is None


def test_paragraph_end_rule():
    assert blank_after_sentence(J("疫情防控。", "会议指出", gap=True))[0] == BREAK
    assert blank_after_sentence(J("疫情防控", "会议指出", gap=True)) is None


def test_full_first_line_rule():
    assert full_first_line(J("会议强调各地要做好工作。", "各地民政部门要加强组织领导，", prev_starts=True))[0] == JOIN
    assert full_first_line(J("会议强调。", "各地", prev_starts=True)) is None


def test_short_line_and_lost_indent_rules():
    assert short_last_line(J("活动。", "维护合法权益。"))[0] == BREAK
    assert lost_indent(J("养老机构疫情防控工作专班。", "会议指出，各地"))[0] == BREAK
    assert lost_indent(J("养老机构疫情防控工作专班。", "通过视频会方式举办了全国养")) is None


def test_joined_rule():
    assert wrapped(J("a", "b"))[0] == JOIN


# ------------------------------------------------------------------ assemble steps, each alone
def test_continued_article_rule():
    assert continued_start(L(1, "民生保障工作，确保困难群众温"), GEO)  # a full first line
    assert not continued_start(L(1, "日前，民政部养老"), GEO)  # an indented first line


def test_attribution_split_rule():
    paras = [Paragraph([(1, "走访慰问。（据央广网）对春节期间留岗。")])]
    bodies = split_attributions(segment(paras))
    assert [b.attribution for b in bodies] == ["央广网", None]
    assert [p.text for b in bodies for p in b.paragraphs] == ["走访慰问。", "对春节期间留岗。"]
    assert segment(paras)[0].attribution is None  # the rule alone cuts at attributions


def test_global_split_rule():
    a = ["本报讯记者从市民政局获悉，殡葬服务改革稳步推进。", "殡葬服务收费将更加规范。"]
    b = ["新华社北京1月6日电婚姻登记跨省通办试点范围扩大。", "婚姻登记机关将提供预约服务。"]
    body = Body([Part(t, [i + 1]) for i, t in enumerate(a + b)])
    bodies, fixed, choices = split_bodies([body], [None], ["殡葬服务改革稳步推进", "婚姻登记跨省通办试点范围扩大"],
                                          ["殡葬", "婚姻"], extra=1)
    assert [len(x.paragraphs) for x in bodies] == [2, 2]
    assert choices[0].line == 3 and "story opener" in choices[0].evidence


def test_lead_pairing_rule():
    pairs, scores = pair_leads(["婚姻登记跨省通办试点范围扩大", "殡葬服务改革稳步推进"],
                               ["记者获悉，我市殡葬服务改革稳步推进。", "婚姻登记跨省通办试点范围进一步扩大。"])
    assert pairs == [1, 0]
    assert pair_leads(["孤立标题"], ["完全无关的导语。"])[0] == [None]


def test_headline_and_lead_matching_rule():
    bodies = [Body([Part("殡葬服务改革稳步推进，收费更加规范。", [1])]), Body([Part("婚姻登记跨省通办试点扩大。", [2])])]
    heads = [Group([L(10, "婚姻登记跨省通办")]), Group([L(11, "殡葬改革稳步推进")])]
    slots, _ = assemble(bodies, None, None, heads, [])
    assert [s.title for s in slots] == ["殡葬改革稳步推进", "婚姻登记跨省通办"]


def test_openers_from_data():
    assert opener("本报讯（记者王明）中午")[0] == 3
    assert opener("新华社北京1月6日电记者")[0] == 3
    assert opener("日前，民政部")[0] == 1
    assert opener("会议强调，各地")[0] < 0
    assert opener("各地要做好")[0] == 0


def test_tidy_and_explain_lists_its_steps():
    assert tidy_and_explain("约 200 人参加(据统计)") == ("约200人参加（据统计）", ["drop spaces", "widen punctuation"])
    assert tidy_and_explain("民政部") == ("民政部", [])


# ------------------------------------------------------------------ rulers
def test_rules_are_listed_in_order():
    text = list_rules()
    names = [line[2:30].strip() for line in text.splitlines() if line.startswith("  ")]
    assert text.index("layout:") < text.index("segment:") < text.index("reflow:") < text.index("assemble:") \
        < text.index("checks:")
    assert "global split" in names and "sub-heading" in names and "maintainer correction" in names


def test_every_listed_rule_runs_and_a_registered_rule_runs():
    """`parse --rules` lists exactly the rules that run: wrap every stage rule and record the calls."""
    rules = default_ruler()
    ran: list[str] = []

    def spy(name, fn):
        def wrapped(state):
            ran.append(name)
            fn(state)
        return wrapped

    for _stage, ruler in rules.stages():
        for rule in ruler._rules:
            rule.fn = spy(rule.name, rule.fn)
    seen = []
    rules.assemble.push("test rule", lambda state: seen.append(len(state.slots)))
    page = "民政部开展培训\n\n日前，民政部开展了培训\n工作，效果良好。\n"
    parse_page(page, "p", ruler=rules)
    listed = [line[2:30].strip() for line in list_rules(rules).splitlines() if line.startswith("  ")]
    stage_rules = [r.name for _, ruler in rules.stages() for r in ruler._rules if r.name != "test rule"]
    assert ran == stage_rules and set(ran) <= set(listed)
    assert seen == [1] and "test rule" in listed
    rules.disable("test rule")
    parse_page(page, "p", ruler=rules)
    assert seen == [1]


def test_disable_a_rule():
    page = "— 3 —\n\n民政部开展培训\n\n日前，民政部开展了培训\n工作，效果良好。\n"
    assert "— 3 —" not in "".join(a.title for a in parse_page(page, "p").articles)
    rules = default_ruler()
    rules.disable("page furniture")
    rules.disable("page number")
    got = parse_page(page, "p", ruler=rules)
    assert "3" in "".join(a.title + "".join(a.paragraphs) for a in got.articles)
    with pytest.raises(KeyError):
        rules.disable("no such rule")
    assert default_ruler().on("page furniture")  # a copy each time


def test_disable_sub_headings():
    from layoutgen import Placed, set_real_page
    from realpages import load_articles

    page = set_real_page([Placed(load_articles()["canteen"], "top")], random.Random(1), width=14)
    assert parse_page(page, "p").articles[0].headings == (1, 4)
    rules = default_ruler()
    rules.disable("sub-heading lines")
    assert parse_page(page, "p", ruler=rules).articles[0].headings == ()


def test_headline_in_place_without_blank_lines():
    page = ("社区养老服务站投入使用\n\n日前，某市首批社区养老服务\n站投入使用，为辖区老年人提供\n"
            "助餐、助浴、日间照料等服务。\n"
            "全省婚姻登记“跨省通办”试点范围进一步扩大\n本报讯（记者王明）记者日前从\n省民政厅获悉，婚姻登记跨省通\n办试点范围进一步扩大。\n")
    result = parse_page(page, "p")
    assert [a.title for a in result.articles] == ["社区养老服务站投入使用", "全省婚姻登记“跨省通办”试点范围进一步扩大"]
    assert result.articles[1].paragraphs[0].startswith("本报讯（记者王明）")
    rules = default_ruler()
    rules.disable("inline headline")  # the headline glued above 本报讯 is what the rule finds
    assert len(parse_page(page, "p", ruler=rules).articles) == 1


def test_jump_line_from_glued_to_the_start_of_a_line():
    page = "（上接第一版）民生保障工作，确保困难群众温暖\n过冬。供暖期间，各地民政部门还\n将加强走访探视。\n"
    result = parse_page(page, "p")
    (article,) = result.articles
    assert (article.continued, article.continued_from) == (True, "第一版")
    assert article.paragraphs == ("民生保障工作，确保困难群众温暖过冬。供暖期间，各地民政部门还将加强走访探视。",)
    assert [d.text for d in result.dropped] == ["（上接第一版）"]


def test_untitled_first_article_among_titled_ones_is_continued():
    from layoutgen import Placed, set_real_page
    from realpages import load_articles

    arts = load_articles()
    page = set_real_page([Placed(replace(arts["training"], title=""), "displaced"),
                          Placed(arts["children"], "inplace")], random.Random(9), width=14)
    first = parse_page(page, "p").articles[0]
    assert first.title == "" and first.continued and first.continued_from is None


@pytest.mark.parametrize("page", ["中国社会报\n2025年5月22日  星期四\n社区·民生\n", "中国社会报\n",
                                  "— 3 —\n\n本版责编：张三  版式设计：李四\n", "简讯\n"])
def test_a_page_of_furniture_only_has_no_article(page):
    result = parse_page(page, "p")
    assert result.articles == ()
    assert "".join(d.text for d in result.dropped).replace(" ", "") == "".join(page.split())


@pytest.mark.parametrize("text,name", [
    ("中国社会报", "masthead"), ("昆明日报", "masthead"), ("2025年5月22日 星期四", "running header (date)"),
    ("2025年5月22日", "date line"), ("社区·民生", "section label"), ("本版责编：王芳", "staff line"),
    ("【简讯】", "column label"), ("要闻简报", "column label"), ("民生 3", "running header (section and page)"),
    ("A2  综合新闻", "running header (section and page)"), ("要闻  第2版", "running header (section and page)"),
])
def test_new_furniture_patterns(text, name):
    assert whole_line(text)[0].name == name


@pytest.mark.parametrize("text", ["民政部发布养老服务情况通报", "各地积极推进社区服务站建设", "今年 3 月起施行",
                                  "2025年5月22日，民政部召开会议。"])
def test_new_furniture_patterns_leave_headlines_and_text_alone(text):
    assert whole_line(text) is None


def test_a_ragged_page_learns_how_short_a_full_line_gets():
    """pdftotext lines are ragged where punctuation is squeezed: a sentence end on a line no shorter than a
    line the page wraps mid-sentence is not a paragraph end."""
    from noticepub.parse.layout import learn_geometry, read_lines

    body = ["各地民政部门要认真贯彻落实", "有关工作部署，切实做好困难群", "众基本生活保障工作，确保",
            "各项政策落实到位，让群众温暖", "过冬。民政部门还将加强走访",
            "探视，及时发现和解决困难群众", "的实际问题，做到应保尽保、应"]
    page = "\n".join(body * 4) + "\n"
    geo = learn_geometry(read_lines(page))
    assert geo.full_from is not None and geo.full_from < geo.width - geo.tol
    short = parse_page("标题在这里\n\n" + "\n".join(body[:4]) + "\n工作。\n" + "\n".join(body * 3) + "\n", "p")
    assert short.articles  # still parses; a line of three characters ending a sentence stays a paragraph end
    assert any(p.endswith("工作。") for p in short.articles[0].paragraphs)


TWO_HEADS = """日前，某市首批社区养老服务站投
入使用，为辖区老年人提供助餐、助浴、
日间照料等服务。养老服务站由街道统一
建设，委托专业机构运营。（据市民政局网站）
今年秋季，市老年大学新增课程三十
门，招生规模比去年扩大一倍，报名人数
创历年新高。老年大学还开设了线上课堂，
方便行动不便的老人学习。（据市老龄办）

社区养老服务站投入使用
老年大学新增课程三十门
"""


def test_displaced_headlines_on_consecutive_lines_are_split():
    result = parse_page(TWO_HEADS, "p")
    assert [a.title for a in result.articles] == ["社区养老服务站投入使用", "老年大学新增课程三十门"]
    rules = default_ruler()
    rules.disable("headline split")
    assert sorted(a.title for a in parse_page(TWO_HEADS, "p", ruler=rules).articles) == [
        "", "社区养老服务站投入使用老年大学新增课程三十门"]


def test_a_two_line_headline_of_one_article_stays_whole():
    page = TWO_HEADS.replace("社区养老服务站投入使用\n老年大学新增课程三十门", "市老年大学新增课程三十门\n招生规模扩大一倍")
    page = page.replace("（据市民政局网站）", "")
    titles = [a.title for a in parse_page(page, "p").articles]
    assert "市老年大学新增课程三十门招生规模扩大一倍" in titles


def test_form_feed_is_blank_and_a_long_line_alone_above_a_paragraph_is_no_column_break():
    page = ("社区养老服务站投入使用\n\n日前，某市首批社区养老服务站\n投入使用，为辖区老年人提供助\n"
            "餐、助浴、日间照料等服务，受\n"
            "到老人欢迎。\n\n\f\n困难老人居家适老化改造完成\n\n截至12月底，全区共为\n236户困难老年人家庭完成居家\n适老化改造，每户平均投入资金\n"
            "四千八百元，惠及老人近千名。\n")
    result = parse_page(page, "p")
    texts = [p for a in result.articles for p in a.paragraphs] + [a.title for a in result.articles]
    assert "困难老人居家适老化改造完成" in texts  # a headline (or sub-heading), never glued to the text below
    assert not any(t.startswith("困难老人居家适老化改造完成截至") for t in texts)
    assert result.line_info[7].role == "blank"  # the \f line


@pytest.mark.parametrize("line", ["（记者 陈斌）", "本报记者 张三 李四", "（昆明日报 记者李杭蓉）",
                                  "本报记者 刘洋 通讯员 孙强"])
def test_byline_on_its_own_line(line):
    page = f"社区养老服务站投入使用\n\n{line}\n\n日前，某市首批社区养老服务\n站投入使用，为辖区老年人提供\n" \
        "助餐等服务。\n"
    (a,) = parse_page(page, "p").articles
    assert a.byline == line and a.title == "社区养老服务站投入使用"
    assert a.paragraphs == ("日前，某市首批社区养老服务站投入使用，为辖区老年人提供助餐等服务。",)


def test_byline_inside_the_first_paragraph_stays_there():
    page = "社区养老服务站投入使用\n\n本报讯（记者尹翠莉）省民政厅\n近日宣布，首批社区养老服务站\n投入运营。\n"
    (a,) = parse_page(page, "p").articles
    assert a.byline is None and a.paragraphs[0].startswith("本报讯（记者尹翠莉）")


def test_kicker_above_the_headline():
    page = (" 民生实事进行时\n首批二十家社区嵌入式养老服务站投入运营\n\n日前，某市首批社区养老服务\n"
            "站投入使用，为辖区老年人提供\n助餐等服务。\n")
    result = parse_page(page, "p")
    (a,) = result.articles
    assert (a.kicker, a.title, a.continued) == ("民生实事进行时", "首批二十家社区嵌入式养老服务站投入运营", False)
    assert [x.role for x in result.line_info[:2]] == ["kicker", "headline"]
    rules = default_ruler()
    rules.disable("kicker")
    assert parse_page(page, "p", ruler=rules).articles[0].title.startswith("民生实事进行时")


def test_numbered_multi_line_sub_headings_are_one_sub_heading_each():
    from realpages import shape_page

    _, page, gold = shape_page("subheadings")
    result = parse_page(page, "p")
    a = result.articles[0]
    assert a.headings == (1, 3, 5)
    assert a.paragraphs[1] == "一、进一步规范低保对象认定条件，合理确定家庭经济状况核查范围"
    assert [x.title for x in result.articles] == [g["title"] for g in gold]  # 婚俗改革见实效 breaks the series



def test_numbered_sub_heading_printed_tight_under_a_finished_paragraph():
    """No blank line above or below a three-line numbered sub-heading: it still ends at its own short last
    line (状况核查范围), not at the short line below it (an indented first line)."""
    page = ("低保新规出台\n\n"
            "  近日，省民政厅联合印发\n《关于进一步做好最低生活\n保障工作的通知》，提出了\n具体要求。\n"
            "一、进一步规范低保对象认\n定条件，合理确定家庭经济\n状况核查范围\n"
            "  通知明确，共同生活的\n家庭成员中，在校就读的成\n年子女按照实际生活情况确\n定。\n\n"
            "二、完善低保对象动态管理\n机制，做到应保尽保、应退\n尽退\n"
            "  各地要对低保家庭实行\n分类管理，每年核查一次。\n")
    (a,) = parse_page(page, "p").articles
    assert a.paragraphs == ("近日，省民政厅联合印发《关于进一步做好最低生活保障工作的通知》，提出了具体要求。",
                            "一、进一步规范低保对象认定条件，合理确定家庭经济状况核查范围",
                            "通知明确，共同生活的家庭成员中，在校就读的成年子女按照实际生活情况确定。",
                            "二、完善低保对象动态管理机制，做到应保尽保、应退尽退",
                            "各地要对低保家庭实行分类管理，每年核查一次。")
    assert a.headings == (1, 3)

def test_table_rows_kept_exactly_and_never_merged_with_prose():
    from realpages import shape_page

    _, page, gold = shape_page("table")
    result = parse_page(page, "p")
    a = result.articles[0]
    (index, rows), = a.tables
    want = [p for p in gold[0]["paragraphs"] if isinstance(p, dict)][0]["rows"]
    assert [list(r) for r in rows] == want
    assert a.paragraphs[index] == "\n".join(" ".join(r) for r in want)
    assert a.paragraphs[index - 2:index] == ("2025年各区县城乡低保标准", "单位：元/人·月")
    assert a.paragraphs[index + 1].startswith("注：")
    table_lines = [x for x in result.line_info if x.role == "table"]
    assert len(table_lines) == len(want) and {x.paragraph for x in table_lines} == {index}
    rules = default_ruler()
    rules.disable("table")
    assert not parse_page(page, "p", ruler=rules).articles[0].tables


@pytest.mark.parametrize("name", ["continued-headline", "continued-headline-1"])
def test_headline_repeated_above_a_continued_text_is_its_title(name):
    from realpages import shape_page

    _, page, gold = shape_page(name)
    a = parse_page(page, "p").articles[0]
    assert (a.title, a.continued, a.continued_from) == (gold[0]["title"], True, gold[0]["continued_from"])
    assert len(a.paragraphs) == len(gold[0]["paragraphs"])


@pytest.mark.parametrize("name", ["interview-qa", "interview-named"])
def test_interview_turns_name_their_speakers(name):
    from realpages import shape_page

    _, page, gold = shape_page(name)
    result = parse_page(page, "p")
    for a, g in zip(result.articles, gold, strict=True):
        assert [{"paragraph": i, "speaker": s} for i, s in a.speakers] == g["speakers"]
        assert all(a.paragraphs[i].startswith(s) for i, s in a.speakers)


def test_a_colon_in_ordinary_paragraphs_is_no_interview():
    page = "会议部署工作\n\n会议指出：各地要做好\n准备工作。\n\n会议强调：要落实责任，\n确保安全。\n"
    assert parse_page(page, "p").articles[0].speakers == ()


@pytest.mark.parametrize("name", ["briefs", "briefs-news"])
def test_briefs_column_items_are_articles_of_their_own(name):
    from realpages import shape_page

    _, page, gold = shape_page(name)
    result = parse_page(page, "p")
    assert [a.title for a in result.articles] == [g["title"] for g in gold]
    assert any("briefs column" in d.reason for d in result.dropped)  # the column label is furniture
    assert not [w for w in result.warnings if w.kind in ("one-paragraph", "long-body")]


def test_any_rule_can_be_switched_off_without_a_crash():
    from conftest import SEED_RAW
    from noticepub.errors import ParseError
    from noticepub.ingest import read_raw

    text = read_raw(SEED_RAW, 10_000_000)
    names = [r.name for _, ruler in default_ruler().rulers() for r in ruler._rules]
    assert len(names) == len(set(names))  # one name, one rule: --disable is unambiguous
    for name in names:
        rules = default_ruler()
        rules.disable(name)
        try:
            parse_page(text, "seed", ruler=rules)
        except ParseError as exc:  # a core step off loses text: refused with the conservation message
            assert "character conservation failed" in str(exc)


def test_a_table_printed_without_blank_lines_around_it():
    page = ("我市调整特困人员救助供养标准\n\n此次调整后，特困人员基\n本生活标准不低于当地低保标\n"
            "准的1.3倍。具体标准如下。\n\n"
            "        特困人员照料护理标准\n                    单位：元/人·月\n"
            "护理档次    城市标准    农村标准\n全护理      1580        1420\n半护理      790         710\n"
            "注：生活自理能力由专业机构评估认定。\n\n市民政局要求，各区县要\n在8月底前完成调整发放。\n")
    (a,) = parse_page(page, "p").articles
    (i, rows), = a.tables
    assert rows == (("护理档次", "城市标准", "农村标准"), ("全护理", "1580", "1420"), ("半护理", "790", "710"))
    assert a.paragraphs[i - 2:i] == ("特困人员照料护理标准", "单位：元/人·月")
    assert a.paragraphs[i + 1] == "注：生活自理能力由专业机构评估认定。"


@pytest.mark.parametrize("line", ["记者近日采访了省民政厅社会救助处", "记者从市民政局获悉"])
def test_a_sentence_about_a_reporter_is_no_byline(line):
    from noticepub.parse.layout_rules import BYLINE_RE

    assert not BYLINE_RE.fullmatch(line)


def test_a_headline_in_place_with_no_body_below_is_kept():
    """Found by the conservation property test: a headline printed in place followed only by displaced
    headlines was dropped with its text."""
    from noticepub.parse.segment_rules import inplace_starts
    from noticepub.parse.state import PageState

    state = PageState.start("甲\n", "p", default_ruler(), None)
    state.groups = [Group([L(1, "民生实事进行时")], "inplace-headline")]
    inplace_starts(state)
    assert [[x.text for g in heads for x in g.lines] for heads, _ in state.inplace_groups] == [["民生实事进行时"]]


def test_paragraph_indent_is_learned_from_first_lines_only():
    """A kicker and a table's note line follow blank lines after finished sentences too; they are not a
    paragraph's first line (no full line goes on from them), so the learned indent stays the page's 2 em
    and the note 「数据来源：省民政厅」 ends before the indented paragraph below it."""
    from noticepub.parse.layout import learn_geometry, read_lines
    from realpages import random_shape_page

    page, gold = random_shape_page(2)
    assert learn_geometry(read_lines(page)).indent == 2.0
    first = parse_page(page, "p").articles[0]
    assert "数据来源：省民政厅" in first.paragraphs
    assert list(first.paragraphs)[-2:] == [p for p in gold[0]["paragraphs"] if isinstance(p, str)][-2:]


def test_jiezhi_time_phrase_opens_a_story():
    """「截至12月底，」 (full-width digits too) is a time phrase a news story opens with: the evidence that
    makes 「困难老人居家适老化改造完成」 above it a headline printed in place (random shape page 10),
    instead of a line glued into the paragraph below it."""
    from noticepub.parse.openers import opener
    from realpages import random_shape_page

    for text in ("截至１２月底， 全区共为", "截至2024年10月，全省", "截至9月30日，全市"):
        assert opener(text)[0] > 0, text
    assert opener("截至目前，")[0] == 0
    page, _ = random_shape_page(10)
    titles = [a.title for a in parse_page(page, "p").articles]
    assert "困难老人居家适老化改造完成" in titles


def test_table_note_goes_on_past_a_column_break():
    """A table's note whose line ends no sentence (「注：中心城区城乡低保标」) goes on after the blank line of a
    column break: one note paragraph, not two; a short note line (「数据来源：省民政厅」) still ends its note."""
    page = ("低保标准再提高\n\n  记者从市民政局获悉，今\n年全市城乡低保标准统一提\n高，城市和农村低保对象每\n"
            "月多领救助金，提标资金已\n纳入各级财政预算安排。\n\n  市民政局有关负责人介\n绍，此次提标综合考虑了当\n"
            "地居民人均消费支出和物价\n变动情况，兼顾财政承受能\n力，确保困难群众基本生活\n不受影响。\n\n"
            "城乡低保标准\n单位：元/月\n东城区      1080      1030\n西岭县      980       960\n\n"
            "  注：中心城区城乡低保标\n\n准已经统一，其余区县将逐\n步并轨。\n\n"
            "  新标准自7月1日起执行，\n各区县要按时足额发放到位，\n不得挤占挪用救助资金。\n")
    (a,) = parse_page(page, "p").articles
    assert "注：中心城区城乡低保标准已经统一，其余区县将逐步并轨。" in a.paragraphs
    assert a.paragraphs[-1] == "新标准自7月1日起执行，各区县要按时足额发放到位，不得挤占挪用救助资金。"


def test_numbered_sub_headings_printed_tight_make_an_unnumbered_line_below_a_headline():
    """random page 26: 《…通知》解读 has numbered sub-headings printed with no blank line around them
    (「年核查一次。」/「三、提升低保经办服务水平，推行申」); the unnumbered 「婚俗改革见实效」 after them is
    the next article's headline, not a fourth section."""
    from realpages import random_shape_page

    page, _ = random_shape_page(26)
    assert "婚俗改革见实效" in [a.title for a in parse_page(page, "p").articles]


def test_a_headline_wrapped_above_its_subtitle_is_one_headline_block():
    """A narrow column (narrow page 11): 「让困难群众求助有门受助」/「及时」/「——访省民政厅社会救助处负责人」 is a
    headline wrapped onto two lines and its subtitle, not a tight headline above a paragraph starting 及时."""
    from realpages import random_shape_page

    page, _ = random_shape_page(11, widths=(8, 11))
    (a,) = [a for a in parse_page(page, "p").articles if a.title.startswith("让困难群众")]
    assert (a.title, a.subtitle) == ("让困难群众求助有门受助及时", "访省民政厅社会救助处负责人")


def test_table_rows_do_not_skew_the_learned_column_width():
    """A table's rows sit inside runs of lines that end no sentence, but their cells are apart by runs of
    spaces and they are no column's full lines: the column width is learned from prose only. (A wide-column
    page with two tables learned a width of 20 em for its 22-em column: the indented first line below a
    headline in place then read as a full line going on from it, and two articles merged.)"""
    from layoutgen import gold_json
    from noticepub.parse.layout import learn_geometry, read_lines
    from realpages import random_shape_page
    from test_shapes import _comparable, _parse

    page, _ = random_shape_page(4, widths=(20, 30))
    page = page.replace("\r\n", "\n")
    prose = "\n".join(line for line in page.splitlines() if not re.search(r"\S {2,}\S", line)) + "\n"
    assert learn_geometry(read_lines(page)).width == learn_geometry(read_lines(prose)).width == 22.0
    for seed in (2, 10, 32):  # wide-column pages with tables that parse exactly now (they did not before)
        page, gold = random_shape_page(seed, widths=(20, 30))
        _, result = _parse(page)
        assert _comparable(gold_json(list(result.articles))) == _comparable(gold), seed


def test_a_numbered_heading_takes_more_lines_in_narrow_columns():
    """「一、进一步规范低保对象认定条件，合理确定家庭经济状况核查范围」 (30 characters) in an 8-character column
    takes four lines: still one numbered sub-heading (three lines at most was the rule for every column),
    while a numbered heading printed tight above its paragraph still ends where the indented first line
    starts (a first line shorter than the full line below it)."""
    from realpages import random_shape_page

    page, gold = random_shape_page(1, widths=(8, 11))
    assert "一、进一步规范低\n保对象认定条件，\n合理确定家庭经济\n状况核查范围\n" in page.replace("\r\n", "\n")
    title = "《关于进一步做好最低生活保障工作的通知》解读"
    first = next(a for a in parse_page(page, "p").articles if a.title == title)
    want = next(g for g in gold if g["title"] == title)
    assert list(first.paragraphs) == want["paragraphs"]
    assert first.paragraphs[1] == "一、进一步规范低保对象认定条件，合理确定家庭经济状况核查范围" and 1 in first.headings
    page, gold = random_shape_page(16, widths=(8, 11))  # tight: 一、… over three full lines, then 「通知明确，共同生」
    first = next(a for a in parse_page(page, "p").articles if a.title == title)
    want = next(g for g in gold if g["title"] == title)
    assert first.paragraphs[1:3] == tuple(want["paragraphs"][1:3])


@pytest.mark.parametrize(("seed", "title"), [(3, "我市再次提高城乡低保标准"), (8, "一季度全省养老服务补贴发放超四亿元")])
def test_table_title_and_note_in_narrow_columns(seed, title):
    """Narrow columns: a table's title set wider than the column right below the paragraph above it
    (「…各区县调整情况如下。」 / 「2025 年各区县城乡低保标准」, no blank line) is the table's title, not the end of
    that paragraph; a note line short of a full line (「数据来源：省民政厅」), then an indented first line:
    the note ends there (it was joined with the paragraph below)."""
    from layoutgen import gold_json
    from realpages import random_shape_page

    page, gold = random_shape_page(seed, widths=(8, 11))
    got = next(a for a in parse_page(page, "p").articles if a.title == title)
    want = next(g for g in gold if g["title"] == title)
    assert [p if isinstance(p, str) else "table" for p in gold_json([got])[0]["paragraphs"]] == \
        [p if isinstance(p, str) else "table" for p in want["paragraphs"]]


def test_a_short_headline_as_wide_as_a_first_line_in_narrow_columns():
    """A nine-character column sets 「社区食堂开张了」 as wide as a paragraph's first line. Alone between blank
    lines after a finished sentence, above an indented first line that a longer line goes on from, it is
    a heading (a cut first line would go on with a full line): the lone sub-heading deep in the article
    above, so the headline of the article it opens (it was glued into that article as a paragraph)."""
    from realpages import random_shape_page

    page, gold = random_shape_page(21, widths=(8, 11))
    assert "\n\n社区食堂开张了\n\n家住阳光花园小\n区的李奶奶今年八十\n" in page.replace("\r\n", "\n")
    titles = [a.title for a in parse_page(page, "p").articles]
    assert titles == [g["title"] for g in gold] and "社区食堂开张了" in titles
