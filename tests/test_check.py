"""The page checker's measures of what a reader meets, each on a small hand-made page: a table
wider than its box at 1280 px, a caption a box cuts, figure text under 8 px as displayed (and a
phone-sized figure served at 390 px, and a drawing held in the page as inline SVG), and the SVG
texts it reads back from matplotlib's files."""

from __future__ import annotations

import pytest

from report import check
from report.figures import style

PAGE = """<!doctype html><html><head><meta name="viewport" content="width=device-width">
<title>t</title><style>body {{ margin: 0 }} .box {{ width: 1000px; overflow-x: auto }}</style>
</head><body>{}</body></html>"""

WIDE_TABLE = """<div class="box"><table style="width: 1400px"><caption>the wide one: its last
words hide</caption><tr><th>a</th><td>1</td></tr></table></div>
<div class="box"><table><caption>the narrow one</caption><tr><th>b</th><td>2</td></tr></table>
</div>"""

CUT_CAPTION = """<figure style="width: 200px"><figcaption style="white-space: nowrap;
overflow: hidden">a caption far too long for its two hundred pixels of room</figcaption></figure>
<figure><figcaption>a caption that fits</figcaption></figure>"""

SVG = """<svg xmlns="http://www.w3.org/2000/svg" width="1000" height="100"
viewBox="0 0 1000 100"><text x="10" y="50" font-size="{}">label</text></svg>"""


def _problems(folder, body, width=1280):
    (folder / "index.html").write_text(PAGE.format(body))
    found = check.check(folder, widths=(width,), schemes=("light",), origins=("disk",))
    return found[f"index.html {width}px light disk"]


@pytest.mark.browser
def test_a_table_wider_than_its_box_at_desktop_width_is_a_problem(tmp_path):
    pytest.importorskip("playwright.sync_api")
    problems = _problems(tmp_path, WIDE_TABLE)
    wide = [p for p in problems if p.startswith("table wider than its box")]
    assert len(wide) == 1 and "the wide one" in wide[0] and "1400 px in 1000 px" in wide[0]
    # its caption is as wide as the table, so the box cuts it too
    assert any(p.startswith("caption cut: the wide one") for p in problems)
    assert not any("narrow" in p for p in problems)


@pytest.mark.browser
def test_a_cut_caption_is_a_problem(tmp_path):
    pytest.importorskip("playwright.sync_api")
    problems = _problems(tmp_path, CUT_CAPTION, width=390)
    assert problems == ["caption cut: a caption far too long for its two hundred pixels of room"]


@pytest.mark.browser
def test_figure_text_under_8_px_as_displayed_is_a_problem(tmp_path):
    """A 1000-unit-wide SVG with 12-unit text: 12 px at full width, 4.8 px at 400 px."""
    pytest.importorskip("playwright.sync_api")
    (tmp_path / "f.svg").write_text(SVG.format(12))
    assert _problems(tmp_path, '<img src="f.svg" width="1000" height="100" alt="f">') == []
    problems = _problems(tmp_path, '<img src="f.svg" width="400" height="40" alt="f">')
    assert problems == ["1 text(s) under 8 px in f.svg (smallest 4.8 px: 'label')"]


@pytest.mark.browser
def test_a_phone_sized_figure_is_measured_where_the_page_serves_it(tmp_path):
    """At 390 px the desktop figure shrinks below 8 px; a page that serves a figure drawn for
    the phone's width there passes, and the checker measures the file actually shown."""
    pytest.importorskip("playwright.sync_api")
    (tmp_path / "f.svg").write_text(SVG.format(12))
    (tmp_path / "phone.svg").write_text(SVG.format(30))
    shrunk = '<img src="f.svg" width="1000" height="100" alt="f" style="width: 100%; height: auto">'
    assert "f.svg" in "".join(_problems(tmp_path, shrunk, width=390))
    served = f'<picture><source media="(max-width: 600px)" srcset="phone.svg">{shrunk}</picture>'
    assert _problems(tmp_path, served, width=390) == []
    assert _problems(tmp_path, served, width=1280) == []


@pytest.mark.browser
def test_png_figures_are_measured_from_their_drawn_texts(tmp_path):
    pytest.importorskip("playwright.sync_api")
    from PIL import Image

    Image.new("RGB", (200, 100)).save(tmp_path / "p.png")
    (tmp_path / "index.html").write_text(
        PAGE.format('<img src="p.png" width="200" height="100" alt="p" style="width: 100px">')
    )
    found = check.check(
        tmp_path,
        widths=(1280,),
        schemes=("light",),
        origins=("disk",),
        figure_texts={"p.png": [("tick", 14.0), ("title", 20.0)]},
    )
    assert found["index.html 1280px light disk"] == [
        "1 text(s) under 8 px in p.png (smallest 7.0 px: 'tick')"
    ]


def test_svg_texts_reads_matplotlib_texts_drawn_as_paths(tmp_path):
    """The site's SVGs draw text as paths; their sizes come back in points over a viewBox in
    points, so a 10.5 pt tick label on a 4-inch figure reads as 10.5 of 288 units."""

    @style.styled
    def draw():
        fig = style.figure(4, 3)
        ax = fig.add_subplot()
        ax.plot([0, 1], [0, 1])
        ax.set_title("a title")
        return fig

    style.save(draw(), tmp_path / "f.svg")
    width, texts = check.svg_texts(tmp_path / "f.svg")
    assert width == 288
    sizes = dict(texts)
    assert sizes["a title"] == pytest.approx(style.TITLE_SIZE, abs=0.01)
    assert sizes["0.0"] == pytest.approx(style.STYLE["font.size"], abs=0.01)


@pytest.mark.browser
def test_inline_svg_text_under_8_px_as_displayed_is_a_problem(tmp_path):
    """The same drawing held in the page: 12 px at full width, 4.8 px at 400 px; hidden by the
    stylesheet, it is not read."""
    pytest.importorskip("playwright.sync_api")
    drawing = SVG.format(12).replace("<svg ", '<svg aria-label="a drawing" ', 1)
    assert _problems(tmp_path, f'<div style="width: 1000px">{drawing}</div>') == []
    shrunk = drawing.replace('width="1000" height="100"', 'style="width: 400px"')
    assert _problems(tmp_path, shrunk) == [
        "1 text(s) under 8 px in the drawing 'a drawing' (smallest 4.8 px: 'label')"
    ]
    assert _problems(tmp_path, f'<div style="display: none">{shrunk}</div>') == []
