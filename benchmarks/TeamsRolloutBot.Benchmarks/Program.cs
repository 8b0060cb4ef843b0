using System.Diagnostics;
using TeamsRolloutBot.Benchmarks;

if (args.Length == 0 || args[0] is not ("fanout" or "inbound"))
{
    return Usage();
}
if (args[0] == "inbound")
{
    return await InboundBenchmark.RunAsync(args[1..]);
}

// Production runs with a 16 MB gen0 budget (Dockerfile, docs/operations.md). The runtime reads it only from the
// environment, so the benchmark measures that configuration by running itself again with it, unless told otherwise.
if (Environment.GetEnvironmentVariable("DOTNET_GCgen0size") is null && Environment.GetEnvironmentVariable("BENCH_DEFAULT_GC") != "1")
{
    var self = new ProcessStartInfo(Environment.ProcessPath!) { UseShellExecute = false };
    if (Path.GetFileNameWithoutExtension(Environment.ProcessPath!) == "dotnet")
    {
        self.ArgumentList.Add(typeof(FanoutBenchmark).Assembly.Location);
    }
    foreach (var arg in args)
    {
        self.ArgumentList.Add(arg);
    }
    self.Environment["DOTNET_GCgen0size"] = "0x1000000";
    using var child = Process.Start(self)!;
    await child.WaitForExitAsync();
    return child.ExitCode;
}

return await FanoutBenchmark.RunAsync(args[1..]);

static int Usage()
{
    Console.Error.WriteLine("usage: dotnet run -c Release --project benchmarks/TeamsRolloutBot.Benchmarks -- fanout --recipients N [--rate R] [--concurrency C] [--instances N] [--storage sqlite|azure] [--unshared-pacing] [--verbose]");
    Console.Error.WriteLine("       --instances N: N bot instances in this process on one Azurite account (Storage:Provider=AzureStorage; needs npm ci --prefix tools/azurite)");
    Console.Error.WriteLine("       dotnet run -c Release --project benchmarks/TeamsRolloutBot.Benchmarks -- inbound [--concurrency 16,64] [--activity typing|message|both] [--seconds S] [--warmup S]");
    Console.Error.WriteLine("       (fanout runs with DOTNET_GCgen0size=0x1000000 as in production; BENCH_DEFAULT_GC=1 measures the runtime's default GC budget)");
    return 2;
}
