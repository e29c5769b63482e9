namespace TicketGateway.MailIntake.Imap;

/// <summary>How the IMAP connection is secured (MailKit's <c>SecureSocketOptions</c>, by name).</summary>
public enum MailSecurity
{
    /// <summary>Plain text; only for a server on the same host.</summary>
    None,

    /// <summary>TLS from the first byte (port 993).</summary>
    SslOnConnect,

    /// <summary>Plain connect, then STARTTLS, refusing to go on without it.</summary>
    StartTls,

    /// <summary>TLS on 993, STARTTLS when offered elsewhere.</summary>
    Auto,
}
