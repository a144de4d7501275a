"""Headless Chromium through Playwright: open a page with the network cut off, watch it, take PNGs.

Used by `motorgraph.pictures.html.to_png` (`motorgraph viz --png`, `motorgraph screenshot`) and by the
tests, which check that a picture draws offline without console errors and that Neo4j
Browser plays the guide.

    with launch() as browser, open_page(browser, "out/overview.html", width=1600, height=1000) as view:
        wait_until(view, "document.querySelector('canvas') !== null", timeout=30)
        png = view.page.screenshot()
    view.errors     # console errors and uncaught exceptions, as text
    view.requests   # every URL the page asked for other than file:, data:, blob: (all refused)

The browser is Debian's `chromium` (or the CHROMIUM setting), started by Playwright with
`executable_path`, never one that Playwright downloads; each launch has a fresh temporary
profile and each page its own throw-away context.
"""

from __future__ import annotations

import shutil
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Iterator

from motorgraph.errors import MotorgraphError

if TYPE_CHECKING:
    from playwright.sync_api import Browser, Page

INSTALL_HINT = ("install it with `apt-get install -y chromium` (Debian/Ubuntu), or set CHROMIUM to "
                "the path of a Chromium or Chrome binary")
CANDIDATES = ("chromium", "chromium-browser", "google-chrome", "google-chrome-stable", "chrome")
LAUNCH_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-quic",
               "--no-first-run", "--disable-component-update", "--disable-sync",
               "--disable-default-apps", "--disable-extensions", "--mute-audio", "--hide-scrollbars"]
LOCAL_SCHEMES = ("file:", "data:", "blob:", "about:")


class ChromiumError(MotorgraphError):
    pass


def find_chromium() -> str:
    """The Chromium binary: the CHROMIUM setting, else the first of CANDIDATES on PATH."""
    from motorgraph.settings import get_settings

    configured = get_settings().chromium
    if configured:
        found = shutil.which(configured)
        if not found:
            raise ChromiumError(f"CHROMIUM={configured!r} is not an executable; {INSTALL_HINT}")
        return found
    for name in CANDIDATES:
        found = shutil.which(name)
        if found:
            return found
    raise ChromiumError(f"headless Chromium is needed and was not found; {INSTALL_HINT}")


@contextmanager
def launch(binary: str | None = None) -> Iterator["Browser"]:
    """A headless Chromium, closed on exit. Playwright's sync API allows one of these at a time."""
    from playwright.sync_api import Error as PlaywrightError
    from playwright.sync_api import sync_playwright

    binary = binary or find_chromium()
    with sync_playwright() as pw:
        try:
            browser = pw.chromium.launch(executable_path=binary, headless=True, args=LAUNCH_ARGS)
        except PlaywrightError as exc:
            raise ChromiumError(f"Chromium ({binary}) did not start: {_first_line(exc)}") from None
        try:
            yield browser
        finally:
            browser.close()


@dataclass
class View:
    """An open page and what it has done so far."""

    page: "Page"
    errors: list[str] = field(default_factory=list)    # console errors and uncaught exceptions
    requests: list[str] = field(default_factory=list)  # refused URLs (not file:, data:, blob:)


@contextmanager
def open_page(browser: "Browser", url_or_path: str | Path, *, width: int = 1400, height: int = 900,
              scale: float = 1.0, allow: tuple[str, ...] = (), timeout: float = 30.0) -> Iterator[View]:
    """Load a page in a fresh context with no network, except URLs starting with one of `allow`.

    Without `allow` the context is offline as well. Every other request is refused and
    recorded in `View.requests`; the context is closed on exit.
    """
    from playwright.sync_api import Error as PlaywrightError

    url = str(url_or_path)
    if "://" not in url:
        url = Path(url).resolve().as_uri()
    context = browser.new_context(viewport={"width": width, "height": height},
                                  device_scale_factor=scale, offline=not allow)
    try:
        page = context.new_page()
        view = View(page)

        def gate(route) -> None:
            target = route.request.url
            if target.startswith(LOCAL_SCHEMES + tuple(allow)):
                route.continue_()
            else:
                view.requests.append(target)
                route.abort()

        def console(msg) -> None:
            if msg.type in ("error", "assert"):
                view.errors.append(f"console.{msg.type}: {msg.text}")

        context.route("**/*", gate)
        page.on("console", console)
        page.on("pageerror", lambda exc: view.errors.append(f"uncaught: {exc}"))
        try:
            page.goto(url, wait_until="load", timeout=timeout * 1000)
        except PlaywrightError as exc:
            raise ChromiumError(f"{url} did not load in Chromium: {_first_line(exc)}") from None
        yield view
    finally:
        context.close()


def wait_until(view: View, expression: str, *, timeout: float = 30.0, what: str | None = None) -> None:
    """Wait until the JavaScript `expression` is true on the page, else raise ChromiumError.

    `what` words the failure ("the graph did not draw"); by default it quotes `expression`.
    """
    from playwright.sync_api import TimeoutError as PlaywrightTimeout

    try:
        # As a function, not a string the page would eval: Neo4j Browser's CSP forbids eval.
        view.page.wait_for_function(f"() => ({expression})", timeout=timeout * 1000, polling=250)
    except PlaywrightTimeout:
        what = what or f"the page did not become ready ({expression})"
        raise ChromiumError(f"{view.page.url}: {what} within {timeout:g}s; "
                            f"errors: {view.errors or 'none'}") from None


def _first_line(exc: Exception) -> str:
    text = str(exc).strip()
    return text.splitlines()[0] if text else type(exc).__name__
