using System.Globalization;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace TicketGateway.Tickets.Duty;

/// <summary>At start-up, reports the hours of the coming week that nobody on the roster covers.</summary>
public sealed class DutyCoverageReport(DutyRoster roster, TimeProvider time, ILogger<DutyCoverageReport> logger) : IHostedService
{
    /// <summary>The span checked from start-up.</summary>
    public static readonly TimeSpan Horizon = TimeSpan.FromDays(7);

    /// <inheritdoc/>
    public Task StartAsync(CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        var gaps = roster.Gaps(now, now + Horizon);
        if (gaps.Count == 0)
        {
            Log.DutyCovered(logger);
        }
        else
        {
            var hours = gaps.Sum(g => (g.To - g.From).TotalHours);
            Log.DutyGaps(logger, hours.ToString("0.#", CultureInfo.InvariantCulture), Describe(gaps, roster.Zone));
        }

        return Task.CompletedTask;
    }

    /// <inheritdoc/>
    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    /// <summary>The gaps as one line: <c>2026-11-28 18:00-2026-11-29 09:00 (15 h); ...</c>.</summary>
    public static string Describe(IEnumerable<(DateTimeOffset From, DateTimeOffset To)> gaps, TimeZoneInfo zone) =>
        string.Join("; ", gaps.Select(g => string.Create(CultureInfo.InvariantCulture,
            $"{TimeZoneInfo.ConvertTime(g.From, zone):yyyy-MM-dd HH:mm} to {TimeZoneInfo.ConvertTime(g.To, zone):yyyy-MM-dd HH:mm} ({(g.To - g.From).TotalHours:0.#} h)")));
}
