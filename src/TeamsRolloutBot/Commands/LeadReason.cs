namespace TeamsRolloutBot.Commands;

/// <summary>Why someone is, or is not, a lead.</summary>
public enum LeadReason
{
    /// <summary>The plan's <c>leads.users</c> lists the user's Entra object id.</summary>
    ListedById,
    /// <summary>The plan's <c>leads.users</c> lists the user's UPN (looked up in Graph).</summary>
    ListedByUpn,
    /// <summary>The user is a member of the plan's <c>leads.group</c> (checked in Graph).</summary>
    GroupMember,
    /// <summary>Not in the plan's leads.</summary>
    NotListed,
    /// <summary>No valid plan is loaded, so nobody is a lead.</summary>
    NoPlan,
    /// <summary>The activity carries no Entra object id (for example an anonymous or guest client).</summary>
    NoIdentity,
    /// <summary>The plan names UPNs or a group, and Graph could not be asked: refused (fail closed).</summary>
    DirectoryUnavailable,
    /// <summary>The plan names UPNs or a group, but there is no Graph in local Playground mode.</summary>
    DirectoryNotUsed,
}
