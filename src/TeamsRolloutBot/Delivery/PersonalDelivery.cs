namespace TeamsRolloutBot.Delivery;

/// <summary>One person a wave message was delivered to 1:1, and when the delivery was recorded (what reminders are timed from).</summary>
public sealed record PersonalDelivery(string AadObjectId, DateTimeOffset DeliveredUtc);
