"""The site in a real browser (Debian's Chromium through Playwright), opened from disk and from a
local HTTP server: no console errors, every image loaded, every link between pages resolves,
arrow keys move between slides, and a screenshot of each page for people to look at."""

from __future__ import annotations

import functools
import http.server
import threading
from pathlib import Path
from urllib.parse import urldefrag

import pytest
import yaml

from conftest import TINY, XSS_EXPERIMENT

CHROMIUM = Path("/usr/bin/chromium")
ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
        "--disable-background-networking", "--disable-component-update", "--disable-sync"]

pytestmark = pytest.mark.skipif(not CHROMIUM.exists(),
                                reason="Chromium is not installed at /usr/bin/chromium "
                                       "(apt-get install chromium)")


@pytest.fixture(scope="module")
def browser():
    sync_api = pytest.importorskip("playwright.sync_api")
    with sync_api.sync_playwright() as p:
        chromium = p.chromium.launch(executable_path=str(CHROMIUM), args=ARGS)
        yield chromium
        chromium.close()


@pytest.fixture(scope="module")
def server(tiny_site):
    """A static server on 127.0.0.1, on a free port, serving the site folder."""
    class Quiet(http.server.SimpleHTTPRequestHandler):
        def log_message(self, *args):
            pass

    class Server(http.server.ThreadingHTTPServer):
        def handle_error(self, request, client_address):
            pass  # the browser dropping a connection it no longer needs is not a failure

    handler = functools.partial(Quiet, directory=str(tiny_site))
    httpd = Server(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{httpd.server_address[1]}/"
    httpd.shutdown()
    httpd.server_close()


@pytest.fixture(params=["disk", "http"])
def base(request, tiny_site):
    """The site's root URL: a file:// URL, or the local server's."""
    if request.param == "disk":
        return tiny_site.resolve().as_uri() + "/"
    return request.getfixturevalue("server")


class Visit:
    """A page that records console errors, failed requests and dialogs while it is open."""

    def __init__(self, browser, url: str, **context):
        self.context = browser.new_context(viewport={"width": 1280, "height": 800},
                                           reduced_motion="reduce", **context)
        self.page = self.context.new_page()
        self.errors: list[str] = []
        self.page.on("console", lambda m: m.type == "error" and self.errors.append(m.text))
        self.page.on("pageerror", lambda e: self.errors.append(str(e)))
        self.page.on("requestfailed", lambda r: self.errors.append(f"failed: {r.url}"))
        self.page.on("response", lambda r: r.status >= 400 and self.errors.append(
            f"{r.status}: {r.url}"))
        self.page.on("dialog", lambda d: (self.errors.append(f"dialog: {d.message}"),
                                          d.dismiss()))
        self.page.goto(url, wait_until="load")

    def broken_images(self) -> list[str]:
        """Images that fail to load once loaded eagerly (lazy ones below the fold included)."""
        return self.page.evaluate("""async () => {
            const images = Array.from(document.images);
            images.forEach(img => { img.loading = "eager"; });
            await Promise.all(images.map(img => img.decode().catch(() => null)));
            return images.filter(img => !img.complete || img.naturalWidth === 0)
                         .map(img => img.src);
        }""")

    def links(self) -> list[str]:
        return self.page.evaluate("() => Array.from(document.links).map(a => a.href)")

    def close(self):
        self.context.close()


def _crawl(browser, base: str) -> dict[str, list[str]]:
    """Visit every page reachable from index.html; returns each page's problems."""
    todo, seen, problems = [base + "index.html"], set(), {}
    while todo:
        url = todo.pop()
        if url in seen:
            continue
        seen.add(url)
        visit = Visit(browser, url)
        page_problems = visit.errors + [f"image: {src}" for src in visit.broken_images()]
        for link in visit.links():
            target, fragment = urldefrag(link)
            if not target.startswith(base):
                page_problems.append(f"leaves the site: {link}")
            elif target.endswith(".html") and target not in seen:
                todo.append(target)
            if fragment and target == url and not visit.page.query_selector(f"[id='{fragment}']"):
                page_problems.append(f"no anchor: {link}")
        problems[url.removeprefix(base)] = page_problems
        visit.close()
    return problems


def test_every_page_loads_cleanly(browser, base):
    problems = _crawl(browser, base)
    expected = {"index.html", "provenance.html", *(f"{name}/index.html" for name in TINY)}
    assert set(problems) == expected
    assert {page: p for page, p in problems.items() if p} == {}


def _current_slide(page) -> tuple[str, float]:
    return page.evaluate("""() => {
        const id = location.hash.slice(1);
        const slide = document.getElementById(id);
        return [id, slide ? slide.getBoundingClientRect().top : NaN];
    }""")


def test_arrow_keys_move_between_slides(browser, base):
    visit = Visit(browser, base + "font-ae/index.html")
    page = visit.page
    header = page.evaluate("() => document.querySelector('.site-header').offsetHeight")
    order = page.evaluate("() => Array.from(document.querySelectorAll('.slide')).map(s => s.id)")
    assert order[:3] == ["top", "summary", "error-table"]
    for key, expected in (("ArrowRight", "summary"), ("ArrowRight", "error-table"),
                          ("ArrowRight", "learning-curves"), ("ArrowLeft", "error-table")):
        page.keyboard.press(key)
        page.wait_for_function(f"() => location.hash === '#{expected}'", timeout=5000)
        page.wait_for_timeout(100)
        slide, top = _current_slide(page)
        assert slide == expected
        assert abs(top - header) < 8, f"{slide} starts at {top}px, not under the header"
    assert visit.errors == []
    visit.close()


def test_the_page_reads_without_javascript(browser, tiny_site):
    visit = Visit(browser, (tiny_site / "font-ae" / "index.html").as_uri(),
                  java_script_enabled=False)
    page = visit.page
    assert page.locator(".slide").count() == len(TINY_REPORT) + 1
    assert page.locator(".hint").first.is_hidden()  # the key hint shows only with JavaScript
    assert visit.broken_images() == []
    visit.close()


TINY_REPORT = yaml.safe_load(TINY[XSS_EXPERIMENT])["report"]


def test_a_typed_title_is_shown_as_text(browser, base):
    visit = Visit(browser, base + f"{XSS_EXPERIMENT}/index.html")
    assert visit.page.locator("h1").inner_text() == "Tiny <script>alert(1)</script> autoencoder"
    assert visit.errors == []  # no dialog opened
    visit.close()


@pytest.mark.parametrize("width", [1280, 390])
def test_screenshots_of_every_page(browser, tiny_site, artifacts, width):
    """Full-page screenshots at laptop and phone width, saved for review."""
    folder = artifacts / "screenshots"
    folder.mkdir(exist_ok=True)
    for path in sorted(tiny_site.rglob("*.html")):
        context = browser.new_context(viewport={"width": width, "height": 900})
        page = context.new_page()
        page.goto(path.resolve().as_uri(), wait_until="load")
        name = str(path.relative_to(tiny_site)).replace("/", "_").removesuffix(".html")
        page.screenshot(path=folder / f"{name}-{width}.png", full_page=True)
        overflow = page.evaluate("() => document.documentElement.scrollWidth > innerWidth + 1")
        assert not overflow, f"{name} scrolls sideways at {width} px"
        context.close()
