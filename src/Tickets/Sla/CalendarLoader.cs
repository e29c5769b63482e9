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
        CalendarFile file;
        try
        {
            using var document = JsonDocument.Parse(json, new JsonDocumentOptions { CommentHandling = JsonCommentHandling.Skip, AllowTrailingCommas = true });
            file = Read(document.RootElement);
        }
        catch (JsonException ex)
        {
            throw new InvalidDataException($"Calendar file '{origin}' is not valid JSON: {ex.Message}", ex);
        }

        if (file.Year is < 2000 or > 2200)
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

    // The file's shape (Calendars/2026.json) from the parsed document, as the serializer would bind it: names in
    // any case, unknown names ignored, null where a list or text may be missing. Read by hand rather than by
    // JsonSerializer, whose set-up on first use took about 28 ms of every CLI command's start (the embedded
    // year is read by every command).
    private static CalendarFile Read(JsonElement root)
    {
        var file = new CalendarFile();
        foreach (var p in Members(root, "$"))
        {
            switch (p.Name.ToLowerInvariant())
            {
                case "year":
                    file.Year = p.Value.ValueKind == JsonValueKind.Number && p.Value.TryGetInt32(out var year) ? year : throw Wrong("$.year", "a whole number");
                    break;
                case "source":
                    file.Source = Text(p.Value, "$.source");
                    break;
                case "holidays":
                    file.Holidays = List(p.Value, "$.holidays", (e, path) =>
                    {
                        var t = Texts(e, path, "name", "from", "to");
                        return new CalendarFile.HolidayEntry { Name = t["name"], From = t["from"], To = t["to"] };
                    });
                    break;
                case "workdays":
                    file.Workdays = List(p.Value, "$.workdays", (e, path) =>
                    {
                        var t = Texts(e, path, "date", "for");
                        return new CalendarFile.WorkdayEntry { Date = t["date"], For = t["for"] };
                    });
                    break;
            }
        }

        return file;
    }

    // The text members of an entry that are among `names` (null when missing); other members are ignored.
    private static Dictionary<string, string?> Texts(JsonElement element, string path, params string[] names)
    {
        var texts = names.ToDictionary(n => n, _ => (string?)null, StringComparer.Ordinal);
        foreach (var member in Members(element, path))
        {
            var name = member.Name.ToLowerInvariant();
            if (texts.ContainsKey(name))
            {
                texts[name] = Text(member.Value, $"{path}.{name}");
            }
        }

        return texts;
    }

    private static JsonElement.ObjectEnumerator Members(JsonElement element, string path) =>
        element.ValueKind == JsonValueKind.Object ? element.EnumerateObject() : throw Wrong(path, "an object");

    private static string? Text(JsonElement element, string path) => element.ValueKind switch
    {
        JsonValueKind.String => element.GetString(),
        JsonValueKind.Null => null,
        _ => throw Wrong(path, "a string"),
    };

    private static List<T>? List<T>(JsonElement element, string path, Func<JsonElement, string, T> item) => element.ValueKind switch
    {
        JsonValueKind.Array => [.. element.EnumerateArray().Select((e, i) => item(e, $"{path}[{i}]"))],
        JsonValueKind.Null => null,
        _ => throw Wrong(path, "an array"),
    };

    private static JsonException Wrong(string path, string what) => new($"{path} must be {what}.");

    private static DateOnly Date(string? text, string origin, string field) =>
        DateOnly.TryParseExact(text, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var d)
            ? d
            : throw new InvalidDataException($"Calendar file '{origin}' has '{text}' in {field}, which is not a date of the form yyyy-MM-dd.");
}
