"""Matplotlib figures for the site, drawn from plain arrays (no store, no files read here).

Every drawing function takes arrays and labels and returns a ``matplotlib.figure.Figure``;
``style.save`` writes it. The modules, by what they draw:

    style        the shared look (STYLE, colours, line styles), figure and margin layout, saving
    text         text measured before it is placed: widths, wrapped titles, legend rows
    labels       point labels placed clear of each other, with leader lines
    checks       texts drawn over each other or cut by the figure's edge
    curves       lines over training: learning curves, convergence, denoising against noise
    comparisons  configurations side by side: box plots per learning rate, means with intervals
    characters   wrong pixels per character: bars, or a heat map for many configurations
    latent       the latent plane: scatters, decoded grids, the VAE's progression
    pictures     pictures of pixels: reconstructions, strips, grids of samples
    noise_matrix denoisers by training and test noise level: a heat map beside the floors
    reference    figures published elsewhere against ours, configuration by configuration

Shapes: R runs (seeds), T epochs, N samples, D pixels, Z = 2 latent dimensions, G grid steps.
"""

from report.figures.checks import overlapping_texts  # noqa: F401 - report.check asks the package
