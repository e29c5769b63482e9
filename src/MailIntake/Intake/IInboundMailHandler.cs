using System.Data.Common;

namespace TicketGateway.MailIntake.Intake;

/// <summary>
/// Reacts to each mail the intake has taken, inside the transaction that stored it (register as
/// a singleton; every registered handler is called). Use it to queue an acknowledgement for a new
/// ticket when <see cref="Parsing.MailClassification.MayAutoReply"/> holds, to record a survey
/// answer, or to treat an agent's reply. Handlers only write to the store; a handler that throws
/// rolls the mail back and sends it to quarantine.
/// </summary>
public interface IInboundMailHandler
{
    /// <summary>Called once per mail, after its ticket change, before commit. Not called for <see cref="MailOutcome.AlreadySeen"/>.</summary>
    void OnMailProcessed(DbConnection connection, DbTransaction transaction, ProcessedMail mail);
}
