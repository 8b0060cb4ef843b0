using Microsoft.Extensions.Options;

namespace TeamsRolloutBot.Hosting;

/// <summary>Turns a configuration error at start-up into a short message naming the key, and exit code 2.</summary>
public static class StartupErrors
{
    public const int ExitCode = 2;

    public static bool IsConfigurationError(Exception exception) => exception switch
    {
        OptionsValidationException => true,
        AggregateException aggregate => aggregate.InnerExceptions.All(IsConfigurationError),
        ConfigurationException => true,
        _ => false,
    };

    public static int Report(Exception exception, TextWriter error)
    {
        error.WriteLine("TeamsRolloutBot cannot start: the configuration is not valid.");
        foreach (var message in Messages(exception))
        {
            error.WriteLine($"  - {message}");
        }
        error.WriteLine("See docs/operations.md for every setting.");
        return ExitCode;
    }

    private static IEnumerable<string> Messages(Exception exception) => exception switch
    {
        OptionsValidationException options => options.Failures,
        AggregateException aggregate => aggregate.InnerExceptions.SelectMany(Messages),
        _ => [exception.Message],
    };
}
