"""tp5's runner: from an experiment YAML to trained runs in a result store, and on to a site."""

from importlib.metadata import PackageNotFoundError, version

try:
    __version__ = version("tp5")
except PackageNotFoundError:  # running from a source tree that was never installed
    __version__ = "0.0.0+unknown"
