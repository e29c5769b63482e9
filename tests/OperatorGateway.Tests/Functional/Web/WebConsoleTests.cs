using Microsoft.Playwright;
using MimeKit;

namespace TicketGateway.OperatorGateway.Tests.Functional.Web;

/// <summary>
/// The web console in a real browser against the real <c>ticketgw serve</c> with Dovecot and the SMTP
/// sink: an agent's day (mail in, queue, ticket, download, preview, reply, resolve), the lock after wrong
/// passwords, antiforgery, a customer's script that never runs, and the roles.
/// </summary>
public sealed class WebConsoleTests(WebConsoleRig rig) : IClassFixture<WebConsoleRig>
{
    private static readonly TimeSpan Wait = TimeSpan.FromSeconds(30);

    [Fact]
    public async Task AgentDay_MailWithAttachment_AppearsWithoutReloadAndIsAnsweredAndResolvedInChinese()
    {
        var page = await rig.SignInAsync("wang");
        await page.GotoAsync("/?tab=unassigned");
        // A mark the page keeps only as long as it is not reloaded.
        await page.EvaluateAsync("() => window.__sameDocument = true");

        var file = "诊断报告.txt"u8.ToArray().Concat(new byte[] { 0, 1, 2, 255 }).ToArray();
        var mail = new MimeMessage { Subject = "宽带无法上网" };
        mail.From.Add(new MailboxAddress("张三", "zhangsan@customer.test"));
        var body = new BodyBuilder { TextBody = "你好，我家的宽带从昨天开始无法上网，请尽快处理。" };
        body.Attachments.Add("诊断报告.txt", file, new ContentType("application", "octet-stream"));
        mail.Body = body.ToMessageBody();
        rig.Deliver(mail);

        var link = page.Locator("#queue-rows a", new() { HasText = "宽带无法上网" });
        await link.WaitForAsync(new() { Timeout = (float)Wait.TotalMilliseconds });
        Assert.True(await page.EvaluateAsync<bool>("() => window.__sameDocument === true"), "the queue was reloaded instead of refreshing its rows");
        var text = await link.InnerTextAsync();
        Assert.Matches(@"^TG-\d{6} 宽带无法上网$", text);
        var reference = text[..9];
        await page.ScreenshotAsync(new() { Path = WebConsoleRig.Screenshot("queue.png"), FullPage = true });

        await link.ClickAsync();
        await page.ReachAsync($"{rig.WebUrl}/tickets/{reference}");
        var download = await page.RunAndWaitForDownloadAsync(() => page.GetByRole(AriaRole.Link, new() { Name = "诊断报告.txt" }).ClickAsync());
        Assert.Equal("诊断报告.txt", download.SuggestedFilename);
        Assert.Equal(file, await File.ReadAllBytesAsync((await download.PathAsync())!));
        var href = await page.GetByRole(AriaRole.Link, new() { Name = "诊断报告.txt" }).GetAttributeAsync("href");
        var raw = await page.Context.APIRequest.GetAsync(href!);
        Assert.StartsWith("attachment;", raw.Headers["content-disposition"], StringComparison.Ordinal);
        Assert.Equal("nosniff", raw.Headers["x-content-type-options"]);
        Assert.Equal("application/octet-stream", raw.Headers["content-type"]);

        await page.SelectOptionAsync("select[name=template]", "need-more-information");
        await page.ClickAsync("button[name=action][value=preview]");
        var preview = page.Locator("#preview");
        await preview.WaitForAsync();
        Assert.Contains("请补充信息：宽带无法上网", await preview.InnerTextAsync(), StringComparison.Ordinal);
        Assert.Contains(reference, await preview.InnerTextAsync(), StringComparison.Ordinal);
        await page.ScreenshotAsync(new() { Path = WebConsoleRig.Screenshot("ticket.png"), FullPage = true });

        await page.ClickAsync("button[name=action][value=reply]");
        await page.Locator(".done").WaitForAsync();
        await page.SelectOptionAsync("select[name=template]", "");
        await page.FillAsync("textarea[name=text]", "已为您重置宽带端口，现已恢复正常。");
        await page.ClickAsync("button[name=action][value=resolve]");
        await page.Locator(".done").WaitForAsync();

        var mails = await rig.Sink.WaitForAsync(m =>
            m.Any(x => x.Subject?.Contains("请补充信息：宽带无法上网", StringComparison.Ordinal) == true)
            && m.Any(x => x.Subject?.Contains("已处理完毕：宽带无法上网", StringComparison.Ordinal) == true), Wait);
        Assert.Equal("zhangsan@customer.test", mails.Single(m => m.Subject!.Contains("请补充信息", StringComparison.Ordinal)).To.Mailboxes.Single().Address);
        var resolution = mails.Single(m => m.Subject!.Contains("已处理完毕", StringComparison.Ordinal));
        Assert.Contains("已为您重置宽带端口", resolution.TextBody ?? resolution.HtmlBody ?? "", StringComparison.Ordinal);
        var shown = await rig.ShowAsync(reference);
        Assert.Equal("resolved", shown.GetProperty("status").GetString());
        Assert.Equal("wang", shown.GetProperty("owner").GetString());
        // The signed-in agent is the actor of what they did, as with --as in the CLI.
        Assert.Contains(shown.GetProperty("history").EnumerateArray(), h => h.GetProperty("actor").GetString() == "wang" && h.GetProperty("action").GetString() == "resolved");
        await page.Context.CloseAsync();
    }

    [Fact]
    public async Task Reply_FilesOverTheLimit_SaysSoAndChangesNothing()
    {
        var reference = await rig.PhoneTicketAsync("附件过大");
        var before = await rig.ShowAsync(reference);
        var page = await rig.SignInAsync("sun");
        await page.GotoAsync($"/tickets/{reference}");
        await page.FillAsync("textarea[name=text]", "请查收附件");
        await page.SetInputFilesAsync("input[name=files]", new FilePayload { Name = "big.bin", MimeType = "application/octet-stream", Buffer = new byte[WebConsoleRig.MaxAttachmentBytes + 1] });
        var response = await page.RunAndWaitForResponseAsync(() => page.ClickAsync("button[name=action][value=reply]"), r => r.Request.Method == "POST");
        Assert.Equal(413, response.Status);
        Assert.Contains("Mail:Outbound:MaxAttachmentBytes", await page.Locator(".error").InnerTextAsync(), StringComparison.Ordinal);
        Assert.Equal("请查收附件", await page.InputValueAsync("textarea[name=text]"));
        var after = await rig.ShowAsync(reference);
        Assert.Equal(before.GetProperty("messages").GetArrayLength(), after.GetProperty("messages").GetArrayLength());
        Assert.Equal(before.GetProperty("history").GetArrayLength(), after.GetProperty("history").GetArrayLength());
        await page.Context.CloseAsync();
    }

    [Fact]
    public async Task SignIn_FiveWrongPasswords_LockTheAccountAndTheRightOneIsRefusedWhileLocked()
    {
        var context = await rig.Browser.NewContextAsync(new() { BaseURL = rig.WebUrl, Locale = "zh-CN" });
        var page = await context.NewPageAsync();
        for (var i = 1; i <= 5; i++)
        {
            await page.GotoAsync("/signin");
            await page.FillAsync("input[name=login]", "zhou");
            await page.FillAsync("input[name=password]", "wrong-" + i);
            await page.ClickAsync("form button[type=submit]:not([name])");
            var error = await page.Locator(".error").InnerTextAsync();
            Assert.Contains(i < 5 ? "登录名或密码错误" : "已被锁定", error, StringComparison.Ordinal);
        }

        await page.FillAsync("input[name=login]", "zhou");
        await page.FillAsync("input[name=password]", WebConsoleRig.Password);
        await page.ClickAsync("form button[type=submit]:not([name])");
        Assert.Contains("已被锁定", await page.Locator(".error").InnerTextAsync(), StringComparison.Ordinal);
        Assert.EndsWith("/signin", page.Url, StringComparison.Ordinal);
        await context.CloseAsync();
    }

    [Fact]
    public async Task Form_PostedWithoutItsAntiforgeryToken_ChangesNothing()
    {
        var reference = await rig.PhoneTicketAsync("无令牌表单");
        var page = await rig.SignInAsync("sun");
        await page.GotoAsync($"/tickets/{reference}");
        // The session cookie goes along (the browser context's request API), the form's token does not.
        var response = await page.Context.APIRequest.PostAsync($"/tickets/{reference}", new()
        {
            Form = page.Context.APIRequest.CreateFormData().Set("action", "note").Set("text", "伪造的备注"),
        });
        Assert.Equal(400, response.Status);
        Assert.Contains("未做任何更改", await response.TextAsync(), StringComparison.Ordinal);
        var shown = await rig.ShowAsync(reference);
        Assert.DoesNotContain(shown.GetProperty("messages").EnumerateArray(), m => m.GetProperty("text").GetString() == "伪造的备注");

        // With the token (the page's own form) the same note is taken.
        await page.FillAsync("textarea[name=text]", "真正的备注");
        await page.ClickAsync("button[name=action][value=note]");
        await page.Locator(".done").WaitForAsync();
        Assert.Contains((await rig.ShowAsync(reference)).GetProperty("messages").EnumerateArray(), m => m.GetProperty("text").GetString() == "真正的备注");
        await page.Context.CloseAsync();
    }

    [Fact]
    public async Task HtmlMail_WithScript_ShowsNoScriptRunning()
    {
        var mail = new MimeMessage { Subject = "脚本测试邮件" };
        mail.From.Add(new MailboxAddress("攻击者", "attacker@customer.test"));
        mail.Body = new TextPart("html")
        {
            Text = "<html><body><p>看这里</p><script>alert('xss')</script><img src=x onerror=\"alert('img')\"><iframe src=\"javascript:alert('frame')\"></iframe></body></html>",
        };
        rig.Deliver(mail);

        var page = await rig.SignInAsync("sun");
        var dialogs = new List<string>();
        var errors = new List<string>();
        page.Dialog += (_, d) => dialogs.Add(d.Message);
        page.Console += (_, m) =>
        {
            if (m.Type == "error")
            {
                errors.Add(m.Text);
            }
        };
        page.PageError += (_, e) => errors.Add(e);
        await page.GotoAsync("/?tab=all");
        var link = page.Locator("#queue-rows a", new() { HasText = "脚本测试邮件" });
        await link.WaitForAsync(new() { Timeout = (float)Wait.TotalMilliseconds });
        await link.ClickAsync();
        await page.Locator(".message.inbound").First.WaitForAsync();
        Assert.Contains("看这里", await page.Locator(".message.inbound").First.InnerTextAsync(), StringComparison.Ordinal);
        // Give an injected handler the chance it would have had.
        await page.WaitForLoadStateAsync(LoadState.NetworkIdle);
        Assert.Empty(dialogs);
        Assert.Empty(errors);
        Assert.Equal(0, await page.Locator(".conversation script, .conversation img, .conversation iframe").CountAsync());
        await page.Context.CloseAsync();
    }

    [Fact]
    public async Task Reassign_AnotherAgentsTicket_Is403ForAnAgentAndDoneByALead()
    {
        var reference = await rig.PhoneTicketAsync("重新分配测试");
        Assert.Equal(0, (await rig.CliAsync("tickets", "take", reference, "--as", "wang")).ExitCode);

        var agent = await rig.SignInAsync("sun");
        await agent.GotoAsync($"/tickets/{reference}");
        Assert.Equal(0, await agent.Locator("button[name=action][value=assign]").CountAsync());
        var refused = await agent.RunAndWaitForResponseAsync(() => agent.ClickAsync("button[name=action][value=take]"), r => r.Request.Method == "POST");
        Assert.Equal(403, refused.Status);
        Assert.Equal("wang", (await rig.ShowAsync(reference)).GetProperty("owner").GetString());
        await agent.Context.CloseAsync();

        var lead = await rig.SignInAsync("zhao");
        await lead.GotoAsync($"/tickets/{reference}");
        await lead.SelectOptionAsync("select[name=owner]", "sun");
        await lead.ClickAsync("button[name=action][value=assign]");
        await lead.Locator(".done").WaitForAsync();
        var shown = await rig.ShowAsync(reference);
        Assert.Equal("sun", shown.GetProperty("owner").GetString());
        Assert.Contains(shown.GetProperty("history").EnumerateArray(), h => h.GetProperty("actor").GetString() == "zhao" && h.GetProperty("action").GetString() == "owner");
        await lead.Context.CloseAsync();
    }
}
