"""Smoke run of the production-style stack on this machine, without Docker.

Starts gunicorn with DEBUG off, a Celery worker and beat against the local
PostgreSQL and Redis, and an SMTP sink. Then it walks one request's life over
HTTP: a customer logs in and creates a request with an attachment, an agent
replies and changes the status in the admin, and both e-mails must reach the
sink. Everything it started is stopped at the end, also after a failure.

    make smoke

Environment (all optional):
    SMOKE_DATABASE_URL  PostgreSQL database to recreate and use
                        (default postgres://postgres@127.0.0.1:5432/ccc_smoke)
    SMOKE_REDIS_URL     Redis database to flush and use
                        (default redis://127.0.0.1:6379/15)
    SMOKE_PORT          port of gunicorn; the SMTP sink listens on the next one
                        (default 18880)
    SMOKE_KEEP_LOGS     set to 1 to keep the temporary folder with the logs
"""

import email
import email.policy
import http.cookiejar
import json
import os
import re
import secrets
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.parse
import urllib.request
import uuid
from collections.abc import Callable
from html.parser import HTMLParser
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
PYTHON = sys.executable

CUSTOMER = ("smoke.customer@alpha.example", "smoke-customer-passphrase-1")
AGENT = ("smoke.agent@support.example", "smoke-agent-passphrase-2")
ADMIN = ("smoke.admin@support.example", "smoke-admin-passphrase-3")
ATTACHMENT = ("stacktrace.txt", b"java.lang.IllegalStateException: smoke\n\tat x\n")

# The production commands of docker-compose.yml, run with this interpreter.
WEB_COMMAND = ["-m", "gunicorn", "--config", "python:portal.gunicorn_conf"]
WEB_COMMAND += ["portal.wsgi:application"]
WORKER_COMMAND = ["-m", "celery", "--app", "portal", "--quiet", "worker"]
WORKER_COMMAND += ["--pool", "solo"]
BEAT_COMMAND = ["-m", "celery", "--app", "portal", "--quiet", "beat"]

# Sequential requests per probe for the response-time figures.
PROBE_SAMPLES = 50

# Seconds to wait for each process or condition before the run fails.
START_TIMEOUT = 60
MAIL_TIMEOUT = 60


class SmokeFailure(Exception):
    """A step of the smoke run did not give the expected result."""


def log(message: str) -> None:
    print(f"smoke: {message}", flush=True)


# --- Seeding (runs inside the smoke environment, in a subprocess) -------------


def seed() -> None:
    """Create the organization, people, project and request type of the walk."""
    import django

    django.setup()
    from accounts.models import Membership, Organization, User
    from accounts.roles import make_agent
    from helpcenter.models import Project, RequestType, TicketType

    organization = Organization.objects.create(name="Alpha Industries")
    customer = User.objects.create_user(
        email=CUSTOMER[0], password=CUSTOMER[1], full_name="Clara Customer"
    )
    Membership.objects.create(user=customer, organization=organization)
    make_agent(
        User.objects.create_user(
            email=AGENT[0], password=AGENT[1], full_name="Anna Agent"
        )
    )
    project = Project.objects.create(key="NET", name="Network Planner Support")
    RequestType.objects.create(
        project=project, slug="report-bug", name="Report a bug", type=TicketType.BUG
    )


# --- HTTP client ----------------------------------------------------------------


class LoopbackCookiePolicy(http.cookiejar.DefaultCookiePolicy):
    """Send Secure cookies to 127.0.0.1 over HTTP, as browsers do for loopback.

    The portal runs with its production cookie settings (Secure), and the smoke
    run has no TLS proxy in front of it.
    """

    def return_ok_secure(self, cookie, request) -> bool:
        return True


class FormParser(HTMLParser):
    """Collect the fields of every form on a page, as a browser would submit them."""

    def __init__(self) -> None:
        super().__init__()
        self.forms: list[dict[str, Any]] = []
        self._select: str | None = None
        self._select_values: list[str] = []
        self._select_first: str | None = None
        self._select_multiple = False
        self._option_value: str | None = None
        self._textarea: str | None = None
        self._text: list[str] = []

    @property
    def form(self) -> dict[str, Any]:
        return self.forms[-1]

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        attributes = {name: value or "" for name, value in attrs}
        name = attributes.get("name", "")
        if tag == "form":
            self.forms.append(
                {
                    "action": attributes.get("action", ""),
                    "fields": [],
                    "files": [],
                    "selects": {},
                }
            )
        elif not self.forms:
            return
        elif tag == "input" and name:
            kind = attributes.get("type", "text").lower()
            if kind == "file":
                self.form["files"].append(name)
            elif kind in {"checkbox", "radio"}:
                if "checked" in attributes:
                    self.form["fields"].append((name, attributes.get("value", "on")))
            elif kind not in {"submit", "button", "image", "reset"}:
                self.form["fields"].append((name, attributes.get("value", "")))
        elif tag == "select" and name:
            self._select = name
            self._select_values = []
            self._select_first = None
            self._select_multiple = "multiple" in attributes
        elif tag == "option" and self._select is not None:
            value = attributes.get("value")
            self._option_value = value
            if value is not None and self._select_first is None:
                self._select_first = value
            if "selected" in attributes and value is not None:
                self._select_values.append(value)
        elif tag == "textarea" and name:
            self._textarea = name
            self._text = []

    def handle_data(self, data: str) -> None:
        if self._textarea is not None:
            self._text.append(data)

    def handle_endtag(self, tag: str) -> None:
        if tag == "select" and self._select is not None:
            values = self._select_values
            if not values and not self._select_multiple and self._select_first:
                values = [self._select_first]
            for value in values:
                self.form["fields"].append((self._select, value))
            self.form["selects"][self._select] = values
            self._select = None
        elif tag == "textarea" and self._textarea is not None:
            text = "".join(self._text)
            self.form["fields"].append((self._textarea, text.removeprefix("\n")))
            self._textarea = None


def find_form(html: str, has_field: str) -> dict[str, Any]:
    parser = FormParser()
    parser.feed(html)
    for form in parser.forms:
        names = {name for name, _ in form["fields"]} | set(form["files"])
        if has_field in names:
            return form
    raise SmokeFailure(f"no form with a field {has_field!r} on the page")


def replace_fields(
    fields: list[tuple[str, str]], changes: dict[str, str]
) -> list[tuple[str, str]]:
    kept = [(name, value) for name, value in fields if name not in changes]
    return kept + list(changes.items())


def encode_multipart(
    fields: list[tuple[str, str]], files: list[tuple[str, str, bytes]]
) -> tuple[bytes, str]:
    boundary = uuid.uuid4().hex
    parts: list[bytes] = []
    for name, value in fields:
        parts.append(
            f'--{boundary}\r\nContent-Disposition: form-data; name="{name}"\r\n\r\n'.encode()
            + value.encode()
            + b"\r\n"
        )
    for name, filename, content in files:
        parts.append(
            (
                f"--{boundary}\r\nContent-Disposition: form-data; "
                f'name="{name}"; filename="{filename}"\r\n'
                "Content-Type: text/plain\r\n\r\n"
            ).encode()
            + content
            + b"\r\n"
        )
    parts.append(f"--{boundary}--\r\n".encode())
    return b"".join(parts), f"multipart/form-data; boundary={boundary}"


class Browser:
    """A cookie-keeping HTTP client that does not follow redirects."""

    def __init__(self, base_url: str) -> None:
        self.base_url = base_url
        self.cookies = http.cookiejar.CookieJar(policy=LoopbackCookiePolicy())
        self.opener = urllib.request.build_opener(
            urllib.request.ProxyHandler({}),
            urllib.request.HTTPCookieProcessor(self.cookies),
            NoRedirect(),
        )

    def request(
        self,
        path: str,
        *,
        data: bytes | None = None,
        content_type: str | None = None,
        expect: int = 200,
    ) -> tuple[int, dict[str, str], bytes]:
        url = urllib.parse.urljoin(self.base_url, path)
        headers = {"Referer": url, "Accept-Language": "en"}
        if content_type:
            headers["Content-Type"] = content_type
        request = urllib.request.Request(url, data=data, headers=headers)  # noqa: S310 - loopback URL
        try:
            with self.opener.open(request, timeout=30) as response:
                status, head, body = (
                    response.status,
                    dict(response.headers),
                    response.read(),
                )
        except urllib.error.HTTPError as error:
            status, head, body = error.code, dict(error.headers), error.read()
        if status != expect:
            excerpt = body[:400].decode(errors="replace")
            raise SmokeFailure(f"{url} returned {status}, expected {expect}: {excerpt}")
        return status, head, body

    def get(self, path: str, expect: int = 200) -> tuple[dict[str, str], str]:
        _, headers, body = self.request(path, expect=expect)
        return headers, body.decode()

    def post_form(
        self,
        path: str,
        fields: list[tuple[str, str]],
        files: list[tuple[str, str, bytes]] = (),
        expect: int = 302,
    ) -> dict[str, str]:
        if files:
            data, content_type = encode_multipart(fields, list(files))
        else:
            data = urllib.parse.urlencode(fields).encode()
            content_type = "application/x-www-form-urlencoded"
        _, headers, _ = self.request(
            path, data=data, content_type=content_type, expect=expect
        )
        return headers

    def login(self, path: str, email: str, password: str) -> None:
        _, html = self.get(path)
        form = find_form(html, "csrfmiddlewaretoken")
        fields = replace_fields(
            form["fields"], {"username": email, "password": password}
        )
        headers = self.post_form(path, fields)
        if "login" in headers.get("Location", ""):
            raise SmokeFailure(f"login of {email} at {path} failed")


class NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None


# --- Processes --------------------------------------------------------------------


class Stack:
    """The processes and the SMTP sink of one smoke run, stopped in reverse order."""

    def __init__(self, workdir: Path, env: dict[str, str]) -> None:
        self.workdir = workdir
        self.env = env
        self.processes: list[tuple[str, subprocess.Popen, Path]] = []
        self.smtp = None
        self.messages: list[bytes] = []

    def run(self, name: str, *args: str) -> str:
        result = subprocess.run(  # noqa: S603 - fixed commands of this project
            [PYTHON, *args],
            cwd=ROOT,
            env=self.env,
            capture_output=True,
            text=True,
            timeout=300,
        )
        if result.returncode != 0:
            raise SmokeFailure(f"{name} failed:\n{result.stdout}\n{result.stderr}")
        return result.stdout

    def start(self, name: str, *args: str) -> Path:
        log_path = self.workdir / f"{name}.log"
        log_file = log_path.open("wb")
        process = subprocess.Popen(  # noqa: S603 - fixed commands of this project
            [PYTHON, *args],
            cwd=ROOT,
            env=self.env,
            stdout=log_file,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
        log_file.close()
        self.processes.append((name, process, log_path))
        log(f"started {name} (pid {process.pid}), log {log_path}")
        return log_path

    def start_smtp_sink(self, port: int) -> None:
        from aiosmtpd.controller import Controller

        messages = self.messages

        class Recorder:
            async def handle_DATA(self, server, session, envelope):  # noqa: N802 - aiosmtpd hook
                messages.append(envelope.content)
                return "250 Message accepted"

        self.smtp = Controller(Recorder(), hostname="127.0.0.1", port=port)
        self.smtp.start()
        log(f"SMTP sink listening on 127.0.0.1:{port}")

    def check_running(self) -> None:
        for name, process, log_path in self.processes:
            if process.poll() is not None:
                raise SmokeFailure(
                    f"{name} exited with {process.returncode}:\n{tail(log_path)}"
                )

    def stop(self) -> None:
        for _name, process, _ in reversed(self.processes):
            if process.poll() is None:
                os.killpg(process.pid, signal.SIGTERM)
        deadline = time.monotonic() + 30
        for name, process, _ in reversed(self.processes):
            try:
                process.wait(timeout=max(0.1, deadline - time.monotonic()))
            except subprocess.TimeoutExpired:
                log(f"{name} did not stop within 30 s: killing it")
                os.killpg(process.pid, signal.SIGKILL)
                process.wait()
            log(f"stopped {name} (exit code {process.returncode})")
        if self.smtp is not None:
            self.smtp.stop()
            self.smtp = None
            log("stopped SMTP sink")


def tail(path: Path, lines: int = 40) -> str:
    if not path.exists():
        return "(no log)"
    return "\n".join(path.read_text(errors="replace").splitlines()[-lines:])


def wait_for(description: str, condition: Callable[[], bool], stack: Stack) -> None:
    deadline = time.monotonic() + START_TIMEOUT
    while time.monotonic() < deadline:
        stack.check_running()
        if condition():
            return
        time.sleep(0.25)
    raise SmokeFailure(f"timed out after {START_TIMEOUT} s waiting for {description}")


def answers(url: str) -> bool:
    opener = urllib.request.build_opener(urllib.request.ProxyHandler({}))
    try:
        with opener.open(url, timeout=2) as response:
            return response.status == 200
    except OSError:
        return False


def log_events(path: Path) -> list[dict[str, Any]]:
    """Return the JSON log lines of a process; other lines are skipped."""
    events = []
    for line in path.read_text(errors="replace").splitlines():
        if line.startswith("{"):
            try:
                events.append(json.loads(line))
            except json.JSONDecodeError:
                continue
    return events


def has_event(path: Path, message: str) -> bool:
    return any(event.get("message") == message for event in log_events(path))


def port_is_free(port: int) -> bool:
    with socket.socket() as probe:
        # Like gunicorn, ignore connections of an earlier run still in TIME_WAIT.
        probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            probe.bind(("127.0.0.1", port))
        except OSError:
            return False
    return True


# --- Preparation of PostgreSQL and Redis ------------------------------------------


def recreate_database(url: str) -> None:
    import psycopg
    from psycopg import sql

    parsed = urllib.parse.urlparse(url)
    name = parsed.path.lstrip("/")
    if not re.fullmatch(r"\w+", name):
        raise SmokeFailure(f"unexpected database name {name!r} in SMOKE_DATABASE_URL")
    admin_url = parsed._replace(path="/postgres").geturl()
    with psycopg.connect(admin_url, autocommit=True, connect_timeout=5) as connection:
        connection.execute(
            sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(
                sql.Identifier(name)
            )
        )
        connection.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))


def flush_redis(url: str) -> None:
    import redis

    client = redis.Redis.from_url(url, socket_connect_timeout=5)
    try:
        client.flushdb()
    finally:
        client.close()


# --- The walk ------------------------------------------------------------------------


def walk(base_url: str, stack: Stack, web_log: Path, worker_log: Path) -> None:
    customer = Browser(base_url)
    agent = Browser(base_url)

    log("customer logs in")
    customer.login("/accounts/login/", *CUSTOMER)

    log("customer creates a request with an attachment")
    form_path = "/help-center/NET/report-bug/"
    _, html = customer.get(form_path)
    form = find_form(html, "summary")
    fields = replace_fields(
        form["fields"],
        {
            "summary": "Smoke: export to PDF fails",
            "description": "Steps: open a plan, export to PDF. Error 500.",
        },
    )
    file_field = "attachments" if "attachments" in form["files"] else form["files"][0]
    headers = customer.post_form(
        form_path, fields, files=[(file_field, ATTACHMENT[0], ATTACHMENT[1])]
    )
    ticket_path = urllib.parse.urlparse(headers["Location"]).path
    match = re.fullmatch(r"/requests/(NET-\d+)/", ticket_path)
    if match is None:
        raise SmokeFailure(f"request creation redirected to {ticket_path!r}")
    key = match.group(1)

    page_headers, html = customer.get(ticket_path)
    if "Smoke: export to PDF fails" not in html:
        raise SmokeFailure(f"the page of {key} does not show its summary")
    if "'unsafe-inline'" in page_headers.get(
        "Content-Security-Policy", "'unsafe-inline'"
    ):
        raise SmokeFailure("the request page has no strict Content-Security-Policy")
    links = re.findall(r'href="(/requests/[^"]+/attachments/\d+/)"', html)
    if not links:
        raise SmokeFailure(f"the page of {key} lists no attachment")
    _, _, content = customer.request(links[0])
    if content != ATTACHMENT[1]:
        raise SmokeFailure("the downloaded attachment differs from the upload")

    log(f"agent replies to {key} in the admin")
    agent.login("/admin/login/", *AGENT)
    changelist = f"/admin/tickets/ticket/?q={key}"
    _, html = agent.get(changelist)
    change_paths = re.findall(r'href="(/admin/tickets/ticket/\d+/change/)[^"]*"', html)
    if not change_paths:
        raise SmokeFailure(f"the admin's ticket list does not find {key}")
    change_path = change_paths[0]
    agent_reply = "Thank you, we can reproduce it and are working on a fix."
    reply_request_id = admin_save(agent, change_path, comment=agent_reply)

    log(f"agent sets {key} to In Progress in the admin")
    admin_save(agent, change_path, status="in_progress")

    _, html = customer.get(ticket_path)
    if agent_reply not in html:
        raise SmokeFailure("the customer does not see the agent's reply")

    log("waiting for the reply and status e-mails to the customer")
    expected = (agent_reply, "Status changed to In Progress")
    deadline = time.monotonic() + MAIL_TIMEOUT
    missing = list(expected)
    while missing and time.monotonic() < deadline:
        stack.check_running()
        texts = customer_mail_texts(stack.messages)
        missing = [text for text in expected if not any(text in t for t in texts)]
        time.sleep(0.25)
    if missing:
        raise SmokeFailure(
            f"no e-mail to the customer containing {missing[0]!r} within "
            f"{MAIL_TIMEOUT} s; {len(stack.messages)} e-mails arrived in all"
        )

    for probe in ("/healthz", "/readyz"):
        log(f"{probe} response times: {measure_probe(base_url + probe)}")

    log("checking /readyz and the request log")
    response_headers, body = customer.get("/readyz")
    if json.loads(body) != {"status": "ok"}:
        raise SmokeFailure(f"/readyz returned {body}")
    request_id = response_headers.get("X-Request-ID", "")
    _, login_headers, _ = Browser(base_url).request("/accounts/login/")
    login_id = login_headers.get("X-Request-ID", "")
    time.sleep(0.5)
    logged_ids = {event.get("request_id") for event in log_events(web_log)}
    if not request_id or login_id not in logged_ids:
        raise SmokeFailure(
            "the web log has no JSON line with the response's request id"
        )
    task_ids = {event.get("request_id") for event in log_events(worker_log)}
    if reply_request_id not in task_ids:
        raise SmokeFailure(
            "the worker's log lines lack the id of the request that queued the task"
        )


def customer_mail_texts(messages: list[bytes]) -> list[str]:
    """Return subject and plain-text body of each e-mail sent to the customer."""
    texts = []
    for raw in list(messages):
        message = email.message_from_bytes(raw, policy=email.policy.default)
        if CUSTOMER[0] not in str(message["To"]):
            continue
        body = message.get_body(preferencelist=("plain",))
        content = body.get_content() if body is not None else ""
        texts.append(f"{message['Subject']}\n{content}")
    return texts


def admin_save(
    agent: Browser, change_path: str, *, comment: str = "", status: str = ""
) -> str:
    """Send a reply or press a status button on the ticket page; return the request id.

    The page has a reply box (field "body", buttons named "kind") and a form
    of status buttons (field "message", buttons named "to_status"), each
    posting to its own URL.
    """
    _, html = agent.get(change_path)
    if comment:
        form = find_form(html, "body")
        changes = {"body": comment, "kind": "reply"}
    else:
        if f'name="to_status" value="{status}"' not in html:
            raise SmokeFailure(f"the ticket page offers no status button {status!r}")
        form = find_form(html, "message")
        changes = {"to_status": status}
    if not form["action"]:
        raise SmokeFailure("the ticket page's form has no action URL")
    headers = agent.post_form(form["action"], replace_fields(form["fields"], changes))
    if not headers.get("Location", "").startswith(change_path):
        raise SmokeFailure(f"the admin did not return to {change_path} after saving")
    return headers.get("X-Request-ID", "")


def measure_probe(url: str, count: int = PROBE_SAMPLES) -> str:
    """Time sequential GETs of a probe over one connection each; return a summary.

    The figures are printed for the record, not checked against a budget.
    """
    durations = []
    opener = urllib.request.build_opener(urllib.request.ProxyHandler({}))
    for _ in range(count):
        started = time.perf_counter()
        with opener.open(url, timeout=10) as response:
            response.read()
        durations.append((time.perf_counter() - started) * 1000)
    durations.sort()
    p50 = durations[len(durations) // 2]
    p95 = durations[int(len(durations) * 0.95) - 1]
    return (
        f"p50 {p50:.1f} ms, p95 {p95:.1f} ms, max {durations[-1]:.1f} ms ({count} GETs)"
    )


# --- Main ------------------------------------------------------------------------------


def main() -> int:
    database_url = os.environ.get(
        "SMOKE_DATABASE_URL", "postgres://postgres@127.0.0.1:5432/ccc_smoke"
    )
    redis_url = os.environ.get("SMOKE_REDIS_URL", "redis://127.0.0.1:6379/15")
    web_port = int(os.environ.get("SMOKE_PORT", "18880"))
    smtp_port = web_port + 1
    base_url = f"http://127.0.0.1:{web_port}"
    started = time.monotonic()

    for port in (web_port, smtp_port):
        if not port_is_free(port):
            log(f"port {port} is in use; set SMOKE_PORT to a free pair of ports")
            return 1

    workdir = Path(tempfile.mkdtemp(prefix="ccc-smoke-"))
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "portal.settings.base",
        "DEBUG": "false",
        "SECRET_KEY": secrets.token_urlsafe(50),
        "ALLOWED_HOSTS": "127.0.0.1,localhost",
        "PORTAL_URL": base_url,
        "DATABASE_URL": database_url,
        "REDIS_URL": redis_url,
        "EMAIL_HOST": "127.0.0.1",
        "EMAIL_PORT": str(smtp_port),
        "VAR_DIR": str(workdir / "var"),
        "MEDIA_ROOT": str(workdir / "media"),
        "STATIC_ROOT": str(workdir / "static"),
        "LOG_FORMAT": "json",
        "GUNICORN_BIND": f"127.0.0.1:{web_port}",
        "WEB_CONCURRENCY": "2",
        # Plain HTTP on loopback, no TLS proxy: no redirect to HTTPS. Cookies
        # stay Secure, and the smoke client sends them to loopback anyway.
        "SECURE_SSL_REDIRECT": "false",
        "DJANGO_SUPERUSER_EMAIL": ADMIN[0],
        "DJANGO_SUPERUSER_PASSWORD": ADMIN[1],
    }
    for name in ("DJANGO_SUPERUSER_FULL_NAME", "SMOKE_KEEP_LOGS"):
        env.pop(name, None)

    stack = Stack(workdir, env)
    web_log = worker_log = beat_log = workdir / "missing.log"

    def stop_on_signal(signum, frame):
        raise KeyboardInterrupt(f"signal {signum}")

    signal.signal(signal.SIGTERM, stop_on_signal)
    failed = True
    try:
        log(f"recreating database {urllib.parse.urlparse(database_url).path[1:]}")
        recreate_database(database_url)
        flush_redis(redis_url)

        log("preparing: check --deploy, migrate, collectstatic, superuser, seed")
        stack.run("check --deploy", "manage.py", "check", "--deploy")
        stack.run("migrate", "manage.py", "migrate", "--no-input")
        stack.run("collectstatic", "manage.py", "collectstatic", "--no-input")
        stack.run("ensure_superuser", "manage.py", "ensure_superuser")
        stack.run("seed", str(Path(__file__)), "--seed")

        stack.start_smtp_sink(smtp_port)
        web_log = stack.start("web", *WEB_COMMAND)
        worker_log = stack.start(
            "worker", *WORKER_COMMAND, "--hostname", f"smoke-{web_port}@%h"
        )
        beat_log = stack.start(
            "beat", *BEAT_COMMAND, "--schedule", str(workdir / "celerybeat-schedule")
        )
        wait_for("/healthz", lambda: answers(f"{base_url}/healthz"), stack)
        wait_for("/readyz", lambda: answers(f"{base_url}/readyz"), stack)
        wait_for("the worker", lambda: has_event(worker_log, "worker started"), stack)
        wait_for("beat", lambda: has_event(beat_log, "beat started"), stack)
        if not has_event(web_log, "web server started"):
            raise SmokeFailure("the web log has no 'web server started' line")

        walk(base_url, stack, web_log, worker_log)
        failed = False
    except SmokeFailure as failure:
        log(f"FAILED: {failure}")
    except KeyboardInterrupt as interrupt:
        log(f"interrupted ({interrupt})")
    finally:
        stack.stop()

    if not failed:
        for name, path, message in (
            ("web", web_log, "web server stopped"),
            ("worker", worker_log, "worker stopped"),
        ):
            if not has_event(path, message):
                log(f"FAILED: the {name} log has no {message!r} line")
                failed = True
    if failed:
        for name, _, path in stack.processes:
            log(f"last lines of the {name} log:\n{tail(path)}")
    if failed or os.environ.get("SMOKE_KEEP_LOGS") == "1":
        log(f"logs kept in {workdir}")
    else:
        shutil.rmtree(workdir, ignore_errors=True)
    elapsed = time.monotonic() - started
    log(f"{'FAILED' if failed else 'passed'} in {elapsed:.1f} s")
    return 1 if failed else 0


if __name__ == "__main__":
    if sys.argv[1:] == ["--seed"]:
        sys.path.insert(0, str(ROOT))
        seed()
        sys.exit(0)
    sys.exit(main())
