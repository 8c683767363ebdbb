"""The review screen of `noticepub serve` (/review/): a maintainer checks a page's parse, raw lines beside the
recovered articles, and corrects it by clicks that write `corrections:` into notice.yml.

    state.py   one notice as the screen shows it (read and parsed through the build's path), counts
    edit.py    the notice.yml edits (ruamel.yaml round-trip: other keys and comments kept byte for byte)
    render.py  the HTML;  app.py  the requests (token, origin, stale saves, validation before writing)
    assets/    review.css, review.js, and reload.js (live reload of every preview page)
"""

from noticepub.review.app import ReviewApp

__all__ = ["ReviewApp"]
