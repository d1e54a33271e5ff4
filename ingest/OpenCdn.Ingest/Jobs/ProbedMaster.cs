using OpenCdn.Ingest.Ladder;
using OpenCdn.Ingest.Probe;
using OpenCdn.Ingest.Tracks;

namespace OpenCdn.Ingest.Jobs;

/// <summary>A master fetched into the work folder and probed: its picture, its tracks and the video ladder planned for it.</summary>
internal sealed record ProbedMaster(string Path, MasterInfo Info, MasterTracks Tracks, VideoPlan Video);
