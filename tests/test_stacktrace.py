import pytest

from tickets.stacktrace import looks_like_stack_trace

JAVA = """Exception in thread "main" java.lang.NullPointerException: name is null
\tat com.example.planner.Simulation.run(Simulation.java:42)
\tat com.example.planner.Main.main(Main.java:10)
Caused by: java.io.IOException: disk full
\tat java.base/java.io.FileOutputStream.writeBytes(Native Method)
\t... 3 more"""

PYTHON = """Traceback (most recent call last):
  File "/opt/app/export.py", line 88, in <module>
    main()
  File "/opt/app/export.py", line 12, in main
    raise ValueError("bad row")
ValueError: bad row"""

DOTNET = """System.NullReferenceException: Object reference not set to an instance of an object.
   at Planner.Reports.Totals.Compute(Int32 year) in C:\\src\\Reports\\Totals.cs:line 57
   at Planner.Reports.Page.Render() in C:\\src\\Reports\\Page.cs:line 12"""

JAVASCRIPT_V8 = """TypeError: Cannot read properties of undefined (reading 'id')
    at renderRow (https://app.example.com/static/app.js:120:15)
    at Array.map (<anonymous>)
    at renderTable (https://app.example.com/static/app.js:98:22)"""

JAVASCRIPT_FIREFOX = """renderRow@https://app.example.com/static/app.js:120:15
renderTable@https://app.example.com/static/app.js:98:22
@https://app.example.com/static/app.js:5:1"""

NOT_TRACES = [
    "",
    "The export fails at 99 percent.\nIt worked yesterday.",
    "Steps:\n1. open the project\n2. click Export\n3. wait",
    "Meet me at 10:30 (office)\nat home later",
    "Error: the licence expired yesterday.",
    "ValueError: bad row",
]


@pytest.mark.parametrize(
    "text",
    [JAVA, PYTHON, DOTNET, JAVASCRIPT_V8, JAVASCRIPT_FIREFOX],
    ids=["java", "python", "dotnet", "javascript-v8", "javascript-firefox"],
)
def test_trace_shapes_are_recognised(text):
    assert looks_like_stack_trace(text)


@pytest.mark.parametrize("text", NOT_TRACES)
def test_ordinary_text_is_not_a_trace(text):
    assert not looks_like_stack_trace(text)


def test_single_frame_needs_header():
    frame = '  File "/opt/app/x.py", line 3, in main'

    assert not looks_like_stack_trace(frame)
    assert looks_like_stack_trace("Traceback (most recent call last):\n" + frame)
