"""Nothing dropped without saying so: every configuration reachable on the slides that show one
at a time, the best one first; index cards in the course's order with alt text; each figure a
link to its file."""

from __future__ import annotations

import re

from report import site, slides
from report import summary as sm


def _slide_html(tiny_site, name: str, slide_id: str) -> str:
    html = (tiny_site / name / "index.html").read_text()
    return html.split(f'id="{slide_id}"')[1].split("</section>\n\n")[0]


def test_the_generated_grid_offers_every_configuration_best_first(tiny_site, tiny_results):
    s = sm.load(tiny_results, "font-ae")
    slide = slides.build("generated_grid", s)
    options = slide["chooser"]["options"]
    assert [o["label"] for o in options] == [c.label for c in s.configurations]
    assert options[slide["chooser"]["selected"]]["label"] == s.leaders()[0].label
    explored, chosen = slide["explorer"], options[slide["chooser"]["selected"]]
    assert len(explored["runs"]) == len(s.configurations)
    assert explored["runs"][explored["selected"]]["id"] == chosen["run"]
    section = _slide_html(tiny_site, "font-ae", "generated-grid")
    for k in range(len(options)):
        assert (tiny_site / "font-ae" / f"generated-grid-{k + 1}.png").exists()
        assert f'data-choice="{k}"' in section
    assert "the slide opens on" in slide["note"]


def test_denoising_examples_show_every_noise_level_of_a_configuration(tiny_results):
    """Only the noise level varies: one figure, a row per level, no chooser."""
    s = sm.load(tiny_results, "font-denoise")
    slide = slides.build("denoising_examples", s)
    assert slide["chooser"] is None
    assert len(slide["figure"]["args"]["refs"]) == len(s.configurations) == 2


def test_index_cards_follow_the_order_field_then_the_command_line(tiny_results):
    summaries = [sm.load(tiny_results, name) for name in ("font-ae", "font-denoise", "vae-digits")]
    summaries[2].config["order"] = 1
    ordered = site.index_order(summaries, ["font-denoise", "font-ae"])
    assert [s.name for s in ordered] == ["vae-digits", "font-denoise", "font-ae"]


def test_card_images_have_alt_text_and_figures_link_to_their_files(tiny_site):
    index = (tiny_site / "index.html").read_text()
    alts = re.findall(r'<img class="card-figure"[^>]* alt="([^"]*)"', index)
    assert alts and all(alts)
    page = (tiny_site / "font-ae" / "index.html").read_text()
    links = re.findall(r'<a class="figure-link" href="([^"]+)"[^>]*><img src="([^"]+)"', page)
    assert links and all(href == src for href, src in links)
    assert all((tiny_site / "font-ae" / href).exists() for href, _ in links)
