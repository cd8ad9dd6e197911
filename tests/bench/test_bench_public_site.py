"""Serve the demo site with gunicorn and measure the public pages beside a minimal view.

Run with `make bench` (or `pytest tests/bench -m bench -s`). Each page is measured cached (a
reader with no cookie, served from the public page cache) and uncached (a reader sending a
cookie, so the page is built every time), with a few and with many concurrent clients. Prints
requests per second, median and 95th percentile latency, and each page's requests per second
as a share of the minimal view's; asserts only that every response was a 200, never a timing.
"""

import os
import statistics
import subprocess
import sys
import time
import urllib.request
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest
from cryptography.fernet import Fernet

from tests.processes import free_port

pytestmark = pytest.mark.bench

ROOT = Path(__file__).resolve().parents[2]
REQUESTS = int(os.environ.get("BENCH_REQUESTS", "400"))
CONCURRENCIES = [int(n) for n in os.environ.get("BENCH_CONCURRENCY", "8,50").split(",")]
WORKERS = os.environ.get("BENCH_WORKERS", "4")
BASELINE = "minimal Django view (baseline)"
URLS = {
    BASELINE: "/bench/minimal/",
    "home page": "/",
    "guidance article": "/guidance/coercive-control/",
    "drop-in finder": "/drop-ins/",
    "drop-in finder, North": "/drop-ins/?locality=north",
}

SEED_PUBLIC_SITE = "from cms import demo; demo.seed()"


def _environment(var_dir: Path) -> dict:
    env = {key: value for key, value in os.environ.items() if key != "PYTEST_VERSION"}
    env.update(
        DJANGO_SETTINGS_MODULE="tests.bench.settings_public_site",
        DEBUG="0",
        SECRET_KEY="bench-" + Fernet.generate_key().decode(),
        FIELD_ENCRYPTION_KEYS=Fernet.generate_key().decode(),
        BLIND_INDEX_KEYS="bench-" + Fernet.generate_key().decode(),
        ALLOWED_HOSTS="127.0.0.1,localhost",
        SECURE_SSL_REDIRECT="0",
        VAR_DIR=str(var_dir),
        LOG_LEVEL="WARNING",
        PYTHONPATH=str(ROOT),
    )
    # A database of its own, never the one DATABASE_URL names (the server migrates and seeds
    # it): a throwaway SQLite file, or an existing empty database named by BENCH_DATABASE_URL.
    env["DATABASE_URL"] = os.environ.get(
        "BENCH_DATABASE_URL", f"sqlite:///{var_dir / 'bench.sqlite3'}"
    )
    return env


# Any cookie keeps a reader out of the page cache: each request builds the page.
UNCACHED_HEADERS = {"Cookie": "bench=uncached"}


def _get(url: str, headers: dict | None = None) -> tuple[int, float]:
    started = time.perf_counter()
    request = urllib.request.Request(url, headers=headers or {})
    with urllib.request.urlopen(request, timeout=30) as response:
        response.read()
        return response.status, time.perf_counter() - started


def _measure(url: str, concurrency: int, headers: dict | None) -> dict:
    for _ in range(20):  # warm up every worker
        _get(url, headers)
    started = time.perf_counter()
    with ThreadPoolExecutor(concurrency) as pool:
        results = list(pool.map(lambda _: _get(url, headers), range(REQUESTS)))
    elapsed = time.perf_counter() - started
    statuses = {status for status, _ in results}
    latencies = [seconds for _, seconds in results]
    return {
        "statuses": statuses,
        "rps": REQUESTS / elapsed,
        "median_ms": statistics.median(latencies) * 1000,
        "p95_ms": statistics.quantiles(latencies, n=20)[18] * 1000,
    }


def test_public_site_throughput(tmp_path):
    env = _environment(tmp_path)
    python = sys.executable
    # The public site's demo content only, seeded directly: seed_demo refuses to run without
    # DEBUG (it creates known staff logins), and the benchmark measures the site as deployed.
    for command in (["migrate", "--noinput", "-v0"], ["shell", "-c", SEED_PUBLIC_SITE]):
        done = subprocess.run(
            [python, "manage.py", *command], cwd=ROOT, env=env, capture_output=True, text=True
        )
        assert done.returncode == 0, f"{command[0]} failed:\n{done.stderr[-3000:]}"
    port = free_port()
    server = subprocess.Popen(
        [
            python,
            "-m",
            "gunicorn",
            "portal.wsgi",
            "--workers",
            WORKERS,
            "--bind",
            f"127.0.0.1:{port}",
            "--log-level",
            "warning",
        ],
        cwd=ROOT,
        env=env,
    )
    base = f"http://127.0.0.1:{port}"
    try:
        for _ in range(100):
            try:
                _get(base + "/bench/minimal/")
                break
            except OSError:
                time.sleep(0.2)
        results = {
            (concurrency, name, mode): _measure(base + path, concurrency, headers)
            for concurrency in CONCURRENCIES
            for name, path in URLS.items()
            for mode, headers in (("cached", None), ("uncached", UNCACHED_HEADERS))
            if not (name == BASELINE and mode == "uncached")
        }
    finally:
        server.terminate()
        server.wait(timeout=30)
    print(
        f"\ngunicorn {WORKERS} sync workers, {REQUESTS} requests each, "
        f"database {env['DATABASE_URL'].split(':')[0]}"
    )
    for concurrency in CONCURRENCIES:
        baseline = results[(concurrency, BASELINE, "cached")]["rps"]
        print(f"\n{concurrency} concurrent clients")
        print(f"{'page':<34}{'':<10}{'req/s':>9}{'of base':>9}{'median ms':>11}{'p95 ms':>9}")
        for (clients, name, mode), result in results.items():
            if clients != concurrency:
                continue
            print(
                f"{name:<34}{mode if name != BASELINE else '':<10}{result['rps']:>9.1f}"
                f"{result['rps'] / baseline:>9.0%}{result['median_ms']:>11.1f}"
                f"{result['p95_ms']:>9.1f}"
            )
    for key, result in results.items():
        assert result["statuses"] == {200}, (key, result["statuses"])
