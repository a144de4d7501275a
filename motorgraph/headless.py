"""Headless Chromium, driven over the DevTools protocol with nothing but the standard library.

Used to turn the HTML pictures into PNGs (`motorgraph viz --png`, `motorgraph screenshot`)
and by the tests to check that a picture draws with the network switched off and logs no
console errors.

    with Chromium() as browser:
        shot = browser.render("out/overview.html", width=1600, height=1000, offline=True)
        shot.png           # PNG bytes
        shot.errors        # console errors and uncaught exceptions, as text
        shot.requests      # every URL the page asked for that is not file:, data: or blob:

Chromium is Debian's `chromium` (or CHROMIUM=/path/to/chrome); it runs with
--headless --no-sandbox --disable-gpu --disable-background-networking and a fresh profile
in a temporary folder, which is removed afterwards.
"""

from __future__ import annotations

import base64
import json
import os
import shutil
import signal
import socket
import struct
import subprocess
import tempfile
import time
import urllib.parse
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Callable

from motorgraph.errors import MotorgraphError

INSTALL_HINT = ("install it with `apt-get install -y chromium` (Debian/Ubuntu), or set CHROMIUM to "
                "the path of a Chromium or Chrome binary")
CANDIDATES = ("chromium", "chromium-browser", "google-chrome", "google-chrome-stable", "chrome")


class BrowserError(MotorgraphError):
    pass


def find_chromium() -> str:
    """The Chromium binary: $CHROMIUM, /usr/bin/chromium, or the first on PATH."""
    from motorgraph.settings import get_settings

    env = get_settings().chromium
    if env:
        if shutil.which(env):
            return shutil.which(env)  # type: ignore[return-value]
        raise BrowserError(f"CHROMIUM={env!r} is not an executable; {INSTALL_HINT}")
    for name in CANDIDATES:
        found = shutil.which(name)
        if found:
            return found
    raise BrowserError(f"headless Chromium is needed and was not found; {INSTALL_HINT}")


# ---- a minimal WebSocket client (RFC 6455, client side, text frames) --------------------
class _WebSocket:
    def __init__(self, url: str, timeout: float = 30.0):
        parts = urllib.parse.urlsplit(url)
        self.sock = socket.create_connection((parts.hostname, parts.port or 80), timeout=timeout)
        key = base64.b64encode(os.urandom(16)).decode()
        path = parts.path + (f"?{parts.query}" if parts.query else "")
        request = (f"GET {path} HTTP/1.1\r\nHost: {parts.hostname}:{parts.port}\r\n"
                   "Upgrade: websocket\r\nConnection: Upgrade\r\n"
                   f"Sec-WebSocket-Key: {key}\r\nSec-WebSocket-Version: 13\r\n\r\n")
        self.sock.sendall(request.encode())
        head = b""
        while b"\r\n\r\n" not in head:
            chunk = self.sock.recv(4096)
            if not chunk:
                raise BrowserError("Chromium closed the DevTools connection during the handshake")
            head += chunk
        head, _, self.buf = head.partition(b"\r\n\r\n")
        if b" 101 " not in head.split(b"\r\n", 1)[0]:
            raise BrowserError(f"DevTools handshake failed: {head.splitlines()[0]!r}")

    def _read(self, n: int) -> bytes:
        while len(self.buf) < n:
            chunk = self.sock.recv(max(65536, n - len(self.buf)))
            if not chunk:
                raise BrowserError("Chromium closed the DevTools connection")
            self.buf += chunk
        out, self.buf = self.buf[:n], self.buf[n:]
        return out

    def send(self, text: str) -> None:
        payload = text.encode()
        header = bytearray([0x81])
        n = len(payload)
        if n < 126:
            header.append(0x80 | n)
        elif n < 65536:
            header.append(0x80 | 126)
            header += struct.pack(">H", n)
        else:
            header.append(0x80 | 127)
            header += struct.pack(">Q", n)
        mask = os.urandom(4)
        header += mask
        masked = bytes(b ^ mask[i % 4] for i, b in enumerate(payload))
        self.sock.sendall(bytes(header) + masked)

    def recv(self) -> str:
        message = b""
        while True:
            b0, b1 = self._read(2)
            opcode, n = b0 & 0x0F, b1 & 0x7F
            if n == 126:
                n = struct.unpack(">H", self._read(2))[0]
            elif n == 127:
                n = struct.unpack(">Q", self._read(8))[0]
            mask = self._read(4) if b1 & 0x80 else None
            data = self._read(n)
            if mask:
                data = bytes(b ^ mask[i % 4] for i, b in enumerate(data))
            if opcode == 0x8:
                raise BrowserError("Chromium closed the DevTools connection")
            if opcode == 0x9:  # ping: answer with a (masked, empty) pong
                self.sock.sendall(bytes([0x8A, 0x80]) + os.urandom(4))
                continue
            if opcode in (0x0, 0x1, 0x2):
                message += data
                if b0 & 0x80:
                    return message.decode("utf-8", errors="replace")

    def close(self) -> None:
        try:
            self.sock.sendall(bytes([0x88, 0x80]) + os.urandom(4))
        except OSError:
            pass
        self.sock.close()


# ---- one page, over CDP ----------------------------------------------------------------
class Page:
    def __init__(self, ws_url: str):
        self.ws = _WebSocket(ws_url)
        self.next_id = 0
        self.events: list[dict] = []
        self.listeners: list[Callable[[dict], None]] = []

    def call(self, method: str, timeout: float = 60.0, **params: Any) -> dict:
        self.next_id += 1
        my_id = self.next_id
        self.ws.send(json.dumps({"id": my_id, "method": method, "params": params}))
        deadline = time.monotonic() + timeout
        while True:
            if time.monotonic() > deadline:
                raise BrowserError(f"Chromium did not answer {method} within {timeout:g}s")
            msg = json.loads(self.ws.recv())
            if msg.get("id") == my_id:
                if "error" in msg:
                    raise BrowserError(f"{method}: {msg['error'].get('message')}")
                return msg.get("result", {})
            if "method" in msg:
                self._event(msg)

    def _event(self, msg: dict) -> None:
        self.events.append(msg)
        for fn in self.listeners:
            fn(msg)

    def pump(self, seconds: float) -> None:
        """Receive events for `seconds` (the page keeps running meanwhile)."""
        deadline = time.monotonic() + seconds
        self.ws.sock.settimeout(0.2)
        try:
            while time.monotonic() < deadline:
                try:
                    msg = json.loads(self.ws.recv())
                except (socket.timeout, TimeoutError):
                    continue
                if "method" in msg:
                    self._event(msg)
        finally:
            self.ws.sock.settimeout(30.0)

    def evaluate(self, expression: str, timeout: float = 30.0) -> Any:
        res = self.call("Runtime.evaluate", timeout=timeout, expression=expression,
                        returnByValue=True, awaitPromise=True)
        if "exceptionDetails" in res:
            raise BrowserError(f"script failed: {res['exceptionDetails'].get('text')}")
        return res.get("result", {}).get("value")

    def wait_for(self, expression: str, timeout: float = 20.0, interval: float = 0.25) -> bool:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.evaluate(expression):
                return True
            self.pump(interval)
        return False

    def close(self) -> None:
        self.ws.close()


@dataclass
class Shot:
    """What rendering a page produced."""

    png: bytes = b""
    errors: list[str] = field(default_factory=list)     # console errors and uncaught exceptions
    warnings: list[str] = field(default_factory=list)
    requests: list[str] = field(default_factory=list)   # URLs other than file:, data:, blob:
    title: str = ""
    value: Any = None                                   # what `extract` evaluated to


def _console_text(params: dict) -> str:
    parts = []
    for arg in params.get("args", []):
        if "value" in arg:
            parts.append(str(arg["value"]))
        else:
            parts.append(arg.get("description") or arg.get("type", ""))
    return " ".join(parts)


class Chromium:
    """A headless Chromium process with a throw-away profile; use as a context manager."""

    def __init__(self, binary: str | None = None, start_timeout: float = 30.0):
        self.binary = binary or find_chromium()
        self.start_timeout = start_timeout
        self.proc: subprocess.Popen | None = None
        self.profile: str | None = None
        self.port: int | None = None

    def __enter__(self) -> "Chromium":
        self.start()
        return self

    def __exit__(self, *exc) -> None:
        self.stop()

    def start(self) -> None:
        self.profile = tempfile.mkdtemp(prefix="motorgraph-chromium-")
        cmd = [
            self.binary, "--headless", "--no-sandbox", "--disable-gpu",
            "--disable-background-networking", "--disable-component-update", "--disable-sync",
            "--disable-default-apps", "--no-first-run", "--no-default-browser-check",
            "--mute-audio", "--hide-scrollbars", "--disable-extensions",
            "--remote-debugging-address=127.0.0.1", "--remote-debugging-port=0",
            f"--user-data-dir={self.profile}", "about:blank",
        ]
        self.proc = subprocess.Popen(cmd, stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL,
                                     stderr=subprocess.DEVNULL, start_new_session=True)
        port_file = Path(self.profile) / "DevToolsActivePort"
        deadline = time.monotonic() + self.start_timeout
        while time.monotonic() < deadline:
            if self.proc.poll() is not None:
                raise BrowserError(f"Chromium ({self.binary}) exited at start-up with code "
                                   f"{self.proc.returncode}")
            if port_file.exists():
                lines = port_file.read_text().split()
                if lines:
                    self.port = int(lines[0])
                    return
            time.sleep(0.1)
        self.stop()
        raise BrowserError(f"Chromium ({self.binary}) did not open its DevTools port within "
                           f"{self.start_timeout:g}s")

    def stop(self) -> None:
        if self.proc is not None:
            if self.proc.poll() is None:
                self.proc.terminate()
                try:
                    self.proc.wait(10)
                except subprocess.TimeoutExpired:
                    self.proc.kill()
                    self.proc.wait()
            # Chromium's helpers (renderer, GPU, zygote) share the process group we started.
            try:
                os.killpg(self.proc.pid, signal.SIGKILL)
            except (ProcessLookupError, PermissionError):
                pass
        self.proc = None
        if self.profile:
            shutil.rmtree(self.profile, ignore_errors=True)
            self.profile = None

    def _http(self, path: str, method: str = "GET") -> Any:
        import http.client

        conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=30)
        try:
            conn.request(method, path)
            return json.loads(conn.getresponse().read().decode())
        finally:
            conn.close()

    def new_page(self) -> Page:
        target = self._http("/json/new?about:blank", method="PUT")
        return Page(target["webSocketDebuggerUrl"])

    # ---- the one thing callers want -----------------------------------------------------
    def render(self, url_or_path: str | Path, *, width: int = 1400, height: int = 900,
               scale: float = 1.0, offline: bool = True, ready: str | None = None,
               settle: float = 1.0, timeout: float = 30.0, screenshot: bool = True,
               before_shot: str | None = None, extract: str | None = None) -> Shot:
        """Load a page, wait until `ready` (a JS expression) is true, then `settle` seconds.

        With `offline`, the page has no network: every http(s)/ws request fails, and any
        such request is still recorded in `Shot.requests`.
        """
        url = str(url_or_path)
        if "://" not in url:
            url = Path(url).resolve().as_uri()
        page = self.new_page()
        shot = Shot()

        def listen(msg: dict) -> None:
            method, params = msg["method"], msg.get("params", {})
            if method == "Runtime.consoleAPICalled":
                text = _console_text(params)
                if params.get("type") in ("error", "assert"):
                    shot.errors.append(f"console.{params.get('type')}: {text}")
                elif params.get("type") == "warning":
                    shot.warnings.append(text)
            elif method == "Runtime.exceptionThrown":
                det = params.get("exceptionDetails", {})
                desc = (det.get("exception") or {}).get("description") or det.get("text", "")
                shot.errors.append(f"uncaught: {desc}")
            elif method == "Log.entryAdded":
                entry = params.get("entry", {})
                if entry.get("level") == "error":
                    shot.errors.append(f"{entry.get('source')}: {entry.get('text')} {entry.get('url', '')}".strip())
            elif method == "Network.requestWillBeSent":
                req_url = params.get("request", {}).get("url", "")
                if not req_url.startswith(("file:", "data:", "blob:", "about:")):
                    shot.requests.append(req_url)

        page.listeners.append(listen)
        try:
            for domain in ("Page", "Runtime", "Log", "Network"):
                page.call(f"{domain}.enable")
            if offline:
                page.call("Network.emulateNetworkConditions", offline=True, latency=0,
                          downloadThroughput=-1, uploadThroughput=-1)
            page.call("Emulation.setDeviceMetricsOverride", width=width, height=height,
                      deviceScaleFactor=scale, mobile=False)
            page.call("Page.navigate", url=url)
            if not page.wait_for("document.readyState === 'complete'", timeout=timeout):
                raise BrowserError(f"{url} did not finish loading within {timeout:g}s")
            if ready and not page.wait_for(ready, timeout=timeout):
                raise BrowserError(f"{url}: the page did not become ready ({ready}) within {timeout:g}s; "
                                   f"errors: {shot.errors or 'none'}")
            page.pump(settle)
            if before_shot:
                page.evaluate(before_shot)
                page.pump(0.5)
            shot.title = page.evaluate("document.title") or ""
            if extract:
                shot.value = page.evaluate(extract)
            if screenshot:
                data = page.call("Page.captureScreenshot", format="png", captureBeyondViewport=False)
                shot.png = base64.b64decode(data["data"])
        finally:
            page.close()
        return shot


def render_png(html: str | Path, png: str | Path, *, width: int = 1400, height: int = 900,
               scale: float = 1.0, ready: str | None = None, settle: float = 1.0,
               before_shot: str | None = None) -> Shot:
    """Render a local HTML file (offline) to a PNG file; raises if the page logged errors."""
    with Chromium() as browser:
        shot = browser.render(html, width=width, height=height, scale=scale, ready=ready,
                              settle=settle, before_shot=before_shot)
    if shot.errors:
        raise BrowserError(f"{html} logged errors in Chromium: " + "; ".join(shot.errors[:5]))
    Path(png).parent.mkdir(parents=True, exist_ok=True)
    Path(png).write_bytes(shot.png)
    return shot
