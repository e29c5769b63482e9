using System.Globalization;
using System.Text;

namespace TicketGateway.Tickets.Kpis;

/// <summary>CSV of the indicators (one row per indicator, or per month and indicator for a trend).</summary>
public static class KpiCsv
{
    private const string Header = "month,indicator,numerator,denominator,rate_percent,target,met";

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
                    .Append('\n');
            }
        }

        return sb.ToString();
    }
}
