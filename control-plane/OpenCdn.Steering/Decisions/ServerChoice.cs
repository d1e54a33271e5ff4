namespace OpenCdn.Steering.Decisions;

/// <summary>
/// One server of a decision. <see cref="Id"/> is the DASH pathway (<c>serviceLocation</c>): the edge id, or
/// <see cref="OriginId"/>. Lower <see cref="Priority"/> is preferred; <see cref="Weight"/> splits sessions within one.
/// </summary>
internal readonly record struct ServerChoice(string Id, string Name, Uri BaseUrl, int Priority, int Weight, ChoiceReason Reason)
{
    public const string OriginId = "origin";
}
