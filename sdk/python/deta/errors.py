"""Errors raised by the client.

`DetaError` subclasses `urllib.error.HTTPError` because SDK 1.2.0 raised that type for every
unexpected status, so `except urllib.error.HTTPError as e: e.code` keeps working.
"""
import io
import json
import urllib.error
from typing import List, Optional


class DetaError(urllib.error.HTTPError):
    """An HTTP status other than 200/201/202/207 (and other than a 404 the method handles).

    Attributes: ``status`` (= ``code``), ``errors`` (the API's ``errors`` list, maybe empty),
    ``body`` (the raw response bytes) and ``url``.
    """

    def __init__(self, url: str, status: int, reason: str, headers, body: bytes,
                 message: Optional[str] = None):
        self.body = body
        self.errors = _errors_of(body)
        detail = "; ".join(self.errors) or reason or "request failed"
        super().__init__(url, status, detail, headers, io.BytesIO(body))
        self._message = message

    def __str__(self) -> str:
        if self._message is not None:
            return self._message
        return f"HTTP Error {self.code}: {self.msg}"

    @property
    def status(self) -> int:
        return self.code

    def __reduce__(self):  # picklable despite the file object
        return (_rebuild, (self.url, self.code, self.msg, self.body, self._message))


def _rebuild(url, status, reason, body, message):
    return DetaError(url, status, reason, {}, body, message)


def _errors_of(body: bytes) -> List[str]:
    try:
        payload = json.loads(body)
    except (ValueError, UnicodeDecodeError):
        return []
    errors = payload.get("errors") if isinstance(payload, dict) else None
    if isinstance(errors, list):
        return [str(e) for e in errors]
    return []
