"""The train-level x test-level matrix of a denoising experiment: a heat map of wrong pixels."""

from __future__ import annotations

import numpy as np
from matplotlib.colors import LogNorm
from matplotlib.figure import Figure
from matplotlib.patches import Rectangle

from report.figures.style import INK, figure, frame, styled
from report.figures.text import text_width

FLOOR = 0.01  # wrong pixels: below a hundredth of a pixel the colour stops changing


@styled
def noise_matrix(
    levels: list[float],
    labels: list[str],
    own: list[float],
    means: np.ndarray,
    references: list[dict],
    xlabel: str,
    scale: str,
) -> Figure:
    """Wrong pixels per sample of each denoiser (rows) at each test level (columns), the
    reference decoders' rows under them, on one logarithmic colour scale (``scale`` names
    it); each denoiser's own training level is outlined.

    means: (C, L), NaN where not measured; references: [{"label", "means": (L,)}].
    """
    rows = [*labels, "", *(r["label"] for r in references)]
    values = np.vstack(
        [means, np.full(len(levels), np.nan), *(r["means"] for r in references)]
    )  # (C + 1 + 3, L): a gap row
    fig = figure(8.5, 1.2 + 0.42 * len(rows))
    ax = fig.subplots()
    frame(
        fig, left=0.35 + max(text_width(r, 9.5) for r in rows) / 72, right=1.2, bottom=0.65, top=0.2
    )
    norm = LogNorm(vmin=FLOOR, vmax=max(float(np.nanmax(values)), 10 * FLOOR))
    image = ax.imshow(
        np.clip(values, FLOOR, None), cmap="Reds", norm=norm, aspect="auto", interpolation="nearest"
    )
    for (i, j), value in np.ndenumerate(values):
        if np.isfinite(value):
            dark = norm(max(value, FLOOR)) > 0.6
            ax.text(
                j,
                i,
                _cell_text(value),
                ha="center",
                va="center",
                fontsize=9.5,
                color="white" if dark else INK,
            )
    for i, level in enumerate(own):
        if level in levels:
            ax.add_patch(
                Rectangle(
                    (levels.index(level) - 0.5, i - 0.5),
                    1,
                    1,
                    fill=False,
                    edgecolor=INK,
                    linewidth=2.0,
                )
            )
    ax.set_xticks(np.arange(len(levels)), [f"{v:g}" for v in levels])
    shown = [i for i, r in enumerate(rows) if r]  # no tick on the gap row
    ax.set_yticks(shown, [rows[i] for i in shown], fontsize=9.5)
    ax.set_xlabel(xlabel)
    ax.grid(False)
    for side in ("left", "bottom"):
        ax.spines[side].set_visible(False)
    colorbar = fig.colorbar(image, ax=ax, fraction=0.04, pad=0.02)
    colorbar.set_label(f"{scale} (log scale)")
    return fig


def _cell_text(value: float) -> str:
    """Three decimals where the floors differ by thousandths, fewer as the numbers grow."""
    return f"{value:.3f}" if value < 0.1 else f"{value:.2f}" if value < 10 else f"{value:.1f}"
