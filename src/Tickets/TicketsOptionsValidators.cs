using Microsoft.Extensions.Options;
using TicketGateway.Tickets.Sla;
using TicketGateway.Tickets.Storage;

namespace TicketGateway.Tickets;

[OptionsValidator]
internal sealed partial class SlaOptionsValidator : IValidateOptions<SlaOptions>;

[OptionsValidator]
internal sealed partial class StorageOptionsValidator : IValidateOptions<StorageOptions>;
