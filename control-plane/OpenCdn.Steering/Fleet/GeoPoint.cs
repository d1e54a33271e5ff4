namespace OpenCdn.Steering.Fleet;

/// <summary>A place on Earth in degrees. Distances compare by the dot product of unit vectors: no trigonometry per decision.</summary>
internal readonly record struct GeoPoint(double Latitude, double Longitude)
{
    private const double EarthRadiusKm = 6371.0088;

    public static bool IsValid(double latitude, double longitude) =>
        latitude is >= -90 and <= 90 && longitude is >= -180 and <= 180;

    public (double X, double Y, double Z) ToUnitVector()
    {
        var lat = double.DegreesToRadians(Latitude);
        var lon = double.DegreesToRadians(Longitude);
        return (Math.Cos(lat) * Math.Cos(lon), Math.Cos(lat) * Math.Sin(lon), Math.Sin(lat));
    }

    /// <summary>Great-circle distance (haversine), in kilometres.</summary>
    public double DistanceKm(GeoPoint other)
    {
        var dLat = double.DegreesToRadians(other.Latitude - Latitude);
        var dLon = double.DegreesToRadians(other.Longitude - Longitude);
        var a = (Math.Sin(dLat / 2) * Math.Sin(dLat / 2))
            + (Math.Cos(double.DegreesToRadians(Latitude)) * Math.Cos(double.DegreesToRadians(other.Latitude))
                * Math.Sin(dLon / 2) * Math.Sin(dLon / 2));
        return 2 * EarthRadiusKm * Math.Asin(Math.Min(1, Math.Sqrt(a)));
    }
}
