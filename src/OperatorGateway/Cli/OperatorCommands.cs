using System.Globalization;
using System.Text.Json.Nodes;
using TicketGateway.OperatorGateway.Complaints;
using TicketGateway.OperatorGateway.Updates;
using TicketGateway.Tickets;
using TicketGateway.Tickets.Duty;
using TicketGateway.Tickets.Storage;

namespace TicketGateway.OperatorGateway.Cli;

/// <summary><c>ticketgw operator ...</c>: the exchange's outbox, alerts and refunds.</summary>
internal sealed class OperatorCommands(TicketService tickets, AlertStore alertStore, TimeFormat time, TimeProvider clock, TextWriter output)
{
    private const string Actor = "cli";

    public async Task<int> RunAsync(string verb, IReadOnlyList<string> rest, CancellationToken cancellationToken)
    {
        switch (verb)
        {
            case "updates":
            {
                var a = CliArgs.Parse("operator updates", rest, [], ["json"]);
                a.NoMorePositionals(1);
                var id = TicketService.ParseReference(a.Positional(0, "the ticket reference"));
                var updates = tickets.Database.Read(c => UpdateOutbox.ForTicket(c, null, id));
                if (a.Flag("json"))
                {
                    output.WriteLine(new JsonArray([.. updates.Select(u => (JsonNode)new JsonObject
                    {
                        ["sequence"] = u.Sequence,
                        ["kind"] = Names.Of(u.Kind),
                        ["occurredAt"] = time.Format(u.OccurredAt),
                        ["deliveredAt"] = time.Format(u.DeliveredAt),
                        ["attempts"] = u.Attempts,
                        ["handler"] = u.Handler,
                        ["message"] = u.Message,
                    })]).ToJsonString(TicketJson.Options));
                    return 0;
                }

                var table = new TextTable("SEQ", "KIND", "QUEUED", "DELIVERED", "ATTEMPTS", "MESSAGE");
                foreach (var u in updates)
                {
                    table.Add(u.Sequence.ToString(CultureInfo.InvariantCulture), Names.Of(u.Kind), time.Format(u.OccurredAt), time.Format(u.DeliveredAt) ?? "pending", u.Attempts.ToString(CultureInfo.InvariantCulture), u.Message);
                }

                output.Write(table.ToString());
                return 0;
            }

            case "alerts":
            {
                var a = CliArgs.Parse("operator alerts", rest, [], ["json"]);
                a.NoMorePositionals(0);
                // The alerts of the one alert mechanism that concern the exchange, with the operator of their complaint.
                var alerts = alertStore.ListKinds([AlertKinds.Urge, AlertKinds.UndeliveredUpdate], 200);
                var operators = tickets.Database.Read(c => alerts.Select(x => x.TicketId).Distinct()
                    .ToDictionary(t => t, t => TicketSql.Find(c, null, t)?.Operator?.OperatorId ?? "-"));
                if (a.Flag("json"))
                {
                    output.WriteLine(new JsonArray([.. alerts.Select(x => (JsonNode)new JsonObject
                    {
                        ["id"] = x.Id,
                        ["at"] = time.Format(x.RaisedAt),
                        ["kind"] = x.Kind,
                        ["operator"] = operators[x.TicketId],
                        ["ticket"] = x.Ref,
                        ["detail"] = x.Text,
                        ["onDuty"] = x.DutyName,
                        ["chat"] = x.WebhookState,
                        ["email"] = x.EmailState,
                        ["emailTo"] = x.EmailTo,
                    })]).ToJsonString(TicketJson.Options));
                    return 0;
                }

                var table = new TextTable("AT", "KIND", "OPERATOR", "TICKET", "CHAT", "EMAIL", "DETAIL");
                foreach (var x in alerts)
                {
                    table.Add(time.Format(x.RaisedAt), x.Kind, operators[x.TicketId], x.Ref, x.WebhookState, x.EmailState, x.Text);
                }

                output.Write(table.ToString());
                return 0;
            }

            case "refund":
            {
                var a = CliArgs.Parse("operator refund", rest, [], []);
                a.NoMorePositionals(2);
                var reference = a.Positional(0, "the ticket reference");
                var fenText = a.Positional(1, "the refund in fen");
                if (!long.TryParse(fenText, NumberStyles.None, CultureInfo.InvariantCulture, out var fen) || fen is <= 0 or > 100_000_000)
                {
                    throw new CliException($"operator refund: '{fenText}' is not an amount in fen (a whole number from 1 to 100000000).");
                }

                var id = TicketService.ParseReference(reference);
                await tickets.Database.WriteAsync((c, tx) =>
                {
                    var complaint = ComplaintSql.ForTicket(c, tx, id)
                        ?? throw new TicketException(TicketError.Conflict, $"{reference} is not a complaint filed by the operator.");
                    if (!complaint.CanCarryRefund)
                    {
                        throw new TicketException(TicketError.Conflict, $"{reference} is a {complaint.Category} complaint, not about a charge; a refund goes with a {OperatorComplaint.RefundCategories} complaint.");
                    }

                    ComplaintSql.SetRefund(c, tx, id, fen);
                    TicketSql.AppendHistory(c, tx, id, clock.GetUtcNow(), Actor, "refund", $"refund of {fen} fen recorded; the operator gets it with the resolution");
                    return true;
                }, cancellationToken);
                output.WriteLine($"{reference}: refund of {fen / 100m:0.00} yuan recorded; it is sent with the resolved update.");
                return 0;
            }

            default:
                throw new CliException($"operator: unknown command '{verb}'; use updates, alerts or refund.");
        }
    }
}
