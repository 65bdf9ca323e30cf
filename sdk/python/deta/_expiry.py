"""``expire_in`` / ``expire_at`` → the ``__expires`` attribute (Unix seconds)."""
import datetime
import time
from typing import Optional, Union

TTL_ATTRIBUTE = "__expires"

ExpireAt = Union[int, float, datetime.datetime, None]


def expires_timestamp(expire_in: Union[int, float, None] = None, expire_at: ExpireAt = None) -> Optional[int]:
    """The ``__expires`` value, or None when neither option is given.

    ``expire_in`` is seconds from now; ``expire_at`` a datetime (naive = local time) or a Unix
    timestamp.  Both given → ValueError; wrong types → TypeError (as SDK 1.2.0).
    """
    if expire_in and expire_at:
        raise ValueError("both expire_in and expire_at provided")
    if expire_in is not None and (isinstance(expire_in, bool) or not isinstance(expire_in, (int, float))):
        raise TypeError("expire_in should be an int or a float (seconds)")
    if expire_in:
        return int(time.time() + expire_in)
    if not expire_at:
        return None
    if isinstance(expire_at, datetime.datetime):
        return int(expire_at.replace(microsecond=0).timestamp())
    if isinstance(expire_at, bool) or not isinstance(expire_at, (int, float)):
        raise TypeError("expire_at should be one of int, float or datetime")
    return int(expire_at)


def insert_ttl(item: dict, ttl_attribute: str = TTL_ATTRIBUTE, expire_in=None, expire_at=None) -> None:
    """Sets ``item[ttl_attribute]`` from ``expire_in``/``expire_at`` when either is given."""
    value = expires_timestamp(expire_in, expire_at)
    if value is not None:
        item[ttl_attribute] = value
