using Microsoft.Extensions.Options;
using TicketGateway.Tickets.Duty;

namespace TicketGateway.Tickets.Kpis;

[OptionsValidator]
internal sealed partial class QualityOptionsValidator : IValidateOptions<QualityOptions>;

[OptionsValidator]
internal sealed partial class DutyOptionsValidator : IValidateOptions<DutyOptions>;

[OptionsValidator]
internal sealed partial class AlertsOptionsValidator : IValidateOptions<AlertsOptions>;
