using TicketGateway.Tickets.Replies;

namespace TicketGateway.Tickets.Tests.Unit.Replies;

public sealed class SurveyAnswerParserTests
{
    [Theory]
    [InlineData("1", Satisfaction.Satisfied)]
    [InlineData(" 1。\r\n\r\n> 您对处理结果是否满意？", Satisfaction.Satisfied)]
    [InlineData("１", Satisfaction.Satisfied)]
    [InlineData("满意", Satisfaction.Satisfied)]
    [InlineData("Satisfied!", Satisfaction.Satisfied)]
    [InlineData("2", Satisfaction.Unsatisfied)]
    [InlineData("\n\n不满意\n谢谢", Satisfaction.Unsatisfied)]
    [InlineData("UNSATISFIED", Satisfaction.Unsatisfied)]
    public void Parse_Answer_IsRecognised(string body, Satisfaction expected)
    {
        Assert.Equal(expected, SurveyAnswerParser.Parse(body));
    }

    [Theory]
    [InlineData("")]
    [InlineData("12")]
    [InlineData("我还是不太满意，因为...")]
    [InlineData("> 1")]
    [InlineData("Thanks, but my phone still does not work")]
    public void Parse_AnythingElse_IsNotAnAnswer(string body)
    {
        Assert.Null(SurveyAnswerParser.Parse(body));
    }
}
