using TicketGateway.OperatorGateway.Cli;

namespace TicketGateway.OperatorGateway.Tests.Unit.Cli;

public sealed class TimeFormatTests
{
    private static readonly TimeFormat Shanghai = new(TimeZoneInfo.FindSystemTimeZoneById("Asia/Shanghai"));

    [Theory]
    [InlineData("2026-09-30T10:00+08:00", "2026-09-30T10:00:00+08:00")]
    [InlineData("2026-09-30T10:00:00+08:00", "2026-09-30T10:00:00+08:00")]
    [InlineData("2026-09-30T02:00:00Z", "2026-09-30T10:00:00+08:00")]
    [InlineData("2026-09-29T22:00:00-04:00", "2026-09-30T10:00:00+08:00")]
    [InlineData("2026-09-30T10:00:00.000+08:00", "2026-09-30T10:00:00+08:00")]
    public void Parse_WithOffset_KeepsThatOffset(string text, string expected)
    {
        var parsed = Shanghai.Parse(text, "--accepted");
        Assert.Equal(DateTimeOffset.Parse(expected, System.Globalization.CultureInfo.InvariantCulture), parsed);
        Assert.Equal(expected, Shanghai.Format(parsed));
    }

    [Theory]
    [InlineData("2026-09-30T10:00")]
    [InlineData("2026-09-30T10:00:00")]
    public void Parse_WithoutOffset_IsReadInTheDeskZone(string text)
    {
        var parsed = Shanghai.Parse(text, "--accepted");
        Assert.Equal(TimeSpan.FromHours(8), parsed.Offset);
        Assert.Equal(new DateTime(2026, 9, 30, 10, 0, 0), parsed.DateTime);
    }

    [Theory]
    [InlineData("2026-09-30 10:00+08:00")]
    [InlineData("2026-09-30 10:00")]
    [InlineData("2026-09-30")]
    [InlineData("30/09/2026")]
    [InlineData("2026-09-30T25:00+08:00")]
    [InlineData("2026-02-30T10:00")]
    [InlineData("2026-09-30T10:00+15:00")]
    [InlineData("2026-09-30T10:00+0800")]
    [InlineData(" 2026-09-30T10:00+08:00")]
    public void Parse_NotStrictIso8601_IsRefusedNamingTheOption(string text)
    {
        var ex = Assert.Throws<CliException>(() => Shanghai.Parse(text, "sla due --accepted"));
        Assert.StartsWith("sla due --accepted: ", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Parse_WithoutOffsetInAZoneWithSummerTime_TakesThatDaysOffset()
    {
        var newYork = new TimeFormat(TimeZoneInfo.FindSystemTimeZoneById("America/New_York"));
        Assert.Equal(TimeSpan.FromHours(-4), newYork.Parse("2026-07-01T10:00", "--accepted").Offset);
        Assert.Equal(TimeSpan.FromHours(-5), newYork.Parse("2026-12-01T10:00", "--accepted").Offset);
        Assert.Throws<CliException>(() => newYork.Parse("2026-03-08T02:30", "--accepted"));
    }
}
