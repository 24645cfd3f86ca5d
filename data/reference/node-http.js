#!/usr/bin/env node
// node-http.js: Tradeoff's wire contract on Node.js's own `http` module, in
// one process (one event loop, one JavaScript thread).
//
// Copyright 2026 The Tradeoff authors
//
// SPDX-License-Identifier: GPL-3.0-or-later
//
// Usage: node node-http.js [--port P] [--host H]
// Prints {"port": N, "pid": P, "engine": "node"} on stdout once listening.
//
// node-cluster.js loads this file as a module, so everything but the
// command-line entry point is exported.

'use strict';

const http = require('node:http');

const MAX_HEADER_BYTES = 8 * 1024;
const MAX_BODY_BYTES = 1024 * 1024;
// The same bounds as the built-in engines, so one request cannot ask for
// unbounded time or memory.
const MAX_CPU_US = 60 * 1000 * 1000;          // per request, all items together
const MAX_ITEMS = 100 * 1000;
const MAX_WAIT_US = 60 * 1000 * 1000;
const MAX_REPLY_BYTES = 64 * 1024 * 1024;
const MAX_STREAM_BYTES = 16 * 1024 * 1024 * 1024;
const MAX_STREAM_RATE = 2 ** 32 - 1;
const MAX_CHUNK_BYTES = 1024 * 1024;
const DEFAULT_STREAM_BYTES = 1024 * 1024;
const DEFAULT_CHUNK_BYTES = 16 * 1024;
const MAX_MESSAGE_BYTES = 64 * 1024;
const ROOM_NAME = /^[A-Za-z0-9._-]{1,64}$/;
const LISTEN_BACKLOG = 1024;

class BadRequest extends Error {}

// CPU work: power iteration on a small dense matrix (a matrix-vector product
// and a rescale per step), until this process's CPU clock has advanced by the
// asked time. Node 20 has no per-thread CPU clock; process.cpuUsage() is the
// whole process, which for one JavaScript thread is nearly the same thing.
const DIM = 32;
const matrix = new Float64Array(DIM * DIM);
for (let i = 0; i < DIM; i++) {
  for (let j = 0; j < DIM; j++)
    matrix[i * DIM + j] = (((i * 7 + j * 3) % 11) - 5) / 10 + (i === j ? 1 : 0);
}
const vecIn = new Float64Array(DIM).fill(1);
const vecOut = new Float64Array(DIM);

function powerStep() {
  let peak = 0;
  for (let i = 0; i < DIM; i++) {
    let sum = 0;
    const row = i * DIM;
    for (let j = 0; j < DIM; j++)
      sum += matrix[row + j] * vecIn[j];
    vecOut[i] = sum;
    const mag = Math.abs(sum);
    if (mag > peak)
      peak = mag;
  }
  const scale = peak > 0 ? 1 / peak : 1;
  for (let i = 0; i < DIM; i++)
    vecIn[i] = vecOut[i] * scale;
}

function spendCpu(us) {
  if (us <= 0)
    return;
  const start = process.cpuUsage();
  for (;;) {
    for (let k = 0; k < 4; k++)
      powerStep();
    const used = process.cpuUsage(start);
    if (used.user + used.system >= us)
      return;
  }
}

// Reply bodies are slices of one shared buffer, grown on demand.
let filler = Buffer.alloc(0);
function fillerBytes(n) {
  if (filler.length < n)
    filler = Buffer.alloc(Math.max(n, 2 * filler.length), 'x');
  return filler.subarray(0, n);
}

function intParam(params, name, fallback, max) {
  const text = params.get(name);
  if (text === null)
    return fallback;
  if (!/^[0-9]{1,15}$/.test(text))
    throw new BadRequest(`${name}: expected a non-negative integer, got "${text}"`);
  const value = Number(text);
  if (value > max)
    throw new BadRequest(`${name}: ${value} is over the limit of ${max}`);
  return value;
}

function reply(res, status, body, headers) {
  const payload = body === undefined ? '' : body;
  res.writeHead(status, Object.assign({
    'Content-Type': 'text/plain; charset=utf-8',
    'Content-Length': Buffer.byteLength(payload),
  }, headers));
  res.end(payload);
}

function notAllowed(res, allow) {
  reply(res, 405, `method not allowed; use ${allow}\n`, { Allow: allow });
}

// Calls back with the whole request body, or answers 413 itself.
function readBody(req, res, done, limit = MAX_BODY_BYTES) {
  const parts = [];
  let length = 0;
  let tooLarge = false;
  req.on('data', (part) => {
    if (tooLarge)
      return;
    length += part.length;
    if (length > limit) {
      tooLarge = true;
      res.shouldKeepAlive = false;
      reply(res, 413, `request body over ${limit} bytes\n`, { Connection: 'close' });
      return;
    }
    parts.push(part);
  });
  req.on('end', () => {
    if (!tooLarge)
      done(Buffer.concat(parts, length));
  });
}

function work(req, res, params) {
  const cpuUs = intParam(params, 'cpu_us', 0, MAX_CPU_US);
  const items = intParam(params, 'items', 1, MAX_ITEMS);
  const waitUs = intParam(params, 'wait_us', 0, MAX_WAIT_US);
  const replyBytes = intParam(params, 'reply_bytes', 0, MAX_REPLY_BYTES);
  if (cpuUs * items > MAX_CPU_US)
    throw new BadRequest(`cpu_us × items: over the limit of ${MAX_CPU_US} µs`);

  readBody(req, res, () => {
    for (let i = 0; i < items; i++)
      spendCpu(cpuUs);
    const send = () => {
      res.writeHead(200, {
        'Content-Type': 'application/octet-stream',
        'Content-Length': replyBytes,
      });
      if (replyBytes > 0)
        res.end(fillerBytes(replyBytes));
      else
        res.end();
    };
    // A timer is how Node waits without using CPU (its resolution is 1 ms).
    if (waitUs > 0)
      setTimeout(send, waitUs / 1000);
    else
      send();
  });
}

function stream(req, res, params) {
  const total = intParam(params, 'bytes', DEFAULT_STREAM_BYTES, MAX_STREAM_BYTES);
  const rate = intParam(params, 'rate', 0, MAX_STREAM_RATE);
  const chunk = intParam(params, 'chunk', DEFAULT_CHUNK_BYTES, MAX_CHUNK_BYTES);
  if (chunk === 0)
    throw new BadRequest('chunk: must be at least 1 byte');

  // No Content-Length, so Node sends the body chunked.
  res.writeHead(200, { 'Content-Type': 'application/octet-stream' });
  const block = fillerBytes(Math.min(chunk, total));
  const start = performance.now();
  let sent = 0;
  let closed = false;
  let timer = null;
  res.on('close', () => {
    closed = true;
    if (timer !== null)
      clearTimeout(timer);
  });

  // Chunk i is due at start + (bytes before it) / rate, whatever happened to
  // the ones before; a full socket buffer waits for 'drain'.
  const pump = () => {
    timer = null;
    while (!closed && sent < total) {
      if (rate > 0) {
        const delay = start + (sent * 1000) / rate - performance.now();
        if (delay >= 1) {
          timer = setTimeout(pump, delay);
          return;
        }
      }
      const n = Math.min(chunk, total - sent);
      sent += n;
      if (!res.write(n === block.length ? block : block.subarray(0, n))) {
        res.once('drain', pump);
        return;
      }
    }
    if (!closed)
      res.end();
  };
  pump();
}

// A message is one line of text, and one server-sent event.
function eventBytes(body) {
  return Buffer.concat([Buffer.from('data: '), body, Buffer.from('\n\n')]);
}

// The rooms of this process: room name -> Set of open responses.
function createRooms() {
  const rooms = new Map();
  return {
    subscribe(room, res) {
      let subscribers = rooms.get(room);
      if (subscribers === undefined) {
        subscribers = new Set();
        rooms.set(room, subscribers);
      }
      subscribers.add(res);
      res.on('close', () => {
        subscribers.delete(res);
        if (subscribers.size === 0 && rooms.get(room) === subscribers)
          rooms.delete(room);
      });
    },
    deliver(room, event) {
      const subscribers = rooms.get(room);
      if (subscribers === undefined)
        return;
      for (const res of subscribers)
        res.write(event);
    },
  };
}

function chatSubscribe(req, res, rooms, room) {
  rooms.subscribe(room, res);
  res.writeHead(200, {
    'Content-Type': 'text/event-stream',
    'Cache-Control': 'no-cache',
  });
  res.flushHeaders();
}

function chatPublish(req, res, params, publish, room) {
  const cpuUs = intParam(params, 'cpu_us', 0, MAX_CPU_US);
  readBody(req, res, (body) => {
    if (body.includes(10) || body.includes(13))
      return reply(res, 400, 'a chat message is a single line\n');
    spendCpu(cpuUs);
    publish(room, eventBytes(body));
    res.writeHead(204);
    res.end();
  }, MAX_MESSAGE_BYTES);
}

function route(req, res, rooms, publish) {
  const url = req.url;
  const mark = url.indexOf('?');
  const path = mark < 0 ? url : url.slice(0, mark);
  const params = new URLSearchParams(mark < 0 ? '' : url.slice(mark + 1));
  const method = req.method;

  if (path === '/health') {
    if (method !== 'GET' && method !== 'HEAD')
      return notAllowed(res, 'GET, HEAD');
    return reply(res, 200, 'ok\n');
  }
  if (path === '/work') {
    if (method !== 'POST')
      return notAllowed(res, 'POST');
    return work(req, res, params);
  }
  if (path === '/stream') {
    if (method !== 'GET')
      return notAllowed(res, 'GET');
    return stream(req, res, params);
  }
  if (path.startsWith('/chat/')) {
    const room = path.slice('/chat/'.length);
    if (!ROOM_NAME.test(room))
      return reply(res, 404, "room names are 1 to 64 letters, digits, '-', '_' or '.'\n");
    if (method === 'GET')
      return chatSubscribe(req, res, rooms, room);
    if (method === 'POST')
      return chatPublish(req, res, params, publish, room);
    return notAllowed(res, 'GET, POST');
  }
  return reply(res, 404, 'not found\n');
}

// Returns { server, deliver }. `publish(room, event)` is how a published
// message reaches the subscribers; by default, this process's rooms.
// node-cluster.js passes its own to relay through the primary.
function createApp(options = {}) {
  const rooms = createRooms();
  const publish = options.publish || ((room, event) => rooms.deliver(room, event));
  const server = http.createServer({
    maxHeaderSize: MAX_HEADER_BYTES,   // larger headers get 431 from Node itself
    noDelay: true,
  }, (req, res) => {
    try {
      route(req, res, rooms, publish);
    } catch (err) {
      if (!(err instanceof BadRequest))
        throw err;
      reply(res, 400, err.message + '\n');
    }
  });
  // Belt and braces for TCP_NODELAY, and keep idle keep-alive connections
  // open as long as the client wants them, like the built-in engines.
  server.on('connection', (socket) => socket.setNoDelay(true));
  server.keepAliveTimeout = 0;
  return { server, deliver: (room, event) => rooms.deliver(room, event) };
}

function parseArgs(argv, extra = {}) {
  const args = Object.assign({ port: 0, host: '127.0.0.1' }, extra);
  for (let i = 0; i < argv.length; i++) {
    const flag = argv[i];
    const eq = flag.indexOf('=');
    const name = eq > 0 ? flag.slice(0, eq) : flag;
    const known = name.startsWith('--') && Object.hasOwn(args, name.slice(2));
    if (!known) {
      process.stderr.write(`unknown option "${flag}"\n`);
      process.exit(2);
    }
    const value = eq > 0 ? flag.slice(eq + 1) : argv[++i];
    const key = name.slice(2);
    if (value === undefined) {
      process.stderr.write(`${name}: missing value\n`);
      process.exit(2);
    }
    if (typeof args[key] === 'number') {
      if (!/^[0-9]{1,5}$/.test(value) || (key === 'port' && Number(value) > 65535)) {
        process.stderr.write(`${name}: expected a number${key === 'port' ? ' from 0 to 65535' : ''}, got "${value}"\n`);
        process.exit(2);
      }
      args[key] = Number(value);
    } else {
      args[key] = value;
    }
  }
  return args;
}

function announce(port, engine) {
  process.stdout.write(`{"port": ${port}, "pid": ${process.pid}, "engine": "${engine}"}\n`);
}

module.exports = { createApp, parseArgs, announce, spendCpu, LISTEN_BACKLOG };

if (require.main === module) {
  const args = parseArgs(process.argv.slice(2));
  const { server } = createApp();
  server.on('error', (err) => {
    process.stderr.write(`cannot listen on ${args.host}:${args.port}: ${err.message}\n`);
    process.exit(1);
  });
  server.listen({ port: args.port, host: args.host, backlog: LISTEN_BACKLOG }, () => {
    announce(server.address().port, 'node');
  });
  const stop = () => process.exit(0);
  process.on('SIGINT', stop);
  process.on('SIGTERM', stop);
}
