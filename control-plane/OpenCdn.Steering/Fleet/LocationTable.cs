namespace OpenCdn.Steering.Fleet;

/// <summary>The distinct places steering knows (edges, geo areas, the default), with their unit vectors.</summary>
internal sealed class LocationTable
{
    private readonly Dictionary<GeoPoint, int> _ids = [];
    private readonly List<GeoPoint> _points = [];
    private readonly List<(double X, double Y, double Z)> _vectors = [];

    public int Count => _points.Count;

    public GeoPoint Point(int id) => _points[id];

    public (double X, double Y, double Z) Vector(int id) => _vectors[id];

    /// <summary>The id of a point already interned, or -1; a read, safe beside other readers.</summary>
    public int IdOf(GeoPoint? point) => point is { } p && _ids.TryGetValue(p, out var id) ? id : -1;

    /// <summary>The id of <paramref name="point"/>, adding it if new; -1 for no point. Only while building a snapshot.</summary>
    public int Intern(GeoPoint? point)
    {
        if (point is not { } p)
        {
            return -1;
        }
        if (!_ids.TryGetValue(p, out var id))
        {
            id = _points.Count;
            _ids.Add(p, id);
            _points.Add(p);
            _vectors.Add(p.ToUnitVector());
        }
        return id;
    }
}
