"""Drive `wrk` (Debian's) over loopback and read req/s and p99 from its `--latency` output."""

from __future__ import annotations

import re
import shutil
import subprocess
import tempfile
from dataclasses import dataclass
from pathlib import Path

_UNITS = {"us": 0.001, "ms": 1.0, "s": 1000.0}


@dataclass(frozen=True)
class WrkResult:
    """One wrk run: throughput, latency percentiles (ms) and anything that went wrong."""

    requests_per_s: float
    p50_ms: float
    p99_ms: float
    requests: int
    bad_status: int
    socket_errors: str | None


def ensure_wrk() -> str:
    """wrk's path; installs Debian's package when missing, or fails saying what to do."""
    found = shutil.which("wrk")
    if found:
        return found
    print("wrk missing: trying `apt-get install -y wrk`")
    subprocess.run(["apt-get", "install", "-y", "-qq", "wrk"], check=False)
    found = shutil.which("wrk")
    if not found:
        raise SystemExit("api bench needs wrk: run `apt-get install -y wrk` (Debian) and retry")
    return found


def wrk_version(wrk: str) -> str:
    """The first line of `wrk -v` (it exits non-zero; that is normal)."""
    out = subprocess.run([wrk, "-v"], capture_output=True, text=True, check=False)
    return (out.stdout or out.stderr).splitlines()[0].strip()


def _lua(paths: list[str], headers: list[dict[str, str]] | None) -> str:
    def lua_str(s: str) -> str:
        return '"' + s.replace("\\", "\\\\").replace('"', '\\"') + '"'

    lines = ["local paths = {" + ",".join(lua_str(p) for p in paths) + "}"]
    hdrs = headers or [{} for _ in paths]
    lines.append(
        "local headers = {"
        + ",".join(
            "{" + ",".join(f"[{lua_str(k)}]={lua_str(v)}" for k, v in h.items()) + "}" for h in hdrs
        )
        + "}"
    )
    lines.append("""
local i = 0
init = function(args) i = math.random(#paths) end
request = function()
  i = i % #paths + 1
  return wrk.format("GET", paths[i], headers[i])
end
""")
    return "\n".join(lines)


def _ms(value: str, unit: str) -> float:
    return float(value) * _UNITS[unit]


def parse(output: str) -> WrkResult:
    """Read a `wrk --latency` report."""
    rps = re.search(r"Requests/sec:\s+([\d.]+)", output)
    p50 = re.search(r"^\s+50%\s+([\d.]+)(us|ms|s)\s*$", output, re.M)
    p99 = re.search(r"^\s+99%\s+([\d.]+)(us|ms|s)\s*$", output, re.M)
    total = re.search(r"(\d+) requests in", output)
    if not (rps and p50 and p99 and total):
        raise RuntimeError(f"could not read wrk's report:\n{output}")
    bad = re.search(r"Non-2xx or 3xx responses:\s+(\d+)", output)
    sock = re.search(r"Socket errors:(.*)", output)
    return WrkResult(
        requests_per_s=float(rps.group(1)),
        p50_ms=round(_ms(*p50.groups()), 3),
        p99_ms=round(_ms(*p99.groups()), 3),
        requests=int(total.group(1)),
        bad_status=int(bad.group(1)) if bad else 0,
        socket_errors=sock.group(1).strip() if sock else None,
    )


def run(
    wrk: str,
    base_url: str,
    paths: list[str],
    *,
    headers: list[dict[str, str]] | None = None,
    seconds: float = 10,
    connections: int = 32,
    threads: int = 2,
) -> WrkResult:
    """One wrk run rotating over `paths` (each with its own headers, if given)."""
    with tempfile.TemporaryDirectory() as tmp:
        script = Path(tmp) / "rotate.lua"
        script.write_text(_lua(paths, headers))
        out = subprocess.run(
            [
                wrk,
                f"-t{threads}",
                f"-c{connections}",
                f"-d{seconds:g}s",
                "--latency",
                "--timeout",
                "10s",
                "-s",
                str(script),
                base_url,
            ],
            capture_output=True,
            text=True,
            check=True,
        )
    return parse(out.stdout)
