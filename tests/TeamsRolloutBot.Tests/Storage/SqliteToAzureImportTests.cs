using Azure.Data.Tables;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Hosting.Internal;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;
using TeamsRolloutBot.Commands;
using TeamsRolloutBot.Delivery;
using TeamsRolloutBot.Feedback;
using TeamsRolloutBot.Feedback.Replies;
using TeamsRolloutBot.Plan;
using TeamsRolloutBot.Protocol;
using TeamsRolloutBot.Storage;
using TeamsRolloutBot.Storage.Azure;
using TeamsRolloutBot.Storage.Sqlite;

namespace TeamsRolloutBot.Tests.Storage;

/// <summary>Switching a SQLite deployment to AzureStorage: what was sent stays sent, what was queued stays queued.</summary>
public sealed class SqliteToAzureImportTests(AzuriteFixture azurite) : IClassFixture<AzuriteFixture>
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task The_first_start_on_AzureStorage_carries_over_sends_jobs_outcomes_conversations_and_cards_once()
    {
        var time = new FakeTimeProvider(new DateTimeOffset(2027, 7, 5, 7, 0, 0, TimeSpan.Zero));
        var path = Path.Combine(Path.GetTempPath(), "trb-tests", Guid.NewGuid().ToString("N"), "rollout.db");
        var database = new SqliteDatabase(Options.Create(new StorageOptions { SqlitePath = path }),
            new HostingEnvironment { ContentRootPath = Path.GetTempPath(), EnvironmentName = Environments.Development });
        var sqlite = new SqliteDeliveryStore(database, new SqliteConversationStore(database, time), time);
        var now = time.GetUtcNow();
        await sqlite.RegisterSendsAsync([
            new PlannedSend("it/pre-1/it/members", "it", "pre-1", "it", SendAudience.Members, now, "pre-enrollment", "PreEnrollment"),
            new PlannedSend("it/post-1/it/members", "it", "post-1", "it", SendAudience.Members, now.AddDays(3), "post-enrollment", "PostEnrollment")], Ct);
        await sqlite.MarkSendAsync("it/pre-1/it/members", PlannedSendState.Expanded, 2, null, Ct);
        OutboxJob Job(string target) => new($"it/pre-1/it/members|personal|{target}", "it/pre-1/it/members", "it", "pre-1", "it", DeliveryKind.Personal, target, "nl", now);
        await sqlite.EnqueueAsync([Job("u1"), Job("u2")], Ct);
        var leased = await sqlite.LeaseAsync("old", 1, now, TimeSpan.FromMinutes(1), Ct);
        await sqlite.CompleteAsync(leased[0].Job.Key, new DeliveryResult(DeliveryOutcome.Delivered, null, 201, "a:u", "act-1"), Ct);
        await sqlite.SaveConversationAsync(new ConversationReference("msteams", "https://smba.trafficmanager.net/emea/", "a:1", "personal", "t", "28:b", "29:1", "AAD-1", null, null, null, "nl-NL"), Ct);
        await sqlite.SaveProgressCardAsync(new ProgressCard("it", "pre-1", "lead", "a:lead", "https://smba.trafficmanager.net/emea/", "act-9", false), Ct);
        await sqlite.GetOrAddSettingAsync("install-key", "abc", Ct);

        var azure = new AzureTableDeliveryStore(new TableServiceClient(azurite.ConnectionString), "i" + Guid.NewGuid().ToString("N")[..12], time);
        await azure.EnsureCreatedAsync(Ct);
        Assert.Equal((2, 2), await azure.ImportFromSqliteOnceAsync(database, Ct));

        // The expanded send is not expanded again; the later one is still pending.
        Assert.Equal((PlannedSendState.Expanded, 2), ((await azure.FindSendAsync("it/pre-1/it/members", Ct))!.State, (await azure.FindSendAsync("it/pre-1/it/members", Ct))!.JobCount));
        Assert.Empty(await azure.GetDueSendsAsync(now, Ct));
        Assert.Single(await azure.GetDueSendsAsync(now.AddDays(3), Ct));
        // The delivered job is never leased again; the queued one is, once the old lease would have expired.
        var sent = await azure.FindJobAsync(leased[0].Job.Key, Ct);
        Assert.Equal((JobState.Delivered, "act-1", 1), (sent!.State, sent.ActivityId, sent.Attempts));
        time.Advance(TimeSpan.FromMinutes(2));
        var next = Assert.Single(await azure.LeaseAsync("new", 10, time.GetUtcNow(), TimeSpan.FromMinutes(1), Ct));
        Assert.NotEqual(leased[0].Job.Key, next.Job.Key);
        Assert.Equal(("it", "pre-1", 2, 1, 1), Progress(Assert.Single(await azure.GetProgressAsync(now, Ct))));
        Assert.Equal("a:1", (await azure.FindPersonalConversationAsync("aad-1", Ct))!.Reference.ConversationId);
        Assert.Equal("https://smba.trafficmanager.net/emea/", await azure.LatestServiceUrlAsync(Ct));
        Assert.Equal("act-9", (await azure.FindProgressCardAsync("it", "pre-1", "lead", Ct))!.ActivityId);
        Assert.Equal("abc", await azure.GetOrAddSettingAsync("install-key", "other", Ct));

        // A restart (or a second instance) does not copy again over the newer state.
        await azure.CompleteAsync(next.Job.Key, new DeliveryResult(DeliveryOutcome.Delivered), Ct);
        Assert.Null(await azure.ImportFromSqliteOnceAsync(database, Ct));
        Assert.Equal(JobState.Delivered, (await azure.FindJobAsync(next.Job.Key, Ct))!.State);
    }

    [Fact]
    public async Task The_first_start_on_AzureStorage_carries_over_wave_states_confirmations_audit_feedback_and_learned_conversations_once()
    {
        var time = new FakeTimeProvider(new DateTimeOffset(2027, 7, 5, 7, 0, 0, TimeSpan.Zero));
        var database = StateStoreFixtures.NewSqlite();
        var waves = new SqliteWaveStateStore(database);
        await waves.TrySaveAsync(new StoredWaveState("it", WaveState.Cancelled, null, time.GetUtcNow(), "lead-1"), null, Ct);
        await waves.TrySaveAsync(new StoredWaveState("hr", WaveState.Started, new DateOnly(2027, 8, 2), time.GetUtcNow(), "lead-2"), null, Ct);
        await waves.AddSendNowAsync("req-1", "hr", "pre-1", ["hr"], "lead-2", time.GetUtcNow(), Ct);
        var confirmations = new SqliteConfirmationStore(database, time);
        var open = await confirmations.CreateAsync("send pre-1 to hr now", 40, "lead-2", "Bob", TimeSpan.FromMinutes(10), Ct);
        var done = await confirmations.CreateAsync("cancel it", null, "lead-1", "Anna", TimeSpan.FromMinutes(10), Ct);
        await confirmations.TryDecideAsync(done, ConfirmationStates.Confirmed, "lead-1", "Anna", Ct);
        var audit = new SqliteAuditLog(database, time);
        await audit.WriteAsync("lead-1", "Anna", "personal", "cancel it", AuditResults.Done, null, Ct);
        time.Advance(TimeSpan.FromSeconds(1));
        await audit.WriteAsync("lead-2", "Bob", "personal", "start hr 2027-08-02", AuditResults.Done, null, Ct);
        var conversations = new SqliteConversationStore(database, time);
        await conversations.UpsertAsync(new ConversationReference("msteams", "https://smba.trafficmanager.net/emea/", "a:1", "personal", "t", "28:b", "29:1", "aad-1", null, null, null, "nl-NL"), Ct);
        await conversations.TryClaimWelcomeAsync("a:1", Ct);
        await conversations.UpsertAsync(new ConversationReference("msteams", "https://smba.trafficmanager.net/emea/", "a:2", "personal", "t", "28:b", "29:2", "aad-2", null, null, null, "nl-NL"), Ct);

        var feedback = new SqliteFeedbackStore(database, time);
        var placement = new SurveyPlacement("post-1", "w1", "it", "post-1");
        await feedback.SaveAsync(placement, new SurveyRespondent("aad-1", "29:1", "Anna", "nl-NL"), new SurveyAnswer(3, "yes", "windows", null, [], null, true), Ct);
        await feedback.MarkSyncedAsync("post-1", "aad-1", "item-1", 1, Ct);
        time.Advance(TimeSpan.FromMinutes(1));
        await feedback.SaveAsync(placement, new SurveyRespondent("aad-1", null, null, null), new SurveyAnswer(5, "yes", "windows", null, [], "ok", true), Ct);
        await feedback.TouchCardMessageAsync(new SurveyCardMessage("19:c@thread.tacv2", "act-1", "https://smba.trafficmanager.net/emea/", "channel", placement, "nl", null), Ct);
        await feedback.TryClaimNoticeAsync("reminder", "post-1", "aad-2", Ct);
        await feedback.CompleteNoticeAsync("reminder", "post-1", "aad-2", "sent", null, Ct);

        var replies = new SqliteThreadReplyStore(database, time);
        await replies.TrackAsync(new ThreadRoot("1700000000001", "19:c@thread.tacv2", "19:t@thread.tacv2", "group-1", "w1", "it", "pre-1", time.GetUtcNow()), Ct);
        await replies.SaveAsync(new IncomingReply("1700000000100", "1700000000001", "aad-1", "Anna", "Works", time.GetUtcNow(), time.GetUtcNow(), null, ReplySource.Live), Ct);
        await replies.SaveAsync(new IncomingReply("1700000000100", "1700000000001", "aad-1", "Anna", "Works now", time.GetUtcNow(), time.GetUtcNow().AddMinutes(1), null, ReplySource.Live), Ct);
        await replies.RecordPollAsync("1700000000001", time.GetUtcNow().AddMinutes(30), null, Ct);

        var service = new TableServiceClient(azurite.ConnectionString);
        var prefix = "m" + Guid.NewGuid().ToString("N")[..12];
        await new AzureStorageTables(service, prefix).EnsureCreatedAsync(Ct);
        // Another instance already refreshed a:2 in the table: the older copy in the file must not set it back.
        var tableConversations = new AzureTableConversationStore(service, prefix, time);
        await tableConversations.UpsertAsync(new ConversationReference("msteams", "https://smba.trafficmanager.net/amer/", "a:2", "personal", "t", "28:b", "29:2", "aad-2", null, null, null, "en-US"), Ct);

        Assert.Equal(new StateImportCounts(2, 2, 2, 1, 1, 1), await AzureStateImport.ImportFromSqliteOnceAsync(service, prefix, database, Ct));

        var azureWaves = new AzureTableWaveStateStore(service, prefix);
        var states = await azureWaves.ReadAllAsync(Ct);
        Assert.Equal(["it"], WaveStates.Held(states));
        Assert.Equal((WaveState.Started, (DateOnly?)new DateOnly(2027, 8, 2)), states["hr"]);
        // An imported state takes conditional writes like any other.
        var it = await azureWaves.FindAsync("it", Ct);
        Assert.Equal("lead-1", it!.UpdatedBy);
        Assert.True(await azureWaves.TrySaveAsync(it with { State = WaveState.Paused }, it.Version, Ct));
        Assert.Equal("req-1", Assert.Single(await azureWaves.ReadSendNowAsync(Ct)).RequestId);

        var azureConfirmations = new AzureTableConfirmationStore(service, prefix, time);
        Assert.Equal(ConfirmationStates.Confirmed, (await azureConfirmations.FindAsync(done, Ct))!.State);
        Assert.True(await azureConfirmations.TryDecideAsync(open, ConfirmationStates.Confirmed, "lead-2", "Bob", Ct));
        Assert.Equal(["start hr 2027-08-02", "cancel it"], (await new AzureTableAuditLog(service, prefix, time).LatestAsync(10, Ct)).Select(e => e.Command));

        // The welcome given on SQLite is not given again; the newer table copy of a:2 stays.
        Assert.False(await tableConversations.TryClaimWelcomeAsync("a:1", Ct));
        Assert.Equal("https://smba.trafficmanager.net/amer/", (await tableConversations.FindAsync("a:2", Ct))!.Reference.ServiceUrl);

        // Feedback: the answer with its history and sync state (version 2 still to copy to the list, into item-1), the
        // card message still due for its refresh list, the reminder already sent (not sent again).
        var azureFeedback = new AzureTableFeedbackStore(service, prefix, time);
        var answer = await azureFeedback.FindAsync("post-1", "aad-1", Ct);
        Assert.Equal((2, "Anna", "item-1", 1, "ok"), (answer!.Version, answer.Respondent.Name, answer.ListItemId, answer.SyncedVersion, answer.Answer.Comment));
        Assert.Equal([1, 2], (await azureFeedback.HistoryAsync("post-1", "aad-1", Ct)).Select(v => v.Version));
        Assert.Equal("item-1", Assert.Single(await azureFeedback.DueSyncAsync(10, Ct)).Stored.ListItemId);
        Assert.Equal("act-1", Assert.Single(await azureFeedback.DueCardMessagesAsync(10, Ct)).ActivityId);
        Assert.False(await azureFeedback.TryClaimNoticeAsync("reminder", "post-1", "aad-2", Ct));
        Assert.Equal("sent", Assert.Single(await azureFeedback.NoticesAsync("reminder", null, Ct)).State);
        Assert.Equal(new SaveResult(true, 3), await azureFeedback.SaveAsync(placement, new SurveyRespondent("aad-1", null, null, null), new SurveyAnswer(4, "yes", "windows", null, [], null, true), Ct));

        // Thread replies: the root with its catch-up schedule, the edited reply with its earlier text.
        var azureReplies = new AzureTableThreadReplyStore(service, prefix, time);
        Assert.Equal("group-1", (await azureReplies.FindRootAsync("1700000000001", Ct))!.TeamAadGroupId);
        Assert.Empty(await azureReplies.DueForPollAsync(time.GetUtcNow().AddMinutes(29), Ct));
        Assert.Single(await azureReplies.DueForPollAsync(time.GetUtcNow().AddMinutes(30), Ct));
        Assert.Equal(("Works now", 2), ((await azureReplies.FindAsync("1700000000100", Ct))!.Text, (await azureReplies.FindAsync("1700000000100", Ct))!.Version));
        Assert.Equal("Works", Assert.Single(await azureReplies.HistoryAsync("1700000000100", Ct)).Text);
        // Its SharePoint copy: queued with its correlation id and two changes, none in the list yet.
        var replySync = Assert.Single(await azureReplies.DueSyncAsync(10, Ct));
        Assert.Equal((IThreadReplyStore.CorrelationPrefix + "1700000000100", 2, (string?)null), (replySync.CorrelationId, replySync.Generation, replySync.ItemId));

        // Once only: a later start does not copy the file over newer state.
        Assert.Null(await AzureStateImport.ImportFromSqliteOnceAsync(service, prefix, database, Ct));
        Assert.Equal(WaveState.Paused, (await azureWaves.FindAsync("it", Ct))!.State);
    }

    private static (string, string, int, int, int) Progress(WaveProgress p) => (p.WaveId, p.MessageId, p.Total, p.Delivered, p.Queued);
}
