using TicketGateway.OperatorGateway.Hosting;

namespace TicketGateway.OperatorGateway.Tests.Unit.Hosting;

public sealed class PersonalDataTests
{
    [Theory]
    [InlineData("caller 13800138000 rang", "caller 138****8000 rang")]
    [InlineData("msisdn=+8613912345678;", "msisdn=+86139****5678;")]
    [InlineData("from wang.wei@example.net: hi", "from w***@example.net: hi")]
    [InlineData("To: <w@mail.example.com.cn>", "To: <w***@mail.example.com.cn>")]
    [InlineData("两位客户 13800138000、13900139000", "两位客户 138****8000、139****9000")]
    public void Mask_PhoneNumbersAndEmails_KeepsTheirEndsOnly(string line, string masked) =>
        Assert.Equal(masked, PersonalData.Mask(line));

    [Theory]
    [InlineData("order 213800138000 at 1764000000123")]
    [InlineData("ticket TG-000123, 12800138000 is no mobile, 10 min")]
    [InlineData("listening on http://127.0.0.1:5080")]
    public void Mask_IdsTimestampsAndOtherNumbers_LeftAlone(string line) =>
        Assert.Equal(line, PersonalData.Mask(line));
}
