using OpenCdn.Cli.Hosting;

return await CliApp.RunAsync(args, Terminal.Create(), TimeProvider.System);
