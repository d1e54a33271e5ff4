using System.Text;

namespace OpenCdn.Edge.Serving.Http2;

/// <summary>HPACK's static table (RFC 7541 Appendix A), indexes 1–61, and the indexes of the names the edge sends.</summary>
internal static class HpackStaticTable
{
    public const int Count = 61;

    private static readonly (byte[] Name, byte[] Value)[] s_entries = Build(
        ":authority", ":method GET", ":method POST", ":path /", ":path /index.html", ":scheme http", ":scheme https",
        ":status 200", ":status 204", ":status 206", ":status 304", ":status 400", ":status 404", ":status 500",
        "accept-charset", "accept-encoding gzip, deflate", "accept-language", "accept-ranges", "accept",
        "access-control-allow-origin", "age", "allow", "authorization", "cache-control", "content-disposition",
        "content-encoding", "content-language", "content-length", "content-location", "content-range", "content-type",
        "cookie", "date", "etag", "expect", "expires", "from", "host", "if-match", "if-modified-since", "if-none-match",
        "if-range", "if-unmodified-since", "last-modified", "link", "location", "max-forwards", "proxy-authenticate",
        "proxy-authorization", "range", "referer", "refresh", "retry-after", "server", "set-cookie",
        "strict-transport-security", "transfer-encoding", "user-agent", "vary", "via", "www-authenticate");

    private static readonly Dictionary<string, int>.AlternateLookup<ReadOnlySpan<char>> s_nameIndex =
        NameIndex().GetAlternateLookup<ReadOnlySpan<char>>();

    /// <summary>The entry at <paramref name="index"/> (1–61).</summary>
    public static (byte[] Name, byte[] Value) Entry(int index) => s_entries[index - 1];

    /// <summary>The first index with the lowercase <paramref name="name"/>, or 0.</summary>
    public static int IndexOf(ReadOnlySpan<char> name) => s_nameIndex.TryGetValue(name, out var index) ? index : 0;

    private static (byte[], byte[])[] Build(params string[] entries) => [.. entries.Select(entry =>
    {
        var space = entry.IndexOf(' ', 1);
        return space < 0
            ? (Encoding.ASCII.GetBytes(entry), Array.Empty<byte>())
            : (Encoding.ASCII.GetBytes(entry[..space]), Encoding.ASCII.GetBytes(entry[(space + 1)..]));
    })];

    private static Dictionary<string, int> NameIndex()
    {
        var index = new Dictionary<string, int>(StringComparer.Ordinal);
        for (var i = s_entries.Length; i >= 1; i--)
        {
            index[Encoding.ASCII.GetString(s_entries[i - 1].Name)] = i;
        }
        return index;
    }
}
