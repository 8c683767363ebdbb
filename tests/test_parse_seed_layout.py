"""Pages in the seed's own layout: headlines and leads displaced after the bodies (realpages.random_tail_page),
boundaries between articles without an attribution, and leads set across columns."""

import pytest

from layoutgen import gold_json
from noticepub.parse import parse_page
from noticepub.parse.openers import opener, refers_back
from noticepub.parse.split import introduces
from realpages import random_shape_page, random_tail_page
from test_shapes import _comparable, _parse


def _exact_tail_pages(**variant) -> tuple[int, list[int]]:
    """How many of the 40 random seed-layout pages (realpages.random_tail_page with ``variant``) parse into
    exactly their gold articles, and the seeds of the others."""
    wrong = []
    for seed in range(40):
        page, gold = random_tail_page(seed, **variant)
        _, result = _parse(page)
        if _comparable(gold_json(list(result.articles))) != _comparable(gold):
            wrong.append(seed)
    return 40 - len(wrong), wrong


LEAD_WITH_SHORT_LAST_LINE = """民政部开展养老服务培训

日前，民政部举办了全国养老
机构培训班，各地民政部门负
责同志参加了培训。

（据民政部官网）

通知要求，各地要全面开展摸
底排查，对辖区内困难群众逐
户走访，建立工作台账。

各地要畅通求助渠道，确保社
会救助服务热线有人接听。

我省启动冬季救助帮扶专项行动

近日，省民政厅印发通知，在全省启动为期三个月的冬季救助帮扶专项行动。
聚焦低保对象和特困人员，确保他们温暖过冬。
"""


def test_a_leads_last_line_wider_than_a_column_stays_in_the_lead():
    """The lead's second sentence wraps onto a line narrower than a lead's but wider than any column: it is
    the lead's last line, not a body line (the old parser made it a one-line article of its own and left the
    displaced headline's body untitled)."""
    result = parse_page(LEAD_WITH_SHORT_LAST_LINE, "p")
    assert [a.title for a in result.articles] == ["民政部开展养老服务培训", "我省启动冬季救助帮扶专项行动"]
    second = result.articles[1]
    assert second.lead == ("近日，省民政厅印发通知，在全省启动为期三个月的冬季救助帮扶专项行动。"
                           "聚焦低保对象和特困人员，确保他们温暖过冬。")
    assert second.paragraphs == ("通知要求，各地要全面开展摸底排查，对辖区内困难群众逐户走访，建立工作台账。",
                                 "各地要畅通求助渠道，确保社会救助服务热线有人接听。")


def test_what_a_continuation_refers_back_to():
    assert refers_back("会议指出，各地要健全关爱服务体系。") == "会议"
    assert refers_back("《通知》要求，各地要统筹基层工作力量。") == "《通知》"
    assert refers_back("同时，要拓宽帮扶渠道。") is None and opener("同时，要拓宽帮扶渠道。")[0] < 0
    assert refers_back("各地要畅通求助渠道。") is None


@pytest.mark.parametrize(("ref", "item", "introduced"), [
    ("会议", "民政部召开农村留守儿童关爱服务工作推进会", True),
    ("会议", "民政部举办全国养老服务人才培训班", True),
    ("会议", "各地民政部门联合社会组织开展志愿服务活动", False),  # 社会 is no meeting
    ("《通知》", "省人社厅印发《关于做好春节期间农民工工作的通知》", True),
    ("《通知》", "连日来，各地开展“寒冬送暖”志愿服务活动", False),
    (None, "民政部召开推进会", False),
])
def test_a_displaced_lead_introduces_the_meeting_or_document_a_body_refers_to(ref, item, introduced):
    assert introduces(ref, item) is introduced


@pytest.mark.parametrize("seed", [16, 34])
def test_boundaries_without_attribution_on_seed_layout_pages(seed):
    """Two of the generated pages the old parser cut wrong: a 「会议强调…」 paragraph after a displaced lead
    that names no meeting does not open an article (16), and a headline is not left without a body when a
    split gives it one (34)."""
    page, gold = random_tail_page(seed)
    _, result = _parse(page)
    assert _comparable(gold_json(list(result.articles))) == _comparable(gold)


def test_pages_in_the_seed_layout_mostly_exact():
    """40 random pages in the seed's layout (headlines and leads displaced after the bodies, grouped, paired
    or leads first; three in ten articles without attribution; photo captions): at least 30 parse into
    exactly their gold articles (29 before the lead, continuation and split-cost fixes; 31 with them)."""
    exact, wrong = _exact_tail_pages()
    assert exact >= 30, f"{exact}/40 exact; wrong: {wrong}"


HEADLINE_AT_COLUMN_BREAK = """民政部开展养老服务培训

日前，民政部举办了全国养老
机构培训班，各地民政部门负
责同志参加了培训。

会议要求，各地民政部门要及
时掌握养老机构的经营运行情

我省启动冬季救助帮扶专项行动

近日，省民政厅印发通知，在全省启动为期三个月的冬季救助帮扶专项行动。

况，推动已有纾困政策的落实，
帮助基层解决实际困难。

（据民政部官网）

通知要求，各地要全面开展摸
底排查，对辖区内困难群众逐
户走访，建立工作台账。
"""


def test_a_headline_between_the_halves_of_a_sentence_heads_the_article_further_down():
    """pdftotext prints a headline set across the columns its body starts in (and its lead) where those
    columns begin: here inside the article before, between 「…经营运行情」 and 「况，…」. The sentence goes on
    across it, and the headline and lead go to the article after the attribution (rule 'headline at column
    break'; the old parser glued the headline into the sentence)."""
    result = parse_page(HEADLINE_AT_COLUMN_BREAK, "p")
    first, second = result.articles
    assert first.title == "民政部开展养老服务培训" and first.attribution == "民政部官网"
    assert first.paragraphs[-1] == ("会议要求，各地民政部门要及时掌握养老机构的经营运行情况，推动已有纾困政策的落实，"
                                    "帮助基层解决实际困难。")
    assert second.title == "我省启动冬季救助帮扶专项行动"
    assert second.lead == "近日，省民政厅印发通知，在全省启动为期三个月的冬季救助帮扶专项行动。"
    assert second.paragraphs == ("通知要求，各地要全面开展摸底排查，对辖区内困难群众逐户走访，建立工作台账。",)
    from noticepub.parse.pipeline import default_ruler

    without = default_ruler()
    without.disable("headline at column break")
    glued = parse_page(HEADLINE_AT_COLUMN_BREAK, "p", ruler=without)
    assert any("我省启动冬季救助帮扶专项行动" in p for a in glued.articles for p in a.paragraphs)


def test_a_briefs_headline_above_its_first_line_is_no_headline_at_a_column_break():
    """A brief's headline (no punctuation) above the first line of its paragraph is no broken-off sentence:
    the rule needs running text above, its last line full and holding clause punctuation."""
    page, gold = random_shape_page(15, leads=True)
    _, result = _parse(page)
    assert _comparable(gold_json(list(result.articles))) == _comparable(gold)


def test_pages_with_headlines_at_column_breaks_mostly_exact():
    """40 seed-layout pages where half the headlines after the first are printed at a column break inside
    the article before: at least 27 parse exactly (15 before rule 'headline at column break', 29 with it)."""
    exact, wrong = _exact_tail_pages(floating=True)
    assert exact >= 27, f"{exact}/40 exact; wrong: {wrong}"


def test_headline_lines_printed_apart_are_one_headline():
    """Large type with wide leading: pdftotext prints a blank line between a headline's lines (and its
    kicker). On top of the page and after a finished article, two or three one-line groups without
    punctuation above text are one headline block (rule 'headline lines apart')."""
    import random

    from layoutgen import Extras, Placed, expected_articles, set_real_page
    from realpages import SHAPES, load_articles

    known = {**load_articles(), **load_articles(SHAPES / "articles.yml")}
    placed = [Placed(known["training"], "top"), Placed(known["village-kicker"], "inplace")]
    extras = Extras(headline_gaps=True)
    page = set_real_page(placed, random.Random(3), width=14, extras=extras)
    assert "\n\n" + known["village-kicker"].kicker + "\n\n" in page  # printed apart
    result = parse_page(page, "p")
    assert [(a.kicker, a.title, a.subtitle) for a in result.articles] == [
        (None, "全国养老服务人才培训班在京举办", None),
        ("聚焦基层治理", "我省村务监督委员会实现全覆盖", "深化村务公开和民主管理纪实")]
    assert _comparable(gold_json(list(result.articles))) == _comparable(gold_json(expected_articles(placed, extras)))


def test_displaced_headlines_after_the_bodies_are_not_joined():
    """One-line displaced headlines one blank line apart after the bodies stay apart (no text below them)."""
    page, gold = random_shape_page(16)
    _, result = _parse(page)
    assert _comparable(gold_json(list(result.articles))) == _comparable(gold)


def test_seed_layout_pages_with_headline_lines_apart():
    """40 seed-layout pages whose headline blocks are printed with blank lines between their lines: at least
    22 parse exactly (9 before rule 'headline lines apart', 13 with it; 24 with rule 'tail headline lines
    apart' for the displaced headlines after the bodies, up to a ——subtitle)."""
    exact, wrong = _exact_tail_pages(gaps=True)
    assert exact >= 22, f"{exact}/40 exact; wrong: {wrong}"


def test_a_lead_restating_a_short_headline_word_for_word_is_evidence_for_it():
    """「残疾人两项补贴标准提高」 and its displaced lead 「…残疾人…补贴标准分别提高到…」: containment's idf weights
    rate the restatement 0.25 (the absent 两项 weighs most), the share of the headline inside trigrams the
    lead holds 0.64; the larger is the evidence that a short headline printed in place is one."""
    from noticepub.parse.match import containment, coverage

    head = "残疾人两项补贴标准提高"
    lead = "记者从省民政厅获悉，自今年1月1日起，我省困难残疾人生活补贴和重度残疾人护理补贴标准分别提高到每人每月95元。"
    other = "连日来，各地民政部门联合社会组织、志愿服务团队广泛开展“寒冬送暖”志愿服务活动，为困难老人送去温暖。"
    assert containment([head], [lead, other], absent=True)[0][0] < 0.5
    assert coverage(head, lead) == 7 / 11 and coverage(head, other) == 0.0


def test_headlines_in_place_with_their_leads_displaced():
    """40 seed-layout pages whose headlines after the first are printed above their bodies and whose leads
    are all after the bodies: every page exact (37 before the lead's trigram coverage counted as evidence:
    a short headline after an article without attribution was read as a sub-heading, and no warning said
    so)."""
    exact, wrong = _exact_tail_pages(inplace=True)
    assert exact >= 39, f"{exact}/40 exact; wrong: {wrong}"


def test_a_kicker_two_headline_lines_and_a_subtitle_are_one_headline_in_place():
    """Narrow columns: 「聚焦基层治理」 / 「我省村务监督委员会实现」 / 「全覆盖」 / 「——深化村务公开和民主管理纪实」,
    four lines, after a finished article and above a byline. A headline is one to three lines not counting
    a ——subtitle line under them (it was read as text and the article merged into the one above)."""
    page, gold = random_shape_page(17, widths=(8, 11))
    assert "聚焦基层治理\n我省村务监督委员会实现\n全覆盖\n——深化村务公开和民主管理纪实\n" in page
    _, result = _parse(page)
    village = next(a for a in result.articles if a.title == "我省村务监督委员会实现全覆盖")
    assert (village.kicker, village.subtitle, village.byline) == ("聚焦基层治理", "深化村务公开和民主管理纪实",
                                                                  "本报记者 刘洋 通讯员 孙强")
    assert list(village.paragraphs) == next(g for g in gold if g["title"] == village.title)["paragraphs"]


def test_a_subtitle_wrapped_onto_a_second_line_stays_in_the_headline():
    """Narrow columns, top of the page: kicker, two headline lines and a ——subtitle wrapped onto a second
    line (「——深化村务公开和民主管理纪」 / 「实」), five lines: the page's top headline block."""
    page, gold = random_shape_page(9, widths=(8, 11))
    assert "——深化村务公开和民主管理纪\n实\n" in page
    _, result = _parse(page)
    first = result.articles[0]
    assert (first.kicker, first.title, first.subtitle) == ("聚焦基层治理", "我省村务监督委员会实现全覆盖",
                                                           "深化村务公开和民主管理纪实")


HEADLINE_ABOVE_THE_ARTICLE_BEFORE = """民政部开展养老服务培训

日前，民政部举办了全国养老
机构培训班，各地民政部门负
责同志参加了培训。

我省启动冬季救助帮扶专项行动

同时，培训班要求各地加
快补齐养老服务短板，推动政
策落实落地。

（据民政部官网）

通知要求，各地要全面开
展摸底排查，对辖区内困难群
众逐户走访，建立工作台账。

（据省民政厅网站）
"""


def test_a_headline_between_two_paragraphs_of_the_article_before_heads_the_text_after_its_attribution():
    """pdftotext prints a headline where its columns begin, here between two paragraphs of the article
    before: the text below it (「同时，…」, no story opener) goes on with that article up to 「（据民政部官网）」,
    and the text after that attribution has no headline of its own. The headline heads that text (rule
    'headline over article before'); the old parser cut the first article at the headline and shifted
    every attribution by one article."""
    result = parse_page(HEADLINE_ABOVE_THE_ARTICLE_BEFORE, "p")
    assert [(a.title, a.attribution, len(a.paragraphs)) for a in result.articles] == [
        ("民政部开展养老服务培训", "民政部官网", 2), ("我省启动冬季救助帮扶专项行动", "省民政厅网站", 1)]
    assert result.articles[1].paragraphs[0].startswith("通知要求")
    line9 = next(x for x in result.line_info if x.line == 9)
    assert line9.article_id == "a1" and line9.rule == "headline over article before"
    # with a story opener below it, the headline starts its article where it is printed
    opened = HEADLINE_ABOVE_THE_ARTICLE_BEFORE.replace("同时，培训班要求各地加", "本报讯 培训班要求各地加")
    assert [a.attribution for a in parse_page(opened, "p").articles][:2] == [None, "民政部官网"]


def test_the_headline_words_decide_where_a_headline_between_paragraphs_belongs():
    """「全国养老服务人才培训班在京举办」 printed between two paragraphs of the article before, under which
    「在四川成都，…」 (a place phrase, which may open a story) goes on with that article up to its attribution;
    the page has as many displaced headlines as texts without a headline. The headline's words are those
    of the text after the attribution (「本报北京…全国养老服务人才培训班7日在京开班」) and none of the text
    below it: it heads the text after the attribution (it cut the first article at the headline, and every
    attribution went one article down)."""
    page, gold = random_tail_page(0, between=True)
    assert "全国养老服务人才培训班在京举办\n\n在四川成都" in page
    _, result = _parse(page)
    assert _comparable(gold_json(list(result.articles))) == _comparable(gold)


def test_pages_with_headlines_between_paragraphs_of_the_article_before():
    """40 seed-layout pages where half the headlines after the first are printed between two paragraphs of the
    article before: at least 7 parse exactly (3 before rule 'headline over article before'; where no
    attribution ends the article before, the boundary is still the headline's)."""
    exact, wrong = _exact_tail_pages(between=True)
    assert exact >= 7, f"{exact}/40 exact; wrong: {wrong}"


TIGHT_HEADLINES = """民政部开展全国养老机构新冠病毒感
染疫情防控培训
会议指出，《指南》的核心
目标是“保健康、防重症”，是指
导当前养老机构疫情防控的重要
文件。

各地民政部门要结合当地实际
制定实施细则，保证各项防控措
施落实落地。

残疾人两项补贴标准提高
记者从省民政厅获悉，自今
年1月1日起，我省困难残疾人生
活补贴和重度残疾人护理补贴标
准分别提高到每人每月95元。

各地要做好补贴资金发放工
作，确保补贴资金按时足额发放
到位，不得挤占、挪用。

社区食堂让老人吃上热乎饭
——某市推进老年助餐服务见闻
本报讯（记者王明）中午十
一点半，张大爷拄着拐杖走进社
区食堂，只花了十二元。
"""


def test_headlines_printed_tight_above_their_text():
    """No blank line between a headline block and its text: a two-line headline whose last line is short,
    a one-line headline shorter than a paragraph's first line, a headline and its ——subtitle. Each block
    is cut from the text below it (rule 'tight headline'); the articles before end without attribution."""
    result = parse_page(TIGHT_HEADLINES, "p")
    assert [(a.title, a.subtitle, len(a.paragraphs)) for a in result.articles] == [
        ("民政部开展全国养老机构新冠病毒感染疫情防控培训", None, 2),
        ("残疾人两项补贴标准提高", None, 2),
        ("社区食堂让老人吃上热乎饭", "某市推进老年助餐服务见闻", 1)]
    assert result.articles[0].paragraphs[0].startswith("会议指出，《指南》的核心")
    assert result.articles[1].paragraphs[0].startswith("记者从省民政厅获悉")
    assert result.articles[2].paragraphs == ("本报讯（记者王明）中午十一点半，张大爷拄着拐杖走进社区食堂，只花了十二元。",)


def test_short_unpunctuated_line_tight_above_text_stays_a_sub_heading_without_evidence():
    """A short heading printed tight above its paragraph inside an article, with nothing that says a new
    article starts (no opener, no lead, the text goes on with the article's words): a sub-heading."""
    first, second = TIGHT_HEADLINES.split("\n\n残疾人")[0].split("\n\n")
    page = f"{first}\n\n防控措施\n各地民政部门要落实养老\n机构疫情防控措施，加强养老机\n构疫情防控指导。\n\n{second}\n"
    result = parse_page(page, "p")
    assert len(result.articles) == 1
    a = result.articles[0]
    assert a.paragraphs[1:3] == ("防控措施", "各地民政部门要落实养老机构疫情防控措施，加强养老机构疫情防控指导。")
    assert a.headings == (1,)


def test_pages_with_headlines_printed_tight_mostly_exact():
    """40 seed-layout pages where half the headlines in place are printed with no blank line above their
    text and most articles have no attribution: at least 31 parse exactly (25 before rule 'tight headline'
    took short headline blocks and headline + ——subtitle blocks; 33 with them)."""
    exact, wrong = _exact_tail_pages(tight=True)
    assert exact >= 31, f"{exact}/40 exact; wrong: {wrong}"


HEADLINES_ON_TOP = """残疾人两项补贴标准提高

多地开展“寒冬送暖”志愿服务活动

连日来，各地民政部门联合社会组织、志愿服务团队广泛开展“寒冬送暖”志愿服务活动，为困难老人、
留守儿童、残疾人等群体送去温暖。

在河北保定，200余名志愿者
走进社区和村庄，为独居老人打扫
卫生、检修电器、清理积雪。

（据中国社会报）

记者从省民政厅获悉，自今年1
月1日起，我省困难残疾人生活补
贴和重度残疾人护理补贴标准分别
提高到每人每月95元和105元。

（据省民政厅网站）
"""


def test_headlines_printed_on_top_of_the_page_are_displaced_headlines():
    """Headlines set side by side across the top of the page: pdftotext prints them first, one after
    another, then the leads and bodies. Each is restated by a different text further down: displaced
    headlines matched to their bodies (rule 'headlines on top'), not a top headline whose lines were
    printed apart, nor one headline over the whole page."""
    result = parse_page(HEADLINES_ON_TOP, "p")
    assert [(a.title, a.attribution, (a.lead or "")[:3]) for a in result.articles] == [
        ("多地开展“寒冬送暖”志愿服务活动", "中国社会报", "连日来"), ("残疾人两项补贴标准提高", "省民政厅网站", "")]
    # two lines of one headline block printed apart, restated by one lead: still one headline
    lead = "连日来，各地民政部门联合社会组织、志愿服务团队广泛开展“寒冬送暖”志愿服务活动"
    one = "聚焦基层治理\n\n我省村务监督委员会实现全覆盖\n\n" + HEADLINES_ON_TOP.split("\n\n", 2)[2].replace(
        lead, "近日，我省聚焦基层治理，村务监督委员会已实现全覆盖")
    first = parse_page(one, "p").articles[0]
    assert (first.kicker, first.title) == ("聚焦基层治理", "我省村务监督委员会实现全覆盖")


def test_pages_with_the_displaced_headlines_on_top_mostly_exact():
    """40 seed-layout pages whose displaced headlines and leads are printed above the bodies: at least 25
    parse exactly (0 before rule 'headlines on top'; 27 with it)."""
    exact, wrong = _exact_tail_pages(top=True)
    assert exact >= 25, f"{exact}/40 exact; wrong: {wrong}"


QUESTION_HEADLINES = """加装电梯难在哪里？

本报讯 记者从市住建局获悉，今
年全市老旧小区加装电梯进度加快，
已有三百余部电梯投入使用。

（据市住建局网站）

问：加装电梯的费用怎么分摊？

答：按照楼层高低分摊，业主可以
提取住房公积金。

（据市民政局）

电梯费用这样分摊！
"""


def test_a_headline_may_ask_or_exclaim():
    """「加装电梯难在哪里？」 on top and 「电梯费用这样分摊！」 after the bodies end with ？ and ！ but hold no
    other sentence end: headlines (a headline ending a sentence was body text, and every article after it
    went wrong). 「问：加装电梯的费用怎么分摊？」 opens with a speaker's label: an interview turn, not a
    headline."""
    result = parse_page(QUESTION_HEADLINES, "p")
    assert [a.title for a in result.articles] == ["加装电梯难在哪里？", "电梯费用这样分摊！"]
    assert result.articles[1].paragraphs[0].startswith("问：加装电梯的费用怎么分摊？")
    assert [s for _, s in result.articles[1].speakers] == ["问：", "答："]


def test_pages_with_punctuation_in_headlines_mostly_exact():
    """40 seed-layout pages with ：，、 inside half the headlines or ？！ at their end: at least 29 parse
    exactly (14 before headlines could end with ？ or ！; 31 after)."""
    exact, wrong = _exact_tail_pages(punct=True)
    assert exact >= 29, f"{exact}/40 exact; wrong: {wrong}"


PUNCTUATED_IN_PLACE = """民政部开展养老服务培训

日前，民政部举办了全国养老
机构培训班，各地民政部门负
责同志参加了培训。

民政部：发展农村养老

本报讯 记者从民政部获悉，
今年将新建一批农村互助养老
服务设施，提升农村养老服务
能力。

注：统计数据截至去年底，不
含港澳台地区。
"""


def test_a_headline_in_place_may_hold_a_colon_or_comma():
    """「民政部：发展农村养老」 between two articles holds a colon: still a headline in place (clause
    punctuation in a column-wide line made any group a paragraph's first words). Not so a note's first
    line 「注：统计数据截至去年底，不」, whose text goes on below it."""
    result = parse_page(PUNCTUATED_IN_PLACE, "p")
    assert [a.title for a in result.articles] == ["民政部开展养老服务培训", "民政部：发展农村养老"]
    assert result.articles[1].paragraphs[-1] == "注：统计数据截至去年底，不含港澳台地区。"


TAIL_LINES_APART = """日前，山西省人社厅等部门下
发通知，多举措做好春节期间农民
工返乡返岗保障工作。

（据中国新闻网）

连日来，各地民政部门广泛开
展寒冬送暖志愿服务活动，为困难
老人送去温暖。

（据中国社会报）

山西多举措做好春节期间农民工返

乡返岗保障工作

寒冬送暖

"""


def test_a_displaced_headline_printed_apart_is_one_headline():
    """After the bodies: 「山西多举措做好春节期间农民工返」, a blank line, 「乡返岗保障工作」: one headline whose
    lines pdftotext printed apart (the text restating the second line restates the first too; rule 'tail
    headline lines apart'). 「寒冬送暖」 below it, restated by another text, stays a headline of its own."""
    result = parse_page(TAIL_LINES_APART, "p")
    assert [a.title for a in result.articles] == ["山西多举措做好春节期间农民工返乡返岗保障工作", "寒冬送暖"]



def test_a_headline_set_across_the_columns_may_hold_a_comma():
    """「山西多举措做好春节期间农民工返乡返岗保障工作，确保农民工安心过年」 after the bodies, on one line
    across the columns: a headline (a wide line with any punctuation was a lead's or a paragraph's; this
    one, ending no sentence, became a paragraph of the last article, and the page was one headline short)."""
    title = "山西多举措做好春节期间农民工返乡返岗保障工作，确保农民工安心过年"
    page = TAIL_LINES_APART.replace("山西多举措做好春节期间农民工返\n\n乡返岗保障工作", title)
    result = parse_page(page, "p")
    assert [a.title for a in result.articles] == [title, "寒冬送暖"]
    assert [len(a.paragraphs) for a in result.articles] == [1, 1]
