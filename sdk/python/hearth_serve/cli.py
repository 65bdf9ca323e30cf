"""``python -m hearth_serve MODULE:ATTR``: argument parsing and startup."""
import argparse
import asyncio
import os
import sys
from typing import List, Optional

from .loader import LoadError, is_asgi, load_app
from .server import Config, Server


def parse_args(argv: Optional[List[str]]) -> argparse.Namespace:
    parser = argparse.ArgumentParser(
        prog="python -m hearth_serve",
        description="Serve a Python ASGI or WSGI app over HTTP/1.1 (how Hearth runs micros without `run`).")
    parser.add_argument("app", metavar="MODULE:ATTR", help="the app to serve, e.g. main:app")
    parser.add_argument("--host", default="0.0.0.0", help="address to listen on (default 0.0.0.0)")
    parser.add_argument("--port", type=int, default=int(os.environ.get("PORT") or 8080),
                        help="port to listen on (default $PORT, else 8080)")
    parser.add_argument("--interface", choices=("auto", "asgi", "wsgi"), default="auto",
                        help="app interface (default: detect)")
    parser.add_argument("--threads", type=int, default=16, help="worker threads for WSGI apps (default 16)")
    parser.add_argument("--keep-alive", type=float, default=75.0, help="idle keep-alive timeout in seconds")
    parser.add_argument("--graceful-timeout", type=float, default=30.0,
                        help="seconds to let requests finish after SIGTERM")
    parser.add_argument("--forwarded-allow-ips",
                        default=os.environ.get("FORWARDED_ALLOW_IPS", "127.0.0.1,::1"),
                        help="peers whose X-Forwarded-Proto/-For are trusted ('*' for all)")
    parser.add_argument("--no-access-log", action="store_true", help="do not log each request")
    return parser.parse_args(argv)


def main(argv: Optional[List[str]] = None) -> int:
    args = parse_args(argv)
    try:
        app = load_app(args.app)
    except LoadError as error:
        print(f"hearth_serve: {error}", file=sys.stderr, flush=True)
        return 1
    interface = args.interface if args.interface != "auto" else ("asgi" if is_asgi(app) else "wsgi")
    config = Config(args.app, host=args.host, port=args.port, threads=max(1, args.threads),
                    keep_alive=args.keep_alive, graceful_timeout=args.graceful_timeout,
                    access_log=not args.no_access_log, forwarded_allow_ips=args.forwarded_allow_ips)
    try:
        server = Server(app, interface, config)
    except ValueError as error:
        print(f"hearth_serve: {error}", file=sys.stderr, flush=True)
        return 2
    try:
        status = asyncio.run(server.serve())
    except KeyboardInterrupt:
        status = 0
    if server.forced and server.wsgi is not None:
        # WSGI threads cut off at shutdown cannot be interrupted; do not wait for them at exit
        sys.stdout.flush()
        sys.stderr.flush()
        os._exit(status)
    return status
