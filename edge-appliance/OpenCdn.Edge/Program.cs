using OpenCdn.Edge.Hosting;

// Content root is the install folder (appsettings.json), wherever the service is started from.
var builder = WebApplication.CreateBuilder(new WebApplicationOptions { Args = args, ContentRootPath = AppContext.BaseDirectory });
builder.AddEdgeAppliance();

var app = builder.Build();
app.MapEdgeAppliance();
app.Run();

/// <summary>The entry point, visible to functional tests.</summary>
public partial class Program;
