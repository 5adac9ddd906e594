"""Django's {# #} comment ends on its own line: one left open runs on into the page (or a printed PDF) as text."""

import re
from pathlib import Path

from django.conf import settings

OPEN_COMMENT = re.compile(r"\{#(?!.*#\})")


def test_no_template_opens_a_one_line_comment_it_does_not_close_on_that_line():
    roots = [Path(d) for engine in settings.TEMPLATES for d in engine.get("DIRS", [])]
    roots += [p for p in Path(settings.BASE_DIR).glob("*/templates")]
    found = [
        f"{path.relative_to(settings.BASE_DIR)}:{number}"
        for root in roots
        for path in sorted(root.rglob("*.html"))
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1)
        if OPEN_COMMENT.search(line)
    ]
    assert found == [], "use {% comment %} for a comment of several lines: " + ", ".join(found)
