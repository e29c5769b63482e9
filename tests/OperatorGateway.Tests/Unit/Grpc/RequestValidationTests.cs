using Google.Protobuf.WellKnownTypes;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;
using TicketGateway.OperatorGateway.Complaints;
using TicketGateway.OperatorGateway.Grpc;
using TicketGateway.OperatorGateway.Tests.Support;

namespace TicketGateway.OperatorGateway.Tests.Unit.Grpc;

public sealed class RequestValidationTests
{
    private readonly RequestValidation _validation = new(Options.Create(new ComplaintOptions()), new FakeTimeProvider(DateTimeOffset.UtcNow));

    [Theory]
    [InlineData("+8613800138000")]
    [InlineData("8613800138000")]
    [InlineData("138-0013-8000")]
    public void Submission_MsisdnWithCountryCodeOrSeparators_KeepsElevenDigits(string msisdn) =>
        Assert.Equal("13800138000", _validation.Submission(Exchange.Complaint("O-1", msisdn)).Msisdn);

    [Theory]
    [InlineData("order_id")]
    [InlineData("msisdn")]
    [InlineData("service_code")]
    public void Submission_ValueWithTrailingNewline_NamesTheField(string field)
    {
        var r = Exchange.Complaint("O-1");
        _ = field switch
        {
            "order_id" => r.OrderId = "x1\n",
            "msisdn" => r.Msisdn = "13800138000\n",
            _ => r.ServiceCode = "SP-MUSIC-01\n",
        };
        Assert.Equal(field, Assert.Throws<ComplaintException>(() => _validation.Submission(r)).Field);
    }

    [Fact]
    public void OrderId_TrailingNewline_IsRefused() =>
        Assert.Equal("order_id", Assert.Throws<ComplaintException>(() => RequestValidation.OrderId("WO-1\n")).Field);

    [Fact]
    public void Echo_LongValue_ShortPrefixAndLength()
    {
        var echo = RequestValidation.Echo(new string('9', 1_000_000));
        Assert.Equal(new string('9', 32) + "… (1000000 characters)", echo);
        Assert.Equal("12345", RequestValidation.Echo("12345"));
    }

    [Fact]
    public void Submission_ReplyByBeforeReceivedAt_NamesReplyBy()
    {
        var r = Exchange.Complaint("O-1");
        r.ReplyBy = Timestamp.FromDateTimeOffset(r.ReceivedAt.ToDateTimeOffset().AddHours(-1));
        Assert.Equal("reply_by", Assert.Throws<ComplaintException>(() => _validation.Submission(r)).Field);
    }

    [Fact]
    public void Submission_LevelFive_NamesLevel()
    {
        var r = Exchange.Complaint("O-1");
        r.Level = 5;
        Assert.Equal("level", Assert.Throws<ComplaintException>(() => _validation.Submission(r)).Field);
    }

    [Fact]
    public void Submission_SameRequestTwice_SameHashButOtherContentDiffers()
    {
        var r = Exchange.Complaint("O-1");
        var other = r.Clone();
        other.Title += "!";
        Assert.Equal(_validation.Submission(r).RequestHash, _validation.Submission(r.Clone()).RequestHash);
        Assert.NotEqual(_validation.Submission(r).RequestHash, _validation.Submission(other).RequestHash);
    }

    [Fact]
    public void Submission_AttachmentsOverTheByteLimit_NamesTheAttachmentThatCrossedIt()
    {
        var validation = new RequestValidation(Options.Create(new ComplaintOptions { MaxAttachmentBytes = 20 }), TimeProvider.System);
        var r = Exchange.Complaint("O-1");
        r.Attachments.Add(new Protos.Operator.V1.Attachment { Name = "big.bin", Content = Google.Protobuf.ByteString.CopyFrom(new byte[8]) });
        Assert.Equal("attachments[1].content", Assert.Throws<ComplaintException>(() => validation.Submission(r)).Field);
    }
}
