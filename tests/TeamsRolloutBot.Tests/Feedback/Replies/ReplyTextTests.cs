using TeamsRolloutBot.Feedback.Replies;

namespace TeamsRolloutBot.Tests.Feedback.Replies;

public sealed class ReplyTextTests
{
    [Theory]
    [InlineData("<p>Hallo <at id=\"0\">Rollout Bot</at>, het werkte&nbsp;niet</p>", "Hallo @Rollout Bot, het werkte niet")]
    [InlineData("<div>Top <emoji id=\"like\" alt=\"👍\" title=\"Like\"></emoji></div>", "Top 👍")]
    [InlineData("Goed <img alt=\"😀\" src=\"https://statics.teams.cdn.office.net/evergreen-assets/personal-expressions/v2/assets/emoticons/smile/default/20_f.png\" itemtype=\"http://schema.skype.com/Emoji\" style=\"width:20px\">", "Goed 😀")]
    [InlineData("<p>Regel 1</p><p>Regel 2<br>Regel 3</p>", "Regel 1\nRegel 2\nRegel 3")]
    [InlineData("<p>Screenshot: <img src=\"https://graph.microsoft.com/v1.0/hostedContents/x\" alt=\"image\"></p>", "Screenshot:")]
    [InlineData("a &lt;b&gt; &amp; c", "a <b> & c")]
    public void Teams_html_becomes_plain_text(string html, string expected) => Assert.Equal(expected, ReplyText.FromHtml(html));

    [Fact]
    public void A_text_body_is_kept_as_it_is() => Assert.Equal("1 < 2 & <at>", ReplyText.FromBody("1 < 2 & <at>", "text"));
}
