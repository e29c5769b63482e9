using System.Text.Json;
using TicketGateway.OperatorGateway.Tests.Support;

namespace TicketGateway.OperatorGateway.Tests.Functional;

/// <summary><c>tickets search</c> and <c>tickets list --customer</c> through the real executable.</summary>
public abstract class CliSearchTests(StoreKind engine)
{
    private static async Task CreateAsync(Desk desk, string phone, string subject, string text) =>
        await desk.OkAsync("tickets", "create", "--channel", "phone", "--kind", "complaint", "--customer-phone", phone, "--subject", subject, "--text", text);

    [Fact]
    public async Task Search_Json_RankedNewestFirstWithTicketKeysAndRank()
    {
        using var desk = new Desk(engine);
        await CreateAsync(desk, "+86 138 0013 8000", "短信问题", "退订彩铃业务后仍然收到短信");
        await CreateAsync(desk, "13900139000", "彩铃收费", "彩铃每月扣费多少");
        await CreateAsync(desk, "13700137000", "其他", "与此无关");

        // TEXT may be one quoted argument or several words.
        foreach (var args in new[] { new[] { "tickets", "search", "退订 彩铃", "--json" }, ["tickets", "search", "退订", "彩铃", "--json"] })
        {
            using var doc = await desk.JsonAsync(args);
            var hit = Assert.Single(doc.RootElement.EnumerateArray());
            Assert.Equal("TG-000001", hit.GetProperty("ref").GetString());
            Assert.Equal(0, hit.GetProperty("rank").GetInt32());
            Assert.Equal("+8613800138000", hit.GetProperty("customer").GetProperty("phone").GetString());
            foreach (var key in new[] { "ref", "channel", "kind", "level", "status", "customer", "subject", "acceptedAt", "rank" })
            {
                Assert.True(hit.TryGetProperty(key, out _), $"tickets search --json lacks '{key}'");
            }
        }

        using (var both = await desk.JsonAsync("tickets", "search", "彩铃", "--json"))
        {
            // TG-000002 has it in its subject (rank 1), TG-000001 only in its text (rank 0).
            Assert.Equal(["TG-000002", "TG-000001"], both.RootElement.EnumerateArray().Select(e => e.GetProperty("ref").GetString()));
        }

        using (var limited = await desk.JsonAsync("tickets", "search", "彩铃", "--limit", "1", "--json"))
        {
            Assert.Equal("TG-000002", Assert.Single(limited.RootElement.EnumerateArray()).GetProperty("ref").GetString());
        }

        using (var phone = await desk.JsonAsync("tickets", "search", "0086", "138-0013-8000", "--json"))
        {
            Assert.Equal("TG-000001", Assert.Single(phone.RootElement.EnumerateArray()).GetProperty("ref").GetString());
        }

        using var none = await desk.JsonAsync("tickets", "search", "找不到的内容", "--json");
        Assert.Equal(JsonValueKind.Array, none.RootElement.ValueKind);
        Assert.Empty(none.RootElement.EnumerateArray());
    }

    [Fact]
    public async Task Search_Table_ShowsTicketsAndCount()
    {
        using var desk = new Desk(engine);
        await CreateAsync(desk, "13800138000", "VIP会员彩铃", "开通了VIP彩铃但无法设置");
        var r = await desk.RunAsync("tickets", "search", "vip", "彩铃");
        Assert.Equal(0, r.ExitCode);
        Assert.Contains("TG-000001", r.Stdout, StringComparison.Ordinal);
        Assert.Contains("VIP会员彩铃", r.Stdout, StringComparison.Ordinal);
        Assert.EndsWith("1 ticket(s).", r.Stdout.TrimEnd(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task ListCustomer_PhoneWrittenFourWays_ListsThatCallersTickets()
    {
        using var desk = new Desk(engine);
        await CreateAsync(desk, "+86 138 0013 8000", "扣费", "被扣费");
        await CreateAsync(desk, "13900139000", "扣费", "别人的");
        await CreateAsync(desk, "138-0013-8000", "又扣费", "再次被扣费");

        foreach (var written in new[] { "+86 138 0013 8000", "13800138000", "138-0013-8000", "0086 13800138000" })
        {
            using var doc = await desk.JsonAsync("tickets", "list", "--customer", written, "--json");
            Assert.Equal(["TG-000001", "TG-000003"], doc.RootElement.EnumerateArray().Select(e => e.GetProperty("ref").GetString()).Order());
        }
    }

    [Theory]
    [InlineData("missing search text", "tickets", "search")]
    [InlineData("search text is empty", "tickets", "search", " ")]
    [InlineData("--limit '0' is not a positive whole number", "tickets", "search", "彩铃", "--limit", "0")]
    [InlineData("--customer 'abc' is neither an email address nor a phone number", "tickets", "list", "--customer", "abc")]
    public async Task WrongInput_ExitsTwoWithOneLine(string expected, params string[] args)
    {
        using var desk = new Desk(engine);
        var r = await desk.RunAsync(args);
        Assert.Equal(2, r.ExitCode);
        var line = Assert.Single(r.Stderr.Split('\n', StringSplitOptions.RemoveEmptyEntries));
        Assert.Contains(expected, line, StringComparison.Ordinal);
    }
}

public sealed class CliSearchTestsOnSqlite() : CliSearchTests(StoreKind.Sqlite);

public sealed class CliSearchTestsOnPostgres() : CliSearchTests(StoreKind.Postgres);
