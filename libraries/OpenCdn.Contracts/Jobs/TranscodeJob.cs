using System.Text.Json;

namespace OpenCdn.Contracts.Jobs;

/// <summary>The job-queue message that asks a worker to turn a title's master into a package, in <see cref="ContractJson"/>.</summary>
public sealed record TranscodeJob(string TitleId, string MasterKey)
{
    public string ToMessage() => JsonSerializer.Serialize(this, ContractJson.Options);

    /// <summary>The job a queue message carries; null when the body is not one (it never throws on bad input).</summary>
    public static TranscodeJob? FromMessage(string body)
    {
        try
        {
            return JsonSerializer.Deserialize<TranscodeJob>(body, ContractJson.Options);
        }
        catch (JsonException)
        {
            return null;
        }
    }
}
