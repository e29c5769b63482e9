using System.Text.Json;

namespace TicketGateway.OperatorGateway.Tests.Functional;

/// <summary>CLI commands and settings that do not depend on the store's engine: deadlines, the calendar, configuration checks.</summary>
public sealed class CliWithoutStoreTests
{
    [Fact]
    public async Task SlaDue_Level3BeforeNationalDay_PrintsTheIssueExample()
    {
        using var dir = new TempDir();
        var r = await GatewayProcess.RunCliAsync(dir.Path, "sla", "due", "--level", "3", "--accepted", "2026-09-30T10:00:00+08:00");
        Assert.Equal(0, r.ExitCode);
        Assert.Equal("2026-10-12T10:00:00+08:00", r.Stdout.Trim());
    }

    [Fact]
    public async Task SlaDue_YearWithoutData_WarnsOnStderr()
    {
        using var dir = new TempDir();
        var r = await GatewayProcess.RunCliAsync(dir.Path, "sla", "due", "--level", "3", "--accepted", "2030-03-04T10:00:00+08:00");
        Assert.Equal(0, r.ExitCode);
        Assert.Equal("2030-03-08T10:00:00+08:00", r.Stdout.Trim());
        Assert.Contains("No working-calendar data for 2030", r.Stderr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task CalendarShow_2026_ListsHolidaysAndMakeUpDays()
    {
        using var dir = new TempDir();
        var r = await GatewayProcess.RunCliAsync(dir.Path, "calendar", "show", "2026", "--json");
        Assert.Equal(0, r.ExitCode);
        using var doc = JsonDocument.Parse(r.Stdout);
        Assert.Equal(7, doc.RootElement.GetProperty("holidays").GetArrayLength());
        Assert.Contains(doc.RootElement.GetProperty("workdays").EnumerateArray(), w => w.GetProperty("date").GetString() == "2026-10-10");
    }

    [Theory]
    [InlineData("Sla__FirstReply__Fee", "abc", "Sla:FirstReply:Fee")]
    [InlineData("Sla__TimeZone", "Mars/Olympus", "Sla:TimeZone")]
    [InlineData("Storage__MaxBatch", "0", "Storage:MaxBatch")]
    public async Task BadConfiguration_StopsWithOneLineNamingTheKey(string variable, string value, string key)
    {
        using var dir = new TempDir();
        var r = await GatewayProcess.RunCliAsync(dir.Path, new Dictionary<string, string> { [variable] = value }, "tickets", "list");
        Assert.Equal(2, r.ExitCode);
        var line = Assert.Single(r.Stderr.Split('\n', StringSplitOptions.RemoveEmptyEntries));
        Assert.Contains(key, line, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("tickets", "list")]
    [InlineData("serve")]
    public async Task Cli_UnknownStorageProvider_ExitsTwoNamingTheKey(params string[] args)
    {
        using var dir = new TempDir();
        var r = await GatewayProcess.RunCliBareAsync(dir.Path, new Dictionary<string, string> { ["Storage__Provider"] = "Oracle" }, args);
        Assert.Equal(2, r.ExitCode);
        var line = Assert.Single(r.Stderr.Split('\n', StringSplitOptions.RemoveEmptyEntries));
        Assert.Contains("Storage:Provider", line, StringComparison.Ordinal);
        Assert.Contains("Storage:Provider must be Sqlite or PostgreSQL", line, StringComparison.Ordinal);
    }
}
