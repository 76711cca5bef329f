#!/usr/bin/env python3
"""Fill fi/sv (and other) translations into the .po catalogues from a JSON file.

Usage: .venv/bin/python scripts/po_fill.py FILE.json [--locale-dir app/i18n]

FILE.json is a list of {"id": msgid, "fi": text, "sv": text, ...}; for plural entries the
values are [singular, plural] and "id" is the singular msgid. "ctx" sets a msgctxt.
Only existing entries are filled (run `make i18n-extract` first); unknown ids are reported.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

from babel.messages.pofile import read_po, write_po


def main(argv: list[str]) -> int:
    if not argv:
        print(__doc__)
        return 2
    source = json.loads(Path(argv[0]).read_text(encoding="utf-8"))
    locale_dir = (
        Path(argv[argv.index("--locale-dir") + 1]) if "--locale-dir" in argv else Path("app/i18n")
    )
    unknown: set[str] = set()
    for po_path in sorted(locale_dir.glob("*/LC_MESSAGES/messages.po")):
        locale = po_path.parent.parent.name
        with po_path.open("rb") as fh:
            catalog = read_po(fh)
        changed = 0
        for entry in source:
            if locale not in entry:
                continue
            key = entry["id"]
            message = catalog.get(key, context=entry.get("ctx"))
            if message is None:
                unknown.add(key)
                continue
            value = entry[locale]
            if message.pluralizable:
                if isinstance(value, str):
                    value = [value, value]
                message.string = tuple(value)
            else:
                message.string = value
            message.flags.discard("fuzzy")
            changed += 1
        with po_path.open("wb") as fh:
            write_po(fh, catalog, width=100, omit_header=False, sort_output=True)
        print(f"{po_path}: {changed} entries filled")
    for key in sorted(unknown):
        print(f"not in catalogue: {key!r}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
