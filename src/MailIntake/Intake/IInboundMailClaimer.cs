using System.Data.Common;
using TicketGateway.MailIntake.Parsing;

namespace TicketGateway.MailIntake.Intake;

/// <summary>
/// Takes a mail out of the normal threading before it is decided, inside the same transaction:
/// an agent's reply sent to the support address, a survey answer. Register as a singleton; the
/// first claimer that returns a claim wins. Duplicates and our own mail never reach it.
/// </summary>
public interface IInboundMailClaimer
{
    /// <summary>A claim when this mail is the claimer's to handle (it has done its writes), otherwise null.</summary>
    MailClaim? Claim(DbConnection connection, DbTransaction transaction, InboundMail mail);
}

/// <summary>What a claimer made of a mail: the ticket and message it touched, if any, and the rule named in the intake's record.</summary>
public sealed record MailClaim(long? TicketId, long? MessageRowId, string Rule)
{
    /// <summary>True when the claimer stored the mail's files itself (an agent's answer sent them on): the intake does not store them again.</summary>
    public bool FilesStored { get; init; }
}
