using System.Text.Json.Nodes;

namespace TeamsRolloutBot.Cards;

/// <summary>
/// A card shown inside another card (the preview in <c>preview</c> and in a confirmation card): it looks like the card,
/// but nothing in it validates or acts, so the outer card's own buttons keep working.
/// </summary>
public static class CardPreview
{
    /// <summary>Put before every id of the preview, so no input or element id can collide with the outer card's.</summary>
    public const string IdPrefix = "preview.";

    /// <summary>Actions that reach the bot or change the card; OpenUrl only opens a link and stays.</summary>
    private static readonly HashSet<string> ActingActions = new(StringComparer.Ordinal)
    {
        "Action.Execute", "Action.Submit", "Action.ShowCard", "Action.ToggleVisibility",
    };

    /// <summary>Input properties that make a client refuse an action (required, pattern, range) or show an error.</summary>
    private static readonly string[] Validation = ["isRequired", "errorMessage", "regex", "min", "max"];

    /// <summary>
    /// The card's body and actions as one Container: every input optional (no validation, ids prefixed), every button
    /// that would act a disabled one that does nothing, content a toggle or ShowCard would show already shown, and no
    /// refresh or selectAction that would act. <paramref name="card"/> is not changed.
    /// </summary>
    public static JsonObject Inert(JsonObject card, string? style = "emphasis")
    {
        ArgumentNullException.ThrowIfNull(card);
        var container = Wrap(card, style);
        var shown = new HashSet<string>(StringComparer.Ordinal);
        CollectToggled(container, shown);
        Transform(container, shown);
        return container;
    }

    /// <summary>The card's body and actions (a copy) as one Container, not made inert yet.</summary>
    private static JsonObject Wrap(JsonObject card, string? style)
    {
        var items = card["body"] is JsonArray body ? (JsonArray)body.DeepClone() : [];
        if (card["actions"] is JsonArray { Count: > 0 } actions)
        {
            // The card's buttons are drawn as the card draws them: a row of buttons under the body.
            items.Add(new JsonObject { ["type"] = "ActionSet", ["actions"] = actions.DeepClone() });
        }
        var container = new JsonObject { ["type"] = "Container" };
        if (style is not null)
        {
            container["style"] = style;
        }
        foreach (var property in (string[])["backgroundImage", "minHeight", "verticalContentAlignment", "rtl"])
        {
            if (card[property] is { } value)
            {
                container[property] = value.DeepClone();
            }
        }
        container["items"] = items;
        return container;
    }

    /// <summary>The ids of every element an Action.ToggleVisibility of the card points at.</summary>
    private static void CollectToggled(JsonNode? node, HashSet<string> ids)
    {
        switch (node)
        {
            case JsonObject o:
                if (TypeOf(o) == "Action.ToggleVisibility" && o["targetElements"] is JsonArray targets)
                {
                    foreach (var target in targets)
                    {
                        var id = target is JsonValue v && v.TryGetValue<string>(out var s) ? s : (string?)target?["elementId"];
                        if (id is not null)
                        {
                            ids.Add(id);
                        }
                    }
                }
                foreach (var (_, child) in o)
                {
                    CollectToggled(child, ids);
                }
                break;
            case JsonArray a:
                foreach (var child in a)
                {
                    CollectToggled(child, ids);
                }
                break;
        }
    }

    private static void Transform(JsonNode? node, HashSet<string> shown)
    {
        switch (node)
        {
            case JsonArray a:
                for (var i = 0; i < a.Count; i++)
                {
                    // An action set's ShowCard cards are shown open, right under their buttons.
                    var opened = a[i] is JsonObject set && TypeOf(set) == "ActionSet" ? ShowCardBodies(set) : [];
                    Transform(a[i], shown);
                    foreach (var inner in opened)
                    {
                        a.Insert(++i, inner);
                        Transform(inner, shown);
                    }
                }
                break;
            case JsonObject o:
                TransformObject(o, shown);
                break;
        }
    }

    private static void TransformObject(JsonObject o, HashSet<string> shown)
    {
        var type = TypeOf(o) ?? "";
        if (ActingActions.Contains(type))
        {
            MakeDisabled(o);
        }
        if (type.StartsWith("Input.", StringComparison.Ordinal))
        {
            foreach (var property in Validation)
            {
                o.Remove(property);
            }
            // Choices loaded from the bot while typing (Data.Query) would be a call to the bot too.
            o.Remove("choices.data");
        }
        if (o["id"] is JsonValue idValue && idValue.TryGetValue<string>(out var id))
        {
            if (shown.Contains(id))
            {
                o.Remove("isVisible");
            }
            o["id"] = IdPrefix + id;
        }
        if (o["selectAction"] is JsonObject select && ActingActions.Contains(TypeOf(select) ?? ""))
        {
            o.Remove("selectAction");
        }
        foreach (var (_, child) in o.ToList())
        {
            Transform(child, shown);
        }
    }

    /// <summary>
    /// A button that looks like the original (title, icon, style) but is disabled, and would do nothing if a client
    /// ignored <c>isEnabled</c>: a visibility toggle without targets.
    /// </summary>
    private static void MakeDisabled(JsonObject action)
    {
        var keep = new[] { "id", "title", "iconUrl", "style", "tooltip", "mode" };
        foreach (var (key, _) in action.ToList())
        {
            if (!keep.Contains(key))
            {
                action.Remove(key);
            }
        }
        action["type"] = "Action.ToggleVisibility";
        action["targetElements"] = new JsonArray();
        action["isEnabled"] = false;
    }

    private static List<JsonObject> ShowCardBodies(JsonObject actionSet) =>
        actionSet["actions"] is JsonArray actions
            ? [.. actions.OfType<JsonObject>()
                .Where(a => TypeOf(a) == "Action.ShowCard" && a["card"] is JsonObject)
                .Select(a => Wrap(a["card"]!.AsObject(), style: null))]
            : [];

    private static string? TypeOf(JsonObject o) =>
        o["type"] is JsonValue v && v.TryGetValue<string>(out var type) ? type : null;
}
