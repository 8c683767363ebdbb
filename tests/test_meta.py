"""notice.yml: one schema; errors name the file, the key and the fix; hostile ids and slugs refused."""

from pathlib import Path

import pytest

from noticepub.errors import InputError
from noticepub.meta import parse_notice_yml, validate_notice_id

P = Path("source_texts/x/notice.yml")


def test_full_notice_yml_is_read():
    meta = parse_notice_yml(
        "publication: 中国社会报\ndate: 2023-01-16\npage: A3\nurl: https://example.org/a\n"
        "tags: [养老服务, 农民工, 养老服务]\nregions: [山西]\nslugs: {a1: ministry-training}\n".encode(),
        P,
        "x",
    )
    assert meta.publication == "中国社会报"
    assert str(meta.date) == "2023-01-16"
    assert meta.page == "A3"
    assert meta.tags == ("养老服务", "农民工")  # duplicates removed, order kept
    assert meta.slugs == (("a1", "ministry-training"),)


def test_empty_notice_yml_is_fine():
    assert parse_notice_yml(b"", P, "x").id == "x"
    assert parse_notice_yml(b"# only a comment\n", P, "x").tags == ()


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("date: [unclosed\n", "malformed YAML at line"),
        ("- a\n- b\n", "must be a mapping"),
        ("publisher: x\n", "unknown key 'publisher'"),
        ("date: yesterday\n", "key 'date': must be a date written YYYY-MM-DD"),
        ("url: javascript:alert(1)\n", "key 'url': must be an http(s) address"),
        ("tags: 农民工\n", "key 'tags': must be a list"),
        ("slugs: {a1: ../../etc}\n", "key 'slugs.a1': must be an ASCII slug"),
        ("date: 2023-02-30\n", "key 'date': 2023-02-30 is not a date (day is out of range for month)"),
        ("date: 2023-1-5\n", "key 'date': must be a date written YYYY-MM-DD"),
        ("tags: [a]\ntags: [b]\n", "malformed YAML at line 2, column 1: duplicate key 'tags' (first at line 1)"),
        ("slugs: {x1: ok}\n", "not an article id"),
        ("slugs: {a1: same, a2: same}\n", "same slug"),
        ("publication: \"a\\nb\"\n", "one non-empty line"),
        ("!!python/object/apply:os.system ['echo hi']\n", "malformed YAML"),
    ],
)
def test_bad_notice_yml_gives_one_line_error_naming_file_and_key(text, expected):
    with pytest.raises(InputError) as info:
        parse_notice_yml(text.encode(), P, "x")
    message = info.value.one_line()
    assert message.startswith(str(P) + ": ")
    assert expected in message
    assert "\n" not in message


@pytest.mark.parametrize("bad", ["..", "a/b", "A1", "-x", "x.y", "", "a" * 65, "ñ", "a b"])
def test_notice_ids_are_ascii_slugs(bad):
    with pytest.raises(InputError):
        validate_notice_id(bad, "somewhere")


def test_good_notice_id():
    assert validate_notice_id("2023-01-16-p3", "x") == "2023-01-16-p3"
