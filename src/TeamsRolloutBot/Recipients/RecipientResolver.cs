using Microsoft.Extensions.Options;
using TeamsRolloutBot.Delivery;
using TeamsRolloutBot.Graph;
using TeamsRolloutBot.Protocol;
using TeamsRolloutBot.Storage;

namespace TeamsRolloutBot.Recipients;

/// <summary>
/// Resolves a department's members: the plan's explicit users (Entra object ids or UPNs), the transitive members of its
/// Entra group (Graph, paged), and — when neither is given, or without Graph in local Playground mode — the team's
/// roster from the connector (paged members). Each person once.
/// </summary>
public sealed partial class RecipientResolver(
    GraphGateway graph, IDeliveryStore store, ConnectorClient connector, IOptions<DeliveryOptions> options, IOptions<BotOptions> bot, ILogger<RecipientResolver> logger)
{
    /// <summary>Every member of the department, deduplicated by id. Throws <see cref="GraphCallException"/> / <see cref="ConnectorException"/> when the directory cannot be read.</summary>
    public async IAsyncEnumerable<Recipient> ResolveAsync(DepartmentTarget department, bool needMail, [System.Runtime.CompilerServices.EnumeratorCancellation] CancellationToken cancellationToken)
    {
        var seen = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
        var fromDirectory = false;
        foreach (var user in department.MemberUsers.Where(u => !string.IsNullOrWhiteSpace(u)))
        {
            fromDirectory = true;
            var recipient = await ResolveUserAsync(user.Trim(), needMail, cancellationToken);
            if (recipient is not null && seen.Add(recipient.Id))
            {
                yield return recipient;
            }
        }
        if (!string.IsNullOrEmpty(department.MemberGroupId))
        {
            if (graph.IsEnabled)
            {
                fromDirectory = true;
                await foreach (var user in graph.GetTransitiveUsersAsync(department.MemberGroupId, cancellationToken))
                {
                    if (seen.Add(user.Id))
                    {
                        yield return new Recipient(user.Id, user.Mail ?? user.UserPrincipalName, Language(user.PreferredLanguage), user.DisplayName);
                    }
                }
            }
            else
            {
                LogGroupWithoutGraph(logger, department.Id);
            }
        }
        if (!fromDirectory && !string.IsNullOrEmpty(department.TeamId))
        {
            var team = await store.FindConversationAsync(department.TeamId, cancellationToken);
            // Without a stored team conversation, the connector the sends go to: in local Playground mode the Playground's.
            var serviceUrl = team?.Reference.ServiceUrl
                ?? (bot.Value.LocalPlayground && await store.LatestServiceUrlAsync(cancellationToken) is { } local ? local : options.Value.DefaultServiceUrl);
            await foreach (var member in connector.GetAllMembersAsync(serviceUrl, department.TeamId, cancellationToken))
            {
                var id = member.AadObjectId ?? member.Id;
                if (id is not null && seen.Add(id))
                {
                    yield return new Recipient(id, member.Email ?? member.UserPrincipalName, null, member.Name);
                }
            }
        }
    }

    private async Task<Recipient?> ResolveUserAsync(string user, bool needMail, CancellationToken cancellationToken)
    {
        var isUpn = user.Contains('@', StringComparison.Ordinal);
        if (!graph.IsEnabled || (!isUpn && !needMail))
        {
            return new Recipient(user, isUpn ? user : null, null, null);
        }
        var found = await graph.FindUserAsync(user, cancellationToken);
        if (found is null)
        {
            LogUnknownUser(logger, user);
            return new Recipient(user, null, null, null, "not found in the directory");
        }
        return new Recipient(found.Id, found.Mail ?? found.UserPrincipalName, Language(found.PreferredLanguage), found.DisplayName);
    }

    /// <summary>"nl-NL" → "nl"; null when unknown.</summary>
    internal static string? Language(string? preferred) =>
        string.IsNullOrEmpty(preferred) ? null : preferred.Split('-', 2)[0].ToLowerInvariant();

    [LoggerMessage(EventId = 6200, Level = LogLevel.Warning, Message = "Department {Department}: its member group cannot be resolved without Graph (local Playground mode); using the explicit users or the team roster.")]
    private static partial void LogGroupWithoutGraph(ILogger logger, string department);

    [LoggerMessage(EventId = 6201, Level = LogLevel.Warning, Message = "Plan member {User} was not found in the directory; recorded as RecipientGone.")]
    private static partial void LogUnknownUser(ILogger logger, string user);
}
