using System.Diagnostics;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Time.Testing;
using TicketGateway.OperatorGateway.Tests.Support;
using TicketGateway.Tickets;
using TicketGateway.OperatorGateway.Kpis;
using TicketGateway.Tickets.Kpis;

namespace TicketGateway.OperatorGateway.Tests.Functional;

/// <summary>
/// The printed monthly report in a real browser: Debian's headless Chromium loads the page the CLI
/// wrote, reports no console errors, and leaves a screenshot in the test results folder. On SQLite only:
/// the browser is the point here (the screenshots have fixed names); the report's data comes from the
/// KPI queries that <see cref="QualityCliTests"/> and <see cref="Quality.KpiHtmlRenderTests"/> run on both engines.
/// </summary>
public sealed class KpiHtmlTests
{
    [Fact]
    public async Task KpiHtml_RendersInHeadlessChromium_WithoutErrorsAndWithScreenshot()
    {
        using var desk = new Desk(StoreKind.Sqlite);
        string[] subjects = ["扣费投诉", "无法退订", "话费查询", "怎么订购", "内容不符"];
        for (var day = 1; day <= 10; day++)
        {
            var accepted = $"2026-03-{day * 3:D2}T10:00:00+08:00";
            var kind = day % 3 == 0 ? "complaint" : day % 3 == 1 ? "inquiry" : "fee";
            await QualityCliTests.Create(desk, kind, day % 2 == 0 ? "email" : "phone", accepted, subjects[day % subjects.Length], kind == "complaint" ? (day % 4 + 1).ToString(System.Globalization.CultureInfo.InvariantCulture) : null);
        }

        var calls = Path.Combine(desk.Path, "calls.csv");
        await File.WriteAllTextAsync(calls, "start,answer,end,caller,disposition\n"
            + "2026-03-03 09:00:00,2026-03-03 09:00:20,2026-03-03 09:05:00,13800138000,ANSWERED\n"
            + "2026-03-04 09:00:00,,2026-03-04 09:01:30,13800138001,NO ANSWER\n"
            + "2026-03-04 10:00:00,2026-03-04 10:00:05,2026-03-04 10:03:00,13800138002,ANSWERED\n");
        Assert.Equal(0, (await desk.RunAsync("calls", "import", calls)).ExitCode);

        var html = Path.Combine(desk.Path, "kpi-2026-03.html");
        var kpi = await desk.RunAsync("kpi", "--month", "2026-03", "--html", html);
        Assert.True(kpi.ExitCode == 0, kpi.Stderr);
        var page = await File.ReadAllTextAsync(html);
        Assert.Equal(3, CountOf(page, "<svg "));
        Assert.DoesNotContain("<script", page, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain("http://", page.Replace("http://www.w3.org/2000/svg", "", StringComparison.Ordinal), StringComparison.Ordinal);
        Assert.Contains("no complaints of this level", page, StringComparison.Ordinal);
        Assert.Contains("Behind the missed targets", page, StringComparison.Ordinal);

        var dom = await RenderWithScreenshot(desk.Path, html, "kpi-report");
        Assert.Contains("<svg", dom, StringComparison.Ordinal);
        Assert.Contains("Service quality report", dom, StringComparison.Ordinal);
    }

    /// <summary>
    /// The desk lead's report of a month still running (10 November 2026, 12:00 +08, on the fake clock
    /// the host's TimeProvider is): what is not due yet shows as pending, not as missed.
    /// Leaves <c>kpi-report-running-month.png</c> in the test results.
    /// </summary>
    [Fact]
    public async Task KpiHtml_MonthStillRunning_ShowsPendingAsPendingInHeadlessChromium()
    {
        using var desk = new Desk(StoreKind.Sqlite);
        var cst = TimeSpan.FromHours(8);
        var now = new DateTimeOffset(2026, 11, 10, 12, 0, 0, cst);
        var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { DisableDefaults = true });
        builder.Services.AddSingleton<TimeProvider>(new FakeTimeProvider(now));
        var settings = ReplyStack.Settings(smtpPort: null, desk.Db);
        builder.Configuration.AddInMemoryCollection(settings!);
        builder.AddTickets();
        using var host = builder.Build();
        var tickets = host.Services.GetRequiredService<TicketService>();

        async Task<Ticket> Create(TicketKind kind, string phone, string subject, DateTimeOffset accepted, TimeSpan? replyAfter, int? level = null)
        {
            var t = await tickets.CreateAsync(new NewTicket(Channel.Phone, kind, new Customer(null, null, phone), subject, "内容", level, AcceptedAt: accepted), "test");
            if (replyAfter is { } after)
            {
                await tickets.Database.WriteAsync((c, tx) => tickets.RecordFirstReply(c, tx, t.Id, accepted + after, "test", "agent reply"));
            }

            return t;
        }

        // Reply due 13:00, no reply yet: pending.
        var pending = await Create(TicketKind.Inquiry, "13700000001", "怎么订购", now.AddHours(-1), null);
        // Reply was due 10:00, no reply: missed.
        var missed = await Create(TicketKind.Inquiry, "13700000002", "话费查询", now.AddHours(-4), null);
        // Answered on time.
        await Create(TicketKind.Fee, "13700000003", "资费咨询", now.AddDays(-1), TimeSpan.FromHours(1));
        // Two level-2 complaints answered on time, resolution deadlines (48 h) still running: pending, not "0/2 on time".
        await Create(TicketKind.Complaint, "13800000001", "扣费投诉", now.AddDays(-1), TimeSpan.FromMinutes(30), level: 2);
        await Create(TicketKind.Complaint, "13800000002", "无法退订", now.AddHours(-3), TimeSpan.FromMinutes(20), level: 2);

        var kpis = host.Services.GetRequiredService<KpiCalculator>();
        var month = KpiMonth.Of(2026, 11, host.Services.GetRequiredService<Tickets.Sla.DeadlineCalculator>().Zone);
        var html = Path.Combine(desk.Path, "kpi-2026-11.html");
        await File.WriteAllTextAsync(html, KpiHtml.Render(kpis.Compute(month), kpis.ComputeByAgent(month)));

        var dom = await RenderWithScreenshot(desk.Path, html, "kpi-report-running-month");
        Assert.Contains("As of 2026-11-10T12:00:00+08:00", dom, StringComparison.Ordinal);
        Assert.Contains("Pending: not due yet", dom, StringComparison.Ordinal);
        Assert.Contains($"<td>{pending.Ref}</td><td>2026-11-10 11:00</td><td>13700000001</td><td>怎么订购</td><td>pending: reply due 2026-11-10 13:00</td>", dom, StringComparison.Ordinal);
        Assert.Contains($"<td>{missed.Ref}</td><td>2026-11-10 08:00</td><td>13700000002</td><td>话费查询</td><td>no reply</td>", dom, StringComparison.Ordinal);
        Assert.DoesNotContain($"<td>{pending.Ref}</td><td>2026-11-10 11:00</td><td>13700000001</td><td>怎么订购</td><td>no reply</td>", dom, StringComparison.Ordinal);
        Assert.Contains("none due yet, 2 pending", dom, StringComparison.Ordinal);
        Assert.DoesNotContain("0/2 on time", dom, StringComparison.Ordinal);
    }

    /// <summary>
    /// Loads the page in headless Chromium, copies it and a PNG screenshot into the test results as
    /// <paramref name="name"/>.html/.png, checks for console errors and returns the rendered DOM.
    /// </summary>
    private static async Task<string> RenderWithScreenshot(string workDir, string html, string name)
    {
        var results = ResultsFolder();
        File.Copy(html, Path.Combine(results, name + ".html"), overwrite: true);
        var screenshot = Path.Combine(results, name + ".png");
        File.Delete(screenshot);

        var dom = await Chromium(workDir, "--dump-dom", new Uri(html).AbsoluteUri);
        Assert.True(dom.ExitCode == 0, dom.Stderr);

        var shot = await Chromium(workDir, $"--screenshot={screenshot}", "--window-size=1200,2600", new Uri(html).AbsoluteUri);
        Assert.True(shot.ExitCode == 0, shot.Stderr);
        // Console messages (script errors, failed loads) are logged as ":CONSOLE(line)]" with --enable-logging.
        Assert.DoesNotContain(":CONSOLE(", dom.Stderr + shot.Stderr, StringComparison.Ordinal);
        var png = await File.ReadAllBytesAsync(screenshot);
        Assert.True(png.Length > 20_000, $"the screenshot is only {png.Length} bytes");
        Assert.Equal([0x89, (byte)'P', (byte)'N', (byte)'G'], png[..4]);
        return dom.Stdout;
    }

    private static int CountOf(string text, string what)
    {
        var count = 0;
        for (var i = text.IndexOf(what, StringComparison.Ordinal); i >= 0; i = text.IndexOf(what, i + 1, StringComparison.Ordinal))
        {
            count++;
        }

        return count;
    }

    private static async Task<CliResult> Chromium(string workDir, params string[] args)
    {
        var start = new ProcessStartInfo("chromium")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        string[] common =
        [
            "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
            "--disable-background-networking", "--disable-component-update", "--disable-sync",
            "--enable-logging=stderr", "--v=0", "--hide-scrollbars",
            $"--user-data-dir={Directory.CreateDirectory(Path.Combine(workDir, "chromium-" + Guid.NewGuid().ToString("N"))).FullName}",
        ];
        foreach (var a in common.Concat(args))
        {
            start.ArgumentList.Add(a);
        }

        using var process = Process.Start(start)!;
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(90));
        var stdout = process.StandardOutput.ReadToEndAsync(timeout.Token);
        var stderr = process.StandardError.ReadToEndAsync(timeout.Token);
        try
        {
            await process.WaitForExitAsync(timeout.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            throw;
        }

        return new CliResult(process.ExitCode, await stdout, await stderr);
    }

    /// <summary>The repository's <c>artifacts/test-results</c> (where scripts/test.sh keeps TRX files), created if missing.</summary>
    private static string ResultsFolder()
    {
        var dir = new DirectoryInfo(AppContext.BaseDirectory);
        while (dir is not null && !File.Exists(Path.Combine(dir.FullName, "TicketGateway.sln")))
        {
            dir = dir.Parent;
        }

        var root = dir?.FullName ?? Path.GetTempPath();
        return Directory.CreateDirectory(Path.Combine(root, "artifacts", "test-results")).FullName;
    }
}
