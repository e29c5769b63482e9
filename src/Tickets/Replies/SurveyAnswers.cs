using System.Data.Common;
using TicketGateway.Tickets.Storage;

namespace TicketGateway.Tickets.Replies;

/// <summary>The satisfaction survey's answers, by mail (in the intake's transaction) or recorded by an agent.</summary>
public sealed class SurveyAnswers
{
    private readonly TicketService _tickets;
    private readonly AgentNotifier _agents;
    private readonly MailOptions _mail;
    private readonly TimeProvider _time;

    internal SurveyAnswers(TicketService tickets, AgentNotifier agents, MailOptions mail, TimeProvider time)
    {
        _tickets = tickets;
        _agents = agents;
        _mail = mail;
        _time = time;
    }

    /// <summary>
    /// When <paramref name="mail"/> threads into a resolved or closed ticket that was sent the survey
    /// and its first line is an answer (1/2, 满意/不满意, satisfied/unsatisfied), records the answer and
    /// returns true; the intake then does nothing else with the mail (in particular, does not reopen
    /// the ticket). An unsatisfied complaint is reopened and counts as a repeat complaint: see
    /// <see cref="RecordSurveyAnswer"/>. Returns false for anything else.
    /// </summary>
    public bool TryHandleSurveyAnswer(DbConnection connection, DbTransaction transaction, Ticket ticket, IncomingMail mail)
    {
        ArgumentNullException.ThrowIfNull(ticket);
        ArgumentNullException.ThrowIfNull(mail);
        if (ticket.Status is not (TicketStatus.Resolved or TicketStatus.Closed)
            || connection.Scalar("SELECT 1 FROM outbox WHERE ticket_id = @t AND purpose = @p", transaction, ("@t", ticket.Id), ("@p", TemplateNames.Survey)) is null
            || SurveyAnswerParser.Parse(mail.Text) is not { } answer)
        {
            return false;
        }

        var from = mail.From;
        _tickets.AddMessage(connection, transaction, ticket.Id, new TicketMessage(
            0, MessageDirection.Inbound, _time.GetUtcNow(), from, _mail.SupportAddress, MailAddresses.HeaderSafe(mail.Subject), mail.Text, mail.MessageId, Automatic: false),
            "mail", "survey answer");
        RecordSurveyAnswer(connection, transaction, ticket.Id, answer, mail.Text, "mail");
        return true;
    }

    /// <summary>
    /// Records a survey answer on the ticket (history and <see cref="Ticket.Satisfaction"/>); it does
    /// not reopen the ticket, except for an unsatisfied complaint. That one is reopened and a repeat
    /// complaint (重复投诉) is recorded the way the monthly rate counts it: as a new complaint ticket
    /// accepted now, with <c>repeatOf</c> pointing at the original, so "repeat complaints /
    /// (complaints - repeat complaints)" holds with both counted as received complaints. Returns the
    /// repeat ticket, or null.
    /// </summary>
    public Ticket? RecordSurveyAnswer(DbConnection connection, DbTransaction transaction, long ticketId, Satisfaction answer, string text, string actor, string how = "survey answer")
    {
        var ticket = _tickets.Change(connection, transaction, ticketId, actor, (t, history) =>
        {
            history("satisfaction", $"{how}: {Names.Of(answer)}");
            return t with { Satisfaction = answer };
        });
        if (answer != Satisfaction.Unsatisfied || ticket.Kind != TicketKind.Complaint)
        {
            return null;
        }

        _tickets.Change(connection, transaction, ticketId, actor, (t, history) =>
        {
            history("reopened", $"status {Names.Of(t.Status)} -> open: the customer is not satisfied with the handling (repeat complaint)");
            return t with { Status = TicketStatus.Open, ResolvedAt = null };
        });
        var prepared = _tickets.Prepare(new NewTicket(
            ticket.Channel, TicketKind.Complaint, ticket.Customer, ticket.Subject, text, ticket.Level, ticket.Language));
        var repeat = _tickets.Insert(connection, transaction, prepared, text, actor);
        repeat = _tickets.MarkRepeat(connection, transaction, repeat.Id, ticketId, "unsatisfied survey answer", actor);
        TicketSql.AppendHistory(connection, transaction, ticketId, _time.GetUtcNow(), actor, "repeat", $"repeat complaint {repeat.Ref} opened: the customer is not satisfied");
        _agents.Notify(connection, transaction, ticket with { Status = TicketStatus.Open }, "repeat", ticket.Customer.Email, text);
        return repeat;
    }
}
