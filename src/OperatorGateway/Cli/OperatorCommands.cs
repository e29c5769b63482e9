using System.CommandLine;
using System.Globalization;
using System.Text.Json.Nodes;
using TicketGateway.OperatorGateway.Complaints;
using TicketGateway.OperatorGateway.Updates;
using TicketGateway.Tickets;
using TicketGateway.Tickets.Duty;
using TicketGateway.Tickets.Storage;

namespace TicketGateway.OperatorGateway.Cli;

/// <summary><c>ticketgw operator ...</c>: the exchange's outbox, alerts and refunds.</summary>
internal sealed class OperatorCommands(TicketService tickets, AlertStore alertStore, ComplaintRefunds refunds, TimeFormat time, TextWriter output)
{
    // The resolved actor of this command (--as, TICKETGW_AS, else cli:<os user>); static so static and instance members use it alike.
    private static string Actor => CliActor.Current;

    private static readonly Option<bool> JsonOption = CliSymbols.Json();
    private static readonly Argument<string> Reference = CliSymbols.Argument("REF", "the ticket reference");
    private static readonly Argument<string> Fen = CliSymbols.Argument("FEN", "the refund in fen");
    private static readonly Argument<string> Sequence = CliSymbols.Argument("SEQ", "the update's sequence number (see 'ticketgw operator updates REF')");

    public static Command Create()
    {
        var command = new Command("operator", "the exchange with the operators: queued updates, alerts and refunds");
        var updates = new Command("updates", "the updates queued for the operator about a complaint, and their delivery") { Reference, JsonOption };
        CliSession.SetAction(updates, (p, s, ct) => From(s).UpdatesAsync(p, ct));
        var alerts = new Command("alerts", "alerts about operator complaints (urges, stuck updates) and their delivery, newest first") { JsonOption };
        CliSession.SetAction(alerts, (p, s, ct) => From(s).AlertsAsync(p, ct));
        var refund = new Command("refund", "record the refund (in fen) of a complaint about a charge; sent with the resolved update") { Reference, Fen };
        CliSession.SetAction(refund, (p, s, ct) => From(s).RefundAsync(p, ct));
        var retry = new Command("retry", "try an update the operator has not received again now (same sequence; later updates of the complaint wait for it)") { Reference, Sequence };
        CliSession.SetAction(retry, (p, s, ct) => RetryAsync(p, s.Services.GetRequiredService<UpdateRetry>(), s.Output, ct));
        command.Add(updates);
        command.Add(alerts);
        command.Add(refund);
        command.Add(retry);
        return command;
    }

    private static OperatorCommands From(CliSession s) => new(
        s.Services.GetRequiredService<TicketService>(), s.Services.GetRequiredService<AlertStore>(), s.Services.GetRequiredService<ComplaintRefunds>(), s.Time, s.Output);

    private async Task<int> UpdatesAsync(ParseResult a, CancellationToken cancellationToken)
    {
        var id = TicketService.ParseReference(a.GetValue(Reference)!);
        var updates = tickets.Database.Read(c => UpdateOutbox.ForTicket(c, null, id));
        if (a.GetValue(JsonOption))
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

    private async Task<int> AlertsAsync(ParseResult a, CancellationToken cancellationToken)
    {
        // The alerts of the one alert mechanism that concern the exchange, with the operator of their complaint.
        var alerts = alertStore.ListKinds([AlertKinds.Urge, AlertKinds.UndeliveredUpdate], 200);
        var operators = tickets.Database.Read(c => alerts.Select(x => x.TicketId).Distinct()
            .ToDictionary(t => t, t => TicketSql.Find(c, null, t)?.Operator?.OperatorId ?? "-"));
        if (a.GetValue(JsonOption))
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

    private static async Task<int> RetryAsync(ParseResult a, UpdateRetry retry, TextWriter output, CancellationToken cancellationToken)
    {
        var reference = a.GetValue(Reference)!;
        var sequenceText = a.GetValue(Sequence)!;
        if (!long.TryParse(sequenceText, NumberStyles.None, CultureInfo.InvariantCulture, out var sequence) || sequence < 1)
        {
            throw new CliException($"operator retry: '{sequenceText}' is not an update sequence (a whole number from 'operator updates {reference}').");
        }

        var u = await retry.RetryAsync(reference, sequence, Actor, cancellationToken);
        output.WriteLine($"{TicketReference.Format(u.TicketId)}: update {u.Sequence} ({Names.Of(u.Kind)}) to operator {u.OperatorId} queued for an attempt now.");
        return 0;
    }

    private async Task<int> RefundAsync(ParseResult a, CancellationToken cancellationToken)
    {
        var reference = a.GetValue(Reference)!;
        var fenText = a.GetValue(Fen)!;
        if (!long.TryParse(fenText, NumberStyles.None, CultureInfo.InvariantCulture, out var fen) || fen is <= 0 or > ComplaintRefunds.MaxFen)
        {
            throw new CliException($"operator refund: '{fenText}' is not an amount in fen (a whole number from 1 to {ComplaintRefunds.MaxFen}).");
        }

        await refunds.RecordAsync(reference, fen, Actor, cancellationToken);
        output.WriteLine($"{reference}: refund of {fen / 100m:0.00} yuan recorded; it is sent with the resolved update.");
        return 0;
    }
}
