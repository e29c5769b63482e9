using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.DependencyInjection;
using TicketGateway.TestSupport;
using TicketGateway.Tickets.Agents;
using TicketGateway.Tickets.Replies;
using TicketGateway.Tickets.Storage;
using TicketGateway.Tickets.Tests.Functional.Replies;

namespace TicketGateway.Tickets.Tests.Functional.Agents;

/// <summary>Agent accounts in the store: passwords only as hashes, unique logins and addresses, the Agents:N import.</summary>
public abstract class AgentAccountsTests(StoreKind engine)
{
    [Fact]
    public async Task AddAsync_WithPassword_StoresAHashThatIsNotThePasswordAndVerifies()
    {
        await using var host = new ReplyHost(engine);
        var accounts = host.Services.GetRequiredService<AgentAccounts>();

        var added = await accounts.AddAsync(new NewAgent("Wang", "王五", "wang@desk.test", "+86 138-0013-8000", AgentRole.Lead), "correct horse");

        Assert.Equal("wang", added.Login);
        Assert.Equal("+8613800138000", added.Mobile);
        Assert.Equal(AgentRole.Lead, added.Role);
        Assert.True(added.HasPassword);
        var hash = (string)host.Tickets.Database.Read(c => c.Scalar("SELECT password_hash FROM agents WHERE login = 'wang'"))!;
        Assert.DoesNotContain("correct horse", hash, StringComparison.Ordinal);
        Assert.NotEqual(PasswordVerificationResult.Failed, new PasswordHasher<AgentAccount>().VerifyHashedPassword(added, hash, "correct horse"));
        Assert.Equal("wang", (await accounts.VerifyPasswordAsync("WANG", "correct horse"))?.Login);
        Assert.Null(await accounts.VerifyPasswordAsync("wang", "wrong horse"));
        Assert.Null(await accounts.VerifyPasswordAsync("nobody", "correct horse"));
    }

    [Fact]
    public async Task DisableRoleAndSetPassword_ChangeTheAccount_AndADisabledAccountCannotLogIn()
    {
        await using var host = new ReplyHost(engine);
        var accounts = host.Services.GetRequiredService<AgentAccounts>();
        await accounts.AddAsync(new NewAgent("li", "李四", "li@desk.test", null, AgentRole.Agent), null);
        Assert.Null(await accounts.VerifyPasswordAsync("li", "anything"));

        await accounts.SetPasswordAsync("li", "first");
        Assert.NotNull(await accounts.VerifyPasswordAsync("li", "first"));
        await accounts.SetPasswordAsync("li", "second");
        Assert.Null(await accounts.VerifyPasswordAsync("li", "first"));
        Assert.Equal(AgentRole.Admin, (await accounts.SetRoleAsync("li", AgentRole.Admin)).Role);
        Assert.False((await accounts.DisableAsync("li")).Active);
        Assert.Null(await accounts.VerifyPasswordAsync("li", "second"));
        Assert.True((await accounts.EnableAsync("li")).Active);
        Assert.NotNull(await accounts.VerifyPasswordAsync("li", "second"));
    }

    [Theory]
    [InlineData("LI", "other@desk.test", "already exists")]
    [InlineData("zhao", "LI@DESK.TEST", "already belongs to agent 'li'")]
    [InlineData("bad login", "z@desk.test", "is not a login")]
    [InlineData("cli", "z@desk.test", "reserved")]
    [InlineData("zhao", "not-an-address", "is not an email address")]
    public async Task AddAsync_BadOrTakenFields_AreRefusedWithTheReason(string login, string email, string expected)
    {
        await using var host = new ReplyHost(engine);
        var accounts = host.Services.GetRequiredService<AgentAccounts>();
        await accounts.AddAsync(new NewAgent("li", "李四", "li@desk.test", null, AgentRole.Agent), null);

        var ex = await Assert.ThrowsAsync<TicketException>(() => accounts.AddAsync(new NewAgent(login, "赵六", email, null, AgentRole.Agent), null));

        Assert.Contains(expected, ex.Message, StringComparison.Ordinal);
        Assert.Single(accounts.List());
    }

    [Fact]
    public async Task AddAsync_EmptyPassword_IsRefused()
    {
        await using var host = new ReplyHost(engine);
        var accounts = host.Services.GetRequiredService<AgentAccounts>();
        var ex = await Assert.ThrowsAsync<TicketException>(() => accounts.AddAsync(new NewAgent("li", "李四", "li@desk.test", null, AgentRole.Agent), "  "));
        Assert.Equal("The password is empty.", ex.Message);
        Assert.Empty(accounts.List());
    }

    [Fact]
    public async Task ImportAsync_ConfiguredAgents_CreatedOnceAndNeverOverwritten()
    {
        await using var host = new ReplyHost(engine, new() { ["Agents:1:Name"] = "王五", ["Agents:1:Email"] = "Wang.Wu@desk.test", ["Agents:1:Login"] = "wangwu" });
        var accounts = host.Services.GetRequiredService<AgentAccounts>();
        var configured = host.Services.GetRequiredService<AgentDirectory>().All;

        var first = await accounts.ImportAsync(configured);

        Assert.Equal(["lisi", "wangwu"], first.Select(a => a.Login).Order());
        Assert.All(first, a => Assert.Equal("config", a.Source));
        Assert.All(first, a => Assert.Equal(AgentRole.Agent, a.Role));
        await accounts.DisableAsync("lisi");
        await accounts.SetRoleAsync("wangwu", AgentRole.Lead);

        var second = await accounts.ImportAsync(configured);

        Assert.Empty(second);
        var all = accounts.List();
        Assert.Equal(2, all.Count);
        Assert.False(all.Single(a => a.Login == "lisi").Active);
        Assert.Equal(AgentRole.Lead, all.Single(a => a.Login == "wangwu").Role);
    }

    [Fact]
    public async Task AgentMail_FromADisabledAccount_IsUntrustedAndFromAnActiveOneActsAsItsLogin()
    {
        await using var host = new ReplyHost(engine);
        var accounts = host.Services.GetRequiredService<AgentAccounts>();
        await accounts.ImportAsync(host.Services.GetRequiredService<AgentDirectory>().All);
        var ticket = await host.FromMailAsync(ReplyHost.Mail("zhang@customer.test", ReplyHost.Support, "多扣费", "多扣了"), TicketKind.Complaint);

        await accounts.DisableAsync("lisi");
        Assert.Equal(AgentMailOutcome.Untrusted, await HandleAsync(host, ticket.Id, "#close"));
        await accounts.EnableAsync("lisi");
        Assert.Equal(AgentMailOutcome.Applied, await HandleAsync(host, ticket.Id, "#close"));

        var history = host.Tickets.Get(ticket.Ref).History;
        Assert.Contains(history, h => h.Action == "status" && h.Actor == "lisi");
    }

    [Fact]
    public async Task SignInAsync_FiveWrongPasswords_LockForFiveMinutesInTheStoreThenTheRightOneWorks()
    {
        var clock = new Microsoft.Extensions.Time.Testing.FakeTimeProvider(new DateTimeOffset(2026, 9, 1, 2, 0, 0, TimeSpan.Zero));
        await using var host = new ReplyHost(engine, clock: clock);
        var accounts = host.Services.GetRequiredService<AgentAccounts>();
        await accounts.AddAsync(new NewAgent("li", "李四", "li@desk.test", null, AgentRole.Agent), "right one");

        // A right password clears the count: four wrong, one right, four wrong again do not lock.
        for (var i = 0; i < 4; i++)
        {
            Assert.Equal(new SignInAttempt(null, null), await accounts.SignInAsync("li", "wrong"));
        }

        Assert.Equal("li", (await accounts.SignInAsync("LI", "right one")).Account?.Login);
        for (var i = 0; i < 4; i++)
        {
            Assert.Null((await accounts.SignInAsync("li", "wrong")).LockedUntil);
        }

        var locked = await accounts.SignInAsync("li", "wrong");
        Assert.Null(locked.Account);
        Assert.Equal(clock.GetUtcNow() + AgentAccounts.LockDuration, locked.LockedUntil);
        // Locked: the right password is not even checked, and the lock is in the store (a second node reads it).
        Assert.Equal(locked, await accounts.SignInAsync("li", "right one"));
        Assert.NotNull(host.Tickets.Database.Read(c => c.Scalar("SELECT locked_until FROM agents WHERE login = 'li'")));

        clock.Advance(AgentAccounts.LockDuration - TimeSpan.FromSeconds(1));
        Assert.Equal(locked.LockedUntil, (await accounts.SignInAsync("li", "right one")).LockedUntil);
        clock.Advance(TimeSpan.FromSeconds(1));
        Assert.Equal("li", (await accounts.SignInAsync("li", "right one")).Account?.Login);
        // After the lock the count starts again from nothing.
        Assert.Null((await accounts.SignInAsync("li", "wrong")).LockedUntil);
    }

    [Fact]
    public async Task SignInAsync_UnknownOrDisabledLogin_FailsAndLocksLikeAWrongPasswordOfAnAccount()
    {
        var clock = new Microsoft.Extensions.Time.Testing.FakeTimeProvider(new DateTimeOffset(2026, 9, 1, 2, 0, 0, TimeSpan.Zero));
        await using var host = new ReplyHost(engine, clock: clock);
        var accounts = host.Services.GetRequiredService<AgentAccounts>();
        await accounts.AddAsync(new NewAgent("li", "李四", "li@desk.test", null, AgentRole.Agent), "right one");
        await accounts.AddAsync(new NewAgent("wang", "王五", "wang@desk.test", null, AgentRole.Agent), "right two");
        await accounts.DisableAsync("li");

        // The same answers for an account (wang), a disabled one (li, even with its right password) and
        // logins without one: four failures, then the lock, then the lock again; nothing tells them apart.
        foreach (var (login, password) in new[] { ("wang", "wrong"), ("li", "right one"), ("nobody", "x"), ("NoBody2 ", "x") })
        {
            for (var i = 0; i < 4; i++)
            {
                Assert.Equal(new SignInAttempt(null, null), await accounts.SignInAsync(login, password));
            }

            var locked = await accounts.SignInAsync(login, password);
            Assert.Equal(new SignInAttempt(null, clock.GetUtcNow() + AgentAccounts.LockDuration), locked);
            Assert.Equal(locked, await accounts.SignInAsync(login, password));
        }

        // After the lock a login without an account counts from nothing again, as an account does.
        clock.Advance(AgentAccounts.LockDuration);
        Assert.Equal(new SignInAttempt(null, null), await accounts.SignInAsync("nobody", "x"));
        Assert.Equal("wang", (await accounts.SignInAsync("wang", "right two")).Account?.Login);
        // Logins not tried for a day are forgotten: guessing logins cannot fill the store.
        clock.Advance(TimeSpan.FromDays(1) + TimeSpan.FromSeconds(1));
        Assert.Equal(new SignInAttempt(null, null), await accounts.SignInAsync("third", "x"));
        Assert.Equal(1L, Convert.ToInt64(host.Tickets.Database.Read(c => c.Scalar("SELECT count(*) FROM signin_failures")), System.Globalization.CultureInfo.InvariantCulture));
        Assert.Equal("third", host.Tickets.Database.Read(c => c.Scalar("SELECT login FROM signin_failures")) as string);
    }

    private static Task<AgentMailOutcome> HandleAsync(ReplyHost host, long ticketId, string body) =>
        host.WriteAsync((c, tx) => host.AgentMail.TryHandleAgentMail(c, tx, ReplyHost.Incoming(
            ReplyHost.Mail(ReplyHost.AgentEmail, host.Workflow.SignedAddress(ticketId), "Re: notification", body)), out _));
}

public sealed class AgentAccountsTestsOnSqlite() : AgentAccountsTests(StoreKind.Sqlite);

public sealed class AgentAccountsTestsOnPostgres() : AgentAccountsTests(StoreKind.Postgres);
