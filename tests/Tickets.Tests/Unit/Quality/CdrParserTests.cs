using TicketGateway.Tickets.Calls;

namespace TicketGateway.Tickets.Tests.Unit.Quality;

public sealed class CdrParserTests
{
    private static readonly TimeZoneInfo Zone = TimeZoneInfo.FindSystemTimeZoneById("Asia/Shanghai");

    private static (List<(long Line, CallRecord Call)> Calls, List<CdrError> Errors) Parse(string text)
    {
        var calls = new List<(long, CallRecord)>();
        var errors = new List<CdrError>();
        new CdrParser(Zone).Parse(new StringReader(text), (line, c) => calls.Add((line, c)), errors.Add);
        return (calls, errors);
    }

    [Fact]
    public void Parse_AsteriskMasterCsv_ReadsColumnsByPositionAndUniqueId()
    {
        var (calls, errors) = Parse(File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "TestData", "Master.csv")));
        Assert.Empty(errors);
        Assert.Equal([1L, 2L, 3L, 4L], calls.Select(c => c.Line));
        var c = calls[0].Call;
        Assert.Equal("uid:1762132500.17", c.Key);
        Assert.Equal(new DateTimeOffset(2026, 11, 3, 9, 15, 0, TimeSpan.FromHours(8)), c.StartedAt);
        Assert.Equal("13800138000", c.Caller);
        Assert.True(c.Answered);
        Assert.False(calls[1].Call.Answered);  // answered after 90 s
        Assert.Null(calls[2].Call.AnsweredAt);
    }

    [Theory]
    [InlineData("2026-11-03 09:15:00", "ANSWERED", true)]   // 60 s: still answered
    [InlineData("2026-11-03 09:15:01", "ANSWERED", false)]  // 61 s: the caller waited too long
    [InlineData("", "NO ANSWER", false)]
    public void Parse_PlainCsv_AnsweredOnlyWithinSixtySeconds(string answer, string disposition, bool answered)
    {
        var (calls, errors) = Parse($"start,answer,end,caller,disposition\n2026-11-03 09:14:00,{answer},2026-11-03 09:20:00,13800138000,{disposition}\n");
        Assert.Empty(errors);
        Assert.Equal(answered, Assert.Single(calls).Call.Answered);
        Assert.StartsWith("sha:", calls[0].Call.Key, StringComparison.Ordinal);
    }

    [Fact]
    public void Parse_BadRows_ReportedWithLineNumbersAndRestRead()
    {
        var (calls, errors) = Parse("""
            start,answer,end,caller,disposition
            2026-11-03 09:14:00,2026-11-03 09:14:05,2026-11-03 09:20:00,1,ANSWERED
            yesterday,,2026-11-03 09:20:00,2,NO ANSWER
            2026-11-03 09:14:00,2026-11-03 09:13:00,2026-11-03 09:20:00,3,ANSWERED
            2026-11-03 09:14:00,,2026-11-03 09:20:00,4
            2026-11-03 09:14:00,,2026-11-03 09:20:00,5,ANSWERED
            2026-11-03 09:30:00,,2026-11-03 09:31:00,6,BUSY
            """);
        Assert.Equal([2L, 7L], calls.Select(c => c.Line));
        Assert.Equal([3L, 4L, 5L, 6L], errors.Select(e => e.Line));
        Assert.Contains("'yesterday' is not a time", errors[0].Reason, StringComparison.Ordinal);
        Assert.Contains("before the start time", errors[1].Reason, StringComparison.Ordinal);
        Assert.Contains("this one has 4", errors[2].Reason, StringComparison.Ordinal);
        Assert.Contains("ANSWERED but the answer time is empty", errors[3].Reason, StringComparison.Ordinal);
    }

    [Fact]
    public void Parse_IdenticalRowsWithoutUniqueId_GetTheSameKey()
    {
        const string Row = "2026-11-03 09:14:00,,2026-11-03 09:20:00,13800138000,NO ANSWER";
        var (calls, _) = Parse($"start,answer,end,caller,disposition\n{Row}\n{Row}\n");
        Assert.Equal(calls[0].Call.Key, calls[1].Call.Key);
    }
}
