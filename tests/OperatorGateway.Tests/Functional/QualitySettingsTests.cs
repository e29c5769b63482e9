using System.Text.Json;

namespace TicketGateway.OperatorGateway.Tests.Functional;

/// <summary>Quality commands' wrong input and the duty roster's settings: checked before any store is read, so on no engine in particular.</summary>
public sealed class QualitySettingsTests
{
    [Theory]
    [InlineData("kpi", "--month", "2026-13")]
    [InlineData("kpi", "--from", "2026-05", "--to", "2026-01")]
    [InlineData("kpi", "--month", "2026-03", "--json", "--csv")]
    [InlineData("tickets", "list", "--due-within", "soon")]
    [InlineData("calls", "list", "--month", "March")]
    public async Task WrongInput_ExitsTwoWithOneLine(params string[] args)
    {
        using var dir = new TempDir();
        var r = await GatewayProcess.RunCliAsync(dir.Path, args);
        Assert.Equal(2, r.ExitCode);
        Assert.Single(r.Stderr.TrimEnd().Split('\n'));
        Assert.StartsWith("ticketgw: ", r.Stderr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task DutyNow_RosterInConfiguration_ShowsPersonAndNoGaps()
    {
        using var dir = new TempDir();
        var config = Path.Combine(dir.Path, "duty.json");
        await File.WriteAllTextAsync(config, """
            { "Duty": { "People": [ { "Name": "张三", "Email": "zhang@example.com", "Mobile": "13800000001",
                "Shifts": [ { "Days": [ "Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday" ], "From": "00:00:00", "To": "00:00:00" } ] } ] } }
            """);
        var r = await GatewayProcess.RunCliAsync(dir.Path, "--config", config, "duty", "now", "--json");
        Assert.True(r.ExitCode == 0, r.Stderr);
        using var doc = JsonDocument.Parse(r.Stdout);
        Assert.Equal("张三", doc.RootElement.GetProperty("onDuty")[0].GetProperty("name").GetString());
        Assert.Equal(0, doc.RootElement.GetProperty("uncoveredNextWeek").GetArrayLength());
    }

    [Theory]
    [InlineData("Duty__People__0__Email", "x@example.com", "Duty:People:0:Name must give the person's name.")]
    [InlineData("Duty__People__0__Email", "zhang san@example.com", "Duty:People:0:Email must be a plain email address like duty@example.com, not 'zhang san@example.com'.")]
    [InlineData("Duty__People__0__Shifts__0__Days__0", "Funday", "Duty:People:0:Shifts:0:Days must name weekdays (Monday ... Sunday), not 'Funday'.")]
    [InlineData("Alerts__Webhook__Url", "ftp://robot.example.com/send?key=secret", "Alerts:Webhook:Url must be an absolute http or https URL")]
    [InlineData("Alerts__ReminderShare", "1.5", "Alerts:ReminderShare must be between 0.05 and 0.99.")]
    [InlineData("Quality__ServiceCodePattern", "code", "Quality:ServiceCodePattern must have a group")]
    public async Task WrongQualitySetting_ConfigurationErrorNamesTheKey(string key, string value, string expected)
    {
        using var dir = new TempDir();
        var env = new Dictionary<string, string> { [key] = value };
        if (key.StartsWith("Duty__People__0__Shifts", StringComparison.Ordinal))
        {
            env["Duty__People__0__Name"] = "张三";
            env["Duty__People__0__Mobile"] = "13800000001";
        }

        var r = await GatewayProcess.RunCliAsync(dir.Path, env, "duty", "now");
        Assert.Equal(2, r.ExitCode);
        Assert.Contains(expected, r.Stderr, StringComparison.Ordinal);
        Assert.DoesNotContain("secret", r.Stderr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Serve_RosterWithGaps_ReportsUncoveredHoursAtStartUp()
    {
        using var dir = new TempDir();
        await using var gateway = await GatewayProcess.StartAsync(dir.Path, new Dictionary<string, string>
        {
            ["Duty__People__0__Name"] = "李四",
            ["Duty__People__0__Mobile"] = "13800000002",
            ["Duty__People__0__Shifts__0__Days__0"] = "Monday",
            ["Duty__People__0__Shifts__0__From"] = "09:00:00",
            ["Duty__People__0__Shifts__0__To"] = "18:00:00",
        });
        Assert.Contains("nobody is on duty for 159 h of the coming week", gateway.Log, StringComparison.Ordinal);
    }
}
