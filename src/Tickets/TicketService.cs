using System.Globalization;
using System.Text.RegularExpressions;
using System.Data.Common;
using Microsoft.Extensions.Logging;
using TicketGateway.Tickets.Sla;
using TicketGateway.Tickets.Storage;

namespace TicketGateway.Tickets;

/// <summary>
/// The ticket lifecycle: accept, change level or status, resolve, reopen. Every change and its
/// history line are written in one transaction and acknowledged only once committed.
/// </summary>
public sealed partial class TicketService
{
    /// <summary>The longest subject kept.</summary>
    public const int MaxSubjectLength = 500;

    /// <summary>The longest message text kept (characters).</summary>
    public const int MaxTextLength = 1_000_000;

    private readonly TicketDatabase _database;
    private readonly DeadlineCalculator _deadlines;
    private readonly TimeProvider _time;
    private readonly ILogger<TicketService> _logger;
    private readonly ITicketObserver[] _observers;

    /// <summary>Creates the service.</summary>
    public TicketService(TicketDatabase database, DeadlineCalculator deadlines, TimeProvider time, ILogger<TicketService> logger, IEnumerable<ITicketObserver>? observers = null)
    {
        _database = database;
        _deadlines = deadlines;
        _time = time;
        _logger = logger;
        _observers = [.. observers ?? []];
    }

    /// <summary>The store, for features that compose their own transactions.</summary>
    public TicketDatabase Database => _database;

    /// <summary>The deadline rules.</summary>
    public DeadlineCalculator Deadlines => _deadlines;

    /// <summary>Validates and accepts a new contact, computing its deadlines.</summary>
    /// <exception cref="TicketException">The request is invalid.</exception>
    public Task<Ticket> CreateAsync(NewTicket request, string actor, CancellationToken cancellationToken = default)
    {
        var ticket = Prepare(request);
        return _database.WriteAsync((c, tx) => Insert(c, tx, ticket, request.Text, actor), cancellationToken);
    }

    /// <summary>
    /// Validates a new contact and computes its deadlines without storing it, for callers that insert it
    /// inside their own transaction with <see cref="Insert"/>.
    /// </summary>
    public Ticket Prepare(NewTicket request)
    {
        ArgumentNullException.ThrowIfNull(request);
        var now = _time.GetUtcNow();
        var acceptedAt = request.AcceptedAt ?? now;
        if (acceptedAt > now.AddMinutes(5))
        {
            throw new TicketException(TicketError.Invalid, $"The accepted time {acceptedAt:O} is in the future.");
        }

        var subject = request.Subject?.Trim() ?? "";
        if (subject.Length == 0)
        {
            throw new TicketException(TicketError.Invalid, "A ticket needs a subject.");
        }

        if (subject.Length > MaxSubjectLength)
        {
            throw new TicketException(TicketError.Invalid, $"The subject is {subject.Length} characters long; the limit is {MaxSubjectLength}.");
        }

        if ((request.Text?.Length ?? 0) > MaxTextLength)
        {
            throw new TicketException(TicketError.Invalid, $"The text is {request.Text!.Length} characters long; the limit is {MaxTextLength}.");
        }

        var customer = NormaliseCustomer(request.Channel, request.Customer);
        int? level = request.Kind == TicketKind.Complaint ? request.Level ?? 1 : null;
        if (request.Kind != TicketKind.Complaint && request.Level is not null)
        {
            throw new TicketException(TicketError.Invalid, $"Only complaints have a level; this ticket's kind is {Names.Of(request.Kind)}.");
        }

        if (level is < 1 or > 4)
        {
            throw new TicketException(TicketError.Invalid, $"Complaint level {level} does not exist; levels are 1, 2, 3 and 4.");
        }

        var language = request.Language is "en" ? "en" : "zh-CN";
        return new Ticket
        {
            Id = 0,
            Channel = request.Channel,
            Kind = request.Kind,
            Level = level,
            Status = TicketStatus.New,
            Customer = customer,
            Subject = subject,
            Language = language,
            AcceptedAt = acceptedAt,
            ReplyDueAt = _deadlines.ReplyDue(acceptedAt, request.Kind),
            ResolveDueAt = level is { } l ? ResolveDue(acceptedAt, l, subject) : null,
        };
    }

    /// <summary>Inserts a prepared ticket, its first message and its creation history in the caller's transaction.</summary>
    public Ticket Insert(DbConnection connection, DbTransaction transaction, Ticket prepared, string? text, string actor, string? messageId = null, string? from = null, string? to = null, IReadOnlyList<Attachments.NewAttachment>? files = null) =>
        InsertWithFirstMessage(connection, transaction, prepared, text, actor, messageId, from, to, files).Ticket;

    /// <summary>
    /// <see cref="Insert"/>, also giving the row id of the ticket's first message (null when there is no
    /// text): the mail intake records which message a mail became without reading it back.
    /// </summary>
    public (Ticket Ticket, long? MessageRow) InsertWithFirstMessage(DbConnection connection, DbTransaction transaction, Ticket prepared, string? text, string actor, string? messageId = null, string? from = null, string? to = null, IReadOnlyList<Attachments.NewAttachment>? files = null)
    {
        ArgumentNullException.ThrowIfNull(prepared);
        var now = _time.GetUtcNow();
        var ticket = TicketSql.Insert(connection, transaction, prepared, now);
        var detail = string.Create(CultureInfo.InvariantCulture, $"channel={Names.Of(ticket.Channel)} kind={Names.Of(ticket.Kind)}")
            + (ticket.Level is { } l ? $" level={l}" : "")
            + $" replyDueAt={Local(ticket.ReplyDueAt)}"
            + (ticket.ResolveDueAt is { } r ? $" resolveDueAt={Local(r)}" : "");
        TicketSql.AppendHistory(connection, transaction, ticket.Id, now, actor, "created", detail);
        long? messageRow = null;
        if (!string.IsNullOrEmpty(text))
        {
            messageRow = TicketSql.InsertMessage(connection, transaction, ticket.Id, new TicketMessage(
                0, MessageDirection.Inbound, ticket.AcceptedAt, from ?? ticket.Customer.Email ?? ticket.Customer.Phone, to, ticket.Subject, text, messageId, Automatic: false), actor);
        }

        // The files of the first message are stored before the observers run, so the agents' notification lists them.
        foreach (var file in files ?? [])
        {
            TicketGateway.Tickets.Attachments.AttachmentSql.Insert(connection, transaction, ticket.Id, messageRow, file);
        }

        var opening = new TicketOpening(
            messageRow is null ? null : text,
            [.. (files ?? []).Select(f => new TicketGateway.Tickets.Attachments.AttachmentSummary(f.Name, f.ContentType, f.Size, f.Inline, f.DroppedReason))]);
        foreach (var observer in _observers)
        {
            observer.OnCreated(connection, transaction, ticket, opening, actor);
        }

        return (ticket, messageRow);
    }

    /// <summary>One ticket with messages and history.</summary>
    /// <exception cref="TicketException">No such ticket.</exception>
    public TicketDetails Get(string reference)
    {
        var id = ParseReference(reference);
        return _database.Read(c =>
        {
            var ticket = TicketSql.Find(c, null, id) ?? throw TicketException.NotFound(reference);
            return new TicketDetails(ticket, TicketSql.Messages(c, id), TicketSql.History(c, id));
        });
    }

    /// <summary>Tickets matching the query, nearest deadline first.</summary>
    public IReadOnlyList<Ticket> List(TicketQuery query) => _database.Read(c => TicketSql.List(c, query));

    /// <summary>Changes a complaint's level and recomputes its resolution deadline from the accepted time.</summary>
    public Task<Ticket> SetLevelAsync(string reference, int level, string actor, CancellationToken cancellationToken = default)
    {
        if (level is < 1 or > 4)
        {
            throw new TicketException(TicketError.Invalid, $"Complaint level {level} does not exist; levels are 1, 2, 3 and 4.");
        }

        return ChangeAsync(reference, actor, (t, history) =>
        {
            if (t.Kind != TicketKind.Complaint)
            {
                throw new TicketException(TicketError.Conflict, $"{t.Ref} is not a complaint (its kind is {Names.Of(t.Kind)}); only complaints have a level.");
            }

            if (t.Level == level)
            {
                return t;
            }

            var due = ResolveDue(t.AcceptedAt, level, t.Ref);
            history("level", $"level {t.Level} -> {level}; resolveDueAt {Local(t.ResolveDueAt)} -> {Local(due)}");
            return t with { Level = level, ResolveDueAt = due };
        }, cancellationToken);
    }

    /// <summary>Resolves a ticket with a resolution text.</summary>
    public Task<Ticket> ResolveAsync(string reference, string text, string actor, CancellationToken cancellationToken = default)
    {
        if (string.IsNullOrWhiteSpace(text))
        {
            throw new TicketException(TicketError.Invalid, "A resolution needs a text saying how the ticket was resolved.");
        }

        return ChangeAsync(reference, actor, (t, history) =>
        {
            if (t.Status is TicketStatus.Resolved or TicketStatus.Closed)
            {
                throw new TicketException(TicketError.Conflict, $"{t.Ref} is already {Names.Of(t.Status)}; reopen it first.");
            }

            var now = _time.GetUtcNow();
            history("resolved", $"status {Names.Of(t.Status)} -> resolved: {text.Trim()}");
            return t with { Status = TicketStatus.Resolved, ResolvedAt = now, Resolution = text.Trim() };
        }, cancellationToken);
    }

    /// <summary>
    /// Moves a ticket to another status. Resolving goes through <see cref="ResolveAsync"/>, because it needs a text;
    /// <c>open</c> on a resolved or closed ticket reopens it.
    /// </summary>
    public Task<Ticket> SetStatusAsync(string reference, TicketStatus status, string actor, CancellationToken cancellationToken = default)
    {
        if (status == TicketStatus.Resolved)
        {
            throw new TicketException(TicketError.Invalid, "Use resolve (with a text) to resolve a ticket.");
        }

        return ChangeAsync(reference, actor, (t, history) =>
        {
            if (t.Status == status)
            {
                return t;
            }

            if (status == TicketStatus.New)
            {
                throw new TicketException(TicketError.Conflict, $"{t.Ref} cannot go back to new.");
            }

            var reopening = t.Status is TicketStatus.Resolved or TicketStatus.Closed && status is TicketStatus.Open or TicketStatus.Pending;
            history(reopening ? "reopened" : "status", $"status {Names.Of(t.Status)} -> {Names.Of(status)}");
            return reopening ? t with { Status = status, ResolvedAt = null } : t with { Status = status };
        }, cancellationToken);
    }

    /// <summary>
    /// Reads a ticket inside the write transaction, applies <paramref name="change"/>, and writes the
    /// result and its history lines in the same transaction.
    /// </summary>
    public Task<Ticket> ChangeAsync(string reference, string actor, Func<Ticket, Action<string, string>, Ticket> change, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(change);
        var id = ParseReference(reference);
        return _database.WriteAsync((c, tx) => Change(c, tx, id, actor, change), cancellationToken);
    }

    /// <summary>The in-transaction form of <see cref="ChangeAsync"/>.</summary>
    public Ticket Change(DbConnection connection, DbTransaction transaction, long id, string actor, Func<Ticket, Action<string, string>, Ticket> change)
    {
        ArgumentNullException.ThrowIfNull(change);
        var ticket = TicketSql.Find(connection, transaction, id) ?? throw TicketException.NotFound(TicketReference.Format(id));
        var now = _time.GetUtcNow();
        var lines = new List<(string Action, string Detail)>();
        var changed = change(ticket, (action, detail) => lines.Add((action, detail)));
        if (lines.Count == 0 && changed == ticket)
        {
            return ticket;
        }

        TicketSql.Update(connection, transaction, ticket, changed, now);
        foreach (var (action, detail) in lines)
        {
            TicketSql.AppendHistory(connection, transaction, id, now, actor, action, detail);
        }

        foreach (var observer in _observers)
        {
            observer.OnChanged(connection, transaction, ticket, changed, actor);
        }

        return changed;
    }

    /// <summary>
    /// Adds a message to a ticket in the caller's transaction, with a history line saying how it got
    /// there, and tells the observers (<see cref="ITicketObserver.OnMessageAdded"/>).
    /// </summary>
    public long AddMessage(DbConnection connection, DbTransaction transaction, long ticketId, TicketMessage message, string actor, string how)
    {
        ArgumentNullException.ThrowIfNull(message);
        var id = TicketSql.InsertMessage(connection, transaction, ticketId, message, actor);
        var what = message.Direction switch
        {
            MessageDirection.Inbound => $"inbound message from {message.From ?? "-"}",
            MessageDirection.Outbound => $"outbound message to {message.To ?? "-"}",
            _ => "internal note",
        };
        TicketSql.AppendHistory(connection, transaction, ticketId, _time.GetUtcNow(), actor, "message", $"{what} ({how})");
        if (_observers.Length > 0)
        {
            var ticket = TicketSql.Find(connection, transaction, ticketId) ?? throw TicketException.NotFound(TicketReference.Format(ticketId));
            foreach (var observer in _observers)
            {
                observer.OnMessageAdded(connection, transaction, ticket, message with { Id = id }, actor);
            }
        }

        return id;
    }

    /// <summary>
    /// Marks a ticket as a repeat complaint (重复投诉) of another, in the caller's transaction, naming the
    /// rule that recognised it. The first link wins: a ticket already marked keeps its link.
    /// </summary>
    public Ticket MarkRepeat(DbConnection connection, DbTransaction transaction, long ticketId, long repeatOf, string rule, string actor) =>
        Change(connection, transaction, ticketId, actor, (t, history) =>
        {
            if (t.RepeatOf is not null)
            {
                return t;
            }

            history("repeat", $"repeat complaint of {TicketReference.Format(repeatOf)} ({rule})");
            return t with { RepeatOf = repeatOf };
        });

    /// <summary>
    /// Records when the first reply reached the customer; later replies do not move it. A new ticket
    /// becomes open, unless <paramref name="keepStatus"/> (an operator complaint's acceptance
    /// reaching the operator is its first reply, but nobody has worked on it yet).
    /// </summary>
    public Ticket RecordFirstReply(DbConnection connection, DbTransaction transaction, long ticketId, DateTimeOffset at, string actor, string how, bool keepStatus = false) =>
        Change(connection, transaction, ticketId, actor, (t, history) =>
        {
            if (t.FirstReplyAt is not null)
            {
                return t;
            }

            history("first-reply", $"first reply reached the customer at {Local(at)} ({how})");
            return t with { FirstReplyAt = at, Status = t.Status == TicketStatus.New && !keepStatus ? TicketStatus.Open : t.Status };
        });

    /// <summary>Reads a ticket reference, refusing malformed ones with a clear message.</summary>
    public static long ParseReference(string reference) =>
        TicketReference.TryParse(reference, out var id)
            ? id
            : throw new TicketException(TicketError.Invalid, $"'{reference}' is not a ticket reference; references look like TG-000123.");

    /// <summary>An instant as history shows it: ISO 8601 in the desk's zone.</summary>
    public string Local(DateTimeOffset? value) =>
        value is { } v ? TimeZoneInfo.ConvertTime(v, _deadlines.Zone).ToString("yyyy-MM-dd'T'HH:mm:sszzz", CultureInfo.InvariantCulture) : "-";

    private DateTimeOffset ResolveDue(DateTimeOffset acceptedAt, int level, string what)
    {
        var deadline = _deadlines.ResolveDue(acceptedAt, level);
        foreach (var warning in deadline.Warnings)
        {
            Log.DeadlineWarning(_logger, what, warning);
        }

        return deadline.DueAt;
    }

    private static Customer NormaliseCustomer(Channel channel, Customer? customer)
    {
        var name = Clean(customer?.Name);
        var email = Clean(customer?.Email);
        var phone = Clean(customer?.Phone);
        if (phone is not null)
        {
            phone = PhoneNumber.StoredOrNull(phone)
                ?? throw new TicketException(TicketError.Invalid, $"'{phone}' is not a phone number (digits, optionally with a leading +, 3 to 20 of them).");
        }

        if (email is not null && (email.Length > 254 || !email.Contains('@', StringComparison.Ordinal) || email.Any(char.IsWhiteSpace)))
        {
            throw new TicketException(TicketError.Invalid, $"'{email}' is not an email address.");
        }

        switch (channel)
        {
            case Channel.Phone when phone is null:
                throw new TicketException(TicketError.Invalid, "A phone ticket needs the caller's number (--customer-phone); the plan requires it for follow-up.");
            case Channel.Email when email is null:
                throw new TicketException(TicketError.Invalid, "An email ticket needs the customer's email address.");
            case Channel.Operator when phone is null:
                throw new TicketException(TicketError.Invalid, "An operator complaint needs the subscriber's mobile number.");
            default:
                return new Customer(name, email, phone);
        }
    }

    private static string? Clean(string? value) => string.IsNullOrWhiteSpace(value) ? null : value.Trim();
}
