#!/usr/bin/env node
// Local S3 for development and tests: s3rver on 127.0.0.1, plain HTTP.
//
// s3rver accepts only the access key "S3RVER" (any secret). It does not decode aws-chunked bodies:
// an SDK that sends them gets 200 while the chunk framing is stored as the object. OpenCdn's S3 store
// turns chunk encoding off and verifies what was stored; the tests compare bytes, so a regression fails.
//
// s3rver 3.7.1 also lacks parts of the multipart API that resumable uploads use: AbortMultipartUpload
// (DELETE ?uploadId) and ListParts (GET ?uploadId) answer MethodNotAllowed, and an UploadPart or
// CompleteMultipartUpload for an unknown (aborted) upload id succeeds or fails with a 500 where S3 answers
// 404 NoSuchUpload. Those are answered below, from s3rver's own upload folders, before its router runs.
// Still unlike S3: completion checks neither the parts' ETags nor the 5 MiB minimum (tests check sizes).
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

// The multipart requests s3rver lacks (see above), for upload ids of its own form (hex).
const xml = (body) => `<?xml version="1.0" encoding="UTF-8"?>\n${body}`;
const escape = (text) => String(text).replace(/[<>&"']/g, (c) => `&#${c.charCodeAt(0)};`);
server.middleware.unshift(async (ctx, next) => {
  const target = /^\/([^/]+)\/(.+)$/.exec(ctx.path);
  const uploadId = ctx.query.uploadId;
  if (!target || typeof uploadId !== "string" || !["GET", "PUT", "POST", "DELETE"].includes(ctx.method)) return next();
  if (!/Credential=S3RVER\//.test(ctx.get("authorization"))) return next(); // s3rver's own checks answer
  const folder = path.join(server.store.getResourcePath(target[1], undefined, "uploads"), uploadId);
  if (!/^[0-9a-f]{1,64}$/.test(uploadId) || !fs.existsSync(path.join(folder, "key"))) {
    ctx.status = 404;
    ctx.type = "application/xml";
    ctx.body = xml(`<Error><Code>NoSuchUpload</Code><Message>The specified upload does not exist.</Message>` +
      `<UploadId>${escape(uploadId)}</UploadId></Error>`);
    return;
  }
  if (ctx.method === "DELETE") {
    fs.rmSync(folder, { recursive: true, force: true });
    ctx.status = 204;
    return;
  }
  if (ctx.method === "GET") {
    const parts = fs.readdirSync(folder).filter((f) => /^\d+$/.test(f) && fs.existsSync(path.join(folder, `${f}.md5`)))
      .map(Number).sort((a, b) => a - b).map((n) => {
        const file = path.join(folder, String(n));
        const md5 = fs.readFileSync(`${file}.md5`, "utf8");
        const stat = fs.statSync(file);
        return `<Part><PartNumber>${n}</PartNumber><ETag>"${md5}"</ETag><Size>${stat.size}</Size>` +
          `<LastModified>${stat.mtime.toISOString()}</LastModified></Part>`;
      });
    ctx.type = "application/xml";
    ctx.body = xml(`<ListPartsResult xmlns="http://s3.amazonaws.com/doc/2006-03-01/"><Bucket>${escape(target[1])}</Bucket>` +
      `<Key>${escape(decodeURIComponent(target[2]))}</Key><UploadId>${uploadId}</UploadId><IsTruncated>false</IsTruncated>` +
      `${parts.join("")}</ListPartsResult>`);
    return;
  }
  return next();
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
