namespace TicketGateway.OperatorGateway.Web.Pages.Figures;

/// <summary>One entry of a chart's legend: its colour, label and, for the channels, the month's count.</summary>
internal sealed record ChartLegend(string Label, string Colour, long? Count);
