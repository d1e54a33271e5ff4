#!/usr/bin/env node
// Local SQS emulator for tests: local-aws-sqs 2.0.2 on 127.0.0.1, wrapped so that
// AWSSDK.SQS v4 (.NET, JSON 1.0 protocol) behaves as against real SQS:
//   1. An empty 2xx JSON response (e.g. ReceiveMessage with no messages) becomes "{}";
//      the SDK throws on a 0-byte body.
//   2. ReceiveMessage's MessageSystemAttributeNames (what SDK v4 sends) is merged into the
//      legacy AttributeNames, the only field local-aws-sqs reads (ApproximateReceiveCount...).
//   3. Long polling returns as soon as a message is available. local-aws-sqs waits the whole
//      WaitTimeSeconds unless MaxNumberOfMessages messages arrive; here we poll it with
//      WaitTimeSeconds=0 every 20 ms until a message shows up or the wait is over.
//   4. ChangeMessageVisibility no longer bumps ApproximateReceiveCount (a local-aws-sqs bug
//      that also sends messages to the DLQ early); patched in the library source at load.
//
// Usage: node sqs-server.js [port] [--watch-stdin]
//   port: argv, else $SQS_PORT, else 0 (= pick a free port).
//   --watch-stdin (or $EMU_WATCH_STDIN=1): exit when stdin closes, so the emulator dies with
//   the test process that spawned it (spawn it with a redirected stdin pipe).
//   $SQS_DEBUG=1 logs every request/response to stderr.
// Prints "listening <port>" on stdout once ready. Queue URLs look like
//   http://127.0.0.1:<port>/123456789012/<QueueName>
"use strict";
const fs = require("fs");
const http = require("http");
const path = require("path");
const Module = require("module");
const { Readable } = require("stream");

const HOST = "127.0.0.1";
const JSON_TYPE = "application/x-amz-json-1.0";
const args = process.argv.slice(2);
const port = Number(args.find((a) => /^\d+$/.test(a)) ?? process.env.SQS_PORT ?? 0);
const watchStdin = args.includes("--watch-stdin") || process.env.EMU_WATCH_STDIN === "1";
const debug = process.env.SQS_DEBUG === "1";

// Load local-aws-sqs with fix 4 applied: in Queue.changeVisibility, undo the receive-count
// increment that its shared "mark received" helper performs.
function loadLocalSqs() {
  const file = require.resolve("local-aws-sqs");
  const bug = "return l(this,D,Wt).call(this,r,n,!0),!0}";
  const fix =
    "return r.record.attributes.ApproximateReceiveCount=String(r.record.attributes.ApproximateReceiveCount-1)," +
    "l(this,D,Wt).call(this,r,n,!0),!0}";
  let src = fs.readFileSync(file, "utf8");
  if (src.includes(bug)) src = src.replace(bug, fix);
  else console.error("sqs-server: ChangeMessageVisibility patch not applied (local-aws-sqs changed?)");
  const m = new Module(file, module);
  m.filename = file;
  m.paths = Module._nodeModulePaths(path.dirname(file));
  m._compile(src, file);
  return m.exports;
}
const { createRequestHandler } = loadLocalSqs();

const { service, requestHandler } = createRequestHandler({
  port,
  hostname: HOST, // also used to build the QueueUrl returned to clients
  emulateQueueCreationLifecycle: false, // allow re-creating a deleted queue at once
});

// Run one request through the library with an in-memory req/res (it only uses req.headers,
// the 'data'/'end' events, res.statusCode, res.setHeader and res.end).
function invoke(headers, body) {
  return new Promise((resolve) => {
    const req = Readable.from(body.length ? [body] : []);
    req.headers = { ...headers, "content-length": String(body.length) };
    const out = { statusCode: 200, headers: {} };
    const res = {
      get statusCode() { return out.statusCode; },
      set statusCode(v) { out.statusCode = v; },
      setHeader: (k, v) => { out.headers[k.toLowerCase()] = v; },
      end: (chunk) => resolve({ ...out, body: chunk == null ? "" : String(chunk) }),
    };
    requestHandler(req, res);
  });
}

const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

async function handle(headers, raw) {
  const isJson = String(headers["content-type"] || "").startsWith(JSON_TYPE);
  const action = String(headers["x-amz-target"] || "").split(".")[1];
  let json = null;
  if (isJson && raw.length) {
    try { json = JSON.parse(raw.toString("utf8")); } catch { /* let the library report it */ }
  }
  if (!json || action !== "ReceiveMessage") return invoke(headers, raw);

  // Fix 2: MessageSystemAttributeNames -> AttributeNames.
  if (Array.isArray(json.MessageSystemAttributeNames)) {
    json.AttributeNames = [...new Set([...(json.AttributeNames || []), ...json.MessageSystemAttributeNames])];
    delete json.MessageSystemAttributeNames;
  }
  // Fix 3: short-poll until a message arrives or WaitTimeSeconds is over. The library
  // validates WaitTimeSeconds on each call; a bad value simply comes back as its error.
  const wait = Number(json.WaitTimeSeconds) || 0;
  const deadline = Date.now() + wait * 1000;
  const body = (o) => Buffer.from(JSON.stringify(o), "utf8");
  for (;;) {
    const r = await invoke(headers, body(wait > 0 && wait <= 20 ? { ...json, WaitTimeSeconds: 0 } : json));
    if (r.statusCode !== 200 || (r.body !== "" && r.body !== "{}") || Date.now() >= deadline) return r;
    await sleep(20);
  }
}

const server = http.createServer((req, res) => {
  const chunks = [];
  req.on("data", (c) => chunks.push(c));
  req.on("end", async () => {
    const raw = Buffer.concat(chunks);
    const r = await handle(req.headers, raw);
    const isJson = String(req.headers["content-type"] || "").startsWith(JSON_TYPE);
    if (isJson && r.statusCode < 300 && r.body.length === 0) r.body = "{}"; // fix 1
    if (debug) console.error(`${req.headers["x-amz-target"]} ${raw.toString().slice(0, 300)}\n  -> ${r.statusCode} ${r.body.slice(0, 300)}`);
    res.writeHead(r.statusCode, r.headers);
    res.end(r.body);
  });
});

server.listen(port, HOST, () => {
  service.PORT = server.address().port; // needed when port 0 was requested (QueueUrl uses it)
  console.log(`listening ${service.PORT}`);
});

const stop = () => {
  server.close(() => process.exit(0));
  server.closeAllConnections();
};
process.on("SIGINT", stop);
process.on("SIGTERM", stop);
if (watchStdin) process.stdin.on("end", stop).on("close", stop).resume();
