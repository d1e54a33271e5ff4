using System.Globalization;

namespace OpenCdn.FleetSim;

/// <summary>Command-line options: <c>--name value</c> pairs onto <see cref="SimOptions"/>, plus where to write and what to sweep.</summary>
internal sealed record Arguments(SimOptions Options, string? OutputFolder, double[] SweepShares, long SweepPlays, bool Study, bool SweepOnly)
{
    public const string Usage = """
        usage: OpenCdn.FleetSim [--seed N] [--days N] [--warmup N] [--plays N] [--titles N] [--zipf X] [--releases N]
                                [--edges N] [--isps N] [--ix-per-site N] [--disk-share X] [--ix-disk-share X]
                                [--plan-every HOURS] [--half-life HOURS] [--launch-boost PLAYS] [--headroom X] [--hold-margin X]
                                [--outages X] [--replica-load X]
                                [--no-pull] [--no-shard] [--out FOLDER] [--sweep X,Y,...] [--sweep-plays N] [--sweep-only] [--study]
        --no-shard gives the edges of one group one shared plan (OpenCdn:Fill:ShardWithinGroup off).
        --out writes results.md and the SVG plots there; --sweep adds the offload-against-disk-size runs (push and pull, at
        --sweep-plays plays each, planning every 6 h); --sweep-only runs only those; --study adds push-only runs varying the
        planner's settings. --merge-sweep FOLDER,FOLDER,... --out FOLDER joins the tables of --sweep-only runs into one
        table and plot.
        """;

    public static Arguments? Parse(string[] args, out string? error)
    {
        var o = new SimOptions();
        string? output = null;
        double[] sweep = [];
        long sweepPlays = 2_000_000;
        var study = false;
        var sweepOnly = false;
        error = null;
        for (var i = 0; i < args.Length; i++)
        {
            var name = args[i];
            if (name is "--no-pull" or "--no-shard" or "--study" or "--sweep-only")
            {
                o = name == "--no-pull" ? o with { WithPull = false } : name == "--no-shard" ? o with { Shard = false } : o;
                study |= name == "--study";
                sweepOnly |= name == "--sweep-only";
                continue;
            }
            if (i + 1 >= args.Length)
            {
                error = $"{name} needs a value.";
                return null;
            }
            var value = args[++i];
            var number = double.TryParse(value, NumberStyles.Float, CultureInfo.InvariantCulture, out var x) ? x : double.NaN;
            if (name is not ("--out" or "--sweep") && double.IsNaN(number))
            {
                error = $"{name}: '{value}' is not a number.";
                return null;
            }
            switch (name)
            {
                case "--seed": o = o with { Seed = (int)number }; break;
                case "--days": o = o with { Days = (int)number }; break;
                case "--warmup": o = o with { WarmupDays = (int)number }; break;
                case "--plays": o = o with { Plays = (long)number }; break;
                case "--titles": o = o with { Titles = (int)number }; break;
                case "--zipf": o = o with { ZipfExponent = number }; break;
                case "--releases": o = o with { ReleasesPerWeek = (int)number }; break;
                case "--edges": o = o with { EmbeddedEdges = (int)number }; break;
                case "--isps": o = o with { Isps = (int)number }; break;
                case "--ix-per-site": o = o with { IxEdgesPerSite = (int)number }; break;
                case "--disk-share": o = o with { EmbeddedDiskShare = number }; break;
                case "--ix-disk-share": o = o with { IxDiskShare = number }; break;
                case "--plan-every": o = o with { PlanInterval = TimeSpan.FromHours(number) }; break;
                case "--half-life": o = o with { HalfLife = TimeSpan.FromHours(number) }; break;
                case "--launch-boost": o = o with { LaunchBoost = number }; break;
                case "--headroom": o = o with { DiskHeadroom = number }; break;
                case "--hold-margin": o = o with { HoldMargin = number }; break;
                case "--outages": o = o with { OutagesPerEdgeMonth = number }; break;
                case "--replica-load": o = o with { ReplicaLoad = number }; break;
                case "--sweep-plays": sweepPlays = (long)number; break;
                case "--out": output = value; break;
                case "--sweep":
                    sweep = [.. value.Split(',')
                        .Select(s => double.TryParse(s, NumberStyles.Float, CultureInfo.InvariantCulture, out var v) ? v : -1)];
                    if (sweep.Any(v => v is <= 0 or > 1))
                    {
                        error = "--sweep takes disk shares in (0, 1], comma-separated.";
                        return null;
                    }
                    break;
                default:
                    error = $"Unknown option {name}.";
                    return null;
            }
        }
        error = o.Validate() ?? (o.Isps > 250 ? "--isps must be at most 250." : null);
        return error is null ? new Arguments(o, output, sweep, sweepPlays, study, sweepOnly) : null;
    }
}
