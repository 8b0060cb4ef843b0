using System.Text.Json.Nodes;
using Microsoft.Extensions.Configuration;
using System.Text.RegularExpressions;
using TeamsRolloutBot.Cards;
using TeamsRolloutBot.Commands;

namespace TeamsRolloutBot.Tests.Commands;

/// <summary>The command grammar, the command texts in both languages and the Commands: settings.</summary>
public sealed partial class CommandParserTests
{
    [Theory]
    [InlineData("help", CommandKind.Help, "")]
    [InlineData("HULP", CommandKind.Help, "")]
    [InlineData("wiebenik", CommandKind.WhoAmI, "")]
    [InlineData("Wie ben ik?", CommandKind.WhoAmI, "")]
    [InlineData("planning", CommandKind.Plan, "")]
    [InlineData("planning herlaad", CommandKind.PlanReload, "")]
    [InlineData("rooster it", CommandKind.Schedule, "it")]
    [InlineData("voorbeeld enrollment NL", CommandKind.Preview, "enrollment nl")]
    [InlineData("golf start it nu", CommandKind.WaveStart, "it now")]
    [InlineData("wave start it 2027-07-12", CommandKind.WaveStart, "it 2027-07-12")]
    [InlineData("wave start it 12-07-2027", CommandKind.WaveStart, "it 2027-07-12")]
    [InlineData("golf hervat it", CommandKind.WaveResume, "it")]
    [InlineData("Golf Annuleer it", CommandKind.WaveCancel, "it")]
    [InlineData("verstuur enrollment naar hr nu", CommandKind.Send, "enrollment hr now")]
    [InlineData("send enrollment to hr now!", CommandKind.Send, "enrollment hr now")]
    [InlineData("exporteer leveringen", CommandKind.Export, "deliveries")]
    [InlineData("deliveries it", CommandKind.Deliveries, "it")]
    [InlineData("afleveringen Klein mislukt", CommandKind.Deliveries, "Klein failed")]
    [InlineData("bezorgingen Anna de Vries", CommandKind.Deliveries, "Anna de Vries")]
    [InlineData("deliveries retry it", CommandKind.DeliveriesRetry, "it")]
    [InlineData("Bezorgingen opnieuw it", CommandKind.DeliveriesRetry, "it")]
    [InlineData("status", CommandKind.Status, "")]
    public void Commands_are_read_in_both_languages_case_insensitively(string text, CommandKind kind, string args)
    {
        var command = CommandParser.Parse(text)!.Command!;
        Assert.Equal(kind, command.Kind);
        Assert.Equal(args, string.Join(' ', command.Args));
    }

    [Fact]
    public void The_canonical_form_parses_back_to_the_same_command()
    {
        var send = CommandParser.Parse("verstuur enrollment naar hr nu")!.Command!;
        Assert.Equal("send enrollment to hr now", send.Canonical);
        Assert.Equal(send.Args, CommandParser.Parse(send.Canonical)!.Command!.Args);
    }

    [Fact]
    public void Every_command_text_exists_in_both_languages_with_the_same_placeholders()
    {
        var en = Flatten(CardStrings.All("en")["commands"]!, "");
        var nl = Flatten(CardStrings.All("nl")["commands"]!, "");
        Assert.Equal(en.Keys.Order(StringComparer.Ordinal), nl.Keys.Order(StringComparer.Ordinal));
        foreach (var (key, text) in en)
        {
            Assert.Equal(Positional().Matches(text).Select(m => m.Value).Order(), Positional().Matches(nl[key]).Select(m => m.Value).Order());
        }
        Assert.Equal("commands.status.auditLine", CommandTexts.PathOf("status.audit.line"));
    }

    [Theory]
    [InlineData("Commands:ConfirmAbove", "-1", "Commands:ConfirmAbove must be 0 or more")]
    [InlineData("Commands:ConfirmationLifetime", "00:00:10", "Commands:ConfirmationLifetime must be between")]
    [InlineData("Commands:LeadCacheDuration", "2.00:00:00", "Commands:LeadCacheDuration must be between")]
    [InlineData("Commands:AuditEntriesShown", "0", "Commands:AuditEntriesShown must be between 1 and 50")]
    public void A_bad_setting_is_named(string key, string value, string message)
    {
        var options = new CommandsOptions();
        var config = new ConfigurationBuilder()
            .AddInMemoryCollection(new Dictionary<string, string?> { [key] = value }).Build();
        config.GetSection("Commands").Bind(options);
        var result = new CommandsOptionsValidator().Validate(null, options);
        Assert.True(result.Failed);
        Assert.Contains(message, result.FailureMessage, StringComparison.Ordinal);
        Assert.False(new CommandsOptionsValidator().Validate(null, new CommandsOptions()).Failed);
    }

    private static Dictionary<string, string> Flatten(JsonNode node, string prefix) => node switch
    {
        JsonObject o => o.SelectMany(p => Flatten(p.Value!, prefix + p.Key + ".")).ToDictionary(),
        _ => new Dictionary<string, string> { [prefix.TrimEnd('.')] = node.GetValue<string>() },
    };

    [GeneratedRegex(@"\{\d+\}")]
    private static partial Regex Positional();
}
