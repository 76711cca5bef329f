"""No dead links: every role's pages, crawled two steps from its menu, link only to pages that
exist and answer (no 404, no 500). A link written by hand in a template that misses its route
(the case worker's "Assessment and goals" once did) fails here, whatever page it is on."""

from __future__ import annotations

import re
from collections import deque
from urllib.parse import urlsplit

import pytest

from tests.support.web import login_as

PERSONAS = ["client", "assistant", "case-worker", "provider-owner", "admin"]
HREF = re.compile(r'<a\b[^>]*\bhref="(/[^"#]*)')
# Not pages: the language switch redirects, static files and the dev mail are tested elsewhere.
SKIP = ("/lang/", "/static/", "/logout", "/dev/")
MAX_PAGES = 45  # per role: the menu pages and the pages they link to, breadth first
DEPTH = 2


def _links(html: str) -> list[str]:
    found = []
    for href in HREF.findall(html):
        href = href.replace("&amp;", "&")
        if not href.startswith(SKIP):
            found.append(href)
    return found


def _shape(path: str) -> str:
    """One representative per route shape: /asiakkaat/12/budjetti ~ /asiakkaat/13/budjetti."""
    return re.sub(r"/\d+", "/N", urlsplit(path).path)


# Which page links where does not depend on the database engine: SQLite only.
@pytest.mark.parametrize("db_url", ["sqlite"], indirect=True)
@pytest.mark.parametrize("persona", PERSONAS)
def test_no_page_links_to_a_missing_page(client, demo, persona: str) -> None:
    login_as(client, persona)
    start = client.get("/ilmoitukset")
    assert start.status_code == 200
    queue: deque[tuple[str, int]] = deque((link, 0) for link in _links(start.text))
    seen: set[str] = set()
    broken: dict[str, str] = {}
    visited = 0
    while queue and visited < MAX_PAGES:
        path, depth = queue.popleft()
        shape = _shape(path)
        if shape in seen:
            continue
        seen.add(shape)
        response = client.get(path, follow_redirects=True)
        visited += 1
        if response.status_code in (404, 405) or response.status_code >= 500:
            broken[path] = str(response.status_code)
            continue
        if depth + 1 <= DEPTH and "text/html" in response.headers.get("content-type", ""):
            queue.extend((link, depth + 1) for link in _links(response.text))
    assert visited >= 5, f"{persona}: the crawl found too few pages ({sorted(seen)})"
    assert broken == {}, f"{persona}: links to pages that fail: {broken}"
