using System.Globalization;
using System.Text.RegularExpressions;

namespace TicketGateway.OperatorGateway.Cli;

/// <summary>Short durations as people type them: <c>2h</c>, <c>30m</c>, <c>1d</c>, <c>1h30m</c>, <c>90s</c>.</summary>
internal static partial class Durations
{
    public static TimeSpan Parse(string text, string option)
    {
        var t = text.Trim().ToLowerInvariant();
        if (!Whole().IsMatch(t))
        {
            throw new CliException($"{option}: '{text}' is not a duration such as 2h, 30m, 1d or 1h30m.");
        }

        var total = TimeSpan.Zero;
        foreach (Match m in Part().Matches(t))
        {
            var n = long.Parse(m.Groups[1].Value, CultureInfo.InvariantCulture);
            total += m.Groups[2].Value switch
            {
                "d" => TimeSpan.FromDays(n),
                "h" => TimeSpan.FromHours(n),
                "m" => TimeSpan.FromMinutes(n),
                _ => TimeSpan.FromSeconds(n),
            };
        }

        return total;
    }

    [GeneratedRegex(@"^(\d{1,6}[dhms])+\z")]
    private static partial Regex Whole();

    [GeneratedRegex(@"(\d{1,6})([dhms])")]
    private static partial Regex Part();
}
