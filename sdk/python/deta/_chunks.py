"""Reading upload content in fixed-size byte chunks from str, bytes, paths and file objects."""
import io
from typing import Any, Optional


class ChunkReader:
    """Turns ``data`` (str, bytes-like, or a text/binary file object) into byte chunks.

    `read_chunk` returns exactly ``size`` bytes until the source runs out (text is encoded as
    UTF-8), so a short chunk means the end.
    """

    def __init__(self, data: Any):
        if isinstance(data, str):
            data = data.encode("utf-8")
        if isinstance(data, (bytes, bytearray, memoryview)):
            data = io.BytesIO(bytes(data))
        if not callable(getattr(data, "read", None)):
            raise TypeError(f"cannot upload a {type(data).__name__}: pass str, bytes, a file object or path=")
        self._source = data
        self._pending = b""
        self._eof = False

    def read_chunk(self, size: int) -> bytes:
        parts = [self._pending] if self._pending else []
        have = len(self._pending)
        self._pending = b""
        while have < size and not self._eof:
            block = self._source.read(size - have)
            if block is None:  # a non-blocking raw stream with nothing yet
                continue
            if not block:
                self._eof = True
                break
            if isinstance(block, str):
                block = block.encode("utf-8")
            parts.append(bytes(block))
            have += len(block)
        chunk = b"".join(parts)
        if len(chunk) > size:  # text encoded to more bytes than characters read
            chunk, self._pending = chunk[:size], chunk[size:]
        return chunk


def open_source(data: Any, path: Optional[str]):
    """(reader, file to close or None) for ``Drive.put``'s ``data`` or ``path``."""
    if path is not None:
        handle = open(path, "rb")
        return ChunkReader(handle), handle
    return ChunkReader(data), None
