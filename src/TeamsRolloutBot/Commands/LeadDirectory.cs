using System.Collections.Concurrent;
using Microsoft.Extensions.Options;
using TeamsRolloutBot.Graph;
using TeamsRolloutBot.Plan;

namespace TeamsRolloutBot.Commands;

/// <summary>
/// Decides who is a project lead: the plan's <c>leads.users</c> (Entra object ids, or UPNs resolved through Graph) and the
/// members of <c>leads.group</c> (Graph <c>checkMemberGroups</c>). Graph answers are cached per user for
/// <c>Commands:LeadCacheDuration</c> and forgotten when the plan reloads; a Graph failure means "not a lead".
/// </summary>
public sealed class LeadDirectory : IDisposable
{
    private readonly PlanProvider _plans;
    private readonly LeadGraphClient _graph;
    private readonly TimeProvider _time;
    private readonly CommandsOptions _options;
    private readonly ILogger<LeadDirectory> _logger;
    private readonly ConcurrentDictionary<string, (LeadCheck Check, DateTimeOffset Until)> _cache = new(StringComparer.OrdinalIgnoreCase);

    public LeadDirectory(PlanProvider plans, LeadGraphClient graph, [FromKeyedServices(CommandsClock.Key)] TimeProvider time, IOptions<CommandsOptions> options, ILogger<LeadDirectory> logger)
    {
        _plans = plans;
        _graph = graph;
        _time = time;
        _options = options.Value;
        _logger = logger;
        _plans.Reloaded += OnPlanReloaded;
    }

    public async Task<LeadCheck> CheckAsync(string? userAadObjectId, CancellationToken cancellationToken)
    {
        if (_plans.Current is not { } plan)
        {
            return new LeadCheck(false, LeadReason.NoPlan);
        }
        if (string.IsNullOrWhiteSpace(userAadObjectId))
        {
            return new LeadCheck(false, LeadReason.NoIdentity);
        }
        var leads = plan.Leads;
        if (leads.Users.Any(u => string.Equals(u, userAadObjectId, StringComparison.OrdinalIgnoreCase)))
        {
            return new LeadCheck(true, LeadReason.ListedById);
        }
        var upns = leads.Users.Where(u => u.Contains('@', StringComparison.Ordinal)).ToList();
        if (upns.Count == 0 && leads.GroupId is null)
        {
            return new LeadCheck(false, LeadReason.NotListed);
        }
        if (!_graph.IsAvailable)
        {
            return new LeadCheck(false, LeadReason.DirectoryNotUsed);
        }
        if (_cache.TryGetValue(userAadObjectId, out var cached) && cached.Until > _time.GetUtcNow())
        {
            return cached.Check;
        }

        LeadCheck check;
        try
        {
            check = await AskGraphAsync(userAadObjectId, upns, leads.GroupId, cancellationToken);
        }
        catch (GraphCallException ex)
        {
            // Fail closed and do not cache: the next attempt asks again.
            Log.LeadCheckFailed(_logger, ex.Message);
            return new LeadCheck(false, LeadReason.DirectoryUnavailable);
        }
        _cache[userAadObjectId] = (check, _time.GetUtcNow() + _options.LeadCacheDuration);
        return check;
    }

    public void Dispose() => _plans.Reloaded -= OnPlanReloaded;

    private async Task<LeadCheck> AskGraphAsync(string userId, List<string> upns, string? groupId, CancellationToken cancellationToken)
    {
        string? upn = null;
        if (upns.Count > 0)
        {
            upn = await _graph.GetUserPrincipalNameAsync(userId, cancellationToken);
            if (upn is not null && upns.Any(u => string.Equals(u, upn, StringComparison.OrdinalIgnoreCase)))
            {
                return new LeadCheck(true, LeadReason.ListedByUpn, upn);
            }
        }
        if (groupId is not null && await _graph.IsMemberOfGroupAsync(userId, groupId, cancellationToken))
        {
            return new LeadCheck(true, LeadReason.GroupMember, upn);
        }
        return new LeadCheck(false, LeadReason.NotListed, upn);
    }

    private void OnPlanReloaded(object? sender, PlanReloadedEventArgs e) => _cache.Clear();
}
