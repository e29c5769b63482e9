using System.Globalization;
using System.Text.Json;
using Microsoft.Playwright;
using TicketGateway.OperatorGateway.Tests.Support;

namespace TicketGateway.OperatorGateway.Tests.Functional.Web;

/// <summary>
/// The figures page for a lead on each engine, against the <c>kpi</c> command on the same store: a
/// past month of four phone tickets (an inquiry and a complaint answered, one of each not), so two
/// targets are missed by hand-known tickets.
/// </summary>
[RunsLong]
public abstract class WebFiguresTests(StoreKind engine)
{
    private const string Month = "2026-10";

    [Fact]
    public async Task Figures_MonthWithKnownTickets_ShowsTheCliFiguresLinksTheMissedTicketsAndDownloadsTheCliFiles()
    {
        string answered = "", unanswered = "", complaint = "", unansweredComplaint = "";
        await using var web = await WebDesk.StartAsync(engine, seed: async desk =>
        {
            answered = await PhoneTicketAsync(desk, "inquiry", "怎么订购", "2026-10-08T10:00:00+08:00");
            unanswered = await PhoneTicketAsync(desk, "inquiry", "怎么退订", "2026-10-09T11:00:00+08:00");
            complaint = await PhoneTicketAsync(desk, "complaint", "多扣费", "2026-10-12T09:00:00+08:00", "--level", "1");
            unansweredComplaint = await PhoneTicketAsync(desk, "complaint", "无法退订", "2026-10-20T15:00:00+08:00", "--level", "2");
            await desk.OkAsync("reply", answered, "--by-phone", "--text", "已在电话中告知", "--as", "wang");
            await desk.OkAsync("tickets", "resolve", answered, "--text", "已告知", "--as", "wang");
            await desk.OkAsync("tickets", "satisfaction", answered, "satisfied", "--as", "wang");
            await desk.OkAsync("reply", complaint, "--by-phone", "--text", "正在核查", "--as", "sun");
            await desk.OkAsync("tickets", "resolve", complaint, "--text", "已退款", "--as", "sun");
        });

        var lead = await web.SignInAsync("zhao");
        var errors = new List<string>();
        lead.Console += (_, m) =>
        {
            if (m.Type == "error")
            {
                errors.Add(m.Text);
            }
        };
        await lead.ClickAsync("header nav a[href='/figures']");
        await lead.FillAsync("input[name=month]", Month);
        await lead.ClickAsync("form.month-picker button[type=submit]");
        await lead.ReachAsync($"{web.WebUrl}/figures?month={Month}");
        await lead.WaitForLoadStateAsync(LoadState.NetworkIdle);
        // Inline SVG charts and legends under the console's policy: nothing refused, nothing scripted.
        Assert.Empty(errors);

        var json = (await web.Desk.JsonAsync("kpi", "--month", Month, "--json")).RootElement;
        var indicators = json.GetProperty("indicators").EnumerateObject().ToList();
        Assert.Equal(8, indicators.Count);
        Assert.Equal(8, await lead.Locator("table.indicators tbody tr").CountAsync());
        foreach (var i in indicators)
        {
            var row = lead.Locator($"table.indicators tr[data-key={i.Name}]");
            Assert.Equal(i.Value.GetProperty("numerator").GetInt64().ToString(CultureInfo.InvariantCulture), await row.Locator(".numerator").InnerTextAsync());
            Assert.Equal(i.Value.GetProperty("denominator").GetInt64().ToString(CultureInfo.InvariantCulture), await row.Locator(".denominator").InnerTextAsync());
            Assert.Equal(i.Value.GetProperty("pending").GetInt64().ToString(CultureInfo.InvariantCulture), await row.Locator(".pending").InnerTextAsync());
            var rate = await row.Locator(".rate").InnerTextAsync();
            var expected = i.Value.GetProperty("rate");
            if (expected.ValueKind == JsonValueKind.Null)
            {
                Assert.Equal("-", rate);
            }
            else
            {
                Assert.Equal(expected.GetDecimal(), decimal.Parse(rate.TrimEnd('%'), CultureInfo.InvariantCulture));
            }

            var met = i.Value.GetProperty("met");
            var state = met.ValueKind == JsonValueKind.Null ? null : met.GetBoolean() ? "kpi-met" : "kpi-missed";
            var shown = await row.GetAttributeAsync("class");
            Assert.True(state is null ? shown is "kpi-none" or "kpi-pending" : shown == state, $"{i.Name}: met {met} shown as {shown}");
        }

        // The month by hand: one of two inquiries and one of two complaints answered, both targets (100%) missed.
        Assert.Equal("1", await lead.Locator("tr[data-key=inquiry_reply_rate] .numerator").InnerTextAsync());
        Assert.Equal("2", await lead.Locator("tr[data-key=inquiry_reply_rate] .denominator").InnerTextAsync());
        Assert.Equal("kpi-missed", await lead.Locator("tr[data-key=complaint_reply_rate]").GetAttributeAsync("class"));

        // The tickets behind each missed target are the command's, each a link to its ticket.
        var missed = json.GetProperty("missed").EnumerateObject().ToList();
        Assert.Equal(missed.Count, await lead.Locator("section.missed").CountAsync());
        foreach (var m in missed)
        {
            var refs = m.Value.EnumerateArray().Select(x => x.GetProperty("ref").GetString()!).Order(StringComparer.Ordinal).ToList();
            var links = await lead.Locator($"section.missed[data-key={m.Name}] tbody a").AllInnerTextsAsync();
            Assert.Equal(refs, links.Order(StringComparer.Ordinal).ToList());
        }

        Assert.Equal([unanswered], await lead.Locator("section.missed[data-key=inquiry_reply_rate] tbody a").AllInnerTextsAsync());
        Assert.Equal([unansweredComplaint], await lead.Locator("section.missed[data-key=complaint_reply_rate] tbody a").AllInnerTextsAsync());

        // The figures per agent are the command's.
        var agents = (await web.Desk.JsonAsync("kpi", "--month", Month, "--by-agent", "--json")).RootElement.GetProperty("agents");
        foreach (var login in new[] { "wang", "sun" })
        {
            var a = agents.EnumerateArray().Single(x => x.GetProperty("login").GetString() == login);
            var cells = await lead.Locator($"table.agents tr[data-login={login}] td").AllInnerTextsAsync();
            Assert.Equal(a.GetProperty("tickets_owned").GetInt64().ToString(CultureInfo.InvariantCulture), cells[2]);
            Assert.Equal(a.GetProperty("replies_sent").GetInt64().ToString(CultureInfo.InvariantCulture), cells[3]);
            Assert.Equal(a.GetProperty("first_replies").GetInt64().ToString(CultureInfo.InvariantCulture), cells[4]);
            Assert.Equal(a.GetProperty("complaints_resolved").GetInt64().ToString(CultureInfo.InvariantCulture), cells[8]);
        }

        Assert.Equal("1", (await lead.Locator("table.agents tr[data-login=sun] td").AllInnerTextsAsync())[8]);

        // The report's three charts, as kpi --html draws them.
        Assert.Equal(3, await lead.Locator(".chart svg").CountAsync());
        Assert.Contains("50.00% (target >= 100%)", await lead.Locator(".chart svg").First.TextContentAsync(), StringComparison.Ordinal);
        await lead.ScreenshotAsync(new() { Path = WebConsoleRig.Screenshot("figures.png"), FullPage = true });

        // Downloads: the command's CSV (the moment of computing, as_of, aside) and report, as attachments.
        var csv = await lead.RunAndWaitForDownloadAsync(() => lead.ClickAsync("a[href^='/figures/csv']"));
        Assert.Equal($"kpi-{Month}.csv", csv.SuggestedFilename);
        var cli = await web.Desk.RunAsync("kpi", "--month", Month, "--csv");
        Assert.True(cli.ExitCode == 0, cli.Stderr);
        Assert.Equal(WithoutAsOf(cli.Stdout), WithoutAsOf(await File.ReadAllTextAsync((await csv.PathAsync())!)));
        var agentsCsv = await lead.RunAndWaitForDownloadAsync(() => lead.ClickAsync("a[href^='/figures/agentscsv']"));
        var cliAgents = await web.Desk.RunAsync("kpi", "--month", Month, "--by-agent", "--csv");
        Assert.Equal(WithoutAsOf(cliAgents.Stdout), WithoutAsOf(await File.ReadAllTextAsync((await agentsCsv.PathAsync())!)));
        var report = await lead.RunAndWaitForDownloadAsync(() => lead.ClickAsync("a[href^='/figures/report']"));
        Assert.Equal($"kpi-{Month}.html", report.SuggestedFilename);
        var html = await File.ReadAllTextAsync((await report.PathAsync())!);
        Assert.Contains($"Service quality report — {Month}", html, StringComparison.Ordinal);
        Assert.Contains($"<td>{unanswered}</td>", html, StringComparison.Ordinal);
        var raw = await lead.Context.APIRequest.GetAsync($"/figures/csv?month={Month}");
        Assert.StartsWith("attachment;", raw.Headers["content-disposition"], StringComparison.Ordinal);
        Assert.Equal("nosniff", raw.Headers["x-content-type-options"]);

        // A month that is not one: said on the page, nothing computed.
        var bad = await lead.GotoAsync("/figures?month=2026-13");
        Assert.Equal(400, bad!.Status);
        Assert.Contains("2026-13", await lead.Locator(".error").InnerTextAsync(), StringComparison.Ordinal);

        await lead.GotoAsync($"/figures?month={Month}");
        await lead.ClickAsync($"section.missed[data-key=inquiry_reply_rate] a:text-is('{unanswered}')");
        await lead.ReachAsync($"{web.WebUrl}/tickets/{unanswered}");
        Assert.Contains("怎么退订", await lead.Locator("h1").InnerTextAsync(), StringComparison.Ordinal);
    }

    internal static async Task<string> PhoneTicketAsync(Desk desk, string kind, string subject, string? accepted = null, params string[] more)
    {
        string[] args = ["tickets", "create", "--channel", "phone", "--kind", kind, "--customer-phone", "13800138000", "--subject", subject, "--text", "客户来电", "--json", .. more];
        if (accepted is not null)
        {
            args = [.. args, "--accepted", accepted];
        }

        return (await desk.JsonAsync(args)).RootElement.GetProperty("ref").GetString()!;
    }

    // Each row without its last field, as_of: the moment the figures were computed (ISO 8601, never with a comma).
    private static string WithoutAsOf(string csv) =>
        string.Join('\n', csv.TrimEnd('\n').Split('\n').Select(line => line[..line.LastIndexOf(',')]));
}

public sealed class WebFiguresTestsOnSqlite() : WebFiguresTests(StoreKind.Sqlite);

public sealed class WebFiguresTestsOnPostgres() : WebFiguresTests(StoreKind.Postgres);
