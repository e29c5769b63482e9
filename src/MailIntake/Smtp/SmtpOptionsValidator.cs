using Microsoft.Extensions.Options;

namespace TicketGateway.MailIntake.Smtp;

[OptionsValidator]
internal sealed partial class SmtpOptionsValidator : IValidateOptions<SmtpOptions>;
