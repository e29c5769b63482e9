namespace TicketGateway.Tickets.Storage;

/// <summary>
/// <see cref="StoreCopy"/> or <see cref="StoreRestore"/> will not write into the target (it already
/// holds a ticket store or rows); the message is one sentence naming what is there.
/// </summary>
public sealed class StoreCopyRefusedException : Exception
{
    /// <summary>Creates the exception.</summary>
    public StoreCopyRefusedException()
        : this("The target database is not empty.")
    {
    }

    /// <summary>Creates the exception.</summary>
    public StoreCopyRefusedException(string message)
        : base(message)
    {
    }

    /// <summary>Creates the exception.</summary>
    public StoreCopyRefusedException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
