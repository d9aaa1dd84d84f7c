"""A phone's width in a real browser, on pages the site's own templates, stylesheet and
script render from hand-made slides: the hint under a figure shows only where the figure scrolls
sideways, and a table's cards show every label and value whole (and report.check finds a cell
that leaves its card). Each test drives its own Chromium: report.check starts one of its own."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from report import check, site
from support import Visit

PAGE = """{% extends "base.html" %}{% import "partials/slides.html" as show %}
{% block content %}{% for s in slides %}{{ show.slide(s, loop.index, loop.length) }}{% endfor %}
{% endblock %}{% block scripts %}<script src="static/slides.js"></script>{% endblock %}"""


def _slide(name: str, **parts) -> dict:
    """A slide's context as report.slides.build gives it, with ``parts`` set."""
    empty = {"lede": "", "figure": None, "chooser": None, "note": None, "empty": None}
    lists = {"tables": [], "facts": [], "highlights": [], "paragraphs": [], "diagrams": []}
    return {"id": name, "title": name, **empty, "explorer": None, **lists, **parts}


def _page(folder: Path, slides: list[dict], style: str = "") -> Path:
    """The slides rendered by the site's own templates, stylesheet and scripts."""
    shutil.copytree(site.TEMPLATES / "static", folder / "static")
    html = site.environment().from_string(PAGE).render(root="", version="test", slides=slides)
    page = folder / "index.html"
    page.write_text(html.replace("</head>", f"<style>{style}</style></head>"))
    (folder / "provenance.html").write_text("<!doctype html><title>p</title>")  # the header's link
    return page


def _figure(folder: Path, name: str, width: int) -> dict:
    """A figure slide whose SVG is ``width`` CSS px wide: on a phone it shrinks no further
    than width × MIN_SCALE."""
    (folder / f"{name}.svg").write_text(
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{width}" height="120" '
        f'viewBox="0 0 {width} 120"><rect width="{width}" height="120" fill="#ccc"/></svg>'
    )
    shown = {"file": f"{name}.svg", "width": width, "height": 120, "alt": name, "error": None}
    return _slide(name, figure={**shown, "caption": None})


@pytest.mark.browser
def test_the_hint_shows_only_under_a_figure_that_scrolls_sideways(tmp_path):
    """At 390 px the content box is 350 px: a figure that shrinks to 640 px scrolls, and so
    does one of 356 px (which a rule on the drawn width alone, over 360 px, missed); one of
    200 px does not. At 1280 px nothing scrolls, and without JavaScript no hint shows."""
    figures = {"wide": 960, "just": 534, "narrow": 300}
    page = _page(tmp_path, [_figure(tmp_path, name, w) for name, w in figures.items()])

    def shown(width: int, **context) -> dict[str, bool]:
        with check.chromium() as browser:
            return _hints(Visit(browser, page.as_uri(), **context), width, figures)

    assert shown(390) == {"wide": True, "just": True, "narrow": False}
    assert shown(1280) == {"wide": False, "just": False, "narrow": False}
    assert shown(390, java_script_enabled=False) == dict.fromkeys(figures, False)


def _hints(visit: Visit, width: int, figures) -> dict[str, bool]:
    """Which figures' hints show once the window is ``width`` px wide."""
    visit.page.set_viewport_size({"width": width, "height": 800})
    visit.page.wait_for_timeout(100)  # the resize listener
    found = {n: visit.page.locator(f"#{n} .figure-hint").is_visible() for n in figures}
    assert visit.errors == []
    visit.close()
    return found


LONG = "wrong pixels per character, denoised vs clean, over the seeds that did not diverge"
CARDS = {
    "caption": "a wide table: a card per row on a phone",
    "row_headings": ["configuration"],
    "column_heading": "",
    "columns": ["rank", LONG, "gap to the next (Welch 95 % CI)", "the same order"],
    "rows": [
        {
            "labels": ["35-20-10-5-2-5-10-20-35 · p = 0.05"],
            "cells": [
                "1–4",
                {"mean": 0.0187, "ci": 0.0051, "spread": "ci", "n": 3, "dropped": 0},
                None,
                "no: 35-20-10-5-2-5-10-20-35, 35-128-32-128-35, 35-20-10-2-10-20-35",
            ],
        }
    ],
}


@pytest.mark.browser
def test_a_phones_table_cards_show_every_label_and_value_whole(tmp_path):
    """Long column headings and long values wrap inside their card, light and dark; the
    checker finds a cell whose text leaves its card (here: the cards' old unwrapped lines)."""
    pytest.importorskip("playwright.sync_api")
    slides = [_slide("table", tables=[CARDS])]
    kept = {"widths": (390,), "origins": ("disk",)}
    _page(tmp_path / "now", slides)
    found = check.check(tmp_path / "now", **kept)
    assert found and {where: p for where, p in found.items() if p} == {}
    _page(
        tmp_path / "nowrap",
        slides,
        ".table-stack td, .table-stack td::before { white-space: nowrap; }",
    )
    text = "\n".join(
        check.check(tmp_path / "nowrap", schemes=("light",), **kept)["index.html 390px light disk"]
    )
    assert f"cell leaves its card: {LONG[:20]}" in text
    assert "cell leaves its card: the same order: no: 35-20-10-5-2-5-10-20-35" in text
