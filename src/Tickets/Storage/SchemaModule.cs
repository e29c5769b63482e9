namespace TicketGateway.Tickets.Storage;

/// <summary>
/// The schema steps of one module (Tickets, MailIntake, the operator gateway): the tables only
/// that module queries live in its steps, next to the code that queries them. A module registers
/// its steps with <see cref="SchemaServiceCollectionExtensions.AddSchema"/>; the store applies the
/// steps of every registered module when it opens, in one global order (see the remarks of <see cref="TicketDatabase"/>).
/// </summary>
/// <param name="Name">The module, named in errors (e.g. <c>MailIntake</c>).</param>
/// <param name="Steps">Its steps; each <see cref="SchemaStep.Version"/> is unique across all modules.</param>
public sealed record SchemaModule(string Name, IReadOnlyList<SchemaStep> Steps);
