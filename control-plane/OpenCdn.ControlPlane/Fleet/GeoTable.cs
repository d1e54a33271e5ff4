using System.Globalization;
using OpenCdn.Steering.Fleet;
using OpenCdn.Steering.Prefixes;

namespace OpenCdn.ControlPlane.Fleet;

/// <summary>
/// The geo table (<c>OpenCdn:Fleet:GeoTable</c>): where clients that no edge prefix covers are, for IX distance and
/// popularity regions. A CSV file, one <c>prefix,latitude,longitude,region</c> per line; blank lines and <c>#</c> comments
/// are skipped. A bad line stops the start, naming the line.
/// </summary>
internal static class GeoTable
{
    public static IReadOnlyList<GeoArea> Load(string path)
    {
        var areas = new List<GeoArea>();
        var number = 0;
        foreach (var raw in File.ReadLines(path))
        {
            number++;
            var line = raw.Trim();
            if (line.Length == 0 || line.StartsWith('#'))
            {
                continue;
            }
            var area = Parse(line.Split(',', StringSplitOptions.TrimEntries), out var problem)
                ?? throw new InvalidDataException($"{path}, line {number}: {problem}.");
            areas.Add(area);
        }
        return areas;
    }

    private static GeoArea? Parse(string[] fields, out string? problem)
    {
        problem = null;
        if (fields.Length != 4)
        {
            problem = "expected prefix,latitude,longitude,region";
            return null;
        }
        var error = IpPrefix.TryParse(fields[0], out var prefix);
        if (error != PrefixParseError.None)
        {
            problem = IpPrefix.Describe(error, fields[0]);
            return null;
        }
        if (!double.TryParse(fields[1], NumberStyles.Float, CultureInfo.InvariantCulture, out var latitude)
            || !double.TryParse(fields[2], NumberStyles.Float, CultureInfo.InvariantCulture, out var longitude)
            || !GeoPoint.IsValid(latitude, longitude))
        {
            problem = "latitude must be in [-90, 90] and longitude in [-180, 180]";
            return null;
        }
        if (fields[3].Length == 0)
        {
            problem = "a region name is required";
            return null;
        }
        return new GeoArea(prefix, new GeoPoint(latitude, longitude), fields[3]);
    }
}
