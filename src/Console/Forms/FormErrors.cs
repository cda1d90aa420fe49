using VoicePlatform.Console.Gateway;

namespace VoicePlatform.Console.Forms;

/// <summary>
/// The errors of one form: a message for the whole form and messages per field, filled from the Gateway's error answer
/// (its <c>param</c>, or a validation problem's <c>errors</c>) so each shows beside its input.
/// </summary>
public sealed class FormErrors(string form)
{
    private readonly Dictionary<string, List<string>> _fields = new(StringComparer.Ordinal);

    public string? Message { get; private set; }

    public bool Any => Message is not null || _fields.Count > 0;

    public IEnumerable<KeyValuePair<string, IReadOnlyList<string>>> Fields =>
        _fields.Select(f => KeyValuePair.Create(f.Key, (IReadOnlyList<string>)f.Value));

    /// <summary>The id of a field's message element, for the input's <c>aria-describedby</c>.</summary>
    public string Id(string field) => $"{form}-{field}-error".Replace('.', '-').Replace('[', '-').Replace("]", "");

    public void Add(string field, string message)
    {
        if (!_fields.TryGetValue(field, out var list)) _fields[field] = list = [];
        list.Add(message);
    }

    public void Fail(string message) => Message = message;

    /// <summary>Messages for <paramref name="field"/> and its parts (<c>arms[1].weight</c> belongs to <c>arms[1]</c> and <c>arms</c>).</summary>
    public IEnumerable<string> For(string field) => _fields
        .Where(f => f.Key == field || f.Key.StartsWith(field + ".", StringComparison.Ordinal) || f.Key.StartsWith(field + "[", StringComparison.Ordinal))
        .SelectMany(f => f.Value);

    public bool Has(string field) => For(field).Any();

    /// <summary>Runs a call to the Gateway; its error (or an unreachable Gateway) becomes this form's errors.</summary>
    public async Task<bool> TryAsync(Func<Task> call)
    {
        try
        {
            await call();
            return true;
        }
        catch (GatewayApiException e)
        {
            Message = e.Message;
            foreach (var (field, messages) in e.FieldErrors)
                foreach (var message in messages) Add(field, message);
            return false;
        }
        catch (Exception e) when (e is HttpRequestException or TaskCanceledException)
        {
            Message = "The Gateway could not be reached. Try again shortly.";
            return false;
        }
    }
}
