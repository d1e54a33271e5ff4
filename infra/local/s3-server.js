#!/usr/bin/env node
// Local S3 for development and tests: s3rver on 127.0.0.1, plain HTTP.
//
// s3rver accepts only the access key "S3RVER" (any secret). It does not decode aws-chunked bodies:
// an SDK that sends them gets 200 while the chunk framing is stored as the object. OpenCdn's S3 store
// turns chunk encoding off and verifies what was stored; the tests compare bytes, so a regression fails.
//
// Usage: node s3-server.js [port] [directory] [bucket ...] [--watch-stdin]
//   port 0 picks a free port; prints "listening <port>" once ready.
//   --watch-stdin: exit when stdin closes (dies with the test process that started it).
"use strict";
const fs = require("fs");
const os = require("os");
const path = require("path");
const S3rver = require("s3rver");

const args = process.argv.slice(2);
const watchStdin = args.includes("--watch-stdin");
const positional = args.filter((a) => !a.startsWith("--"));
const port = Number(positional[0] ?? 0);
const directory = positional[1] ?? fs.mkdtempSync(path.join(os.tmpdir(), "s3rver-"));
const buckets = positional.slice(2);
fs.mkdirSync(directory, { recursive: true });

const server = new S3rver({
  address: "127.0.0.1",
  port,
  directory,
  silent: true, // stdout carries only the ready line
  configureBuckets: buckets.map((name) => ({ name, configs: [] })),
});

server.run().then(
  (address) => console.log(`listening ${address.port}`),
  (error) => {
    console.error(error);
    process.exit(1);
  },
);

const stop = () => server.close().finally(() => process.exit(0));
process.on("SIGINT", stop);
process.on("SIGTERM", stop);
if (watchStdin) process.stdin.on("end", stop).on("close", stop).resume();
