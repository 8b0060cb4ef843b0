using System.Globalization;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace TeamsRolloutBot.Plan;

/// <summary>Ready while a valid plan runs; the running version (number, hash, source) is in the check's data for <c>/readyz</c>.</summary>
public sealed class PlanHealthCheck(PlanProvider plans) : IHealthCheck
{
    public Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        if (plans.Current is not { } plan || plans.Running is not { } running)
        {
            var error = plans.LastErrors.Count > 0 ? plans.LastErrors[0] : null;
            return Task.FromResult(HealthCheckResult.Unhealthy("No valid plan is loaded" + (error is null ? "." : ": " + error)));
        }
        var data = new Dictionary<string, object>
        {
            ["name"] = plan.Name,
            ["hash"] = running.Hash,
            ["source"] = running.Source.ToString().ToLowerInvariant(),
            ["since"] = running.Since.ToString("O", CultureInfo.InvariantCulture),
        };
        if (running.Version is { } version)
        {
            data["version"] = version;
        }
        return Task.FromResult(HealthCheckResult.Healthy($"Plan '{plan.Name}' version {running.Version?.ToString(CultureInfo.InvariantCulture) ?? "(not stored)"} runs.", data));
    }
}
