using System.Diagnostics;
using TicketGateway.OperatorGateway.Tests.Support;

namespace TicketGateway.OperatorGateway.Tests.Functional;

/// <summary>
/// The printed monthly report in a real browser: Debian's headless Chromium loads the page the CLI
/// wrote, reports no console errors, and leaves a screenshot in the test results folder.
/// </summary>
public sealed class KpiHtmlTests
{
    [Fact]
    public async Task KpiHtml_RendersInHeadlessChromium_WithoutErrorsAndWithScreenshot()
    {
        using var dir = new TempDir();
        string[] subjects = ["扣费投诉", "无法退订", "话费查询", "怎么订购", "内容不符"];
        for (var day = 1; day <= 10; day++)
        {
            var accepted = $"2026-03-{day * 3:D2}T10:00:00+08:00";
            var kind = day % 3 == 0 ? "complaint" : day % 3 == 1 ? "inquiry" : "fee";
            await QualityCliTests.Create(dir.Path, kind, day % 2 == 0 ? "email" : "phone", accepted, subjects[day % subjects.Length], kind == "complaint" ? (day % 4 + 1).ToString(System.Globalization.CultureInfo.InvariantCulture) : null);
        }

        var calls = Path.Combine(dir.Path, "calls.csv");
        await File.WriteAllTextAsync(calls, "start,answer,end,caller,disposition\n"
            + "2026-03-03 09:00:00,2026-03-03 09:00:20,2026-03-03 09:05:00,13800138000,ANSWERED\n"
            + "2026-03-04 09:00:00,,2026-03-04 09:01:30,13800138001,NO ANSWER\n"
            + "2026-03-04 10:00:00,2026-03-04 10:00:05,2026-03-04 10:03:00,13800138002,ANSWERED\n");
        Assert.Equal(0, (await GatewayProcess.RunCliAsync(dir.Path, "calls", "import", calls)).ExitCode);

        var html = Path.Combine(dir.Path, "kpi-2026-03.html");
        var kpi = await GatewayProcess.RunCliAsync(dir.Path, "kpi", "--month", "2026-03", "--html", html);
        Assert.True(kpi.ExitCode == 0, kpi.Stderr);
        var page = await File.ReadAllTextAsync(html);
        Assert.Equal(3, CountOf(page, "<svg "));
        Assert.DoesNotContain("<script", page, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain("http://", page.Replace("http://www.w3.org/2000/svg", "", StringComparison.Ordinal), StringComparison.Ordinal);
        Assert.Contains("no complaints of this level", page, StringComparison.Ordinal);
        Assert.Contains("Behind the missed targets", page, StringComparison.Ordinal);

        var results = ResultsFolder();
        File.Copy(html, Path.Combine(results, "kpi-report.html"), overwrite: true);
        var screenshot = Path.Combine(results, "kpi-report.png");
        File.Delete(screenshot);

        var dom = await Chromium(dir.Path, "--dump-dom", new Uri(html).AbsoluteUri);
        Assert.True(dom.ExitCode == 0, dom.Stderr);
        Assert.Contains("<svg", dom.Stdout, StringComparison.Ordinal);
        Assert.Contains("Service quality report", dom.Stdout, StringComparison.Ordinal);

        var shot = await Chromium(dir.Path, $"--screenshot={screenshot}", "--window-size=1200,2600", new Uri(html).AbsoluteUri);
        Assert.True(shot.ExitCode == 0, shot.Stderr);
        // Console messages (script errors, failed loads) are logged as ":CONSOLE(line)]" with --enable-logging.
        Assert.DoesNotContain(":CONSOLE(", dom.Stderr + shot.Stderr, StringComparison.Ordinal);
        var png = await File.ReadAllBytesAsync(screenshot);
        Assert.True(png.Length > 20_000, $"the screenshot is only {png.Length} bytes");
        Assert.Equal([0x89, (byte)'P', (byte)'N', (byte)'G'], png[..4]);
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
