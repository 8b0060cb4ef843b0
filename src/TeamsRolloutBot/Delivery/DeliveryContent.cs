using System.Text.Json.Nodes;
using Microsoft.Extensions.Options;
using TeamsRolloutBot.Cards;
using TeamsRolloutBot.Plan;
using TeamsRolloutBot.Protocol;

namespace TeamsRolloutBot.Delivery;

/// <summary>
/// Turns a planned send into what is sent: the plan message's Adaptive Card (<see cref="CardRenderer"/>, in the
/// recipient's language when the plan has it) for Teams, and the same card as an HTML e-mail (<see cref="CardEmail"/>).
/// A send whose fan-out has started renders from the content its first recipient got (<see cref="Capture"/>, kept with
/// the planned send), so an edit in the middle of a fan-out never splits recipients between old and new content; a
/// send not started yet renders from the newest plan. A send of the plan file whose key (wave, message, department,
/// audience) is no longer in the plan is removed (<see cref="IsRemoved"/>) and never rendered. Only a send that is not in
/// a plan file (a plan given in code, as the benchmark does) gets a plain card naming the wave, message and phase.
/// </summary>
public sealed class DeliveryContent(PlanProvider plans, DeliveryPlanSource source, IOptions<BotOptions> bot)
{
    /// <summary>The reason recorded for sends and jobs whose message, wave or department left the plan.</summary>
    public const string RemovedFromPlan = "removed from the plan";

    private readonly Lock _gate = new();
    private (RolloutPlan? Plan, Dictionary<string, ScheduledSend> Sends) _index = (null, []);

    /// <summary>The Teams activity for a send, in the recipient's language. Throws <see cref="CardTemplateException"/> or <see cref="ArgumentException"/> when the plan's card cannot be rendered.</summary>
    /// <remarks><paramref name="frozen"/>: the content the send started with (see <see cref="Capture"/>), used before the current plan.</remarks>
    public Activity RenderTeams(PlannedSend send, string? language, string? frozen = null)
    {
        if (ContentOf(send, frozen) is { } content)
        {
            var lang = content.LanguageOf(language);
            var card = CardRenderer.Render(content.Template, content.Data, lang);
            return Activity.CreateCard(card, $"{content.PlanName}: {content.WaveName.Get(lang, content.DefaultLanguage)}");
        }
        return Placeholder(send, language);
    }

    /// <summary>True when sends come from the plan file (no plan given in code) and a valid plan is loaded.</summary>
    public bool FromPlanFile => source.Override is null && plans.Current is not null;

    /// <summary>
    /// True when the send comes from the plan file and its key (wave, message, department, audience; a lead's
    /// <c>send … now</c> by the send it repeats) is no longer in the current plan: it must not be sent.
    /// </summary>
    public bool IsRemoved(string sendKey) => FromPlanFile && Find(sendKey) is (null, _);

    /// <summary>
    /// The send's content in the current plan as JSON (template, card data, names), to keep with the planned send when
    /// its fan-out starts; null when the plan file does not have the send.
    /// </summary>
    public string? Capture(PlannedSend send)
    {
        if (Find(send.Key) is not ({ } plan, { } scheduled))
        {
            return null;
        }
        return new JsonObject
        {
            ["template"] = scheduled.Message.Template,
            ["data"] = PlanCards.ForSend(plan, scheduled).ToJson(),
            ["plan"] = plan.Name,
            ["wave"] = new JsonObject(scheduled.Wave.Name.Values.Select(v => KeyValuePair.Create(v.Key, (JsonNode?)v.Value))),
            ["defaultLanguage"] = plan.DefaultLanguage,
            ["languages"] = new JsonArray([.. plan.Languages.Select(l => (JsonNode?)l)]),
        }.ToJsonString();
    }

    /// <summary>The content to render: the frozen one when given, else the current plan's, else null (placeholder).</summary>
    private Content? ContentOf(PlannedSend send, string? frozen)
    {
        if (frozen is not null && JsonNode.Parse(frozen) is JsonObject kept)
        {
            return new Content(
                kept["template"]!.GetValue<string>(),
                (JsonObject)kept["data"]!,
                kept["plan"]!.GetValue<string>(),
                new LocalizedText(((JsonObject)kept["wave"]!).ToDictionary(p => p.Key, p => p.Value!.GetValue<string>())),
                kept["defaultLanguage"]!.GetValue<string>(),
                [.. ((JsonArray)kept["languages"]!).Select(l => l!.GetValue<string>())]);
        }
        if (Find(send.Key) is ({ } plan, { } scheduled))
        {
            return new Content(scheduled.Message.Template, PlanCards.ForSend(plan, scheduled).ToJson(), plan.Name, scheduled.Wave.Name,
                plan.DefaultLanguage, plan.Languages);
        }
        return null;
    }

    /// <summary>What a send renders from: the template, its bound data, and the names around it.</summary>
    private sealed record Content(string Template, JsonObject Data, string PlanName, LocalizedText WaveName, string DefaultLanguage, IReadOnlyList<string> Languages)
    {
        /// <summary>
        /// The language of one job: the job's own (the recipient's, set when it was queued) when the plan has it, else the
        /// plan's default. Teams cards and e-mails use this one rule.
        /// </summary>
        public string LanguageOf(string? language) => language is not null && Languages.Contains(language) ? language : DefaultLanguage;
    }

    /// <summary>
    /// The lead's status card for a wave message from the plan's <c>status</c> template, or null when there is no plan
    /// file (the caller then uses a plain card).
    /// </summary>
    public Activity? RenderStatus(WaveProgress progress, double? ratePerSecond, TimeSpan? eta, DateTimeOffset now, string language)
    {
        if (plans.Current is not { } plan)
        {
            return null;
        }
        var lang = plan.Languages.Contains(language) ? language : plan.DefaultLanguage;
        var wave = plan.FindWave(progress.WaveId);
        var parameters = new JsonObject
        {
            ["total"] = progress.Total,
            ["sent"] = progress.Finished,
            ["delivered"] = progress.Delivered,
            ["failed"] = progress.Failed,
            ["pending"] = progress.Queued,
            ["ratePerMinute"] = Math.Round((ratePerSecond ?? 0) * 60, 1),
            ["updatedAt"] = now.ToString("yyyy-MM-dd'T'HH:mm:sszzz", System.Globalization.CultureInfo.InvariantCulture),
            ["paused"] = false,
        };
        if (eta is { } remaining && progress.Queued > 0)
        {
            parameters["eta"] = (now + remaining).ToString("yyyy-MM-dd'T'HH:mm:sszzz", System.Globalization.CultureInfo.InvariantCulture);
        }
        var data = PlanCards.Base(plan) with
        {
            WaveId = progress.WaveId,
            WaveName = wave is null ? progress.WaveId : new JsonObject(wave.Name.Values.Select(v => KeyValuePair.Create(v.Key, (JsonNode?)v.Value))),
            MessageId = progress.MessageId,
            Parameters = parameters,
        };
        try
        {
            var card = CardRenderer.Render(CardTemplateIds.Status, data.ToJson(), lang);
            return Activity.CreateCard(card, $"{plan.Name}: {progress.WaveId} {progress.Finished}/{progress.Total}");
        }
        catch (Exception ex) when (ex is CardTemplateException or ArgumentException)
        {
            return null;
        }
    }

    private (RolloutPlan?, ScheduledSend?) Find(string key)
    {
        var plan = plans.Current;
        if (plan is null)
        {
            return (null, null);
        }
        lock (_gate)
        {
            if (!ReferenceEquals(_index.Plan, plan))
            {
                _index = (plan, ScheduleExpander.Expand(plan).ToDictionary(s => s.Key, StringComparer.Ordinal));
            }
            // A lead's "send ... now" has its own key (…/now-<request>): its content is that of the scheduled send it repeats.
            var nowSuffix = key.IndexOf("/now-", StringComparison.Ordinal);
            return _index.Sends.TryGetValue(nowSuffix > 0 ? key[..nowSuffix] : key, out var scheduled) ? (plan, scheduled) : (null, null);
        }
    }

    private static Activity Placeholder(PlannedSend send, string? language) =>
        Activity.CreateCard(PlaceholderCard(send, language), PlaceholderTitle(send, PlaceholderLanguage(language)));

    private static string PlaceholderLanguage(string? language) => CardStrings.IsSupported(language) ? CardStrings.Normalize(language!) : "en";

    private static JsonObject PlaceholderCard(PlannedSend send, string? language)
    {
        var lang = PlaceholderLanguage(language);
        var title = PlaceholderTitle(send, lang);
        return new JsonObject
        {
            ["type"] = "AdaptiveCard",
            ["$schema"] = "http://adaptivecards.io/schemas/adaptive-card.json",
            ["version"] = "1.5",
            ["body"] = new JsonArray(
                new JsonObject { ["type"] = "TextBlock", ["text"] = title, ["size"] = "Large", ["weight"] = "Bolder", ["wrap"] = true },
                new JsonObject { ["type"] = "TextBlock", ["text"] = CardStrings.Text(lang, "delivery.placeholderWave", new Dictionary<string, string> { ["wave"] = send.WaveId }), ["wrap"] = true, ["isSubtle"] = true }),
        };
    }

    /// <summary>
    /// The subject and HTML body of an e-mail send, in the job's language (the rule of <see cref="RenderTeams"/>): the
    /// plan message's card converted to e-mail, so the e-mail says what the card says. Throws as <see cref="RenderTeams"/>.
    /// </summary>
    public (string Subject, string Html) RenderEmail(PlannedSend send, string? language, string? frozen = null)
    {
        var link = CardEmail.TeamsChatLink(bot.Value.MicrosoftAppId);
        if (ContentOf(send, frozen) is { } content)
        {
            return CardEmail.Render(content.Template, content.Data, content.LanguageOf(language), link, send.Subject);
        }
        return CardEmail.FromCard(PlaceholderCard(send, language), PlaceholderLanguage(language), link, send.Subject);
    }

    /// <summary>"Rollout message: Preparation (pre-1)": the message id with its phase, both in <paramref name="language"/>.</summary>
    private static string PlaceholderTitle(PlannedSend send, string language)
    {
        var message = send.MessageId;
        if (!string.IsNullOrEmpty(send.Phase))
        {
            var phase = Enum.TryParse<MessagePhase>(send.Phase, ignoreCase: false, out var known) && Enum.IsDefined(known)
                ? CardStrings.Text(language, "delivery.phases." + known)
                : send.Phase;
            message = CardStrings.Text(language, "delivery.placeholderPhase", new Dictionary<string, string> { ["phase"] = phase, ["message"] = send.MessageId });
        }
        return CardStrings.Text(language, "delivery.placeholderTitle", new Dictionary<string, string> { ["message"] = message });
    }
}
