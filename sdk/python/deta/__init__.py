"""Hearth's Deta-compatible Python client: the ``deta`` SDK 1.2.0 surface, standard library only.

    from deta import Deta
    db = Deta().Base("people")          # key from DETA_PROJECT_KEY
    db.put({"name": "Ada"}, "ada")

On a Hearth node, requests go to ``HEARTH_API_URL`` (set in every micro); elsewhere to
``DETA_BASE_HOST``/``DETA_DRIVE_HOST`` or Deta's public hosts, over HTTPS.
"""
from typing import TYPE_CHECKING, Optional

from .base import FetchResponse, _Base
from .drive import DriveStreamingBody, _Drive
from .errors import DetaError
from .util import Util, util
from .utils import _get_project_key_id

if TYPE_CHECKING:
    from ._async.client import _AsyncBase

__version__ = "1.2.0"

__all__ = ["Deta", "Base", "AsyncBase", "Drive", "FetchResponse", "DriveStreamingBody", "DetaError",
           "Util", "util", "__version__"]


def Base(name: str) -> _Base:
    """A Base using ``DETA_PROJECT_KEY``."""
    project_key, project_id = _get_project_key_id()
    return _Base(name, project_key, project_id)


def AsyncBase(name: str) -> "_AsyncBase":
    """An async Base using ``DETA_PROJECT_KEY`` (asyncio is imported only when this is used)."""
    from ._async.client import AsyncBase as make

    return make(name)


def Drive(name: str) -> _Drive:
    """A Drive using ``DETA_PROJECT_KEY``."""
    project_key, project_id = _get_project_key_id()
    return _Drive(name, project_key, project_id)


class Deta:
    """Entry point holding a project (data) key; ``project_id`` defaults to the key's prefix."""

    def __init__(self, project_key: Optional[str] = None, *, project_id: Optional[str] = None):
        self.project_key, self.project_id = _get_project_key_id(project_key, project_id)

    def Base(self, name: str, host: Optional[str] = None) -> _Base:
        return _Base(name, self.project_key, self.project_id, host)

    def AsyncBase(self, name: str, host: Optional[str] = None) -> "_AsyncBase":
        from ._async.client import _AsyncBase

        return _AsyncBase(name, self.project_key, self.project_id, host)

    def Drive(self, name: str, host: Optional[str] = None) -> _Drive:
        return _Drive(name=name, project_key=self.project_key, project_id=self.project_id, host=host)

    def send_email(self, to, subject, message, charset="UTF-8"):
        return send_email(to, subject, message, charset)


def send_email(to, subject, message, charset="UTF-8"):
    """Deta Cloud's mailer; it does not exist on Deta Space or Hearth."""
    raise RuntimeError("deta.send_email is a Deta Cloud service and is not available on Hearth")
