namespace TicketGateway.Tickets;

/// <summary>The customer's verdict on the handling, when one was given.</summary>
public enum Satisfaction
{
    /// <summary>No answer yet.</summary>
    None,

    /// <summary>The customer was satisfied.</summary>
    Satisfied,

    /// <summary>The customer was not satisfied.</summary>
    Unsatisfied,
}
