using System.Diagnostics;

namespace TeamsRolloutBot.Benchmarks;

/// <summary>Starts this benchmark again with other arguments (under <c>dotnet</c> when it runs as a dll).</summary>
public static class SelfProcess
{
    public static ProcessStartInfo StartInfo(IEnumerable<string> arguments)
    {
        var start = new ProcessStartInfo(Environment.ProcessPath!) { UseShellExecute = false };
        if (Path.GetFileNameWithoutExtension(Environment.ProcessPath!) == "dotnet")
        {
            start.ArgumentList.Add(typeof(SelfProcess).Assembly.Location);
        }
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }
        return start;
    }
}
