using System.Text.RegularExpressions;

namespace OpenCdn.Catalog;

/// <summary>The names of the catalog's tables, in the order the schema creates them (for tools that copy a catalog).</summary>
public static partial class CatalogTables
{
    public static IReadOnlyList<string> Names { get; } =
        [.. CreateTable().Matches(Schema.Sql).Select(match => match.Groups[1].Value)];

    [GeneratedRegex(@"CREATE TABLE IF NOT EXISTS (\w+)")]
    private static partial Regex CreateTable();
}
