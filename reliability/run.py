"""Load, concurrency and fault runs against a real deployment on this machine.

Starts its own PostgreSQL cluster (initdb + pg_ctl in a temporary folder),
Redis, an SMTP sink, gunicorn (DEBUG off) and a Celery worker, all on
127.0.0.1 in the port range 18910-18929, then:

- load: 16 signed-in clients for 60 s with a mix of list, search, request
  page, comment and create; zero 5xx and p99 within its budget;
- concurrency: 50 requests created at once in one project get 50 distinct
  consecutive keys; two agents changing one ticket at once lose neither change;
- faults: Redis stopped (comments still save), SMTP rejecting, PostgreSQL
  stopped and started again (clear error page meanwhile, no half-written
  ticket, web and worker serve again without a restart).

Prints every figure with its budget and exits 1 when a check fails. Every
server it started is stopped at the end.
"""

import argparse
import os
import random
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

import httpx
import psycopg
from aiosmtpd.controller import Controller

ROOT = Path(__file__).resolve().parent.parent
HOST = "127.0.0.1"
PG_PORT = 18910
REDIS_PORT = 18911
SMTP_PORT = 18912
WEB_PORT = 18920
PASSWORD = "reliability-run-password-1"  # noqa: S105 - throwaway accounts
CLIENTS = 16

# Budgets. The p99 budget is for a 2-core machine with the whole stack on it.
BUDGET_P99_MS = 3000
BUDGET_5XX = 0
BUDGET_RECOVERY_S = 30


@dataclass
class Results:
    figures: list[str] = field(default_factory=list)
    failures: list[str] = field(default_factory=list)
    skipped: list[str] = field(default_factory=list)
    faults_survived: int = 0

    def figure(self, text: str) -> None:
        self.figures.append(text)
        print(f"  {text}", flush=True)

    def check(self, ok: bool, text: str) -> bool:
        print(f"  [{'ok' if ok else 'FAILED'}] {text}", flush=True)
        if not ok:
            self.failures.append(text)
        return ok

    def skip(self, text: str) -> None:
        print(f"  [skipped] {text}", flush=True)
        self.skipped.append(text)


# --- Servers ----------------------------------------------------------------


class SmtpHandler:
    """An SMTP sink that records messages, or rejects them while reject is set."""

    def __init__(self) -> None:
        self.messages: list[bytes] = []
        self.reject = False
        self.rejected = 0

    async def handle_DATA(self, server, session, envelope):  # noqa: N802 - aiosmtpd hook
        if self.reject:
            self.rejected += 1
            return "554 Transaction failed: the reliability run rejects mail now"
        self.messages.append(envelope.content)
        return "250 Message accepted"


def pg_tool(name: str) -> str:
    """Find a PostgreSQL server tool, also in Debian's versioned folders."""
    found = shutil.which(name)
    if found:
        return found
    for folder in sorted(Path("/usr/lib/postgresql").glob("*/bin"), reverse=True):
        if (folder / name).exists():
            return str(folder / name)
    raise FileNotFoundError(f"{name} not found; install the PostgreSQL server")


def as_postgres(command: list[str]) -> list[str]:
    """Run PostgreSQL's tools as the postgres user, which initdb requires."""
    command = [pg_tool(command[0]), *command[1:]]
    if os.geteuid() == 0:
        return ["runuser", "-u", "postgres", "--", *command]
    return command


class Stack:
    def __init__(self, workdir: Path) -> None:
        self.workdir = workdir
        self.pg_data = workdir / "pg"
        self.processes: dict[str, subprocess.Popen] = {}
        self.smtp = SmtpHandler()
        self.smtp_controller: Controller | None = None
        self.env = {
            **os.environ,
            "DJANGO_SETTINGS_MODULE": "portal.settings.base",
            "DEBUG": "false",
            "SECRET_KEY": "reliability-run-secret-key-not-used-elsewhere",
            "ALLOWED_HOSTS": HOST,
            "DATABASE_URL": f"postgres://postgres@{HOST}:{PG_PORT}/ccc",
            "REDIS_URL": f"redis://{HOST}:{REDIS_PORT}/0",
            "EMAIL_HOST": HOST,
            "EMAIL_PORT": str(SMTP_PORT),
            "EMAIL_TIMEOUT": "5",
            "SESSION_COOKIE_SECURE": "false",
            "CSRF_COOKIE_SECURE": "false",
            "SECURE_SSL_REDIRECT": "false",
            "SECURE_HSTS_SECONDS": "0",
            "SECURE_HSTS_PRELOAD": "false",
            "SECURE_HSTS_INCLUDE_SUBDOMAINS": "false",
            "PORTAL_URL": f"http://{HOST}:{WEB_PORT}",
            "VAR_DIR": str(workdir / "var"),
            "MEDIA_ROOT": str(workdir / "media"),
            "STATIC_ROOT": str(workdir / "static"),
            "LOG_LEVEL": "WARNING",
            "GUNICORN_BIND": f"{HOST}:{WEB_PORT}",
            "WEB_CONCURRENCY": "3",
            "GUNICORN_THREADS": "4",
            # Outbox retries in seconds, so the SMTP fault ends within the run.
            "NOTIFICATION_MAX_ATTEMPTS": "3",
            "NOTIFICATION_RETRY_DELAY": "1",
            "NOTIFICATION_SWEEP_INTERVAL": "2",
            "NOTIFICATION_SWEEP_AFTER": "0",
            "RELIABILITY_PASSWORD": PASSWORD,
            "RELIABILITY_CUSTOMERS": str(CLIENTS),
        }
        self.env.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)

    def log(self, name: str):
        return open(self.workdir / f"{name}.log", "ab")  # noqa: SIM115 - kept by Popen

    def start_postgres(self) -> None:
        self.pg_data.mkdir()
        (self.workdir / "pg-socket").mkdir()
        if os.geteuid() == 0:
            shutil.chown(self.pg_data, "postgres")
            shutil.chown(self.workdir / "pg-socket", "postgres")
            shutil.chown(self.workdir, "postgres")
        subprocess.run(
            as_postgres(
                ["initdb", "-D", str(self.pg_data), "-U", "postgres", "-A", "trust"]
            ),
            check=True,
            stdout=subprocess.DEVNULL,
        )
        self.pg_ctl("start")
        subprocess.run(
            ["createdb", "-h", HOST, "-p", str(PG_PORT), "-U", "postgres", "ccc"],
            check=True,
        )

    def pg_ctl(self, action: str) -> None:
        options = (
            f"-p {PG_PORT} -c listen_addresses={HOST} "
            f"-k {self.workdir / 'pg-socket'} -c fsync=off"
        )
        command = ["pg_ctl", "-D", str(self.pg_data), "-w", "-m", "fast"]
        if action == "start":
            command += ["-o", options, "-l", str(self.workdir / "postgres.log")]
        subprocess.run(
            as_postgres([*command, action]), check=True, stdout=subprocess.DEVNULL
        )

    def start_redis(self) -> None:
        self.processes["redis"] = subprocess.Popen(
            [
                "redis-server",
                "--bind",
                HOST,
                "--port",
                str(REDIS_PORT),
                "--save",
                "",
                "--appendonly",
                "no",
            ],
            stdout=self.log("redis"),
            stderr=subprocess.STDOUT,
        )
        wait_for(lambda: redis_ping(), "Redis")

    def stop_redis(self) -> None:
        process = self.processes.pop("redis")
        process.terminate()
        process.wait(timeout=10)

    def start_smtp(self) -> None:
        self.smtp_controller = Controller(self.smtp, hostname=HOST, port=SMTP_PORT)
        self.smtp_controller.start()

    def manage(self, *arguments: str) -> None:
        subprocess.run(
            [sys.executable, "manage.py", *arguments],
            cwd=ROOT,
            env=self.env,
            check=True,
            stdout=subprocess.DEVNULL,
        )

    def start_app(self) -> None:
        self.manage("migrate", "--no-input")
        self.manage("collectstatic", "--no-input")
        subprocess.run(
            [sys.executable, "reliability/seed.py"], cwd=ROOT, env=self.env, check=True
        )
        self.processes["web"] = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "gunicorn",
                "-c",
                "python:portal.gunicorn_conf",
                "portal.wsgi:application",
            ],
            cwd=ROOT,
            env=self.env,
            stdout=self.log("gunicorn"),
            stderr=subprocess.STDOUT,
        )
        self.processes["worker"] = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "celery",
                "-A",
                "portal",
                "worker",
                "--pool=solo",
                "--beat",
                f"--schedule={self.workdir / 'beat-schedule'}",
                "--without-heartbeat",
                "--without-gossip",
                "--without-mingle",
                "--loglevel=WARNING",
            ],
            cwd=ROOT,
            env=self.env,
            stdout=self.log("worker"),
            stderr=subprocess.STDOUT,
        )
        wait_for(
            lambda: httpx.get(f"http://{HOST}:{WEB_PORT}/healthz").status_code == 200,
            "gunicorn",
        )

    def stop(self) -> None:
        for name, process in reversed(list(self.processes.items())):
            process.terminate()
            try:
                process.wait(timeout=15)
            except subprocess.TimeoutExpired:
                process.kill()
                print(f"  {name} did not stop within 15 s and was killed")
        self.processes.clear()
        if self.smtp_controller is not None:
            self.smtp_controller.stop()
        if (self.pg_data / "postmaster.pid").exists():
            self.pg_ctl("stop")

    def query(self, sql: str, *parameters) -> list[tuple]:
        with psycopg.connect(
            host=HOST, port=PG_PORT, user="postgres", dbname="ccc"
        ) as connection:
            return connection.execute(sql, parameters).fetchall()


def redis_ping() -> bool:
    result = subprocess.run(
        ["redis-cli", "-h", HOST, "-p", str(REDIS_PORT), "ping"],
        capture_output=True,
        text=True,
    )
    return result.stdout.strip() == "PONG"


def wait_for(check: Callable[[], bool], name: str, timeout: float = 60) -> float:
    """Poll check until it returns True; return the seconds it took."""
    start = time.monotonic()
    while time.monotonic() - start < timeout:
        try:
            if check():
                return time.monotonic() - start
        except (httpx.HTTPError, OSError):
            pass
        time.sleep(0.25)
    raise TimeoutError(f"{name} was not ready within {timeout} s")


# --- Clients ----------------------------------------------------------------


def signed_in(email: str, admin: bool = False) -> httpx.Client:
    client = httpx.Client(base_url=f"http://{HOST}:{WEB_PORT}", timeout=30)
    login = "/admin/login/" if admin else "/accounts/login/"
    client.get(login)
    response = client.post(
        login,
        data={
            "username": email,
            "password": PASSWORD,
            "csrfmiddlewaretoken": client.cookies["csrftoken"],
        },
        headers={"Referer": f"http://{HOST}:{WEB_PORT}{login}"},
    )
    if response.status_code != 302:
        raise RuntimeError(f"sign-in of {email} failed: {response.status_code}")
    return client


def post(client: httpx.Client, path: str, data: dict, files=None) -> httpx.Response:
    return client.post(
        path,
        data={**data, "csrfmiddlewaretoken": client.cookies["csrftoken"]},
        files=files,
        headers={"Referer": f"http://{HOST}:{WEB_PORT}{path}"},
    )


def create_request(client: httpx.Client, project: str, summary: str):
    return post(
        client,
        f"/help-center/{project}/report-bug/",
        {
            "summary": summary,
            "description": "Created by the run.",
            "priority": "2",
            "sharing": "private",
        },
        files={"attachments": ("trace.txt", b"stack trace line\n", "text/plain")},
    )


def own_ticket_keys(stack: Stack, email: str) -> list[str]:
    rows = stack.query(
        "SELECT p.key || '-' || t.number FROM tickets_ticket t "
        "JOIN helpcenter_project p ON p.id = t.project_id "
        "JOIN accounts_user u ON u.id = t.reporter_id WHERE u.email = %s",
        email,
    )
    return [row[0] for row in rows]


def ticket_id(stack: Stack, key: str) -> int:
    project, number = key.split("-")
    return stack.query(
        "SELECT t.id FROM tickets_ticket t JOIN helpcenter_project p "
        "ON p.id = t.project_id WHERE p.key = %s AND t.number = %s",
        project,
        int(number),
    )[0][0]


# --- Load -------------------------------------------------------------------


def run_load(stack: Stack, results: Results, seconds: float) -> None:
    print(f"load: {CLIENTS} clients for {seconds:.0f} s", flush=True)
    samples: list[tuple[str, int, float]] = []
    lock = threading.Lock()
    sessions = {n: signed_in(f"customer{n}@load.example") for n in range(CLIENTS)}
    keys_of = {
        n: own_ticket_keys(stack, f"customer{n}@load.example") for n in range(CLIENTS)
    }
    deadline = time.monotonic() + seconds
    mix = ["list"] * 30 + ["search"] * 20 + ["page"] * 25 + ["comment"] * 15
    mix += ["create"] * 10

    def client_loop(number: int) -> None:
        client = sessions[number]
        keys = keys_of[number]
        chooser = random.Random(number)
        while time.monotonic() < deadline:
            kind = chooser.choice(mix)
            key = chooser.choice(keys)
            start = time.monotonic()
            try:
                if kind == "list":
                    response = client.get("/requests/")
                elif kind == "search":
                    response = client.get("/requests/", params={"q": "exports"})
                elif kind == "page":
                    response = client.get(f"/requests/{key}/")
                elif kind == "comment":
                    response = post(
                        client, f"/requests/{key}/comments/", {"body": "Load comment"}
                    )
                else:
                    response = create_request(client, "NET", f"Load request {number}")
                status = response.status_code
            except httpx.HTTPError:
                status = 599
            elapsed = (time.monotonic() - start) * 1000
            with lock:
                samples.append((kind, status, elapsed))
        client.close()

    threads = [threading.Thread(target=client_loop, args=(n,)) for n in range(CLIENTS)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    latencies = sorted(sample[2] for sample in samples)
    statuses = Counter(sample[1] for sample in samples)
    server_errors = sum(count for status, count in statuses.items() if status >= 500)
    p99 = latencies[int(len(latencies) * 0.99) - 1]
    results.figure(f"requests: {len(samples)} ({len(samples) / seconds:.1f}/s)")
    results.figure(f"status codes: {dict(sorted(statuses.items()))}")
    for kind in ("list", "search", "page", "comment", "create"):
        times = sorted(s[2] for s in samples if s[0] == kind)
        if times:
            results.figure(
                f"{kind}: {len(times)} requests, median "
                f"{statistics.median(times):.0f} ms, p99 "
                f"{times[max(int(len(times) * 0.99) - 1, 0)]:.0f} ms"
            )
    results.check(
        server_errors <= BUDGET_5XX,
        f"5xx responses: {server_errors} (budget {BUDGET_5XX})",
    )
    results.check(
        p99 <= BUDGET_P99_MS,
        f"p99 of all requests: {p99:.0f} ms (budget {BUDGET_P99_MS} ms), "
        f"p50 {statistics.median(latencies):.0f} ms",
    )


# --- Concurrency --------------------------------------------------------------


def run_concurrency(stack: Stack, results: Results) -> None:
    print("concurrency: 50 creations at once in one project", flush=True)
    # Signing in hashes a password, which is slow on purpose, so the 50
    # clients share a few sessions.
    sessions = [signed_in(f"customer{n}@load.example") for n in range(5)]
    clients = []
    for number in range(50):
        client = httpx.Client(base_url=f"http://{HOST}:{WEB_PORT}", timeout=60)
        client.cookies = sessions[number % len(sessions)].cookies
        clients.append(client)
    barrier = threading.Barrier(50)
    statuses: list[int] = []

    def create(client: httpx.Client, number: int) -> None:
        barrier.wait()
        response = create_request(client, "CONC", f"Concurrent request {number}")
        statuses.append(response.status_code)

    threads = [
        threading.Thread(target=create, args=(client, n))
        for n, client in enumerate(clients)
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    numbers = sorted(
        row[0]
        for row in stack.query(
            "SELECT t.number FROM tickets_ticket t JOIN helpcenter_project p "
            "ON p.id = t.project_id WHERE p.key = 'CONC'"
        )
    )
    results.check(
        Counter(statuses) == Counter({302: 50}),
        f"50 simultaneous creations answered {dict(Counter(statuses))}",
    )
    results.check(
        numbers == list(range(1, 51)),
        f"keys CONC-1..CONC-50, distinct and consecutive: got {len(set(numbers))} "
        f"distinct, from {numbers[:1]} to {numbers[-1:]}",
    )

    print("concurrency: two agents change one ticket at once", flush=True)
    agent_a = signed_in("agent0@support.example", admin=True)
    agent_b = signed_in("agent1@support.example", admin=True)
    agent_b_id = stack.query(
        "SELECT id FROM accounts_user WHERE email = 'agent1@support.example'"
    )[0][0]
    lost = 0
    rounds = 10
    for index in range(rounds):
        key = f"CONC-{index + 1}"
        pk = ticket_id(stack, key)
        barrier = threading.Barrier(2)

        def transition(pk=pk, barrier=barrier) -> None:
            barrier.wait()
            post(
                agent_a,
                f"/admin/tickets/ticket/{pk}/transition/",
                {"to_status": "in_progress", "message": ""},
            )

        def assign(pk=pk, barrier=barrier) -> None:
            barrier.wait()
            post(agent_b, f"/admin/tickets/ticket/{pk}/assign-to-me/", {})

        workers = [threading.Thread(target=transition), threading.Thread(target=assign)]
        for worker in workers:
            worker.start()
        for worker in workers:
            worker.join()
        status, assignee = stack.query(
            "SELECT status, assignee_id FROM tickets_ticket WHERE id = %s", pk
        )[0]
        if status != "in_progress" or assignee != agent_b_id:
            lost += 1
    results.check(
        lost == 0,
        f"status change and assignment at the same moment: {rounds - lost} of "
        f"{rounds} tickets kept both",
    )


# --- Faults -----------------------------------------------------------------


def outbox_table(stack: Stack) -> str | None:
    """Return the e-mail outbox table, None on a branch without one."""
    rows = stack.query(
        "SELECT table_name FROM information_schema.columns "
        "WHERE table_name = 'tickets_notification' AND column_name = 'state'"
    )
    return rows[0][0] if rows else None


def fault_redis(stack: Stack, results: Results) -> None:
    print("fault: Redis stopped while people comment", flush=True)
    customer = signed_in("customer0@load.example")
    agent = signed_in("agent0@support.example", admin=True)
    key = own_ticket_keys(stack, "customer0@load.example")[0]
    pk = ticket_id(stack, key)
    mails_before = len(stack.smtp.messages)
    stack.stop_redis()
    try:
        comment = post(customer, f"/requests/{key}/comments/", {"body": "No Redis 1"})
        reply = post(
            agent,
            f"/admin/tickets/ticket/{pk}/reply/",
            {"body": "Reply while Redis is down", "kind": "reply"},
        )
        saved = stack.query(
            "SELECT count(*) FROM tickets_comment WHERE ticket_id = %s AND "
            "(body LIKE '%%No Redis 1%%' OR body LIKE '%%Reply while Redis is down%%')",
            pk,
        )[0][0]
    finally:
        stack.start_redis()
    ok = results.check(
        comment.status_code == 302 and reply.status_code == 302 and saved == 2,
        f"comment and agent reply without Redis: {comment.status_code}, "
        f"{reply.status_code}, {saved} of 2 saved",
    )
    if outbox_table(stack) is None:
        results.skip(
            "mail after Redis returns: no outbox table on this branch, and "
            "tickets.notifications drops a mail whose task cannot be queued"
        )
    else:
        arrived = wait_until(lambda: len(stack.smtp.messages) > mails_before, 90)
        ok = results.check(arrived, "the reply's e-mail arrived after Redis returned")
    if ok:
        results.faults_survived += 1


def wait_until(check: Callable[[], bool], seconds: float) -> bool:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if check():
            return True
        time.sleep(0.5)
    return False


def fault_smtp(stack: Stack, results: Results) -> None:
    print("fault: SMTP server rejects every message", flush=True)
    table = outbox_table(stack)
    if table is None:
        results.skip(
            "SMTP rejecting: no outbox table on this branch, so failed deliveries "
            "leave no row to show"
        )
        return
    agent = signed_in("agent0@support.example", admin=True)
    key = own_ticket_keys(stack, "customer1@load.example")[0]
    pk = ticket_id(stack, key)
    # Let the load run's e-mails go out first, so the rejections hit this
    # reply's e-mail and not a backlog.
    drained = wait_until(
        lambda: (
            stack.query(
                f"SELECT count(*) FROM {table} WHERE state IN ('pending', 'sending')"  # noqa: S608 - fixed name
            )[0][0]
            == 0
        ),
        180,
    )
    results.check(drained, "outbox drained before the SMTP fault")
    rejected_before = stack.smtp.rejected
    stack.smtp.reject = True
    try:
        post(
            agent,
            f"/admin/tickets/ticket/{pk}/reply/",
            {"body": "Reply while SMTP rejects", "kind": "reply"},
        )

        def failed_rows() -> list[tuple]:
            return stack.query(
                f"SELECT state, attempts, last_error FROM {table} "  # noqa: S608 - fixed name
                "WHERE ticket_id = %s AND state = 'failed'",
                pk,
            )

        failed = wait_until(lambda: bool(failed_rows()), 120)
    finally:
        stack.smtp.reject = False
    rows = failed_rows()
    attempts = rows[0][1] if rows else 0
    rejections = stack.smtp.rejected - rejected_before
    results.figure(f"SMTP rejections: {rejections}, failed outbox rows: {len(rows)}")
    ok = results.check(
        failed and attempts >= 2,
        f"delivery retried, then marked failed: attempts {attempts}",
    )
    listing = agent.get(
        "/admin/tickets/notification/", params={"state__exact": "failed"}
    )
    ok &= results.check(
        listing.status_code == 200 and "failed" in listing.text.lower(),
        f"failed rows listed on the admin's outbox page: {listing.status_code}",
    )
    if ok:
        results.faults_survived += 1


def fault_postgres(stack: Stack, results: Results) -> None:
    print("fault: PostgreSQL stopped and started again under traffic", flush=True)
    customer = signed_in("customer2@load.example")
    agent = signed_in("agent0@support.example", admin=True)
    before = stack.query("SELECT count(*) FROM tickets_ticket")[0][0]
    stack.pg_ctl("stop")
    try:
        down_page = customer.get("/requests/")
        down_create = create_request(customer, "NET", "FAULT created while down")
    finally:
        stack.pg_ctl("start")
    clear = down_page.status_code in {500, 503} and re.search(
        r"Something went wrong|try again", down_page.text, re.IGNORECASE
    )
    results.check(
        bool(clear),
        f"page while the database is down: {down_page.status_code} with the "
        "portal's error page",
    )
    results.check(
        down_create.status_code >= 500,
        f"request creation while down: {down_create.status_code}",
    )
    recovery = wait_for(
        lambda: customer.get("/requests/").status_code == 200, "web", BUDGET_RECOVERY_S
    )
    created = create_request(customer, "NET", "FAULT created after restart")
    after = stack.query("SELECT count(*) FROM tickets_ticket")[0][0]
    half_written = stack.query(
        "SELECT count(*) FROM tickets_ticket t WHERE t.summary LIKE 'FAULT%%' AND "
        "NOT EXISTS (SELECT 1 FROM tickets_attachment a WHERE a.ticket_id = t.id)"
    )[0][0]
    gaps = stack.query(
        "SELECT p.key, p.last_ticket_number, count(t.id), max(t.number) "
        "FROM helpcenter_project p LEFT JOIN tickets_ticket t ON t.project_id = p.id "
        "GROUP BY p.id HAVING p.last_ticket_number <> count(t.id) "
        "OR p.last_ticket_number <> coalesce(max(t.number), 0)"
    )
    results.figure(f"web served again {recovery:.1f} s after PostgreSQL started")
    ok = results.check(
        created.status_code == 302 and after == before + 1,
        f"creation after the restart: {created.status_code}, tickets {before} -> "
        f"{after}",
    )
    ok &= results.check(half_written == 0, f"half-written tickets: {half_written}")
    ok &= results.check(not gaps, f"projects with key gaps or duplicates: {gaps}")

    key = own_ticket_keys(stack, "customer2@load.example")[0]
    mails_before = len(stack.smtp.messages)
    post(
        agent,
        f"/admin/tickets/ticket/{ticket_id(stack, key)}/reply/",
        {"body": "Reply after the database restart", "kind": "reply"},
    )
    arrived = wait_until(lambda: len(stack.smtp.messages) > mails_before, 60)
    ok &= results.check(
        arrived, "the worker sent a reply's e-mail after the restart, not restarted"
    )
    if ok:
        results.faults_survived += 1


# --- Main -------------------------------------------------------------------


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--seconds", type=float, default=60, help="length of the load run in seconds"
    )
    parser.add_argument(
        "--keep", action="store_true", help="keep the temporary folder with the logs"
    )
    arguments = parser.parse_args()

    workdir = Path(tempfile.mkdtemp(prefix="ccc-reliability-"))
    stack = Stack(workdir)
    results = Results()
    started = time.monotonic()
    try:
        print(f"starting PostgreSQL, Redis, SMTP, gunicorn, worker in {workdir}")
        stack.start_postgres()
        stack.start_redis()
        stack.start_smtp()
        stack.start_app()
        run_load(stack, results, arguments.seconds)
        run_concurrency(stack, results)
        for fault in (fault_redis, fault_smtp, fault_postgres):
            try:
                fault(stack, results)
            except Exception as error:  # noqa: BLE001 - report and go on
                results.check(False, f"{fault.__name__} raised {error!r}")
    finally:
        stack.stop()
        if arguments.keep or results.failures:
            print(f"logs kept in {workdir}")
        else:
            shutil.rmtree(workdir, ignore_errors=True)

    print(
        f"reliability: {len(results.failures)} failed, "
        f"{len(results.skipped)} skipped, faults survived "
        f"{results.faults_survived} of 3, {time.monotonic() - started:.0f} s"
    )
    return 1 if results.failures else 0


if __name__ == "__main__":
    sys.exit(main())
