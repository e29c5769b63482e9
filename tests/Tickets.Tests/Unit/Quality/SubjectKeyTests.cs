using TicketGateway.Tickets.Kpis;

namespace TicketGateway.Tickets.Tests.Unit.Quality;

public sealed class SubjectKeyTests
{
    [Theory]
    [InlineData("扣费投诉", "Re: 扣费投诉")]
    [InlineData("扣费投诉", "回复：回复: 扣费投诉！")]
    [InlineData("无法退订", "[TG-000123] 无法退订")]
    [InlineData("Cannot unsubscribe", "FW: cannot  UNSUBSCRIBE.")]
    [InlineData("ＡＢＣ套餐扣费", "abc套餐扣费")]
    [InlineData("扣费投诉", "关于扣费投诉的跟进")]
    public void Same_VariantsOfOneSubject_Match(string a, string b) => Assert.True(SubjectKey.Same(a, b));

    [Theory]
    [InlineData("扣费投诉", "无法退订")]
    [InlineData("扣费", "扣费以外的问题")]
    [InlineData("!!!", "???")]
    public void Same_DifferentOrTooShortSubjects_DoNotMatch(string a, string b) => Assert.False(SubjectKey.Same(a, b));

    [Fact]
    public void Normalise_PrefixesPunctuationAndCase_Removed() =>
        Assert.Equal("扣费abc", SubjectKey.Normalise("Re: Fwd: 【扣费】 ABC"));
}
