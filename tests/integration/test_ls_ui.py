"""The labeling page as annotators see it, in headless Chromium: Arabic text laid out right to left.

Needs Debian's ``chromium`` (and ``fonts-noto-core fonts-noto-color-emoji`` for Arabic and emoji glyphs).
"""
from __future__ import annotations

import time
from pathlib import Path

import pytest
from labeling_page import CHROMIUM, FLAGS
from test_ls_roundtrip import T1, T2, TEXT_A, base, version_a

from aqwal.annotation.client import connection, push_tasks
from aqwal.annotation.labelstudio import document_results, prediction, task

pytestmark = [pytest.mark.server, pytest.mark.browser]

PROJECT = "Aqwal UI"


def open_labeling_page(label_studio, profile: Path, *, select_quote: bool = False):
    """Log in as the admin and open the pre-annotated seed-like task; yields (page, task id)."""
    if not Path(CHROMIUM).is_file():
        pytest.fail(f"no {CHROMIUM} (fix: apt-get install -y chromium fonts-noto-core fonts-noto-color-emoji)",
                    pytrace=False)
    from playwright.sync_api import sync_playwright
    conn = connection(label_studio.url, label_studio.token)
    gold = version_a("favor")
    report = push_tasks(conn, PROJECT, [task(base("doc-a", TEXT_A, (T1, T2)),
                                             [prediction(document_results(gold), "reference@1")])], targets=2)
    task_id = next(t.id for t in conn.sdk().tasks.list(project=report.project.id))
    playwright = sync_playwright().start()
    context = playwright.chromium.launch_persistent_context(
        str(profile), executable_path=CHROMIUM, args=FLAGS, headless=True, viewport={"width": 1400, "height": 820})
    try:
        page = context.new_page()
        page.goto(f"{label_studio.url}/user/login/")
        page.fill("input[name=email]", label_studio.username)
        page.fill("input[name=password]", label_studio.password)
        page.click("button[type=submit]")
        page.wait_for_load_state("networkidle")
        page.goto(f"{label_studio.url}/projects/{report.project.id}/data?task={task_id}")
        page.wait_for_selector(".lsf-richtext__container .htx-highlight", timeout=90_000)
        if select_quote:
            page.locator(".lsf-outliner-item", has_text="QUOTE").first.click()
            page.wait_for_selector("text=quotation kind", timeout=30_000)
        time.sleep(1.5)  # let fonts and relation arrows settle before the screenshot
        return playwright, context, page
    except BaseException:
        context.close()
        playwright.stop()
        raise


def _box(page, region_id: str) -> dict:
    box = page.locator(f".lsf-richtext__container [class*='htx-highlight-{region_id}-']").first.bounding_box()
    assert box is not None, f"region {region_id} is not rendered"
    return box


def test_the_labeling_page_renders_arabic_right_to_left(label_studio, tmp_path):
    playwright, context, page = open_labeling_page(label_studio, tmp_path / "profile")
    try:
        page.screenshot(path=str(tmp_path / "labeling.png"))
        container = page.locator(".lsf-richtext__container").first
        assert container.evaluate("e => getComputedStyle(e).direction") == "rtl"
        assert container.evaluate("e => getComputedStyle(e).textAlign") in ("right", "start")
        assert container.evaluate("e => e.textContent") == TEXT_A  # nothing lost, added or reordered
        # مصطفى الكاظمي (e1) comes before واشنطن (e3) in the text; right to left, it is drawn to its right.
        name, place = _box(page, "e1"), _box(page, "e3")
        assert abs(name["y"] - place["y"]) < name["height"]  # same line
        assert name["x"] > place["x"] + place["width"]
        # The emoji open the text: right to left they sit at the right edge of the line.
        text_box = container.bounding_box()
        assert text_box is not None and name["x"] + name["width"] > text_box["x"] + text_box["width"] / 2
    finally:
        context.close()
        playwright.stop()
    assert (tmp_path / "labeling.png").stat().st_size > 10_000

