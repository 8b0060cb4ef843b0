namespace TeamsRolloutBot.Plan;

/// <summary>Two department waves of <see cref="Department"/> whose windows share a day; <see cref="First"/> starts first.</summary>
public sealed record WaveOverlap(Department Department, Wave First, Wave Second);
