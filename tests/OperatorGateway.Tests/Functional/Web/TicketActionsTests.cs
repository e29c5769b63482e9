using System.Text.Json;
using Microsoft.Playwright;
using TicketGateway.OperatorGateway.Tests.Support;
using TicketGateway.Protos.Operator.V1;

namespace TicketGateway.OperatorGateway.Tests.Functional.Web;

/// <summary>
/// The ticket page's actions beyond answering (kind, level, status, refund, merge, an answer given on the
/// phone, satisfaction said on the phone) in a real browser on the real <c>ticketgw serve</c>: each
/// changes the ticket as its CLI command does (read back with <c>tickets show --json</c>), and a refused
/// one says why on the page and changes nothing.
/// </summary>
[RunsLong]
public abstract class TicketActionsTests(TicketActionsRig rig)
{
    [Fact]
    public async Task KindLevelStatus_OnThePage_ChangeTheTicketAsTheCliDoesOnItsTwin()
    {
        // Two tickets accepted at the same moment: one changed on the page, its twin by the CLI.
        var accepted = DateTimeOffset.UtcNow.AddMinutes(-30).ToString("yyyy-MM-ddTHH:mm:sszzz", System.Globalization.CultureInfo.InvariantCulture);
        var page = await PhoneTicketAsync("咨询改投诉", accepted);
        var twin = await PhoneTicketAsync("咨询改投诉（命令行）", accepted);

        var browser = await rig.SignInAsync("wang");
        await browser.GotoAsync($"/tickets/{page}");
        await ChooseAsync(browser, "#kind-form", "complaint", "kind");
        await ChooseAsync(browser, "#level-form", "3", "level");
        await ChooseAsync(browser, "#status-form", "pending", "status");
        await browser.Context.CloseAsync();

        await rig.JsonAsync("tickets", "kind", twin, "complaint", "--as", "wang", "--json");
        await rig.JsonAsync("tickets", "level", twin, "3", "--as", "wang", "--json");
        await rig.JsonAsync("tickets", "status", twin, "pending", "--as", "wang", "--json");
        var byPage = await rig.ShowAsync(page);
        var byCli = await rig.ShowAsync(twin);
        Assert.Equal("complaint", byPage.GetProperty("kind").GetString());
        Assert.Equal(3, byPage.GetProperty("level").GetInt32());
        Assert.Equal("pending", byPage.GetProperty("status").GetString());
        foreach (var field in new[] { "kind", "level", "status", "acceptedAt", "replyDueAt", "resolveDueAt" })
        {
            Assert.Equal(byCli.GetProperty(field).ToString(), byPage.GetProperty(field).ToString());
        }

        // The same history lines, by the signed-in agent.
        Assert.Equal(Lines(byCli, "kind", "level", "status"), Lines(byPage, "kind", "level", "status"));
        Assert.All(Lines(byPage, "kind", "level", "status"), l => Assert.StartsWith("wang ", l, StringComparison.Ordinal));
    }

    [Fact]
    public async Task Refund_FeeDisputeRecorded_ContentComplaintRefusedWithTheReasonAndUnchanged()
    {
        var prefix = Guid.NewGuid().ToString("N")[..8];
        var fee = await rig.Operator.SubmitComplaintAsync(Exchange.Complaint(prefix + "-FEE", "13700137000"));
        var content = Exchange.Complaint(prefix + "-CONTENT", "13700137001");
        content.Category = ComplaintCategory.Content;
        var contentReceipt = await rig.Operator.SubmitComplaintAsync(content);
        // The acceptance reaching the operator is their first reply, recorded in the history as it is delivered: let it settle.
        foreach (var reference in new[] { fee.TicketRef, contentReceipt.TicketRef })
        {
            await Eventually.Until(async () => (await rig.ShowAsync(reference)).GetProperty("firstReplyAt").ValueKind == JsonValueKind.String, $"the acceptance of {reference} delivered");
        }

        var browser = await rig.SignInAsync("sun");
        await browser.GotoAsync($"/tickets/{fee.TicketRef}");
        await browser.FillAsync("#refund-form input[name=value]", "1500");
        Assert.Equal(302, await SubmitAsync(browser, "#refund-form button[name=action][value=refund]"));
        await browser.Locator(".done").WaitForAsync();
        Assert.Contains("1500 分（15.00 元）", await browser.Locator("section.facts").InnerTextAsync(), StringComparison.Ordinal);
        // The one refund line (the update queue's delivery writes lines of its own meanwhile).
        var recorded = Assert.Single((await rig.ShowAsync(fee.TicketRef)).GetProperty("history").EnumerateArray(), h => h.GetProperty("action").GetString() == "refund");
        Assert.Equal("sun", recorded.GetProperty("actor").GetString());
        Assert.StartsWith("refund of 1500 fen recorded", recorded.GetProperty("detail").GetString(), StringComparison.Ordinal);

        var before = await rig.ShowAsync(contentReceipt.TicketRef);
        await browser.GotoAsync($"/tickets/{contentReceipt.TicketRef}");
        await browser.FillAsync("#refund-form input[name=value]", "1500");
        Assert.Equal(409, await SubmitAsync(browser, "#refund-form button[name=action][value=refund]"));
        Assert.Contains("is a content complaint, not about a charge", await browser.Locator(".error").InnerTextAsync(), StringComparison.Ordinal);
        await AssertUnchangedAsync(contentReceipt.TicketRef, before);

        // The amount is checked before anything is read: not a number of fen.
        await browser.GotoAsync($"/tickets/{fee.TicketRef}");
        before = await rig.ShowAsync(fee.TicketRef);
        await browser.FillAsync("#refund-form input[name=value]", "15.5");
        Assert.Equal(400, await SubmitAsync(browser, "#refund-form button[name=action][value=refund]"));
        Assert.Contains("单位为分", await browser.Locator(".error").InnerTextAsync(), StringComparison.Ordinal);
        await AssertUnchangedAsync(fee.TicketRef, before);
        await browser.Context.CloseAsync();
    }

    [Fact]
    public async Task Merge_IntoItselfOrAnUnknownTicketRefused_IntoAnotherMovesEverythingAndClosesIt()
    {
        var source = await PhoneTicketAsync("重复来电");
        var target = await PhoneTicketAsync("首次来电");
        var before = await rig.ShowAsync(source);
        var browser = await rig.SignInAsync("wang");
        await browser.GotoAsync($"/tickets/{source}");

        foreach (var (into, reason, status) in new[] { (source, "cannot be merged into itself", 400), ("TG-999999", "Ticket TG-999999 does not exist", 404) })
        {
            await browser.FillAsync("#merge-form input[name=value]", into);
            Assert.Equal(status, await SubmitAsync(browser, "#merge-form button[name=action][value=merge]"));
            Assert.Contains(reason, await browser.Locator(".error").InnerTextAsync(), StringComparison.Ordinal);
            Assert.EndsWith($"/tickets/{source}", browser.Url, StringComparison.Ordinal);
            await AssertUnchangedAsync(source, before);
        }

        await browser.FillAsync("#merge-form input[name=value]", target);
        Assert.Equal(302, await SubmitAsync(browser, "#merge-form button[name=action][value=merge]"));
        await browser.ReachAsync($"{rig.WebUrl}/tickets/{target}?done=merged");
        Assert.Contains(source, await browser.Locator("section.facts").InnerTextAsync(), StringComparison.Ordinal);
        await browser.Context.CloseAsync();

        var merged = await rig.ShowAsync(source);
        var carried = await rig.ShowAsync(target);
        Assert.Equal("closed", merged.GetProperty("status").GetString());
        Assert.Equal(0, merged.GetProperty("messages").GetArrayLength());
        Assert.Contains(carried.GetProperty("messages").EnumerateArray(), m => m.GetProperty("subject").GetString() == "重复来电");
        Assert.Contains(carried.GetProperty("history").EnumerateArray(), h => h.GetProperty("actor").GetString() == "wang" && h.GetProperty("action").GetString() == "merged");
    }

    [Fact]
    public async Task PhoneAnswerThenSatisfaction_RecordedAsTheCliDoes_SatisfactionBeforeResolvingRefused()
    {
        var reference = await PhoneTicketAsync("来电咨询彩铃");
        var browser = await rig.SignInAsync("sun");
        await browser.GotoAsync($"/tickets/{reference}");
        Assert.Equal(0, await browser.Locator("#satisfaction-form").CountAsync());
        await browser.FillAsync("#phone-form textarea[name=said]", "已电话告知客户彩铃已退订。");
        Assert.Equal(302, await SubmitAsync(browser, "#phone-form button[name=action][value=phone]"));
        await browser.Locator(".done").WaitForAsync();

        var answered = await rig.ShowAsync(reference);
        var told = answered.GetProperty("messages").EnumerateArray().Last();
        Assert.Equal(("outbound", "已电话告知客户彩铃已退订。", "sun"), (told.GetProperty("direction").GetString(), told.GetProperty("text").GetString(), told.GetProperty("from").GetString()));
        Assert.Equal(JsonValueKind.String, answered.GetProperty("firstReplyAt").ValueKind);
        Assert.Equal("sun", answered.GetProperty("owner").GetString());
        Assert.Contains(answered.GetProperty("history").EnumerateArray(), h => h.GetProperty("actor").GetString() == "sun" && h.GetProperty("action").GetString() == "first-reply");

        // Asked after the ticket was reopened in another window: refused with the reason, nothing recorded.
        await rig.JsonAsync("tickets", "resolve", reference, "--text", "已退订", "--json");
        await browser.GotoAsync($"/tickets/{reference}");
        await rig.JsonAsync("tickets", "status", reference, "open", "--json");
        var before = await rig.ShowAsync(reference);
        await browser.SelectOptionAsync("#satisfaction-form select[name=value]", "satisfied");
        Assert.Equal(409, await SubmitAsync(browser, "#satisfaction-form button[name=action][value=satisfaction]"));
        Assert.Contains("satisfaction is recorded once it is resolved", await browser.Locator(".error").InnerTextAsync(), StringComparison.Ordinal);
        await AssertUnchangedAsync(reference, before);

        await rig.JsonAsync("tickets", "resolve", reference, "--text", "已退订", "--json");
        await browser.GotoAsync($"/tickets/{reference}");
        await browser.SelectOptionAsync("#satisfaction-form select[name=value]", "satisfied");
        await browser.FillAsync("#satisfaction-form input[name=said]", "很满意，谢谢");
        Assert.Equal(302, await SubmitAsync(browser, "#satisfaction-form button[name=action][value=satisfaction]"));
        await browser.Locator(".done").WaitForAsync();
        await browser.Context.CloseAsync();
        var shown = await rig.ShowAsync(reference);
        Assert.Equal("satisfied", shown.GetProperty("satisfaction").GetString());
        var said = shown.GetProperty("history").EnumerateArray().Last();
        Assert.Equal(("sun", "satisfaction", "said on the phone: satisfied"), (said.GetProperty("actor").GetString(), said.GetProperty("action").GetString(), said.GetProperty("detail").GetString()));
    }

    [Fact]
    public async Task Images_ShownInlineOnlyWhenTheirBytesAreAnImage_OthersStayDownloads()
    {
        var complaint = Exchange.Complaint(Guid.NewGuid().ToString("N")[..8] + "-IMG", "13700137002");
        complaint.Attachments.Clear();
        var png = Convert.FromBase64String("iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNkYPhfDwAChwGA60e6kgAAAABJRU5ErkJggg==");
        complaint.Attachments.Add(new Attachment { Name = "截图.png", ContentType = "image/png", Content = Google.Protobuf.ByteString.CopyFrom(png) });
        // Claimed a PNG, holds a page with a script: never shown inline, never run.
        complaint.Attachments.Add(new Attachment { Name = "fake.png", ContentType = "image/png", Content = Google.Protobuf.ByteString.CopyFromUtf8("<html><script>alert('img')</script></html>") });
        var receipt = await rig.Operator.SubmitComplaintAsync(complaint);

        var browser = await rig.SignInAsync("wang");
        var dialogs = new List<string>();
        browser.Dialog += (_, d) => dialogs.Add(d.Message);
        await browser.GotoAsync($"/tickets/{receipt.TicketRef}");
        await browser.WaitForLoadStateAsync(LoadState.NetworkIdle);
        Assert.Equal(1, await browser.Locator("img.inline-image[alt='截图.png']").EvaluateAsync<int>("i => i.naturalWidth"));
        Assert.Equal(0, await browser.Locator("img.inline-image[alt='fake.png']").EvaluateAsync<int>("i => i.naturalWidth"));
        Assert.Empty(dialogs);

        var real = await browser.Context.APIRequest.GetAsync((await browser.Locator("img.inline-image[alt='截图.png']").GetAttributeAsync("src"))!);
        Assert.Equal((200, "image/png", "nosniff"), (real.Status, real.Headers["content-type"], real.Headers["x-content-type-options"]));
        Assert.StartsWith("inline;", real.Headers["content-disposition"], StringComparison.Ordinal);
        Assert.Equal(png, await real.BodyAsync());
        var fake = await browser.Context.APIRequest.GetAsync((await browser.Locator("img.inline-image[alt='fake.png']").GetAttributeAsync("src"))!);
        Assert.Equal(415, fake.Status);
        Assert.StartsWith("text/plain", fake.Headers["content-type"], StringComparison.Ordinal);
        // Still there as a download.
        Assert.Equal(1, await browser.GetByRole(AriaRole.Link, new() { Name = "fake.png" }).CountAsync());
        await browser.Context.CloseAsync();
    }

    private async Task<string> PhoneTicketAsync(string subject, string? accepted = null)
    {
        string[] args = ["tickets", "create", "--channel", "phone", "--kind", "inquiry", "--customer-phone", "13800138000", "--subject", subject, "--text", "客户来电", "--json"];
        var created = await rig.JsonAsync(accepted is null ? args : [.. args, "--accepted", accepted]);
        return created.GetProperty("ref").GetString()!;
    }

    private static async Task ChooseAsync(IPage page, string form, string value, string action)
    {
        await page.SelectOptionAsync($"{form} select[name=value]", value);
        Assert.Equal(302, await SubmitAsync(page, $"{form} button[name=action][value={action}]"));
        await page.Locator(".done").WaitForAsync();
    }

    // Clicks a form's button and waits until the page it leads to has loaded (so nothing of the page before is
    // read after); the status of the POST: 302 when done (to the ticket's page), the refusal's otherwise.
    private static async Task<int> SubmitAsync(IPage page, string button)
    {
        await page.EvaluateAsync("() => window.__before = true");
        var posted = await page.RunAndWaitForResponseAsync(() => page.ClickAsync(button), r => r.Request.Method == "POST");
        await page.WaitForFunctionAsync("() => window.__before !== true && document.readyState === 'complete'");
        return posted.Status;
    }

    // History lines of these actions as "actor action detail", the times left out.
    private static List<string> Lines(JsonElement ticket, params string[] actions) =>
        [.. ticket.GetProperty("history").EnumerateArray()
            .Where(h => actions.Contains(h.GetProperty("action").GetString()))
            .Select(h => $"{h.GetProperty("actor").GetString()} {h.GetProperty("action").GetString()} {h.GetProperty("detail").GetString()}")];

    private async Task AssertUnchangedAsync(string reference, JsonElement before)
    {
        var after = await rig.ShowAsync(reference);
        Assert.Equal(before.ToString(), after.ToString());
    }
}

public sealed class TicketActionsTestsOnSqlite(TicketActionsRigOnSqlite rig) : TicketActionsTests(rig), IClassFixture<TicketActionsRigOnSqlite>;

public sealed class TicketActionsTestsOnPostgres(TicketActionsRigOnPostgres rig) : TicketActionsTests(rig), IClassFixture<TicketActionsRigOnPostgres>;
