using OpenCdn.Edge.Hosting;

var builder = WebApplication.CreateBuilder(args);
builder.AddEdgeAppliance();

var app = builder.Build();
app.MapEdgeAppliance();
app.Run();

/// <summary>The entry point, visible to functional tests.</summary>
public partial class Program;
