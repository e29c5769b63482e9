namespace TicketGateway.Tickets.Tests.Unit;

public sealed class PhoneNumberTests
{
    [Theory]
    [InlineData("+86 138 0013 8000", "13800138000")]
    [InlineData("0086 13800138000", "13800138000")]
    [InlineData("8613800138000", "13800138000")]
    [InlineData("138-0013-8000", "13800138000")]
    [InlineData("(010) 6552 9988", "01065529988")]
    [InlineData("861234", "861234")]
    public void National_WrittenAnyWay_OneForm(string written, string expected) => Assert.Equal(expected, PhoneNumber.National(written));

    [Theory]
    [InlineData("+86 138-0013-8000", "+8613800138000")]
    [InlineData(" (010) 6552 9988 ", "01065529988")]
    [InlineData("10086", "10086")]
    public void StoredOrNull_Separators_RemovedPlusKept(string written, string expected) => Assert.Equal(expected, PhoneNumber.StoredOrNull(written));

    [Theory]
    [InlineData("12")]
    [InlineData("138.0013.8000")]
    [InlineData("ext 100")]
    [InlineData("1234567890123456789012")]
    [InlineData("++8613800138000")]
    public void StoredOrNull_NotANumber_Null(string written) => Assert.Null(PhoneNumber.StoredOrNull(written));
}
