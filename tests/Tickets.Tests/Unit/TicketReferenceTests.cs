namespace TicketGateway.Tickets.Tests.Unit;

public sealed class TicketReferenceTests
{
    [Fact]
    public void Format_PadsToSixDigits() => Assert.Equal("TG-000123", TicketReference.Format(123));

    [Theory]
    [InlineData("TG-000123", 123)]
    [InlineData("tg-123", 123)]
    [InlineData(" TG-1234567 ", 1234567)]
    public void TryParse_ValidReference_ReturnsKey(string text, long expected)
    {
        Assert.True(TicketReference.TryParse(text, out var id));
        Assert.Equal(expected, id);
    }

    [Theory]
    [InlineData("")]
    [InlineData("123")]
    [InlineData("TG-")]
    [InlineData("TG-12a")]
    [InlineData("TG-000000")]
    [InlineData("XX-000123")]
    [InlineData("TG-99999999999999999999")]
    public void TryParse_Malformed_ReturnsFalse(string text) => Assert.False(TicketReference.TryParse(text, out _));
}
