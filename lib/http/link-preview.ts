/**
 * The user agents of the common link previews (unfurlers): chat apps, social networks and mail
 * clients fetch every link they show. Matched case-insensitively anywhere in User-Agent. This is a
 * second line only: the first is that a gift link counts a browser only when it comes back with
 * the cookie the link set, which a previewer that keeps no cookies never does.
 */
const UNFURLERS = [
  "slackbot", // Slack (Slackbot-LinkExpanding)
  "slack-imgproxy",
  "whatsapp", // WhatsApp, and Signal (which sends this agent)
  "facebookexternalhit", // Facebook, Messenger, and iMessage (which sends this agent)
  "facebot",
  "meta-externalagent",
  "twitterbot", // X
  "linkedinbot",
  "skypeuripreview", // Teams and Skype
  "microsoft preview", // Outlook and Office previews
  "ms office", // Office apps opening a link first
  "microsoft office",
  "bingpreview", // Outlook safe links' scanner, when it says so
  "discordbot",
  "telegrambot",
  "mastodon",
  "bluesky cardyb",
  "pinterestbot",
  "redditbot",
  "vkshare",
  "embedly",
  "iframely",
  "google-pagerenderer", // Google Chat and Docs previews
  "snap url preview",
  "viber",
];

const pattern = new RegExp(UNFURLERS.map((name) => name.replace(/[.*+?^${}()|[\]\\-]/g, "\\$&")).join("|"), "i");

/** Whether a request says it is a link preview, not a reader. Claiming to be one only lowers what it gets. */
export function isLinkPreview(headers: Headers): boolean {
  const agent = headers.get("user-agent");
  return agent !== null && pattern.test(agent.slice(0, 512));
}
