using Microsoft.Extensions.Options;

namespace TeamsRolloutBot.Delivery;

/// <summary>Refuses to start with a message naming the key when a delivery setting is out of range.</summary>
public sealed class DeliveryOptionsValidator : IValidateOptions<DeliveryOptions>
{
    public ValidateOptionsResult Validate(string? name, DeliveryOptions o)
    {
        var errors = new List<string>();
        if (o.TenantRatePerSecond is <= 0 or > 10_000)
        {
            errors.Add($"Delivery:TenantRatePerSecond must be above 0 and at most 10000; got {o.TenantRatePerSecond}.");
        }
        if (o.MaxConcurrency is < 1 or > 512)
        {
            errors.Add($"Delivery:MaxConcurrency must be between 1 and 512; got {o.MaxConcurrency}.");
        }
        if (o.MaxAttempts is < 1 or > 100)
        {
            errors.Add($"Delivery:MaxAttempts must be between 1 and 100; got {o.MaxAttempts}.");
        }
        if (o.GraceWindow < TimeSpan.Zero)
        {
            errors.Add($"Delivery:GraceWindow must not be negative; got {o.GraceWindow}.");
        }
        if (o.LeaseDuration < TimeSpan.FromSeconds(1))
        {
            errors.Add($"Delivery:LeaseDuration must be at least 1 second; got {o.LeaseDuration}.");
        }
        foreach (var (key, value) in new[] { ("SchedulerInterval", o.SchedulerInterval), ("PollInterval", o.PollInterval), ("ProgressInterval", o.ProgressInterval) })
        {
            if (value <= TimeSpan.Zero)
            {
                errors.Add($"Delivery:{key} must be positive; got {value}.");
            }
        }
        if (o.InstanceHeartbeat < TimeSpan.FromSeconds(1) || o.InstanceHeartbeat > TimeSpan.FromMinutes(5))
        {
            errors.Add($"Delivery:InstanceHeartbeat must be between 1 second and 5 minutes; got {o.InstanceHeartbeat}.");
        }
        if (DeliveryOptions.ParseLimits(o.ConversationLimits) is null)
        {
            errors.Add($"Delivery:ConversationLimits must look like \"7/1s, 8/2s, 60/30s, 1800/1h\"; got '{o.ConversationLimits}'.");
        }
        if (!Uri.TryCreate(o.DefaultServiceUrl, UriKind.Absolute, out _))
        {
            errors.Add($"Delivery:DefaultServiceUrl must be an absolute URL; got '{o.DefaultServiceUrl}'.");
        }
        return errors.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(errors);
    }
}
