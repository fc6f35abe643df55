"""Tolerant label matching: the same label however a report prints it, and not a different one."""
import pytest

from govconv.reading.labels import best_match, similarity

ROWS = {"state_secret": ("1.属于国家秘密",), "security": ("3.危及“三安全一稳定”",),
        "other_misc": ("3.其他",), "partially": ("（二）部分公开（区分处理的，只计这一情形，不计其他情形）",),
        "not_held": ("1.本机关不掌握相关政府信息",), "repeated": ("2.重复申请",)}


@pytest.mark.parametrize("printed,key", [
    ("1.属于国家秘密", "state_secret"), ("1、属于国家秘密", "state_secret"), ("１．属于国家秘密", "state_secret"),
    ("1. 属于 国家\n秘密", "state_secret"), ("属于国家秘密", "state_secret"), ("(一)属于国家秘密", "state_secret"),
    ('3.危及"三安全一稳定"', "security"), ("3、危及“三安全\n一稳定”", "security"),
    ("3、其他", "other_misc"), ("（二）部分公开（区分处理的,只计这一情形,不计其他情形）", "partially"),
    ("（二）部分公开(区分处理的，只计这一情形，不计其它情形)", "partially"),      # 其它 typo
    ("1.本机关不掌握相关政府信", "not_held"),                                  # a character lost
    ("2.重复申请", "repeated"),
])
def test_printed_forms_match(printed, key):
    assert best_match(printed, ROWS)[0] == key


@pytest.mark.parametrize("printed", ["其他处理", "总计", "自然人", "第二十条第（一）项", "2.重复", ""])
def test_different_labels_do_not_match(printed):
    assert best_match(printed, ROWS)[0] is None


def test_short_labels_must_match_exactly():
    assert similarity("规章", "规章") == 1.0
    assert similarity("规章", "规范") == 0.0
