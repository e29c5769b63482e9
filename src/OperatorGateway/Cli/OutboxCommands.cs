using System.CommandLine;
using System.Globalization;
using System.Text.Json.Nodes;
using TicketGateway.Tickets;
using TicketGateway.Tickets.Replies;

namespace TicketGateway.OperatorGateway.Cli;

/// <summary><c>ticketgw outbox ...</c>: what was sent, what waits, what failed, and a new attempt.</summary>
internal sealed class OutboxCommands(Outbox outbox, TimeFormat time, TextWriter output)
{
    private static readonly Option<bool> JsonOption = CliSymbols.Json();
    private static readonly Option<string?> Status = CliSymbols.Value("--status", "queued|sending|sent|failed", "only mail in this status");
    private static readonly Option<string?> Limit = CliSymbols.Value("--limit", "N", "at most N mails (default 100)");
    private static readonly Argument<string> Id = CliSymbols.Argument("ID", "the outbox id");

    public static Command Create()
    {
        var command = new Command("outbox", "outgoing mail: what was sent, what waits, what failed");
        var list = new Command("list", "outgoing mail, newest first") { Status, Limit, JsonOption };
        CliSession.SetAction(list, (p, s, ct) => From(s).ListAsync(p, ct));
        var retry = new Command("retry", "send a failed (or waiting) mail again, same Message-ID; a sent mail is refused (exit 1)") { Id, JsonOption };
        CliSession.SetAction(retry, (p, s, ct) => From(s).RetryAsync(p, ct));
        command.Add(list);
        command.Add(retry);
        return command;
    }

    private static OutboxCommands From(CliSession s) => new(s.Services.GetRequiredService<Outbox>(), s.Time, s.Output);

    private async Task<int> ListAsync(ParseResult a, CancellationToken cancellationToken)
    {
        OutboxStatus? status = null;
        if (a.GetValue(Status) is { } s)
        {
            status = Names.TryParse<OutboxStatus>(s, out var parsed) ? parsed : throw new CliException($"outbox list: --status '{s}' is not one of {Names.All<OutboxStatus>()}.");
        }

        var limit = 100;
        if (a.GetValue(Limit) is { } l && (!int.TryParse(l, NumberStyles.None, CultureInfo.InvariantCulture, out limit) || limit < 1))
        {
            throw new CliException($"outbox list: --limit '{l}' is not a positive whole number.");
        }

        var list = outbox.List(status, limit);
        if (a.GetValue(JsonOption))
        {
            output.WriteLine(TicketJson.Write(new JsonArray([.. list.Select(e => (JsonNode)Json(e))])));
            return 0;
        }

        var table = new TextTable("ID", "STATUS", "PURPOSE", "TICKET", "TO", "TRIES", "QUEUED", "SENT", "ERROR");
        foreach (var e in list)
        {
            table.Add(
                e.Id.ToString(CultureInfo.InvariantCulture),
                Names.Of(e.Status),
                e.Purpose,
                e.TicketId is { } t ? TicketReference.Format(t) : "-",
                string.Join(",", e.Recipients),
                e.Attempts.ToString(CultureInfo.InvariantCulture),
                time.Format(e.CreatedAt),
                time.Format(e.SentAt) ?? "-",
                e.LastError is { } err ? (err.Length > 60 ? err[..57] + "..." : err) : "");
        }

        output.Write(table.ToString());
        output.WriteLine($"{list.Count} mail(s).");
        return 0;
    }

    private async Task<int> RetryAsync(ParseResult a, CancellationToken cancellationToken)
    {
        var idText = a.GetValue(Id)!;
        if (!long.TryParse(idText, NumberStyles.None, CultureInfo.InvariantCulture, out var id))
        {
            throw new CliException($"outbox retry: '{idText}' is not an outbox id (a number from 'outbox list').");
        }

        var e = await outbox.Delivery.RetryAsync(id, CliActor.Current, cancellationToken);
        if (a.GetValue(JsonOption))
        {
            output.WriteLine(TicketJson.Write(Json(e)));
        }
        else
        {
            output.WriteLine($"Outbox mail {e.Id} queued again (Message-ID <{e.MessageId}>).");
        }

        return 0;
    }

    private JsonObject Json(OutboxEntry e) => new()
    {
        ["id"] = e.Id,
        ["ticket"] = e.TicketId is { } t ? TicketReference.Format(t) : null,
        ["purpose"] = e.Purpose,
        ["status"] = Names.Of(e.Status),
        ["messageId"] = e.MessageId,
        ["from"] = e.Sender,
        ["to"] = new JsonArray([.. e.Recipients.Select(r => (JsonNode)r)]),
        ["subject"] = e.Subject,
        ["countsAsReply"] = e.CountsAsReply,
        ["queuedAt"] = time.Format(e.CreatedAt),
        ["attempts"] = e.Attempts,
        ["nextAttemptAt"] = time.Format(e.NextAttemptAt),
        ["sentAt"] = time.Format(e.SentAt),
        ["lastError"] = e.LastError,
    };
}
