using System.Data.Common;
using TicketGateway.Tickets.Calls;
using TicketGateway.Tickets.Storage;

namespace TicketGateway.Tickets.Replies;

/// <summary>
/// What happens on the hotline, recorded so that phone contacts count like the others: a ticket
/// created for a call (linked to it), an answer given on the phone (the ticket's first reply, nothing
/// mailed), and what the customer said about the handling (the same satisfaction the mail survey records).
/// </summary>
public sealed class PhoneContacts
{
    private readonly TicketService _tickets;
    private readonly SurveyAnswers _surveys;
    private readonly TimeProvider _time;

    internal PhoneContacts(TicketService tickets, SurveyAnswers surveys, TimeProvider time)
    {
        _tickets = tickets;
        _surveys = surveys;
        _time = time;
    }

    /// <summary>
    /// Creates a ticket; a phone ticket is linked to <paramref name="call"/> (Asterisk's uniqueid,
    /// imported or not yet), or else to an imported call of the same caller whose time holds the
    /// ticket's acceptance (see <see cref="CallLinks"/>). Returns the ticket and the call's key, if linked.
    /// </summary>
    /// <exception cref="TicketException">The request is invalid, or names a call for a ticket that is not a phone ticket.</exception>
    public Task<(Ticket Ticket, string? CallKey)> CreateAsync(NewTicket request, string? call, string actor, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(request);
        if (call is not null && request.Channel != Channel.Phone)
        {
            throw new TicketException(TicketError.Invalid, $"Only a phone ticket comes from a call; this ticket's channel is {Names.Of(request.Channel)}.");
        }

        if (call is not null && string.IsNullOrWhiteSpace(call))
        {
            throw new TicketException(TicketError.Invalid, "The call id is empty; give the call's uniqueid as the call records show it.");
        }

        var prepared = _tickets.Prepare(request);
        var named = call is null ? null : CallLinks.Key(call);
        return _tickets.Database.WriteAsync((c, tx) =>
        {
            var ticket = _tickets.Insert(c, tx, prepared, request.Text, actor);
            var now = _time.GetUtcNow();
            if (named is not null)
            {
                CallLinks.Link(c, tx, ticket.Id, named, "agent", actor, now);
                return (ticket, (string?)named);
            }

            return (ticket, CallLinks.LinkToImportedCall(c, tx, ticket, now));
        }, cancellationToken);
    }

    /// <summary>
    /// Records an answer an agent gave on the phone, in the caller's transaction: an outbound message
    /// to the caller's number, the agent as owner of a ticket nobody owned, and, when the ticket had none, its first reply (now), which the
    /// timely-reply indicators count like a mail that reached the customer. Nothing is mailed; on an
    /// operator complaint the answer goes to the operator as a progress update, like any agent answer.
    /// </summary>
    /// <exception cref="TicketException">No such ticket, or an empty text.</exception>
    public Ticket ReplyByPhone(DbConnection connection, DbTransaction transaction, long ticketId, string text, string actor)
    {
        var ticket = TicketSql.Find(connection, transaction, ticketId) ?? throw TicketException.NotFound(TicketReference.Format(ticketId));
        if (string.IsNullOrWhiteSpace(text))
        {
            throw new TicketException(TicketError.Invalid, "An answer given on the phone needs a text saying what the customer was told.");
        }

        // An agent answering a ticket nobody owns becomes its owner, as with an answer by mail.
        Agents.TicketOwnership.ClaimOnReply(_tickets, connection, transaction, ticket.Id, actor);
        var now = _time.GetUtcNow();
        var to = ticket.Customer.Phone is { } phone ? "phone " + phone : "phone";
        _tickets.AddMessage(connection, transaction, ticket.Id, new TicketMessage(
            0, MessageDirection.Outbound, now, actor, to, ticket.Subject, text.Trim(), null, Automatic: false), actor, "answer given on the phone");
        return _tickets.RecordFirstReply(connection, transaction, ticket.Id, now, actor, "answered on the phone");
    }

    /// <summary>
    /// Records whether the customer said on the phone they were satisfied with the handling of a
    /// resolved ticket. The rule of the mail survey applies: an unsatisfied complaint is reopened and
    /// its repeat complaint opened (see <see cref="SurveyAnswers.RecordSurveyAnswer"/>). Operator
    /// complaints are refused: the operator reports their satisfaction through the exchange.
    /// Returns the ticket and the repeat complaint, if one was opened.
    /// </summary>
    /// <exception cref="TicketException">No such ticket, an operator complaint, or a ticket not resolved.</exception>
    public Task<(Ticket Ticket, Ticket? Repeat)> RecordSatisfactionAsync(string reference, Satisfaction answer, string? text, string actor, CancellationToken cancellationToken = default)
    {
        if (answer == Satisfaction.None)
        {
            throw new TicketException(TicketError.Invalid, "Record satisfied or unsatisfied.");
        }

        var id = TicketService.ParseReference(reference);
        return _tickets.Database.WriteAsync((c, tx) =>
        {
            var ticket = TicketSql.Find(c, tx, id) ?? throw TicketException.NotFound(reference);
            if (ticket.Operator is not null)
            {
                throw new TicketException(TicketError.Conflict, $"{ticket.Ref} is an operator complaint; the operator reports its subscriber's satisfaction through the exchange.");
            }

            if (ticket.Status is not (TicketStatus.Resolved or TicketStatus.Closed))
            {
                throw new TicketException(TicketError.Conflict, $"{ticket.Ref} is {Names.Of(ticket.Status)}; satisfaction is recorded once it is resolved.");
            }

            var said = string.IsNullOrWhiteSpace(text) ? $"{Names.Of(answer)} (said on the phone)" : text.Trim();
            var repeat = _surveys.RecordSurveyAnswer(c, tx, id, answer, said, actor, "said on the phone");
            return (TicketSql.Find(c, tx, id)!, repeat);
        }, cancellationToken);
    }
}
