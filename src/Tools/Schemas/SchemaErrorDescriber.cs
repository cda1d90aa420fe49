using NJsonSchema.Validation;

namespace VoicePlatform.Tools.Schemas;

/// <summary>
/// Turns NJsonSchema's validation errors into short sentences ("order_id: is required") that a model can repeat to
/// the user or act on. Nested errors (anyOf, additionalProperties schemas, ...) are flattened to their leaves.
/// </summary>
public static class SchemaErrorDescriber
{
    private const int MaxErrors = 20;

    public static IReadOnlyList<string> Describe(IEnumerable<ValidationError> errors) =>
        [.. Leaves(errors).Select(Describe).Distinct().Take(MaxErrors)];

    private static IEnumerable<ValidationError> Leaves(IEnumerable<ValidationError> errors)
    {
        foreach (var error in errors)
        {
            if (error is ChildSchemaValidationError child && child.Errors.Values.Any(e => e.Count > 0))
            {
                foreach (var leaf in Leaves(child.Errors.Values.SelectMany(e => e))) yield return leaf;
            }
            else
            {
                yield return error;
            }
        }
    }

    private static string Describe(ValidationError error)
    {
        var path = error.Path is null or "#" ? "" : error.Path.StartsWith("#/", StringComparison.Ordinal) ? error.Path[2..] : error.Path;
        var where = path.Length == 0 ? "(root)" : path;
        return $"{where}: {Problem(error.Kind)}";
    }

    private static string Problem(ValidationErrorKind kind) => kind switch
    {
        ValidationErrorKind.PropertyRequired => "is required",
        ValidationErrorKind.NoAdditionalPropertiesAllowed => "is not an allowed property",
        ValidationErrorKind.StringExpected => "must be a string",
        ValidationErrorKind.IntegerExpected => "must be an integer",
        ValidationErrorKind.NumberExpected => "must be a number",
        ValidationErrorKind.BooleanExpected => "must be true or false",
        ValidationErrorKind.ObjectExpected => "must be an object",
        ValidationErrorKind.ArrayExpected => "must be an array",
        ValidationErrorKind.NullExpected => "must be null",
        ValidationErrorKind.NotInEnumeration => "is not one of the allowed values",
        ValidationErrorKind.NumberTooSmall => "is too small",
        ValidationErrorKind.NumberTooBig => "is too large",
        ValidationErrorKind.StringTooShort => "is too short",
        ValidationErrorKind.StringTooLong => "is too long",
        ValidationErrorKind.PatternMismatch => "does not match the required pattern",
        ValidationErrorKind.TooFewItems => "has too few items",
        ValidationErrorKind.TooManyItems => "has too many items",
        ValidationErrorKind.ItemsNotUnique => "must not contain duplicates",
        _ => $"is invalid ({kind})",
    };
}
