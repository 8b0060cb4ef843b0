using System.Globalization;
using System.Text.Json;
using Azure;
using Azure.Data.Tables;
using Azure.Storage.Blobs;
using Azure.Storage.Blobs.Models;
using static TeamsRolloutBot.Storage.Azure.AzureTables;

namespace TeamsRolloutBot.Storage.Azure;

/// <summary>
/// <see cref="IPlanVersionStore"/> on the table <c>&lt;prefix&gt;PlanVersions</c>: one partition per instance, row keys
/// sorting newest first, so every instance sees which plan file each instance loaded last. Published plans are blobs in
/// the <c>&lt;prefix&gt;-plans</c> container: <c>plans/v000042.yaml</c> holds version 42's text (metadata: hash,
/// instance, time, plan name), created with If-None-Match: * so only one instance can create a version, and
/// <c>latest.json</c> points at the newest version, moved forward only with If-Match on its ETag.
/// </summary>
public sealed class AzureTablePlanVersionStore(TableServiceClient service, string tablePrefix, BlobContainerClient plans) : IPlanVersionStore
{
    private const string Pointer = "latest.json";
    private const string Folder = "plans/";

    /// <summary>The table this store uses.</summary>
    public TableClient Table { get; } = service.GetTableClient(tablePrefix + "PlanVersions");

    /// <summary>The blob container of the published plans.</summary>
    public BlobContainerClient Plans { get; } = plans;

    /// <summary>Creates the published plans' container when it does not exist.</summary>
    public Task EnsureCreatedAsync(CancellationToken cancellationToken) => Plans.CreateIfNotExistsAsync(cancellationToken: cancellationToken);

    public Task RecordAsync(PlanVersion version, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(version);
        return Table.UpsertEntityAsync(new TableEntity(Encode(version.Instance), NewestFirst(version.LoadedAt) + "-" + version.Hash[..Math.Min(16, version.Hash.Length)])
        {
            ["Hash"] = version.Hash, ["Instance"] = version.Instance, ["LoadedAt"] = Ms(version.LoadedAt), ["PlanName"] = version.PlanName,
            ["WaveCount"] = version.WaveCount,
        }, TableUpdateMode.Replace, cancellationToken);
    }

    public async Task<IReadOnlyList<PlanVersion>> LatestPerInstanceAsync(CancellationToken cancellationToken)
    {
        var all = await QueryAsync(Table, null, cancellationToken);
        return
        [
            .. all.GroupBy(e => e.PartitionKey)
                .Select(g => g.MinBy(e => e.RowKey, StringComparer.Ordinal)!)
                .Select(e => new PlanVersion(e.GetString("Hash"), e.GetString("Instance"), FromMs(e.GetInt64("LoadedAt")!.Value), e.GetString("PlanName"), e.GetInt32("WaveCount") ?? 0))
                .OrderByDescending(v => v.LoadedAt),
        ];
    }

    public async Task<PublishedPlan?> LatestPublishedAsync(CancellationToken cancellationToken)
    {
        var version = await NewestVersionAsync(cancellationToken);
        return version == 0 ? null : await ReadAsync(version, cancellationToken);
    }

    public async Task<PublishedPlan?> FindPublishedAsync(string hash, CancellationToken cancellationToken)
    {
        var newest = 0;
        await foreach (var item in Plans.GetBlobsAsync(BlobTraits.Metadata, BlobStates.None, Folder, cancellationToken))
        {
            if (item.Metadata.TryGetValue("hash", out var h) && string.Equals(h, hash, StringComparison.Ordinal) && VersionOf(item.Name) is { } v && v > newest)
            {
                newest = v;
            }
        }
        return newest == 0 ? null : await ReadAsync(newest, cancellationToken);
    }

    public async Task<bool> PublishAsync(PublishedPlan plan, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(plan);
        if (await NewestVersionAsync(cancellationToken) != plan.Version - 1)
        {
            return false;
        }
        try
        {
            await Plans.GetBlobClient(NameOf(plan.Version)).UploadAsync(BinaryData.FromString(plan.Content), new BlobUploadOptions
            {
                Conditions = new BlobRequestConditions { IfNoneMatch = ETag.All },
                HttpHeaders = new BlobHttpHeaders { ContentType = "application/yaml; charset=utf-8" },
                Metadata = new Dictionary<string, string>
                {
                    ["hash"] = plan.Hash,
                    ["instance"] = Uri.EscapeDataString(plan.Instance),
                    ["publishedat"] = Ms(plan.PublishedAt).ToString(CultureInfo.InvariantCulture),
                    ["planname"] = Uri.EscapeDataString(plan.PlanName ?? ""),
                },
            }, cancellationToken);
        }
        catch (RequestFailedException e) when (e.Status is 409 or 412)
        {
            // Another instance created this version first.
            return false;
        }
        await AdvancePointerAsync(plan.Version, plan.Hash, cancellationToken);
        return true;
    }

    /// <summary>
    /// The newest version: the pointer's, then any version blob after it (the pointer lags when a publisher stopped
    /// between creating its version and moving the pointer).
    /// </summary>
    private async Task<int> NewestVersionAsync(CancellationToken cancellationToken)
    {
        var (version, _) = await ReadPointerAsync(cancellationToken);
        while (await Plans.GetBlobClient(NameOf(version + 1)).ExistsAsync(cancellationToken))
        {
            version++;
        }
        return version;
    }

    private async Task<(int Version, ETag? ETag)> ReadPointerAsync(CancellationToken cancellationToken)
    {
        try
        {
            var pointer = await Plans.GetBlobClient(Pointer).DownloadContentAsync(cancellationToken);
            using var json = JsonDocument.Parse(pointer.Value.Content.ToMemory());
            return (json.RootElement.GetProperty("version").GetInt32(), pointer.Value.Details.ETag);
        }
        catch (RequestFailedException e) when (e.Status == 404)
        {
            return (0, null);
        }
    }

    private async Task AdvancePointerAsync(int version, string hash, CancellationToken cancellationToken)
    {
        var body = BinaryData.FromString(string.Create(CultureInfo.InvariantCulture, $$"""{"version":{{version}},"hash":"{{hash}}"}"""));
        for (var attempt = 0; attempt < 5; attempt++)
        {
            var (current, etag) = await ReadPointerAsync(cancellationToken);
            if (current >= version)
            {
                return;
            }
            try
            {
                await Plans.GetBlobClient(Pointer).UploadAsync(body, new BlobUploadOptions
                {
                    Conditions = etag is { } tag ? new BlobRequestConditions { IfMatch = tag } : new BlobRequestConditions { IfNoneMatch = ETag.All },
                    HttpHeaders = new BlobHttpHeaders { ContentType = "application/json" },
                }, cancellationToken);
                return;
            }
            catch (RequestFailedException e) when (e.Status is 409 or 412)
            {
                // Another instance moved the pointer meanwhile: read it again.
            }
        }
        // Readers find the version blob after the pointer anyway.
    }

    private async Task<PublishedPlan> ReadAsync(int version, CancellationToken cancellationToken)
    {
        var blob = await Plans.GetBlobClient(NameOf(version)).DownloadContentAsync(cancellationToken);
        var metadata = blob.Value.Details.Metadata;
        string Meta(string key) => metadata.TryGetValue(key, out var value) ? value : "";
        var name = Uri.UnescapeDataString(Meta("planname"));
        return new PublishedPlan(version, Meta("hash"), blob.Value.Content.ToString(),
            FromMs(long.Parse(Meta("publishedat"), CultureInfo.InvariantCulture)), Uri.UnescapeDataString(Meta("instance")), name.Length == 0 ? null : name);
    }

    /// <summary>The blob name of a version: <c>plans/v000042.yaml</c> (zero-padded, so names sort by version).</summary>
    public static string NameOf(int version) => string.Create(CultureInfo.InvariantCulture, $"{Folder}v{version:D6}.yaml");

    private static int? VersionOf(string name) =>
        name.StartsWith(Folder + "v", StringComparison.Ordinal) && name.EndsWith(".yaml", StringComparison.Ordinal)
        && int.TryParse(name.AsSpan(Folder.Length + 1, name.Length - Folder.Length - 1 - ".yaml".Length), NumberStyles.None, CultureInfo.InvariantCulture, out var v)
            ? v : null;
}
