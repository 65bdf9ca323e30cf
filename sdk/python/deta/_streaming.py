"""The body of a Drive download, read as it streams from the server."""
from typing import Callable, Iterator, Optional


class DriveStreamingBody:
    """A downloaded file, streamed: `read`, `iter_chunks`, `iter_lines`, `close`.

    Bytes come back exactly as stored.  The connection is reused once the body has been read to
    the end or `close` is called after that; closing earlier drops the connection.
    """

    def __init__(self, response, release: Optional[Callable[[bool], None]] = None):
        self.__stream = response
        self.__release = release

    @property
    def closed(self) -> bool:
        return self.__stream.closed

    @property
    def content_type(self) -> Optional[str]:
        """The stored content type."""
        return self.__stream.getheader("Content-Type")

    @property
    def content_length(self) -> Optional[int]:
        value = self.__stream.getheader("Content-Length")
        return int(value) if value and value.isdigit() else None

    def read(self, size: Optional[int] = -1) -> bytes:
        """Up to ``size`` bytes (all the rest with -1 or None)."""
        data = self.__stream.read(None if size is None or size < 0 else size)
        self._release_if_done()
        return data

    def iter_chunks(self, chunk_size: int = 1024) -> Iterator[bytes]:
        """Chunks of ``chunk_size`` bytes (the last may be shorter)."""
        while True:
            chunk = self.__stream.read(chunk_size)
            if not chunk:
                self._release_if_done()
                return
            yield chunk

    def iter_lines(self, chunk_size: int = 1024) -> Iterator[bytes]:
        """Lines split after ``b"\\n"`` only (``\\r`` is kept as data), each with its newline;
        a line longer than ``chunk_size`` comes in pieces of at most ``chunk_size`` bytes."""
        while True:
            line = self.__stream.readline(chunk_size)
            if not line:
                self._release_if_done()
                return
            yield line

    def _release_if_done(self) -> None:
        if self.__release is not None and self.__stream.isclosed():
            release, self.__release = self.__release, None
            release(True)

    def close(self) -> None:
        """Ends the download (and frees the connection)."""
        release, self.__release = self.__release, None
        if release is not None:
            release(self.__stream.isclosed())
        try:
            self.__stream.close()
        except Exception:
            pass

    def __enter__(self) -> "DriveStreamingBody":
        return self

    def __exit__(self, *exc) -> None:
        self.close()
