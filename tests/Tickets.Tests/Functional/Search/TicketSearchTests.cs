using TicketGateway.TestSupport;

namespace TicketGateway.Tickets.Tests.Functional.Search;

public abstract class TicketSearchTests(StoreKind engine)
{
    private static readonly DateTimeOffset Now = new(2026, 9, 30, 10, 0, 0, TimeSpan.FromHours(8));

    private static NewTicket Mail(string email, string subject, string text, string? name = null) =>
        new(Channel.Email, TicketKind.Inquiry, new Customer(name, email, null), subject, text);

    private static NewTicket Call(string phone, string subject, string text, string? name = null) =>
        new(Channel.Phone, TicketKind.Complaint, new Customer(name, null, phone), subject, text, 1);

    private static List<string> Refs(IEnumerable<SearchHit> hits) => [.. hits.Select(h => h.Ticket.Ref)];

    private static async Task<Ticket[]> CreateAsync(TempStore store, params NewTicket[] tickets)
    {
        var created = new List<Ticket>();
        foreach (var t in tickets)
        {
            created.Add(await store.Service.CreateAsync(t, "test"));
        }

        return [.. created];
    }

    [Fact]
    public async Task Search_ChineseSubstrings_FindTheTicketWithoutSpacesInItsText()
    {
        await using var store = new TempStore(Now, engine);
        var search = new TicketSearch(store.Service.Database);
        var wanted = (await CreateAsync(
            store,
            Mail("a@example.com", "短信问题", "退订彩铃业务后仍然收到短信"),
            Mail("b@example.com", "彩铃收费", "彩铃每月扣费多少"),
            Mail("c@example.com", "退订", "如何退订新闻业务")))[0];

        // Two two-character terms, both in the one text: only the first ticket has both.
        Assert.Equal([wanted.Ref], Refs(search.Search("退订 彩铃")));
        // A two-character term alone: both tickets, the one with it in its subject first.
        Assert.Equal(["TG-000002", wanted.Ref], Refs(search.Search("彩铃")));
        // Four characters, from the middle of the text.
        Assert.Equal([wanted.Ref], Refs(search.Search("仍然收到")));
        // Across the text: a phrase the text does not hold in this order finds nothing.
        Assert.Empty(search.Search("收到彩铃"));
    }

    [Fact]
    public async Task Search_OneCharacterAndLastCharacters_AreFound()
    {
        await using var store = new TempStore(Now, engine);
        var search = new TicketSearch(store.Service.Database);
        var t = await store.Service.CreateAsync(Mail("a@example.com", "问题", "无法登录网站"), "test");

        // The last two characters of the text, and of the subject, and a single character.
        Assert.Equal([t.Ref], Refs(search.Search("网站")));
        Assert.Equal([t.Ref], Refs(search.Search("题")));
        Assert.Equal([t.Ref], Refs(search.Search("登")));
        Assert.Empty(search.Search("站网"));
    }

    [Fact]
    public async Task Search_MixedChineseAndEnglish_IgnoresCaseOfEnglish()
    {
        await using var store = new TempStore(Now, engine);
        var search = new TicketSearch(store.Service.Database);
        var vip = (await CreateAsync(
            store,
            Mail("vip@example.com", "VIP会员彩铃", "开通了VIP彩铃但无法设置"),
            Mail("x@example.com", "普通彩铃", "彩铃无法设置"),
            Mail("y@example.com", "Vipshop order", "where is my order")))[0];

        Assert.Equal([vip.Ref], Refs(search.Search("VIP 彩铃")));
        Assert.Equal([vip.Ref], Refs(search.Search("vip 彩铃")));
        Assert.Equal([vip.Ref], Refs(search.Search("Vip会员")));
        // "vip" alone: both tickets with it, in any case, newest first.
        Assert.Equal(["TG-000003", vip.Ref], Refs(search.Search("vIp")));
        Assert.All(search.Search("vIp"), h => Assert.Equal(1, h.Rank));
        // In the text only: rank 0.
        Assert.Equal(0, Assert.Single(search.Search("where is")).Rank);
        Assert.Equal(["TG-000003"], Refs(search.Search("ORDER")));
    }

    [Theory]
    [InlineData("+86 138 0013 8000")]
    [InlineData("13800138000")]
    [InlineData("138-0013-8000")]
    [InlineData("0086 13800138000")]
    [InlineData("+86-138-0013-8000")]
    public async Task Search_PhoneNumberWrittenAnyWay_FindsTicketsStoredInEveryForm(string query)
    {
        await using var store = new TempStore(Now, engine);
        var search = new TicketSearch(store.Service.Database);
        // Stored as given, separators removed: +8613800138000, 13800138000, 008613800138000.
        var made = await CreateAsync(
            store,
            Call("+86 138 0013 8000", "扣费", "被扣费"),
            Call("138-0013-8000", "扣费", "又被扣费"),
            Call("0086 138 0013 8000", "扣费", "再次扣费"),
            Call("13900139000", "扣费", "别人的投诉"));
        var (a, b, c) = (made[0], made[1], made[2]);

        Assert.Equal([c.Ref, b.Ref, a.Ref], Refs(search.Search(query)));
        // The number is a customer field: rank 1.
        Assert.All(search.Search(query), h => Assert.Equal(1, h.Rank));
    }

    [Fact]
    public async Task Search_NameEmailAndPartialNumber_AreCustomerFields()
    {
        await using var store = new TempStore(Now, engine);
        var search = new TicketSearch(store.Service.Database);
        var a = await store.Service.CreateAsync(Mail("Zhang.San@Example.com", "账单", "请查询账单", name: "张三丰"), "test");
        var b = await store.Service.CreateAsync(Call("13800138000", "扣费", "被扣费", name: "李四"), "test");

        Assert.Equal([a.Ref], Refs(search.Search("张三")));
        Assert.Equal([a.Ref], Refs(search.Search("zhang.san@example")));
        Assert.Equal([b.Ref], Refs(search.Search("0013 8000")));
    }

    [Fact]
    public async Task Search_MessageAddedAMomentAgo_IsFoundOnceCommitted()
    {
        await using var store = new TempStore(Now, engine);
        var search = new TicketSearch(store.Service.Database);
        var t = await store.Service.CreateAsync(Mail("a@example.com", "咨询", "请问资费"), "test");
        Assert.Empty(search.Search("流量包"));

        await store.Service.Database.WriteAsync((c, tx) => store.Service.AddMessage(c, tx, t.Id,
            new TicketMessage(0, MessageDirection.Inbound, Now, "a@example.com", null, "Re: 咨询", "另外想问流量包怎么退", null, false), "test", "test"));
        Assert.Equal([t.Ref], Refs(search.Search("流量包")));
        Assert.Equal([t.Ref], Refs(search.Search("资费 流量包")));

        var created = await store.Service.CreateAsync(Mail("b@example.com", "新工单", "刚刚提交的流量包问题"), "test");
        Assert.Equal([created.Ref, t.Ref], Refs(search.Search("流量包")));
    }

    [Fact]
    public async Task Search_Ranking_SubjectOrCustomerBeforeMessagesThenNewestFirst()
    {
        await using var store = new TempStore(Now, engine);
        var search = new TicketSearch(store.Service.Database);
        var made = await CreateAsync(
            store,
            Mail("a@example.com", "彩铃扣费", "每月都扣钱"),
            Mail("b@example.com", "扣费", "彩铃扣费不对"),
            Mail("c@example.com", "问题", "彩铃扣费了"),
            Mail("d@example.com", "彩铃", "彩铃扣费太贵"));
        var (inSubject, inText1, inText2, both) = (made[0], made[1], made[2], made[3]);

        // Only inSubject has both terms in its subject (rank 1); the others, newest first.
        var hits = search.Search("彩铃 扣费");
        Assert.Equal([inSubject.Ref, both.Ref, inText2.Ref, inText1.Ref], Refs(hits));
        Assert.Equal([1, 0, 0, 0], hits.Select(h => h.Rank));

        Assert.Equal([inSubject.Ref, both.Ref], Refs(search.Search("彩铃 扣费", limit: 2)));
        // One term: the two with it in their subject, newest first, then the newest with it only in its text.
        Assert.Equal([inText1.Ref, inSubject.Ref, both.Ref], Refs(search.Search("扣费", limit: 3)));
    }

    [Fact]
    public async Task Search_NoMatchOrEmptyText_NothingOrOneSentence()
    {
        await using var store = new TempStore(Now, engine);
        var search = new TicketSearch(store.Service.Database);
        await store.Service.CreateAsync(Mail("a@example.com", "咨询", "请问资费"), "test");

        Assert.Empty(search.Search("不存在的内容"));
        Assert.Empty(search.Search("zz"));
        Assert.Empty(search.Search("100%"));
        var ex = Assert.Throws<TicketException>(() => search.Search("  \u3000 "));
        Assert.Contains("empty", ex.Message, StringComparison.Ordinal);
        Assert.Throws<TicketException>(() => search.Search("资费", limit: 0));
    }

    [Fact]
    public async Task Search_ExistingTicketsOfAnOlderStore_AreIndexedByTheSchemaStep()
    {
        await using var store = new TempStore(Now, engine);
        var t = await store.Service.CreateAsync(Mail("a@example.com", "旧工单", "升级前的彩铃投诉"), "test");
        // Reopening applies nothing new, and a restart keeps the index (both engines keep it in the store).
        await store.RestartAsync();
        Assert.Equal([t.Ref], Refs(new TicketSearch(store.Service.Database).Search("彩铃投诉")));
    }

    [Fact]
    public async Task List_ByCustomer_PhoneInAnyFormOrEmailInAnyCase()
    {
        await using var store = new TempStore(Now, engine);
        var made = await CreateAsync(
            store,
            Call("+86 138 0013 8000", "扣费", "被扣费"),
            Call("13800138000", "扣费", "又被扣费"),
            Call("13900139000", "扣费", "别人的"),
            Mail("zhang@example.com", "账单", "请查询"));
        var (a, b, m) = (made[0], made[1], made[3]);

        foreach (var written in new[] { "0086 138-0013-8000", "138 0013 8000", "+8613800138000" })
        {
            Assert.Equal([a.Ref, b.Ref], store.Service.List(new TicketQuery(Customer: written)).Select(t => t.Ref).Order());
        }

        Assert.Equal([m.Ref], store.Service.List(new TicketQuery(Customer: "Zhang@Example.com")).Select(t => t.Ref));
        Assert.Empty(store.Service.List(new TicketQuery(Customer: "13700137000")));
    }
}

public sealed class TicketSearchTestsOnSqlite() : TicketSearchTests(StoreKind.Sqlite);

public sealed class TicketSearchTestsOnPostgres() : TicketSearchTests(StoreKind.Postgres);
