using System.Globalization;
using System.Security.Cryptography;
using System.Text;

namespace TicketGateway.Tickets.Calls;

/// <summary>
/// Reads call-detail records in two shapes: Asterisk's <c>Master.csv</c> (cdr_csv column order,
/// no header: accountcode, src, dst, dcontext, clid, channel, dstchannel, lastapp, lastdata,
/// start, answer, end, duration, billsec, disposition, amaflags, and with <c>loguniqueid</c>
/// uniqueid, then userfield) and a plain CSV whose first line is the header
/// <c>start,answer,end,caller,disposition</c>. Times without an offset are wall-clock times in the
/// desk's zone (cdr_csv writes the PBX's local time).
/// </summary>
public sealed class CdrParser(TimeZoneInfo zone)
{
    private const int AsteriskMinColumns = 16;
    private static readonly string[] PlainHeader = ["start", "answer", "end", "caller", "disposition"];

    /// <summary>Reads every row, calling <paramref name="onRecord"/> for good rows and <paramref name="onError"/> for bad ones.</summary>
    public void Parse(TextReader reader, Action<long, CallRecord> onRecord, Action<CdrError> onError)
    {
        ArgumentNullException.ThrowIfNull(onRecord);
        ArgumentNullException.ThrowIfNull(onError);
        var csv = new CsvReader(reader);
        bool? plain = null;
        while (csv.Next() is var (line, fields))
        {
            if (fields.Count == 1 && fields[0].Trim().Length == 0)
            {
                continue;
            }

            if (plain is null)
            {
                plain = fields.Select(f => f.Trim().ToLowerInvariant()).SequenceEqual(PlainHeader);
                if (plain.Value)
                {
                    continue;
                }
            }

            try
            {
                onRecord(line, plain.Value ? Plain(fields) : Asterisk(fields));
            }
            catch (FormatException ex)
            {
                onError(new CdrError(line, ex.Message));
            }
        }
    }

    private CallRecord Asterisk(List<string> f)
    {
        if (f.Count < AsteriskMinColumns)
        {
            throw new FormatException($"an Asterisk CDR row has at least {AsteriskMinColumns} columns; this one has {f.Count}");
        }

        var uniqueId = f.Count > 16 ? f[16].Trim() : "";
        return Build(f[9], f[10], f[11], f[1], f[14], uniqueId, f);
    }

    private CallRecord Plain(List<string> f)
    {
        if (f.Count != PlainHeader.Length)
        {
            throw new FormatException($"a row has {PlainHeader.Length} columns (start,answer,end,caller,disposition); this one has {f.Count}");
        }

        return Build(f[0], f[1], f[2], f[3], f[4], "", f);
    }

    private CallRecord Build(string start, string answer, string end, string caller, string disposition, string uniqueId, List<string> row)
    {
        var startedAt = Time(start, "start") ?? throw new FormatException("the start time is empty");
        var answeredAt = Time(answer, "answer");
        var endedAt = Time(end, "end");
        var d = disposition.Trim().ToUpperInvariant();
        if (d.Length == 0)
        {
            throw new FormatException("the disposition is empty");
        }

        if (answeredAt < startedAt)
        {
            throw new FormatException($"the answer time {answer.Trim()} is before the start time {start.Trim()}");
        }

        if (endedAt < startedAt)
        {
            throw new FormatException($"the end time {end.Trim()} is before the start time {start.Trim()}");
        }

        if (d == "ANSWERED" && answeredAt is null)
        {
            throw new FormatException("the disposition is ANSWERED but the answer time is empty");
        }

        // Only an ANSWERED call was answered by a person; Asterisk may stamp an answer time on
        // calls an IVR picked up that then failed.
        if (d != "ANSWERED")
        {
            answeredAt = null;
        }

        var key = uniqueId.Length > 0 ? "uid:" + uniqueId : "sha:" + Hash(row);
        return new CallRecord(key, startedAt, answeredAt, endedAt, caller.Trim().Length == 0 ? null : caller.Trim(), d);
    }

    private DateTimeOffset? Time(string text, string what)
    {
        var t = text.Trim();
        if (t.Length == 0)
        {
            return null;
        }

        string[] local = ["yyyy-MM-dd HH:mm:ss", "yyyy-MM-dd'T'HH:mm:ss", "yyyy-MM-dd HH:mm:ss.fff", "yyyy-MM-dd'T'HH:mm:ss.fff"];
        if (DateTime.TryParseExact(t, local, CultureInfo.InvariantCulture, DateTimeStyles.None, out var wall))
        {
            return new DateTimeOffset(wall, zone.GetUtcOffset(wall));
        }

        if (DateTimeOffset.TryParse(t, CultureInfo.InvariantCulture, DateTimeStyles.None, out var withOffset) && t.Contains('T', StringComparison.Ordinal))
        {
            return withOffset;
        }

        throw new FormatException($"the {what} time '{t}' is not a time like 2026-11-03 09:15:00");
    }

    private static string Hash(List<string> row)
    {
        var joined = string.Join('\u001f', row.Select(f => f.Trim()));
        return Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(joined)))[..32];
    }
}
