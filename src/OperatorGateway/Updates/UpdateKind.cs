namespace TicketGateway.OperatorGateway.Updates;

/// <summary>What an update to the operator reports (stored by its lower-case name).</summary>
internal enum UpdateKind
{
    Accepted,
    Progress,
    Resolved,
    Withdrawn,
}
