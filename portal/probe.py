"""Container health checks that need neither curl nor a Django start-up.

    python -m portal.probe http://127.0.0.1:8000/readyz   # web: the portal is ready
    python -m portal.probe redis                          # beat: the broker responds

Exits 0 when healthy and 1 otherwise, with the reason on stderr. The HTTP probe
sends the first entry of ALLOWED_HOSTS as Host header, so Django accepts it.
"""

import os
import sys
import urllib.error
import urllib.request

TIMEOUT = 5  # seconds


def probe_host() -> str:
    """Return a host name that ALLOWED_HOSTS accepts, for the Host header."""
    for host in os.environ.get("ALLOWED_HOSTS", "").split(","):
        host = host.strip().lstrip(".")
        if host and host != "*":
            return host
    return "localhost"


def check_http(url: str) -> str | None:
    request = urllib.request.Request(url, headers={"Host": probe_host()})  # noqa: S310 - URL from the health check command
    # No proxy: the probe targets this container, even when HTTP_PROXY is set.
    opener = urllib.request.build_opener(urllib.request.ProxyHandler({}))
    try:
        with opener.open(request, timeout=TIMEOUT) as response:
            status = response.status
    except urllib.error.HTTPError as error:
        return f"{url} returned HTTP {error.code}"
    except OSError as error:
        return f"{url} is not reachable: {error}"
    return None if status == 200 else f"{url} returned HTTP {status}"


def check_redis() -> str | None:
    import redis

    url = os.environ.get("REDIS_URL", "")
    if not url:
        return "REDIS_URL is not set"
    client = redis.Redis.from_url(
        url, socket_connect_timeout=TIMEOUT, socket_timeout=TIMEOUT
    )
    try:
        client.ping()
    except redis.RedisError as error:
        return f"Redis is not reachable: {error}"
    finally:
        client.close()
    return None


def main(argv: list[str]) -> int:
    if len(argv) != 1:
        print("usage: python -m portal.probe URL|redis", file=sys.stderr)
        return 2
    target = argv[0]
    problem = check_redis() if target == "redis" else check_http(target)
    if problem:
        print(problem, file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
