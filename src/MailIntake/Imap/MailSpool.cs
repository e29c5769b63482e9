namespace TicketGateway.MailIntake.Imap;

/// <summary>
/// Files for the raw bytes of big mail, synced to disk before the transaction that refers to
/// them, so "kept durably" holds without holding the whole mail in memory or in one SQL value.
/// </summary>
internal sealed class MailSpool(string folder)
{
    public string Folder { get; } = folder;

    public async Task<string> WriteAsync(Stream content, long uidValidity, long uid, CancellationToken cancellationToken)
    {
        Directory.CreateDirectory(Folder);
        var path = Path.Combine(Folder, $"{uidValidity}-{uid}-{Guid.NewGuid():N}.eml");
        await using (var file = new FileStream(path, FileMode.CreateNew, FileAccess.Write, FileShare.None, 81920, useAsync: true))
        {
            await content.CopyToAsync(file, cancellationToken);
            file.Flush(flushToDisk: true);
        }

        return path;
    }
}
