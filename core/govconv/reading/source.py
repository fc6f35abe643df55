"""An input as loaders see it: its bytes, its name, and the options the user gave."""
from __future__ import annotations

import hashlib
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, BinaryIO, cast

if TYPE_CHECKING:
    from govconv.model.document import Document

from govconv.errors import InputNotFound, InputTooLarge

#: the largest input read at all (each loader has its own, smaller limit: Loader.max_bytes)
MAX_INPUT_BYTES = 256 * 1024 * 1024


@dataclass
class LoadOptions:
    password: str | None = None
    timeout: float = 60.0          # seconds a loader may spend on one file
    extra: dict = field(default_factory=dict)
    #: read other bytes with another installed loader, by its name: ``read_as(source, "docx")``.
    #: A loader that converts its input (the doc loader, through LibreOffice) hands the result on
    #: this way, since no plugin imports another.  Set by the pipeline.
    read_as: "Callable[[Source, str], Document] | None" = None


@dataclass
class Source:
    data: bytes
    name: str = "<bytes>"
    path: Path | None = None

    @classmethod
    def open(cls, path_or_bytes: "str | Path | bytes | BinaryIO", name: str | None = None) -> "Source":
        """An input from a path, its bytes, or a binary file object (read to its end)."""
        if isinstance(path_or_bytes, (bytes, bytearray, memoryview)):
            return cls(bytes(path_or_bytes), name or "<bytes>")
        if not isinstance(path_or_bytes, (str, Path)) and hasattr(path_or_bytes, "read"):
            data = path_or_bytes.read(MAX_INPUT_BYTES + 1)
            label = name or (Path(path_or_bytes.name).name if isinstance(getattr(path_or_bytes, "name", None), str)
                             else "<stream>")
            if not isinstance(data, (bytes, bytearray)):
                raise InputNotFound("文件对象须以二进制方式打开", "a file object must be opened in binary mode",
                                    path=label)
            if len(data) > MAX_INPUT_BYTES:
                raise too_large(len(data), MAX_INPUT_BYTES, label)
            return cls(bytes(data), label)
        # neither bytes nor a stream: a path (anything else meets Path's own TypeError)
        path = Path(cast("str | Path", path_or_bytes))
        try:
            if path.is_dir():
                raise InputNotFound("输入是一个目录，不是文件", "the input is a directory, not a file",
                                    path=str(path))
            size = path.stat().st_size
            if size > MAX_INPUT_BYTES:
                raise too_large(size, MAX_INPUT_BYTES, str(path))
            with path.open("rb") as f:
                data = f.read(MAX_INPUT_BYTES + 1)       # a file that grows while read stops here
            if len(data) > MAX_INPUT_BYTES:
                raise too_large(len(data), MAX_INPUT_BYTES, str(path))
        except FileNotFoundError:
            raise InputNotFound("文件不存在", "no such file", path=str(path)) from None
        except PermissionError:
            raise InputNotFound("没有读取该文件的权限", "permission denied", path=str(path)) from None
        except OSError as e:
            raise InputNotFound(f"无法读取文件（{e.strerror}）", f"cannot read the file ({e.strerror})",
                                path=str(path)) from None
        return cls(data, name or path.name, path)

    def check_size(self, limit: int, what: str) -> None:
        """Refuse this input when it is larger than ``limit`` bytes (``what``: the format)."""
        if len(self.data) > limit:
            raise too_large(len(self.data), limit, self.name, what)

    @property
    def extension(self) -> str:
        """Lower-case extension without the dot ('' when there is none)."""
        suffix = Path(self.name).suffix
        return suffix[1:].lower() if suffix else ""

    @property
    def head(self) -> bytes:
        return self.data[:8]

    @property
    def sha256(self) -> str:
        return hashlib.sha256(self.data).hexdigest()


def too_large(size: int, limit: int, path: str | None, what: str = "") -> InputTooLarge:
    mb = limit / (1024 * 1024)
    return InputTooLarge(f"文件过大（{size} 字节），超过{what}输入的上限 {mb:g} MB，已拒绝读取",
                         f"the file is too large ({size} bytes): the limit for {what or 'any'} input is "
                         f"{mb:g} MB; refused", path=path)
