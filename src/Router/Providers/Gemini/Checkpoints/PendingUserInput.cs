using VoicePlatform.RealtimeProtocol;

namespace VoicePlatform.Router.Providers.Gemini;

/// <summary>
/// The user input a restored conversation ends with: the items after the last model turn that have words (user and
/// system messages, function results), which a re-ask answers. 3.1 takes them as realtime text, not as history.
/// </summary>
internal static class PendingUserInput
{
    /// <summary>How many items at the end of the conversation are user input (items without words count along).</summary>
    public static int Count(LocalConversation conversation)
    {
        var items = conversation.Items;
        var count = 0;
        var withWords = 0;
        for (var i = items.Count - 1; i >= 0; i--)
        {
            if (ConversationHistory.ToTurn(items[i], conversation) is { } turn)
            {
                if (turn.Role != "user")
                {
                    break;
                }

                withWords++;
            }

            count++;
        }

        return withWords == 0 ? 0 : count;
    }

    /// <summary>The items from <paramref name="first"/> on as held turns (their words; each names its item).</summary>
    public static IEnumerable<PendingTurn> Turns(LocalConversation conversation, int first)
    {
        var items = conversation.Items;
        for (var i = first; i < items.Count; i++)
        {
            if (ConversationHistory.ToTurn(items[i], conversation) is { } turn)
            {
                yield return new PendingTurn(turn.Role, turn.Text, null, items[i].Id);
            }
        }
    }
}
