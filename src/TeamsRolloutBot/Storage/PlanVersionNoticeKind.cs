namespace TeamsRolloutBot.Storage;

/// <summary>Why an instance does not run its own plan file.</summary>
public enum PlanVersionNoticeKind
{
    /// <summary>The file is invalid or missing and no plan was running: the last valid plan from the store runs.</summary>
    InvalidFileRunsStored,

    /// <summary>The file is valid but differs from the newest published version, which runs instead.</summary>
    FileDiffersFromPublished,
}
