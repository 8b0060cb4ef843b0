using YamlDotNet.RepresentationModel;

namespace TeamsRolloutBot.Cards.Templates;

/// <summary>Checks one parameter value at <c>path</c> of a message using <c>template</c>.</summary>
internal delegate void ParameterCheck(ParameterChecks checks, YamlNode value, string path, string template);

/// <summary>A parameter a template cannot do without, and the error a plan without it gets.</summary>
internal sealed record RequiredParameter(string Name, string Message, string Fix);

/// <summary>
/// The parameter schema of one plan template: the parameters its JSON template reads, in the order docs/cards.md
/// lists them, each with its check, and the ones it requires.
/// </summary>
internal sealed record TemplateParameters(string Template, OrderedDictionary<string, ParameterCheck> Checks, IReadOnlyList<RequiredParameter> Required)
{
    public TemplateParameters(string template, OrderedDictionary<string, ParameterCheck> checks)
        : this(template, checks, [])
    {
    }

    public IReadOnlyList<string> Names => [.. Checks.Keys];
}
