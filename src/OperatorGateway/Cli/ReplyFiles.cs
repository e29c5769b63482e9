using TicketGateway.Tickets.Attachments;

namespace TicketGateway.OperatorGateway.Cli;

/// <summary>The files of <c>reply --attach</c>, read from disk with their type guessed from the name.</summary>
internal static class ReplyFiles
{
    /// <summary>Reads the files; a missing one, or more bytes than <paramref name="maxBytes"/> together, is refused before anything is read whole.</summary>
    public static IReadOnlyList<NewAttachment> Read(IReadOnlyList<string> paths, long maxBytes)
    {
        long total = 0;
        foreach (var path in paths)
        {
            if (!File.Exists(path))
            {
                throw new CliException($"reply --attach: {path} does not exist or is not a file.");
            }

            total += new FileInfo(path).Length;
        }

        if (total > maxBytes)
        {
            throw new CliException($"reply --attach: the files are {total} bytes together; a mail may carry at most {maxBytes} (Mail:Outbound:MaxAttachmentBytes).");
        }

        return [.. paths.Select(path => NewAttachment.Of(Path.GetFileName(path), MimeKit.MimeTypes.GetMimeType(path), File.ReadAllBytes(path)))];
    }
}
