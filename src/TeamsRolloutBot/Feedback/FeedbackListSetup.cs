using System.Globalization;
using System.Text.Json.Nodes;
using Microsoft.Extensions.Options;
using TeamsRolloutBot.Graph;

namespace TeamsRolloutBot.Feedback;

/// <summary>Checks the list's columns and creates the missing ones (<c>feedback setup-list</c> and sync start-up).</summary>
public sealed class FeedbackListSetup(SharePointListClient client, IOptions<FeedbackOptions> options)
{
    /// <summary>What the check found: columns created, columns already right, columns with another type (to fix by hand), or why it failed.</summary>
    public sealed record Report(bool Enabled, IReadOnlyList<string> Created, IReadOnlyList<string> Present, IReadOnlyList<string> WrongType, string? Error)
    {
        public bool Ok => Enabled && Error is null && WrongType.Count == 0;

        public override string ToString() => !Enabled
            ? "SharePoint sync is off (Feedback:SharePointSiteId / Feedback:SharePointListId not set): answers are stored locally only."
            : Error is not null ? $"SharePoint list check failed: {Error}"
            : "SharePoint list columns: " + Present.Count.ToString(CultureInfo.InvariantCulture) + " present, "
                + Created.Count.ToString(CultureInfo.InvariantCulture) + " created"
                + (Created.Count > 0 ? " (" + string.Join(", ", Created) + ")" : "")
                + (WrongType.Count > 0 ? "; wrong type, fix by hand: " + string.Join(", ", WrongType) : "") + ".";
    }

    /// <summary>Lists the columns and creates every missing one; never changes or deletes an existing column.</summary>
    public async Task<Report> EnsureColumnsAsync(CancellationToken cancellationToken)
    {
        if (!options.Value.SharePointEnabled)
        {
            return new Report(false, [], [], [], null);
        }
        var existing = await client.ListColumnsAsync(cancellationToken);
        if (!existing.IsSuccess)
        {
            return new Report(true, [], [], [], existing.Error ?? existing.Outcome.ToString());
        }
        var byName = existing.Value!.ToDictionary(c => c.Name, StringComparer.OrdinalIgnoreCase);
        List<string> created = [], present = [], wrong = [];
        foreach (var (name, kind, definition) in FeedbackListSchema.Columns)
        {
            if (byName.TryGetValue(name, out var column))
            {
                (column.Kind == kind ? present : wrong).Add(column.Kind == kind ? name : $"{name} is {column.Kind}, expected {kind}");
                continue;
            }
            var result = await client.CreateColumnAsync((JsonObject)definition.DeepClone(), cancellationToken);
            if (!result.IsSuccess)
            {
                return new Report(true, created, present, wrong, $"creating column {name}: {result.Error ?? result.Outcome.ToString()}");
            }
            created.Add(name);
        }
        return new Report(true, created, present, wrong, null);
    }
}
