using System.Text;
using TicketGateway.MailIntake.Parsing;
using TicketGateway.Tickets;

namespace TicketGateway.MailIntake.Intake;

/// <summary>What operators do with quarantined mail: look at it, retry it (optionally reading it in another charset), or discard it.</summary>
public sealed class QuarantineService(TicketService tickets, MailReader reader, MailProcessor processor, TimeProvider time)
{
    /// <summary>Held mail, or every quarantined mail with <paramref name="all"/>.</summary>
    public IReadOnlyList<QuarantinedMail> List(bool all = false) => tickets.Database.Read(c => QuarantineSql.List(c, all));

    /// <summary>One quarantined mail.</summary>
    /// <exception cref="TicketException">No such entry.</exception>
    public QuarantinedMail Get(long id) => tickets.Database.Read(c => QuarantineSql.Find(c, null, id)) ?? throw NotFound(id);

    /// <summary>The raw bytes of a quarantined mail.</summary>
    public byte[] Raw(long id)
    {
        var q = Get(id);
        return q.SpoolPath is { } path ? File.ReadAllBytes(path) : tickets.Database.Read(c => QuarantineSql.RawBytes(c, q.InboundId)) ?? [];
    }

    /// <summary>Processes a held mail again; with <paramref name="charset"/>, its bodies are read in that charset whatever they declare.</summary>
    /// <exception cref="TicketException">No such entry, not held, unknown charset, or the mail still cannot be processed (the reason is recorded).</exception>
    public async Task<ProcessedMail> RetryAsync(long id, string? charset, string actor, CancellationToken cancellationToken = default)
    {
        var q = Get(id);
        if (q.Status != "held")
        {
            throw new TicketException(TicketError.Conflict, $"Quarantined mail {id} is already {q.Status}.");
        }

        Encoding? encoding = null;
        if (charset is not null)
        {
            encoding = MailCharsets.Find(charset) ?? throw new TicketException(TicketError.Invalid, $"'{charset}' is not a charset this system knows (e.g. gb18030, gbk, big5, iso-2022-jp, utf-8).");
        }

        InboundMail mail;
        try
        {
            mail = q.SpoolPath is { } path ? reader.ReadFile(path, encoding) : reader.Read(Raw(id), encoding);
        }
        catch (MailFormatException ex)
        {
            throw new TicketException(TicketError.Conflict, $"Quarantined mail {id} still cannot be read: {ex.Message}");
        }

        var raw = new RawMail(null, q.SpoolPath, q.Size);
        return await tickets.Database.WriteAsync(
            (c, tx) =>
            {
                if (QuarantineSql.Find(c, tx, id) is not { Status: "held" } current)
                {
                    throw new TicketException(TicketError.Conflict, $"Quarantined mail {id} was handled meanwhile.");
                }

                var now = time.GetUtcNow();
                var result = processor.Process(c, tx, q.Source, mail, raw, retryOf: q.InboundId);
                QuarantineSql.Resolve(c, tx, id, "retried", result.TicketId, now, actor);
                return result;
            },
            cancellationToken);
    }

    /// <summary>Marks a held mail discarded; its raw bytes stay in the store.</summary>
    public Task DiscardAsync(long id, string actor, CancellationToken cancellationToken = default)
    {
        var q = Get(id);
        if (q.Status != "held")
        {
            throw new TicketException(TicketError.Conflict, $"Quarantined mail {id} is already {q.Status}.");
        }

        return tickets.Database.WriteAsync((c, tx) =>
        {
            QuarantineSql.Resolve(c, tx, id, "discarded", null, time.GetUtcNow(), actor);
            return 0;
        }, cancellationToken);
    }

    private static TicketException NotFound(long id) => new(TicketError.NotFound, $"There is no quarantined mail {id}; 'ticketgw quarantine list' shows them.");
}
