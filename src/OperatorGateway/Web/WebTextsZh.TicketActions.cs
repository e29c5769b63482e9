namespace TicketGateway.OperatorGateway.Web;

/// <summary>The Chinese of the ticket page's actions beyond answering: classify, refund, merge, the phone.</summary>
internal static partial class WebTextsZh
{
    public static readonly Dictionary<string, string> TicketActions = new(StringComparer.Ordinal)
    {
        ["Answer given on the phone recorded."] = "已记录电话答复。",
        ["Category"] = "类别",
        ["Change kind"] = "更改类型",
        ["Change level"] = "更改级别",
        ["Change status"] = "更改状态",
        ["Choose a kind."] = "请选择类型。",
        ["Choose a level from 1 to 4."] = "请选择 1 至 4 级。",
        ["Choose a status."] = "请选择状态。",
        ["Choose satisfied or unsatisfied."] = "请选择满意或不满意。",
        ["Classify"] = "分类",
        ["Give the reference of the ticket to merge this one into."] = "请填写要并入的工单编号。",
        ["Give the refund as a whole number of fen (1 yuan = 100 fen)."] = "退费金额请填写整数，单位为分（1 元 = 100 分）。",
        ["Kind changed; the deadlines are those of the new kind."] = "类型已更改，时限按新类型重新计算。",
        ["Level changed; the resolution deadline is recomputed from acceptance."] = "级别已更改，解决时限已从受理时间起重新计算。",
        ["Merge"] = "合并",
        ["Merge this ticket into"] = "将本工单并入",
        ["Merged here"] = "已并入本单",
        ["Merged into"] = "已并入",
        ["Merged: the other ticket's messages, files and history are here, and it is closed."] = "已合并：另一工单的消息、附件和历史已移至此处，该工单已关闭。",
        ["On the phone"] = "电话",
        ["Only complaints about a charge (fee_dispute, unwanted_subscription, service_quality) carry a refund."] = "只有涉及扣费的投诉（fee_dispute、unwanted_subscription、service_quality）可以退费。",
        ["Operator"] = "运营商",
        ["Record answer given on the phone"] = "记录电话答复",
        ["Record refund"] = "记录退费",
        ["Record satisfaction"] = "记录满意度",
        ["Refund"] = "退费",
        ["Refund in fen"] = "退费（分）",
        ["Refund recorded; the operator gets it with the resolution."] = "退费已记录，将随处理结果一并发送给运营商。",
        ["Repeat of"] = "重复投诉自",
        ["Satisfaction"] = "满意度",
        ["Status changed."] = "状态已更改。",
        ["The customer's satisfaction is recorded."] = "已记录客户满意度。",
        ["What the customer said"] = "客户原话",
        ["What the customer was told"] = "告知客户的内容",
        ["satisfied"] = "满意",
        ["unsatisfied"] = "不满意",
        ["{0} fen ({1:0.00} yuan)"] = "{0} 分（{1:0.00} 元）",
    };
}
