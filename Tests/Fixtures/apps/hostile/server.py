"""Hostile fixture: probes and abuses the sandbox on request (stdlib only).

Every probe answers `{"ok": bool, ...}`: `ok` says whether the attempt succeeded.
"""
import json
import os
import signal
import socket
import sys
import threading
import time
import urllib.parse
import urllib.request
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer


def attempt(action):
    try:
        return {"ok": True, "result": action()}
    except Exception as error:  # the failure is the point
        return {"ok": False, "error": f"{type(error).__name__}: {error}"}


def read(path):
    with open(path, "rb") as handle:
        return handle.read(200).decode("latin-1")


def write(path):
    with open(path, "w") as handle:
        handle.write("hostile")
    return path


def connect(host, port):
    with socket.create_connection((host, int(port)), timeout=3):
        return f"connected to {host}:{port}"


def fetch(url, proxy, auth):
    handlers = [] if proxy == "env" else [urllib.request.ProxyHandler({})]
    opener = urllib.request.build_opener(*handlers)
    request = urllib.request.Request(url)
    if auth == "project":
        request.add_header("X-API-Key", os.environ["DETA_PROJECT_KEY"])
    try:
        with opener.open(request, timeout=10) as response:
            return {"status": response.status, "body": response.read(300).decode("latin-1")}
    except urllib.error.HTTPError as error:
        return {"status": error.code, "body": error.read(300).decode("latin-1")}


def processes():
    found = []
    for entry in os.listdir("/proc"):
        if entry.isdigit():
            try:
                found.append({"pid": int(entry), "cmd": read(f"/proc/{entry}/cmdline").replace("\0", " ").strip()})
            except OSError:
                pass
    return found


def identity():
    status = dict(line.split(":\t", 1) for line in read_all("/proc/self/status").splitlines() if ":\t" in line)
    return {
        "uid": os.getuid(), "gid": os.getgid(), "groups": os.getgroups(), "hostname": socket.gethostname(),
        "cap_eff": status.get("CapEff", "").strip(), "cap_bnd": status.get("CapBnd", "").strip(),
        "no_new_privs": status.get("NoNewPrivs", "").strip(), "port": os.environ.get("PORT"),
        "home": os.environ.get("HOME"), "tmpdir": os.environ.get("TMPDIR"), "cwd": os.getcwd(),
        "root_entries": sorted(os.listdir("/")), "pid": os.getpid(),
    }


def read_all(path):
    with open(path) as handle:
        return handle.read()


def fork_bomb():
    def bomb():
        time.sleep(0.2)  # the answer goes out first
        while True:
            try:
                os.fork()
            except OSError:
                time.sleep(0.01)
    threading.Thread(target=bomb, daemon=True).start()
    return "forking"


def hog(megabytes):
    def grow():
        time.sleep(0.2)
        chunks = []
        for _ in range(megabytes):
            chunks.append(bytearray(1024 * 1024))  # touched: bytearray zero-fills
    threading.Thread(target=grow, daemon=True).start()
    return f"allocating {megabytes} MB"


def spin(threads, seconds):
    def burn():
        end = time.time() + seconds
        while time.time() < end:
            pass
    for _ in range(threads):
        # Processes, not threads: the GIL would hold a Python process to one core anyway.
        if os.fork() == 0:
            burn()
            os._exit(0)
    return f"{threads} spinners for {seconds} s"


def flood(seconds):
    def write_lines():
        line = ("x" * 200 + "\n").encode()
        end = time.time() + seconds
        while time.time() < end:
            os.write(1, line * 64)
    threading.Thread(target=write_lines, daemon=True).start()
    return f"flooding for {seconds} s"


def fill_tmp(megabytes):
    written = 0
    block = b"\0" * (1024 * 1024)
    try:
        with open("/tmp/fill", "wb") as handle:
            for _ in range(megabytes):
                handle.write(block)
                handle.flush()
                written += 1
            os.fsync(handle.fileno())
    except OSError as error:
        return {"written_mb": written, "error": str(error)}
    return {"written_mb": written}


class Handler(BaseHTTPRequestHandler):
    def do_GET(self):
        url = urllib.parse.urlsplit(self.path)
        query = {key: values[0] for key, values in urllib.parse.parse_qs(url.query).items()}
        routes = {
            "/whoami": lambda: {"ok": True, "result": identity()},
            "/read": lambda: attempt(lambda: read(query["path"])),
            "/list": lambda: attempt(lambda: sorted(os.listdir(query["path"]))),
            "/write": lambda: attempt(lambda: write(query["path"])),
            "/connect": lambda: attempt(lambda: connect(query["host"], query["port"])),
            "/fetch": lambda: attempt(lambda: fetch(query["url"], query.get("proxy", "none"), query.get("auth"))),
            "/procs": lambda: {"ok": True, "result": processes()},
            "/fork-bomb": lambda: attempt(fork_bomb),
            "/hog": lambda: attempt(lambda: hog(int(query["mb"]))),
            "/spin": lambda: attempt(lambda: spin(int(query.get("threads", "2")), float(query["seconds"]))),
            "/flood": lambda: attempt(lambda: flood(float(query["seconds"]))),
            "/fill-tmp": lambda: {"ok": True, "result": fill_tmp(int(query["mb"]))},
            "/ignore-term": lambda: {"ok": True, "result": IGNORING.append(True) or "ignoring SIGTERM"},
        }
        route = routes.get(url.path)
        body = json.dumps(route() if route else {"ok": False, "error": "no such probe"}).encode()
        self.send_response(200 if route else 404)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args):
        pass


IGNORING = []


def on_term(number, frame):
    if not IGNORING:
        sys.exit(0)


signal.signal(signal.SIGTERM, on_term)  # handlers can only be set here, in the main thread
signal.signal(signal.SIGCHLD, signal.SIG_IGN)  # spinners reap themselves
print("hostile fixture listening", flush=True)
ThreadingHTTPServer(("0.0.0.0", int(os.environ["PORT"])), Handler).serve_forever()
