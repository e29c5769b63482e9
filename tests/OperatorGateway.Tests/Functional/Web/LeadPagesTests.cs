using System.Globalization;
using System.Text;
using System.Text.Json;
using Microsoft.Playwright;
using TicketGateway.OperatorGateway.Tests.Support;

namespace TicketGateway.OperatorGateway.Tests.Functional.Web;

/// <summary>
/// The lead's pages and the call page in a real browser on the real <c>ticketgw serve</c> with Dovecot
/// and the SMTP sink, on each engine: quarantine and stuck work refused to an agent, a quarantined mail
/// retried with a charset, refused mail and a failed alert retried until they reach the sink, and a
/// phone ticket made from a call.
/// </summary>
[RunsLong]
public abstract class LeadPagesTests(WebConsoleRig rig)
{
    private static readonly TimeSpan Wait = TimeSpan.FromSeconds(30);

    [Fact]
    public async Task Agent_QuarantineAndStuckPages_Are403OnGetAndPostAndChangeNothing()
    {
        var id = await QuarantineAsync("agent-refused");
        var page = await rig.SignInAsync("sun");
        // The links are only there for the roles that may follow them.
        Assert.Equal(1, await page.Locator("header nav a[href='/calls']").CountAsync());
        Assert.Equal(0, await page.Locator("header nav a[href='/quarantine'], header nav a[href='/stuck']").CountAsync());
        // A valid token of this session (from the header's forms), so only the role can be what refuses.
        var token = await page.Locator("header input[name=__RequestVerificationToken]").First.GetAttributeAsync("value");
        foreach (var path in new[] { "/quarantine", $"/quarantine/{id}", "/stuck" })
        {
            var get = await page.Context.APIRequest.GetAsync(path);
            Assert.Equal(403, get.Status);
        }

        var discard = await page.Context.APIRequest.PostAsync($"/quarantine/{id}", new()
        {
            Form = page.Context.APIRequest.CreateFormData().Set("__RequestVerificationToken", token!).Set("action", "discard"),
        });
        Assert.Equal(403, discard.Status);
        var retry = await page.Context.APIRequest.PostAsync("/stuck", new()
        {
            Form = page.Context.APIRequest.CreateFormData().Set("__RequestVerificationToken", token!).Set("action", "outbox").Set("id", "1"),
        });
        Assert.Equal(403, retry.Status);
        Assert.Equal("held", (await QuarantinedAsync(id)).GetProperty("status").GetString());
        await page.Context.CloseAsync();

        // The lead may: the same mail discarded from its page, with the lead as the actor.
        var lead = await rig.SignInAsync("zhao");
        Assert.Equal(1, await lead.Locator("header nav a[href='/quarantine']").CountAsync());
        Assert.Equal(1, await lead.Locator("header nav a[href='/stuck']").CountAsync());
        await lead.GotoAsync($"/quarantine/{id}");
        await lead.ClickAsync("button[name=action][value=discard]");
        Assert.Contains("已丢弃", await lead.Locator(".done").InnerTextAsync(), StringComparison.Ordinal);
        var entry = await QuarantinedAsync(id);
        Assert.Equal(("discarded", "zhao"), (entry.GetProperty("status").GetString(), entry.GetProperty("resolvedBy").GetString()));
        Assert.Equal(0, await lead.Locator("button[name=action][value=retry]").CountAsync());
        await lead.Context.CloseAsync();
    }

    [Fact]
    public async Task Lead_RetriesQuarantinedGbkMailWithACharset_ATicketAppears()
    {
        var id = await QuarantineAsync("gbk-retry");
        var page = await rig.SignInAsync("zhao");
        await page.ClickAsync("header nav a[href='/quarantine']");
        await page.ClickAsync($"table.quarantine a[href='/quarantine/{id}']");
        await page.ReachAsync($"{rig.WebUrl}/quarantine/{id}");
        Assert.Contains("x-gbk-undeclared", await page.Locator("#entry .reason").InnerTextAsync(), StringComparison.Ordinal);
        Assert.Contains("<gbk-retry@customer.test>", await page.Locator("table.headers").InnerTextAsync(), StringComparison.Ordinal);
        await page.ScreenshotAsync(new() { Path = WebConsoleRig.Screenshot("quarantine.png"), FullPage = true });

        // A charset nobody knows: said on the page, the mail still held.
        await page.FillAsync("input[name=charset]", "klingon");
        var refused = await page.RunAndWaitForResponseAsync(() => page.ClickAsync("button[name=action][value=retry]"), r => r.Request.Method == "POST");
        Assert.Equal(400, refused.Status);
        Assert.Contains("'klingon' is not a charset", await page.Locator(".error").InnerTextAsync(), StringComparison.Ordinal);
        Assert.Equal("held", (await QuarantinedAsync(id)).GetProperty("status").GetString());

        await page.FillAsync("input[name=charset]", "gbk");
        await page.ClickAsync("button[name=action][value=retry]");
        var done = await page.Locator(".done").InnerTextAsync();
        var reference = await page.Locator("#entry a.ticket").InnerTextAsync();
        Assert.Matches(@"^TG-\d{6}$", reference);
        Assert.Contains(reference, done, StringComparison.Ordinal);
        var shown = await rig.ShowAsync(reference);
        Assert.Equal("我要投诉，这个月被乱扣费。", shown.GetProperty("messages")[0].GetProperty("text").GetString());
        var entry = await QuarantinedAsync(id);
        Assert.Equal(("retried", "zhao", reference), (entry.GetProperty("status").GetString(), entry.GetProperty("resolvedBy").GetString(), entry.GetProperty("ticket").GetString()));

        // Unknown entries are a sentence on the page, not an error page.
        var unknown = await page.GotoAsync("/quarantine/987654");
        Assert.Equal(404, unknown!.Status);
        Assert.Contains("987654", await page.Locator(".error").InnerTextAsync(), StringComparison.Ordinal);
        var notAnId = await page.GotoAsync("/quarantine/abc");
        Assert.Equal(404, notAnId!.Status);
        Assert.Contains("abc", await page.Locator(".error").InnerTextAsync(), StringComparison.Ordinal);
        await page.Context.CloseAsync();
    }

    [Fact]
    public async Task Lead_RetriesRefusedMailAndItsFailedAlert_BothReachTheSink()
    {
        // The sink refuses the customer and the duty address for good (550) until it is restarted.
        await rig.Sink.RestartAsync("--reject", "refused@*", "--reject", "duty@*");
        var created = await rig.CliAsync("tickets", "create", "--channel", "email", "--kind", "inquiry", "--customer-email", "refused@customer.test",
            "--subject", "退信重试", "--text", "请回复", "--json");
        Assert.True(created.ExitCode == 0, created.Stderr);
        var reference = JsonDocument.Parse(created.Stdout).RootElement.GetProperty("ref").GetString()!;
        var replied = await rig.CliAsync("reply", reference, "--text", "这是我们的答复。", "--as", "wang");
        Assert.True(replied.ExitCode == 0, replied.Stderr);
        var failed = await WaitForJsonAsync(
            ["outbox", "list", "--status", "failed", "--json"],
            a => a.EnumerateArray().Any(e => e.GetProperty("ticket").GetString() == reference && e.GetProperty("purpose").GetString() == "agent-reply"),
            "the refused reply marked failed");
        var mail = failed.EnumerateArray().Single(e => e.GetProperty("ticket").GetString() == reference && e.GetProperty("purpose").GetString() == "agent-reply");
        var alerts = await WaitForJsonAsync(
            ["alerts", "list", "--state", "failed", "--json"],
            a => a.EnumerateArray().Any(x => x.GetProperty("ticket").GetString() == reference && x.GetProperty("email").GetString() == "failed"),
            "the undelivered-mail alert's own mail refused");
        var alert = alerts.EnumerateArray().Single(x => x.GetProperty("ticket").GetString() == reference);
        await rig.Sink.RestartAsync();

        var page = await rig.SignInAsync("zhao");
        await page.GotoAsync("/stuck");
        var mailId = mail.GetProperty("id").GetInt64().ToString(CultureInfo.InvariantCulture);
        await page.ScreenshotAsync(new() { Path = WebConsoleRig.Screenshot("stuck.png"), FullPage = true });
        var row = page.Locator($"tr[data-outbox='{mailId}']");
        Assert.Contains("550", await row.InnerTextAsync(), StringComparison.Ordinal);
        await row.Locator("button[value=outbox]").ClickAsync();
        Assert.Contains(mailId, await page.Locator(".done").InnerTextAsync(), StringComparison.Ordinal);
        var received = await rig.Sink.WaitForAsync(m => m.Any(x => x.MessageId == mail.GetProperty("messageId").GetString()), Wait);
        Assert.Equal("refused@customer.test", received.Single(x => x.MessageId == mail.GetProperty("messageId").GetString()).To.Mailboxes.Single().Address);

        var alertId = alert.GetProperty("id").GetInt64().ToString(CultureInfo.InvariantCulture);
        await page.Locator($"tr[data-alert='{alertId}'] button[value=alert]").ClickAsync();
        Assert.Contains(alertId, await page.Locator(".done").InnerTextAsync(), StringComparison.Ordinal);
        await rig.Sink.WaitForAsync(m => m.Any(x => x.To.Mailboxes.Any(a => a.Address == ReplyStack.Duty) && x.Subject?.Contains(reference, StringComparison.Ordinal) == true), Wait);
        await WaitForJsonAsync(["alerts", "list", "--json"], a => a.EnumerateArray().Any(x => x.GetProperty("id").GetInt64() == alert.GetProperty("id").GetInt64() && x.GetProperty("email").GetString() == "sent"),
            "the alert's mail recorded as sent");
        var history = (await rig.ShowAsync(reference)).GetProperty("history").EnumerateArray().ToList();
        Assert.Contains(history, h => h.GetProperty("actor").GetString() == "zhao" && h.GetProperty("action").GetString() == "retry" && h.GetProperty("detail").GetString()!.Contains($"outbox {mailId}", StringComparison.Ordinal));
        Assert.Contains(history, h => h.GetProperty("actor").GetString() == "zhao" && h.GetProperty("action").GetString() == "retry" && h.GetProperty("detail").GetString()!.Contains($"alert {alertId}", StringComparison.Ordinal));

        // A sent mail cannot be retried, and an unknown one is named: each a sentence on the page.
        var token = await page.Locator("header input[name=__RequestVerificationToken]").First.GetAttributeAsync("value");
        var unknown = await page.Context.APIRequest.PostAsync("/stuck", new()
        {
            Form = page.Context.APIRequest.CreateFormData().Set("__RequestVerificationToken", token!).Set("action", "outbox").Set("id", "987654"),
        });
        Assert.Equal(404, unknown.Status);
        Assert.Contains("Outbox mail 987654 does not exist.", await unknown.TextAsync(), StringComparison.Ordinal);
        var sent = await page.Context.APIRequest.PostAsync("/stuck", new()
        {
            Form = page.Context.APIRequest.CreateFormData().Set("__RequestVerificationToken", token!).Set("action", "outbox").Set("id", mailId),
        });
        Assert.Equal(409, sent.Status);
        Assert.Contains("only queued or failed mail can be retried", await sent.TextAsync(), StringComparison.Ordinal);
        await page.Context.CloseAsync();
    }

    [Fact]
    public async Task Agent_CallPage_FindsTheCallersEarlierTicketAndCreatesAPhoneTicketWithTheCallId()
    {
        var earlier = await rig.CliAsync("tickets", "create", "--channel", "phone", "--kind", "inquiry", "--customer-phone", "13912345678", "--subject", "上次来电咨询", "--text", "客户来电", "--json");
        Assert.True(earlier.ExitCode == 0, earlier.Stderr);
        var earlierRef = JsonDocument.Parse(earlier.Stdout).RootElement.GetProperty("ref").GetString()!;

        var page = await rig.SignInAsync("sun");
        await page.ClickAsync("header nav a[href='/calls']");
        // Not a number: said on the page.
        await page.FillAsync("form.lookup input[name=phone]", "abc");
        var refused = await page.RunAndWaitForResponseAsync(() => page.ClickAsync("form.lookup button[type=submit]"), r => r.Url.Contains("/calls?", StringComparison.Ordinal));
        Assert.Equal(400, refused.Status);
        Assert.Contains("abc", await page.Locator(".error").InnerTextAsync(), StringComparison.Ordinal);

        await page.FillAsync("form.lookup input[name=phone]", "139 1234 5678");
        await page.FillAsync("form.lookup input[name=call]", "1733000000.77");
        await page.ClickAsync("form.lookup button[type=submit]");
        var link = page.Locator("section.caller a", new() { HasText = earlierRef });
        Assert.Equal($"{earlierRef} 上次来电咨询", await link.InnerTextAsync());
        Assert.Equal($"/tickets/{earlierRef}", await link.GetAttributeAsync("href"));

        await page.ScreenshotAsync(new() { Path = WebConsoleRig.Screenshot("calls.png"), FullPage = true });
        // The number and call id carry over to the form.
        var form = page.Locator("section.new-contact form");
        Assert.Equal("139 1234 5678", await form.Locator("input[name=phone]").InputValueAsync());
        Assert.Equal("1733000000.77", await form.Locator("input[name=call]").InputValueAsync());
        await form.Locator("input[name=name]").FillAsync("钱七");
        await form.Locator("select[name=kind]").SelectOptionAsync("complaint");
        await form.Locator("select[name=level]").SelectOptionAsync("2");
        await form.Locator("input[name=subject]").FillAsync("再次来电投诉扣费");
        await form.Locator("textarea[name=text]").FillAsync("客户称上月被多扣 10 元。");
        // The POST's own answer is asserted (a refusal's page says why), then the redirect to the new ticket.
        var posted = await page.RunAndWaitForResponseAsync(
            () => form.Locator("button[type=submit]").ClickAsync(), r => r.Request.Method == "POST" && r.Url.EndsWith("/calls", StringComparison.Ordinal));
        Assert.True(posted.Status == 302, $"POST /calls answered {posted.Status}: {(posted.Status == 302 ? "" : await posted.TextAsync())}");
        await page.WaitForURLAsync(new System.Text.RegularExpressions.Regex(@"/tickets/TG-\d{6}$"), new() { WaitUntil = WaitUntilState.Commit });
        var reference = page.Url[^9..];
        Assert.Equal(reference, await page.Locator("h1 .ref").InnerTextAsync());
        Assert.NotEqual(earlierRef, reference);

        var shown = await rig.ShowAsync(reference);
        Assert.Equal(("phone", "complaint", 2), (shown.GetProperty("channel").GetString(), shown.GetProperty("kind").GetString(), shown.GetProperty("level").GetInt32()));
        Assert.Equal(("钱七", "13912345678"), (shown.GetProperty("customer").GetProperty("name").GetString(), shown.GetProperty("customer").GetProperty("phone").GetString()));
        Assert.Equal("客户称上月被多扣 10 元。", shown.GetProperty("messages")[0].GetProperty("text").GetString());
        Assert.Equal(("uid:1733000000.77", "agent"), (shown.GetProperty("call").GetProperty("key").GetString(), shown.GetProperty("call").GetProperty("linkedBy").GetString()));
        Assert.Contains(shown.GetProperty("history").EnumerateArray(), h => h.GetProperty("actor").GetString() == "sun");
        await page.Context.CloseAsync();
    }

    /// <summary>A customer's mail whose GBK body declares a charset nobody knows, delivered and waited for in the quarantine; its id.</summary>
    private async Task<long> QuarantineAsync(string name)
    {
        var body = MailIntake.Parsing.MailCharsets.Find("gbk")!.GetBytes("我要投诉，这个月被乱扣费。\r\n");
        var head = $"From: Customer <{name}@customer.test>\r\nTo: {ReplyStack.Support}\r\nSubject: bill {name}\r\nMessage-ID: <{name}@customer.test>\r\n"
            + "MIME-Version: 1.0\r\nContent-Type: text/plain; charset=x-gbk-undeclared\r\nContent-Transfer-Encoding: 8bit\r\n\r\n";
        rig.Dovecot.Deliver([.. Encoding.ASCII.GetBytes(head), .. body]);
        var list = await WaitForJsonAsync(["quarantine", "list", "--json"],
            a => a.EnumerateArray().Any(e => e.GetProperty("messageId").GetString() == $"{name}@customer.test"), "the mail quarantined");
        return list.EnumerateArray().Single(e => e.GetProperty("messageId").GetString() == $"{name}@customer.test").GetProperty("id").GetInt64();
    }

    private async Task<JsonElement> QuarantinedAsync(long id) =>
        (await WaitForJsonAsync(["quarantine", "list", "--all", "--json"], _ => true, "the quarantine list"))
            .EnumerateArray().Single(e => e.GetProperty("id").GetInt64() == id);

    /// <summary>Runs a CLI command printing JSON until <paramref name="done"/> holds for its output (bounded).</summary>
    private async Task<JsonElement> WaitForJsonAsync(string[] args, Func<JsonElement, bool> done, string what)
    {
        var until = DateTime.UtcNow + Wait;
        while (true)
        {
            var r = await rig.CliAsync(args);
            Assert.True(r.ExitCode == 0, r.Stderr);
            var json = JsonDocument.Parse(r.Stdout).RootElement.Clone();
            if (done(json))
            {
                return json;
            }

            Assert.True(DateTime.UtcNow < until, $"Timed out after {Wait} waiting for {what}; last: {r.Stdout[..Math.Min(r.Stdout.Length, 600)]}");
            await Task.Delay(200);
        }
    }
}

public sealed class LeadPagesTestsOnSqlite(WebConsoleRig rig) : LeadPagesTests(rig), IClassFixture<WebConsoleRig>;

public sealed class LeadPagesTestsOnPostgres(WebConsoleRigOnPostgres fixture) : LeadPagesTests(fixture.Rig), IClassFixture<WebConsoleRigOnPostgres>;
