namespace TicketGateway.MailIntake.Parsing;

/// <summary>A mail that cannot be read as it is; the message says what is wrong, in one sentence.</summary>
public sealed class MailFormatException : Exception
{
    /// <summary>Creates the exception.</summary>
    public MailFormatException()
    {
    }

    /// <summary>Creates the exception with its reason.</summary>
    public MailFormatException(string message)
        : base(message)
    {
    }

    /// <summary>Creates the exception with its reason and cause.</summary>
    public MailFormatException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
