using System.Text;
using TicketGateway.Tickets.Sla;

namespace TicketGateway.Tickets.Tests.Unit.Sla;

public sealed class CalendarLoaderTests
{
    private static CalendarYear Parse(string json) => CalendarLoader.Parse(new MemoryStream(Encoding.UTF8.GetBytes(json)), "test.json");

    [Fact]
    public void LoadEmbedded_Ships2026WithTheStateCouncilDays()
    {
        var calendar = CalendarLoader.Load([]);
        var y = calendar.Year(2026);
        Assert.NotNull(y);
        Assert.Equal(7, y.Holidays.Count);
        Assert.Equal(6, y.MakeUpDays.Count);
        Assert.False(calendar.IsWorkingDay(new DateOnly(2026, 2, 23)));
        Assert.True(calendar.IsWorkingDay(new DateOnly(2026, 2, 28)));
        Assert.True(calendar.IsWorkingDay(new DateOnly(2026, 10, 10)));
        Assert.False(calendar.IsWorkingDay(new DateOnly(2026, 10, 11)));
        Assert.True(calendar.IsWorkingDay(new DateOnly(2026, 10, 8)));
    }

    [Fact]
    public void Load_FileForAShippedYear_ReplacesIt()
    {
        var file = Path.GetTempFileName();
        try
        {
            File.WriteAllText(file, """{ "year": 2026, "holidays": [ { "name": "only", "from": "2026-03-02", "to": "2026-03-02" } ] }""");
            var calendar = CalendarLoader.Load([file]);
            Assert.False(calendar.IsWorkingDay(new DateOnly(2026, 3, 2)));
            Assert.True(calendar.IsWorkingDay(new DateOnly(2026, 10, 8)));
            Assert.False(calendar.IsWorkingDay(new DateOnly(2026, 10, 10)));
            Assert.True(calendar.IsWorkingDay(new DateOnly(2026, 10, 1)));
        }
        finally
        {
            File.Delete(file);
        }
    }

    [Fact]
    public void Parse_NamesInAnyCaseCommentsTrailingCommasAndUnknownNames_ReadAsBefore()
    {
        var y = Parse("""
            // a corrected notice
            { "Year": 2027, "SOURCE": null, "extra": [1, 2],
              "Holidays": [ { "Name": "元旦", "From": "2027-01-01", "TO": "2027-01-02", }, ],
              "workdays": [ { "date": "2027-01-04", "For": null } ], }
            """);
        Assert.Equal(2027, y.Year);
        Assert.Equal("test.json", y.Source);
        Assert.Equal([new Holiday("元旦", new DateOnly(2027, 1, 1), new DateOnly(2027, 1, 2))], y.Holidays);
        Assert.Equal([new MakeUpDay(new DateOnly(2027, 1, 4), "")], y.MakeUpDays);
    }

    [Fact]
    public void Load_MissingFile_NamesTheFileAndTheKey()
    {
        var ex = Assert.Throws<InvalidDataException>(() => CalendarLoader.Load(["/nonexistent/cal.json"]));
        Assert.Contains("/nonexistent/cal.json", ex.Message, StringComparison.Ordinal);
        Assert.Contains("Sla:CalendarFiles", ex.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("""{ "year": 2026, "holidays": [ { "name": "x", "from": "2026-13-01" } ] }""", "2026-13-01")]
    [InlineData("""{ "year": 2026, "holidays": [ { "name": "x", "from": "2026-05-05", "to": "2026-05-01" } ] }""", "reversed")]
    [InlineData("""{ "year": 2026, "holidays": [ { "name": "x", "from": "2027-01-01" } ] }""", "outside 2026")]
    [InlineData("""{ "year": 2026, "holidays": [ { "name": "x", "from": "2026-05-01" } ], "workdays": [ { "date": "2026-05-01" } ] }""", "both")]
    [InlineData("""{ "holidays": [] }""", "year")]
    [InlineData("""{ "year": 2026, """, "not valid JSON")]
    [InlineData("""{ "year": "2026" }""", "$.year must be a whole number")]
    [InlineData("""{ "year": 2026, "holidays": { "name": "x" } }""", "$.holidays must be an array")]
    [InlineData("""{ "year": 2026, "workdays": [ { "date": 20260101 } ] }""", "$.workdays[0].date must be a string")]
    [InlineData("""[ 2026 ]""", "$ must be an object")]
    public void Parse_BadData_SaysWhatIsWrongAndWhere(string json, string expected)
    {
        var ex = Assert.Throws<InvalidDataException>(() => Parse(json));
        Assert.Contains("test.json", ex.Message, StringComparison.Ordinal);
        Assert.Contains(expected, ex.Message, StringComparison.Ordinal);
    }
}
