"""The errors either engine raises for a PDF it cannot read, with the same messages."""
from __future__ import annotations

from govconv.errors import CorruptInput, EncryptedInput


def corrupt(what: str) -> CorruptInput:
    return CorruptInput(f"PDF 文件已损坏或不完整，无法读取（{what}）",
                        f"the PDF is damaged or truncated and cannot be read ({what})")


def encrypted(password: str | None) -> EncryptedInput:
    """Encrypted, and no password given, or a wrong one."""
    if password:
        return EncryptedInput("PDF 已加密，所给密码不正确", "the PDF is encrypted and the password given is wrong")
    return EncryptedInput("PDF 已加密，请用 --password 提供密码",
                          "the PDF is encrypted: give its password with --password")
