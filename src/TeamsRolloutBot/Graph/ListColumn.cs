namespace TeamsRolloutBot.Graph;

/// <summary>A column of a SharePoint list as Graph reports it: its name, its kind (the columnDefinition facet) and whether it is indexed.</summary>
public sealed record ListColumn(string Name, string Kind, bool Indexed);
