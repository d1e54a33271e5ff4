namespace OpenCdn.ControlPlane.Qoe;

/// <summary>What a row of QoE sums is about, as the catalog stores it: everything, one server, or one title.</summary>
internal static class QoeScope
{
    public const string Total = "total";
    public const string Server = "server";
    public const string Title = "title";
}
