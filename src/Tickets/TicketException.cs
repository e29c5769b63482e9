namespace TicketGateway.Tickets;

/// <summary>Why a ticket operation was refused.</summary>
public enum TicketError
{
    /// <summary>The ticket does not exist.</summary>
    NotFound,

    /// <summary>The request is malformed (a bad value, a missing field).</summary>
    Invalid,

    /// <summary>The request is well formed but the ticket's state does not allow it.</summary>
    Conflict,
}

/// <summary>A refused ticket operation; the message is one sentence a person can act on.</summary>
public sealed class TicketException : Exception
{
    /// <summary>Creates the exception.</summary>
    public TicketException(TicketError error, string message)
        : base(message) => Error = error;

    /// <summary>Creates the exception (serialisation-style constructor for analyzers).</summary>
    public TicketException()
        : this(TicketError.Invalid, "The ticket operation was refused.")
    {
    }

    /// <summary>Creates the exception.</summary>
    public TicketException(string message)
        : this(TicketError.Invalid, message)
    {
    }

    /// <summary>Creates the exception.</summary>
    public TicketException(string message, Exception innerException)
        : base(message, innerException) => Error = TicketError.Invalid;

    /// <summary>The kind of refusal.</summary>
    public TicketError Error { get; }

    internal static TicketException NotFound(string reference) =>
        new(TicketError.NotFound, $"Ticket {reference} does not exist.");
}
