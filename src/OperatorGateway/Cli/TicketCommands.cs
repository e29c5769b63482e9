using System.Globalization;
using System.Text.Json.Nodes;
using TicketGateway.OperatorGateway.Complaints;
using TicketGateway.Tickets;

namespace TicketGateway.OperatorGateway.Cli;

/// <summary><c>ticketgw tickets ...</c>: record, list, show and change tickets.</summary>
internal sealed class TicketCommands(TicketService tickets, TimeFormat time, TextWriter output)
{
    private const string Actor = "cli";

    public async Task<int> RunAsync(string verb, IReadOnlyList<string> rest, CancellationToken cancellationToken)
    {
        switch (verb)
        {
            case "create":
                return await CreateAsync(rest, cancellationToken);
            case "list":
                return List(rest);
            case "show":
                return Show(rest);
            case "resolve":
            {
                var a = CliArgs.Parse("tickets resolve", rest, ["text"], ["json"]);
                a.NoMorePositionals(1);
                var t = await tickets.ResolveAsync(a.Positional(0, "the ticket reference"), a.Required("text"), Actor, cancellationToken);
                return Print(a, t, $"{t.Ref} resolved at {time.Format(t.ResolvedAt)}.");
            }

            case "level":
            {
                var a = CliArgs.Parse("tickets level", rest, [], ["json"]);
                a.NoMorePositionals(2);
                var reference = a.Positional(0, "the ticket reference");
                var levelText = a.Positional(1, "the level (1-4)");
                if (!int.TryParse(levelText, NumberStyles.None, CultureInfo.InvariantCulture, out var level))
                {
                    throw new CliException($"tickets level: '{levelText}' is not a level; levels are 1, 2, 3 and 4.");
                }

                var t = await tickets.SetLevelAsync(reference, level, Actor, cancellationToken);
                return Print(a, t, $"{t.Ref} is level {t.Level}, to be resolved by {time.Format(t.ResolveDueAt)}.");
            }

            case "status":
            {
                var a = CliArgs.Parse("tickets status", rest, [], ["json"]);
                a.NoMorePositionals(2);
                var reference = a.Positional(0, "the ticket reference");
                var statusText = a.Positional(1, "the status (open, pending, closed)");
                if (!Names.TryParse<TicketStatus>(statusText, out var status))
                {
                    throw new CliException($"tickets status: '{statusText}' is not a status; use one of {Names.All<TicketStatus>()}.");
                }

                var t = await tickets.SetStatusAsync(reference, status, Actor, cancellationToken);
                return Print(a, t, $"{t.Ref} is {Names.Of(t.Status)}.");
            }

            default:
                throw new CliException($"tickets: unknown command '{verb}'; use create, list, show, resolve, level or status.");
        }
    }

    private async Task<int> CreateAsync(IReadOnlyList<string> rest, CancellationToken cancellationToken)
    {
        var a = CliArgs.Parse(
            "tickets create",
            rest,
            ["channel", "kind", "level", "customer-name", "customer-email", "customer-phone", "subject", "text", "language", "accepted"],
            ["json"]);
        a.NoMorePositionals(0);
        var channel = Parse<Channel>(a.Required("channel"), "--channel");
        var kind = Parse<TicketKind>(a.Required("kind"), "--kind");
        int? level = null;
        if (a.Optional("level") is { } levelText)
        {
            level = int.TryParse(levelText, NumberStyles.None, CultureInfo.InvariantCulture, out var l)
                ? l
                : throw new CliException($"tickets create: --level '{levelText}' is not a level; levels are 1, 2, 3 and 4.");
        }

        var language = a.Optional("language") ?? "zh-CN";
        if (language is not ("zh-CN" or "en"))
        {
            throw new CliException($"tickets create: --language '{language}' is not supported; use zh-CN or en.");
        }

        var accepted = a.Optional("accepted") is { } acceptedText ? time.Parse(acceptedText, "tickets create --accepted") : (DateTimeOffset?)null;
        var request = new NewTicket(
            channel,
            kind,
            new Customer(a.Optional("customer-name"), a.Optional("customer-email"), a.Optional("customer-phone")),
            a.Required("subject"),
            a.Required("text"),
            level,
            language,
            accepted);
        var ticket = await tickets.CreateAsync(request, Actor, cancellationToken);
        return Print(a, ticket, $"{ticket.Ref} created; reply due {time.Format(ticket.ReplyDueAt)}"
            + (ticket.ResolveDueAt is { } due ? $", resolve due {time.Format(due)}." : "."));
    }

    private int List(IReadOnlyList<string> rest)
    {
        var a = CliArgs.Parse("tickets list", rest, ["status", "kind", "channel", "limit", "due-within"], ["json"]);
        a.NoMorePositionals(0);
        var limit = 10_000;
        if (a.Optional("limit") is { } limitText && (!int.TryParse(limitText, NumberStyles.None, CultureInfo.InvariantCulture, out limit) || limit < 1))
        {
            throw new CliException($"tickets list: --limit '{limitText}' is not a positive whole number.");
        }

        var query = new TicketQuery(
            a.Optional("status") is { } s ? Parse<TicketStatus>(s, "--status") : null,
            a.Optional("kind") is { } k ? Parse<TicketKind>(k, "--kind") : null,
            a.Optional("channel") is { } c ? Parse<Channel>(c, "--channel") : null,
            limit,
            a.Optional("due-within") is { } within ? TimeProvider.System.GetUtcNow() + Durations.Parse(within, "tickets list --due-within") : null);
        var list = tickets.List(query);
        if (a.Flag("json"))
        {
            output.WriteLine(TicketJson.Write(new JsonArray([.. list.Select(t => (JsonNode)TicketJson.Ticket(t, time))])));
            return 0;
        }

        var table = new TextTable("REF", "CHANNEL", "KIND", "LEVEL", "STATUS", "NEXT DUE", "CUSTOMER", "SUBJECT");
        foreach (var t in list)
        {
            table.Add(
                t.Ref,
                Names.Of(t.Channel),
                Names.Of(t.Kind),
                t.Level?.ToString(CultureInfo.InvariantCulture) ?? "-",
                Names.Of(t.Status),
                time.Format(t.NextDueAt) ?? "-",
                t.Customer.Email ?? t.Customer.Phone ?? t.Customer.Name ?? "-",
                t.Subject.Length > 60 ? t.Subject[..57] + "..." : t.Subject);
        }

        output.Write(table.ToString());
        output.WriteLine($"{list.Count} ticket(s).");
        return 0;
    }

    private int Show(IReadOnlyList<string> rest)
    {
        var a = CliArgs.Parse("tickets show", rest, [], ["json"]);
        a.NoMorePositionals(1);
        var details = tickets.Get(a.Positional(0, "the ticket reference"));
        var t = details.Ticket;
        // What the operator filed beside the ticket: agents need the category and service code to work a complaint.
        var complaint = t.Operator is null ? null : tickets.Database.Read(c => ComplaintSql.ForTicket(c, null, t.Id));
        if (a.Flag("json"))
        {
            var json = TicketJson.Details(details, time);
            if (complaint is not null && json["operator"] is JsonObject filed)
            {
                filed["category"] = complaint.Category;
                filed["serviceCode"] = complaint.ServiceCode;
            }

            output.WriteLine(TicketJson.Write(json));
            return 0;
        }

        output.WriteLine($"{t.Ref}  {t.Subject}");
        output.WriteLine($"  channel {Names.Of(t.Channel)}, kind {Names.Of(t.Kind)}{(t.Level is { } l ? $", level {l}" : "")}, status {Names.Of(t.Status)}, language {t.Language}");
        output.WriteLine($"  customer   {t.Customer.Name ?? "-"} <{t.Customer.Email ?? "-"}> {t.Customer.Phone ?? "-"}");
        output.WriteLine($"  accepted   {time.Format(t.AcceptedAt)}");
        output.WriteLine($"  reply due  {time.Format(t.ReplyDueAt)}   first reply {time.Format(t.FirstReplyAt) ?? "-"}");
        output.WriteLine($"  resolve by {time.Format(t.ResolveDueAt) ?? "-"}   resolved {time.Format(t.ResolvedAt) ?? "-"}");
        if (t.Operator is { } o)
        {
            output.WriteLine($"  operator   {o.OperatorId} order {o.OrderId}" + (complaint is null ? "" : $", category {complaint.Category}, service {complaint.ServiceCode}"));
        }

        if (t.RepeatOf is { } r)
        {
            output.WriteLine($"  repeat of  {TicketReference.Format(r)}");
        }

        if (t.Satisfaction != Satisfaction.None)
        {
            output.WriteLine($"  customer is {Names.Of(t.Satisfaction)}");
        }

        if (t.Resolution is { } resolution)
        {
            output.WriteLine($"  resolution {resolution}");
        }

        output.WriteLine();
        output.WriteLine("Messages:");
        foreach (var m in details.Messages)
        {
            output.WriteLine($"  [{time.Format(m.At)}] {Names.Of(m.Direction)} {m.From} -> {m.To}{(m.Automatic ? " (automatic)" : "")}");
            foreach (var line in m.Text.Split('\n'))
            {
                output.WriteLine("    " + line.TrimEnd('\r'));
            }
        }

        output.WriteLine();
        output.WriteLine("History:");
        foreach (var h in details.History)
        {
            output.WriteLine($"  [{time.Format(h.At)}] {h.Actor}: {h.Action} {h.Detail}");
        }

        return 0;
    }

    private int Print(CliArgs a, Ticket t, string line)
    {
        output.WriteLine(a.Flag("json") ? TicketJson.Write(TicketJson.Ticket(t, time)) : line);
        return 0;
    }

    private static T Parse<T>(string text, string option)
        where T : struct, Enum =>
        Names.TryParse<T>(text, out var value) ? value : throw new CliException($"{option}: '{text}' is not one of {Names.All<T>()}.");
}
