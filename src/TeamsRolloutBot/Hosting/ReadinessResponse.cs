using System.Text.Json;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace TeamsRolloutBot.Hosting;

/// <summary>
/// The JSON body of <c>/readyz</c>: the overall status, the running plan's version (<c>plan</c>: version, hash, source,
/// name, since; null while no valid plan runs) and each check's status and description.
/// </summary>
public static class ReadinessResponse
{
    public static async Task WriteAsync(HttpContext context, HealthReport report)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(report);
        context.Response.ContentType = "application/json; charset=utf-8";
        await using var json = new Utf8JsonWriter(context.Response.Body);
        json.WriteStartObject();
        json.WriteString("status", report.Status.ToString());
        json.WritePropertyName("plan");
        if (report.Entries.TryGetValue("plan", out var plan) && plan.Status == HealthStatus.Healthy)
        {
            json.WriteStartObject();
            if (plan.Data.TryGetValue("version", out var version) && version is int number)
            {
                json.WriteNumber("version", number);
            }
            else
            {
                json.WriteNull("version");
            }
            foreach (var key in new[] { "hash", "source", "name", "since" })
            {
                json.WriteString(key, plan.Data.TryGetValue(key, out var value) ? value as string : null);
            }
            json.WriteEndObject();
        }
        else
        {
            json.WriteNullValue();
        }
        json.WriteStartObject("checks");
        foreach (var (name, entry) in report.Entries)
        {
            json.WriteStartObject(name);
            json.WriteString("status", entry.Status.ToString());
            json.WriteString("description", entry.Description);
            json.WriteEndObject();
        }
        json.WriteEndObject();
        json.WriteEndObject();
        await json.FlushAsync(context.RequestAborted);
    }
}
