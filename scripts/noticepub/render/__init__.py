"""Render: NoticeBundle -> Markdown pages (pure; the build writes them)."""

from noticepub.render.indexes import render_indexes
from noticepub.render.pages import render_notice, summarize

__all__ = ["render_indexes", "render_notice", "summarize"]
