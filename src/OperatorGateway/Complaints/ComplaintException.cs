namespace TicketGateway.OperatorGateway.Complaints;

/// <summary>Why a complaint operation was refused.</summary>
internal enum ComplaintError
{
    /// <summary>A field is missing or malformed; <see cref="ComplaintException.Field"/> names it.</summary>
    Invalid,

    /// <summary>No complaint of this operator has that order id.</summary>
    NotFound,

    /// <summary>The order id was used before with different content.</summary>
    Conflict,

    /// <summary>The complaint's state does not allow the operation (e.g. a supplement after withdrawal).</summary>
    State,
}

/// <summary>A refused complaint operation; the message is one sentence the operator's engineers can act on.</summary>
internal sealed class ComplaintException(ComplaintError error, string message, string? field = null) : Exception(message)
{
    public ComplaintError Error { get; } = error;

    public string? Field { get; } = field;

    public static ComplaintException Invalid(string field, string message) => new(ComplaintError.Invalid, message, field);

    public static ComplaintException NotFound(string orderId) => new(ComplaintError.NotFound, $"No complaint with order_id '{orderId}' was filed by this operator.");
}
