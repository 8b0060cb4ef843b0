using System.Text.Json.Nodes;
using TeamsRolloutBot.Cards;

namespace TeamsRolloutBot.Tests.Cards;

/// <summary>The templating subset; the same cases also run against the npm engine in the differential test.</summary>
public sealed class CardTemplateTests
{
    /// <summary>Template, data, expected output (as JSON text); shared with <see cref="CardTemplatingDifferentialTests"/>.</summary>
    internal static readonly (string Name, string Template, string Data, string Expected)[] Cases =
    [
        ("whole expression keeps its type",
            """{"a":"${n}","b":"${flag}","c":"${list}","d":"${obj}"}""", """{"n":3,"flag":true,"list":[1,2],"obj":{"x":"y"}}""",
            """{"a":3,"b":true,"c":[1,2],"d":{"x":"y"}}"""),
        ("interpolation makes text",
            """{"a":"n=${n}, ${flag}, ${off}, ${name}!","b":"${a.b.c} and ${list[1]}","c":"${count} items: ${list}"}""",
            """{"n":3.5,"flag":true,"off":false,"name":"Kim","a":{"b":{"c":"deep"}},"list":["x","y"],"count":2}""",
            """{"a":"n=3.5, true, false, Kim!","b":"deep and y","c":"2 items: x,y"}"""),
        ("missing values stay visible",
            """{"a":"${missing}","b":"pre ${missing.deep} post","c":"${a.nope}"}""", """{"a":{}}""",
            """{"a":"${missing}","b":"pre ${missing.deep} post","c":"${a.nope}"}"""),
        ("$data array repeats the element with $index",
            """{"items":[{"type":"TextBlock","$data":"${people}","text":"${$index}: ${name} (${$root.team})"},{"type":"Fixed"}]}""",
            """{"team":"IT","people":[{"name":"Ann"},{"name":"Bo"}]}""",
            """{"items":[{"type":"TextBlock","text":"0: Ann (IT)"},{"type":"TextBlock","text":"1: Bo (IT)"},{"type":"Fixed"}]}"""),
        ("$data empty array removes the element",
            """{"items":[{"$data":"${none}","x":"${y}"},{"z":1}]}""", """{"none":[]}""",
            """{"items":[{"z":1}]}"""),
        ("$data object changes scope, nested $data, $data of strings",
            """{"o":{"$data":"${a}","v":"${b}","inner":[{"$data":"${list}","w":"${$data}"}]}}""", """{"a":{"b":"B","list":["p","q"]}}""",
            """{"o":{"v":"B","inner":[{"w":"p"},{"w":"q"}]}}"""),
        ("$when keeps true, drops false, missing and non-boolean",
            """{"items":[{"$when":"${t}","k":1},{"$when":"${f}","k":2},{"$when":"${missing}","k":3},{"$when":"${s}","k":4},{"$when":"${!f && t}","k":5}]}""",
            """{"t":true,"f":false,"s":"yes"}""",
            """{"items":[{"k":1},{"k":5}]}"""),
        ("$when on a property value leaves null",
            """{"p":{"$when":"${f}","k":1}}""", """{"f":false}""", """{"p":null}"""),
        ("$when per $data item",
            """{"items":[{"$data":"${list}","$when":"${on}","n":"${n}"}]}""", """{"list":[{"on":true,"n":"a"},{"on":false,"n":"b"},{"on":true,"n":"c"}]}""",
            """{"items":[{"n":"a"},{"n":"c"}]}"""),
        ("operators and functions",
            """{"a":"${n > 2}","b":"${count(list)}","c":"${if(flag, 'yes', 'no')}","d":"${name == 'Kim'}","e":"${n + 1}","f":"${empty(list)}","g":"${join(list, '-')}","h":"${not(flag)}"}""",
            """{"n":3,"list":["x","y"],"flag":true,"name":"Kim"}""",
            """{"a":true,"b":2,"c":"yes","d":true,"e":4,"f":false,"g":"x-y","h":false}"""),
        ("text without expressions and non-string values pass through",
            """{"a":"plain $ { text }","b":12,"c":true,"d":null,"e":[1,null,"x"]}""", """{}""",
            """{"a":"plain $ { text }","b":12,"c":true,"d":null,"e":[1,"x"]}"""),
        ("$data that is a single-item array gives one element",
            """{"items":[{"$data":"${list}","v":"${$index}"}],"single":{"$data":"${list}","v":"${v}"}}""", """{"list":[{"v":"only"}]}""",
            """{"items":[{"v":0}],"single":{"v":"only"}}"""),
    ];

    public static TheoryData<string> CaseNames() => [.. Cases.Select(c => c.Name)];

    [Theory]
    [MemberData(nameof(CaseNames))]
    public void Expands_like_Adaptive_Cards_Templating(string name)
    {
        var c = Cases.Single(x => x.Name == name);
        var template = JsonNode.Parse(c.Template)!;
        var before = template.ToJsonString();

        var result = CardTemplate.Expand(template, JsonNode.Parse(c.Data));

        Assert.True(JsonNode.DeepEquals(JsonNode.Parse(c.Expected), result), $"got {result?.ToJsonString()}");
        Assert.Equal(before, template.ToJsonString());
    }

    [Theory]
    [InlineData("""{"a":"${a..b}"}""")]
    [InlineData("""{"a":"${unknownFunction(x)}"}""")]
    [InlineData("""{"a":"${x"}""")]
    public void Bad_expressions_fail_with_the_expression_in_the_message(string template)
    {
        var e = Assert.Throws<CardTemplateException>(() => CardTemplate.Expand(JsonNode.Parse(template)!, new JsonObject { ["x"] = 1 }));
        Assert.Contains("${", e.Message, StringComparison.Ordinal);
    }
}
