"""The rendered site checked in a real browser, as readers will open it.

    python -m report.check site/ --results results/ [--screenshots DIR] [--figures]

Every page of the site is opened at a laptop's and a phone's width (1280 and 390 CSS px), in the
light and the dark colour scheme, from disk (file://) and from a local HTTP server, in a headless
Chromium driven by Playwright (``pip install 'tp5[browser]'``): the one ``--chromium`` or the
TP5_CHROMIUM environment variable names, else Playwright's own (``python -m playwright install
chromium``), else a ``chromium`` on the PATH (Debian's package). A page has a problem when it
logs a console error, a request fails (a missing image, script or figure), a link between pages
or to an anchor leads nowhere, the page itself scrolls sideways, or, given the result store, a
configuration of its experiment is named nowhere on it (text, image alt, chooser option, or a
table row and column).

What a reader meets is measured too. At 1280 px a table wider than its box is a problem (its
last columns and its caption hide behind a scroll nobody sees); at any width a caption cut by a
box is, and so is a cell of a phone's table card (a row shown as a block) whose label or value
leaves its card. Every text of a figure must be at least MIN_TEXT_PX as displayed: an SVG text's font size
times the SVG's displayed scale (its width on the page over its viewBox's), at 1280 px and at
390 px alike, measured on the file the page shows at that width (so a page that serves a
phone-sized figure is measured on it). A drawing the page holds as inline SVG (an architecture)
is measured the same way, on the drawing shown at that width (one hidden by the stylesheet is
not read). PNG figures hold no text to read back: with ``--figures``
each figure is drawn again, which gives their texts' sizes in points (then to CSS px at the
figure's own size, times its displayed scale), and any text overlapping another text in a figure
is a problem too (``report.figures.overlapping_texts``).

A full-page screenshot of each page, width and scheme goes to ``--screenshots`` for people to
look at (from disk only: the HTTP copy is the same page).
"""

from __future__ import annotations

import argparse
import contextlib
import functools
import http.server
import itertools
import os
import re
import shutil
import sys
import threading
import xml.etree.ElementTree as ET
from pathlib import Path
from urllib.parse import unquote, urldefrag, urlparse

#: The environment variable that names the Chromium to drive (as --chromium does).
BROWSER_SETTING = "TP5_CHROMIUM"
NOT_FOUND = (
    f"no Chromium found: name one with --chromium or {BROWSER_SETTING}, or install "
    "Playwright's own with `python -m playwright install chromium` "
    "(Playwright itself: pip install 'tp5[browser]')"
)
ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--no-first-run",
    "--disable-quic",
    "--disable-sync",
]
WIDTHS = (1280, 390)
DESKTOP = 1280  # the width at which no table may be wider than its box
MIN_TEXT_PX = 8  # the smallest figure text, as displayed, that a reader reads
SCHEMES = ("light", "dark")
ORIGINS = ("disk", "http")

# Run in the page: what it names (text, alt texts, options, and for each table row its labels
# joined as a configuration's label, with each column's heading where columns are an axis),
# and whether the page is wider than the window.
_PAGE_FACTS = """() => {
    const names = [document.body.innerText];
    document.querySelectorAll("img[alt]").forEach(img => names.push(img.alt));
    document.querySelectorAll("option").forEach(o => names.push(o.textContent.trim()));
    document.querySelectorAll("table").forEach(table => {
        const axis = table.querySelector("thead .column-axis");
        const head = table.querySelectorAll("thead tr:last-child th.num");
        const columns = axis ? Array.from(head, th => th.textContent.trim()) : [];
        table.querySelectorAll("tbody tr").forEach(row => {
            const labels = Array.from(row.querySelectorAll("th"), th => th.textContent.trim());
            names.push(labels.join(" · "));
            columns.forEach(c => names.push([...labels, c].join(" · ")));
        });
    });
    return {names: names.join("\\n"), links: Array.from(document.links, a => a.href),
            anchors: Array.from(document.querySelectorAll("[id]"), e => e.id),
            overflow: document.documentElement.scrollWidth - window.innerWidth};
}"""

# Run in the page: how wide each table is against its box, the captions that a box cuts (an
# ancestor that clips, or the caption's own overflow), the cells of rows shown as cards (a
# phone's wide table) whose text leaves the cell (or, an inline heading, the card) or that
# overflow it (a float of its column's label too), each figure shown: the file its width
# picked and its displayed and CSS widths (not the index's cards: previews of a page's figure),
# and each inline SVG shown: its name and its texts' font sizes times its displayed scale.
_LAYOUT = """() => {
    const text = e => e.textContent.trim().replace(/\\s+/g, " ").slice(0, 60);
    const tables = Array.from(document.querySelectorAll("table"), table => ({
        caption: table.caption ? text(table.caption) : text(table).slice(0, 30),
        width: Math.round(table.getBoundingClientRect().width),
        box: table.parentElement.clientWidth}));
    const cut = [];
    document.querySelectorAll("caption, figcaption").forEach(c => {
        const r = c.getBoundingClientRect();
        if (!r.width || !r.height) return;
        let left = 0, right = document.documentElement.clientWidth;
        for (let e = c.parentElement; e; e = e.parentElement) {
            if (getComputedStyle(e).overflowX === "visible") continue;
            const b = e.getBoundingClientRect();
            left = Math.max(left, b.left + e.clientLeft);
            right = Math.min(right, b.left + e.clientLeft + e.clientWidth);
        }
        if (r.left < left - 1 || r.right > right + 1 || c.scrollWidth > c.clientWidth + 1)
            cut.push(text(c));
    });
    const leaving = [];  // a phone's table cards: a cell whose text leaves its card
    document.querySelectorAll("tr").forEach(row => {
        if (getComputedStyle(row).display !== "block") return;
        row.querySelectorAll("th, td").forEach(c => {
            const block = getComputedStyle(c).display === "block";
            const box = (block ? c : row).getBoundingClientRect();
            if (!box.width) return;
            const range = document.createRange();
            range.selectNodeContents(c);
            const out = Array.from(range.getClientRects())
                .some(r => r.left < box.left - 1 || r.right > box.right + 1);
            if (out || (block && c.scrollWidth > c.clientWidth + 1)) {
                const label = c.getAttribute("data-label");
                leaving.push((label ? label.slice(0, 40) + ": " : "") + text(c));
            }
        });
    });
    const figures = Array.from(document.images)
        .filter(img => img.getBoundingClientRect().width && !img.closest(".card"))
        .map(img => ({src: img.currentSrc, shown: img.getBoundingClientRect().width,
                      css: Number(img.getAttribute("width")) || img.naturalWidth}));
    const drawings = Array.from(document.querySelectorAll("svg"))
        .filter(svg => !svg.parentElement.closest("svg") && svg.getBoundingClientRect().width)
        .map(svg => {
            const box = svg.viewBox.baseVal, shown = svg.getBoundingClientRect().width;
            const scale = box && box.width ? shown / box.width : 1;
            return {name: svg.getAttribute("aria-label") || "an inline drawing",
                    texts: Array.from(svg.querySelectorAll("text"), t => [
                        t.textContent.trim(), parseFloat(getComputedStyle(t).fontSize) * scale])};
        });
    return {tables, cut, leaving, figures, drawings};
}"""

# Run in the page: images that fail once every lazy one is asked to load.
_BROKEN_IMAGES = """async () => {
    const images = Array.from(document.images);
    images.forEach(img => { img.loading = "eager"; });
    await Promise.all(images.map(img => img.decode().catch(() => null)));
    return images.filter(img => !img.complete || img.naturalWidth === 0).map(img => img.src);
}"""


# ------------------------------------------------------------------------------ browser


class BrowserNotFound(RuntimeError):
    pass


def find_chromium(given: str | None = None) -> str | None:
    """The Chromium to drive: the one given (--chromium, else TP5_CHROMIUM), else Playwright's
    own install, else one on the PATH; None when there is none, or no Playwright to drive it.
    A Chromium named but absent is an error, not a reason to look elsewhere."""
    given = given or os.environ.get(BROWSER_SETTING)
    if given:
        if not Path(given).is_file():
            raise BrowserNotFound(
                f"no Chromium at {given} (named by --chromium or {BROWSER_SETTING})"
            )
        return given
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        return None
    with sync_playwright() as p:
        own = p.chromium.executable_path
    if Path(own).exists():
        return own
    return shutil.which("chromium") or shutil.which("chromium-browser")


@contextlib.contextmanager
def chromium(executable: str | None = None):
    """A headless Chromium (``find_chromium``'s) through Playwright."""
    executable = find_chromium(executable)
    if executable is None:
        raise BrowserNotFound(NOT_FOUND)
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=executable, args=ARGS)
        try:
            yield browser
        finally:
            browser.close()


@contextlib.contextmanager
def serve(folder: Path):
    """A static HTTP server on 127.0.0.1 and a free port; yields the folder's root URL."""

    class Quiet(http.server.SimpleHTTPRequestHandler):
        def log_message(self, *args):
            pass

    class Server(http.server.ThreadingHTTPServer):
        def handle_error(self, request, client_address):
            pass  # the browser dropping a connection it no longer needs is not a failure

    httpd = Server(("127.0.0.1", 0), functools.partial(Quiet, directory=str(folder)))
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{httpd.server_address[1]}/"
    finally:
        httpd.shutdown()
        httpd.server_close()


def visit(browser, url: str, width: int, scheme: str, screenshot: Path | None = None) -> dict:
    """Open one page; returns its problems as it loaded and the facts ``_PAGE_FACTS`` reads."""
    context = browser.new_context(
        viewport={"width": width, "height": 900}, color_scheme=scheme, reduced_motion="reduce"
    )
    page = context.new_page()
    errors: list[str] = []
    page.on("console", lambda m: m.type == "error" and errors.append(f"console: {m.text}"))
    page.on("pageerror", lambda e: errors.append(f"script: {e}"))
    page.on("requestfailed", lambda r: errors.append(f"failed: {r.url}"))
    page.on("response", lambda r: r.status >= 400 and errors.append(f"{r.status}: {r.url}"))
    page.on("dialog", lambda d: (errors.append(f"dialog: {d.message}"), d.dismiss()))
    try:
        page.goto(url, wait_until="load")
        errors += [f"image: {src}" for src in page.evaluate(_BROKEN_IMAGES)]
        facts = {**page.evaluate(_PAGE_FACTS), **page.evaluate(_LAYOUT), "width": width}
        if screenshot:
            page.screenshot(path=screenshot, full_page=True)
    finally:
        context.close()
    return {**facts, "errors": errors}


# ------------------------------------------------------------------------------ what is wrong


def link_problems(facts: dict, url: str, base: str, site_dir: Path) -> list[str]:
    """Links of the page that lead nowhere: a file missing from the site, or a missing anchor
    on the page itself. Links off the site are not followed (the check runs offline)."""
    problems = []
    for link in facts["links"]:
        target, fragment = urldefrag(link)
        if not target.startswith(base):
            if urlparse(link).scheme not in ("http", "https", "mailto"):
                problems.append(f"leaves the site: {link}")
            continue
        if not (site_dir / unquote(target.removeprefix(base))).exists():
            problems.append(f"broken link: {link}")
        elif fragment and target == url and fragment not in facts["anchors"]:
            problems.append(f"no anchor: {link}")
    return problems


def layout_problems(facts: dict) -> list[str]:
    """Tables wider than their box at DESKTOP width, and at any width captions a box cuts and
    cells of a phone's table cards whose text (its column's label, or its value) leaves the
    card."""
    problems = []
    if facts["width"] >= DESKTOP:
        problems += [
            f"table wider than its box ({t['width']} px in {t['box']} px): {t['caption']}"
            for t in facts["tables"]
            if t["width"] > t["box"] + 1
        ]
    problems += [f"caption cut: {c}" for c in facts["cut"]]
    return problems + [f"cell leaves its card: {c}" for c in facts["leaving"]]


_SCALE = re.compile(r"scale\(\s*([-\d.e]+)")
_FONT_SIZE = re.compile(r"font-size\s*:\s*([\d.]+)(px|pt)?|font\s*:[^;]*?([\d.]+)(px|pt)")


@functools.lru_cache(maxsize=512)
def svg_texts(path: Path) -> tuple[float, list[tuple[str, float]]]:
    """An SVG's viewBox width and its texts with their font sizes in viewBox units: <text>
    elements (font-size attribute or style), and matplotlib's texts drawn as paths (a group
    "text_N" whose comment is the text and whose glyphs are scaled by font size / 100)."""
    root = ET.parse(path, ET.XMLParser(target=ET.TreeBuilder(insert_comments=True))).getroot()
    box = (root.get("viewBox") or "").replace(",", " ").split()
    width = float(box[2]) if len(box) == 4 else _length(root.get("width") or "0")
    texts = []
    for element in root.iter():
        tag = element.tag.rsplit("}", 1)[-1] if isinstance(element.tag, str) else ""
        if tag == "text":
            size = _font_size(element)
            if size is not None:
                texts.append(("".join(element.itertext()).strip(), size))
        elif tag == "g" and (element.get("id") or "").startswith("text_"):
            words = [c.text.strip() for c in element if c.tag is ET.Comment]
            scales = [
                float(m.group(1))
                for g in element.iter()
                for m in [_SCALE.search(g.get("transform") or "")]
                if m
            ]
            if scales:
                texts.append((" ".join(words), 100 * abs(scales[0])))
    return width, texts


def _length(value: str) -> float:
    """An SVG length in px ("720pt" is 960 px)."""
    number = float(re.match(r"[\d.]+", value).group())
    return number * 96 / 72 if value.endswith("pt") else number


def _font_size(element) -> float | None:
    """A <text>'s font size in user units, from its attribute or its style (pt as 4/3 px)."""
    if element.get("font-size"):
        return _length(element.get("font-size"))
    m = _FONT_SIZE.search(element.get("style") or "")
    if not m:
        return None
    number, unit = (m.group(1), m.group(2)) if m.group(1) else (m.group(3), m.group(4))
    return float(number) * (96 / 72 if unit == "pt" else 1)


def text_problems(
    facts: dict, base: str, site_dir: Path, figure_texts: dict[str, list[tuple[str, float]]]
) -> list[str]:
    """Figure texts under MIN_TEXT_PX as displayed. An SVG's are read from its file; a PNG's
    come from ``figure_texts`` (site-relative file -> [(text, CSS px at the figure's size)],
    ``figure_problems``), and a PNG not in it is not measured; an inline SVG's, from the page."""
    problems = [
        _small(d["texts"], 1.0, f"the drawing {d['name']!r}") for d in facts.get("drawings", [])
    ]
    for f in facts["figures"]:
        target = urldefrag(f["src"])[0]
        if not target.startswith(base):
            continue
        file = unquote(target.removeprefix(base))
        path = site_dir / file
        if path.suffix == ".svg" and path.is_file():
            view_width, texts = svg_texts(path)
            scale = f["shown"] / view_width if view_width else 1.0
        elif file in figure_texts and f["css"]:
            texts, scale = figure_texts[file], f["shown"] / f["css"]
        else:
            continue
        problems.append(_small(texts, scale, file))
    return [p for p in problems if p]


def _small(texts: list, scale: float, where: str) -> str:
    """The problem of texts (text, size) shown at ``scale`` that fall under MIN_TEXT_PX, or ""."""
    small = [(text, size * scale) for text, size in texts if size * scale < MIN_TEXT_PX]
    if not small:
        return ""
    text, px = min(small, key=lambda t: t[1])
    return (
        f"{len(small)} text(s) under {MIN_TEXT_PX} px in {where} (smallest {px:.1f} px: {text!r})"
    )


def page_problems(
    facts: dict,
    url: str,
    base: str,
    site_dir: Path,
    labels: list[str],
    figure_texts: dict | None = None,
) -> list[str]:
    """Everything wrong with one page as one browser showed it."""
    problems = facts["errors"] + link_problems(facts, url, base, site_dir)
    if facts["overflow"] > 1:
        problems.append(f"scrolls sideways by {facts['overflow']} px")
    problems += layout_problems(facts)
    problems += text_problems(facts, base, site_dir, figure_texts or {})
    problems += [
        f"configuration not named: {label}" for label in labels if label not in facts["names"]
    ]
    return problems


def configuration_labels(results_dir: Path) -> dict[str, list[str]]:
    """Each experiment's page (site-relative) -> the labels of its configurations."""
    from report import summary as sm
    from runner import store

    return {
        f"{name}/index.html": [c.label for c in sm.load(results_dir, name).configurations]
        for name in store.experiments(results_dir)
    }


def check(
    site_dir: Path,
    labels: dict[str, list[str]] | None = None,
    screenshots: Path | None = None,
    widths=WIDTHS,
    schemes=SCHEMES,
    origins=ORIGINS,
    executable: str | None = None,
    figure_texts: dict | None = None,
) -> dict[str, list[str]]:
    """Open every page of the site in each width, scheme and origin; returns the problems of
    each ("<page> <width>px <scheme> <origin>" -> [problem]), an empty list where there are none.
    ``labels``: what each page must name (``configuration_labels``); ``executable``: the
    Chromium to drive (``find_chromium``); ``figure_texts``: the PNG figures' texts and their
    sizes (``figure_problems``), to measure them as displayed.
    """
    site_dir = Path(site_dir).resolve()
    pages = sorted(str(p.relative_to(site_dir)) for p in site_dir.rglob("*.html"))
    labels = labels or {}
    if screenshots:
        Path(screenshots).mkdir(parents=True, exist_ok=True)
    found = {}
    with chromium(executable) as browser, serve(site_dir) as http_base:
        bases = {"disk": site_dir.as_uri() + "/", "http": http_base}
        for origin, page, width, scheme in itertools.product(origins, pages, widths, schemes):
            url = bases[origin] + page
            shot = (
                Path(screenshots) / f"{_shot_name(page)}-{width}-{scheme}.png"
                if screenshots and origin == origins[0]
                else None
            )
            facts = visit(browser, url, width, scheme, shot)
            found[f"{page} {width}px {scheme} {origin}"] = page_problems(
                facts, url, bases[origin], site_dir, labels.get(page, []), figure_texts
            )
    return found


def _shot_name(page: str) -> str:
    return page.replace("/", "_").removesuffix(".html")


def figure_problems(
    results_dir: Path, names: list[str] | None = None, texts: dict | None = None
) -> dict[str, list[str]]:
    """Each figure of each experiment drawn again ("<experiment>/<file>" -> overlapping texts).
    ``texts``, when given, receives each figure's texts and their sizes in CSS px at the
    figure's own size ("<experiment>/<file>" -> [(text, px)]), for ``text_problems``."""
    from report import slides
    from report import summary as sm
    from report.figures.checks import overlapping_texts, shown_texts
    from report.figures.style import CSS_DPI
    from runner import store

    found = {}
    for name in names or store.experiments(results_dir):
        s = sm.load(results_dir, name)
        for kind in s.report:
            for file, job in slides.figures_of(slides.build(kind, s)):
                fig = slides.get(job["slide"]).prepare(**job["args"])
                fig = fig.figure if isinstance(fig, slides.Captioned) else fig
                found[f"{name}/{file}"] = [f"text overlaps: {o}" for o in overlapping_texts(fig)]
                if texts is not None:
                    texts[f"{name}/{file}"] = [
                        (t.get_text(), t.get_fontsize() * CSS_DPI / 72) for t in shown_texts(fig)
                    ]
    return found


# ------------------------------------------------------------------------------ command line


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m report.check", description=__doc__.split("\n\n")[0]
    )
    parser.add_argument("site", type=Path, help="the rendered site's folder")
    parser.add_argument(
        "--results",
        type=Path,
        help="the result store it was rendered from: "
        "check that every configuration is named on its page",
    )
    parser.add_argument("--screenshots", type=Path, help="folder for full-page screenshots")
    parser.add_argument(
        "--figures",
        action="store_true",
        help="draw each figure again and look for overlapping texts (needs --results)",
    )
    parser.add_argument(
        "--chromium",
        metavar="PATH",
        help=f"the Chromium to drive (default: ${BROWSER_SETTING}, else "
        "Playwright's own, else chromium on the PATH)",
    )
    args = parser.parse_args(argv)
    labels = configuration_labels(args.results) if args.results else None
    texts: dict = {}
    drawn = figure_problems(args.results, texts=texts) if args.figures and args.results else {}
    try:
        found = check(
            args.site, labels, args.screenshots, executable=args.chromium, figure_texts=texts
        )
    except BrowserNotFound as exc:
        print(f"python -m report.check: {exc}", file=sys.stderr)
        return 2
    found.update(drawn)
    bad = {where: problems for where, problems in found.items() if problems}
    for where, problems in bad.items():
        print(where, *(f"  {p}" for p in problems), sep="\n")
    print(f"{len(found) - len(bad)} of {len(found)} checked without a problem")
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main())
