namespace OpenCdn.Ingest.Probe;

/// <summary>
/// The master's picture as it is to be shown: <see cref="Width"/> x <see cref="Height"/> stored pixels with rotation
/// applied, each <see cref="SampleAspect"/> wide (anamorphic masters have non-square pixels), how it was scanned,
/// the black bars to cut, and its dynamic range (<see cref="PeakNits"/>: the brightest light the master declares).
/// </summary>
internal sealed record PictureInfo(
    int Width, int Height, Ratio SampleAspect, Scan Scan, CropBox? Crop, DynamicRange Range, double PeakNits)
{
    /// <summary>The picture's shape on screen once cropped: what every rendition keeps.</summary>
    public double DisplayWidth => (Crop?.Width ?? Width) * SampleAspect.Value;

    public double DisplayHeight => Crop?.Height ?? Height;

    public static PictureInfo Square(int width, int height) =>
        new(width, height, Ratio.Square, Scan.Progressive, null, DynamicRange.Sdr, 100);
}
