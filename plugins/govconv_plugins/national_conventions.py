"""Cell conventions of the national templates: how real reports write "nothing here"."""
from govconv import Convention, hookimpl

NATIONAL = Convention(
    name="national",
    # empty, dashes of every width, slashes, 无 (none), 空 — after NFKC and with white space removed
    blank_markers=frozenset({"", "-", "--", "---", "—", "——", "–", "/", "//", "\\", "无", "空", "/无", "——/"}),
    count_units=("人次", "件", "条", "个", "项", "次", "人", "家", "起", "宗", "份"),
    description="blank, -, —, /, 无 read as blank; a count may carry a unit such as 件 or 条",
)

STRICT = Convention(
    name="strict",
    blank_markers=frozenset({""}),
    description="only an empty cell is blank; every marker and unit is a finding",
)


@hookimpl
def register_conventions(register):
    register(NATIONAL)
    register(STRICT)
