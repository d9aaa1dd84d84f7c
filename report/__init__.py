"""tp5's report: stored results in, a static site of slides out."""
