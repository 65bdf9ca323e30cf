"""Deta Drive: named files (spec §2), SDK 1.2.0 surface."""
from typing import Any, List, Optional
from urllib.parse import quote, quote_plus, urlencode

from ._chunks import open_source
from ._http import Endpoint, Transport, resolve_endpoint
from ._streaming import DriveStreamingBody

__all__ = ["DriveStreamingBody", "UPLOAD_CHUNK_SIZE", "DRIVE_SERVICE_TIMEOUT"]

UPLOAD_CHUNK_SIZE = 1024 * 1024 * 10  # parts of a chunked upload; smaller files go in one request
DRIVE_SERVICE_TIMEOUT = 300


def _name_query(name: str, **extra: Any) -> str:
    query = "?name=" + quote_plus(name)
    return query + ("&" + urlencode(extra) if extra else "")


class _Drive:
    """A Drive; get one from ``Deta().Drive(name)`` or ``deta.Drive(name)``."""

    def __init__(self, name: Optional[str] = None, project_key: Optional[str] = None,
                 project_id: Optional[str] = None, host: Optional[str] = None):
        assert name, "No Drive name provided"
        assert project_key, "Project key must be provided"
        assert project_id, "Project id must be provided"
        self.name = name
        self._transport = Transport(resolve_endpoint("drive", host), project_key, project_id, name)

    @property
    def endpoint(self) -> Endpoint:
        """Where this Drive's requests go."""
        return self._transport.endpoint

    def _request(self, method: str, path: str, **kw):
        return self._transport.request(method, path, **kw)

    def get(self, name: str) -> Optional[DriveStreamingBody]:
        """The file as a `DriveStreamingBody`, or None if there is no such file."""
        assert name, "No name provided"
        _, res = self._request("GET", "/files/download" + _name_query(name), stream=True)
        if res is None:
            return None
        response, release = res
        return DriveStreamingBody(response, release)

    def delete_many(self, names: List[str]) -> dict:
        """Deletes up to 1000 files; returns ``{"deleted": [...], "failed": {name: reason}}``."""
        assert names, "Names is empty"
        assert len(names) <= 1000, "More than 1000 names to delete"
        _, res = self._request("DELETE", "/files", json_body={"names": list(names)})
        return res

    def delete(self, name: str) -> str:
        """Deletes one file (missing files count as deleted); returns its name."""
        assert name, "Name not provided or empty"
        failed = (self.delete_many([name]) or {}).get("failed")
        if failed:
            raise Exception(f"Failed to delete '{name}':{failed.get(name, failed)}")
        return name

    def list(self, limit: int = 1000, prefix: Optional[str] = None, last: Optional[str] = None) -> dict:
        """File names in ascending order: ``{"names": [...]}``, plus ``"paging": {"size", "last"}``
        when more names follow (pass ``last`` to continue)."""
        params: dict = {"limit": limit}
        if prefix:
            params["prefix"] = prefix
        if last:
            params["last"] = last
        _, res = self._request("GET", "/files?" + urlencode(params))
        return res

    def put(self, name: str, data: Any = None, *, path: Optional[str] = None,
            content_type: Optional[str] = None) -> str:
        """Stores a file and returns its name.

        ``data`` is str (stored as UTF-8), bytes or a file object; or give ``path`` of a local
        file.  Files under 10 MiB go in one request, larger ones as a chunked upload of 10 MiB
        parts that is aborted if a part fails.
        """
        assert name, "No name provided"
        assert path is not None or data is not None, "No data or path provided"
        assert path is None or data is None, "Both path and data provided"
        reader, opened = open_source(data, path)
        try:
            first = reader.read_chunk(UPLOAD_CHUNK_SIZE)
            if len(first) < UPLOAD_CHUNK_SIZE:
                self._request("POST", "/files" + _name_query(name), body=first, content_type=content_type)
            else:
                self._chunked_upload(name, first, reader, content_type)
        finally:
            if opened is not None:
                opened.close()
        return name

    def _chunked_upload(self, name: str, first: bytes, reader, content_type: Optional[str]) -> None:
        _, started = self._request("POST", "/uploads" + _name_query(name), body=b"", content_type=content_type)
        upload = "/uploads/" + quote(started["upload_id"], safe="")
        try:
            part, chunk = 1, first
            while chunk:
                self._request("POST", upload + "/parts" + _name_query(name, part=part), body=chunk,
                              content_type=content_type)
                part += 1
                chunk = reader.read_chunk(UPLOAD_CHUNK_SIZE)
        except BaseException:
            try:
                self._request("DELETE", upload + _name_query(name))
            except Exception:
                pass  # the original error matters more
            raise
        self._request("PATCH", upload + _name_query(name))
