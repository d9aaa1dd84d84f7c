"""One module per slide kind, each defining its ``SLIDE``; report.slides finds them all."""
