"""Lint: no user-visible literal text in templates outside translation calls."""

import re
from html.parser import HTMLParser
from pathlib import Path

TEMPLATES = Path(__file__).resolve().parent.parent / "app" / "templates"
JINJA = re.compile(r"\{\{.*?\}\}|\{%.*?%\}|\{#.*?#\}", re.S)
# Text that is not language: the brand name, symbols, punctuation, numbers, placeholders.
ALLOWED = re.compile(r"^(?:[\s\W\d_]|§|Hebu)*$")
VISIBLE_ATTRS = {"alt", "title", "placeholder", "aria-label", "aria-description", "content"}


class _Collector(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.found: list[str] = []
        self._skip = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in {"script", "style"}:
            self._skip += 1
        for name, value in attrs:
            if name in VISIBLE_ATTRS and value and not ALLOWED.match(value):
                if tag == "meta" and name == "content" and value.startswith(("{", "width=")):
                    continue
                self.found.append(f"{tag}[{name}]={value[:50]!r}")

    def handle_endtag(self, tag: str) -> None:
        if tag in {"script", "style"} and self._skip:
            self._skip -= 1

    def handle_data(self, data: str) -> None:
        if not self._skip and not ALLOWED.match(data):
            self.found.append(repr(data.strip()[:60]))


def literal_text(source: str) -> list[str]:
    collector = _Collector()
    collector.feed(JINJA.sub("§", source))
    return collector.found


def test_templates_have_no_untranslated_visible_text():
    problems = []
    for path in sorted(TEMPLATES.rglob("*.html")):
        for text in literal_text(path.read_text(encoding="utf-8")):
            problems.append(f"{path.relative_to(TEMPLATES)}: {text}")
    assert not problems, "\n".join(problems)


def test_the_lint_catches_literal_text():
    found = literal_text('<p>Hello world</p><p>{{ _("ok") }}</p><img alt="A cat" src="x">')
    assert found == ["'Hello world'", "img[alt]='A cat'"]
    assert literal_text("<span>{{ x }} – {{ y }} (3)</span><b>Hebu</b>") == []
