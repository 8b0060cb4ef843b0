using System.Net;
using OpenTelemetry.Metrics;
using OpenTelemetry.Resources;
using OpenTelemetry.Trace;
using TeamsRolloutBot.Protocol;

namespace TeamsRolloutBot.Hosting;

/// <summary>Where the bot listens, the local-mode guard and telemetry.</summary>
public static class HostingExtensions
{
    public const int DefaultPort = 3978;

    /// <summary>
    /// Listens on port 3978 unless urls/ports are configured. In local Playground mode the default is loopback only, and any
    /// configured non-loopback address stops the start-up: the unauthenticated mode must never be reachable from the network.
    /// </summary>
    public static WebApplicationBuilder UseBotUrls(this WebApplicationBuilder builder)
    {
        var configuration = builder.Configuration;
        var localMode = configuration.GetValue<bool>("Bot:LocalPlayground");
        var urls = configuration["urls"];
        var ports = configuration["http_ports"] ?? configuration["https_ports"];
        var kestrelEndpoints = configuration.GetSection("Kestrel:Endpoints").GetChildren().Select(e => e["Url"]).OfType<string>().ToList();

        if (string.IsNullOrWhiteSpace(urls) && string.IsNullOrWhiteSpace(ports) && kestrelEndpoints.Count == 0)
        {
            urls = localMode ? $"http://127.0.0.1:{DefaultPort}" : $"http://+:{DefaultPort}";
            builder.WebHost.UseUrls(urls);
        }
        if (localMode)
        {
            if (!string.IsNullOrWhiteSpace(ports))
            {
                throw new ConfigurationException("Bot:LocalPlayground=true listens on loopback only, but ASPNETCORE_HTTP_PORTS/HTTPS_PORTS bind every interface. Use ASPNETCORE_URLS=http://127.0.0.1:3978 instead.");
            }
            var all = (urls ?? "").Split(';', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).Concat(kestrelEndpoints);
            foreach (var url in all.Where(u => !IsLoopbackUrl(u)))
            {
                throw new ConfigurationException($"Bot:LocalPlayground=true listens on loopback only, but 'urls' contains '{url}'. Use http://127.0.0.1:3978 or http://localhost:3978.");
            }
        }
        return builder;
    }

    internal static bool IsLoopbackUrl(string url)
    {
        var host = url.Replace("://+", "://plus", StringComparison.Ordinal).Replace("://*", "://star", StringComparison.Ordinal);
        if (!Uri.TryCreate(host, UriKind.Absolute, out var uri))
        {
            return false;
        }
        return uri.IsLoopback || (IPAddress.TryParse(uri.Host.Trim('[', ']'), out var ip) && IPAddress.IsLoopback(ip));
    }

    /// <summary>OpenTelemetry traces and metrics; <c>Telemetry:Exporter</c> = console (default in Development) | otlp | none.</summary>
    public static WebApplicationBuilder AddBotTelemetry(this WebApplicationBuilder builder)
    {
        var exporter = builder.Configuration["Telemetry:Exporter"] ?? (builder.Environment.IsDevelopment() ? "console" : "none");
        var endpoint = builder.Configuration["Telemetry:OtlpEndpoint"];
        if (exporter is not ("console" or "otlp" or "none"))
        {
            throw new ConfigurationException($"Telemetry:Exporter must be console, otlp or none; got '{exporter}'.");
        }
        if (exporter == "none")
        {
            return builder;
        }
        builder.Services.AddOpenTelemetry()
            .ConfigureResource(r => r.AddService(BotTelemetry.Name))
            .WithTracing(t =>
            {
                t.AddSource(BotTelemetry.Name).AddAspNetCoreInstrumentation().AddHttpClientInstrumentation();
                if (exporter == "otlp") { t.AddOtlpExporter(o => { if (endpoint is { Length: > 0 }) { o.Endpoint = new Uri(endpoint); } }); }
                else { t.AddConsoleExporter(); }
            })
            .WithMetrics(m =>
            {
                m.AddMeter(BotTelemetry.Name).AddAspNetCoreInstrumentation().AddHttpClientInstrumentation();
                if (exporter == "otlp") { m.AddOtlpExporter(o => { if (endpoint is { Length: > 0 }) { o.Endpoint = new Uri(endpoint); } }); }
                else { m.AddConsoleExporter(); }
            });
        return builder;
    }
}
