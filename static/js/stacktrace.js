// Recognise Java, Python, .NET and JavaScript stack traces in pasted text.
// The same patterns as tickets/stacktrace.py; keep both in step.
(function () {
  "use strict";

  var FRAME_PATTERNS = [
    /^\s*at [\w$.<>\/]+\([^()]*\)\s*$/,
    /^\s*File "[^"]+", line \d+(, in .+)?$/,
    /^\s*at [\w.`<>\[\],]+\(.*\)( in .+:line \d+)?\s*$/,
    /^\s*at (.+ \()?\S+:\d+:\d+\)?\s*$/,
    /^\s*[\w$.<>\/]*@\S+:\d+:\d+\s*$/,
  ];
  var HEADER_PATTERNS = [
    /^Traceback \(most recent call last\):\s*$/,
    /^Exception in thread ".*" [\w.$]+/,
    /^(Caused by: )?[a-z][\w$]*(\.[\w$]+)+(Exception|Error|Throwable)\b/,
    /^(Unhandled exception\. )?System\.[\w.]+Exception\b/,
    /^(Uncaught )?(\w+)?Error: /,
  ];
  var MIN_FRAMES = 2;

  function matchesAny(patterns, line) {
    return patterns.some(function (pattern) { return pattern.test(line); });
  }

  function looksLikeStackTrace(text) {
    var lines = String(text || "").split(/\r\n|\r|\n/);
    var frames = lines.filter(function (line) { return matchesAny(FRAME_PATTERNS, line); }).length;
    if (frames >= MIN_FRAMES) return true;
    if (frames === 0) return false;
    return lines.some(function (line) { return matchesAny(HEADER_PATTERNS, line.trim()); });
  }

  window.CCC = window.CCC || {};
  window.CCC.looksLikeStackTrace = looksLikeStackTrace;
})();
