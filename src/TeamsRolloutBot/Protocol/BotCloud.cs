namespace TeamsRolloutBot.Protocol;

/// <summary>
/// The endpoints of one Microsoft cloud that the bot uses together (<c>Bot:Cloud</c>): where inbound tokens' signing keys
/// are published and who issues them, the Entra authority and the Bot Connector scope of outbound tokens, the Teams
/// connector hosts a token may go to, and Graph. Values from Microsoft's "Configure Bot Framework bots for US Government
/// customers" and the national-cloud Graph endpoint tables (docs/operations.md lists them).
/// </summary>
public sealed record BotCloud(
    string Name,
    string OpenIdMetadataUrl,
    string TokenIssuer,
    Uri AuthorityHost,
    string ConnectorScope,
    IReadOnlyList<string> ServiceUrlHosts,
    string DefaultServiceUrl,
    string GraphBaseUrl)
{
    /// <summary>The commercial cloud, including Office 365 GCC (Moderate), whose bots run in public Azure.</summary>
    public static readonly BotCloud Public = new(
        "Public",
        "https://login.botframework.com/v1/.well-known/openidconfiguration",
        "https://api.botframework.com",
        new Uri("https://login.microsoftonline.com/"),
        "https://api.botframework.com/.default",
        ["smba.trafficmanager.net", "smba.infra.gcc.teams.microsoft.com"],
        "https://smba.trafficmanager.net/teams/",
        "https://graph.microsoft.com/v1.0");

    /// <summary>Azure Government with Office 365 GCC High.</summary>
    public static readonly BotCloud USGov = new(
        "USGov",
        "https://login.botframework.azure.us/v1/.well-known/openidconfiguration",
        "https://api.botframework.us",
        new Uri("https://login.microsoftonline.us/"),
        "https://api.botframework.us/.default",
        ["smba.infra.gov.teams.microsoft.us"],
        "https://smba.infra.gov.teams.microsoft.us/teams/",
        "https://graph.microsoft.us/v1.0");

    /// <summary>Azure Government with Office 365 DoD: the bot side as GCC High, Teams and Graph on DoD hosts.</summary>
    public static readonly BotCloud USGovDoD = USGov with
    {
        Name = "USGovDoD",
        ServiceUrlHosts = ["smba.infra.dod.teams.microsoft.us"],
        DefaultServiceUrl = "https://smba.infra.dod.teams.microsoft.us/teams/",
        GraphBaseUrl = "https://dod-graph.microsoft.us/v1.0",
    };

    /// <summary>Every cloud <c>Bot:Cloud</c> accepts.</summary>
    public static IReadOnlyList<BotCloud> All { get; } = [Public, USGov, USGovDoD];

    /// <summary>The Graph token scope: the Graph host's <c>/.default</c>.</summary>
    public string GraphScope => $"https://{new Uri(GraphBaseUrl).Host}/.default";

    /// <summary>The cloud named <paramref name="name"/> (case-insensitive), or null.</summary>
    public static BotCloud? Find(string? name) =>
        All.FirstOrDefault(c => string.Equals(c.Name, name?.Trim(), StringComparison.OrdinalIgnoreCase));
}
