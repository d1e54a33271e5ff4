using OpenCdn.Catalog;
using OpenCdn.ControlPlane.Auth;
using OpenCdn.ControlPlane.Fleet;
using OpenCdn.ControlPlane.Hosting;
using OpenCdn.ControlPlane.Keys;
using OpenCdn.ControlPlane.Migration;
using OpenCdn.ControlPlane.Origin;
using OpenCdn.ControlPlane.Peers;
using OpenCdn.ControlPlane.Playback;
using OpenCdn.ControlPlane.Qoe;
using OpenCdn.ControlPlane.RateLimits;
using OpenCdn.ControlPlane.Stats;
using OpenCdn.ControlPlane.Subtitles;
using OpenCdn.ControlPlane.Titles;
using OpenCdn.ControlPlane.Uploads;
using OpenCdn.Platform;

if (MigrateCommand.Matches(args))
{
    return await MigrateCommand.RunAsync(args, Console.Out, Console.Error);
}

var builder = WebApplication.CreateBuilder(args);
builder.AddServiceDefaults();
builder.AddOriginStorage();
builder.AddJobQueue();
builder.AddCatalog();
builder.AddPlatformKeys();
builder.AddAuth();
builder.AddUploads();
builder.AddPlayback();
builder.AddFleet();
builder.AddQoe();
builder.AddPeers();
builder.AddStats();
builder.AddRateLimits();
builder.AddSubtitles();

var app = builder.Build();
app.UseForwardedHeaders();
app.UseServiceDefaults();
app.UseWebSockets();
app.MapOriginEndpoint();
var api = app.MapGroup("/api/v1");
api.MapAuthApi();
api.MapTitlesApi();
api.MapSubtitlesApi();
api.MapUploadsApi();
api.MapFleetApi();
api.MapPlaybackApi();
api.MapQoeApi();
api.MapPeersApi();
await app.RunAsync();
return 0;

/// <summary>The entry point, visible to functional tests.</summary>
public partial class Program;
