"""Label Studio's pages in headless Chromium, driven as an annotator drives them.

Spans are selected in the text as a mouse would select them: a DOM range over the characters, then the
``mouseup`` and ``click`` a drag ends with, at the selection's place on the screen (Label Studio reads the
selection on mouseup, takes two mouseups at one place within 450 ms for a double click, and ignores the click
that follows a selection).  Every step waits for what the page shows, never for a fixed time.
"""
from __future__ import annotations

from contextlib import contextmanager
from pathlib import Path

import pytest

CHROMIUM = "/usr/bin/chromium"
FLAGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
         "--disable-background-networking", "--disable-component-update", "--disable-sync"]
WAIT = 60_000  # ms: an upper bound for a page to react, not an expectation

_SELECT = """([start, end]) => {
  const boxes = [...document.querySelectorAll('.lsf-richtext__container')];
  const box = boxes[boxes.length - 1];  // the document's text (a review task shows its disputes first)
  const walker = document.createTreeWalker(box, NodeFilter.SHOW_TEXT);
  let pos = 0, node, a = null, b = null;
  while ((node = walker.nextNode())) {
    const n = node.data.length;
    if (a === null && start < pos + n) a = [node, start - pos];
    if (b === null && end <= pos + n) { b = [node, end - pos]; break; }
    pos += n;
  }
  const range = document.createRange();
  range.setStart(a[0], a[1]); range.setEnd(b[0], b[1]);
  const selection = window.getSelection();
  selection.removeAllRanges(); selection.addRange(range);
  const r = range.getBoundingClientRect();
  return {x: r.x + r.width / 2, y: r.y + r.height / 2};
}"""
_LABEL_SELECTED = """(name) => [...document.querySelectorAll('.lsf-label')]
  .some(e => e.classList.contains('lsf-label_selected') && e.innerText.replace(/\\s/g, '').startsWith(name))"""
_REGIONS = "() => document.querySelectorAll('.lsf-outliner-item').length"
_RELATIONS = "() => window.Htx.annotationStore.selected.relationStore.relations.length"
_MODAL = "() => [...document.querySelectorAll('.ant-modal-body')].some(e => e.offsetParent !== null)"


def utf16(text: str, i: int) -> int:
    """The browser's index (UTF-16 units) of code point ``i`` of ``text``."""
    return len(text[:i].encode("utf-16-le")) // 2


@contextmanager
def chromium(profile: Path):
    """A fresh headless Chromium (Debian's) with its own profile; yields a new page."""
    if not Path(CHROMIUM).is_file():
        pytest.fail(f"no {CHROMIUM} (fix: apt-get install -y chromium fonts-noto-core fonts-noto-color-emoji)",
                    pytrace=False)
    from playwright.sync_api import sync_playwright
    playwright = sync_playwright().start()
    try:
        context = playwright.chromium.launch_persistent_context(
            str(profile), executable_path=CHROMIUM, args=FLAGS, headless=True,
            viewport={"width": 1400, "height": 900})
        try:
            page = context.new_page()
            page.set_default_timeout(WAIT)
            yield page
        finally:
            context.close()
    finally:
        playwright.stop()


def sign_up(page, invitation: str, email: str, password: str) -> None:
    """Sign up through the invitation link, as docs/annotation.md tells an annotator to."""
    page.goto(invitation)
    page.fill("input[name=email]", email)
    page.fill("input[name=password]", password)
    page.click("button[type=submit]")
    page.wait_for_url(lambda url: "/user/signup" not in url)


def log_in(page, url: str, email: str, password: str) -> bool:
    """Log in; True when the server let us in (we left the login page)."""
    page.goto(f"{url}/user/login/")
    page.fill("input[name=email]", email)
    page.fill("input[name=password]", password)
    page.click("button[type=submit]")
    page.wait_for_load_state("networkidle")
    return "/user/login" not in page.url


def project_titles(page, url: str) -> list[str]:
    """The project titles the projects page lists."""
    page.goto(f"{url}/projects/")
    page.wait_for_selector(".lsf-projects-page")
    page.wait_for_load_state("networkidle")
    return page.evaluate("() => [...document.querySelectorAll('.lsf-project-card__title-text')]"
                         ".map(e => e.innerText.trim())")


def label_all_tasks(page, url: str, title: str) -> None:
    """Projects -> the project -> Label All Tasks: the first task's labeling page."""
    page.goto(f"{url}/projects/")
    page.locator(".lsf-project-card__title-text", has_text=title).first.click()
    page.get_by_role("button", name="Label All Tasks").click()
    page.wait_for_selector(".lsf-richtext__container")


def label_span(page, text: str, start: int, end: int, label: str) -> None:
    """Click the label, then drag over characters [start, end) of the text: one new region."""
    regions = page.evaluate(_REGIONS)
    page.locator(".lsf-label", has_text=label).first.click()
    page.wait_for_function(_LABEL_SELECTED, arg=label)
    point = page.evaluate(_SELECT, [utf16(text, start), utf16(text, end)])
    box = page.locator(".lsf-richtext__container").last
    for event in ("mouseup", "click"):
        box.dispatch_event(event, {"clientX": point["x"], "clientY": point["y"], "bubbles": True})
    page.wait_for_function(f"() => ({_REGIONS})() > {regions}")


def select_quotation(page, words: str) -> None:
    """Select the QUOTE region holding ``words`` (in the regions list): its kind and stance rows appear.
    (Clicking a selected region unselects it: a quotation already selected stays so.)"""
    item = page.locator(".lsf-tree-node-content-wrapper", has_text="QUOTE").filter(has_text=words).first
    if "lsf-tree-node-selected" not in (item.get_attribute("class") or ""):
        item.click()
    page.wait_for_selector("text=quotation kind")


def choose(page, key: str, shown: str) -> None:
    """Press a choice's key; wait until the choice shown as ``shown`` is checked."""
    page.keyboard.press(key)
    page.wait_for_function("(shown) => [...document.querySelectorAll('label')].some(l => "
                           "l.innerText.includes(shown) && l.querySelector('input:checked'))", arg=shown)


def relate(page, quotation_words: str, other_words: str) -> None:
    """With the quotation selected, Alt+R, then click the other region in the text: one more relation."""
    relations = page.evaluate(_RELATIONS)
    select_quotation(page, quotation_words)
    page.keyboard.press("Alt+r")
    page.locator(".lsf-richtext__container .htx-highlight", has_text=other_words).last.click()
    page.wait_for_function(f"() => ({_RELATIONS})() > {relations}")


def submit(page) -> str | None:
    """Press Submit: Label Studio's refusal message (its dialog closed again), or None once the annotation is
    saved."""
    page.get_by_role("button", name="Submit").first.click()
    page.wait_for_function(f"() => ({_MODAL})() || document.body.innerText.includes('Annotation saved successfully')")
    if not page.evaluate(_MODAL):
        return None
    message = page.locator(".ant-modal-body:visible").first.inner_text()
    page.locator(".ant-modal button.ant-btn-primary:visible").click()
    page.wait_for_function(f"() => !({_MODAL})()")
    return message
