"""The site in a real browser (Chromium through Playwright): report.check passes on
every page at laptop and phone width, light and dark, from disk and over HTTP (and finds the
problems it is for); arrow keys move between slides; a chooser shows one configuration at a time
and drives the explorer; the page reads without JavaScript."""

from __future__ import annotations

import shutil

import pytest
import yaml

from report import check
from report import summary as sm
from support import TINY, XSS_EXPERIMENT, Visit


@pytest.mark.browser
def test_every_page_passes_the_checker(tiny_site, tiny_results, artifacts):
    """Every page at 1280 and 390 px, light and dark, from disk and over HTTP: no console error,
    failed request, broken link or image, sideways scroll, configuration left unnamed, table
    wider than its box, cut caption, or figure text under 8 px as displayed. The
    screenshots (from disk) are left in the artifacts for people to look at."""
    pytest.importorskip("playwright.sync_api")
    labels = check.configuration_labels(tiny_results)
    texts: dict = {}
    check.figure_problems(tiny_results, texts=texts)  # the PNG figures' texts, to measure
    problems = check.check(
        tiny_site, labels, screenshots=artifacts / "screenshots", figure_texts=texts
    )
    pages = {where.split()[0] for where in problems}
    assert pages == {"index.html", "provenance.html", *(f"{name}/index.html" for name in TINY)}
    assert {where: p for where, p in problems.items() if p} == {}


BROKEN_PAGE = """<!doctype html><html><head><meta name="viewport" content="width=device-width">
<title>broken</title></head><body><div style="width: 900px">wide</div>
<img src="missing.png" alt="gone"><a href="nowhere.html">a link</a><a href="#absent">an anchor</a>
<p>adam · 0.01</p><script>console.error("boom")</script></body></html>"""


@pytest.mark.browser
def test_the_checker_finds_what_it_is_for(tmp_path):
    pytest.importorskip("playwright.sync_api")
    (tmp_path / "index.html").write_text(BROKEN_PAGE)
    labels = {"index.html": ["adam · 0.01", "sgd · 0.5"]}
    problems = check.check(tmp_path, labels, widths=(390,), schemes=("dark",), origins=("disk",))[
        "index.html 390px dark disk"
    ]
    text = "\n".join(problems)
    for expected in (
        "console: boom",
        "missing.png",
        "broken link",
        "no anchor: ",
        "scrolls sideways",
        "configuration not named: sgd · 0.5",
    ):
        assert expected in text
    assert "adam · 0.01" not in text


def test_no_figure_has_text_over_text(tiny_results):
    found = check.figure_problems(tiny_results)
    assert found and {figure: p for figure, p in found.items() if p} == {}


@pytest.mark.browser
def test_a_chooser_shows_each_configuration_and_drives_the_explorer(
    browser, tiny_results, tiny_site
):
    """Font-ae's generated grid: an option per configuration, the best one chosen at first, one
    figure shown at a time, and the explorer following the choice."""
    s = sm.load(tiny_results, "font-ae")
    visit = Visit(browser, (tiny_site / "font-ae" / "index.html").as_uri())
    page, slide = visit.page, "#generated-grid"
    select = page.locator(f"{slide} .chooser-select")
    options = select.locator("option").all_inner_texts()
    assert options == [c.label for c in s.configurations]
    assert options[int(select.input_value())] == s.leaders()[0].label
    assert page.locator(f"{slide} .choice:visible").count() == 1
    assert page.locator(f"{slide} .explorer-runs").is_hidden()  # the chooser drives it
    last = len(options) - 1
    select.select_option(str(last))
    shown = page.locator(f"{slide} .choice:visible")
    assert shown.count() == 1 and shown.get_attribute("data-choice") == str(last)
    run = select.locator("option").nth(last).get_attribute("data-run")
    assert page.locator(f"{slide} .explorer-run").input_value() == run
    assert visit.errors == []
    visit.close()


def _current_slide(page) -> tuple[str, float]:
    return page.evaluate("""() => {
        const id = location.hash.slice(1);
        const slide = document.getElementById(id);
        return [id, slide ? slide.getBoundingClientRect().top : NaN];
    }""")


@pytest.mark.browser
def test_arrow_keys_move_between_slides(browser, base):
    visit = Visit(browser, base + "font-ae/index.html")
    page = visit.page
    header = page.evaluate("() => document.querySelector('.site-header').offsetHeight")
    order = page.evaluate("() => Array.from(document.querySelectorAll('.slide')).map(s => s.id)")
    assert order[:3] == ["top", "summary", "error-table"]
    for key, expected in (
        ("ArrowRight", "summary"),
        ("ArrowRight", "error-table"),
        ("ArrowRight", "learning-curves"),
        ("ArrowLeft", "error-table"),
    ):
        page.keyboard.press(key)
        page.wait_for_function(f"() => location.hash === '#{expected}'", timeout=5000)
        page.wait_for_timeout(100)
        slide, top = _current_slide(page)
        assert slide == expected
        assert abs(top - header) < 8, f"{slide} starts at {top}px, not under the header"
    assert visit.errors == []
    visit.close()


@pytest.mark.browser
def test_the_page_reads_without_javascript(browser, tiny_site):
    visit = Visit(
        browser, (tiny_site / "font-ae" / "index.html").as_uri(), java_script_enabled=False
    )
    page = visit.page
    assert page.locator(".slide").count() == len(TINY_REPORT) + 1
    assert page.locator(".hint").first.is_hidden()  # the key hint shows only with JavaScript
    assert visit.broken_images() == []
    visit.close()


TINY_REPORT = yaml.safe_load(TINY[XSS_EXPERIMENT])["report"]


@pytest.mark.browser
def test_a_typed_title_is_shown_as_text(browser, base):
    visit = Visit(browser, base + f"{XSS_EXPERIMENT}/index.html")
    assert visit.page.locator("h1").inner_text() == "Tiny <script>alert(1)</script> autoencoder"
    assert visit.errors == []  # no dialog opened
    visit.close()


@pytest.mark.browser
@pytest.mark.parametrize("width", [390, 1280])
def test_a_heading_reached_by_its_anchor_is_below_the_sticky_bar(browser, tiny_site, width):
    """On a phone the bar is two rows high: the explorer's heading, jumped to, is not under it."""
    visit = Visit(browser, (tiny_site / "font-ae" / "index.html").as_uri())
    page = visit.page
    page.set_viewport_size({"width": width, "height": 800})
    anchor = "generated-grid-explorer-title"
    page.evaluate(f"() => {{ location.hash = '#{anchor}'; }}")
    page.wait_for_function(f"() => location.hash === '#{anchor}'", timeout=5000)
    page.wait_for_timeout(100)
    bar, heading = page.evaluate(f"""() => [
        document.querySelector('.site-header').getBoundingClientRect().bottom,
        document.getElementById('{anchor}').getBoundingClientRect().top]""")
    assert bar <= heading < bar + 80, f"the heading's top at {heading} px, the bar's bottom {bar}"
    assert visit.errors == []
    visit.close()


DRAWING_PAGE = """<!doctype html><html><head><meta name="viewport" content="width=device-width">
<title>architecture</title><link rel="stylesheet" href="style.css"></head><body><main>
{% import "partials/drawings.html" as drawn %}{{ drawn.hourglass(d) }}</main></body></html>"""


@pytest.mark.browser
@pytest.mark.parametrize("width", [1280, 390])
def test_the_longest_architecture_reads_on_a_phone(browser, tmp_path, width):
    """The study's nine layers as the page draws them: every word at least 8 px as shown, at a
    laptop's width (across the page) and a phone's (down it)."""
    from report import site
    from report.slides.kinds.architecture import hourglass

    shutil.copyfile(site.TEMPLATES / "static" / "style.css", tmp_path / "style.css")
    drawing = hourglass((35, 20, 10, 5, 2, 5, 10, 20, 35), 35)
    page = site.environment().from_string(DRAWING_PAGE).render(d=drawing)
    (tmp_path / "index.html").write_text(page)
    url, base = (tmp_path / "index.html").as_uri(), tmp_path.as_uri() + "/"
    facts = check.visit(browser, url, width, "light")
    assert [d["name"] for d in facts["drawings"]] == ["Architecture 35-20-10-5-2-5-10-20-35"]
    assert check.page_problems(facts, url, base, tmp_path, []) == []
