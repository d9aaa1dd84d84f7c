"""Wrong pixels of each character after training (denoised, for a denoising experiment)."""

from __future__ import annotations

import numpy as np

from report import summary as sm
from report.formatting import one_seed
from report.slides import SlideKind, counts_font_pixels, figure, runs


def build(s: sm.Summary) -> dict:
    from report.figures import characters  # matplotlib only where figures are drawn

    series = [
        {"label": c.label, "per_char": [list(_per_char(r.metrics, s.denoising)) for r in c.ok]}
        for c in s.configurations
    ]
    series = [x for x in series if x["per_char"]]
    bars = " (one seed)" if one_seed(s) else ": bars are the mean over seeds, dots single runs"
    lede = (
        f"Wrong pixels of each character after training{bars}. The dashed line is the "
        "course's bar of 1."
        if len(series) <= characters.MAX_BAR_PANELS
        else f"{'Wrong' if one_seed(s) else 'Mean wrong'} pixels of each character after "
        "training, one row per configuration; "
        "squares mark the characters above the course's bar of 1."
    )
    return {
        "lede": lede,
        "figure": figure(
            ".svg", "Wrong pixels per character", series=series, classes=runs.classes_of(s.spec)
        ),
    }


def _per_char(metrics, denoising: bool):
    """Against the clean character: the denoised output's mean over draws, else the output's."""
    return metrics.denoise.model.per_char if denoising else metrics.wrong_pixels.per_char


def prepare(series: list[dict], classes: list[str]):
    from report.figures import characters  # matplotlib only where figures are drawn

    series = [
        {"label": s["label"], "per_char": np.array(s["per_char"], dtype=float)} for s in series
    ]
    return characters.pixel_errors(classes, series)


SLIDE = SlideKind(
    name="pixel_errors",
    title="Wrong pixels per character",
    position=100,
    build=build,
    why_not=counts_font_pixels,
    prepare=prepare,
)
