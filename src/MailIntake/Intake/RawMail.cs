namespace TicketGateway.MailIntake.Intake;

/// <summary>The raw bytes of a mail: in memory, or (big mail) in a spool file already synced to disk.</summary>
public sealed record RawMail(byte[]? Bytes, string? SpoolPath, long Size)
{
    /// <summary>Raw bytes held in memory.</summary>
    public static RawMail InMemory(byte[] bytes) => new(bytes, null, bytes?.LongLength ?? 0);
}
