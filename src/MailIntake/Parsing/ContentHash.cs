using System.Security.Cryptography;

namespace TicketGateway.MailIntake.Parsing;

/// <summary>
/// SHA-256 of a raw mail's body, i.e. everything after the first empty line. Headers are left out
/// because the same mail delivered twice differs in Received and Delivered-To lines.
/// </summary>
public static class ContentHash
{
    /// <summary>The hex hash of the body of <paramref name="raw"/>.</summary>
    public static string Of(ReadOnlySpan<byte> raw)
    {
        var start = BodyStart(raw);
        return Convert.ToHexStringLower(SHA256.HashData(raw[start..]));
    }

    /// <summary>The hex hash of the body of the mail in <paramref name="stream"/>, read to its end.</summary>
    public static string Of(Stream stream)
    {
        ArgumentNullException.ThrowIfNull(stream);
        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        var buffer = new byte[81920];
        var inBody = false;
        byte last = 0, beforeLast = 0;
        int read;
        while ((read = stream.Read(buffer, 0, buffer.Length)) > 0)
        {
            var from = 0;
            if (!inBody)
            {
                for (var i = 0; i < read; i++)
                {
                    var b = buffer[i];
                    if (b == '\n' && (last == '\n' || (last == '\r' && beforeLast == '\n')))
                    {
                        inBody = true;
                        from = i + 1;
                        break;
                    }

                    beforeLast = last;
                    last = b;
                }

                if (!inBody)
                {
                    continue;
                }
            }

            hash.AppendData(buffer, from, read - from);
        }

        return Convert.ToHexStringLower(hash.GetHashAndReset());
    }

    private static int BodyStart(ReadOnlySpan<byte> raw)
    {
        for (var i = 1; i < raw.Length; i++)
        {
            if (raw[i] != '\n')
            {
                continue;
            }

            if (raw[i - 1] == '\n' || (raw[i - 1] == '\r' && i >= 2 && raw[i - 2] == '\n'))
            {
                return i + 1;
            }
        }

        return raw.Length;
    }
}
