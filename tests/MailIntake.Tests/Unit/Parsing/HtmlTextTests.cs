using TicketGateway.MailIntake.Parsing;

namespace TicketGateway.MailIntake.Tests.Unit.Parsing;

public sealed class HtmlTextTests
{
    [Fact]
    public void ToText_Table_SeparatesCellsAndPutsEachRowOnItsOwnLine()
    {
        const string html = """
            <p>您订购的业务：</p>
            <table>
              <tr><th>Plan</th><th>Price</th></tr>
              <tr>
                <td>Weather Daily</td>
                <td>5 元/月</td>
              </tr>
              <tr><td>News</td><td></td><td>3 元/月</td></tr>
            </table>
            <p>谢谢</p>
            """;

        Assert.Equal("您订购的业务：\nPlan | Price\nWeather Daily | 5 元/月\nNews | | 3 元/月\n谢谢", HtmlText.ToText(html));
    }
}
