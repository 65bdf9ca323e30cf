"""Project key handling, as the Deta SDK 1.2.0 did it."""
import os
from typing import Optional, Tuple


def _get_project_key_id(project_key: Optional[str] = None,
                        project_id: Optional[str] = None) -> Tuple[str, str]:
    """Returns (project_key, project_id).

    The key comes from the argument or ``DETA_PROJECT_KEY``; the id defaults to the part of
    the key before the first ``_``.  Raises AssertionError like the SDK did.
    """
    key = project_key or os.getenv("DETA_PROJECT_KEY", "")
    if not key:
        raise AssertionError("No project key defined")
    pid = project_id or key.split("_")[0]
    if pid == key:
        raise AssertionError("Bad project key provided")
    return key, pid
