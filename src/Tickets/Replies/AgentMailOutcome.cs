namespace TicketGateway.Tickets.Replies;

/// <summary>What <see cref="ReplyWorkflow.TryHandleAgentMail"/> made of a mail.</summary>
public enum AgentMailOutcome
{
    /// <summary>Not addressed to a signed ticket address: the intake treats it as ordinary mail.</summary>
    NotAgentMail,

    /// <summary>A verified agent's mail; its commands and reply were applied.</summary>
    Applied,

    /// <summary>A verified agent's mail that could not be applied (unknown command, ...); the agent was answered, nothing else happened.</summary>
    Refused,

    /// <summary>Claimed to be an agent's without proof: recorded on the ticket, agents warned, nothing sent to the customer.</summary>
    Untrusted,
}
