"""What a 202 means: the entry on disk before the answer, as far as the server allows.

The stream is the only copy of an accepted article until the timeline consumer has
stored it, so "accepted" should mean "on disk". NEWSLINE_DURABLE_ACK says how
ingest makes sure (docs/DURABILITY.md):

- `auto` (default): WAITAOF where the server has it with its AOF on (Valkey, Redis
  >= 7.2, the embedded Valkey of `newsline up`); else nothing to wait for if the
  server fsyncs every write (`appendfsync always`); else a 202 means what the
  server's persistence gives, and the startup line says so as a warning. Not a
  refusal: CI and many `REDIS_URL` setups point at a Redis that keeps nothing on
  disk, and ingest must still run there.
- `waitaof`: every 202 waits for WAITAOF; a server without it, or with AOF off, is
  refused at startup.
- `fsync-always`: the server must say `appendonly yes` and `appendfsync always`.
- `off`: never wait; a 202 means the entry is in the server's memory.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Literal

from redis.exceptions import ResponseError

DurableAckMode = Literal["auto", "waitaof", "fsync-always", "off"]


class DurabilityUnavailable(Exception):
    """The server cannot give the guarantee NEWSLINE_DURABLE_ACK asks for."""


@dataclass(frozen=True)
class ServerPersistence:
    """What the server says about keeping writes: its version, WAITAOF, its AOF settings."""

    version: str
    waitaof: bool  # WAITAOF 1 0 answered (the command exists and the AOF is on)
    appendonly: str | None  # None: CONFIG GET refused (managed servers often rename it)
    appendfsync: str | None


@dataclass(frozen=True)
class DurableAck:
    """The rule every 202 follows on this server, and the sentence stating its guarantee."""

    wait_for_fsync: bool  # WAITAOF after each entry, before the answer
    guarantee: str
    weak: bool  # a host crash (or a server restart) can lose accepted articles


async def probe(redis: Any) -> ServerPersistence:
    """Ask the server what it does with writes (three cheap commands, once)."""
    info = await redis.info("server")
    version = (f"valkey {info['valkey_version']}" if "valkey_version" in info
               else f"redis {info.get('redis_version', '?')}")
    try:
        # Nothing written on this connection yet: answers at once when usable, errors
        # when unknown (Redis < 7.2) or when the AOF is off.
        await redis.execute_command("WAITAOF", 1, 0, 1)
        waitaof = True
    except ResponseError:
        waitaof = False
    try:
        config = await redis.config_get("append*")
        appendonly, appendfsync = config.get("appendonly"), config.get("appendfsync")
    except ResponseError:
        appendonly = appendfsync = None
    return ServerPersistence(version, waitaof, _text(appendonly), _text(appendfsync))


def _text(value: Any) -> str | None:
    return value.decode() if isinstance(value, bytes) else value


def choose(mode: DurableAckMode, server: ServerPersistence) -> DurableAck:
    """The rule for `mode` on `server`; DurabilityUnavailable if it cannot be kept."""
    fsyncs_every_write = server.appendonly == "yes" and server.appendfsync == "always"
    if mode in ("auto", "waitaof") and server.waitaof:
        return DurableAck(True, f"{server.version}: a 202 is sent only once the server has "
                          "fsynced the entry to its append-only file (WAITAOF 1 0); an "
                          "accepted article survives a crash of the server or of the host",
                          weak=False)
    if mode == "waitaof":
        raise DurabilityUnavailable(
            f"NEWSLINE_DURABLE_ACK=waitaof, but {server.version} cannot WAITAOF "
            f"(it needs Valkey or Redis >= 7.2 with appendonly yes; appendonly is "
            f"{server.appendonly or 'unknown'})")
    if mode in ("auto", "fsync-always") and fsyncs_every_write:
        return DurableAck(False, f"{server.version} fsyncs every write before it answers "
                          "(appendfsync always): an accepted article survives a crash of "
                          "the server or of the host", weak=False)
    if mode == "fsync-always":
        raise DurabilityUnavailable(
            f"NEWSLINE_DURABLE_ACK=fsync-always, but {server.version} runs appendonly "
            f"{server.appendonly or 'unknown'}, appendfsync {server.appendfsync or 'unknown'}")
    return DurableAck(False, _what_persistence_gives(server), weak=not fsyncs_every_write)


def _what_persistence_gives(server: ServerPersistence) -> str:
    if server.appendonly == "yes" and server.appendfsync == "always":
        return f"{server.version} fsyncs every write (appendfsync always): on disk"
    if server.appendonly == "yes":
        within = "about a second" if server.appendfsync == "everysec" else "the OS's delay"
        return (f"{server.version} writes each entry to its append-only file and fsyncs "
                f"within {within} (appendfsync {server.appendfsync}): an accepted article "
                "survives a crash of the server, but a host crash can lose the last ones")
    if server.appendonly == "no":
        return (f"{server.version} keeps the stream in memory only (appendonly no): a 202 "
                "means the entry is in its memory, and a restart of the server loses "
                "every accepted article the timeline consumer has not stored yet (use "
                "appendonly yes, with Valkey or Redis >= 7.2 for WAITAOF)")
    return (f"{server.version} does not say how it persists (CONFIG GET refused): a 202 "
            "means the entry is in its memory; what survives a crash depends on the server")


def statement(mode: DurableAckMode, ack: DurableAck) -> str:
    """The startup line: the setting, and what a 202 guarantees with it on this server."""
    how = "waits for WAITAOF" if ack.wait_for_fsync else "does not wait"
    return f"durable ack (NEWSLINE_DURABLE_ACK={mode}, {how}): {ack.guarantee}"
