"""Benchmark the requests overview against its budgets.

Serves the portal with gunicorn on 127.0.0.1 (DEBUG off) against a PostgreSQL
database seeded by `manage.py seed_bench`. As a customer of the first bench
organization it measures the list page, a filtered list, a keyword search and
a request page: median and p95 over sequential requests, plus requests per
second under wrk. As an agent it measures the CSV export of all requests:
time and peak memory growth of the gunicorn worker. The /healthz probe, a
view that returns a constant, is the ceiling: every figure is also printed as
a ratio to its median. The password change page, the simplest page a
signed-in customer can open, is measured too, as a reference without a budget.

Exits with 1 when a figure is over budget, 2 when the set-up fails.
Usage: python bench/run.py --help
"""

import argparse
import http.client
import os
import re
import secrets
import shutil
import signal
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PYTHON = sys.executable
DEFAULT_DATABASE_URL = "postgres://postgres@127.0.0.1:5432/ccc_bench"
# Budgets as multiples of the trivial view's median (this project's targets).
PAGE_BUDGET = 10
SEARCH_BUDGET = 25
CSV_SECONDS_BUDGET = 10.0
CSV_MEMORY_BUDGET_MB = 100.0


@dataclass
class Case:
    name: str
    path: str
    user: str
    budget: float | None = None
    times_ms: list[float] = field(default_factory=list)
    requests_per_second: float | None = None
    # CPU time the gunicorn workers spent per sequential request, in ms. On a
    # machine shared with other work this varies less than the wall times.
    worker_cpu_ms: float = 0.0

    @property
    def median(self) -> float:
        return statistics.median(self.times_ms)

    @property
    def p95(self) -> float:
        ordered = sorted(self.times_ms)
        return ordered[min(len(ordered) - 1, round(0.95 * (len(ordered) - 1)))]


def fail(message: str) -> None:
    print(f"bench: {message}", file=sys.stderr)
    sys.exit(2)


def manage(env: dict[str, str], *args: str, capture: bool = False) -> str:
    result = subprocess.run(
        [PYTHON, "manage.py", *args],
        cwd=ROOT,
        env=env,
        check=False,
        text=True,
        capture_output=capture,
    )
    if result.returncode != 0:
        detail = (result.stderr or "")[-2000:] if capture else ""
        fail(
            f"manage.py {' '.join(args)} failed with exit code {result.returncode}. {detail}"
        )
    return result.stdout if capture else ""


# Runs inside `manage.py shell`: prints the sessions and paths the bench uses.
SETUP_SCRIPT = """
from django.test import Client
from accounts.models import User, Organization
from helpcenter.models import Component
from tickets.models import Ticket
from tickets.management.commands.seed_bench import ORGANIZATIONS, bench_email, BENCH_DOMAIN

def session(email):
    client = Client()
    client.force_login(User.objects.get(email=email))
    return client.cookies["sessionid"].value

organization = Organization.objects.get(name=ORGANIZATIONS[0])
customer = bench_email(ORGANIZATIONS[0], 2)
ticket = (
    Ticket.objects.filter(organization=organization, comments__isnull=False)
    .select_related("project").order_by("pk").first()
)
component = Component.objects.filter(tickets=ticket).order_by("pk").first()
print("customer", session(customer))
print("agent", session(f"agent@{BENCH_DOMAIN}"))
print("organization", organization.pk)
print("component", component.pk)
print("ticket", ticket.key)
print("tickets", Ticket.objects.count())
"""


def prepare_database(env: dict[str, str], tickets: int) -> dict[str, str]:
    manage(env, "migrate", "--no-input", "-v", "0")
    count_output = manage(
        env,
        "shell",
        "-c",
        "from helpcenter.models import Project;"
        "from tickets.models import Ticket;"
        "print(Ticket.objects.filter(project__key__startswith='B').count(),"
        " Project.objects.filter(key='BNET').exists())",
        capture=True,
    )
    seeded, has_bench = count_output.split()[-2:]
    if has_bench == "False":
        print(f"Seeding {tickets} requests (takes a few minutes) ...", flush=True)
        manage(env, "seed_bench", "--tickets", str(tickets))
    elif int(seeded) < tickets:
        fail(
            f"the database has {seeded} bench requests, fewer than {tickets}. "
            "Drop and recreate it, or pass --tickets."
        )
    output = manage(env, "shell", "-c", SETUP_SCRIPT, capture=True)
    values = {}
    for line in output.splitlines():
        name, _, value = line.partition(" ")
        values[name] = value.strip()
    return values


def start_server(env: dict[str, str], port: int, workers: int) -> subprocess.Popen:
    gunicorn = Path(PYTHON).with_name("gunicorn")
    server = subprocess.Popen(
        [
            str(gunicorn),
            "portal.wsgi",
            "--bind",
            f"127.0.0.1:{port}",
            "--workers",
            str(workers),
            "--timeout",
            "120",
            "--log-level",
            "warning",
        ],
        cwd=ROOT,
        env=env,
        start_new_session=True,
    )
    for _ in range(100):
        try:
            status, _body = get(port, "/healthz", None)
            if status == 200:
                return server
        except OSError:
            pass
        time.sleep(0.2)
    stop_server(server)
    fail(f"gunicorn did not answer on 127.0.0.1:{port} within 20 s")
    raise AssertionError  # unreachable


def stop_server(server: subprocess.Popen) -> None:
    os.killpg(server.pid, signal.SIGTERM)
    try:
        server.wait(timeout=15)
    except subprocess.TimeoutExpired:
        os.killpg(server.pid, signal.SIGKILL)


def get(port: int, path: str, session: str | None) -> tuple[int, int]:
    """Fetch a path and read the whole body; return the status and body size."""
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=120)
    headers = {"Cookie": f"sessionid={session}"} if session else {}
    try:
        connection.request("GET", path, headers=headers)
        response = connection.getresponse()
        size = 0
        while chunk := response.read(65536):
            size += len(chunk)
        return response.status, size
    finally:
        connection.close()


def workers_cpu_seconds(pids: list[int]) -> float:
    """Return the user plus system CPU time of the processes, in seconds."""
    total = 0
    for pid in pids:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
        total += int(fields[11]) + int(fields[12])
    return total / os.sysconf("SC_CLK_TCK")


def measure(
    port: int, case: Case, session: str | None, count: int, warmup: int, pids: list[int]
) -> None:
    for _ in range(warmup):
        get(port, case.path, session)
    cpu_before = workers_cpu_seconds(pids)
    for _ in range(count):
        started = time.perf_counter()
        status, _size = get(port, case.path, session)
        case.times_ms.append((time.perf_counter() - started) * 1000)
        if status != 200:
            fail(f"{case.name}: {case.path} answered {status}")
    case.worker_cpu_ms = (workers_cpu_seconds(pids) - cpu_before) * 1000 / count


def run_wrk(port: int, case: Case, session: str | None, seconds: int) -> None:
    command = [
        "wrk",
        "--threads",
        "2",
        "--connections",
        "4",
        "--duration",
        f"{seconds}s",
        f"http://127.0.0.1:{port}{case.path}",
    ]
    if session:
        command[1:1] = ["--header", f"Cookie: sessionid={session}"]
    output = subprocess.run(command, capture_output=True, text=True, check=False).stdout
    match = re.search(r"Requests/sec:\s+([\d.]+)", output)
    non_2xx = re.search(r"Non-2xx or 3xx responses:\s+(\d+)", output)
    if match is None or non_2xx is not None:
        fail(f"wrk failed on {case.path}: {output[-500:]}")
    case.requests_per_second = float(match[1])


def worker_pids(server: subprocess.Popen) -> list[int]:
    children = Path(f"/proc/{server.pid}/task/{server.pid}/children").read_text()
    return [int(pid) for pid in children.split()]


def memory_kb(pid: int, field_name: str) -> int:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith(field_name + ":"):
            return int(line.split()[1])
    return 0


def measure_export(
    port: int, path: str, session: str, server: subprocess.Popen
) -> tuple[float, float, int]:
    """Return seconds, peak memory growth in MB of the busiest worker, and bytes."""
    pids = worker_pids(server)
    before = {pid: memory_kb(pid, "VmRSS") for pid in pids}
    peaks = dict(before)
    done = threading.Event()

    def sample() -> None:
        while not done.is_set():
            for pid in pids:
                peaks[pid] = max(peaks[pid], memory_kb(pid, "VmRSS"))
            time.sleep(0.01)

    sampler = threading.Thread(target=sample)
    sampler.start()
    started = time.perf_counter()
    status, size = get(port, path, session)
    seconds = time.perf_counter() - started
    done.set()
    sampler.join()
    if status != 200:
        fail(f"CSV export answered {status}")
    growth_mb = max(peaks[pid] - before[pid] for pid in pids) / 1024
    return seconds, growth_mb, size


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument(
        "--tickets",
        type=int,
        default=100_000,
        help="Requests to seed (default 100000).",
    )
    parser.add_argument(
        "--port",
        type=int,
        default=18400,
        help="Port for gunicorn on 127.0.0.1 (default 18400).",
    )
    parser.add_argument(
        "--requests",
        type=int,
        default=200,
        help="Sequential requests per page (default 200).",
    )
    parser.add_argument(
        "--wrk-seconds",
        type=int,
        default=10,
        help="Duration of each wrk run in seconds (default 10).",
    )
    parser.add_argument(
        "--workers", type=int, default=2, help="gunicorn workers (default 2)."
    )
    arguments = parser.parse_args()

    database_url = os.environ.get("BENCH_DATABASE_URL", DEFAULT_DATABASE_URL)
    if not database_url.startswith(("postgres://", "postgresql://")):
        fail(
            f"BENCH_DATABASE_URL must name a PostgreSQL database, not {database_url!r}"
        )
    has_wrk = shutil.which("wrk") is not None
    if not has_wrk:
        print(
            "bench: wrk is not installed, so requests per second are not measured. "
            "Install it with: apt-get install -y wrk",
            file=sys.stderr,
        )

    static_root = tempfile.mkdtemp(prefix="ccc-bench-static-")
    env = {
        **os.environ,
        "DATABASE_URL": database_url,
        "SECRET_KEY": secrets.token_urlsafe(40),
        "ALLOWED_HOSTS": "127.0.0.1",
        "STATIC_ROOT": static_root,
        # The bench talks plain HTTP to 127.0.0.1; /healthz is exempt anyway.
        "SECURE_SSL_REDIRECT": "false",
        "LOG_LEVEL": "WARNING",
        "DEBUG": "false",
    }
    env.pop("REDIS_URL", None)
    setup_env = {**env, "DEBUG": "true"}
    values = prepare_database(setup_env, arguments.tickets)
    manage(env, "collectstatic", "--no-input", "-v", "0")

    organization = values["organization"]
    cases = [
        Case("trivial view", "/healthz", "none"),
        # The simplest page of the site layout for a signed-in customer:
        # session, user, menu and a small form. Shown for reference, so the
        # budgets can be read against what any signed-in page costs.
        Case("signed-in page", "/accounts/password/change/", "customer"),
        Case("list page", "/requests/?scope=all", "customer", PAGE_BUDGET),
        Case(
            "filtered list",
            f"/requests/?scope=organization&organization={organization}"
            f"&status_group=closed&component={values['component']}&sort=-priority",
            "customer",
            PAGE_BUDGET,
        ),
        Case(
            "keyword search",
            "/requests/?scope=all&q=proxy+settings",
            "customer",
            SEARCH_BUDGET,
        ),
        Case("request page", f"/requests/{values['ticket']}/", "customer", PAGE_BUDGET),
    ]
    export_path = "/requests/export.csv?scope=all&columns=" + "&columns=".join(
        [
            "summary",
            "status",
            "priority",
            "project",
            "reporter",
            "organization",
            "updated",
        ]
    )

    server = start_server(env, arguments.port, arguments.workers)
    try:
        pids = worker_pids(server)
        for case in cases:
            session = values.get(case.user)
            measure(arguments.port, case, session, arguments.requests, 20, pids)
            if has_wrk:
                run_wrk(arguments.port, case, session, arguments.wrk_seconds)
        # A small export first, so imports and caches are not counted.
        get(arguments.port, "/requests/export.csv?scope=all&q=proxy", values["agent"])
        export_seconds, export_mb, export_bytes = measure_export(
            arguments.port, export_path, values["agent"], server
        )
    finally:
        stop_server(server)
        shutil.rmtree(static_root, ignore_errors=True)

    ceiling = cases[0].median
    over_budget = []
    load = os.getloadavg()
    print()
    print(
        f"{values['tickets']} requests in the database; {arguments.requests} sequential requests per page; "
        f"gunicorn {arguments.workers} workers; load average {load[0]:.2f} {load[1]:.2f} {load[2]:.2f}"
    )
    print(
        f"{'case':<16} {'median ms':>10} {'p95 ms':>8} {'median x':>9} {'p95 x':>7} "
        f"{'req/s':>8} {'cpu ms':>7}  budget"
    )
    for case in cases:
        rps = f"{case.requests_per_second:.0f}" if case.requests_per_second else "-"
        ratio_median = case.median / ceiling
        ratio_p95 = case.p95 / ceiling
        if case is cases[0]:
            verdict = "ceiling"
        elif case.budget is None:
            verdict = "reference"
        elif ratio_p95 <= case.budget:
            verdict = f"p95 <= {case.budget}x: ok"
        else:
            verdict = f"p95 <= {case.budget}x: OVER"
            over_budget.append(case.name)
        print(
            f"{case.name:<16} {case.median:>10.1f} {case.p95:>8.1f} {ratio_median:>9.1f} "
            f"{ratio_p95:>7.1f} {rps:>8} {case.worker_cpu_ms:>7.1f}  {verdict}"
        )
    export_ok = export_seconds < CSV_SECONDS_BUDGET and export_mb < CSV_MEMORY_BUDGET_MB
    if not export_ok:
        over_budget.append("CSV export")
    print(
        f"CSV export of all {values['tickets']} requests: {export_seconds:.2f} s "
        f"({export_seconds * 1000 / ceiling:.0f}x), {export_bytes / 1e6:.1f} MB sent, "
        f"peak worker memory growth {export_mb:.1f} MB; budget < {CSV_SECONDS_BUDGET:.0f} s "
        f"and < {CSV_MEMORY_BUDGET_MB:.0f} MB: {'ok' if export_ok else 'OVER'}"
    )
    if over_budget:
        print(f"Over budget: {', '.join(over_budget)}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
