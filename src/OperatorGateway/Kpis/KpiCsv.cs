using System.Globalization;
using System.Text;
using TicketGateway.Tickets.Kpis;

namespace TicketGateway.OperatorGateway.Kpis;

/// <summary>
/// CSV of the indicators (one row per indicator, or per month and indicator for a trend). The columns
/// after <c>met</c> are newer: <c>pending</c> (not due yet, in neither numerator nor denominator) and
/// <c>as_of</c> (when the month was computed, ISO 8601 with the desk zone's offset).
/// </summary>
internal static class KpiCsv
{
    private const string Header = "month,indicator,numerator,denominator,rate_percent,target,met,pending,as_of";

    /// <summary>Rows of one or more months; an empty rate and <c>met</c> mean a zero denominator.</summary>
    public static string Write(IEnumerable<KpiReport> months)
    {
        ArgumentNullException.ThrowIfNull(months);
        var sb = new StringBuilder(Header).Append('\n');
        foreach (var r in months)
        {
            foreach (var i in r.Indicators)
            {
                sb.Append(CultureInfo.InvariantCulture, $"{r.Month.Name},{i.Key},{i.Numerator},{i.Denominator},")
                    .Append(i.Rate?.ToString("0.00", CultureInfo.InvariantCulture) ?? "")
                    .Append(CultureInfo.InvariantCulture, $",{i.TargetText},")
                    .Append(i.Met switch { true => "yes", false => "no", null => "" })
                    .Append(CultureInfo.InvariantCulture, $",{i.Pending},{r.AsOf}")
                    .Append('\n');
            }
        }

        return sb.ToString();
    }
}
