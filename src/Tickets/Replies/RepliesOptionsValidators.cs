using Microsoft.Extensions.Options;

namespace TicketGateway.Tickets.Replies;

[OptionsValidator]
internal sealed partial class MailOptionsValidator : IValidateOptions<MailOptions>;

[OptionsValidator]
internal sealed partial class ReplyOptionsValidator : IValidateOptions<ReplyOptions>;
