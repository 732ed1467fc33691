"""Recognise stack traces in pasted text.

static/js/editor.js applies the same patterns in the browser, where the form
offers to attach a pasted trace as a text file. Keep both in step.
"""

import re

# One pattern per line shape; a text is a trace when at least MIN_FRAMES lines
# match a frame pattern, or one header line is followed by a frame.
FRAME_PATTERNS = (
    # Java: "\tat com.example.Foo.bar(Foo.java:42)" or "(Native Method)".
    re.compile(r"^\s*at [\w$.<>/]+\([^()]*\)\s*$"),
    # Python: '  File "/app/x.py", line 3, in main'.
    re.compile(r'^\s*File "[^"]+", line \d+(, in .+)?$'),
    # .NET: "   at Ns.Class.Method(String s) in C:\src\x.cs:line 42".
    re.compile(r"^\s*at [\w.`<>\[\],]+\(.*\)( in .+:line \d+)?\s*$"),
    # JavaScript (V8): "    at foo (https://x/app.js:10:5)" or "at /x/app.js:1:2".
    re.compile(r"^\s*at (.+ \()?\S+:\d+:\d+\)?\s*$"),
    # JavaScript (Firefox, Safari): "foo@https://x/app.js:10:5".
    re.compile(r"^\s*[\w$.<>/]*@\S+:\d+:\d+\s*$"),
)
HEADER_PATTERNS = (
    re.compile(r"^Traceback \(most recent call last\):\s*$"),
    re.compile(r"^Exception in thread \".*\" [\w.$]+"),
    re.compile(r"^(Caused by: )?[a-z][\w$]*(\.[\w$]+)+(Exception|Error|Throwable)\b"),
    re.compile(r"^(Unhandled exception\. )?System\.[\w.]+Exception\b"),
    re.compile(r"^(Uncaught )?(\w+)?Error: "),
)
MIN_FRAMES = 2


def count_frames(text: str) -> int:
    """Return the number of lines that look like stack frames."""
    return sum(
        1
        for line in text.splitlines()
        if any(pattern.match(line) for pattern in FRAME_PATTERNS)
    )


def looks_like_stack_trace(text: str) -> bool:
    """Tell whether a text is a Java, Python, .NET or JavaScript stack trace."""
    frames = count_frames(text)
    if frames >= MIN_FRAMES:
        return True
    if frames == 0:
        return False
    return any(
        pattern.match(line.strip())
        for line in text.splitlines()
        for pattern in HEADER_PATTERNS
    )
