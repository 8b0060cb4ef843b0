using System.Collections.Concurrent;
using System.Globalization;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;

namespace TeamsRolloutBot.Fakes;

/// <summary>
/// One SharePoint list (<see cref="SiteId"/>, <see cref="ListId"/>) in memory: items (POST, GET with a
/// <c>fields/X eq 'v'</c> filter, PATCH of fields) and columns (GET, POST; 409 for a name that exists). Another site
/// or list is 404.
/// </summary>
public sealed partial class SharePointListRoutes : IGraphRoutes
{
    public const string SiteId = "contoso.sharepoint.com,11111111-aaaa-bbbb-cccc-000000000001,22222222-aaaa-bbbb-cccc-000000000002";
    public const string ListId = "33333333-aaaa-bbbb-cccc-000000000003";

    private static readonly string[] Kinds = ["text", "number", "boolean", "dateTime", "choice"];
    private readonly Lock _lock = new();
    private int _ids;

    /// <summary>The list's items by id (fields as last written).</summary>
    public ConcurrentDictionary<string, JsonObject> Items { get; } = new();

    /// <summary>The list's columns: name → facet kind (text, number, boolean, dateTime, choice).</summary>
    public ConcurrentDictionary<string, string> Columns { get; } = new(StringComparer.OrdinalIgnoreCase)
    {
        ["Title"] = "text",
    };

    public void Map(GraphRouteTable routes)
    {
        routes.Map("POST", "sites/{site}/lists/{list}/items", r => OnList(r, () => Create(r)));
        routes.Map("GET", "sites/{site}/lists/{list}/items", r => OnList(r, () => Find(r)));
        routes.Map("PATCH", "sites/{site}/lists/{list}/items/{item}/fields", r => OnList(r, () => Update(r)));
        routes.Map("GET", "sites/{site}/lists/{list}/columns", r => OnList(r, ListColumns));
        routes.Map("POST", "sites/{site}/lists/{list}/columns", r => OnList(r, () => AddColumn(r)));
    }

    private static GraphResponse OnList(GraphRequest request, Func<GraphResponse> handle) =>
        request["site"] == SiteId && request["list"] == ListId ? handle() : GraphResponse.Error(404, "itemNotFound", "The site or list does not exist.");

    private GraphResponse Create(GraphRequest request)
    {
        var fields = (JsonObject)JsonNode.Parse(request.Body)!["fields"]!.DeepClone();
        var id = Interlocked.Increment(ref _ids).ToString(CultureInfo.InvariantCulture);
        Items[id] = fields;
        return GraphResponse.Json(new JsonObject { ["id"] = id, ["fields"] = fields.DeepClone() }, 201);
    }

    private GraphResponse Find(GraphRequest request)
    {
        var match = FilterPattern().Match(request.QueryString);
        if (!match.Success)
        {
            return GraphResponse.Error(400, "invalidRequest", "only a fields/X eq 'v' filter is supported by the fake");
        }
        var (column, value) = (match.Groups[1].Value, match.Groups[2].Value.Replace("''", "'", StringComparison.Ordinal));
        var found = Items.Where(i => i.Value[column]?.GetValue<string>() == value)
            .Select(i => (JsonNode?)new JsonObject { ["id"] = i.Key, ["fields"] = new JsonObject { [column] = value } });
        return GraphResponse.Json(new JsonObject { ["value"] = new JsonArray([.. found]) });
    }

    private GraphResponse Update(GraphRequest request)
    {
        if (!Items.TryGetValue(request["item"], out var fields))
        {
            return GraphResponse.Error(404, "itemNotFound", "Item not found");
        }
        lock (_lock)
        {
            foreach (var (key, value) in JsonNode.Parse(request.Body)!.AsObject())
            {
                fields[key] = value?.DeepClone();
            }
            return GraphResponse.Json(fields.DeepClone());
        }
    }

    private GraphResponse ListColumns()
    {
        var columns = Columns.Select(c => (JsonNode?)new JsonObject { ["name"] = c.Key, ["displayName"] = c.Key, [c.Value] = new JsonObject() });
        return GraphResponse.Json(new JsonObject { ["value"] = new JsonArray([.. columns]) });
    }

    private GraphResponse AddColumn(GraphRequest request)
    {
        var definition = JsonNode.Parse(request.Body)!.AsObject();
        var name = definition["name"]!.GetValue<string>();
        var kind = Kinds.First(k => definition[k] is JsonObject);
        return Columns.TryAdd(name, kind)
            ? GraphResponse.Json(definition, 201)
            : GraphResponse.Error(409, "nameAlreadyExists", "A column with this name exists.");
    }

    [GeneratedRegex(@"\$filter=fields/(\w+) eq '((?:[^']|'')*)'")]
    private static partial Regex FilterPattern();
}
