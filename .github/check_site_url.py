"""Refuse to publish while the site's address is unset: `site_url` under [tool.noticepub] in pyproject.toml
(the one place it is set) must be an https:// address of a real host, not the example domain it ships with.
Used by .github/workflows/pages.yml; prints one line and exits 1 when it is not."""

from __future__ import annotations

import sys
import tomllib
from pathlib import Path
from urllib.parse import urlsplit

EXAMPLE_HOSTS = ("example.org", "example.com", "example.net", "localhost")


def problem(site_url: object) -> str | None:
    if not isinstance(site_url, str) or not site_url:
        return "[tool.noticepub] site_url is not set"
    parts = urlsplit(site_url)
    host = (parts.hostname or "").lower()
    if parts.scheme != "https" or not host:
        return f"[tool.noticepub] site_url {site_url!r} must be an https:// address"
    if any(host == h or host.endswith("." + h) for h in EXAMPLE_HOSTS) or host.startswith("127."):
        return (f"[tool.noticepub] site_url is still {site_url!r}: set it to the address the site is published "
                "at (e.g. https://OWNER.github.io/REPO/ or your own domain) before deploying")
    return None


def main(argv: list[str]) -> int:
    path = Path(argv[1] if len(argv) > 1 else "pyproject.toml")
    try:
        settings = tomllib.loads(path.read_text(encoding="utf-8")).get("tool", {}).get("noticepub", {})
    except (OSError, tomllib.TOMLDecodeError) as exc:
        print(f"::error file={path}::{path}: cannot read it ({exc})")
        return 1
    found = problem(settings.get("site_url"))
    if found:
        print(f"::error file={path}::{path}: {found}")
        return 1
    print(f"site_url: {settings['site_url']}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
