namespace TeamsRolloutBot.Plan;

/// <summary>What happens to a send that falls on a weekend day or holiday (plan field <c>weekendSends</c>).</summary>
public enum WeekendPolicy
{
    /// <summary>Send on the planned day, with a warning.</summary>
    Keep,

    /// <summary>Move sends on a Saturday, Sunday or configured holiday to the next business day, same local time.</summary>
    NextBusinessDay,
}
