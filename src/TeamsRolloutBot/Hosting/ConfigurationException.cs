namespace TeamsRolloutBot.Hosting;

/// <summary>A setting that makes start-up impossible; the message names the key.</summary>
public sealed class ConfigurationException(string message) : Exception(message);
