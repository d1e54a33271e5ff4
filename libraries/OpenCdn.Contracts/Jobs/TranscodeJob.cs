namespace OpenCdn.Contracts.Jobs;

/// <summary>The job-queue message that asks a worker to turn a title's master into a package.</summary>
public sealed record TranscodeJob(string TitleId, string MasterKey);
