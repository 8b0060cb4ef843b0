namespace TeamsRolloutBot.Delivery;

/// <summary>The channel a job goes out on.</summary>
public enum DeliveryKind
{
    /// <summary>A new thread in a team channel; the target is the channel id.</summary>
    Channel,
    /// <summary>A 1:1 chat; the target is the user's Entra object id.</summary>
    Personal,
    /// <summary>An e-mail through Graph; the target is the mail address.</summary>
    Email,
}
