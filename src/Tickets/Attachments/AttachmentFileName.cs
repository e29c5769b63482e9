using System.Text;

namespace TicketGateway.Tickets.Attachments;

/// <summary>
/// A file name from a mail or a peer made safe to create in the current folder: never a path.
/// Directories are cut off (both separators), control characters and characters Windows refuses
/// become '_', leading dots and spaces go (no hidden files, no <c>..</c>), and an empty result or a
/// reserved device name becomes <c>attachment-ID</c>.
/// </summary>
public static class AttachmentFileName
{
    private const int MaxLength = 200;
    private static readonly string[] Reserved = ["CON", "PRN", "AUX", "NUL", "COM1", "COM2", "COM3", "COM4", "COM5", "COM6", "COM7", "COM8", "COM9", "LPT1", "LPT2", "LPT3", "LPT4", "LPT5", "LPT6", "LPT7", "LPT8", "LPT9"];

    /// <summary>The safe name of attachment <paramref name="id"/> named <paramref name="name"/> by its sender.</summary>
    public static string Sanitise(string? name, long id)
    {
        var fallback = $"attachment-{id}";
        var last = (name ?? "").Split('/', '\\').Last();
        var clean = new StringBuilder(last.Length);
        foreach (var c in last)
        {
            clean.Append(char.IsControl(c) || c is ':' or '*' or '?' or '"' or '<' or '>' or '|' ? '_' : c);
        }

        var result = clean.ToString().Trim().TrimStart('.', ' ').TrimEnd('.', ' ');
        if (result.Length > MaxLength)
        {
            var extension = Path.GetExtension(result);
            result = extension.Length is > 0 and < 20 ? result[..(MaxLength - extension.Length)] + extension : result[..MaxLength];
        }

        var stem = result.Split('.')[0];
        return result.Length == 0 || Reserved.Contains(stem, StringComparer.OrdinalIgnoreCase) ? fallback : result;
    }
}
