using System.Text.Json;
using System.Text.Json.Nodes;
using TeamsRolloutBot.Protocol;

namespace TeamsRolloutBot.Tests.Protocol;

/// <summary>The activity model reads what Teams sends and keeps what it does not know.</summary>
public sealed class ActivityModelTests
{
    private const string TeamsChannelMessage = """
        {
          "type": "message", "id": "1699999999999", "timestamp": "2026-11-26T10:00:00.123Z", "localTimestamp": "2026-11-26T11:00:00.123+01:00",
          "serviceUrl": "https://smba.trafficmanager.net/emea/", "channelId": "msteams",
          "from": { "id": "29:abc", "name": "Anna", "aadObjectId": "aad-1", "brandNewUserField": true },
          "conversation": { "isGroup": true, "conversationType": "channel", "tenantId": "t-1", "id": "19:x@thread.tacv2;messageid=1699999999999" },
          "recipient": { "id": "28:bot", "name": "Rollout" },
          "textFormat": "plain", "locale": "nl-NL", "text": "<at>Rollout</at> hulp",
          "entities": [
            { "type": "mention", "text": "<at>Rollout</at>", "mentioned": { "id": "28:bot", "name": "Rollout" } },
            { "type": "clientInfo", "locale": "nl-NL", "country": "NL", "platform": "Web", "timezone": "Europe/Amsterdam" }
          ],
          "channelData": {
            "teamsChannelId": "19:x@thread.tacv2", "teamsTeamId": "19:team@thread.tacv2",
            "channel": { "id": "19:x@thread.tacv2" }, "team": { "id": "19:team@thread.tacv2", "aadGroupId": "g-1" },
            "tenant": { "id": "t-1" }, "settings": { "selectedChannel": { "id": "19:x@thread.tacv2" } }
          },
          "attachments": [ { "contentType": "text/html", "content": "<div>hi</div>" } ],
          "somethingTeamsAddsNextYear": { "a": [1, 2, 3] }
        }
        """;

    private static Activity Parse(string json) => JsonSerializer.Deserialize(json, ProtocolJsonContext.Default.Activity)!;

    [Fact]
    public void A_Teams_channel_message_is_read_with_its_channel_data_and_mentions()
    {
        var activity = Parse(TeamsChannelMessage);
        Assert.Equal("message", activity.Type);
        Assert.Equal("t-1", activity.TenantId);
        Assert.Equal("g-1", activity.ChannelData!.Team!.AadGroupId);
        Assert.Equal("19:x@thread.tacv2", activity.ChannelData.Channel!.Id);
        Assert.True(activity.MentionsBot());
        Assert.True(activity.IsGroupConversation());
        Assert.Equal("hulp", activity.GetTextWithoutBotMention());
        Assert.Equal("nl-NL", activity.GetLocale());
    }

    [Fact]
    public void Unknown_fields_survive_a_round_trip()
    {
        var activity = Parse(TeamsChannelMessage);
        var written = JsonNode.Parse(JsonSerializer.Serialize(activity, ProtocolJsonContext.Default.Activity))!;
        Assert.Equal(3, written["somethingTeamsAddsNextYear"]!["a"]!.AsArray().Count);
        Assert.True(written["from"]!["brandNewUserField"]!.GetValue<bool>());
        Assert.Equal("19:team@thread.tacv2", written["channelData"]!["teamsTeamId"]!.GetValue<string>());
        Assert.Equal("Web", written["entities"]![1]!["platform"]!.GetValue<string>());
        Assert.Equal("<div>hi</div>", written["attachments"]![0]!["content"]!.GetValue<string>());
    }

    [Fact]
    public void Outbound_activities_leave_out_empty_fields()
    {
        var json = JsonSerializer.Serialize(Activity.CreateMessage("hi"), ProtocolJsonContext.Default.Activity);
        Assert.Equal("""{"type":"message","text":"hi"}""", json);
    }

    [Theory]
    [InlineData("installationUpdate", "add", true, false)]
    [InlineData("installationUpdate", "add-upgrade", true, false)]
    [InlineData("installationUpdate", "remove", false, true)]
    public void Install_and_uninstall_are_recognised(string type, string action, bool installed, bool uninstalled)
    {
        var activity = new Activity { Type = type, Action = action, Recipient = new ChannelAccount { Id = "28:bot" } };
        Assert.Equal(installed, activity.IsBotInstalled());
        Assert.Equal(uninstalled, activity.IsBotUninstalled());
    }

    [Fact]
    public void A_conversation_update_adding_someone_else_is_not_an_install()
    {
        var activity = new Activity
        {
            Type = ActivityTypes.ConversationUpdate,
            Recipient = new ChannelAccount { Id = "28:bot" },
            MembersAdded = [new ChannelAccount { Id = "29:new-colleague" }],
        };
        Assert.False(activity.IsBotInstalled());
    }

    [Fact]
    public void A_mention_without_entity_text_is_stripped_by_name_and_other_mentions_stay()
    {
        var activity = new Activity
        {
            Text = "<at>Rollout</at> preview <at>Jan</at>",
            Recipient = new ChannelAccount { Id = "28:bot" },
            Entities =
            [
                new Entity { Type = "mention", Mentioned = new ChannelAccount { Id = "28:bot", Name = "Rollout" } },
                new Entity { Type = "mention", Text = "<at>Jan</at>", Mentioned = new ChannelAccount { Id = "29:jan", Name = "Jan" } },
            ],
        };
        Assert.Equal("preview <at>Jan</at>", activity.GetTextWithoutBotMention());
    }
}
