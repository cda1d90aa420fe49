using System.Collections;
using Microsoft.AspNetCore.Components.Forms;

namespace VoicePlatform.Console.Forms;

/// <summary>
/// Puts a form's errors into its <see cref="EditContext"/>, so Blazor's inputs mark themselves invalid
/// (<c>aria-invalid</c>, the <c>invalid</c> class). The Gateway names fields in snake_case paths (<c>webhook_url</c>,
/// <c>arms[1].target</c>); they are matched to the form model's properties (<c>WebhookUrl</c>, <c>Arms[1].Target</c>).
/// </summary>
public static class EditContextErrors
{
    /// <summary>Runs a form's submit handler, then marks the inputs of the fields it found wrong.</summary>
    public static async Task SubmitAsync(this FormErrors errors, EditContext context, Func<Task> handler)
    {
        await handler();
        errors.ApplyTo(context);
    }

    public static void ApplyTo(this FormErrors errors, EditContext context)
    {
        var store = new ValidationMessageStore(context);
        foreach (var (path, messages) in errors.Fields)
            if (Resolve(context.Model, path) is { } field)
                store.Add(field, messages);
        context.NotifyValidationStateChanged();
    }

    private static FieldIdentifier? Resolve(object model, string path)
    {
        var owner = model;
        var segments = path.Split('.', StringSplitOptions.RemoveEmptyEntries);
        for (var i = 0; i < segments.Length; i++)
        {
            var segment = segments[i];
            var bracket = segment.IndexOf('[');
            var name = Pascal(bracket < 0 ? segment : segment[..bracket]);
            var property = owner.GetType().GetProperty(name);
            if (property is null) return null;
            if (bracket < 0)
            {
                if (i == segments.Length - 1) return new FieldIdentifier(owner, name);
                owner = property.GetValue(owner)!;
                if (owner is null) return null;
                continue;
            }
            if (property.GetValue(owner) is not IList list || !int.TryParse(segment[(bracket + 1)..].TrimEnd(']'), out var index) || index < 0 || index >= list.Count)
                return null;
            if (list[index] is not { } element) return null;
            owner = element;
            if (i == segments.Length - 1) return null; // a whole element: its messages show beside it, no single input to mark
        }
        return null;
    }

    private static string Pascal(string snake) =>
        string.Concat(snake.Split('_', StringSplitOptions.RemoveEmptyEntries).Select(part => char.ToUpperInvariant(part[0]) + part[1..]));
}
