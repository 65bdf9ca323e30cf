"""hearth_serve: the stdlib HTTP/1.1 server Hearth runs for Python micros without a ``run`` command.

``python -m hearth_serve main:app`` imports ``app`` from ``main.py`` in the current directory and
serves it as ASGI 3.0 (FastAPI, Starlette; lifespan included) or WSGI (Flask), whichever it is.
"""
__version__ = "1.0.0"
