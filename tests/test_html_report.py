"""The HTML report in a real headless browser (Debian's chromium and chromedriver): it renders
without console errors or network requests, shows the transcript, charts and player, and a
screenshot of it is not blank."""

from __future__ import annotations

import html.parser
import io
import json
import shutil
import stat

import pytest

from conftest import run_cli
from test_review_cli import answers, stored  # noqa: F401,F811  (the same real-speech attempts)

CHROMIUM, CHROMEDRIVER = shutil.which("chromium"), shutil.which("chromedriver")
LOCAL = ("file:", "data:", "about:", "blob:", "chrome-extension:", "devtools:")


class Links(html.parser.HTMLParser):
    """Every src and href of the page's tags (script bodies are not tags)."""

    def __init__(self):
        super().__init__()
        self.found: list[str] = []

    def handle_starttag(self, tag, attrs):
        self.found += [value or "" for name, value in attrs if name in ("src", "href", "action")]


def external_links(page: str) -> list[str]:
    parser = Links()
    parser.feed(page)
    return [link for link in parser.found if link.startswith(("http:", "https:", "//"))]


def report(*args: str):
    result = run_cli("report", *args)
    assert result.returncode == 0, result.stderr.decode()
    from pathlib import Path

    return Path(result.stdout.decode().strip())


@pytest.fixture(scope="module")
def browser(tmp_path_factory):
    if not (CHROMIUM and CHROMEDRIVER):
        pytest.skip("chromium and chromium-driver are installed by ./scripts/test")
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service

    options = webdriver.ChromeOptions()
    options.binary_location = CHROMIUM
    for flag in ("--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                 "--disable-background-networking", "--disable-component-update", "--disable-sync",
                 "--disable-dev-shm-usage", "--window-size=1200,2400",
                 f"--user-data-dir={tmp_path_factory.mktemp('chromium')}"):
        options.add_argument(flag)
    options.set_capability("goog:loggingPrefs", {"browser": "ALL", "performance": "ALL"})
    driver = webdriver.Chrome(service=Service(CHROMEDRIVER), options=options)
    driver.set_page_load_timeout(60)
    yield driver
    driver.quit()


def load(browser, path):
    from selenium.webdriver.common.by import By
    from selenium.webdriver.support.ui import WebDriverWait

    browser.get_log("browser"), browser.get_log("performance")  # start from empty logs
    browser.get(path.resolve().as_uri())
    WebDriverWait(browser, 30).until(lambda d: d.find_elements(By.CSS_SELECTOR, ".js-plotly-plot .main-svg"))
    WebDriverWait(browser, 30).until(lambda d: d.execute_script(
        "return Array.from(document.querySelectorAll('audio')).every(a => a.readyState >= 1)"))
    return By


def requests_made(browser) -> list[str]:
    urls = []
    for entry in browser.get_log("performance"):
        message = json.loads(entry["message"])["message"]
        if message["method"] == "Network.requestWillBeSent":
            urls.append(message["params"]["request"]["url"])
    return urls


def assert_not_blank(png: bytes) -> None:
    from PIL import Image, ImageStat

    image = Image.open(io.BytesIO(png)).convert("RGB")
    colours = image.getcolors(maxcolors=1 << 20)
    assert colours is not None and len(colours) > 100, "the screenshot has almost no colours"
    assert max(ImageStat.Stat(image).stddev) > 20, "the screenshot is nearly uniform"


def test_attempt_report_in_a_browser(stored, browser, data_home):
    page = report("1")
    assert page.parent == data_home / "reports" and page.name == "attempt-1.html"
    assert stat.S_IMODE(page.stat().st_mode) == 0o600
    text = page.read_text()
    assert external_links(text) == []
    assert "data:audio/wav;base64," in text

    by = load(browser, page)
    errors = [e for e in browser.get_log("browser") if e["level"] == "SEVERE"]
    assert errors == []
    assert [u for u in requests_made(browser) if not u.startswith(LOCAL)] == []

    transcript = browser.find_element(by.CSS_SELECTOR, ".transcript")
    assert transcript.is_displayed() and "reporting pipeline" in transcript.text
    assert browser.find_elements(by.CSS_SELECTOR, ".transcript .pause")  # the three-second silence
    assert browser.find_elements(by.CSS_SELECTOR, ".transcript .part-situation")
    charts = browser.find_elements(by.CSS_SELECTOR, ".js-plotly-plot")
    assert len(charts) == 2 and all(c.is_displayed() and c.size["height"] > 100 for c in charts)
    player = browser.find_element(by.CSS_SELECTOR, "audio")
    assert player.is_displayed()
    duration = browser.execute_script("return document.querySelector('audio').duration")
    assert abs(duration - json.loads(run_cli("show", "1", "--json").stdout)["duration_s"]) < 0.2
    assert_not_blank(browser.get_screenshot_as_png())


def test_session_report_in_a_browser(stored, browser, tmp_path):
    out = tmp_path / "session.html"
    assert report("--session", stored.name, "--output", str(out)) == out
    assert external_links(out.read_text()) == []
    by = load(browser, out)
    assert [e for e in browser.get_log("browser") if e["level"] == "SEVERE"] == []
    assert len(browser.find_elements(by.CSS_SELECTOR, "section.attempt")) == 4
    assert len(browser.find_elements(by.CSS_SELECTOR, "audio")) == 4
    assert len(browser.find_elements(by.CSS_SELECTOR, ".js-plotly-plot")) == 1 + 2 * 4
    assert "Summary" in browser.find_element(by.TAG_NAME, "body").text
    assert_not_blank(browser.get_screenshot_as_png())


def test_export_html_and_open(stored, tmp_path):
    result = run_cli("export", "2", "--format", "html")
    assert result.returncode == 0 and result.stdout.startswith(b"<!DOCTYPE html>")
    opened = tmp_path / "opened.txt"
    browser_cmd = tmp_path / "browser.sh"
    browser_cmd.write_text(f"#!/bin/sh\necho \"$1\" > {opened}\n")
    browser_cmd.chmod(0o700)
    result = run_cli("report", "2", "--open", env={"BROWSER": f"{browser_cmd} %s"})
    assert result.returncode == 0, result.stderr.decode()
    assert opened.read_text().strip().startswith("file://") and "attempt-2.html" in opened.read_text()


def test_report_needs_one_target(stored):
    result = run_cli("report")
    assert result.returncode == 2 and b"give an attempt ID or --session S" in result.stderr
