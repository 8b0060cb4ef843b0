namespace TeamsRolloutBot.Plan;

/// <summary>The local hours sends are expected in; a message outside them gets a warning.</summary>
public sealed record BusinessHours(TimeOnly Start, TimeOnly End)
{
    public bool Contains(TimeOnly time) => time >= Start && time < End;
}
