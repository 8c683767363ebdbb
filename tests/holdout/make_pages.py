"""Write the held-out pages (tests/holdout/*.txt + *.json) from hand-written articles.

The lead wrote these pages independently of the parser and of tests/layoutgen.py, as a maintainer
adding new real-style pages would: a narrow body column (13 characters), justification spaces after
punctuation, blank lines where a column breaks mid-sentence, headlines and leads displaced to the end
of the page (or printed in place), and page furniture. Run it to regenerate; the files are committed.
"""

from __future__ import annotations

import json
from pathlib import Path

HERE = Path(__file__).parent
PUNCT = "，。、；：！？"


def wrap(text: str, width: int, breaks: list[int], spaces: set[int], indent: float = 2.0) -> list[str]:
    """Wrap one paragraph at ``width`` characters (ASCII counts half); blank line after line k in breaks."""
    lines: list[str] = []
    line, w = "", indent  # the first line is indented by two characters, which the text extraction loses
    for i, ch in enumerate(text):
        cw = 0.5 if ch.isascii() else 1.0
        if w + cw > width and ch not in PUNCT + "）”":  # no line starts with closing punctuation
            lines.append(line)
            line, w = "", 0.0
        line += ch
        w += cw
        if ch in PUNCT and i in spaces and i + 1 < len(text):
            line += " "
    if line:
        lines.append(line)
    out: list[str] = []
    for k, ln in enumerate(lines):
        out.append(ln)
        if k in breaks and k + 1 < len(lines):
            out.append("")
    return out


def body(paragraphs: list[str], width: int = 13, seed: int = 0, continued: bool = False) -> list[str]:
    """``continued``: the first paragraph began on another page, so its first line here is not indented."""
    out: list[str] = []
    for n, p in enumerate(paragraphs):
        indent = 0.0 if continued and n == 0 else 2.0
        breaks = {(seed + n * 3) % 3 + 1} if len(p) > width * 3 else set()
        spaces = {i for i, ch in enumerate(p) if ch in PUNCT and (i + seed + n) % 3 == 0}
        out += wrap(p, width, sorted(breaks), spaces, indent)
        out.append("")
    return out


def article(title, paragraphs, lead=None, attribution=None, subtitle=None, headings=(), continued=False,
            continued_from=None):
    return {"title": title, "subtitle": subtitle, "lead": lead, "paragraphs": paragraphs,
            "attribution": attribution, "headings": list(headings), "continued": continued,
            "continued_from": continued_from}


# ------------------------------------------------------------------ page 1: seed-like, no attributions
P1_A = article(
    "湖北推进村级综合服务设施建设",
    ["截至去年底，全省已建成村级综合服务设施二万二千余个，覆盖率达到百分之九十八，基本实现办事不出村。",
     "在设施运营方面，各地采取政府购买服务等方式，引入社会组织参与日常管理，推动服务事项清单化、标准化。",
     "省民政厅有关负责同志表示，下一步将重点补齐偏远山区短板，推动设施功能由有到优转变。"],
    lead="近日，湖北省民政厅召开全省村级综合服务设施建设推进会，总结成效，部署下一阶段重点任务。",
)
P1_B = article(
    "广州为独居老人安装智能水表",
    ["本报讯 广州市越秀区日前为辖区二百余户独居老人免费安装智能水表，用水数据异常时系统自动提醒社区工作人员上门查看。",
     "据介绍，智能水表连续十二小时无读数变化即触发预警，社区网格员须在一小时内联系老人或其紧急联系人。",
     "今年以来，该系统已发出预警十七次，及时帮助三名突发疾病的老人得到救治。"],
)
P1_C = article(
    "四川开展社会救助政策落实情况专项检查",
    ["检查重点包括低保、特困人员供养、临时救助等政策的对象认定、资金发放和档案管理情况。",
     "检查采取随机抽查、入户核查、座谈走访等方式进行，发现问题当场反馈，限期整改。",
     "省民政厅要求，各地要举一反三，建立健全长效机制，确保救助资金安全、规范、高效使用。"],
    lead="为进一步规范社会救助工作，四川省民政厅近日组织工作组，分赴二十一个市（州）开展社会救助政策落实情况专项检查。",
    attribution="四川省民政厅",
)


def page1() -> tuple[str, list[dict]]:
    lines: list[str] = []
    lines += body(P1_A["paragraphs"], seed=1)
    lines += body(P1_B["paragraphs"], seed=2)
    c = body(P1_C["paragraphs"], seed=3)
    c[-2] += "（据四川省民政厅）"
    lines += c
    # displaced block: headlines then wide leads
    lines += [P1_A["title"], "", P1_C["title"], "", P1_B["title"], ""]
    lines += [P1_C["lead"][:38], P1_C["lead"][38:], "", P1_A["lead"][:38], P1_A["lead"][38:], ""]
    return "\n".join(lines) + "\n", [P1_A, P1_B, P1_C]


# ------------------------------------------------------------- page 2: furniture, in place, continued
P2_CONT = article(
    "",
    ["解决群众急难愁盼问题。据统计，去年全市共发放临时救助金三千二百余万元，惠及困难群众一万一千余人次。",
     "市民政局表示，将继续完善主动发现机制，做到早发现、早介入、早救助。"],
    continued=True, continued_from="第一版",
)
P2_A = article(
    "多地启动冬季救助保障专项行动",
    ["本报记者 张明 报道 入冬以来，多地民政部门启动冬季救助保障专项行动，全力保障困难群众温暖过冬。",
     "加强排查走访",
     "各地组织乡镇（街道）干部和社区工作者，对低保对象、特困人员等开展拉网式排查，建立工作台账。",
     "做好物资储备",
     "各地提前储备棉衣棉被、取暖设备等物资，确保困难群众生活不因寒潮受到影响。"],
    subtitle="困难群众温暖过冬有保障",
    headings=[1, 3],
)
P2_B = article(
    "江西推动养老服务消费券发放",
    ["新华社南昌1月7日电 江西省日前启动养老服务消费券发放工作，首批消费券面向八十周岁以上老年人发放。",
     "消费券可用于购买助餐、助浴、助洁等居家养老服务，有效期至今年六月底。"],
)


def page2() -> tuple[str, list[dict]]:
    lines = ["2026年1月8日 星期四 民生·社会 3", "", "（上接第一版）"]
    lines += body(P2_CONT["paragraphs"], seed=4, continued=True)
    lines += [P2_A["title"], "——" + P2_A["subtitle"], ""]
    a = body(P2_A["paragraphs"], seed=5)
    lines += a
    lines += ["图为志愿者为独居老人送去御寒物资。 本报记者 李华 摄", ""]
    lines += [P2_B["title"], ""]
    b = body(P2_B["paragraphs"], seed=6)
    b[-2] += "（下转第四版）"
    lines += b
    lines += ["本版编辑：王敏 校对：刘洋", "", "— 3 —"]
    return "\n".join(lines) + "\n", [P2_CONT, P2_A, P2_B]


# ------------------------------------------------ page 3: four articles, one lead missing, one attribution
P3_A = article(
    "浙江上线婚姻登记网上预约服务",
    ["新人可通过浙里办应用选择登记机关和办理时段，预约成功后凭身份证件按时到场办理，平均办理时间缩短至十五分钟。",
     "省民政厅相关负责人介绍，系统上线首月，全省共受理网上预约二万三千余对。"],
    lead="记者从浙江省民政厅获悉，全省婚姻登记机关日前全面上线网上预约服务，群众办事更加便捷。",
)
P3_B = article(
    "河南提高城乡低保标准",
    ["本报讯（记者 王磊）河南省民政厅、财政厅近日联合印发通知，自今年一月起提高全省城乡低保保障标准。",
     "通知明确，城市低保标准每人每月不低于六百八十元，农村低保标准每人每年不低于五千四百元。",
     "各地要在三月底前将新标准落实到位，并按规定补发差额部分。"],
)
P3_C = article(
    "福建设立儿童关爱服务站三千余个",
    ["服务站依托村（社区）综合服务设施建设，配备儿童主任，为留守儿童、困境儿童提供课后看护、心理关爱等服务。",
     "下一步，福建将推动服务站与学校、医疗机构联动，形成关爱服务合力。"],
    lead="截至去年底，福建省已在全省村（社区）设立儿童关爱服务站三千余个，实现乡镇全覆盖。",
    attribution="福建省民政厅",
)
P3_D = article(
    "山东开展殡葬领域突出问题专项整治",
    ["整治聚焦殡葬服务收费不规范、违规建设经营性公墓等突出问题，实行问题清单、整改清单、责任清单管理。",
     "省民政厅将会同有关部门开展联合督导，对整治不力的地方进行通报。"],
    lead="日前，山东省民政厅等八部门联合印发方案，在全省开展殡葬领域突出问题专项整治。",
)


def page3() -> tuple[str, list[dict]]:
    lines: list[str] = []
    lines += body(P3_A["paragraphs"], seed=7)
    lines += body(P3_B["paragraphs"], seed=8)
    c = body(P3_C["paragraphs"], seed=9)
    c[-2] += "（据福建省民政厅）"
    lines += c
    lines += body(P3_D["paragraphs"], seed=10)
    lines += [P3_D["title"], "", P3_B["title"], "", P3_A["title"], "", P3_C["title"], ""]
    for art in (P3_C, P3_A, P3_D):
        lead = art["lead"]
        lines += [lead[:38], lead[38:], ""]
    return "\n".join(lines) + "\n", [P3_A, P3_B, P3_C, P3_D]


# ------------------------------ page 4: continued without 上接, in-place and displaced headlines, captions
P4_CONT = article(
    "",
    ["的老年人提供助餐服务，全年累计服务六十余万人次。",
     "区民政局负责人表示，将进一步扩大助餐点覆盖范围，让更多老年人吃上放心饭。"],
    continued=True,
)
P4_A = article(
    "全国社会组织登记管理工作会议召开",
    ["新华社北京1月7日电 全国社会组织登记管理工作会议7日在京召开，会议总结去年工作，部署今年重点任务。",
     "会议要求，要坚持培育发展与监督管理并重，引导社会组织在乡村振兴、养老托育等领域发挥积极作用。"],
)
P4_B = article(
    "重庆打造“一刻钟”养老服务圈",
    ["重庆市民政局有关负责人介绍，去年全市新建社区养老服务站三百余个，中心城区基本形成步行十五分钟可达的养老服务网络。",
     "今年，重庆将重点推进农村互助养老，力争实现村级互助养老点全覆盖。"],
    lead="近日，记者从重庆市民政局获悉，重庆正加快构建城乡一体的“一刻钟”养老服务圈。",
)


def page4() -> tuple[str, list[dict]]:
    lines = ["— 8 —", ""]
    lines += body(P4_CONT["paragraphs"], seed=11, continued=True)
    lines += [P4_A["title"], ""]
    lines += body(P4_A["paragraphs"], seed=12)
    lines += ["（相关报道见第十三、十四版）", ""]
    lines += ["1月7日，全国社会组织登记管理工作会议在北京召开。 新华社发", ""]
    b = body(P4_B["paragraphs"], seed=13)
    b[-2] += "（转A4版）"
    lines += b
    lines += [P4_B["title"], "", P4_B["lead"][:38], P4_B["lead"][38:], ""]
    lines += ["责任编辑：赵丽 版式设计：孙强", ""]
    return "\n".join(lines) + "\n", [P4_CONT, P4_A, P4_B]


FURNITURE = {
    "page4": ["— 8 —", "（相关报道见第十三、十四版）", "1月7日，全国社会组织登记管理工作会议在北京召开。 新华社发",
              "（转A4版）", "责任编辑：赵丽 版式设计：孙强"],
    "page2": ["2026年1月8日 星期四 民生·社会 3", "（上接第一版）", "图为志愿者为独居老人送去御寒物资。 本报记者 李华 摄",
              "（下转第四版）", "本版编辑：王敏 校对：刘洋", "— 3 —"],
}


def main() -> None:
    for name, make in (("page1", page1), ("page2", page2), ("page3", page3), ("page4", page4)):
        text, articles = make()
        (HERE / f"{name}.txt").write_text(text, encoding="utf-8")
        expected = {"articles": articles, "furniture": FURNITURE.get(name, [])}
        (HERE / f"{name}.json").write_text(json.dumps(expected, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")


if __name__ == "__main__":
    main()
