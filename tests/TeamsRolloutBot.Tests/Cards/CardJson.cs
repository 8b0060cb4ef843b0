using System.Text.Json.Nodes;

namespace TeamsRolloutBot.Tests.Cards;

/// <summary>Walks a card's JSON: the tests' one way to find elements and actions at any depth.</summary>
internal static class CardJson
{
    /// <summary>Every object in <paramref name="node"/>, depth-first, each before its children.</summary>
    public static IEnumerable<JsonObject> Objects(JsonNode? node) => node switch
    {
        JsonObject obj => obj.Select(p => p.Value).SelectMany(Objects).Prepend(obj),
        JsonArray array => array.SelectMany(Objects),
        _ => [],
    };

    /// <summary>Every object whose <c>type</c> is <paramref name="type"/> (a TextBlock, an Input.Text, an Action.Execute...).</summary>
    public static IEnumerable<JsonObject> OfType(JsonNode? node, string type) =>
        Objects(node).Where(o => o["type"] is JsonValue v && v.TryGetValue<string>(out var t) && t == type);
}
