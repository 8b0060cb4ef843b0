using System.Globalization;
using TeamsRolloutBot.Cards;
using TeamsRolloutBot.Delivery;
using TeamsRolloutBot.Plan;
using TeamsRolloutBot.Protocol;
using TeamsRolloutBot.Storage;

namespace TeamsRolloutBot.Conversations;

/// <summary>
/// Tells the leads in their personal chat, once, when this instance runs a stored plan version instead of its plan file
/// (<see cref="PlanPublisher"/>): the file is invalid at start, or it differs from the newest published version. Every
/// instance tells about itself (a follower's file is as wrong as the leader's), in each lead's language.
/// </summary>
public sealed partial class PlanVersionNotifier(PlanPublisher publisher, PlanProvider plans, IConversationStore conversations, LeadMessenger leads,
    ILogger<PlanVersionNotifier> logger) : IHostedService
{
    private readonly List<Task> _sending = [];

    public Task StartAsync(CancellationToken cancellationToken)
    {
        // Notices raised while the plan loaded at start, before this service started, are sent now.
        foreach (var earlier in publisher.Listen(OnNotice))
        {
            OnNotice(publisher, earlier);
        }
        return Task.CompletedTask;
    }

    public async Task StopAsync(CancellationToken cancellationToken)
    {
        publisher.Unlisten(OnNotice);
        Task[] pending;
        lock (_sending)
        {
            pending = [.. _sending];
        }
        await Task.WhenAll(pending).WaitAsync(cancellationToken).ConfigureAwait(false);
    }

    private void OnNotice(object? sender, PlanVersionNotice notice)
    {
        var task = NotifyAsync(notice);
        lock (_sending)
        {
            _sending.RemoveAll(t => t.IsCompleted);
            _sending.Add(task);
        }
    }

    /// <summary>Sends the notice to every lead of the running plan; returns how many were told.</summary>
    internal async Task<int> NotifyAsync(PlanVersionNotice notice)
    {
        await Task.Yield();
        var told = 0;
        try
        {
            if (plans.Current is not { } plan)
            {
                return 0;
            }
            foreach (var lead in await leads.LeadsAsync(plan, CancellationToken.None))
            {
                var chat = await conversations.FindPersonalAsync(lead, CancellationToken.None);
                var language = CardLanguage.Resolve(plan.DefaultLanguage, plan.Languages, userLocale: chat?.Reference.Locale);
                if (await leads.SendAsync(lead, Activity.CreateMessage(Describe(notice, plan, language)), CancellationToken.None) is not null)
                {
                    told++;
                }
            }
            LogTold(logger, notice.Kind, notice.Version, told);
        }
        catch (Exception ex) when (ex is not OperationCanceledException and not OutOfMemoryException)
        {
            LogFailed(logger, ex);
        }
        return told;
    }

    /// <summary>The notice's text in <paramref name="language"/>.</summary>
    public static string Describe(PlanVersionNotice notice, RolloutPlan running, string language)
    {
        ArgumentNullException.ThrowIfNull(notice);
        ArgumentNullException.ThrowIfNull(running);
        var culture = CultureInfo.GetCultureInfo(CardStrings.Text(language, "language.culture"));
        var values = new Dictionary<string, string>
        {
            ["file"] = Path.GetFileName(notice.PlanFile),
            ["instance"] = notice.Instance,
            ["plan"] = running.Name,
            ["version"] = notice.Version.ToString(culture),
            ["older"] = notice.OlderVersion?.ToString(culture) ?? "",
        };
        if (notice.Kind == PlanVersionNoticeKind.InvalidFileRunsStored)
        {
            // The validator's own form: file:line:column: error: field: message — fix (the folder left out).
            values["error"] = notice.FirstError is { } error
                ? error.ToString().Replace(Path.GetDirectoryName(notice.PlanFile) + Path.DirectorySeparatorChar, "", StringComparison.Ordinal)
                : "";
            return CardStrings.Text(language, "planVersions.invalidFileRunsStored", values);
        }
        values["reason"] = CardStrings.Text(language, notice.OlderVersion is null ? "planVersions.lostRace" : "planVersions.olderVersion", values);
        return CardStrings.Text(language, "planVersions.fileDiffers", values);
    }

    [LoggerMessage(EventId = 9146, Level = LogLevel.Information, Message = "Told {Count} leads that this instance runs stored plan version {Version} ({Kind})")]
    private static partial void LogTold(ILogger logger, PlanVersionNoticeKind kind, int version, int count);

    [LoggerMessage(EventId = 9147, Level = LogLevel.Warning, Message = "Telling the leads about the running plan version failed")]
    private static partial void LogFailed(ILogger logger, Exception exception);
}
