#!/usr/bin/env python3
# python-threads.py: Tradeoff's wire contract on Python's
# http.server.ThreadingHTTPServer: a thread per connection, all of them
# taking turns at the global interpreter lock.
#
# Copyright 2026 The Tradeoff authors
#
# SPDX-License-Identifier: GPL-3.0-or-later
#
# Usage: python3 python-threads.py [--port P] [--host H]
# Prints {"port": N, "pid": P, "engine": "python-threads"} once listening.
# Needs Python 3.8 or later; standard library only.

import argparse
import http.client
import json
import os
import re
import queue
import signal
import socket
import sys
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
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
# How often an idle chat subscriber's thread looks whether its client left.
SUBSCRIBER_CHECK_S = 5.0


class BadParameter(Exception):
    pass


# CPU work: power iteration on a small dense matrix, until this thread's CPU
# clock has advanced by the asked time. A thread waiting for the GIL uses no
# CPU, so under contention this takes longer in wall-clock time.
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


class HeaderBudget:
    """Wraps the request's input while http.server reads the header lines,
    so that a head over MAX_HEADER_BYTES in all gets 431, not only one over
    64 KiB in a single line."""

    def __init__(self, rfile, budget):
        self.rfile = rfile
        self.budget = budget

    def readline(self, limit=-1):
        line = self.rfile.readline(limit)
        self.budget -= len(line)
        if self.budget < 0:
            raise http.client.LineTooLong("request head over %d bytes" % MAX_HEADER_BYTES)
        return line


class Rooms:
    """Room -> the queues of its subscribers' threads."""

    def __init__(self):
        self.lock = threading.Lock()
        self.rooms = {}

    def add(self, room, inbox):
        with self.lock:
            self.rooms.setdefault(room, set()).add(inbox)

    def remove(self, room, inbox):
        with self.lock:
            subscribers = self.rooms.get(room)
            if subscribers is not None:
                subscribers.discard(inbox)
                if not subscribers:
                    del self.rooms[room]

    def publish(self, room, event):
        with self.lock:
            subscribers = list(self.rooms.get(room, ()))
        for inbox in subscribers:
            inbox.put(event)


class Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    disable_nagle_algorithm = True          # TCP_NODELAY, set in setup()
    # Errors found before the version is read still get a status line
    # (http.server would answer them HTTP/0.9-style, with a bare body).
    default_request_version = "HTTP/1.0"
    rooms = Rooms()
    filler = b""

    # Quiet: a log line per request would be most of the work.
    def log_message(self, format, *args):
        pass

    def parse_request(self):
        real = self.rfile
        self.rfile = HeaderBudget(real, MAX_HEADER_BYTES - len(self.raw_requestline))
        try:
            if not super().parse_request():
                return False
        finally:
            self.rfile = real
        if len(self.requestline.split()) != 3:
            # HTTP/0.9 ("GET /path"): no longer a thing to serve.
            self.send_error(400, "request line without an HTTP version")
            return False
        return True

    @classmethod
    def filler_bytes(cls, n):
        if len(cls.filler) < n:
            cls.filler = b"x" * max(n, 2 * len(cls.filler))
        return memoryview(cls.filler)[:n]

    def reply(self, status, text=None, headers=()):
        body = b"" if text is None else text.encode("utf-8")
        self.send_response(status)
        for name, value in headers:
            self.send_header(name, value)
        if text is not None:
            self.send_header("Content-Type", "text/plain; charset=utf-8")
        if status != 204:
            self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        if body and self.command != "HEAD":
            self.wfile.write(body)

    def read_body(self):
        """The request body (Content-Length or chunked); None if it was refused
        with an error reply."""
        encoding = self.headers.get("Transfer-Encoding")
        length = self.headers.get("Content-Length")
        if encoding is not None:
            if length is not None or encoding.lower() != "chunked":
                self.send_error(400, "unsupported Transfer-Encoding")
                return None
            return self.read_chunked()
        if length is None:
            return b""
        if not length.isdigit() or not length.isascii() or len(length) > 15:
            self.send_error(400, "malformed Content-Length")
            return None
        if int(length) > MAX_BODY_BYTES:
            self.send_error(413, "request body over %d bytes" % MAX_BODY_BYTES)
            return None
        return self.rfile.read(int(length))

    def read_chunked(self):
        parts = []
        total = 0
        while True:
            line = self.rfile.readline(1024)
            size_text = line.split(b";", 1)[0].strip()
            if not CHUNK_SIZE.match(size_text):
                self.send_error(400, "malformed chunk size")
                return None
            size = int(size_text, 16)
            if size == 0:
                while self.rfile.readline(MAX_HEADER_BYTES) not in (b"\r\n", b"\n", b""):
                    pass        # trailer fields, ignored
                return b"".join(parts)
            total += size
            if total > MAX_BODY_BYTES:
                self.send_error(413, "request body over %d bytes" % MAX_BODY_BYTES)
                return None
            parts.append(self.rfile.read(size))
            if self.rfile.read(2) != b"\r\n":
                self.send_error(400, "malformed chunk")
                return None

    def route(self):
        path, _, query = self.path.partition("?")
        params = dict(parse_qsl(query, keep_blank_values=True))
        method = self.command
        body = self.read_body()
        if body is None:
            return
        try:
            if path == "/health":
                if method not in ("GET", "HEAD"):
                    return self.not_allowed("GET, HEAD")
                return self.reply(200, "ok\n")
            if path == "/work":
                if method != "POST":
                    return self.not_allowed("POST")
                return self.work(params)
            if path == "/stream":
                if method != "GET":
                    return self.not_allowed("GET")
                return self.stream(params)
            if path.startswith("/chat/"):
                room = path[len("/chat/"):]
                if not ROOM_NAME.match(room):
                    return self.reply(404, ROOM_RULE)
                if method == "GET":
                    return self.subscribe(room)
                if method == "POST":
                    return self.publish(params, room, body)
                return self.not_allowed("GET, POST")
            return self.reply(404, "not found\n")
        except BadParameter as e:
            return self.reply(400, str(e) + "\n")
        except (BrokenPipeError, ConnectionResetError):
            self.close_connection = True    # the client went away mid-reply

    do_GET = do_POST = do_HEAD = do_PUT = do_DELETE = do_PATCH = do_OPTIONS = route

    def not_allowed(self, allow):
        self.reply(405, "method not allowed; use %s\n" % allow, [("Allow", allow)])

    def work(self, params):
        cpu_us = int_param(params, "cpu_us", 0, MAX_CPU_US)
        items = int_param(params, "items", 1, MAX_ITEMS)
        wait_us = int_param(params, "wait_us", 0, MAX_WAIT_US)
        reply_bytes = int_param(params, "reply_bytes", 0, MAX_REPLY_BYTES)
        if cpu_us * items > MAX_CPU_US:
            raise BadParameter("cpu_us × items: over the limit of %d µs" % MAX_CPU_US)
        for _ in range(items):
            spend_cpu(cpu_us)
        if wait_us:
            time.sleep(wait_us / 1e6)       # a blocking wait: the GIL is released
        self.send_response(200)
        self.send_header("Content-Type", "application/octet-stream")
        self.send_header("Content-Length", str(reply_bytes))
        self.end_headers()
        if reply_bytes:
            self.wfile.write(self.filler_bytes(reply_bytes))

    def write_chunk(self, data):
        self.wfile.write(b"%x\r\n%s\r\n" % (len(data), data))

    def stream(self, params):
        total = int_param(params, "bytes", DEFAULT_STREAM_BYTES, MAX_STREAM_BYTES)
        rate = int_param(params, "rate", 0, MAX_STREAM_RATE)
        chunk = int_param(params, "chunk", DEFAULT_CHUNK_BYTES, MAX_CHUNK_BYTES)
        if chunk == 0:
            raise BadParameter("chunk: must be at least 1 byte")
        self.send_response(200)
        self.send_header("Content-Type", "application/octet-stream")
        self.send_header("Transfer-Encoding", "chunked")
        self.end_headers()
        block = self.filler_bytes(min(chunk, total))
        start = time.monotonic()
        sent = 0
        # Chunk i is due at start + (bytes before it) / rate; a blocking
        # write waits while the client is not reading.
        while sent < total:
            if rate:
                delay = start + sent / rate - time.monotonic()
                if delay > 0:
                    time.sleep(delay)
            n = min(chunk, total - sent)
            self.write_chunk(block[:n])
            sent += n
        self.wfile.write(b"0\r\n\r\n")

    def client_left(self):
        try:
            return self.connection.recv(1, socket.MSG_PEEK | socket.MSG_DONTWAIT) == b""
        except BlockingIOError:
            return False
        except OSError:
            return True

    def subscribe(self, room):
        inbox = queue.SimpleQueue()
        self.rooms.add(room, inbox)
        self.close_connection = True        # the stream ends only with the connection
        try:
            self.send_response(200)
            self.send_header("Content-Type", "text/event-stream")
            self.send_header("Cache-Control", "no-cache")
            self.send_header("Transfer-Encoding", "chunked")
            self.end_headers()
            while True:
                try:
                    event = inbox.get(timeout=SUBSCRIBER_CHECK_S)
                except queue.Empty:
                    if self.client_left():
                        return
                    continue
                self.write_chunk(event)
        finally:
            self.rooms.remove(room, inbox)

    def publish(self, params, room, body):
        cpu_us = int_param(params, "cpu_us", 0, MAX_CPU_US)
        if len(body) > MAX_MESSAGE_BYTES:
            return self.reply(413, "a chat message is at most %d bytes\n" % MAX_MESSAGE_BYTES)
        if b"\n" in body or b"\r" in body:
            raise BadParameter("a chat message is a single line")
        spend_cpu(cpu_us)
        # A message is one line of text, and one server-sent event.
        event = b"data: %s\n\n" % body
        self.rooms.publish(room, event)
        self.reply(204)


class Server(ThreadingHTTPServer):
    request_queue_size = LISTEN_BACKLOG     # socketserver's default is 5
    daemon_threads = True

    def handle_error(self, request, client_address):
        # A client that vanishes is not worth a traceback; anything else is.
        if not isinstance(sys.exc_info()[1], (ConnectionError, TimeoutError)):
            super().handle_error(request, client_address)


def stop(signum, frame):
    raise SystemExit(0)


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
    parser = argparse.ArgumentParser(description="Tradeoff's wire contract on ThreadingHTTPServer.")
    parser.add_argument("--port", type=int, default=0, help="port to listen on (0: any free port)")
    parser.add_argument("--host", default="127.0.0.1", help="address to listen on")
    args = parser.parse_args()
    if not 0 <= args.port <= 65535:
        parser.error("--port: expected a number from 0 to 65535")
    raise_open_file_limit()
    try:
        server = Server((args.host, args.port), Handler)
    except OSError as e:
        print("cannot listen on %s:%d: %s" % (args.host, args.port, e.strerror or e), file=sys.stderr)
        return 1
    signal.signal(signal.SIGINT, stop)
    signal.signal(signal.SIGTERM, stop)
    print(json.dumps({"port": server.server_address[1], "pid": os.getpid(),
                      "engine": "python-threads"}), flush=True)
    try:
        server.serve_forever()
    finally:
        server.server_close()
    return 0


if __name__ == "__main__":
    sys.exit(main())
