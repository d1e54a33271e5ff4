using OpenCdn.ControlPlane.Hosting;
using OpenCdn.ControlPlane.Origin;
using OpenCdn.Platform;

var builder = WebApplication.CreateBuilder(args);
builder.AddServiceDefaults();
builder.AddOriginStorage();
builder.AddJobQueue();

var app = builder.Build();
app.UseServiceDefaults();
app.MapOriginEndpoint();
app.Run();

/// <summary>The entry point, visible to functional tests.</summary>
public partial class Program;
