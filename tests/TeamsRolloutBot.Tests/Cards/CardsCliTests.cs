using System.Text.Json.Nodes;
using TeamsRolloutBot.Cards;

namespace TeamsRolloutBot.Tests.Cards;

public sealed class CardsCliTests
{
    /// <summary>Runs the <c>cards</c> command line as the bot's Program does; its exit code and both outputs.</summary>
    internal static (int? Code, string Out, string Err) Run(params string[] args)
    {
        using var stdout = new StringWriter();
        using var stderr = new StringWriter();
        var code = CardsCli.TryRun(args, stdout, stderr);
        return (code, stdout.ToString(), stderr.ToString());
    }

    [Fact]
    public void Render_prints_the_enrollment_card_of_the_sample_plan_in_the_asked_language()
    {
        var (code, output, error) = Run("cards", "render", "enrollment", "--lang", "en", "--plan", SamplePlan.PlanPath);

        Assert.True(code == 0, error);
        var card = JsonNode.Parse(output)!.AsObject();
        Assert.Equal("AdaptiveCard", (string?)card["type"]);
        Assert.Contains("Time to enroll your devices", output, StringComparison.Ordinal);
        Assert.Contains("https://play.google.com/store/apps/details?id=com.microsoft.windowsintune.companyportal", output, StringComparison.Ordinal);
        Assert.DoesNotContain("${", output, StringComparison.Ordinal);
    }

    [Fact]
    public void Render_defaults_to_the_plans_default_language_and_finds_the_sample_plan_itself()
    {
        var (code, output, error) = Run("cards", "render", "intro-meeting");

        Assert.True(code == 0, error);
        Assert.Contains("Je apparaten gaan over naar Microsoft Intune", output, StringComparison.Ordinal);
        Assert.Contains("donderdag 8 juli 2027 om 10:00", output, StringComparison.Ordinal);
    }

    [Fact]
    public void Render_of_a_bot_card_uses_example_data()
    {
        var (code, output, error) = Run("cards", "render", "status", "--lang", "en", "--plan", SamplePlan.PlanPath);

        Assert.True(code == 0, error);
        Assert.Contains("Progress: IT", output, StringComparison.Ordinal);
        Assert.Contains("\"260\"", output, StringComparison.Ordinal);
    }

    [Fact]
    public void Unknown_message_fails_with_the_list_of_messages()
    {
        var (code, output, error) = Run("cards", "render", "no-such-message", "--plan", SamplePlan.PlanPath);

        Assert.Equal(2, code);
        Assert.Empty(output);
        Assert.Contains("no message 'no-such-message'", error, StringComparison.Ordinal);
        Assert.Contains("pre-rollout-1", error, StringComparison.Ordinal);
    }

    [Fact]
    public void Unsupported_language_and_bad_options_fail_with_usage()
    {
        Assert.Equal(2, Run("cards", "render", "enrollment", "--lang", "de", "--plan", SamplePlan.PlanPath).Code);
        var (code, _, error) = Run("cards", "render", "enrollment", "--colour", "red");
        Assert.Equal(2, code);
        Assert.Contains("usage: cards render", error, StringComparison.Ordinal);
    }

    [Fact]
    public void Other_commands_are_left_to_the_app()
    {
        Assert.Null(Run("serve").Code);
        Assert.Null(Run().Code);
    }
}
