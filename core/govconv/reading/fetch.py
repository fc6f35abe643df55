"""A report given as a URL: one HTTP(S) GET, bounded in time and size, nothing else fetched.

    source = fetch("https://www.example.gov.cn/art/2022/1/20/art_1229_1.html", timeout=30, max_bytes=64 << 20)

* Only ``http`` and ``https``; a redirect (at most :data:`MAX_REDIRECTS`) is
  followed only to ``http``/``https`` — never to ``file:``, ``ftp:``,
  ``data:`` or anything else.
* One GET for the document (and one per redirect): no script, image, style
  sheet, frame, ``<base>`` or ``<meta refresh>`` of the page is ever
  requested — the page's bytes are all that is read.
* ``timeout`` bounds every network wait *and* the whole download (a server
  that drips bytes is cut off); ``max_bytes`` bounds the body (a
  ``Content-Length`` above it is refused before reading; a gzip/deflate body
  the server sends anyway is inflated up to it).
* Failures are one-line bilingual errors: :class:`InputNotFound` (bad URL,
  DNS, refused connection, TLS, HTTP status ≥ 400, a redirect to another
  scheme), :class:`InputTimeout`, :class:`InputTooLarge`.

The :class:`~govconv.reading.source.Source` is named after the URL, so that
messages and ``source.file`` show where the report came from; when the URL's
path does not end in the document's extension (``download.jsp?id=3``), the
file name the server gives (``Content-Disposition``) or one made from the
``Content-Type`` is appended as a fragment (``…?id=3#report.doc``), so that
loaders see the right extension.
"""
from __future__ import annotations

import re
import time
from pathlib import PurePosixPath

from govconv.errors import InputNotFound, InputTimeout, InputTooLarge
from govconv.reading.source import MAX_INPUT_BYTES, Source

DEFAULT_TIMEOUT = 30.0
MAX_REDIRECTS = 5
CHUNK = 64 * 1024
SCHEMES = ("http", "https")
ACCEPT = ("text/html,application/xhtml+xml,application/msword,"
          "application/vnd.openxmlformats-officedocument.wordprocessingml.document,application/pdf,"
          "multipart/related,text/plain;q=0.9,*/*;q=0.8")
#: the extension a document's Content-Type stands for
TYPES = {"text/html": "html", "application/xhtml+xml": "xhtml", "multipart/related": "mht",
         "message/rfc822": "mht", "application/x-mimearchive": "mht", "application/msword": "doc",
         "application/vnd.openxmlformats-officedocument.wordprocessingml.document": "docx",
         "application/pdf": "pdf", "text/plain": "txt", "application/rtf": "rtf", "text/rtf": "rtf"}
KNOWN = frozenset(TYPES.values()) | {"htm", "mhtml", "shtml", "docm", "wps"}


def is_url(value: object) -> bool:
    """Is ``value`` an http(s) URL (rather than a path)?"""
    return isinstance(value, str) and re.match(r"(?i)^https?://", value) is not None


class _Refused(Exception):
    def __init__(self, url: str):
        super().__init__(url)
        self.url = url


def _shown(url: str) -> str:
    return " ".join("".join(ch if ch.isprintable() else " " for ch in url).split())[:300]


def _opener():
    """Only HTTP and HTTPS handlers: no file:, ftp: or data: handler exists to be redirected to."""
    import ssl
    import urllib.request

    class Redirects(urllib.request.HTTPRedirectHandler):
        max_redirections = MAX_REDIRECTS
        max_repeats = 2

        def redirect_request(self, req, fp, code, msg, headers, newurl):
            from urllib.parse import urljoin, urlsplit

            target = urljoin(req.full_url, newurl)
            if urlsplit(target).scheme.lower() not in SCHEMES:
                raise _Refused(target)
            return super().redirect_request(req, fp, code, msg, headers, target)

    opener = urllib.request.OpenerDirector()
    for handler in (urllib.request.ProxyHandler(), urllib.request.HTTPHandler(),
                    urllib.request.HTTPSHandler(context=ssl.create_default_context()), Redirects(),
                    urllib.request.HTTPDefaultErrorHandler(), urllib.request.HTTPErrorProcessor()):
        opener.add_handler(handler)
    return opener


def _name(url: str, final: str, headers) -> str:
    """The source's name: the URL, with a ``#file.ext`` that gives loaders the extension."""
    from urllib.parse import unquote, urlsplit

    url = url.split("#", 1)[0]
    filename = None
    try:
        filename = headers.get_filename()
    except Exception:  # deliberately broad: a malformed header is no reason to fail
        filename = None
    if filename:
        filename = PurePosixPath(filename.replace("\\", "/")).name
        filename = "".join(ch for ch in filename if ch.isprintable() and ch not in "#?")[:120] or None
    ext = PurePosixPath(filename).suffix[1:].lower() if filename else ""
    if ext not in KNOWN:
        ext = PurePosixPath(unquote(urlsplit(final).path)).suffix[1:].lower()
    if ext not in KNOWN:
        ext = TYPES.get((headers.get_content_type() or "").lower(), "")
    own = PurePosixPath(unquote(urlsplit(url).path)).suffix[1:].lower()
    if not ext or own == ext:
        return url
    return f"{url}#{filename if filename and filename.lower().endswith('.' + ext) else 'document.' + ext}"


def _too_large(size: int | str, limit: int, url: str) -> InputTooLarge:
    mb = limit / (1024 * 1024)
    return InputTooLarge(f"网址返回的文件过大（{size} 字节），超过上限 {mb:g} MB，已停止下载",
                         f"the document at the URL is too large ({size} bytes; the limit is {mb:g} MB); "
                         f"the download was stopped", path=url)


def _timeout(seconds: float, url: str) -> InputTimeout:
    return InputTimeout(f"下载超过 {seconds:g} 秒的时间限制，已停止", f"the download took longer than the "
                        f"{seconds:g} s time limit and was stopped", path=url)


def fetch(url: str, *, timeout: float = DEFAULT_TIMEOUT, max_bytes: int = MAX_INPUT_BYTES) -> Source:
    """The document at ``url`` (http or https), fetched with one GET request."""
    import http.client
    import socket
    import urllib.error
    import urllib.request
    import zlib
    from urllib.parse import urlsplit

    shown = _shown(url)
    try:
        parts = urlsplit(url)
        _ = parts.port                               # a malformed port raises here
    except ValueError as e:
        raise InputNotFound(f"网址无效（{e}）", f"invalid URL ({e})", path=shown) from None
    if parts.scheme.lower() not in SCHEMES or not parts.hostname:
        raise InputNotFound("只能下载 http 或 https 网址", "only http and https URLs can be fetched", path=shown)
    if parts.username is not None or any(ch.isspace() or not ch.isprintable() for ch in url):
        raise InputNotFound("网址中不能含有用户名、密码、空白或控制字符",
                            "the URL must not hold a user name, a password, white space or control characters",
                            path=shown)
    seconds = timeout if timeout and timeout > 0 else DEFAULT_TIMEOUT
    deadline = time.monotonic() + seconds
    from govconv import __version__

    request = urllib.request.Request(url, method="GET", headers={
        "User-Agent": f"govconv/{__version__} (annual-report converter; one request per document)",
        "Accept": ACCEPT, "Accept-Encoding": "identity", "Accept-Language": "zh-CN,zh;q=0.9"})
    try:
        response = _opener().open(request, timeout=seconds)
    except _Refused as e:
        raise InputNotFound(f"服务器重定向到非 http(s) 网址 {_shown(e.url)}，已拒绝",
                            f"the server redirected to a URL that is not http(s), {_shown(e.url)}; refused",
                            path=shown) from None
    except urllib.error.HTTPError as e:
        e.close()
        raise InputNotFound(f"服务器返回 HTTP {e.code}（{_shown(str(e.reason))}）",
                            f"the server answered HTTP {e.code} ({_shown(str(e.reason))})", path=shown) from None
    except urllib.error.URLError as e:
        if isinstance(e.reason, (socket.timeout, TimeoutError)):
            raise _timeout(seconds, shown) from None
        why = _shown(str(e.reason))
        raise InputNotFound(f"无法下载（{why}）", f"cannot download the document ({why})", path=shown) from None
    except TimeoutError:
        raise _timeout(seconds, shown) from None
    except (http.client.HTTPException, OSError, ValueError) as e:
        why = _shown(f"{type(e).__name__}: {e}")
        raise InputNotFound(f"无法下载（{why}）", f"cannot download the document ({why})", path=shown) from None
    if response is None:                               # no handler for the scheme: never happens for http(s)
        raise InputNotFound("只能下载 http 或 https 网址", "only http and https URLs can be fetched", path=shown)
    with response:
        headers = response.headers
        length = headers.get("Content-Length", "")
        if length.strip().isdigit() and int(length) > max_bytes:
            raise _too_large(int(length), max_bytes, shown)
        encoding = (headers.get("Content-Encoding") or "identity").strip().lower()
        if encoding not in ("identity", "gzip", "x-gzip", "deflate"):
            raise InputNotFound(f"服务器使用了不支持的内容编码 {_shown(encoding)}",
                                f"the server used an unsupported content encoding, {_shown(encoding)}", path=shown)
        inflate = None if encoding == "identity" else zlib.decompressobj(47 if "gzip" in encoding else 15)
        read = getattr(response, "read1", None) or response.read
        chunks, size = [], 0
        try:
            while True:
                if time.monotonic() > deadline:
                    raise _timeout(seconds, shown)
                chunk = read(CHUNK)
                if not chunk:
                    break
                if inflate is not None:
                    chunk = inflate.decompress(chunk, max_bytes + 1 - size)
                size += len(chunk)
                if size > max_bytes:
                    raise _too_large(f"> {max_bytes}", max_bytes, shown)
                chunks.append(chunk)
            if inflate is not None:
                tail = inflate.flush()
                size += len(tail)
                if size > max_bytes:
                    raise _too_large(f"> {max_bytes}", max_bytes, shown)
                chunks.append(tail)
        except TimeoutError:
            raise _timeout(seconds, shown) from None
        except zlib.error as e:
            raise InputNotFound(f"服务器发送的压缩数据已损坏（{e}）", f"the server sent damaged compressed data ({e})",
                                path=shown) from None
        except (http.client.HTTPException, OSError) as e:
            why = _shown(f"{type(e).__name__}: {e}")
            raise InputNotFound(f"下载中断（{why}）", f"the download broke off ({why})", path=shown) from None
        name = _name(url, response.geturl() or url, headers)
    return Source(b"".join(chunks), name)
