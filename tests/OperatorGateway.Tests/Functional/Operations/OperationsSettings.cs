using System.Globalization;

namespace TicketGateway.OperatorGateway.Tests.Functional.Operations;

/// <summary>Settings every operations test shares: a duty roster covering every hour, and working calendars for this year and the next, so only the checks a test breaks report a problem.</summary>
internal static class OperationsSettings
{
    public const string OnDutyEmail = "zhiban@desk.test";

    /// <summary><c>serve</c> with its web endpoint on a port the OS picks, polling <paramref name="dovecot"/>.</summary>
    public static Dictionary<string, string> WebAndMailbox(DovecotServer dovecot, TimeSpan pollInterval)
    {
        var env = GatewayProcess.WebEnvironment();
        foreach (var (k, v) in dovecot.GatewayEnvironment(pollInterval))
        {
            env[k] = v;
        }

        return env;
    }

    public static Dictionary<string, string> CoveredDesk(string folder, DateTimeOffset now)
    {
        var env = new Dictionary<string, string>
        {
            ["Duty__People__0__Name"] = "值班员",
            ["Duty__People__0__Email"] = OnDutyEmail,
            ["Duty__People__0__Mobile"] = "13800000009",
            ["Duty__People__0__Shifts__0__From"] = "00:00:00",
            ["Duty__People__0__Shifts__0__To"] = "00:00:00",
        };
        foreach (var (day, i) in Enum.GetNames<DayOfWeek>().Select((d, i) => (d, i)))
        {
            env[$"Duty__People__0__Shifts__0__Days__{i}"] = day;
        }

        // The CLI runs on the machine's clock: give it this year's and next year's calendar whatever year that is
        // (a file replaces the built-in year of the same number; no holidays is a valid year).
        var year = TimeZoneInfo.ConvertTime(now, TimeZoneInfo.FindSystemTimeZoneById("Asia/Shanghai")).Year;
        for (var i = 0; i < 2; i++)
        {
            var file = Path.Combine(folder, $"calendar-{year + i}.json");
            File.WriteAllText(file, string.Create(CultureInfo.InvariantCulture, $$"""{ "year": {{year + i}}, "source": "test", "holidays": [], "workdays": [] }"""));
            env[$"Sla__CalendarFiles__{i}"] = file;
        }

        return env;
    }
}
