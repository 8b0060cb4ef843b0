using TeamsRolloutBot.Cards;
using TeamsRolloutBot.Tests.Plan;

namespace TeamsRolloutBot.Tests.Cards;

/// <summary>
/// Each plan template's parameter schema (Cards/Templates/*Parameters.cs) is what the plan validator applies: a plan
/// author sees, per template, which parameters the card reads and which it cannot do without.
/// </summary>
public sealed class TemplateParameterSchemaTests
{
    private const string EnrollMessage = "template: enrollment\n    parameters: { platforms: [windows, ios] }";

    [Theory]
    [InlineData(CardTemplateIds.Introduction, "", "why, timeline, meeting, resources")]
    [InlineData(CardTemplateIds.PreEnrollment, "", "intro, prepare, resources")]
    [InlineData(CardTemplateIds.Enrollment, "platforms: [windows], ", "intro, platforms, resources")]
    [InlineData(CardTemplateIds.Survey, "survey: intune-enrollment, ", "survey, resources")]
    [InlineData(CardTemplateIds.Reminder, "", "text, deadline, link, platforms, resources")]
    public void An_unknown_parameter_is_a_warning_listing_what_the_template_reads(string template, string required, string reads)
    {
        var yaml = PlanFixtures.SmallWith(EnrollMessage, $"template: {template}\n    parameters: {{ {required}bannre: x }}");

        var result = PlanFixtures.Parse(yaml);

        Assert.True(result.IsValid, string.Join(Environment.NewLine, result.Diagnostics));
        var warning = Assert.Single(result.Warnings, w => w.Field == "messages[1].parameters.bannre");
        Assert.Equal($"the '{template}' card does not use parameter 'bannre'", warning.Message);
        Assert.EndsWith($"the '{template}' card reads {reads}", warning.Fix, StringComparison.Ordinal);
    }

    [Fact]
    public void Every_template_a_plan_may_name_has_a_schema_and_only_those()
    {
        // A plan-usable template without a schema would fail validation of every message using it.
        foreach (var template in CardTemplateIds.PlanUsable)
        {
            var required = template switch
            {
                CardTemplateIds.Enrollment => "platforms: [windows]",
                CardTemplateIds.Survey => "survey: intune-enrollment",
                _ => "resources: [{ url: https://contoso.example/faq }]",
            };
            var result = PlanFixtures.Parse(PlanFixtures.SmallWith(EnrollMessage, $"template: {template}\n    parameters: {{ {required} }}"));
            Assert.True(result.IsValid, $"{template}: {string.Join(Environment.NewLine, result.Diagnostics)}");
        }

        Assert.Equal(CardTemplateIds.PlanUsable, CardMessageRules.Instance.PlanUsable);
        Assert.Empty(CardMessageRules.Instance.PlanUsable.Intersect(CardMessageRules.Instance.BotInternal));
    }

    [Theory]
    [InlineData(CardTemplateIds.Survey, "a survey card needs the survey id")]
    [InlineData(CardTemplateIds.Enrollment, "an enrollment card needs the platforms to give instructions for")]
    public void A_template_without_a_parameter_it_requires_is_an_error_at_the_message_parameters(string template, string message)
    {
        var yaml = PlanFixtures.SmallWith(EnrollMessage, $"template: {template}\n    parameters: {{ resources: [{{ url: https://contoso.example/faq }}] }}");

        var error = Assert.Single(PlanFixtures.Parse(yaml).Errors);

        Assert.Equal(("messages[1].parameters", message), (error.Field, error.Message));
        Assert.Equal(yaml.Split('\n').ToList().FindIndex(l => l.Contains("parameters: { resources", StringComparison.Ordinal)) + 1, error.Line);
    }
}
