using TicketGateway.Tickets.Replies;

namespace TicketGateway.Tickets.Tests.Unit.Replies;

public sealed class ReplyAddressTests
{
    private readonly ReplyAddress _signer = new("support@desk.test", "a-secret-of-some-length");

    [Fact]
    public void For_ThenTryRead_RoundTripsWithValidToken()
    {
        var address = _signer.For(123);

        Assert.Matches(@"^support\+TG-000123\.[a-z2-7]{16}@desk\.test$", address);
        Assert.True(_signer.TryRead(address.ToUpperInvariant(), out var id, out var valid));
        Assert.Equal(123, id);
        Assert.True(valid);
    }

    [Fact]
    public void TryRead_TokenOfAnotherTicket_IsInvalid()
    {
        var other = _signer.For(124);
        var forged = other.Replace("TG-000124", "TG-000123", StringComparison.Ordinal);

        Assert.True(_signer.TryRead(forged, out var id, out var valid));
        Assert.Equal(123, id);
        Assert.False(valid);
    }

    [Theory]
    [InlineData("support+TG-000123@desk.test")]
    [InlineData("support+TG-000123.aaaaaaaaaaaaaaaa@desk.test")]
    public void TryRead_MissingOrWrongToken_IsOursButInvalid(string address)
    {
        Assert.True(_signer.TryRead(address, out _, out var valid));
        Assert.False(valid);
    }

    [Fact]
    public void TryRead_SignedWithAnotherSecret_IsInvalid()
    {
        var address = new ReplyAddress("support@desk.test", "another-secret-entirely").For(123);

        Assert.True(_signer.TryRead(address, out _, out var valid));
        Assert.False(valid);
    }

    [Theory]
    [InlineData("support@desk.test")]
    [InlineData("support+TG-000123.x@other.test")]
    [InlineData("sales+TG-000123.x@desk.test")]
    [InlineData("customer@example.com")]
    public void TryRead_NotASignedAddress_ReturnsFalse(string address)
    {
        Assert.False(_signer.TryRead(address, out _, out _));
    }
}
