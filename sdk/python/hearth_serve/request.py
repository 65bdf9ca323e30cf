"""HTTP/1.1 request heads (RFC 9112): parsing, validation and body framing."""
import re
from typing import List, Optional, Tuple

MAX_HEAD_BYTES = 64 * 1024

_TOKEN = rb"[!#$%&'*+\-.^_`|~0-9A-Za-z]+"
_METHOD = re.compile(_TOKEN)
_FIELD = re.compile(rb"(" + _TOKEN + rb"):[ \t]*([^\x00-\x08\x0a-\x1f\x7f]*?)[ \t]*")
_TARGET_BAD = re.compile(rb"[\x00-\x20\x7f]")
_VERSION = re.compile(rb"HTTP/(\d)\.(\d)")

Headers = List[Tuple[bytes, bytes]]


class ProtocolError(Exception):
    """A request the server answers itself with ``status`` and closes the connection."""

    def __init__(self, status: int, message: str):
        super().__init__(message)
        self.status = status
        self.message = message


class RequestHead:
    """A parsed request line and header block.

    ``headers`` keeps order and duplicates, names lowercased.  ``content_length`` is None for a
    chunked body; ``chunked`` tells which framing the body has.
    """

    __slots__ = ("method", "target", "raw_path", "query", "version", "headers", "content_length",
                 "chunked", "keep_alive", "expect_continue")

    def __init__(self, method: str, target: bytes, version: str, headers: Headers):
        self.method = method
        self.target = target
        self.version = version
        self.headers = headers
        path = target
        if target[:1] != b"/" and b"://" in target[:16]:  # absolute-form: drop scheme and authority
            rest = target.split(b"://", 1)[1]
            slash = rest.find(b"/")
            path = rest[slash:] if slash >= 0 else b"/"
        path, _, self.query = path.partition(b"?")
        self.raw_path = path.partition(b"#")[0]
        self.content_length: Optional[int] = 0
        self.chunked = False
        self.keep_alive = version == "1.1"
        self.expect_continue = False

    def header(self, name: bytes) -> Optional[bytes]:
        """The first value of ``name`` (lowercase), or None."""
        for key, value in self.headers:
            if key == name:
                return value
        return None


def parse_head(data: bytes) -> RequestHead:
    """Parses a head ending in CRLF CRLF; raises `ProtocolError` (400, 417, 501 or 505)."""
    lines = data[:-4].split(b"\r\n")
    line = lines[0]
    parts = line.split(b" ")
    if len(parts) != 3:
        raise ProtocolError(400, "malformed request line")
    method, target, version = parts
    if not _METHOD.fullmatch(method):
        raise ProtocolError(400, "malformed method")
    if not target or _TARGET_BAD.search(target):
        raise ProtocolError(400, "malformed request target")
    match = _VERSION.fullmatch(version)
    if not match:
        raise ProtocolError(400, "malformed HTTP version")
    if match.group(1) != b"1":
        raise ProtocolError(505, "HTTP version not supported")
    headers: Headers = []
    for field in lines[1:]:
        found = _FIELD.fullmatch(field)
        if not found:
            raise ProtocolError(400, "malformed header field")
        headers.append((found.group(1).lower(), found.group(2)))
    head = RequestHead(method.decode("ascii"), target, "1.1" if match.group(2) != b"0" else "1.0", headers)
    _apply_semantics(head)
    return head


def _apply_semantics(head: RequestHead) -> None:
    lengths, codings, connection = [], [], []
    for name, value in head.headers:
        if name == b"content-length":
            lengths += [v.strip() for v in value.split(b",")]
        elif name == b"transfer-encoding":
            codings += [v.strip().lower() for v in value.split(b",")]
        elif name == b"connection":
            connection += [v.strip().lower() for v in value.split(b",")]
        elif name == b"expect":
            if value.lower() != b"100-continue":
                raise ProtocolError(417, "unsupported expectation")
            head.expect_continue = head.version == "1.1"
    if codings:
        if lengths:
            raise ProtocolError(400, "both Content-Length and Transfer-Encoding")
        if head.version == "1.0":
            raise ProtocolError(400, "Transfer-Encoding in an HTTP/1.0 request")
        if codings[-1] != b"chunked":
            raise ProtocolError(400, "request body length unknown")
        if codings != [b"chunked"]:
            raise ProtocolError(501, "unsupported transfer coding")
        head.chunked, head.content_length = True, None
    elif lengths:
        if any(not v.isdigit() for v in lengths) or len(set(lengths)) != 1:
            raise ProtocolError(400, "malformed Content-Length")
        head.content_length = int(lengths[0])
    if b"close" in connection:
        head.keep_alive = False
    elif b"keep-alive" in connection:
        head.keep_alive = True
