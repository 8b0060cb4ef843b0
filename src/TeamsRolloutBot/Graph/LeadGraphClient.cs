using System.Globalization;
using System.Text.Json.Nodes;

namespace TeamsRolloutBot.Graph;

/// <summary>
/// The Graph endpoints the lead commands call: a user's UPN, group membership (checkMemberGroups) and the user count of a
/// group. A lead waits for these answers (Teams gives an invoke 15 s), so each call has ten seconds; any failure is a
/// <see cref="GraphCallException"/> and the callers fail closed.
/// </summary>
public sealed class LeadGraphClient(GraphClient graph)
{
    private static readonly TimeSpan LeadTimeout = TimeSpan.FromSeconds(10);

    /// <summary>False in local Playground mode (or <c>Graph:Enabled=false</c>): there is no identity to call Graph with.</summary>
    public bool IsAvailable => graph.IsEnabled;

    /// <summary>The user's UPN; null when Graph says the user does not exist.</summary>
    public async Task<string?> GetUserPrincipalNameAsync(string userId, CancellationToken cancellationToken)
    {
        var result = await graph.SendJsonAsync(HttpMethod.Get, $"users/{Uri.EscapeDataString(userId)}?$select=userPrincipalName", null, cancellationToken, timeout: LeadTimeout);
        return result.Outcome switch
        {
            GraphOutcome.Success => result.Value?["userPrincipalName"]?.GetValue<string>(),
            GraphOutcome.NotFound => null,
            _ => throw GraphCallException.From(result),
        };
    }

    /// <summary>True when the user is a (transitive) member of the group (<c>POST /users/{id}/checkMemberGroups</c>).</summary>
    public async Task<bool> IsMemberOfGroupAsync(string userId, string groupId, CancellationToken cancellationToken)
    {
        var body = new JsonObject { ["groupIds"] = new JsonArray(groupId) };
        var result = await graph.SendJsonAsync(HttpMethod.Post, $"users/{Uri.EscapeDataString(userId)}/checkMemberGroups", body, cancellationToken, timeout: LeadTimeout);
        return result.Outcome switch
        {
            GraphOutcome.Success => result.Value?["value"] is JsonArray ids && ids.Any(id => string.Equals(id?.GetValue<string>(), groupId, StringComparison.OrdinalIgnoreCase)),
            GraphOutcome.NotFound => false,
            _ => throw GraphCallException.From(result),
        };
    }

    /// <summary>The number of users in a group, nested groups included (<c>/transitiveMembers/microsoft.graph.user/$count</c>).</summary>
    public async Task<int> CountGroupUsersAsync(string groupId, CancellationToken cancellationToken)
    {
        var result = await graph.SendAsync(HttpMethod.Get, $"groups/{Uri.EscapeDataString(groupId)}/transitiveMembers/microsoft.graph.user/$count", null, cancellationToken,
            request => request.Headers.Add("ConsistencyLevel", "eventual"), LeadTimeout);
        if (!result.IsSuccess)
        {
            throw GraphCallException.From(result);
        }
        var text = (result.Value ?? "").Trim().TrimStart('\uFEFF');
        return int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var count)
            ? count
            : throw new GraphCallException(GraphOutcome.Transient, result.Status, $"Graph answered the member count of group {groupId} with '{(text.Length > 40 ? text[..40] : text)}'");
    }
}
