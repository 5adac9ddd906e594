"""Reading a refusal: the reason the 403 page (templates/403.html) gives, as the person reads it."""

import html
import re

REASON = re.compile(r'<p id="alasan-ditolak">(.*?)</p>', re.S)


def refusal(response) -> str | None:
    """The reason on the 403 page, or None when the response is not that page."""
    if response.status_code != 403:
        return None
    match = REASON.search(response.content.decode())
    return html.unescape(match.group(1)).strip() if match else None
