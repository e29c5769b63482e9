using TicketGateway.OperatorGateway.Updates;
using TicketGateway.Tickets;
using TicketGateway.Tickets.Sla;

namespace TicketGateway.OperatorGateway.Tests.Unit.Updates;

public sealed class UpdateMessagesTests
{
    private static readonly DateTimeOffset Now = new(2026, 11, 2, 1, 0, 0, TimeSpan.Zero);

    [Theory]
    [InlineData("已联系业务部门核实。")]
    [InlineData("已联系业务部门核实")]
    [InlineData("已联系业务部门核实。 ")]
    public void Render_ProgressDetailEndingWithOrWithoutFullStop_EndsTheSentenceOnce(string detail)
    {
        var messages = new UpdateMessages(new DeadlineCalculator(CalendarLoader.Load([]), TimeZoneInfo.FindSystemTimeZoneById("Asia/Shanghai"), new SlaOptions()));

        var text = messages.Render(UpdateKind.Progress, Ticket(), Now.AddHours(2), detail, null);

        Assert.Equal("工单 TG-000007 正在处理：已联系业务部门核实。处理时限 2026-11-02 11:00。", text);
    }

    private static Ticket Ticket() => new()
    {
        Id = 7,
        Channel = Channel.Operator,
        Kind = TicketKind.Complaint,
        Level = 1,
        Status = TicketStatus.Open,
        Customer = new Customer(null, null, "13800000001"),
        Subject = "扣费",
        AcceptedAt = Now,
        ReplyDueAt = Now.AddHours(2),
        ResolveDueAt = Now.AddHours(2),
    };
}
