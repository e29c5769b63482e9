using System.Data.Common;
using System.Text;

namespace TicketGateway.Tickets.Storage;

/// <summary>
/// The SQL that reads and writes tickets, messages and history on a given connection and
/// transaction, so that other features (mail intake, the operator exchange) can make a ticket
/// change part of their own transaction.
/// </summary>
public static class TicketSql
{
    private const string Columns = """
        id, channel, kind, level, status, customer_name, customer_email, customer_phone, subject,
        language, accepted_at, first_reply_at, resolved_at, reply_due_at, resolve_due_at,
        satisfaction, repeat_of, operator_id, operator_order_id, resolution, owner
        """;

    // Ticket.NextDueAt in SQL, so "nearest deadline first" holds under LIMIT: open tickets by the
    // deadline still running, finished ones last. CASE rather than MIN/LEAST keeps it portable.
    // Schema step 591 indexes this very expression: change both or neither.
    private const string NextDue = """
        (CASE WHEN status IN ('resolved', 'closed') THEN NULL
              WHEN first_reply_at IS NOT NULL THEN resolve_due_at
              WHEN resolve_due_at IS NOT NULL AND resolve_due_at < reply_due_at THEN resolve_due_at
              ELSE reply_due_at END)
        """;

    private const string FindSql = $"SELECT {Columns} FROM tickets WHERE id = @id";

    /// <summary>Inserts a ticket (its <c>Id</c> is ignored) and returns it with its new id.</summary>
    public static Ticket Insert(DbConnection connection, DbTransaction transaction, Ticket ticket, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(ticket);
        var command = CommandCache.Get(connection, transaction, InsertSql, Parameters(ticket, now));
        var id = (long)command.ExecuteScalar()!;
        return ticket with { Id = id };
    }

    /// <summary>
    /// Writes back the columns in which <paramref name="after"/> differs from <paramref name="before"/> (the
    /// ticket as read in this transaction), and <c>updated_at</c>. Untouched columns keep their index entries
    /// (a first reply used to rewrite all of them), and a column another node changed since the read stays as
    /// that node wrote it.
    /// </summary>
    public static void Update(DbConnection connection, DbTransaction transaction, Ticket before, Ticket after, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(before);
        ArgumentNullException.ThrowIfNull(after);
        var old = Parameters(before, now);
        var current = Parameters(after, now);
        var sql = new StringBuilder("UPDATE tickets SET updated_at = @now");
        var parameters = new List<(string, object?)>(4) { ("@now", now.ToDb()) };
        for (var i = 0; i < current.Length; i++)
        {
            var (name, value) = current[i];
            if (name != "@now" && !Equals(old[i].Item2, value))
            {
                sql.Append(", ").Append(Written[i].Column).Append(" = ").Append(name);
                parameters.Add((name, value));
            }
        }

        parameters.Add(("@id", after.Id));
        CommandCache.Execute(connection, transaction, sql.Append(" WHERE id = @id").ToString(), [.. parameters]);
    }

    /// <summary>Reads one ticket, or null.</summary>
    public static Ticket? Find(DbConnection connection, DbTransaction? transaction, long id)
    {
        // Inside the writer's transaction the prepared command is reused; plain reads use their own.
        if (transaction is not null)
        {
            using var cached = CommandCache.Get(connection, transaction, FindSql, ("@id", id)).ExecuteReader();
            return cached.Read() ? ReadTicket(cached) : null;
        }

        using var command = connection.Command(FindSql, null, ("@id", id));
        using var reader = command.ExecuteReader();
        return reader.Read() ? ReadTicket(reader) : null;
    }

    /// <summary>Reads tickets matching a query, nearest deadline first.</summary>
    public static IReadOnlyList<Ticket> List(DbConnection connection, TicketQuery query)
    {
        ArgumentNullException.ThrowIfNull(query);
        var where = new List<string>();
        var parameters = new List<(string, object?)>();
        if (query.Status is { } status)
        {
            where.Add("status = @status");
            parameters.Add(("@status", Names.Of(status)));
        }

        if (query.Kind is { } kind)
        {
            where.Add("kind = @kind");
            parameters.Add(("@kind", Names.Of(kind)));
        }

        if (query.Level is { } level)
        {
            where.Add("level = @level");
            parameters.Add(("@level", level));
        }

        if (query.Channel is { } channel)
        {
            where.Add("channel = @channel");
            parameters.Add(("@channel", Names.Of(channel)));
        }

        if (query.DueBefore is { } dueBefore)
        {
            where.Add($"{NextDue} <= @dueBefore");
            parameters.Add(("@dueBefore", dueBefore.ToDb()));
        }

        if (query.Customer is { } customer)
        {
            where.Add(CustomerCondition(customer, parameters));
        }

        if (query.Owner is { } owner)
        {
            where.Add(owner.Length == 0 ? "owner IS NULL" : "owner = @owner");
            parameters.Add(("@owner", owner));
        }

        if (query.Running)
        {
            // A running deadline is what makes a ticket running: the index of step 591 is read in order from here.
            where.Add($"{NextDue} IS NOT NULL");
        }

        var sql = $"SELECT {Columns} FROM tickets"
            + (where.Count > 0 ? " WHERE " + string.Join(" AND ", where) : "")
            + (query.Running ? $" ORDER BY {NextDue}, id" : $" ORDER BY {NextDue} IS NULL, {NextDue}, id")
            + " LIMIT @limit";
        parameters.Add(("@limit", query.Limit));
        using var command = connection.Command(sql, null, [.. parameters]);
        using var reader = command.ExecuteReader();
        var tickets = new List<Ticket>();
        while (reader.Read())
        {
            tickets.Add(ReadTicket(reader));
        }

        return tickets;
    }

    // By email, or by every stored form of the number, so the lookup uses the customer indexes (step 402).
    private static string CustomerCondition(string customer, List<(string, object?)> parameters)
    {
        if (customer.Contains('@', StringComparison.Ordinal))
        {
            parameters.Add(("@customer0", customer.Trim()));
            parameters.Add(("@customer1", customer.Trim().ToLowerInvariant()));
            return "customer_email IN (@customer0, @customer1)";
        }

        var forms = PhoneNumber.StoredForms(customer);
        parameters.AddRange(forms.Select((f, i) => ($"@customer{i}", (object?)f)));
        return $"customer_phone IN ({string.Join(", ", forms.Select((_, i) => $"@customer{i}"))})";
    }

    /// <summary>Adds a message to a ticket, recorded by <paramref name="actor"/> (who wrote or took it in), and returns its id.</summary>
    public static long InsertMessage(DbConnection connection, DbTransaction transaction, long ticketId, TicketMessage message, string actor)
    {
        ArgumentNullException.ThrowIfNull(message);
        // Prepared once per writer connection (CommandCache): a new command per call would be prepared
        // again each time, and one left undisposed slows every later command of the connection.
        return (long)CommandCache.Scalar(
            connection,
            transaction,
            """
            INSERT INTO messages (ticket_id, direction, at, from_addr, to_addr, subject, body_text, message_id, automatic, actor)
            VALUES (@t, @d, @at, @from, @to, @subject, @text, @mid, @auto, @actor)
            RETURNING id
            """,
            ("@t", ticketId),
            ("@d", Names.Of(message.Direction)),
            ("@at", message.At.ToDb()),
            ("@from", message.From),
            ("@to", message.To),
            ("@subject", message.Subject),
            ("@text", message.Text),
            ("@mid", message.MessageId),
            ("@auto", message.Automatic ? 1 : 0),
            ("@actor", actor))!;
    }

    /// <summary>Appends a history line; history rows are never changed afterwards.</summary>
    public static void AppendHistory(DbConnection connection, DbTransaction transaction, long ticketId, DateTimeOffset at, string actor, string action, string detail) =>
        CommandCache.Defer(
            connection,
            transaction,
            "INSERT INTO history (ticket_id, at, actor, action, detail) VALUES (@t, @at, @actor, @action, @detail)",
            ("@t", ticketId),
            ("@at", at.ToDb()),
            ("@actor", actor),
            ("@action", action),
            ("@detail", detail));

    /// <summary>The messages of a ticket, oldest first.</summary>
    public static IReadOnlyList<TicketMessage> Messages(DbConnection connection, long ticketId)
    {
        using var command = connection.Command(
            "SELECT id, direction, at, from_addr, to_addr, subject, body_text, message_id, automatic FROM messages WHERE ticket_id = @t ORDER BY at, id",
            null,
            ("@t", ticketId));
        using var reader = command.ExecuteReader();
        var list = new List<TicketMessage>();
        while (reader.Read())
        {
            list.Add(new TicketMessage(
                reader.GetInt64(0),
                Names.Parse<MessageDirection>(reader.GetString(1)),
                reader.Instant(2),
                reader.StringOrNull(3),
                reader.StringOrNull(4),
                reader.StringOrNull(5),
                reader.GetString(6),
                reader.StringOrNull(7),
                reader.GetInt64(8) != 0));
        }

        return list;
    }

    /// <summary>The history of a ticket, oldest first.</summary>
    public static IReadOnlyList<HistoryEntry> History(DbConnection connection, long ticketId)
    {
        using var command = connection.Command("SELECT id, at, actor, action, detail FROM history WHERE ticket_id = @t ORDER BY id", null, ("@t", ticketId));
        using var reader = command.ExecuteReader();
        var list = new List<HistoryEntry>();
        while (reader.Read())
        {
            list.Add(new HistoryEntry(reader.GetInt64(0), reader.Instant(1), reader.GetString(2), reader.GetString(3), reader.GetString(4)));
        }

        return list;
    }

    // The columns an insert writes and an update may write, with the parameter Parameters gives each, in its order.
    private static readonly (string Column, string Parameter)[] Written =
    [
        ("channel", "@channel"), ("kind", "@kind"), ("level", "@level"), ("status", "@status"),
        ("customer_name", "@cname"), ("customer_email", "@cemail"), ("customer_phone", "@cphone"),
        ("subject", "@subject"), ("language", "@language"), ("accepted_at", "@accepted"),
        ("first_reply_at", "@first"), ("resolved_at", "@resolved"), ("reply_due_at", "@replyDue"),
        ("resolve_due_at", "@resolveDue"), ("satisfaction", "@satisfaction"), ("repeat_of", "@repeatOf"),
        ("operator_id", "@opId"), ("operator_order_id", "@opOrder"), ("resolution", "@resolution"),
        ("updated_at", "@now"), ("owner", "@owner"),
    ];

    private static readonly string InsertSql =
        $"INSERT INTO tickets ({string.Join(", ", Written.Select(w => w.Column))}) VALUES ({string.Join(", ", Written.Select(w => w.Parameter))}) RETURNING id";

    private static (string, object?)[] Parameters(Ticket t, DateTimeOffset now) =>
    [
        ("@channel", Names.Of(t.Channel)),
        ("@kind", Names.Of(t.Kind)),
        ("@level", t.Level),
        ("@status", Names.Of(t.Status)),
        ("@cname", t.Customer.Name),
        ("@cemail", t.Customer.Email),
        ("@cphone", t.Customer.Phone),
        ("@subject", t.Subject),
        ("@language", t.Language),
        ("@accepted", t.AcceptedAt.ToDb()),
        ("@first", t.FirstReplyAt.ToDb()),
        ("@resolved", t.ResolvedAt.ToDb()),
        ("@replyDue", t.ReplyDueAt.ToDb()),
        ("@resolveDue", t.ResolveDueAt.ToDb()),
        ("@satisfaction", Names.Of(t.Satisfaction)),
        ("@repeatOf", t.RepeatOf),
        ("@opId", t.Operator?.OperatorId),
        ("@opOrder", t.Operator?.OrderId),
        ("@resolution", t.Resolution),
        ("@now", now.ToDb()),
        ("@owner", t.Owner),
    ];

    private static Ticket ReadTicket(DbDataReader r) => new()
    {
        Id = r.GetInt64(0),
        Channel = Names.Parse<Channel>(r.GetString(1)),
        Kind = Names.Parse<TicketKind>(r.GetString(2)),
        Level = r.IsDBNull(3) ? null : r.GetInt32(3),
        Status = Names.Parse<TicketStatus>(r.GetString(4)),
        Customer = new Customer(r.StringOrNull(5), r.StringOrNull(6), r.StringOrNull(7)),
        Subject = r.GetString(8),
        Language = r.GetString(9),
        AcceptedAt = r.Instant(10),
        FirstReplyAt = r.InstantOrNull(11),
        ResolvedAt = r.InstantOrNull(12),
        ReplyDueAt = r.Instant(13),
        ResolveDueAt = r.InstantOrNull(14),
        Satisfaction = Names.Parse<Satisfaction>(r.GetString(15)),
        RepeatOf = r.Int64OrNull(16),
        Operator = r.IsDBNull(17) ? null : new OperatorReference(r.GetString(17), r.GetString(18)),
        Resolution = r.StringOrNull(19),
        Owner = r.StringOrNull(20),
    };
}
