"""Traditional Chinese: character-level OpenCC by default, government vocabulary kept, overrides applied."""

from pathlib import Path

import pytest

from noticepub.errors import ConfigError
from noticepub.model import CONVERTED, Article
from noticepub.settings import load_settings
from noticepub.variants import hant_articles, to_hant

REPO = Path(__file__).resolve().parents[1]
SETTINGS = load_settings(REPO)

# Words from the seed page with the forms Traditional-Chinese government texts use.
TRICKY = {
    "干预": "干預", "复工复产": "復工復產", "发放": "發放", "面临": "面臨", "联系": "聯繫",
    "委托": "委託", "纾困": "紓困", "兑付": "兌付", "党委": "黨委", "志愿者": "志願者",
    "对象": "對象", "文件": "文件", "发布": "發布", "调度": "調度", "养老机构": "養老機構",
    "农民工": "農民工", "困境儿童": "困境兒童", "周转金": "周轉金", "乡镇（街道）": "鄉鎮（街道）",
    "乙类乙管": "乙類乙管", "疫情防控": "疫情防控", "留守儿童": "留守兒童", "未保办": "未保辦",
}


@pytest.mark.parametrize(("hans", "hant"), TRICKY.items())
def test_tricky_words(hans, hant):
    assert to_hant(hans, SETTINGS) == hant


def test_phrase_level_config_would_rewrite_government_vocabulary():
    """Why the default is character-level: s2twp turns 文件 into 檔案 and 对象 into 物件."""
    import dataclasses

    twp = dataclasses.replace(SETTINGS, opencc_config="s2twp", hant_overrides="missing.yml")
    assert to_hant("重要文件", twp) == "重要檔案"
    assert to_hant("保障对象", twp) == "保障物件"
    assert to_hant("重要文件", SETTINGS) == "重要文件"


def test_articles_and_provenance():
    article = Article("a1", "民政部发布通知", None, "导语。", ("各地要及时发放补贴。",), "民政部官网")
    (hant,) = hant_articles((article,), SETTINGS)
    assert hant.title[0].text == "民政部發布通知" and hant.title[0].state == CONVERTED
    assert hant.paragraphs[0][0].text == "各地要及時發放補貼。"
    assert hant.attribution[0].text == "民政部官網"
    assert "OpenCC" in hant.provenance.detail and "s2t" in hant.provenance.detail


def test_bad_override_file(tmp_path):
    import dataclasses

    bad = tmp_path / "o.yml"
    bad.write_text("overrides:\n  - {opencc: 發佈}\n", encoding="utf-8")
    settings = dataclasses.replace(SETTINGS, root=tmp_path, hant_overrides="o.yml")
    with pytest.raises(ConfigError, match="needs text keys 'opencc'"):
        to_hant("发布", settings)
