using System.CommandLine;
using System.Globalization;
using System.Text;
using System.Text.Json.Nodes;
using TicketGateway.MailIntake.Intake;
using TicketGateway.Tickets;

namespace TicketGateway.OperatorGateway.Cli;

/// <summary><c>ticketgw quarantine ...</c>: mail the intake could not process: list, show, retry, discard.</summary>
internal sealed class QuarantineCommands(QuarantineService quarantine, TimeFormat time, TextWriter output)
{
    // The resolved actor of this command (--as, TICKETGW_AS, else cli:<os user>); static so static and instance members use it alike.
    private static string Actor => CliActor.Current;

    private static readonly Option<bool> JsonOption = CliSymbols.Json();
    private static readonly Option<bool> All = new("--all") { Description = "also mail already retried or discarded" };
    private static readonly Option<bool> Raw = new("--raw") { Description = "print the raw bytes of the mail" };
    private static readonly Option<string?> Charset = CliSymbols.Value("--charset", "NAME", "read the mail's bodies in this charset (e.g. gbk)");
    private static readonly Argument<string> IdArgument = CliSymbols.Argument("ID", "the quarantine id (see 'ticketgw quarantine list')");

    public static Command Create()
    {
        var command = new Command("quarantine", "mail the intake could not process: list, show, retry, discard");
        Add(command, new Command("list", "mail the intake could not process and still holds") { All, JsonOption }, (c, p, ct) => c.ListAsync(p, ct));
        Add(command, new Command("show", "one quarantined mail: reason, sender, subject, mailbox UID") { IdArgument, Raw, JsonOption }, (c, p, ct) => c.ShowAsync(p, ct));
        Add(command, new Command("retry", "process it again, optionally in another charset; exit 1 when it still cannot be read") { IdArgument, Charset, JsonOption }, (c, p, ct) => c.RetryAsync(p, ct));
        Add(command, new Command("discard", "give up on it; its raw bytes stay in the store for Retention:QuarantineDays") { IdArgument }, (c, p, ct) => c.DiscardAsync(p, ct));
        return command;
    }

    private static void Add(Command parent, Command verb, Func<QuarantineCommands, ParseResult, CancellationToken, Task<int>> action)
    {
        CliSession.SetAction(verb, (p, s, ct) => action(new QuarantineCommands(s.Services.GetRequiredService<QuarantineService>(), s.Time, s.Output), p, ct));
        parent.Add(verb);
    }

    private async Task<int> ListAsync(ParseResult a, CancellationToken cancellationToken)
    {
        var list = quarantine.List(a.GetValue(All));
        if (a.GetValue(JsonOption))
        {
            output.WriteLine(TicketJson.Write(new JsonArray([.. list.Select(q => (JsonNode)Json(q))])));
            return 0;
        }

        var table = new TextTable("ID", "STATUS", "AT", "FROM", "SUBJECT", "REASON");
        foreach (var q in list)
        {
            table.Add(q.Id.ToString(CultureInfo.InvariantCulture), q.Status, time.Format(q.At), q.From ?? "-", Cut(q.Subject, 40), Cut(q.Reason, 80));
        }

        output.Write(table.ToString());
        output.WriteLine($"{list.Count} quarantined mail(s).");
        return 0;
    }

    private async Task<int> ShowAsync(ParseResult a, CancellationToken cancellationToken)
    {
        var id = Id(a);
        var q = quarantine.Get(id);
        var raw = quarantine.Raw(id);
        if (a.GetValue(JsonOption))
        {
            var json = Json(q);
            json["raw"] = Encoding.Latin1.GetString(raw);
            output.WriteLine(TicketJson.Write(json));
            return 0;
        }

        output.WriteLine($"quarantined mail {q.Id} ({q.Status}) since {time.Format(q.At)}");
        output.WriteLine($"  reason     {q.Reason}");
        output.WriteLine($"  from       {q.From ?? "-"}");
        output.WriteLine($"  subject    {q.Subject ?? "-"}");
        output.WriteLine($"  message-id {q.MessageId ?? "-"}");
        output.WriteLine($"  mailbox    {q.Source.Folder} UIDVALIDITY {q.Source.UidValidity} UID {q.Source.Uid}, {q.Size} bytes");
        if (q.TicketId is { } t)
        {
            output.WriteLine($"  ticket     {TicketReference.Format(t)}");
        }

        if (a.GetValue(Raw))
        {
            output.WriteLine();
            output.Write(Encoding.Latin1.GetString(raw));
        }

        return 0;
    }

    private async Task<int> RetryAsync(ParseResult a, CancellationToken cancellationToken)
    {
        // One id everywhere: the quarantine id that 'quarantine list' shows, never the inbound mail's row.
        var id = Id(a);
        var result = await quarantine.RetryAsync(id, a.GetValue(Charset), Actor, cancellationToken);
        var line = result.TicketId is { } t
            ? $"Quarantined mail {id} is now {Names.Of(result.Outcome)}: {TicketReference.Format(t)} ({result.Rule})."
            : $"Quarantined mail {id} taken as {Names.Of(result.Outcome)}; no ticket ({result.Rule}).";
        output.WriteLine(a.GetValue(JsonOption)
            ? TicketJson.Write(new JsonObject
            {
                ["id"] = id,
                ["outcome"] = Names.Of(result.Outcome),
                ["ticket"] = result.TicketId is { } tid ? TicketReference.Format(tid) : null,
                ["rule"] = result.Rule,
            })
            : line);
        return 0;
    }

    private async Task<int> DiscardAsync(ParseResult a, CancellationToken cancellationToken)
    {
        var id = Id(a);
        await quarantine.DiscardAsync(id, Actor, cancellationToken);
        output.WriteLine($"Quarantined mail {id} discarded; its raw bytes stay in the store for Retention:QuarantineDays.");
        return 0;
    }

    private JsonObject Json(QuarantinedMail q) => new()
    {
        ["id"] = q.Id,
        ["status"] = q.Status,
        ["reason"] = q.Reason,
        ["at"] = time.Format(q.At),
        ["from"] = q.From,
        ["subject"] = q.Subject,
        ["messageId"] = q.MessageId,
        ["folder"] = q.Source.Folder,
        ["uidValidity"] = q.Source.UidValidity,
        ["uid"] = q.Source.Uid,
        ["size"] = q.Size,
        ["ticket"] = q.TicketId is { } t ? TicketReference.Format(t) : null,
        ["resolvedAt"] = time.Format(q.ResolvedAt),
        ["resolvedBy"] = q.ResolvedBy,
    };

    private static long Id(ParseResult a)
    {
        var text = a.GetValue(IdArgument)!;
        return long.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var id) && id > 0
            ? id
            : throw new CliException($"quarantine: '{text}' is not a quarantine id; ids are whole numbers shown by 'ticketgw quarantine list'.");
    }

    private static string Cut(string? s, int max) => s is null ? "-" : s.Length > max ? s[..(max - 3)] + "..." : s;
}
