"""noticepub: turn raw newspaper-page text into a trilingual static site."""

__version__ = "0.1.0"
