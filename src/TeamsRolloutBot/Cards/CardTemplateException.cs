namespace TeamsRolloutBot.Cards;

/// <summary>A template that cannot be expanded (bad expression syntax or an operation on the wrong type).</summary>
public sealed class CardTemplateException(string message) : Exception(message);
