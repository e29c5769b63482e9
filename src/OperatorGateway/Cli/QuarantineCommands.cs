using System.Globalization;
using System.Text;
using System.Text.Json.Nodes;
using TicketGateway.MailIntake.Intake;
using TicketGateway.Tickets;

namespace TicketGateway.OperatorGateway.Cli;

/// <summary><c>ticketgw quarantine ...</c>: mail the intake could not process: list, show, retry, discard.</summary>
internal sealed class QuarantineCommands(QuarantineService quarantine, TimeFormat time, TextWriter output)
{
    private const string Actor = "cli";

    public async Task<int> RunAsync(string verb, IReadOnlyList<string> rest, CancellationToken cancellationToken)
    {
        switch (verb)
        {
            case "list":
            {
                var a = CliArgs.Parse("quarantine list", rest, [], ["json", "all"]);
                a.NoMorePositionals(0);
                var list = quarantine.List(a.Flag("all"));
                if (a.Flag("json"))
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

            case "show":
            {
                var a = CliArgs.Parse("quarantine show", rest, [], ["json", "raw"]);
                a.NoMorePositionals(1);
                var id = Id(a);
                var q = quarantine.Get(id);
                var raw = quarantine.Raw(id);
                if (a.Flag("json"))
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

                if (a.Flag("raw"))
                {
                    output.WriteLine();
                    output.Write(Encoding.Latin1.GetString(raw));
                }

                return 0;
            }

            case "retry":
            {
                var a = CliArgs.Parse("quarantine retry", rest, ["charset"], ["json"]);
                a.NoMorePositionals(1);
                // One id everywhere: the quarantine id that 'quarantine list' shows, never the inbound mail's row.
                var id = Id(a);
                var result = await quarantine.RetryAsync(id, a.Optional("charset"), Actor, cancellationToken);
                var line = result.TicketId is { } t
                    ? $"Quarantined mail {id} is now {Names.Of(result.Outcome)}: {TicketReference.Format(t)} ({result.Rule})."
                    : $"Quarantined mail {id} taken as {Names.Of(result.Outcome)}; no ticket ({result.Rule}).";
                output.WriteLine(a.Flag("json")
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

            case "discard":
            {
                var a = CliArgs.Parse("quarantine discard", rest, [], []);
                a.NoMorePositionals(1);
                var id = Id(a);
                await quarantine.DiscardAsync(id, Actor, cancellationToken);
                output.WriteLine($"Quarantined mail {id} discarded; its raw bytes stay in the store.");
                return 0;
            }

            default:
                throw new CliException($"quarantine: unknown command '{verb}'; use list, show, retry or discard.");
        }
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

    private static long Id(CliArgs a)
    {
        var text = a.Positional(0, "the quarantine id (see 'ticketgw quarantine list')");
        return long.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var id) && id > 0
            ? id
            : throw new CliException($"quarantine: '{text}' is not a quarantine id; ids are whole numbers shown by 'ticketgw quarantine list'.");
    }

    private static string Cut(string? s, int max) => s is null ? "-" : s.Length > max ? s[..(max - 3)] + "..." : s;
}
