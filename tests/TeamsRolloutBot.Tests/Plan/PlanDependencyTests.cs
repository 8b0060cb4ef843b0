using System.Reflection;
using System.Text.RegularExpressions;
using TeamsRolloutBot.Cards;
using TeamsRolloutBot.Plan;

namespace TeamsRolloutBot.Tests.Plan;

/// <summary>
/// The plan does not know the cards: Cards depends on Plan (it implements <see cref="IMessageTemplateRules"/>), never
/// the other way round, so a card template can change its parameters without touching the plan loader.
/// </summary>
public sealed partial class PlanDependencyTests
{
    private static readonly Assembly Bot = typeof(PlanLoader).Assembly;

    private static string PlanFolder => Path.Combine(PlanFixtures.RepoRoot, "src", "TeamsRolloutBot", "Plan");

    /// <summary>The names of the top-level types in TeamsRolloutBot.Cards and below, as a Plan source would write them.</summary>
    private static readonly HashSet<string> CardTypeNames = Bot.GetTypes()
        .Where(t => !t.IsNested && t.Namespace is { } ns && (ns == "TeamsRolloutBot.Cards" || ns.StartsWith("TeamsRolloutBot.Cards.", StringComparison.Ordinal)))
        .Select(t => t.Name.Split('`')[0])
        .Where(n => !n.Contains('<', StringComparison.Ordinal))
        .ToHashSet(StringComparer.Ordinal);

    [Fact]
    public void No_source_file_in_Plan_names_the_Cards_namespace_or_a_Cards_type()
    {
        var files = Directory.GetFiles(PlanFolder, "*.cs", SearchOption.AllDirectories);
        Assert.True(files.Length >= 10, $"expected the Plan sources under {PlanFolder}, found {files.Length} files");

        var offences = files
            .SelectMany(f => CardsReferences(File.ReadAllText(f)).Select(r => $"{Path.GetRelativePath(PlanFolder, f)}: {r}"))
            .ToList();

        Assert.True(offences.Count == 0, "Plan/ must not depend on Cards/:" + Environment.NewLine + string.Join(Environment.NewLine, offences));
    }

    [Fact]
    public void The_source_check_spots_a_Cards_reference()
    {
        // Guards the check above: it must see both a namespace import and a type used through the parent namespace.
        Assert.Contains(CardTypeNames, n => n == nameof(CardTemplateIds));
        Assert.NotEmpty(CardsReferences("using TeamsRolloutBot.Cards;"));
        Assert.NotEmpty(CardsReferences("if (template == Cards.CardTemplateIds.Survey) { }"));
        Assert.Empty(CardsReferences("// the card templates in Cards/ implement IMessageTemplateRules"));
    }

    [Fact]
    public void No_Plan_type_exposes_a_Cards_type_in_its_members()
    {
        const BindingFlags all = BindingFlags.Public | BindingFlags.NonPublic | BindingFlags.Instance | BindingFlags.Static | BindingFlags.DeclaredOnly;
        var planTypes = Bot.GetTypes().Where(t => t.Namespace is { } ns && (ns == "TeamsRolloutBot.Plan" || ns.StartsWith("TeamsRolloutBot.Plan.", StringComparison.Ordinal))).ToList();
        Assert.Contains(planTypes, t => t == typeof(PlanLoader));

        var offences = new List<string>();
        foreach (var type in planTypes)
        {
            var used = new List<Type?> { type.BaseType };
            used.AddRange(type.GetInterfaces());
            used.AddRange(type.GetFields(all).Select(f => f.FieldType));
            used.AddRange(type.GetProperties(all).Select(p => p.PropertyType));
            foreach (var method in type.GetMethods(all).Cast<MethodBase>().Concat(type.GetConstructors(all)))
            {
                used.AddRange(method.GetParameters().Select(p => p.ParameterType));
                used.AddRange(method.GetMethodBody()?.LocalVariables.Select(v => v.LocalType) ?? []);
                if (method is MethodInfo info)
                {
                    used.Add(info.ReturnType);
                }
            }

            offences.AddRange(used.SelectMany(Flatten).Where(IsCards).Select(t => $"{type.FullName} uses {t.FullName}"));
        }

        Assert.True(offences.Count == 0, string.Join(Environment.NewLine, offences.Distinct()));
    }

    private static IEnumerable<Type> Flatten(Type? type)
    {
        if (type is null)
        {
            yield break;
        }

        yield return type;
        var inner = type.HasElementType ? [type.GetElementType()!] : type.IsGenericType ? type.GetGenericArguments() : [];
        foreach (var t in inner.SelectMany(Flatten))
        {
            yield return t;
        }
    }

    private static bool IsCards(Type type) =>
        type.Namespace is { } ns && (ns == "TeamsRolloutBot.Cards" || ns.StartsWith("TeamsRolloutBot.Cards.", StringComparison.Ordinal));

    private static IEnumerable<string> CardsReferences(string source)
    {
        if (source.Contains("TeamsRolloutBot.Cards", StringComparison.Ordinal))
        {
            yield return "names the TeamsRolloutBot.Cards namespace";
        }

        foreach (Match word in Word().Matches(source))
        {
            if (CardTypeNames.Contains(word.Value))
            {
                yield return $"uses {word.Value}";
            }
        }
    }

    [GeneratedRegex(@"\b[A-Z][A-Za-z0-9]*\b")]
    private static partial Regex Word();
}
