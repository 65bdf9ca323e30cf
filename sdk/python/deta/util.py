"""Update operations for ``Base.update``: ``base.util.increment(2)`` and friends."""
from typing import Any, Union


class Util:
    """Factory of update operations; every Base has one as ``base.util``."""

    class Trim:
        """Deletes the attribute."""

    class Increment:
        """Adds ``val`` (default 1; may be negative) to a number."""

        def __init__(self, value: Union[int, float, None] = None):
            self.val = 1 if value is None else value

    class Append:
        """Appends ``val`` (a list; a single value is wrapped) to a list."""

        def __init__(self, value: Any):
            self.val = value if isinstance(value, list) else [value]

    class Prepend:
        """Prepends ``val`` (a list; a single value is wrapped) to a list."""

        def __init__(self, value: Any):
            self.val = value if isinstance(value, list) else [value]

    def trim(self) -> "Util.Trim":
        return self.Trim()

    def increment(self, value: Union[int, float, None] = 1) -> "Util.Increment":
        return self.Increment(value)

    def append(self, value: Any) -> "Util.Append":
        return self.Append(value)

    def prepend(self, value: Any) -> "Util.Prepend":
        return self.Prepend(value)


util = Util()


def update_payload(updates: Union[dict, None]) -> dict:
    """The PATCH body: all five operations, empty ones included (as every SDK sends them)."""
    payload: dict = {"set": {}, "increment": {}, "append": {}, "prepend": {}, "delete": []}
    for attr, value in (updates or {}).items():
        if isinstance(value, Util.Trim):
            payload["delete"].append(attr)
        elif isinstance(value, Util.Increment):
            payload["increment"][attr] = value.val
        elif isinstance(value, Util.Append):
            payload["append"][attr] = value.val
        elif isinstance(value, Util.Prepend):
            payload["prepend"][attr] = value.val
        else:
            payload["set"][attr] = value
    return payload
