using TicketGateway.MailIntake.Intake;
using TicketGateway.Tickets.Storage;

namespace TicketGateway.MailIntake.Imap;

/// <summary>
/// Where the raw bytes of big mail are kept (<c>Mail:Intake:SpoolFolder</c>), and moving the store's
/// references to them when a restored store's spool lands in another folder.
/// </summary>
public static class MailSpoolFolder
{
    /// <summary>The configured folder, or <c>mail-spool</c> beside a SQLite store, or <c>data/mail-spool</c> under the current folder.</summary>
    public static string Resolve(IntakeOptions intake, StorageOptions storage)
    {
        ArgumentNullException.ThrowIfNull(intake);
        ArgumentNullException.ThrowIfNull(storage);
        return intake.SpoolFolder is { Length: > 0 } configured
            ? Path.GetFullPath(configured)
            : TicketDatabase.FilePath(storage) is { } file
                ? Path.Combine(Path.GetDirectoryName(file) ?? ".", "mail-spool")
                // PostgreSQL: beside the process; several nodes must share one folder (README).
                : Path.GetFullPath(Path.Combine("data", "mail-spool"));
    }

    /// <summary>
    /// Points the raw mail that lived in <paramref name="from"/> at the same file names in
    /// <paramref name="to"/>; returns how many mails now point there.
    /// </summary>
    public static Task<int> RelocateAsync(TicketDatabase store, string from, string to, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(store);
        var prefix = Path.TrimEndingDirectorySeparator(from) + Path.DirectorySeparatorChar;
        var target = Path.TrimEndingDirectorySeparator(to) + Path.DirectorySeparatorChar;
        if (prefix == target)
        {
            return Task.FromResult(0);
        }

        return store.WriteAsync((c, t) => c.Execute("""
            UPDATE mail_inbound SET raw_path = @to || substr(raw_path, CAST(@skip AS INTEGER))
            WHERE raw_path IS NOT NULL AND substr(raw_path, 1, CAST(@length AS INTEGER)) = @from
            """, t, ("@to", target), ("@skip", prefix.Length + 1), ("@length", prefix.Length), ("@from", prefix)), cancellationToken);
    }
}
