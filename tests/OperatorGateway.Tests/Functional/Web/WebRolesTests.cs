using System.Globalization;
using System.Text.Json;
using Microsoft.Playwright;
using TicketGateway.OperatorGateway.Tests.Support;

namespace TicketGateway.OperatorGateway.Tests.Functional.Web;

/// <summary>
/// The roles on the real <c>ticketgw serve</c> with a browser, on each engine: an agent is refused
/// the figures, the agents' accounts and reassigning (403, nothing changed) but sees the duty roster;
/// a lead reassigns; an admin adds and disables agents, and the disabled one cannot sign in.
/// </summary>
[RunsLong]
public abstract class WebRolesTests(StoreKind engine)
{
    private static readonly TimeZoneInfo China = TimeZoneInfo.FindSystemTimeZoneById("Asia/Shanghai");

    [Fact]
    public async Task Roles_AgentRefusedFiguresAgentsAndReassign_LeadReassigns_AdminDisablesAnAgentWhoThenCannotSignIn()
    {
        var reference = "";
        var duty = DutySettings(out var dayOff);
        await using var web = await WebDesk.StartAsync(engine, duty, async desk =>
        {
            reference = await WebFiguresTests.PhoneTicketAsync(desk, "inquiry", "重新分配");
            await desk.OkAsync("tickets", "take", reference, "--as", "sun");
        });

        var agent = await web.SignInAsync("wang");
        Assert.Equal(1, await agent.Locator("header nav a[href='/duty']").CountAsync());
        Assert.Equal(0, await agent.Locator("header nav a[href='/figures'], header nav a[href='/agents']").CountAsync());
        foreach (var path in new[] { "/figures", "/figures?month=2026-10", "/figures/csv?month=2026-10", "/figures/report?month=2026-10", "/agents" })
        {
            Assert.True((await agent.GotoAsync(path))!.Status == 403, $"GET {path} as an agent");
        }

        // Forms the agent's pages do not offer, posted with a valid token: a note on the ticket goes through, so the refusals below are the role's.
        await agent.GotoAsync($"/tickets/{reference}");
        var token = await ConsoleBrowser.TokenAsync(agent);
        async Task<int> PostAsync(string path, params (string Name, string Value)[] fields)
        {
            var form = agent.Context.APIRequest.CreateFormData().Set("__RequestVerificationToken", token);
            foreach (var (name, value) in fields)
            {
                form.Set(name, value);
            }

            return (await agent.Context.APIRequest.PostAsync(path, new() { Form = form, MaxRedirects = 0 })).Status;
        }

        Assert.Equal(302, await PostAsync($"/tickets/{reference}", ("action", "note"), ("text", "令牌有效")));
        Assert.Equal(403, await PostAsync($"/tickets/{reference}", ("action", "assign"), ("owner", "wang")));
        Assert.Equal(403, await PostAsync("/agents", ("action", "disable"), ("login", "sun")));
        Assert.Equal(403, await PostAsync("/agents", ("action", "add"), ("login", "mole"), ("name", "Mole"), ("email", "mole@desk.test"), ("role", "admin"), ("password", "mole-password")));
        Assert.Equal(403, await PostAsync("/agents", ("action", "role"), ("login", "wang"), ("role", "admin")));
        Assert.Equal(403, await PostAsync("/figures?month=2026-10"));
        Assert.Equal("sun", (await web.Desk.JsonAsync("tickets", "show", reference, "--json")).RootElement.GetProperty("owner").GetString());
        var accounts = (await web.Desk.JsonAsync("agents", "list", "--json")).RootElement.EnumerateArray().ToList();
        Assert.DoesNotContain(accounts, a => a.GetProperty("login").GetString() == "mole");
        Assert.True(accounts.Single(a => a.GetProperty("login").GetString() == "sun").GetProperty("active").GetBoolean());
        Assert.Equal("agent", accounts.Single(a => a.GetProperty("login").GetString() == "wang").GetProperty("role").GetString());

        // Every agent sees the roster: who is on duty now, and the day off tomorrow as the week's one gap, as duty now reports it.
        await agent.ClickAsync("header nav a[href='/duty']");
        Assert.Contains("值班甲", await agent.Locator("table.on-duty").InnerTextAsync(), StringComparison.Ordinal);
        var now = await web.Desk.RunAsync(duty, "duty", "now", "--json");
        Assert.True(now.ExitCode == 0, now.Stderr);
        var cli = JsonDocument.Parse(now.Stdout).RootElement;
        var gap = cli.GetProperty("uncoveredNextWeek").EnumerateArray().Single();
        var from = DateTimeOffset.Parse(gap.GetProperty("from").GetString()!, CultureInfo.InvariantCulture);
        var to = DateTimeOffset.Parse(gap.GetProperty("to").GetString()!, CultureInfo.InvariantCulture);
        Assert.Contains($"{from:yyyy-MM-dd HH:mm} to {to:yyyy-MM-dd HH:mm}", await agent.Locator(".coverage").InnerTextAsync(), StringComparison.Ordinal);
        var day = dayOff.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
        Assert.Equal(["00:00–24:00"], await agent.Locator($"table.duty-week tr[data-date='{day}'] td.gaps .gap").AllInnerTextsAsync());
        Assert.Equal(1, await agent.Locator("table.duty-week tr.has-gap").CountAsync());
        await agent.Context.CloseAsync();

        // A lead: the figures but not the accounts; reassigns another agent's ticket.
        var lead = await web.SignInAsync("zhao");
        Assert.Equal(1, await lead.Locator("header nav a[href='/figures']").CountAsync());
        Assert.Equal(0, await lead.Locator("header nav a[href='/agents']").CountAsync());
        Assert.Equal(403, (await lead.GotoAsync("/agents"))!.Status);
        await lead.GotoAsync($"/tickets/{reference}");
        await lead.SelectOptionAsync("select[name=owner]", "wang");
        await lead.ClickAsync("button[name=action][value=assign]");
        await lead.Locator(".done").WaitForAsync();
        var shown = (await web.Desk.JsonAsync("tickets", "show", reference, "--json")).RootElement;
        Assert.Equal("wang", shown.GetProperty("owner").GetString());
        Assert.Contains(shown.GetProperty("history").EnumerateArray(), h => h.GetProperty("actor").GetString() == "zhao" && h.GetProperty("action").GetString() == "owner");
        await lead.Context.CloseAsync();

        // An admin adds an agent (who signs in with the initial password), and disables sun (who then cannot).
        var admin = await web.SignInAsync("boss");
        await admin.ClickAsync("header nav a[href='/agents']");
        await admin.FillAsync("form.add-agent input[name=login]", "li");
        await admin.FillAsync("form.add-agent input[name=name]", "李四");
        await admin.FillAsync("form.add-agent input[name=email]", "li@desk.test");
        await admin.SelectOptionAsync("form.add-agent select[name=role]", "agent");
        await admin.FillAsync("form.add-agent input[name=password]", "li-password-1");
        await admin.ClickAsync("form.add-agent button[name=action][value=add]");
        Assert.Contains("li", await admin.Locator(".done").InnerTextAsync(), StringComparison.Ordinal);
        await admin.ClickAsync("tr[data-login=sun] button[name=action][value=disable]");
        await admin.Locator(".done").WaitForAsync();
        Assert.Equal(1, await admin.Locator("tr[data-login=sun].disabled").CountAsync());
        // Nobody disables their own account here (the last admin stays).
        await admin.ClickAsync("tr[data-login=boss] button[name=action][value=disable]");
        Assert.Contains("另一位管理员", await admin.Locator(".error").InnerTextAsync(), StringComparison.Ordinal);

        accounts = [.. (await web.Desk.JsonAsync("agents", "list", "--json")).RootElement.EnumerateArray()];
        Assert.False(accounts.Single(a => a.GetProperty("login").GetString() == "sun").GetProperty("active").GetBoolean());
        Assert.True(accounts.Single(a => a.GetProperty("login").GetString() == "boss").GetProperty("active").GetBoolean());
        Assert.Equal("李四", accounts.Single(a => a.GetProperty("login").GetString() == "li").GetProperty("name").GetString());
        Assert.Contains("Web console: boss disabled agent sun", web.Gateway.Log, StringComparison.Ordinal);

        var li = await web.Browser.SignInAsync(web.WebUrl, "li", "li-password-1");
        Assert.Contains("li", await li.Locator("header .who").InnerTextAsync(), StringComparison.Ordinal);
        await li.Context.CloseAsync();

        var sun = await web.Browser.NewPageAsync(web.WebUrl, "zh-CN");
        await sun.GotoAsync("/signin");
        await sun.FillAsync("input[name=login]", "sun");
        await sun.FillAsync("input[name=password]", WebDesk.Password);
        await sun.ClickAsync("form button[type=submit]:not([name])");
        Assert.Contains("登录名或密码错误", await sun.Locator(".error").InnerTextAsync(), StringComparison.Ordinal);
        Assert.EndsWith("/signin", sun.Url, StringComparison.Ordinal);
        await sun.Context.CloseAsync();
        await admin.Context.CloseAsync();
    }

    // One person on duty around the clock every day, except tomorrow (desk time), a day off: the week's only gap.
    private static Dictionary<string, string> DutySettings(out DateOnly dayOff)
    {
        dayOff = DateOnly.FromDateTime(TimeZoneInfo.ConvertTime(DateTimeOffset.UtcNow, China).DateTime).AddDays(1);
        var settings = new Dictionary<string, string>
        {
            ["Duty__People__0__Name"] = "值班甲",
            ["Duty__People__0__Email"] = "duty@desk.test",
            ["Duty__People__0__Mobile"] = "13800000000",
            ["Duty__People__0__Shifts__0__From"] = "00:00",
            ["Duty__People__0__Shifts__0__To"] = "00:00",
            ["Duty__People__0__Exceptions__0__Date"] = dayOff.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture),
        };
        var days = Enum.GetValues<DayOfWeek>();
        for (var i = 0; i < days.Length; i++)
        {
            settings[$"Duty__People__0__Shifts__0__Days__{i}"] = days[i].ToString();
        }

        return settings;
    }
}

public sealed class WebRolesTestsOnSqlite() : WebRolesTests(StoreKind.Sqlite);

public sealed class WebRolesTestsOnPostgres() : WebRolesTests(StoreKind.Postgres);
