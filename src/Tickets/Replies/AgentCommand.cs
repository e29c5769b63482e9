namespace TicketGateway.Tickets.Replies;

/// <summary>What an agent's command line asks for.</summary>
public enum AgentCommandKind
{
    /// <summary><c>#resolve</c>: resolve the ticket (the text, if any, is the resolution).</summary>
    Resolve,

    /// <summary><c>#pending</c>: wait on the customer.</summary>
    Pending,

    /// <summary><c>#level N</c>: change the complaint level.</summary>
    Level,

    /// <summary><c>#kind K</c>: change the kind.</summary>
    Kind,

    /// <summary><c>#template NAME</c>: send a canned template instead of free text.</summary>
    Template,

    /// <summary><c>#note</c>: the text is an internal note; nothing is sent.</summary>
    Note,

    /// <summary><c>#close</c>: close the ticket, as <c>tickets status REF closed</c> does.</summary>
    Close,
}

/// <summary>One command from the first lines of an agent's mail.</summary>
public sealed record AgentCommand(AgentCommandKind Kind, string? Argument);
