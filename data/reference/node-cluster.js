#!/usr/bin/env node
// node-cluster.js: Tradeoff's wire contract on Node.js's `http`, served by
// one worker process per core with the `cluster` module.
//
// Copyright 2026 The Tradeoff authors
//
// SPDX-License-Identifier: GPL-3.0-or-later
//
// Usage: node node-cluster.js [--port P] [--host H] [--workers N]
// The primary forks the workers (its children, so sampling the primary's
// process tree sees them all), and prints
// {"port": N, "pid": P, "engine": "node-cluster"} once every worker listens.
// With Node's default scheduling on Linux the primary accepts connections
// and hands them to the workers in turn.
//
// Chat: a worker delivers a published message to its own subscribers and
// sends it to the primary, which relays it to every other worker, so a
// message reaches the room's subscribers whichever worker holds them.

'use strict';

const cluster = require('node:cluster');
const os = require('node:os');
const path = require('node:path');
const reference = require(path.join(__dirname, 'node-http.js'));

const cores = typeof os.availableParallelism === 'function'
  ? os.availableParallelism() : os.cpus().length;

function runPrimary() {
  const args = reference.parseArgs(process.argv.slice(2), { workers: cores });
  if (args.workers < 1) {
    process.stderr.write('--workers: must be at least 1\n');
    process.exit(2);
  }
  let announced = false;
  let listening = 0;
  let stopping = false;

  for (let i = 0; i < args.workers; i++)
    cluster.fork();

  cluster.on('listening', (worker, address) => {
    listening++;
    if (!announced && listening >= args.workers) {
      announced = true;
      reference.announce(address.port, 'node-cluster');
    }
  });

  const fail = (reason) => {
    if (stopping)
      return;
    stopping = true;
    process.stderr.write(reason + '\n');
    for (const worker of Object.values(cluster.workers))
      worker.process.kill('SIGKILL');
    process.exit(1);
  };

  cluster.on('message', (from, message) => {
    if (message === null || typeof message !== 'object')
      return;
    if (message.op === 'fatal') {
      fail(message.reason);
    } else if (message.op === 'chat') {
      for (const worker of Object.values(cluster.workers)) {
        if (worker !== from && worker.isConnected())
          worker.send(message);
      }
    }
  });

  cluster.on('exit', (worker, code, signal) => {
    if (stopping) {
      if (Object.keys(cluster.workers).length === 0)
        process.exit(0);
      return;
    }
    if (worker.exitedAfterDisconnect)
      return;
    if (!announced)
      return fail(`worker ${worker.process.pid} failed before listening (${signal || code})`);
    process.stderr.write(`worker ${worker.process.pid} died (${signal || code}); starting another\n`);
    cluster.fork();
  });

  const stop = () => {
    if (stopping)
      return;
    stopping = true;
    const workers = Object.values(cluster.workers);
    if (workers.length === 0)
      process.exit(0);
    for (const worker of workers)
      worker.process.kill('SIGTERM');
    // A worker stuck in a long CPU request still gets SIGTERM's default
    // handling only after it; do not wait for ever.
    setTimeout(() => {
      for (const worker of Object.values(cluster.workers))
        worker.process.kill('SIGKILL');
      process.exit(0);
    }, 3000).unref();
  };
  process.on('SIGINT', stop);
  process.on('SIGTERM', stop);
}

function runWorker() {
  const args = reference.parseArgs(process.argv.slice(2), { workers: cores });
  const app = reference.createApp({
    publish(room, event) {
      app.deliver(room, event);
      // Buffers cross the IPC channel as JSON; a string keeps it compact.
      process.send({ op: 'chat', room, event: event.toString('utf8') });
    },
  });
  process.on('message', (message) => {
    if (message !== null && typeof message === 'object' && message.op === 'chat')
      app.deliver(message.room, Buffer.from(message.event, 'utf8'));
  });
  // The primary reports it, once for all the workers.
  app.server.on('error', (err) => {
    process.send({ op: 'fatal', reason: `cannot listen on ${args.host}:${args.port}: ${err.message}` },
                 () => process.exit(1));
  });
  // listen(0) in every worker shares one port, chosen by the primary.
  app.server.listen({ port: args.port, host: args.host, backlog: reference.LISTEN_BACKLOG });
  // Ctrl-C reaches the whole process group; the primary stops the workers.
  process.on('SIGINT', () => {});
  process.on('SIGTERM', () => process.exit(0));
}

if (cluster.isPrimary)
  runPrimary();
else
  runWorker();
