using TeamsRolloutBot.Benchmarks;

if (args.Length == 0 || args[0] is not ("fanout" or "inbound" or "fakes"))
{
    return Usage();
}
if (args[0] == "inbound")
{
    return await InboundBenchmark.RunAsync(args[1..]);
}
if (args[0] == "fakes")
{
    return await FakesProcess.RunAsync(args[1..]);
}

// The fan-out runs with the GC settings the project ships (runtimeconfig from the project files), no variable of its own.
return await FanoutBenchmark.RunAsync(args[1..]);

static int Usage()
{
    Console.Error.WriteLine("usage: dotnet run -c Release --project benchmarks/TeamsRolloutBot.Benchmarks -- fanout --recipients N [--rate R] [--concurrency C] [--instances N] [--storage sqlite|azure] [--unshared-pacing] [--first-contact [--without-app P]] [--verbose]");
    Console.Error.WriteLine("       --instances N: N bot instances in this process on one Azurite account (Storage:Provider=AzureStorage; needs npm ci --prefix tools/azurite)");
    Console.Error.WriteLine("       dotnet run -c Release --project benchmarks/TeamsRolloutBot.Benchmarks -- inbound [--concurrency 16,64] [--activity typing|message|both] [--seconds S] [--warmup S]");
    return 2;
}
