using Microsoft.Extensions.Options;

namespace TicketGateway.OperatorGateway.Operators;

[OptionsValidator]
internal sealed partial class OperatorOptionsValidator : IValidateOptions<OperatorOptions>;
