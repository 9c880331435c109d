"""Write data/real/counts.py's table into docs/data-sources.md (between its markers).

    .venv/bin/python data/real/update_guide.py
"""

from __future__ import annotations

import re
from pathlib import Path

import counts

GUIDE = Path(__file__).resolve().parents[2] / "docs" / "data-sources.md"
BLOCK = re.compile(r"(<!-- counts -->\n).*?(<!-- /counts -->)", re.DOTALL)


def main() -> None:
    text = GUIDE.read_text()
    table = counts.table(counts.counts(counts.real_graph()))
    GUIDE.write_text(BLOCK.sub(lambda m: m.group(1) + table + m.group(2), text))


if __name__ == "__main__":
    main()
