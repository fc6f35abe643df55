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


# -- characters that are never part of a label ---------------------------------------------------------

NOISE = ["\x00", "\x01", "\x1f", "\x7f", "\ufffe", "\uffff", "\ufdd0", "\ufdef", "\U0001fffe", "\U0010ffff",
         "\ufffd", "\u200b", "\u200e", "\ufeff"]


@pytest.mark.parametrize("ch", NOISE)
def test_controls_and_non_characters_are_folded_out(ch):
    from govconv.reading.labels import core, norm

    assert norm(f"规{ch}章") == "规章" and core(f"1.{ch}其{ch}他{ch}") == "其他"
    assert similarity(f"规{ch}章", "规章") == 1.0                       # short labels too
    assert best_match(f"1.属于{ch}国家秘密{ch}", ROWS)[0] == "state_secret"
    assert best_match(f"3.其{ch}他", ROWS)[0] == "other_misc"


def test_noise_alone_is_no_label():
    assert best_match("\x00\uffff\ufffd", ROWS)[0] is None
    assert similarity("\x00", "\x00") == 0.0


@pytest.mark.parametrize("ch", ["\x00", "\uffff", "\ufffe", "\ufffd"])
def test_a_report_with_noise_in_every_label_reads_as_without(ch):
    """A NUL or U+FFFF in the label cells used to lose the whole report (exit 9); the cells keep their text."""
    import govconv
    from conftest import SEEDS, expected, wrong_cells

    seed = "002_4a81d0f783bbd2ce"
    lines = (SEEDS / f"{seed}.txt").read_text("utf-8").split("\n")
    noisy = [l[:2] + ch + l[2:] if l.startswith("\t") and len(l) > 2 and not l[1:].strip().isdigit() else l
             for l in lines]
    data = "\n".join(noisy).encode("utf-8")
    report = govconv.convert(data, name="noisy.txt")
    assert wrong_cells(report.to_dict()["tables"], expected(seed)["tables"]) == []
    assert report.finding_rules() == expected(seed)["finding_rules"]
    from govconv_plugins.txt_loader import parse_text

    texts = [c.text for t in parse_text(data.decode("utf-8")) if isinstance(t, govconv.Table) for c in t.cells]
    assert f"自{ch}然人" in texts                                       # the raw cell text is kept as it was
