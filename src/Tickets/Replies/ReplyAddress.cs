using System.Security.Cryptography;
using System.Text;

namespace TicketGateway.Tickets.Replies;

/// <summary>
/// The per-ticket signed reply address, <c>support+TG-000123.token@domain</c>. The token is an
/// HMAC-SHA256 of the ticket reference keyed by <c>Mail:ReplyTokenSecret</c>, truncated to 80 bits
/// and written in lower-case base32, so only someone who received a notification for that ticket
/// can write to it. Verification compares in constant time.
/// </summary>
public sealed class ReplyAddress
{
    private const int TokenBytes = 10;
    private const string Alphabet = "abcdefghijklmnopqrstuvwxyz234567";
    private readonly byte[] _key;
    private readonly string _local;
    private readonly string _domain;

    /// <summary>Creates the signer for a support address and secret.</summary>
    public ReplyAddress(string supportAddress, string secret)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(supportAddress);
        ArgumentException.ThrowIfNullOrEmpty(secret);
        _key = Encoding.UTF8.GetBytes(secret);
        _local = MailAddresses.LocalPart(supportAddress);
        _domain = MailAddresses.Domain(supportAddress);
    }

    /// <summary>The signed address of a ticket.</summary>
    public string For(long ticketId)
    {
        var reference = TicketReference.Format(ticketId);
        return $"{_local}+{reference}.{Token(reference)}@{_domain}";
    }

    /// <summary>
    /// Reads an address of the form <c>support+TG-000123.token@domain</c>. Returns false when the
    /// address is not one of ours at all; otherwise <paramref name="ticketId"/> is set and
    /// <paramref name="valid"/> says whether the token is right.
    /// </summary>
    public bool TryRead(string? address, out long ticketId, out bool valid)
    {
        ticketId = 0;
        valid = false;
        if (string.IsNullOrEmpty(address) || address.LastIndexOf('@') is var at && at <= 0)
        {
            return false;
        }

        var local = address[..at];
        var domain = address[(at + 1)..];
        var prefix = _local + "+";
        if (!domain.Equals(_domain, StringComparison.OrdinalIgnoreCase) || !local.StartsWith(prefix, StringComparison.OrdinalIgnoreCase))
        {
            return false;
        }

        var rest = local[prefix.Length..];
        var dot = rest.LastIndexOf('.');
        var reference = dot < 0 ? rest : rest[..dot];
        if (!TicketReference.TryParse(reference, out ticketId))
        {
            return false;
        }

        var given = Encoding.ASCII.GetBytes(dot < 0 ? "" : rest[(dot + 1)..].ToLowerInvariant());
        var expected = Encoding.ASCII.GetBytes(Token(TicketReference.Format(ticketId)));
        valid = CryptographicOperations.FixedTimeEquals(given, expected);
        return true;
    }

    private string Token(string reference)
    {
        var mac = HMACSHA256.HashData(_key, Encoding.UTF8.GetBytes(reference));
        return Base32(mac.AsSpan(0, TokenBytes));
    }

    private static string Base32(ReadOnlySpan<byte> data)
    {
        var sb = new StringBuilder((data.Length * 8 + 4) / 5);
        int buffer = 0, bits = 0;
        foreach (var b in data)
        {
            buffer = (buffer << 8) | b;
            bits += 8;
            while (bits >= 5)
            {
                sb.Append(Alphabet[(buffer >> (bits - 5)) & 31]);
                bits -= 5;
            }
        }

        if (bits > 0)
        {
            sb.Append(Alphabet[(buffer << (5 - bits)) & 31]);
        }

        return sb.ToString();
    }
}
