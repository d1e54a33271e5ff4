namespace OpenCdn.Ingest.Probe;

/// <summary>The field order a master's video stream declares (ffprobe's <c>field_order</c>), in display order.</summary>
internal enum FieldOrder
{
    Unknown,
    Progressive,
    TopFirst,
    BottomFirst,
}

internal static class FieldOrders
{
    /// <summary>"tt"/"bt" show the top field first, "bb"/"tb" the bottom one (the second letter is the display order).</summary>
    public static FieldOrder Parse(string? text) => text switch
    {
        "progressive" => FieldOrder.Progressive,
        "tt" or "bt" => FieldOrder.TopFirst,
        "bb" or "tb" => FieldOrder.BottomFirst,
        _ => FieldOrder.Unknown,
    };
}
