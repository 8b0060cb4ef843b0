namespace TeamsRolloutBot.Feedback;

/// <summary>What was wrong with one input of a submission; <see cref="TextKey"/> is a key under <c>feedback.errors</c> in the card strings.</summary>
public sealed record SurveyFieldError(string Field, string TextKey, IReadOnlyDictionary<string, string> Values);
