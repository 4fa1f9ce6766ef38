"""A real ingest process, started as `newsline up` starts it (uvicorn, worker processes):
timings of issue 9's acceptance, and the edge rules that need a socket.

The server runs with NEWSLINE_HEADER_TIMEOUT_S=1 and NEWSLINE_BODY_TIMEOUT_S=1 and no
rate limit (the load below comes from one address); every other setting is the default.
"""

from __future__ import annotations

import json
import os
import socket
import subprocess
import sys
import time
import uuid
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path

import httpx
import pytest

from newsline_ingest.protocol import HTTP_PROTOCOL
from tests.support.newsline_up import free_port

pytestmark = pytest.mark.integration

DENSE = ("Baidu said on 3 March 2025 it will offer 50 million free tokens from 9 July 2024, "
         "and Tencent cut prices by 30% on 1 May 2025. ")
ONE_MB_TEXT = json.dumps({"text": (DENSE * (1_000_000 // len(DENSE) + 1))[:1_000_000]}).encode()


@dataclass(frozen=True)
class Ingest:
    host: str
    port: int

    @property
    def url(self) -> str:
        return f"http://{self.host}:{self.port}"


@pytest.fixture(scope="module")
def ingest(redis_url: str) -> Iterator[Ingest]:
    """A freshly started ingest process; yields once /readyz answers 200."""
    prefix = f"nltest-{uuid.uuid4().hex[:10]}"
    port = free_port()
    env = os.environ | {"REDIS_URL": redis_url, "NEWSLINE_STREAM_PREFIX": prefix,
                        "NEWSLINE_HEADER_TIMEOUT_S": "1", "NEWSLINE_BODY_TIMEOUT_S": "1",
                        "NEWSLINE_RATE_LIMIT": "0"}
    env.pop("NEWSLINE_API_KEY", None)
    proc = subprocess.Popen(
        [sys.executable, "-m", "uvicorn", "newsline_ingest.app:create_app", "--factory",
         "--host", "127.0.0.1", "--port", str(port), "--http", HTTP_PROTOCOL,
         "--log-level", "warning"], env=env)
    server = Ingest("127.0.0.1", port)
    try:
        deadline = time.monotonic() + 180
        while True:
            assert proc.poll() is None, "ingest exited while starting"
            try:
                if httpx.get(f"{server.url}/readyz", timeout=1).status_code == 200:
                    break
            except httpx.HTTPError:
                pass
            assert time.monotonic() < deadline, "ingest not ready within 180 s"
            time.sleep(0.05)
        yield server
    finally:
        proc.terminate()
        proc.wait(15)
        import redis

        client = redis.Redis.from_url(redis_url)
        keys = list(client.scan_iter(match=f"{prefix}*"))
        if keys:
            client.delete(*keys)
        client.close()


def _post(server: Ingest, body: bytes, path: str = "/v1/articles") -> tuple[int, float]:
    started = time.perf_counter()
    response = httpx.post(f"{server.url}{path}", content=body, timeout=30,
                          headers={"content-type": "application/json"})
    return response.status_code, time.perf_counter() - started


def _small(n: int) -> bytes:
    return json.dumps({"text": f"Northwind Cloud said on 3 March 2025 it will cut API prices "
                               f"by {n}% for its customer {uuid.uuid4().hex}."}).encode()


def test_sixteen_concurrent_first_posts_to_a_fresh_ingest_are_all_accepted(
    ingest: Ingest,
) -> None:
    # The first test of the module: nothing has been posted to this process yet. The
    # answer times are printed (issue 9's goal: each within 1 s); a test asserts
    # behaviour, not speed.
    with ThreadPoolExecutor(16) as threads:
        answers = list(threads.map(lambda n: _post(ingest, _small(n)), range(16)))
    assert {status for status, _ in answers} == {202}
    slowest = max(seconds for _, seconds in answers)
    print(f"16 concurrent first posts: slowest {slowest * 1000:.0f} ms")


def test_a_1mb_date_dense_article_is_answered_not_worked_on_for_ever(ingest: Ingest) -> None:
    page = ("<html><body><article>" + f"<p>{DENSE}</p>" * 7600 + "</article></body></html>")
    for body in (ONE_MB_TEXT, json.dumps({"html": page}).encode()):
        status, seconds = _post(ingest, body)
        print(f"1 MB article: {status} in {seconds * 1000:.0f} ms")
        # Bounded work: an answer, not a hang (the time, goal 2 s, is printed).
        assert status in (202, 413, 422) and seconds < 30


_BURST = """
import socket, sys, threading
host, port, path, count = sys.argv[1], int(sys.argv[2]), sys.argv[3], int(sys.argv[4])
body = open(path, "rb").read()
request = (b"POST /v1/articles HTTP/1.1\\r\\nHost: x\\r\\nContent-Type: application/json\\r\\n"
           b"Connection: close\\r\\nContent-Length: " + str(len(body)).encode() + b"\\r\\n\\r\\n"
           + body)
statuses = []
def post():  # raw sockets: the burst costs the machine little CPU besides the server's
    with socket.create_connection((host, port)) as sock:
        sock.sendall(request)
        answer = b""
        while chunk := sock.recv(65536):
            answer += chunk
    statuses.append(int(answer.split(b" ")[1]))
threads = [threading.Thread(target=post) for _ in range(count)]
print("go", flush=True)
for t in threads: t.start()
for t in threads: t.join()
print(sorted(set(statuses)), flush=True)
"""


def test_forty_1mb_posts_at_once_leave_readyz_and_small_posts_answering(
    ingest: Ingest, tmp_path: Path
) -> None:
    # The burst comes from another process, so the probes here share no GIL with it.
    body = tmp_path / "one-mb.json"
    body.write_bytes(ONE_MB_TEXT)
    burst = subprocess.Popen(
        [sys.executable, "-c", _BURST, ingest.host, str(ingest.port), str(body), "40"],
        stdout=subprocess.PIPE, text=True)
    assert burst.stdout is not None and burst.stdout.readline().strip() == "go"
    probes: list[tuple[str, int, float]] = []
    with httpx.Client(base_url=ingest.url, timeout=10) as client:
        while burst.poll() is None or len(probes) < 10:
            for path in ("/readyz", "/v1/articles"):
                started = time.perf_counter()
                if path == "/readyz":
                    status = client.get(path).status_code
                else:
                    status = client.post(path, content=_small(7),
                                         headers={"content-type": "application/json"}
                                         ).status_code
                probes.append((path, status, time.perf_counter() - started))
    statuses = burst.stdout.read().strip()
    slowest = max(seconds for _, _, seconds in probes)
    print(f"40 x 1 MB at once ({statuses}): {len(probes)} probes, slowest "
          f"{slowest * 1000:.0f} ms:", [round(s * 1000) for _, _, s in probes])
    assert burst.returncode == 0 and statuses == "[413]"
    assert {status for _, status, _ in probes} <= {200, 202}
    # Answered while the burst is in flight, not after it: probes keep coming back (at
    # least ten during the burst). Their latency (issue 9's goal: 100 ms) is printed.
    assert len(probes) >= 10


def _raw(server: Ingest, *parts: bytes, pause: float = 0.0, wait: float = 5.0) -> bytes:
    with socket.create_connection((server.host, server.port), timeout=wait) as sock:
        for part in parts:
            sock.sendall(part)
            time.sleep(pause)
        received = b""
        try:
            while chunk := sock.recv(65536):
                received += chunk
        except TimeoutError:
            pass
    return received


def _status_and_json(raw: bytes) -> tuple[int, dict[str, str]]:
    head, _, body = raw.partition(b"\r\n\r\n")
    return int(head.split(b" ")[1]), json.loads(body)


def test_headers_that_never_finish_get_a_json_408(ingest: Ingest) -> None:
    started = time.monotonic()
    raw = _raw(ingest, b"POST /v1/articles HTTP/1.1\r\nHost: x\r\n", b"X-Slow: 1\r\n", pause=0.3)
    status, body = _status_and_json(raw)
    assert (status, body["error"]) == (408, "header_timeout")
    assert time.monotonic() - started < 3


def test_a_body_that_never_finishes_gets_a_json_408(ingest: Ingest) -> None:
    head = (b"POST /v1/articles HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n"
            b"Content-Length: 1000\r\n\r\n")
    started = time.monotonic()
    status, body = _status_and_json(_raw(ingest, head, b'{"text": "'))
    assert (status, body["error"]) == (408, "body_timeout")
    assert "NEWSLINE_BODY_TIMEOUT_S" in body["message"]
    assert time.monotonic() - started < 3


def test_a_413_reaches_a_client_that_sends_its_whole_body_first(ingest: Ingest) -> None:
    big = json.dumps({"text": "word " * 600_000}).encode()  # 3 MB, over the 2 MB limit
    declared = httpx.post(f"{ingest.url}/v1/articles", content=big, timeout=30,
                          headers={"content-type": "application/json"})

    def chunked() -> Iterator[bytes]:
        for i in range(0, len(big), 65536):
            yield big[i : i + 65536]

    streamed = httpx.post(f"{ingest.url}/v1/articles", content=chunked(), timeout=30,
                          headers={"content-type": "application/json"})
    for response in (declared, streamed):
        assert response.status_code == 413
        assert "2000000" in response.json()["message"]


def test_a_header_byte_that_is_not_utf8_gets_a_json_answer_on_the_wire(ingest: Ingest) -> None:
    body = _small(1)
    head = (b"POST /v1/extract HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\xff\r\n"
            b"X-API-Key: k\xc3\xa9\xff\r\nConnection: close\r\n"
            b"Content-Length: " + str(len(body)).encode() + b"\r\n\r\n")
    status, answer = _status_and_json(_raw(ingest, head + body))
    assert (status, answer["error"]) == (415, "unsupported_media_type")
