#!/usr/bin/env python3
"""Where a chunked encode's wall time went, from the workers' JSON logs (OpenCdn:Logging:Format=json).

Called by bench/transcode/chunked.sh after each chunked run (B); documented in docs/benchmarks.md. It reads the
workers' log events by id: 220 (video chunks queued), 221 (part started), 222 (part done, with its master, encode and
upload seconds), 225 (assembled), 230 (master fetched and probed), 296 (per-title analysis).
Usage: chunked_breakdown.py T0 READY WORKER_LOG...   (T0: queued, READY: ready, both Unix seconds)
Prints one human line, then one line of numbers for chunked.sh:
  wall head head_master head_analysis parts video_count video_sum video_master video_encode video_upload tracks idle
  gap assembly tail
head: queued -> the video chunks queued (the planning job: fetch, probe, per-title analysis); parts: the video chunks
(with their thumbnails) and the tracks part (each: master from origin or the worker's cache, encode, upload); gap: the mean time from a worker's
job done to its next part started (the queue's overhead); idle: the workers' time between
queued and ready spent in no job (queue waits, waiting for the planner, the last wave's imbalance); tail: the last
part done -> ready (assembly: join, package, publish).
"""
import datetime
import json
import sys


def when(entry):
    return datetime.datetime.fromisoformat(entry["Timestamp"]).timestamp()


def number(entry, name):
    return float(str(entry["State"].get(name, 0)).replace(",", "."))


t0, ready = float(sys.argv[1]), float(sys.argv[2])
workers = []
for path in sys.argv[3:]:
    entries = []
    with open(path, encoding="utf-8") as log:
        for line in log:
            line = line.strip()
            if line.startswith("{"):
                try:
                    entries.append(json.loads(line))
                except ValueError:
                    pass
    workers.append([e for e in entries if when(e) >= t0 - 1])

all_entries = sorted((e for w in workers for e in w), key=when)


def events(eid):
    return [e for e in all_entries if e.get("EventId") == eid]


planned = events(220)
head = (when(planned[0]) - t0) if planned else 0.0
fetches = events(230)
head_master = number(fetches[0], "Seconds") if fetches else 0.0
analysis = events(296)
head_analysis = number(analysis[0], "Seconds") if analysis else 0.0
done = events(222)
video = [e for e in done if e["State"]["Part"].startswith("c")]
tracks = [e for e in done if e["State"]["Part"] == "tracks"]
video_sum = sum(number(e, "Seconds") for e in video)
video_master = sum(number(e, "MasterSeconds") for e in video)
video_encode = sum(number(e, "EncodeSeconds") for e in video)
video_upload = sum(number(e, "UploadSeconds") for e in video)
tracks_seconds = number(tracks[-1], "Seconds") if tracks else 0.0
assembled = events(225)
assembly = number(assembled[-1], "TotalSeconds") if assembled else 0.0
last_done = max((when(e) for e in done), default=ready)
tail = ready - last_done
wall = ready - t0

# Busy time per worker: the planning job (queued -> planned), each part (start -> done), the assembly.
busy = 0.0
for w in workers:
    start = None
    for e in sorted(w, key=when):
        eid = e.get("EventId")
        if eid == 220:
            busy += when(e) - t0
        elif eid == 221:
            start = when(e)
        elif eid == 222 and start is not None:
            busy += when(e) - start
            start = None
        elif eid == 225:
            busy += number(e, "TotalSeconds")
idle = len(workers) * wall - busy

# Queue overhead: on each worker, from the end of one job (planning or part) to the start of its next part.
gaps = []
for w in workers:
    end = None
    for e in sorted(w, key=when):
        eid = e.get("EventId")
        if eid in (220, 222):
            end = when(e)
        elif eid == 221 and end is not None:
            gaps.append(when(e) - end)
            end = None
gap = sum(gaps) / len(gaps) if gaps else 0.0

n = len(video)
print(f"B breakdown over {wall:.1f} s on {len(workers)} workers: head {head:.1f} s (master {head_master:.1f} s, per-title analysis "
      f"{head_analysis:.1f} s) | {n} video chunks {video_sum:.1f} s in all (master {video_master:.1f}, encode {video_encode:.1f}, "
      f"upload {video_upload:.1f}), tracks part {tracks_seconds:.1f} s | idle {idle:.1f} worker-s in all, {gap:.2f} s from a part "
      f"to the next | tail {tail:.1f} s "
      f"(assembly {assembly:.1f} s)")
print(wall, head, head_master, head_analysis, n + len(tracks), n, video_sum, video_master, video_encode, video_upload,
      tracks_seconds, idle, gap, assembly, tail)
