using YamlDotNet.RepresentationModel;
using static TeamsRolloutBot.Plan.PlanNodeReader;

namespace TeamsRolloutBot.Plan.Rules;

/// <summary>The plan-wide settings: languages, time zone, business hours, weekend policy, holidays and contact.</summary>
internal sealed class SettingsRules(PlanNodeReader r)
{
    public void ReadLanguages(PlanFields root, out string defaultLanguage)
    {
        var list = new List<string>();
        if (root["languages"] is { } node && r.Sequence(node, "languages") is { } items)
        {
            foreach (var item in items)
            {
                if (r.Scalar(item, "languages") is not { } code)
                {
                    continue;
                }

                if (!PlanVocabulary.SupportedLanguages.Contains(code))
                {
                    r.Error(item, "languages", $"language '{code}' has no card texts in this bot",
                        $"{Suggest.DidYouMean(code, PlanVocabulary.SupportedLanguages)}use {Join(PlanVocabulary.SupportedLanguages)}");
                }
                else if (list.Contains(code))
                {
                    r.Error(item, "languages", $"language '{code}' is listed twice", "list each language once");
                }
                else
                {
                    list.Add(code);
                }
            }

            if (list.Count == 0 && items.Count == 0)
            {
                r.Error(node, "languages", "no languages listed", "write languages: [nl, en]");
            }
        }

        if (list.Count > 0)
        {
            r.Languages = list;
        }

        defaultLanguage = r.Languages[0];
        if (root["defaultLanguage"] is { } defaultNode && r.Scalar(defaultNode, "defaultLanguage") is { } value)
        {
            if (!r.Languages.Contains(value))
            {
                r.Error(defaultNode, "defaultLanguage", $"'{value}' is not one of the plan's languages ({Join(r.Languages)})",
                    $"{Suggest.DidYouMean(value, r.Languages)}set defaultLanguage to one of {Join(r.Languages)}, or add it to languages");
            }
            else
            {
                defaultLanguage = value;
            }
        }
    }

    public TimeZoneInfo? ReadTimeZone(PlanFields root)
    {
        if (root["timeZone"] is not { } node || r.Scalar(node, "timeZone") is not { } id)
        {
            return null;
        }

        if (id.Contains(' ', StringComparison.Ordinal) && TimeZoneInfo.TryConvertWindowsIdToIanaId(id, out var iana))
        {
            r.Error(node, "timeZone", $"'{id}' is a Windows time zone name, not an IANA time zone id", $"write timeZone: {iana}");
            return null;
        }

        try
        {
            return TimeZoneInfo.FindSystemTimeZoneById(id);
        }
        catch (Exception ex) when (ex is TimeZoneNotFoundException or InvalidTimeZoneException)
        {
            var known = TimeZoneInfo.GetSystemTimeZones().Select(z => z.Id).Where(z => z.Contains('/', StringComparison.Ordinal));
            r.Error(node, "timeZone", $"unknown time zone '{id}'",
                $"{Suggest.DidYouMean(id, known, 4)}use an IANA time zone id such as Europe/Amsterdam");
            return null;
        }
    }

    public BusinessHours ReadBusinessHours(PlanFields root)
    {
        var fallback = new BusinessHours(new TimeOnly(8, 0), new TimeOnly(18, 0));
        if (root["businessHours"] is not { } node || r.Map(node, "businessHours", ["start", "end"], ["start", "end"]) is not { } fields)
        {
            return fallback;
        }

        var start = fields["start"] is { } s ? r.TimeOfDay(s, fields.Sub("start")) : null;
        var end = fields["end"] is { } e ? r.TimeOfDay(e, fields.Sub("end")) : null;
        if (start is null || end is null)
        {
            return fallback;
        }

        if (end <= start)
        {
            r.Error(fields["end"]!, fields.Sub("end"), $"business hours end ({end:HH\\:mm}) before they start ({start:HH\\:mm})", "make end later than start, e.g. start: \"08:00\", end: \"18:00\"");
            return fallback;
        }

        return new BusinessHours(start.Value, end.Value);
    }

    public WeekendPolicy ReadWeekendPolicy(PlanFields root)
    {
        if (root["weekendSends"] is not { } node || r.Scalar(node, "weekendSends") is not { } value)
        {
            return WeekendPolicy.Keep;
        }

        switch (value)
        {
            case "keep":
                return WeekendPolicy.Keep;
            case "next-business-day":
                return WeekendPolicy.NextBusinessDay;
            default:
                r.Error(node, "weekendSends", $"unknown value '{value}'",
                    $"{Suggest.DidYouMean(value, PlanVocabulary.WeekendPolicies)}use keep or next-business-day");
                return WeekendPolicy.Keep;
        }
    }

    public List<Holiday> ReadHolidays(PlanFields root)
    {
        var holidays = new List<Holiday>();
        if (root["holidays"] is not { } node || r.Sequence(node, "holidays") is not { } items)
        {
            return holidays;
        }

        for (var i = 0; i < items.Count; i++)
        {
            var path = $"holidays[{i}]";
            if (items[i] is YamlMappingNode)
            {
                if (r.Map(items[i], path, ["date", "name"], ["date"]) is { } fields && fields["date"] is { } dateNode && r.Date(dateNode, fields.Sub("date")) is { } date)
                {
                    holidays.Add(new Holiday(date, fields["name"] is { } n ? r.Scalar(n, fields.Sub("name")) : null));
                }
            }
            else if (r.Date(items[i], path) is { } date)
            {
                holidays.Add(new Holiday(date, null));
            }
        }

        return holidays;
    }

    public PlanContact? ReadContact(PlanFields root)
    {
        if (root["contact"] is not { } node || r.Map(node, "contact", ["name", "email", "url"], []) is not { } fields)
        {
            return null;
        }

        var email = fields["email"] is { } e ? r.Scalar(e, fields.Sub("email")) : null;
        if (email is not null && !email.Contains('@', StringComparison.Ordinal))
        {
            r.Error(fields["email"]!, fields.Sub("email"), $"'{email}' is not an e-mail address", "write e.g. servicedesk@contoso.com");
        }

        var url = fields["url"] is { } un ? r.Url(un, fields.Sub("url")) : null;
        return new PlanContact(fields["name"] is { } n ? r.Scalar(n, fields.Sub("name")) : null, email, url);
    }
}
