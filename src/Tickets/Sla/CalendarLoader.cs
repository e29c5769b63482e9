using System.Globalization;
using System.Text.Json;

namespace TicketGateway.Tickets.Sla;

/// <summary>
/// Reads working-calendar data: the years shipped inside the assembly, then files named in
/// configuration (a file for a shipped year replaces it, so a corrected notice needs no release).
/// </summary>
public static class CalendarLoader
{
    /// <summary>Loads the shipped years and then each file, in order.</summary>
    /// <exception cref="InvalidDataException">A file is missing, is not valid calendar JSON, or contradicts itself.</exception>
    public static WorkingCalendar Load(IEnumerable<string> files)
    {
        ArgumentNullException.ThrowIfNull(files);
        var years = new List<CalendarYear>(LoadEmbedded());
        foreach (var file in files)
        {
            if (!File.Exists(file))
            {
                throw new InvalidDataException($"Calendar file '{file}' (Sla:CalendarFiles) does not exist.");
            }

            using var stream = File.OpenRead(file);
            years.Add(Parse(stream, file));
        }

        return new WorkingCalendar(years);
    }

    /// <summary>The years shipped with the product.</summary>
    public static IEnumerable<CalendarYear> LoadEmbedded()
    {
        var assembly = typeof(CalendarLoader).Assembly;
        foreach (var name in assembly.GetManifestResourceNames().Where(n => n.StartsWith("calendar-", StringComparison.Ordinal)).Order(StringComparer.Ordinal))
        {
            using var stream = assembly.GetManifestResourceStream(name)!;
            yield return Parse(stream, "built-in " + name);
        }
    }

    /// <summary>Parses one year of calendar JSON; <paramref name="origin"/> names it in errors.</summary>
    public static CalendarYear Parse(Stream json, string origin)
    {
        CalendarFile? file;
        try
        {
            file = JsonSerializer.Deserialize(json, CalendarJsonContext.Default.CalendarFile);
        }
        catch (JsonException ex)
        {
            throw new InvalidDataException($"Calendar file '{origin}' is not valid JSON: {ex.Message}", ex);
        }

        if (file is null || file.Year is < 2000 or > 2200)
        {
            throw new InvalidDataException($"Calendar file '{origin}' has no valid \"year\" (2000-2200).");
        }

        var holidays = new List<Holiday>();
        foreach (var h in file.Holidays ?? [])
        {
            var from = Date(h.From, origin, "holidays.from");
            var to = Date(h.To ?? h.From, origin, "holidays.to");
            if (to < from || from.Year != file.Year || to.Year != file.Year)
            {
                throw new InvalidDataException($"Calendar file '{origin}' has a holiday '{h.Name}' from {from:yyyy-MM-dd} to {to:yyyy-MM-dd} that is reversed or outside {file.Year}.");
            }

            holidays.Add(new Holiday(h.Name ?? "holiday", from, to));
        }

        var makeUp = new List<MakeUpDay>();
        foreach (var w in file.Workdays ?? [])
        {
            var date = Date(w.Date, origin, "workdays.date");
            if (date.Year != file.Year)
            {
                throw new InvalidDataException($"Calendar file '{origin}' has a make-up day {date:yyyy-MM-dd} outside {file.Year}.");
            }

            if (holidays.Any(h => date >= h.From && date <= h.To))
            {
                throw new InvalidDataException($"Calendar file '{origin}' lists {date:yyyy-MM-dd} both as a holiday and as a make-up working day.");
            }

            makeUp.Add(new MakeUpDay(date, w.For ?? ""));
        }

        return new CalendarYear(file.Year, file.Source ?? origin, holidays, makeUp);
    }

    private static DateOnly Date(string? text, string origin, string field) =>
        DateOnly.TryParseExact(text, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var d)
            ? d
            : throw new InvalidDataException($"Calendar file '{origin}' has '{text}' in {field}, which is not a date of the form yyyy-MM-dd.");
}
