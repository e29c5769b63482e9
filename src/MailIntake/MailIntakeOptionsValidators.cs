using Microsoft.Extensions.Options;
using TicketGateway.MailIntake.Imap;
using TicketGateway.MailIntake.Intake;

namespace TicketGateway.MailIntake;

[OptionsValidator]
internal sealed partial class ImapOptionsValidator : IValidateOptions<ImapOptions>;

[OptionsValidator]
internal sealed partial class IntakeOptionsValidator : IValidateOptions<IntakeOptions>;
