"""trainwizard: checks your data, recommends training choices with reasons, writes a PyTorch project."""

__version__ = "0.1.0"
