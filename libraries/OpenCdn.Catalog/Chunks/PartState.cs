namespace OpenCdn.Catalog.Chunks;

/// <summary>A chunk part as the catalog knows it.</summary>
public enum PartState
{
    /// <summary>Not a part of the title's current set (an old master, or the set was assembled and dropped).</summary>
    Unknown,
    Pending,
    Done,
}
