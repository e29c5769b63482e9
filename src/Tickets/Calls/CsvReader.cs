using System.Text;

namespace TicketGateway.Tickets.Calls;

/// <summary>
/// A small RFC 4180 reader (quoted fields, doubled quotes, line breaks inside quotes) that keeps
/// the line each record starts on, so a bad row can be reported by line number.
/// </summary>
internal sealed class CsvReader(TextReader reader)
{
    private long _line = 1;

    /// <summary>The next record and the line it starts on; null at the end.</summary>
    public (long Line, List<string> Fields)? Next()
    {
        var fields = new List<string>();
        var field = new StringBuilder();
        var start = _line;
        var quoted = false;
        var any = false;
        while (true)
        {
            var c = reader.Read();
            if (c < 0)
            {
                if (!any)
                {
                    return null;
                }

                fields.Add(field.ToString());
                return (start, fields);
            }

            any = true;
            var ch = (char)c;
            if (quoted)
            {
                if (ch == '"')
                {
                    if (reader.Peek() == '"')
                    {
                        reader.Read();
                        field.Append('"');
                    }
                    else
                    {
                        quoted = false;
                    }
                }
                else
                {
                    if (ch == '\n')
                    {
                        _line++;
                    }

                    field.Append(ch);
                }

                continue;
            }

            switch (ch)
            {
                case '"':
                    quoted = true;
                    break;
                case ',':
                    fields.Add(field.ToString());
                    field.Clear();
                    break;
                case '\r':
                    break;
                case '\n':
                    _line++;
                    fields.Add(field.ToString());
                    return (start, fields);
                default:
                    field.Append(ch);
                    break;
            }
        }
    }
}
