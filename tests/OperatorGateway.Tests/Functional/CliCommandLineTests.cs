using System.Text.Json;
using TicketGateway.OperatorGateway.Tests.Support;

namespace TicketGateway.OperatorGateway.Tests.Functional;

/// <summary>The command line as a new user meets it: help, unknown options, '--', and times in another machine zone.</summary>
public sealed class CliCommandLineTests
{
    // A machine zone far from the desk's (Sla:TimeZone is Asia/Shanghai): any conversion through it would show.
    private static readonly Dictionary<string, string> NewYork = new() { ["TZ"] = "America/New_York" };

    [Theory]
    [InlineData("--help")]
    [InlineData("tickets", "--help")]
    [InlineData("tickets", "show", "--help")]
    [InlineData("help")]
    public async Task Help_PrintsGeneratedUsageAndExitsZeroWithoutServing(params string[] args)
    {
        using var dir = new TempDir();
        var r = await GatewayProcess.RunCliBareAsync(dir.Path, null, args);
        Assert.True(r.ExitCode == 0, r.Stderr);
        Assert.Contains("Usage:", r.Stdout, StringComparison.Ordinal);
        Assert.Equal("", r.Stderr);
        Assert.DoesNotContain("Now listening", r.Stdout, StringComparison.Ordinal);
        Assert.False(Directory.Exists(Path.Combine(dir.Path, "data")), "help created a store");
    }

    [Fact]
    public async Task TicketsList_UnknownOption_ExitsTwoNamingIt()
    {
        using var dir = new TempDir();
        var r = await GatewayProcess.RunCliAsync(dir.Path, "tickets", "list", "--no-such-option");
        Assert.Equal(2, r.ExitCode);
        var line = Assert.Single(r.Stderr.Split('\n', StringSplitOptions.RemoveEmptyEntries));
        Assert.Contains("--no-such-option", line, StringComparison.Ordinal);
        Assert.Equal("", r.Stdout);
    }

    [Fact]
    public async Task TicketsShow_ReferenceAfterDoubleDash_IsTheReference()
    {
        using var dir = new TempDir();
        var r = await GatewayProcess.RunCliAsync(dir.Path, "tickets", "show", "--", "TG-000999");
        Assert.Equal(1, r.ExitCode);
        Assert.Contains("TG-000999 does not exist", r.Stderr, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("2026-09-30T10:00")]
    [InlineData("2026-09-30T10:00:00")]
    [InlineData("2026-09-30T10:00+08:00")]
    [InlineData("2026-09-30T02:00:00Z")]
    public async Task SlaDue_MachineZoneNewYork_ReadsTheTimeInSlaTimeZone(string accepted)
    {
        using var dir = new TempDir();
        var r = await GatewayProcess.RunCliAsync(dir.Path, NewYork, "sla", "due", "--level", "3", "--accepted", accepted);
        Assert.True(r.ExitCode == 0, r.Stderr);
        Assert.Equal("2026-10-12T10:00:00+08:00", r.Stdout.Trim());
    }

    [Fact]
    public async Task TicketsCreate_AcceptedWithOffsetOnNewYorkMachine_KeepsThatInstant()
    {
        using var dir = new TempDir();
        var r = await GatewayProcess.RunCliAsync(dir.Path, NewYork, "tickets", "create", "--channel", "phone", "--kind", "complaint",
            "--customer-phone", "13800138000", "--subject", "s", "--text", "t", "--accepted", "2026-09-30T10:00+08:00", "--json");
        Assert.True(r.ExitCode == 0, r.Stderr);
        using var doc = JsonDocument.Parse(r.Stdout);
        Assert.Equal("2026-09-30T10:00:00+08:00", doc.RootElement.GetProperty("acceptedAt").GetString());
    }

    [Fact]
    public async Task SlaDue_SpaceInsteadOfT_IsRefusedNotConvertedThroughTheMachineZone()
    {
        using var dir = new TempDir();
        var r = await GatewayProcess.RunCliAsync(dir.Path, NewYork, "sla", "due", "--level", "3", "--accepted", "2026-09-30 10:00+08:00");
        Assert.Equal(2, r.ExitCode);
        var line = Assert.Single(r.Stderr.Split('\n', StringSplitOptions.RemoveEmptyEntries));
        Assert.Contains("not an ISO 8601 time", line, StringComparison.Ordinal);
        Assert.Equal("", r.Stdout);
    }
}
