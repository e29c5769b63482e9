using System.Globalization;

namespace TicketGateway.OperatorGateway.Web;

/// <summary>Time left to a deadline as the queue shows it (the page's script counts it down the same way) and its risk colour.</summary>
internal static class Countdown
{
    public static TimeSpan? Left(DateTimeOffset? due, DateTimeOffset now) => due - now;

    /// <summary>"1:02:03", "-0:05:00" once late, "" without a running deadline; language-neutral.</summary>
    public static string Text(TimeSpan? left)
    {
        if (left is not { } l)
        {
            return "";
        }

        var a = l.Duration();
        return (l < TimeSpan.Zero ? "-" : "") + string.Create(CultureInfo.InvariantCulture, $"{(long)a.TotalHours}:{a.Minutes:00}:{a.Seconds:00}");
    }

    /// <summary>late (past), risk (under 30 minutes), soon (under 2 hours), ok, or none.</summary>
    public static string Risk(TimeSpan? left) => left switch
    {
        null => "none",
        { } l when l < TimeSpan.Zero => "late",
        { } l when l < TimeSpan.FromMinutes(30) => "risk",
        { } l when l < TimeSpan.FromHours(2) => "soon",
        _ => "ok",
    };
}
