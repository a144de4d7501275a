"""Driving the served Neo4j Browser in headless Chromium, as a person does: connect with the local
server's password, click a guide's code block, run the editor, drop a file on the window.

Selectors are Browser 5's own `data-testid`s. A run is finished when its frame shows either
an error (`cypherFrameErrorMessage`) or its results (`frame-loaded-contents`); a frame that
runs several statements (`:param a => 1; :param b => 2`) lists each with its status. Only one
Playwright page is driven at a time, by the test that opened it.
"""

from __future__ import annotations

import base64
import re
from dataclasses import dataclass
from pathlib import Path

from motorgraph.pictures.png import ChromiumError, View, wait_until

OUT = Path(__file__).resolve().parent.parent / "out" / "browser"

# Frames already on the page are marked, so the next one to appear is the run's own.
_MARK = "() => document.querySelectorAll('[data-testid=frame]').forEach(f => f.dataset.seen = '1')"
_NEW_FRAME_DONE = """() => {
  const f = [...document.querySelectorAll('[data-testid=frame]')].find(f => !f.dataset.seen);
  if (!f) return null;
  if (f.querySelector('[data-testid=cypherFrameErrorMessage], [data-testid=frame-loaded-contents]')) return f;
  const list = f.querySelectorAll('[data-testid=multi-statement-list-icon]');
  if (list.length && [...list].every(i => !/waiting|pending/i.test(i.title))) return f;
  if (f.querySelector('[data-testid=rawParamData]')) return f;  // :params, :param
  const contents = f.querySelector('[data-testid=frameContents]');
  if (contents && /^ERROR/.test(contents.innerText.trim())) return f;  // a client command's error
  if (f.querySelector('[data-testid=frameCommand]') && /^:style/.test(f.innerText.trim())) return f;
  return null;
}"""
# A drop on Browser's window, the way its FileDrop reads one: a single file in a DataTransfer.
_DROP = """([name, b64]) => {
  const bytes = Uint8Array.from(atob(b64), c => c.charCodeAt(0));
  const dt = new DataTransfer();
  dt.items.add(new File([bytes], name));
  const target = document.querySelector('.filedrop');
  for (const type of ['dragenter', 'dragover', 'drop'])
    target.dispatchEvent(new DragEvent(type, {dataTransfer: dt, bubbles: true, cancelable: true}));
}"""


@dataclass
class Frame:
    """What a finished frame shows."""

    command: str
    error: str | None     # the error message, if the frame shows one
    records: int | None   # "Started streaming N records" of a Cypher frame, else None
    status: str           # the frame's status bar
    text: str             # the frame's visible text


def connect(view: View, address: str, user: str, password: str, timeout: float = 60) -> None:
    """Fill Browser's connect form and wait until it says it is connected."""
    page = view.page
    wait_until(view, "document.querySelector('[data-testid=password]') !== null", timeout=timeout,
               what="Browser showed no connect form")
    page.fill("[data-testid=boltaddress]", address)
    page.fill("[data-testid=username]", user)
    page.fill("[data-testid=password]", password)
    page.click("[data-testid=connect]")
    wait_until(view, "document.body.innerText.includes('You are connected as user')", timeout=timeout,
               what=f"Browser did not connect to {address} as {user}")


def type_in_editor(view: View, text: str) -> None:
    """Replace the main editor's text with `text` (as a paste would: no auto-closed brackets)."""
    page = view.page
    page.locator(".monaco-editor textarea").first.focus()
    page.keyboard.press("Control+A")
    page.keyboard.press("Delete")
    page.keyboard.insert_text(text)


def editor_text(view: View) -> str:
    return view.page.evaluate(
        "() => document.querySelector('.monaco-editor .view-lines').innerText").replace("\u00a0", " ")


def click_into_editor(view: View, block, timeout: float = 10) -> str:
    """Click a guide's code block, as a person does to copy it into the editor, and return the
    editor's text once it shows (the editor fills a moment after the click; read at once, it
    can still be empty)."""
    from motorgraph.pictures.png import wait_until

    block.click()
    wait_until(view, "/\\S/.test(document.querySelector('.monaco-editor .view-lines').innerText)",
               timeout=timeout, what="the clicked code block did not reach the editor")
    return editor_text(view)


def run_editor(view: View, timeout: float = 60, *, table: bool = True) -> Frame:
    """Press the editor's run button and read the frame it opens, once finished; with `table`,
    a result is shown as a table (which counts its records), else in the view Browser picks."""
    page = view.page
    page.evaluate(_MARK)
    page.click("[data-testid=editor-Run]")
    return _read_new_frame(view, timeout, table)


def run_favorite(view: View, name: str, timeout: float = 60) -> Frame:
    """Run a favorite of the Favorites drawer (already open) with its own run button."""
    page = view.page
    item = page.locator("[data-testid=savedScriptListItem]", has=page.get_by_test_id(f"scriptTitle-{name}"))
    item.hover()
    page.evaluate(_MARK)
    item.locator("button").last.click()
    return _read_new_frame(view, timeout, True)


def _read_new_frame(view: View, timeout: float, table: bool) -> Frame:
    from playwright.sync_api import TimeoutError as PlaywrightTimeout

    page = view.page
    try:
        handle = page.wait_for_function(_NEW_FRAME_DONE, timeout=timeout * 1000, polling=200).as_element()
    except PlaywrightTimeout:
        raise ChromiumError(f"no finished frame within {timeout:g}s after a run; errors: {view.errors or 'none'}") \
            from None
    error = handle.query_selector("[data-testid=cypherFrameErrorMessage]")
    status = handle.query_selector("[data-testid=frameStatusbar]")
    tab = handle.query_selector("[data-testid=cypherFrameSidebarTable]")
    if error is None:  # a client command's error (`:param`) has a heading, not the Cypher frame's box
        contents = handle.query_selector("[data-testid=frameContents]")
        text = contents.inner_text() if contents else ""
        if re.match(r"\s*ERROR", text):
            error = contents
    if error is None and status is not None and "Something went wrong" in status.inner_text():
        error = status
    if table and tab is not None and error is None:
        tab.click()  # the graph view has no status bar; the table view counts the records
    if tab is not None and error is None and (table or status is not None):
        try:  # the status bar is drawn a moment after the records
            page.wait_for_function("f => /\\S/.test((f.querySelector('[data-testid=frameStatusbar]') || {}).innerText || '')",
                                   arg=handle, timeout=10_000, polling=100)
        except PlaywrightTimeout:
            pass
        status = handle.query_selector("[data-testid=frameStatusbar]")
    status_text = status.inner_text() if status else ""
    found = re.search(r"Started streaming (\d+) records?", status_text)
    command = handle.query_selector("[data-testid=frameCommand]")
    return Frame(command=(command.inner_text() if command else "").replace("\u00a0", " ").strip(),
                 error=error.inner_text().strip() if error else None,
                 records=int(found.group(1)) if found else None, status=status_text,
                 text=handle.inner_text())


def drop_file(view: View, path: Path, name: str | None = None) -> None:
    """Drop a file on Browser's window, as dragging it from a file manager does."""
    data = base64.b64encode(Path(path).read_bytes()).decode("ascii")
    view.page.evaluate(_DROP, [name or Path(path).name, data])


def error_banner(view: View) -> str | None:
    """The message of Browser's error bar above the frames (a file it could not read...), if shown."""
    banner = view.page.query_selector("[data-testid=errorBanner]")
    return banner.inner_text().strip() if banner else None


def node_fills(view: View, command: str, count: int) -> dict[str, str]:
    """The fill colour of each node drawn in the graph view of the newest frame that ran
    `command`, by caption, once `count` nodes are drawn."""
    find = """(command) => [...document.querySelectorAll('[data-testid=frame]')].find(f => {
      const c = f.querySelector('[data-testid=frameCommand]');
      return c && c.innerText.replace(/\\u00a0/g, ' ').trim() === command; })"""
    drawn = f"(({find})({command!r}) || document).querySelectorAll('svg g.node circle.b-outline').length >= {count}"
    wait_until(view, drawn, what=f"the graph view did not draw {count} nodes for {command}")
    pairs = view.page.evaluate(f"""(command) => [...({find})(command).querySelectorAll('svg g.node')].map(g =>
        [g.textContent.trim(), g.querySelector('circle.b-outline').getAttribute('fill')])""", command)
    return {caption: fill.upper() for caption, fill in pairs}


def screenshot(view: View, name: str) -> Path:
    OUT.mkdir(parents=True, exist_ok=True)
    path = OUT / name
    view.page.screenshot(path=str(path))
    return path
