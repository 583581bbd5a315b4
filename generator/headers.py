"""`_headers`: HTTP security headers for static hosts that read the file (Netlify, Cloudflare Pages).

The Content-Security-Policy allows scripts from the site itself plus, by hash,
exactly the inline scripts the theme wrote into the built pages, so it is a
policy the site satisfies rather than one that breaks it (or one weakened
with 'unsafe-inline').
"""

from __future__ import annotations

import base64
import hashlib
from collections.abc import Iterable

HEADERS_FILE = "_headers"
INLINE_SCRIPT_OPEN = "<script>"  # a script element without attributes: no src, no type
SCRIPT_CLOSE = "</script>"


def inline_scripts(html: str) -> list[str]:
    """The bodies of the executable inline scripts of a page as the theme writes them."""
    bodies = []
    for chunk in html.split(INLINE_SCRIPT_OPEN)[1:]:
        body, closed, _ = chunk.partition(SCRIPT_CLOSE)
        if closed:
            bodies.append(body)
    return bodies


def script_hash(body: str) -> str:
    digest = hashlib.sha256(body.encode("utf-8")).digest()
    return f"'sha256-{base64.b64encode(digest).decode('ascii')}'"


def content_security_policy(script_hashes: Iterable[str]) -> str:
    script_src = " ".join(["'self'", *sorted(set(script_hashes))])
    return "; ".join([
        "default-src 'self'",
        f"script-src {script_src}",
        "style-src 'self' 'unsafe-inline'",  # Markdown tables write style attributes
        "img-src 'self' data:",  # the theme's icons are data: URLs in its CSS
        "font-src 'self'",
        "connect-src 'self'",
        "worker-src 'self'",
        "object-src 'none'",
        "base-uri 'self'",
        "frame-ancestors 'none'",
    ])


def headers_file(script_hashes: Iterable[str]) -> str:
    return "\n".join([
        "/*",
        f"  Content-Security-Policy: {content_security_policy(script_hashes)}",
        "  X-Content-Type-Options: nosniff",
        "  Referrer-Policy: strict-origin-when-cross-origin",
        "  X-Frame-Options: DENY",
        "  Permissions-Policy: interest-cohort=(), browsing-topics=()",
        "",
    ])
