"""Render: NoticeBundle -> Markdown pages, summaries -> index pages and feeds (pure; the build writes them)."""

from noticepub.render.indexes import render_indexes
from noticepub.render.pages import render_notice
from noticepub.render.summary import name_warnings, summarize

__all__ = ["name_warnings", "render_indexes", "render_notice", "summarize"]
