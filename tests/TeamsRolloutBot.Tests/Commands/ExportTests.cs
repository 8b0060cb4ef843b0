using System.Text;
using System.Text.Json.Nodes;
using Microsoft.Extensions.DependencyInjection;
using TeamsRolloutBot.Commands;
using TeamsRolloutBot.Storage;
using static TeamsRolloutBot.Tests.Commands.CommandsHarness;

namespace TeamsRolloutBot.Tests.Commands;

/// <summary>CSV exports through Teams' file consent flow in personal chat.</summary>
public sealed class ExportTests(CommandsHarness bot) : IClassFixture<CommandsHarness>
{
    [Fact]
    public async Task In_a_channel_the_lead_is_sent_to_the_personal_chat()
    {
        var reply = new Reply(Assert.Single(await bot.SayAsync(bot.Channel("export deliveries"))));
        Assert.Contains("only hand over in a personal chat", reply.Text, StringComparison.Ordinal);
        Assert.Contains("**export deliveries**", reply.Text, StringComparison.Ordinal);
        Assert.Null(reply.Json["attachments"]);
    }

    [Fact]
    public async Task Export_deliveries_offers_a_csv_file_then_uploads_it_when_accepted()
    {
        var reply = await bot.AskAsync("exporteer leveringen", locale: "nl-NL");
        var attachment = reply.Json["attachments"]![0]!;
        Assert.Equal("application/vnd.microsoft.teams.card.file.consent", attachment["contentType"]!.GetValue<string>());
        Assert.EndsWith(".csv", attachment["name"]!.GetValue<string>(), StringComparison.Ordinal);
        Assert.Equal("deliveries", attachment["content"]!["acceptContext"]!["kind"]!.GetValue<string>());
        var size = attachment["content"]!["sizeInBytes"]!.GetValue<int>();
        Assert.Contains("Leveringen van 'Commands test rollout' als CSV (12 rijen)", reply.Text, StringComparison.Ordinal);

        var before = bot.Teams.Calls.Count;
        var uploads = bot.Upload.Puts.Count;
        var (status, _) = await bot.InvokeAsync(bot.FileConsent("accept", "deliveries"));
        Assert.Equal(200, status);

        var (path, range, bytes) = Assert.Single(bot.Upload.Puts.Skip(uploads));
        Assert.Equal("/upload/session-1", path);
        Assert.Equal($"bytes 0-{bytes.Length - 1}/{bytes.Length}", range);
        Assert.Equal(size, bytes.Length);
        Assert.Equal(Encoding.UTF8.GetPreamble(), bytes[..3]);
        var lines = Encoding.UTF8.GetString(bytes[3..]).Split("\r\n", StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal("wave,message,department,audience,planned_local,planned_utc,wave_state,delivery_state,detail,route,recipient,outcome,reason,attempts,queued_utc,updated_utc,in_plan", lines[0]);
        Assert.Equal(13, lines.Length);
        Assert.Contains("pilot,prepare,small,channel,2027-07-05 09:30,2027-07-05T07:30:00Z,scheduled,not registered yet,,,,,,,,,yes", lines);

        var card = Assert.Single(bot.Teams.Calls.Skip(before)).Json!;
        var file = card["attachments"]![0]!;
        Assert.Equal("application/vnd.microsoft.teams.card.file.info", file["contentType"]!.GetValue<string>());
        Assert.Equal("1150D938-8870-4044-9F2C-5BBDEBA70C8C", file["content"]!["uniqueId"]!.GetValue<string>());
        Assert.Contains("sharepoint.com", file["contentUrl"]!.GetValue<string>(), StringComparison.Ordinal);

        var audit = await bot.Services.GetRequiredService<IAuditLog>().LatestAsync(5, TestContext.Current.CancellationToken);
        Assert.Contains(audit, e => e.Command == "export deliveries" && e.Result == AuditResults.Done && e.Detail == "12 row(s) uploaded");
    }

    [Fact]
    public async Task Export_feedback_uploads_the_feedback_features_csv()
    {
        var reply = await bot.AskAsync("export feedback");
        Assert.Contains("Feedback of 'Commands test rollout' as CSV (0 rows)", reply.Text, StringComparison.Ordinal);
        var count = bot.Upload.Puts.Count;
        await bot.InvokeAsync(bot.FileConsent("accept", "feedback"));
        var bytes = bot.Upload.Puts.Skip(count).Single().Body;
        Assert.StartsWith("survey_id,wave_id,department_id,first_submitted_at,", Encoding.UTF8.GetString(bytes[3..]), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Declining_uploads_nothing_and_a_non_lead_cannot_use_a_consent()
    {
        var count = bot.Upload.Puts.Count;
        var before = bot.Teams.Calls.Count;
        await bot.InvokeAsync(bot.FileConsent("decline", "deliveries"));
        Assert.Contains("the export was not saved", Assert.Single(bot.Teams.Calls.Skip(before)).Body, StringComparison.Ordinal);

        await bot.InvokeAsync(bot.FileConsent("accept", "deliveries", MemberId));
        Assert.Equal(count, bot.Upload.Puts.Count);
        var audit = await bot.Services.GetRequiredService<IAuditLog>().LatestAsync(1, TestContext.Current.CancellationToken);
        Assert.Equal(AuditResults.Refused, Assert.Single(audit).Result);
    }

    [Theory]
    [InlineData("plain", "plain")]
    [InlineData("with, comma", "\"with, comma\"")]
    [InlineData("with \"quotes\"", "\"with \"\"quotes\"\"\"")]
    [InlineData("two\nlines", "\"two\nlines\"")]
    [InlineData("=HYPERLINK(\"x\")", "\"'=HYPERLINK(\"\"x\"\")\"")]
    [InlineData("-2+3", "\"'-2+3\"")]
    [InlineData("Financiën", "Financiën")]
    public void Csv_fields_follow_RFC_4180_and_cannot_run_as_formulas(string value, string expected) =>
        Assert.Equal("\uFEFFh,second\r\n" + expected + ",x\r\n", System.Text.Encoding.UTF8.GetString(Csv.Write(["h", "second"], [[value, "x"]])));
}
