#!/usr/bin/env python3
"""Merge translations from other .po files into ours (used when integrating branches).

Usage: .venv/bin/python scripts/po_merge.py LOCALE OTHER.po [OTHER.po ...]
Fills every untranslated entry of app/i18n/LOCALE/LC_MESSAGES/messages.po that another file
translates. Run `make i18n-extract` first so the catalogue has every msgid of the code.
"""

from __future__ import annotations

import sys
from pathlib import Path

from babel.messages.pofile import read_po, write_po


def _filled(message) -> bool:  # noqa: ANN001
    strings = message.string if isinstance(message.string, tuple) else (message.string,)
    return all(s for s in strings)


def main(argv: list[str]) -> int:
    if len(argv) < 2:
        print(__doc__)
        return 2
    locale, others = argv[0], argv[1:]
    target = Path("app/i18n") / locale / "LC_MESSAGES" / "messages.po"
    with target.open("rb") as fh:
        catalog = read_po(fh)
    filled = 0
    for other_path in others:
        with open(other_path, "rb") as fh:
            other = read_po(fh)
        for message in other:
            if not message.id or not _filled(message):
                continue
            mine = catalog.get(message.id, context=message.context)
            if mine is not None and not _filled(mine):
                mine.string = message.string
                mine.flags.discard("fuzzy")
                filled += 1
    with target.open("wb") as fh:
        write_po(fh, catalog, width=100, sort_output=True)
    print(f"{target}: {filled} entries filled from {len(others)} file(s)")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
