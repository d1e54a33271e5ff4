namespace OpenCdn.FleetSim.Report;

/// <summary>
/// What one strategy (push, or a pull cache) did, hour by hour: bytes served by embedded edges, IX edges and origin,
/// fill bytes by source and timing, steering outcomes, disk use; plus per-title launch figures and per-ISP fill.
/// </summary>
internal sealed class Ledger
{
    public Ledger(string name, int hours, int titles, int isps, int days, int measuredFrom)
    {
        Name = name;
        MeasuredFrom = measuredFrom;
        Plays = new double[hours];
        Embedded = new double[hours];
        Ix = new double[hours];
        Origin = new double[hours];
        FillFromOrigin = new double[hours];
        FillFromPeer = new double[hours];
        FillFromIx = new double[hours];
        FillOutsideWindow = new double[hours];
        FillAtPeak = new double[hours];
        Outcomes = [.. Enumerable.Range(0, 4).Select(_ => new double[hours])];
        DayOneEmbedded = new double[titles];
        DayOneTotal = new double[titles];
        FirstCopyHours = [.. Enumerable.Repeat(-1.0, titles)];
        HalfCopiesHours = [.. Enumerable.Repeat(-1.0, titles)];
        EmbeddedFillByIsp = new double[isps];
        EmbeddedFillFromOriginByIsp = new double[isps];
        DiskUsedShare = new double[days];
    }

    public string Name { get; }

    /// <summary>The first hour of the measured month; by-local-hour sums count from there.</summary>
    public int MeasuredFrom { get; }

    /// <summary>Fill bytes by the receiving edge's local hour of day, over the measured month.</summary>
    public double[] FillByLocalHour { get; } = new double[24];

    /// <summary>Bytes served by the viewer's local hour of day, over the measured month.</summary>
    public double[] ServedByLocalHour { get; } = new double[24];

    public double[] Plays { get; }

    /// <summary>Bytes viewers received from an embedded edge's own content.</summary>
    public double[] Embedded { get; }

    /// <summary>Bytes that came from an IX edge (steered there, or a pull miss its IX parent had).</summary>
    public double[] Ix { get; }

    /// <summary>Bytes that came from origin (steered there, or a miss nobody had).</summary>
    public double[] Origin { get; }

    public double[] FillFromOrigin { get; }

    public double[] FillFromPeer { get; }

    public double[] FillFromIx { get; }

    /// <summary>Fill bytes moved while the receiving edge's fill window was closed.</summary>
    public double[] FillOutsideWindow { get; }

    /// <summary>Fill bytes moved during the receiving edge's local evening peak.</summary>
    public double[] FillAtPeak { get; }

    /// <summary>Steering outcomes by hour: hit, content miss, health miss, other (push only).</summary>
    public double[][] Outcomes { get; }

    public double[] DayOneEmbedded { get; }

    public double[] DayOneTotal { get; }

    /// <summary>Per launched title, hours from launch until the first embedded edge held it (-1: never).</summary>
    public double[] FirstCopyHours { get; }

    /// <summary>Per launched title, hours from launch until half the ISPs held it on an embedded edge (-1: never).</summary>
    public double[] HalfCopiesHours { get; }

    public double[] EmbeddedFillByIsp { get; }

    public double[] EmbeddedFillFromOriginByIsp { get; }

    /// <summary>Per day, the embedded edges' mean disk use (share of capacity) at the day's end.</summary>
    public double[] DiskUsedShare { get; }

    /// <summary>Bytes over the platform's transit: everything that left origin (served to viewers, or filled into edges).</summary>
    public double Transit(int hour) => Origin[hour] + FillFromOrigin[hour];

    public double Fill(int hour) => FillFromOrigin[hour] + FillFromPeer[hour] + FillFromIx[hour];

    public double Served(int hour) => Embedded[hour] + Ix[hour] + Origin[hour];

    /// <summary>Disk that ever went above capacity (must stay 0).</summary>
    public long OverCapacityEvents { get; set; }

    /// <summary>The largest excess of a disk's bytes over its capacity at the end of any hour (0 or less: never over).</summary>
    public long MostOverCapacity { get; set; } = long.MinValue;

    /// <summary>Bytes evicted from embedded disks in the measured days (push: what left a plan; pull: the cache policy's victims).</summary>
    public double EvictedBytes { get; set; }

    /// <summary>Embedded fill bytes of titles that several edges of the receiving edge's ISP planned (push).</summary>
    public double MultiCopyFill { get; set; }

    /// <summary>The part of <see cref="MultiCopyFill"/> that came from origin.</summary>
    public double MultiCopyFillFromOrigin { get; set; }

    /// <summary>What of <see cref="MultiCopyFill"/> one copy per ISP would take from origin: each byte over its title's copies.</summary>
    public double MultiCopyIdealFromOrigin { get; set; }

    public double PlannerSeconds { get; set; }

    /// <summary>The planner's CPU seconds (its thread's), beside its wall <see cref="PlannerSeconds"/>.</summary>
    public double PlannerCpuSeconds { get; set; }

    public int PlannerRuns { get; set; }

    /// <summary>CPU seconds of the thread that played this strategy's hours (a pull baseline's).</summary>
    public double CpuSeconds { get; set; }
}
