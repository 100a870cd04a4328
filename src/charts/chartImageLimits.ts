// What the chat platforms accept as an image shown on a card, and what a chart must stay within.
// The numbers come from the platforms' own documentation (docs/charts.md "Limits"):
// - Microsoft Teams, "Format cards in Teams": an inline card image is PNG, JPEG or GIF, within
//   1024 × 1024 pixels and smaller than 1 MB.
// - Slack, Block Kit "Image block": PNG, JPG, JPEG or GIF from a publicly hosted URL
//   (`image_url`, at most 3000 characters); no pixel or byte limit is documented, so the stricter
//   Teams limits hold for both.

/** widest image, in pixels, a Teams card shows as is */
export const CARD_IMAGE_MAX_WIDTH_PX = 1024;
/** tallest image, in pixels, a Teams card shows as is */
export const CARD_IMAGE_MAX_HEIGHT_PX = 1024;
/** Teams: "file size less than 1 MB"; read as 1,000,000 bytes to stay on the safe side */
export const CARD_IMAGE_MAX_BYTES = 1_000_000;
