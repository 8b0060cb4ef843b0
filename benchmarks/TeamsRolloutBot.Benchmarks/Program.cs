using TeamsRolloutBot.Benchmarks;

return args.Length > 0 && args[0] == "fanout"
    ? await FanoutBenchmark.RunAsync(args[1..])
    : Usage();

static int Usage()
{
    Console.Error.WriteLine("usage: dotnet run -c Release --project benchmarks/TeamsRolloutBot.Benchmarks -- fanout --recipients N [--rate R] [--concurrency C]");
    return 2;
}
