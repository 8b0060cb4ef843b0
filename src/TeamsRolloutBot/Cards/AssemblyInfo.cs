using System.Runtime.CompilerServices;

// The card tests compare the binder's input with the npm templating engine (CardRenderer.Prepare) and use the
// temporary plan glue; both are internal.
[assembly: InternalsVisibleTo("TeamsRolloutBot.Tests")]
[assembly: InternalsVisibleTo("TeamsRolloutBot.Browser.Tests")]
