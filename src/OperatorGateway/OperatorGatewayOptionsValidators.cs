using Microsoft.Extensions.Options;
using TicketGateway.OperatorGateway.Complaints;
using TicketGateway.OperatorGateway.Updates;

namespace TicketGateway.OperatorGateway;

[OptionsValidator]
internal sealed partial class ComplaintOptionsValidator : IValidateOptions<ComplaintOptions>;

[OptionsValidator]
internal sealed partial class DeliveryOptionsValidator : IValidateOptions<DeliveryOptions>;
