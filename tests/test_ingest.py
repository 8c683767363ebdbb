"""Ingest: encodings decode, bad input is refused with one line naming the file and the problem."""

import pytest

from conftest import SEED_RAW
from noticepub.errors import InputError
from noticepub.ingest import decode_raw, read_raw
from noticepub.parse import parse_page

SEED = SEED_RAW.read_text(encoding="utf-8")


@pytest.mark.parametrize(
    "data",
    [SEED.encode("utf-8"), b"\xef\xbb\xbf" + SEED.encode("utf-8"), SEED.encode("gb18030"),
     SEED.replace("\n", "\r\n").encode(), SEED.replace("\n", "\r").encode()],
    ids=["utf-8", "utf-8-bom", "gb18030", "crlf", "cr"],
)
def test_encodings_and_newlines_give_the_same_articles(data):
    text = decode_raw(data, "x.txt")
    assert parse_page(text, "x").articles == parse_page(SEED, "x").articles


def test_nfc_normalisation():
    assert decode_raw("民政部 e\u0301".encode(), "x") == "民政部 é"


@pytest.mark.parametrize(
    ("data", "problem"),
    [
        (b"", "is empty"),
        (b"  \n\n \t", "is empty"),
        (b"PK\x03\x04\x00\x00binary" * 20, "binary"),
        (b"\x01\x02\x03\x04\x05\x06\x07\x08\x0b\x0c\x0e\x0f" * 50 + "民政".encode(), "binary"),
        (b"\x80\x81\xfe\xfd\xfc" * 10, "is neither UTF-8 nor GB18030 text (its encoding cannot be recognised)"),
        (SEED.encode("utf-16"), "looks like UTF-16 text"),
        (SEED.encode("utf-16-le"), "looks like UTF-16 text"),
        (SEED[:500].encode() + "民".encode("gbk") + SEED[500:].encode(), "is mostly UTF-8, but 2 byte sequence(s) are "
         "not (the first at line 41"),
        (b"\xef\xbb\xbf" + SEED.encode("gb18030"), "starts with a UTF-8 byte-order mark but line 1 is not UTF-8"),
        (b"only latin text, no Chinese at all\n", "contains no Chinese"),
    ],
)
def test_bad_input_one_line(data, problem):
    with pytest.raises(InputError) as info:
        decode_raw(data, "source_texts/x/raw.txt")
    message = info.value.one_line()
    assert message.startswith("source_texts/x/raw.txt: ")
    assert problem in message and "\n" not in message


def test_size_limit_names_the_setting(tmp_path):
    path = tmp_path / "raw.txt"
    path.write_bytes("民政".encode() * 1000)
    with pytest.raises(InputError) as info:
        read_raw(path, max_bytes=1000)
    assert "max_raw_bytes" in str(info.value) and "1,000" in str(info.value)
    assert read_raw(path, max_bytes=10_000).startswith("民政")


def test_gbk_decodes():
    assert decode_raw("民政部印发通知（据新华社）".encode("gbk"), "x") == "民政部印发通知（据新华社）"


def test_one_article_page_without_attribution(tmp_path):
    path = tmp_path / "raw.txt"
    path.write_bytes("\ufeff民政部开展冬季走访\r\n\r\n日前，某地民政部门开展\r\n了冬季走访慰问活动。\r\n".encode())
    result = parse_page(read_raw(path, 10_000), str(path))
    assert [(a.title, a.paragraphs, a.attribution) for a in result.articles] == [
        ("民政部开展冬季走访", ("日前，某地民政部门开展了冬季走访慰问活动。",), None)
    ]


def test_missing_file_is_one_line(tmp_path):
    with pytest.raises(InputError, match="cannot be read"):
        read_raw(tmp_path / "absent.txt", 1000)
