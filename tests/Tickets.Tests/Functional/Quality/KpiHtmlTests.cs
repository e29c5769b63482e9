using TicketGateway.Tickets.Kpis;

namespace TicketGateway.Tickets.Tests.Functional.Quality;

public sealed class KpiHtmlTests
{
    [Fact]
    public async Task Render_EmptyMonth_SaysZeroDenominatorInsteadOfARate()
    {
        await using var store = new QualityStore(new DateTimeOffset(2026, 12, 1, 9, 0, 0, TimeSpan.FromHours(8)));
        var html = KpiHtml.Render(store.Kpis.Compute(KpiMonth.TryParse("2026-11", QualityStore.Zone)!));

        Assert.Contains("zero denominator: no calls recorded this month", html, StringComparison.Ordinal);
        Assert.Contains("zero denominator: no inquiries received this month", html, StringComparison.Ordinal);
        Assert.Contains("zero denominator: no complaints received this month", html, StringComparison.Ordinal);
        Assert.Contains("Every indicator with data met its target.", html, StringComparison.Ordinal);
        Assert.DoesNotContain("0.00%", html, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Render_SubjectWithMarkup_IsEscaped()
    {
        await using var store = new QualityStore(new DateTimeOffset(2026, 12, 1, 9, 0, 0, TimeSpan.FromHours(8)));
        await store.Service.CreateAsync(new NewTicket(Channel.Email, TicketKind.Inquiry, new Customer(null, "a@example.com", null), "<script>alert(1)</script>", "x",
            AcceptedAt: new DateTimeOffset(2026, 11, 5, 9, 0, 0, TimeSpan.FromHours(8))), "test");
        var html = KpiHtml.Render(store.Kpis.Compute(KpiMonth.TryParse("2026-11", QualityStore.Zone)!));

        Assert.DoesNotContain("<script>", html, StringComparison.Ordinal);
        Assert.Contains("&lt;script&gt;alert(1)&lt;/script&gt;", html, StringComparison.Ordinal);
    }
}
