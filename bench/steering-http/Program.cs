using System.Globalization;
using OpenCdn.SteeringHttp.Bench;

// Steering over HTTP, the helper run.sh drives:
//   seed DATA_FOLDER                      catalog + origin at the scale, written straight to SQLite and files
//   baseline DATA_FOLDER URL              the same Kestrel + JWT, answering a fixed MPD: what steering is compared with
//   sessions URL TOKEN REQUESTS N OUT     starts N sessions, writes their manifest paths (for wrk)
var culture = CultureInfo.InvariantCulture;
switch (args.FirstOrDefault())
{
    case "seed":
        await Seed.RunAsync(args[1]);
        break;
    case "baseline":
        await Baseline.RunAsync(args[1], args[2]);
        break;
    case "sessions":
        await Load.SessionsAsync(new Uri(args[1]), args[2], args[3], int.Parse(args[4], culture), args[5]);
        break;
    default:
        Console.Error.WriteLine("usage: seed DATA | baseline DATA URL | sessions URL TOKEN REQUESTS N OUT");
        return 2;
}
return 0;
