"""Traditional Chinese: OpenCC s2tw by default (reader forms), government vocabulary kept, overrides applied,
「」 quotes; s2hk as a setting."""

from pathlib import Path

import pytest

from conftest import copy_project, run_cli
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
    assert "OpenCC" in hant.provenance.detail and "s2tw" in hant.provenance.detail


def test_bad_override_file(tmp_path):
    import dataclasses

    bad = tmp_path / "o.yml"
    bad.write_text("overrides:\n  - {opencc: 發佈}\n", encoding="utf-8")
    settings = dataclasses.replace(SETTINGS, root=tmp_path, hant_overrides="o.yml")
    with pytest.raises(ConfigError, match="needs text keys 'opencc'"):
        to_hant("发布", settings)


READER_FORMS_TEXT = "为做好群众工作，启动错峰返岗，峰会发布“暖心行动”通知，要求‘应保尽保’。"
NOT_READER_FORMS = "爲衆啓羣峯"


def test_default_is_s2tw_with_reader_forms_and_corner_quotes():
    assert SETTINGS.opencc_config == "s2tw" and SETTINGS.hant_quotes is True
    out = to_hant(READER_FORMS_TEXT, SETTINGS)
    assert out == "為做好群眾工作，啟動錯峰返崗，峰會發布「暖心行動」通知，要求『應保盡保』。"
    assert not set(out) & set(NOT_READER_FORMS + "“”‘’")


def test_quotes_setting_off_keeps_curly_quotes():
    import dataclasses

    plain = dataclasses.replace(SETTINGS, hant_quotes=False)
    assert to_hant("发布“暖心行动”", plain) == "發布“暖心行動”"


def test_quotes_keep_latin_apostrophes():
    from noticepub.variants.hant import hant_quotes

    assert hant_quotes("“O’Brien说‘好’”") == "「O’Brien说『好』」"


def test_s2hk_setting_gives_hong_kong_forms():
    import dataclasses

    hk = dataclasses.replace(SETTINGS, opencc_config="s2hk")
    out = to_hant("里面着急，台湾" + READER_FORMS_TEXT, hk)
    assert out.startswith("裏面着急，台灣")  # Hong Kong forms (Taiwan: 裡面著急，臺灣)
    assert to_hant("里面着急，台湾", SETTINGS) == "裡面著急，臺灣"
    assert not set(out) & set(NOT_READER_FORMS + "“”")
    assert "s2hk" in hant_articles((Article("a1", "标题", None, None, ("正文。",), None),), hk)[0].provenance.detail


def test_phrase_level_and_unknown_configs_are_refused(tmp_path):
    (tmp_path / "pyproject.toml").write_text('[tool.noticepub]\nopencc_config = "s2twp"\n', encoding="utf-8")
    with pytest.raises(ConfigError, match="s2twp.*not one of"):
        load_settings(tmp_path)
    (tmp_path / "pyproject.toml").write_text('[tool.noticepub]\nopencc_config = "s2hk"\nhant_quotes = false\n',
                                             encoding="utf-8")
    settings = load_settings(tmp_path)
    assert settings.opencc_config == "s2hk" and settings.hant_quotes is False


def test_forms_must_be_single_characters(tmp_path):
    import dataclasses

    bad = tmp_path / "o.yml"
    bad.write_text("forms:\n  - {opencc: 發佈, hant: 發布}\n", encoding="utf-8")
    settings = dataclasses.replace(SETTINGS, root=tmp_path, hant_overrides="o.yml")
    with pytest.raises(ConfigError, match="one character"):
        to_hant("发布", settings)


def test_seed_zh_hant_pages_use_reader_forms(tmp_path):
    """The zh-Hant pages `noticepub build` makes of the seed have none of OpenCC's own forms."""
    project = copy_project(tmp_path / "project")
    build = run_cli(project, "build")
    assert build.returncode == 0, build.stderr
    pages = sorted((project / "docs" / "zh-Hant").rglob("*.md"))
    assert pages
    text = "".join(p.read_text(encoding="utf-8") for p in pages)
    assert not set(text) & set(NOT_READER_FORMS + "“”")
    assert "為" in text and "「" in text
