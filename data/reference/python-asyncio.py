#!/usr/bin/env python3
# python-asyncio.py: Tradeoff's wire contract on Python's asyncio streams,
# with a small HTTP/1.1 parser written here (the standard library has no
# asyncio HTTP server). One thread, one event loop.
#
# Copyright 2026 The Tradeoff authors
#
# SPDX-License-Identifier: GPL-3.0-or-later
#
# Usage: python3 python-asyncio.py [--port P] [--host H]
# Prints {"port": N, "pid": P, "engine": "python-asyncio"} once listening.
# Needs Python 3.8 or later; standard library only.

import argparse
import asyncio
import email.utils
import json
import os
import re
import signal
import socket
import sys
import time
from urllib.parse import parse_qsl

MAX_HEADER_BYTES = 8 * 1024
MAX_BODY_BYTES = 1024 * 1024
# The same bounds as the built-in engines, so one request cannot ask for
# unbounded time or memory.
MAX_CPU_US = 60 * 1000 * 1000            # per request, all items together
MAX_ITEMS = 100 * 1000
MAX_WAIT_US = 60 * 1000 * 1000
MAX_REPLY_BYTES = 64 * 1024 * 1024
MAX_STREAM_BYTES = 16 * 1024 * 1024 * 1024
MAX_STREAM_RATE = 2 ** 32 - 1
MAX_CHUNK_BYTES = 1024 * 1024
DEFAULT_STREAM_BYTES = 1024 * 1024
DEFAULT_CHUNK_BYTES = 16 * 1024
MAX_MESSAGE_BYTES = 64 * 1024
ROOM_NAME = re.compile(r"[A-Za-z0-9._-]{1,64}\Z")
CHUNK_SIZE = re.compile(rb"[0-9A-Fa-f]{1,15}\Z")
ROOM_RULE = "room names are 1 to 64 letters, digits, '-', '_' or '.'\n"
LISTEN_BACKLOG = 1024

REASONS = {
    200: "OK", 204: "No Content", 400: "Bad Request", 404: "Not Found",
    405: "Method Not Allowed", 413: "Content Too Large",
    431: "Request Header Fields Too Large", 501: "Not Implemented",
    505: "HTTP Version Not Supported",
}


class HTTPError(Exception):
    """A request we answer with an error status, then close the connection."""

    def __init__(self, status, message):
        super().__init__(message)
        self.status = status


class BadParameter(Exception):
    """A bad query parameter: 400, but the connection stays usable."""


# CPU work: power iteration on a small dense matrix, until this thread's CPU
# clock has advanced by the asked time.
DIM = 8
MATRIX = [[((i * 7 + j * 3) % 11 - 5) / 10 + (1.0 if i == j else 0.0)
           for j in range(DIM)] for i in range(DIM)]


def spend_cpu(us):
    if us <= 0:
        return 0.0
    clock = time.thread_time_ns
    deadline = clock() + us * 1000
    vector = [1.0] * DIM
    while clock() < deadline:
        product = [sum(a * b for a, b in zip(row, vector)) for row in MATRIX]
        peak = max(abs(x) for x in product) or 1.0
        vector = [x / peak for x in product]
    return vector[0]


_date_cache = [0, b""]


def http_date():
    now = int(time.time())
    if _date_cache[0] != now:
        _date_cache[0] = now
        _date_cache[1] = email.utils.formatdate(now, usegmt=True).encode("ascii")
    return _date_cache[1]


def response_head(status, headers=(), keep_alive=True, length=None, version="HTTP/1.1"):
    lines = [b"HTTP/1.1 %d %s" % (status, REASONS[status].encode("ascii")),
             b"Date: " + http_date()]
    for name, value in headers:
        lines.append(b"%s: %s" % (name.encode("ascii"), value.encode("latin-1")))
    if length is not None:
        lines.append(b"Content-Length: %d" % length)
    if not keep_alive:
        lines.append(b"Connection: close")
    elif version == "HTTP/1.0":
        lines.append(b"Connection: keep-alive")
    return b"\r\n".join(lines) + b"\r\n\r\n"


class Request:
    __slots__ = ("method", "path", "params", "version", "headers", "keep_alive", "body")


def int_param(params, name, default, maximum):
    text = params.get(name)
    if text is None:
        return default
    if not text.isdigit() or not text.isascii() or len(text) > 15:
        raise BadParameter('%s: expected a non-negative integer, got "%s"' % (name, text))
    value = int(text)
    if value > maximum:
        raise BadParameter("%s: %d is over the limit of %d" % (name, value, maximum))
    return value


async def read_head(reader):
    """The request line and headers, or None at a clean end of the connection."""
    try:
        head = await reader.readuntil(b"\r\n\r\n")
    except asyncio.IncompleteReadError as e:
        if e.partial.strip():
            raise HTTPError(400, "the connection ended inside a request head")
        return None
    except asyncio.LimitOverrunError:
        raise HTTPError(431, "request head over %d bytes" % MAX_HEADER_BYTES)
    # A client may send blank lines between requests (RFC 9112, 2.2).
    return head.lstrip(b"\r\n")


def parse_head(head):
    lines = head[:-4].split(b"\r\n")
    parts = lines[0].split(b" ")
    if len(parts) != 3 or not parts[0].isalpha() or not parts[1].startswith(b"/"):
        raise HTTPError(400, "malformed request line")
    method, target, version = (p.decode("latin-1") for p in parts)
    if version not in ("HTTP/1.1", "HTTP/1.0"):
        if version.startswith("HTTP/"):
            raise HTTPError(505, "only HTTP/1.0 and HTTP/1.1 are served")
        raise HTTPError(400, "malformed request line")

    headers = {}
    for line in lines[1:]:
        name, colon, value = line.partition(b":")
        if not colon or not name or name != name.strip() or b" " in name:
            raise HTTPError(400, "malformed header line")
        key = name.decode("latin-1").lower()
        text = value.strip(b" \t").decode("latin-1")
        if key in headers:
            if key in ("content-length", "transfer-encoding", "host"):
                if headers[key] != text:
                    raise HTTPError(400, "conflicting %s headers" % key)
                continue
            text = headers[key] + ", " + text
        headers[key] = text

    request = Request()
    request.method = method
    path, _, query = target.partition("?")
    request.path = path
    request.params = dict(parse_qsl(query, keep_blank_values=True))
    request.version = version
    request.headers = headers
    tokens = {t.strip().lower() for t in headers.get("connection", "").split(",")}
    if version == "HTTP/1.1":
        request.keep_alive = "close" not in tokens
    else:
        request.keep_alive = "keep-alive" in tokens
    request.body = b""
    return request


async def read_body(request, reader, writer):
    headers = request.headers
    encoding = headers.get("transfer-encoding")
    length = headers.get("content-length")
    if encoding is None and length is None:
        return b""
    if encoding is not None and length is not None:
        raise HTTPError(400, "both Content-Length and Transfer-Encoding")
    if encoding is not None and encoding.lower() != "chunked":
        raise HTTPError(501, "unsupported Transfer-Encoding: %s" % encoding)
    if length is not None:
        if not length.isdigit() or not length.isascii() or len(length) > 15:
            raise HTTPError(400, "malformed Content-Length")
        if int(length) > MAX_BODY_BYTES:
            raise HTTPError(413, "request body over %d bytes" % MAX_BODY_BYTES)
    if headers.get("expect", "").lower() == "100-continue" and request.version == "HTTP/1.1":
        writer.write(b"HTTP/1.1 100 Continue\r\n\r\n")

    if length is not None:
        return await reader.readexactly(int(length))

    parts = []
    total = 0
    while True:
        line = await reader.readuntil(b"\r\n")
        size_text = line.split(b";", 1)[0].strip()
        if not CHUNK_SIZE.match(size_text):
            raise HTTPError(400, "malformed chunk size")
        size = int(size_text, 16)
        if size == 0:
            while (await reader.readuntil(b"\r\n")) != b"\r\n":
                pass        # trailer fields, ignored
            return b"".join(parts)
        total += size
        if total > MAX_BODY_BYTES:
            raise HTTPError(413, "request body over %d bytes" % MAX_BODY_BYTES)
        parts.append(await reader.readexactly(size))
        if await reader.readexactly(2) != b"\r\n":
            raise HTTPError(400, "malformed chunk")


class Server:
    def __init__(self):
        self.rooms = {}             # room -> set of StreamWriter
        self.filler = b""
        self.tasks = set()          # one per open connection
        self.stopping = False

    async def stop(self):
        # Connection handlers end here, at an await; a handler task must not
        # end cancelled, or asyncio.streams reports it as an error.
        self.stopping = True
        for task in self.tasks:
            task.cancel()
        await asyncio.gather(*self.tasks, return_exceptions=True)

    def filler_bytes(self, n):
        if len(self.filler) < n:
            self.filler = b"x" * max(n, 2 * len(self.filler))
        return memoryview(self.filler)[:n]

    async def handle(self, reader, writer):
        sock = writer.get_extra_info("socket")
        if sock is not None:
            sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
        task = asyncio.current_task()
        self.tasks.add(task)
        try:
            while True:
                try:
                    head = await read_head(reader)
                    if head is None:
                        break
                    request = parse_head(head)
                    request.body = await read_body(request, reader, writer)
                except HTTPError as e:
                    body = (str(e) + "\n").encode("utf-8")
                    writer.write(response_head(e.status, [("Content-Type", "text/plain; charset=utf-8")],
                                               keep_alive=False, length=len(body)) + body)
                    await writer.drain()
                    break
                if not await self.dispatch(request, reader, writer):
                    break
        except (ConnectionError, asyncio.IncompleteReadError, asyncio.LimitOverrunError):
            pass        # the client went away, or broke off a request
        except asyncio.CancelledError:
            if not self.stopping:
                raise
        finally:
            self.tasks.discard(task)
            writer.close()

    async def reply(self, writer, request, status, text=None, headers=()):
        body = b"" if text is None else text.encode("utf-8")
        all_headers = list(headers)
        if text is not None:
            all_headers.append(("Content-Type", "text/plain; charset=utf-8"))
        head = response_head(status, all_headers, request.keep_alive,
                             None if status == 204 else len(body), request.version)
        writer.write(head if request.method == "HEAD" else head + body)
        await writer.drain()
        return request.keep_alive

    async def dispatch(self, request, reader, writer):
        path = request.path
        method = request.method
        try:
            if path == "/health":
                if method not in ("GET", "HEAD"):
                    return await self.not_allowed(writer, request, "GET, HEAD")
                return await self.reply(writer, request, 200, "ok\n")
            if path == "/work":
                if method != "POST":
                    return await self.not_allowed(writer, request, "POST")
                return await self.work(request, writer)
            if path == "/stream":
                if method != "GET":
                    return await self.not_allowed(writer, request, "GET")
                return await self.stream(request, writer)
            if path.startswith("/chat/"):
                room = path[len("/chat/"):]
                if not ROOM_NAME.match(room):
                    return await self.reply(writer, request, 404, ROOM_RULE)
                if method == "GET":
                    return await self.subscribe(request, reader, writer, room)
                if method == "POST":
                    return await self.publish(request, writer, room)
                return await self.not_allowed(writer, request, "GET, POST")
            return await self.reply(writer, request, 404, "not found\n")
        except BadParameter as e:
            return await self.reply(writer, request, 400, str(e) + "\n")

    async def not_allowed(self, writer, request, allow):
        return await self.reply(writer, request, 405, "method not allowed; use %s\n" % allow,
                                [("Allow", allow)])

    async def work(self, request, writer):
        params = request.params
        cpu_us = int_param(params, "cpu_us", 0, MAX_CPU_US)
        items = int_param(params, "items", 1, MAX_ITEMS)
        wait_us = int_param(params, "wait_us", 0, MAX_WAIT_US)
        reply_bytes = int_param(params, "reply_bytes", 0, MAX_REPLY_BYTES)
        if cpu_us * items > MAX_CPU_US:
            raise BadParameter("cpu_us × items: over the limit of %d µs" % MAX_CPU_US)
        for _ in range(items):
            spend_cpu(cpu_us)       # on the loop, blocking it, as asyncio code does
        if wait_us:
            await asyncio.sleep(wait_us / 1e6)
        head = response_head(200, [("Content-Type", "application/octet-stream")],
                             request.keep_alive, reply_bytes, request.version)
        if reply_bytes:
            writer.writelines([head, self.filler_bytes(reply_bytes)])
        else:
            writer.write(head)
        await writer.drain()
        return request.keep_alive

    async def stream(self, request, writer):
        params = request.params
        total = int_param(params, "bytes", DEFAULT_STREAM_BYTES, MAX_STREAM_BYTES)
        rate = int_param(params, "rate", 0, MAX_STREAM_RATE)
        chunk = int_param(params, "chunk", DEFAULT_CHUNK_BYTES, MAX_CHUNK_BYTES)
        if chunk == 0:
            raise BadParameter("chunk: must be at least 1 byte")
        writer.write(response_head(200, [("Content-Type", "application/octet-stream"),
                                         ("Transfer-Encoding", "chunked")],
                                   request.keep_alive, version=request.version))
        block = self.filler_bytes(min(chunk, total))
        loop = asyncio.get_running_loop()
        start = loop.time()
        sent = 0
        # Chunk i is due at start + (bytes before it) / rate; drain() waits
        # while the client is not reading.
        while sent < total:
            if rate:
                delay = start + sent / rate - loop.time()
                if delay > 0:
                    await asyncio.sleep(delay)
            if writer.is_closing():
                return False
            n = min(chunk, total - sent)
            writer.writelines([b"%x\r\n" % n, block[:n], b"\r\n"])
            sent += n
            await writer.drain()
        writer.write(b"0\r\n\r\n")
        await writer.drain()
        return request.keep_alive

    async def subscribe(self, request, reader, writer, room):
        subscribers = self.rooms.setdefault(room, set())
        subscribers.add(writer)
        try:
            writer.write(response_head(200, [("Content-Type", "text/event-stream"),
                                             ("Cache-Control", "no-cache"),
                                             ("Transfer-Encoding", "chunked")]))
            await writer.drain()
            # The stream stays open until the client closes it; publishers
            # write to it directly.
            while await reader.read(4096):
                pass
        finally:
            subscribers.discard(writer)
            if not subscribers and self.rooms.get(room) is subscribers:
                del self.rooms[room]
        return False

    async def publish(self, request, writer, room):
        cpu_us = int_param(request.params, "cpu_us", 0, MAX_CPU_US)
        body = request.body
        if len(body) > MAX_MESSAGE_BYTES:
            return await self.reply(writer, request, 413,
                                    "a chat message is at most %d bytes\n" % MAX_MESSAGE_BYTES)
        if b"\n" in body or b"\r" in body:
            raise BadParameter("a chat message is a single line")
        spend_cpu(cpu_us)
        # A message is one line of text, and one server-sent event: formatted
        # once, as one chunk of each subscriber's chunked response.
        payload = b"data: %s\n\n" % body
        event = b"%x\r\n%s\r\n" % (len(payload), payload)
        for subscriber in self.rooms.get(room, ()):
            if not subscriber.is_closing():
                subscriber.write(event)
        return await self.reply(writer, request, 204)


async def serve(host, port):
    server_state = Server()
    server = await asyncio.start_server(server_state.handle, host, port,
                                        limit=MAX_HEADER_BYTES, backlog=LISTEN_BACKLOG)
    bound_port = server.sockets[0].getsockname()[1]
    print(json.dumps({"port": bound_port, "pid": os.getpid(), "engine": "python-asyncio"}),
          flush=True)

    stop = asyncio.Event()
    loop = asyncio.get_running_loop()
    for signum in (signal.SIGINT, signal.SIGTERM):
        loop.add_signal_handler(signum, stop.set)
    await stop.wait()
    server.close()
    await server_state.stop()


def raise_open_file_limit():
    # Node raises its soft limit on open files to the hard limit when it
    # starts; do the same, so a thousand connections find descriptors.
    try:
        import resource
        soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
        if hard == resource.RLIM_INFINITY:
            hard = 1 << 20
        if soft != resource.RLIM_INFINITY and soft < hard:
            resource.setrlimit(resource.RLIMIT_NOFILE, (hard, hard))
    except (ImportError, ValueError, OSError):
        pass


def main():
    parser = argparse.ArgumentParser(description="Tradeoff's wire contract on asyncio streams.")
    parser.add_argument("--port", type=int, default=0, help="port to listen on (0: any free port)")
    parser.add_argument("--host", default="127.0.0.1", help="address to listen on")
    args = parser.parse_args()
    if not 0 <= args.port <= 65535:
        parser.error("--port: expected a number from 0 to 65535")
    raise_open_file_limit()
    try:
        asyncio.run(serve(args.host, args.port))
    except OSError as e:
        print("cannot listen on %s:%d: %s" % (args.host, args.port, e.strerror or e), file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
