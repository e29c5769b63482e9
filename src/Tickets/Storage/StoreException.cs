namespace TicketGateway.Tickets.Storage;

/// <summary>
/// The store cannot be used where it is configured (missing, read-only, unreadable); the message is
/// one sentence naming <c>Storage:ConnectionString</c> and the full path.
/// </summary>
public sealed class StoreException : Exception
{
    /// <summary>Creates the exception.</summary>
    public StoreException()
        : this("The ticket store cannot be used.")
    {
    }

    /// <summary>Creates the exception.</summary>
    public StoreException(string message)
        : base(message)
    {
    }

    /// <summary>Creates the exception.</summary>
    public StoreException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
