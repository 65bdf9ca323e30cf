"""Importing ``MODULE:ATTR`` and telling ASGI apps from WSGI apps."""
import functools
import importlib
import inspect
import os
import sys
import traceback
from typing import Any


class LoadError(Exception):
    """The app could not be imported; the message says why (with the traceback if any)."""


def load_app(spec: str) -> Any:
    """Imports ``module:attr`` (attr may be dotted; default ``app``) with the cwd first on sys.path."""
    module_name, _, attr = spec.partition(":")
    attr = attr or "app"
    if not module_name:
        raise LoadError(f"expected MODULE:ATTR, got {spec!r}")
    cwd = os.getcwd()
    if not sys.path or sys.path[0] != cwd:
        sys.path.insert(0, cwd)
    try:
        module = importlib.import_module(module_name)
    except BaseException as error:  # noqa: B902 - anything an import runs can fail
        if isinstance(error, KeyboardInterrupt):
            raise
        details = "".join(traceback.format_exception(type(error), error, error.__traceback__))
        raise LoadError(f"could not import module {module_name!r} (from {cwd}):\n{details}") from None
    target: Any = module
    for part in attr.split("."):
        try:
            target = getattr(target, part)
        except AttributeError:
            raise LoadError(f"module {module_name!r} has no attribute {attr!r}") from None
    if not callable(target):
        raise LoadError(f"{spec} is a {type(target).__name__}, not an ASGI or WSGI application")
    return target


def is_asgi(app: Any) -> bool:
    """ASGI if calling the app gives a coroutine: an ``async def`` function or an object whose
    ``__call__`` is ``async def``; a plain callable taking three arguments counts too."""
    if _is_coroutine_function(app):
        return True
    call = getattr(type(app), "__call__", None)
    if not inspect.isfunction(app) and not inspect.ismethod(app) and _is_coroutine_function(call):
        return True
    try:
        params = inspect.signature(app).parameters.values()
    except (TypeError, ValueError):
        return False
    positional = [p for p in params if p.kind in (p.POSITIONAL_ONLY, p.POSITIONAL_OR_KEYWORD)]
    return len(positional) == 3 and not any(p.kind == p.VAR_POSITIONAL for p in params)


def _is_coroutine_function(obj: Any) -> bool:
    while isinstance(obj, functools.partial):
        obj = obj.func
    return inspect.iscoroutinefunction(obj) or inspect.iscoroutinefunction(getattr(obj, "__func__", None))
