using System.CommandLine;
using System.Globalization;
using System.Text.Json.Nodes;
using TicketGateway.OperatorGateway.Complaints;
using TicketGateway.Tickets;
using TicketGateway.Tickets.Calls;
using TicketGateway.Tickets.Replies;

namespace TicketGateway.OperatorGateway.Cli;

/// <summary><c>ticketgw tickets ...</c>: record, list, show and change tickets.</summary>
internal sealed class TicketCommands(TicketService tickets, TimeFormat time, TextWriter output, PhoneContacts? phone = null)
{
    // The resolved actor of this command (--as, TICKETGW_AS, else cli:<os user>); static so static and instance members use it alike.
    private static string Actor => CliActor.Current;

    private static readonly Option<bool> JsonOption = CliSymbols.Json();

    public static Command Create()
    {
        var tickets = new Command("tickets", "record, list, show and change tickets");
        tickets.Add(CreateCommand());
        tickets.Add(ListCommand());
        tickets.Add(SearchCommands.Create());
        var show = new Command("show", "one ticket with messages and history") { Reference, JsonOption };
        CliSession.SetAction(show, (p, s) => From(s).Show(p));
        tickets.Add(show);

        var text = CliSymbols.Value("--text", "T", "the resolution text (required)");
        var resolve = new Command("resolve", "resolve with a resolution text") { Reference, text, JsonOption };
        CliSession.SetAction(resolve, async (p, s, ct) =>
        {
            var commands = From(s);
            var t = await commands.Tickets.ResolveAsync(p.GetValue(Reference)!, p.Required(text), Actor, ct);
            return commands.Print(p, t, $"{t.Ref} resolved at {s.Time.Format(t.ResolvedAt)}.");
        });
        tickets.Add(resolve);

        var levelArgument = CliSymbols.Argument("N", "the level (1-4)");
        var level = new Command("level", "change a complaint's level; the deadline is recomputed from acceptance") { Reference, levelArgument, JsonOption };
        CliSession.SetAction(level, async (p, s, ct) =>
        {
            var levelText = p.GetValue(levelArgument)!;
            if (!int.TryParse(levelText, NumberStyles.None, CultureInfo.InvariantCulture, out var n))
            {
                throw new CliException($"tickets level: '{levelText}' is not a level; levels are 1, 2, 3 and 4.");
            }

            var commands = From(s);
            var t = await commands.Tickets.SetLevelAsync(p.GetValue(Reference)!, n, Actor, ct);
            return commands.Print(p, t, $"{t.Ref} is level {t.Level}, to be resolved by {s.Time.Format(t.ResolveDueAt)}.");
        });
        tickets.Add(level);

        var statusArgument = CliSymbols.Argument("STATUS", "the status (open, pending, closed)");
        var status = new Command("status", "move a ticket (open, pending or closed); open on a resolved or closed ticket reopens it") { Reference, statusArgument, JsonOption };
        CliSession.SetAction(status, async (p, s, ct) =>
        {
            var statusText = p.GetValue(statusArgument)!;
            if (!Names.TryParse<TicketStatus>(statusText, out var value))
            {
                throw new CliException($"tickets status: '{statusText}' is not a status; use one of {Names.All<TicketStatus>()}.");
            }

            var commands = From(s);
            var t = await commands.Tickets.SetStatusAsync(p.GetValue(Reference)!, value, Actor, ct);
            return commands.Print(p, t, $"{t.Ref} is {Names.Of(t.Status)}.");
        });
        tickets.Add(status);
        var kindArgument = CliSymbols.Argument("KIND", "the kind (inquiry, fee, report, complaint)");
        var kindLevel = CliSymbols.Value("--level", "1-4", "the level when it becomes a complaint (default 1, or the level it had)");
        var kind = new Command("kind", "change what a ticket is about; its deadlines become those of the new kind, from acceptance (operator complaints stay complaints)") { Reference, kindArgument, kindLevel, JsonOption };
        CliSession.SetAction(kind, async (p, s, ct) =>
        {
            var value = Parse<TicketKind>(p.GetValue(kindArgument)!, "tickets kind");
            int? n = null;
            if (p.GetValue(kindLevel) is { } levelText)
            {
                n = int.TryParse(levelText, NumberStyles.None, CultureInfo.InvariantCulture, out var l)
                    ? l
                    : throw new CliException($"tickets kind: --level '{levelText}' is not a level; levels are 1, 2, 3 and 4.");
            }

            var commands = From(s);
            var t = await commands.Tickets.SetKindAsync(p.GetValue(Reference)!, value, n, Actor, ct);
            return commands.Print(p, t, $"{t.Ref} is {Names.Of(t.Kind)}{(t.Level is { } tl ? $" level {tl}" : "")}; reply due {s.Time.Format(t.ReplyDueAt)}"
                + (t.ResolveDueAt is { } due ? $", resolve due {s.Time.Format(due)}." : "."));
        });
        tickets.Add(kind);
        tickets.Add(PhoneCommands.Satisfaction());
        tickets.Add(OwnerCommands.Assign());
        tickets.Add(OwnerCommands.Take());
        TicketWorkCommands.AddTo(tickets);
        return tickets;
    }

    private static Argument<string> Reference { get; } = CliSymbols.Argument("REF", "the ticket reference");

    private TicketService Tickets => tickets;

    private static TicketCommands From(CliSession s) => new(s.Services.GetRequiredService<TicketService>(), s.Time, s.Output, s.Services.GetRequiredService<PhoneContacts>());

    private static readonly Option<string?> Channel = CliSymbols.Value("--channel", "email|operator|phone", "the channel (required)");
    private static readonly Option<string?> Kind = CliSymbols.Value("--kind", "inquiry|fee|report|complaint", "the kind (required)");
    private static readonly Option<string?> Level = CliSymbols.Value("--level", "1-4", "the complaint level");
    private static readonly Option<string?> CustomerName = CliSymbols.Value("--customer-name", "N", "the customer's name");
    private static readonly Option<string?> CustomerEmail = CliSymbols.Value("--customer-email", "E", "the customer's email address");
    private static readonly Option<string?> CustomerPhone = CliSymbols.Value("--customer-phone", "P", "the caller's number (phone tickets need it)");
    private static readonly Option<string?> Subject = CliSymbols.Value("--subject", "S", "the subject (required)");
    private static readonly Option<string?> Text = CliSymbols.Value("--text", "T", "what the customer said (required)");
    private static readonly Option<string?> Language = CliSymbols.Value("--language", "zh-CN|en", "the customer's language (default zh-CN)");
    private static readonly Option<string?> Call = CliSymbols.Value("--call", "UNIQUEID", "the hotline call the phone ticket is created for (the call record's uniqueid); without it a phone ticket is linked to an imported call of the same caller");
    private static readonly Option<string?> Accepted = CliSymbols.Value("--accepted", "ISO8601", "when the contact was accepted, to back-date a call recorded afterwards: " + TimeFormat.Help);
    private static readonly Option<string?> Status = CliSymbols.Value("--status", "S", "only tickets in this status");
    private static readonly Option<string?> ListKind = CliSymbols.Value("--kind", "K", "only tickets of this kind");
    private static readonly Option<string?> ListChannel = CliSymbols.Value("--channel", "C", "only tickets of this channel");
    private static readonly Option<string?> DueWithin = CliSymbols.Value("--due-within", "DURATION", "only tickets whose running deadline falls within this time (2h, 30m, 1d, 1h30m), or is past");
    private static readonly Option<string?> Limit = CliSymbols.Value("--limit", "N", "at most N tickets");
    private static readonly Option<string?> ListCustomer = CliSymbols.Value("--customer", "EMAIL|PHONE", "only this customer's tickets (a phone number however written: +86 138 0013 8000, 13800138000)");
    private static readonly Option<string?> Owner = CliSymbols.Value("--owner", "LOGIN|none", "only tickets this agent owns, or (none) nobody owns");

    private static Command CreateCommand()
    {
        var create = new Command("create", "record a contact (phone tickets need the caller's number)")
        {
            Channel, Kind, Level, CustomerName, CustomerEmail, CustomerPhone, Subject, Text, Language, Accepted, Call, JsonOption,
        };
        CliSession.SetAction(create, (p, s, ct) => From(s).CreateAsync(p, ct));
        return create;
    }

    private static Command ListCommand()
    {
        var list = new Command("list", "tickets as a table or JSON array, nearest running deadline first") { Status, ListKind, ListChannel, DueWithin, Limit, Owner, JsonOption, ListCustomer };
        CliSession.SetAction(list, (p, s) => From(s).List(p));
        return list;
    }

    private async Task<int> CreateAsync(ParseResult a, CancellationToken cancellationToken)
    {
        var channel = Parse<Tickets.Channel>(a.Required(Channel), "--channel");
        var kind = Parse<TicketKind>(a.Required(Kind), "--kind");
        int? level = null;
        if (a.GetValue(Level) is { } levelText)
        {
            level = int.TryParse(levelText, NumberStyles.None, CultureInfo.InvariantCulture, out var l)
                ? l
                : throw new CliException($"tickets create: --level '{levelText}' is not a level; levels are 1, 2, 3 and 4.");
        }

        var language = a.GetValue(Language) ?? "zh-CN";
        if (language is not ("zh-CN" or "en"))
        {
            throw new CliException($"tickets create: --language '{language}' is not supported; use zh-CN or en.");
        }

        var accepted = a.GetValue(Accepted) is { } acceptedText ? time.Parse(acceptedText, "tickets create --accepted") : (DateTimeOffset?)null;
        var request = new NewTicket(
            channel,
            kind,
            new Customer(a.GetValue(CustomerName), a.GetValue(CustomerEmail), a.GetValue(CustomerPhone)),
            a.Required(Subject),
            a.Required(Text),
            level,
            language,
            accepted);
        if (a.GetValue(Call) is not null && channel != TicketGateway.Tickets.Channel.Phone)
        {
            throw new CliException("tickets create: --call is for phone tickets (--channel phone).");
        }

        // Phone tickets go through the hotline's service, which links them to their call.
        var (ticket, call) = channel == TicketGateway.Tickets.Channel.Phone && phone is not null
            ? await phone.CreateAsync(request, a.GetValue(Call), Actor, cancellationToken)
            : (await tickets.CreateAsync(request, Actor, cancellationToken), null);
        // Automatic assignment (Desk:AutoAssign) may have given it an owner in the same transaction.
        ticket = tickets.Get(ticket.Ref).Ticket;
        return Print(a, ticket, $"{ticket.Ref} created; reply due {time.Format(ticket.ReplyDueAt)}"
            + (ticket.ResolveDueAt is { } due ? $", resolve due {time.Format(due)}." : ".")
            + (call is null ? "" : $" Call {call}."));
    }

    private static string Customer(string value) =>
        value.Contains('@', StringComparison.Ordinal) || PhoneNumber.LooksLikeOne(value)
            ? value
            : throw new CliException($"tickets list: --customer '{value}' is neither an email address nor a phone number (at least 7 digits).");

    private int List(ParseResult a)
    {
        var limit = 10_000;
        if (a.GetValue(Limit) is { } limitText && (!int.TryParse(limitText, NumberStyles.None, CultureInfo.InvariantCulture, out limit) || limit < 1))
        {
            throw new CliException($"tickets list: --limit '{limitText}' is not a positive whole number.");
        }

        var query = new TicketQuery(
            a.GetValue(Status) is { } s ? Parse<TicketStatus>(s, "--status") : null,
            a.GetValue(ListKind) is { } k ? Parse<TicketKind>(k, "--kind") : null,
            a.GetValue(ListChannel) is { } c ? Parse<Tickets.Channel>(c, "--channel") : null,
            limit,
            a.GetValue(DueWithin) is { } within ? TimeProvider.System.GetUtcNow() + Durations.Parse(within, "tickets list --due-within") : null,
            a.GetValue(ListCustomer) is { } customer ? Customer(customer) : null)
        {
            Owner = a.GetValue(Owner) is { } owner ? (owner.Trim().Equals("none", StringComparison.OrdinalIgnoreCase) ? TicketQuery.Unowned : owner.Trim().ToLowerInvariant()) : null,
        };
        var list = tickets.List(query);
        if (a.GetValue(JsonOption))
        {
            output.WriteLine(TicketJson.Write(new JsonArray([.. list.Select(t => (JsonNode)TicketJson.Ticket(t, time))])));
            return 0;
        }

        var table = new TextTable("REF", "CHANNEL", "KIND", "LEVEL", "STATUS", "NEXT DUE", "OWNER", "CUSTOMER", "SUBJECT");
        foreach (var t in list)
        {
            table.Add(
                t.Ref,
                Names.Of(t.Channel),
                Names.Of(t.Kind),
                t.Level?.ToString(CultureInfo.InvariantCulture) ?? "-",
                Names.Of(t.Status),
                time.Format(t.NextDueAt) ?? "-",
                t.Owner ?? "-",
                t.Customer.Email ?? t.Customer.Phone ?? t.Customer.Name ?? "-",
                t.Subject.Length > 60 ? t.Subject[..57] + "..." : t.Subject);
        }

        output.Write(table.ToString());
        output.WriteLine($"{list.Count} ticket(s).");
        return 0;
    }

    private int Show(ParseResult a)
    {
        var details = tickets.Get(a.GetValue(Reference)!);
        var t = details.Ticket;
        // What the operator filed beside the ticket: agents need the category and service code to work a complaint.
        var complaint = t.Operator is null ? null : tickets.Database.Read(c => ComplaintSql.ForTicket(c, null, t.Id));
        var files = TicketFilesView.Read(tickets, details);
        var call = t.Channel == TicketGateway.Tickets.Channel.Phone ? tickets.Database.Read(c => CallLinks.OfTicket(c, t.Id)) : null;
        if (a.GetValue(JsonOption))
        {
            var json = TicketJson.Details(details, time);
            files.AddTo(json, details);
            json["call"] = call is null ? null : TicketJson.Call(call, time);
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
        output.WriteLine($"  owner      {t.Owner ?? "-"}");
        output.WriteLine($"  accepted   {time.Format(t.AcceptedAt)}");
        output.WriteLine($"  reply due  {time.Format(t.ReplyDueAt)}   first reply {time.Format(t.FirstReplyAt) ?? "-"}");
        output.WriteLine($"  resolve by {time.Format(t.ResolveDueAt) ?? "-"}   resolved {time.Format(t.ResolvedAt) ?? "-"}");
        if (t.Operator is { } o)
        {
            output.WriteLine($"  operator   {o.OperatorId} order {o.OrderId}" + (complaint is null ? "" : $", category {complaint.Category}, service {complaint.ServiceCode}"));
        }

        if (call is not null)
        {
            output.WriteLine($"  call       {call.Key} ({(call.LinkedBy == "agent" ? "created for it" : "same caller, linked by " + call.LinkedBy)})"
                + (call.Call is { } cdr
                    ? $", caller {cdr.Caller ?? "-"}, started {time.Format(cdr.StartedAt)}, {(cdr.AnsweredAt is { } answered ? "answered " + time.Format(answered) : "not answered")}, {cdr.Disposition}"
                    : ", not imported from the switch yet"));
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

        foreach (var line in files.TicketLines(details))
        {
            output.WriteLine(line);
        }

        output.WriteLine();
        output.WriteLine("Messages:");
        foreach (var m in details.Messages)
        {
            output.WriteLine($"  [{time.Format(m.At)}] {Names.Of(m.Direction)}{(m.Direction == MessageDirection.Note ? " (internal, never sent)" : "")} {m.From} -> {m.To}{(m.Automatic ? " (automatic)" : "")}");
            foreach (var line in m.Text.Split('\n'))
            {
                output.WriteLine("    " + line.TrimEnd('\r'));
            }

            foreach (var line in files.Lines(m))
            {
                output.WriteLine(line);
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

    private int Print(ParseResult a, Ticket t, string line)
    {
        output.WriteLine(a.GetValue(JsonOption) ? TicketJson.Write(TicketJson.Ticket(t, time)) : line);
        return 0;
    }

    private static T Parse<T>(string text, string option)
        where T : struct, Enum =>
        Names.TryParse<T>(text, out var value) ? value : throw new CliException($"{option}: '{text}' is not one of {Names.All<T>()}.");
}
