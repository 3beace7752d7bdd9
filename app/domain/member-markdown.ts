/**
 * Markdown a member wrote for a proposal's brief shows no remote images (as
 * comments do not): a picture from someone else's server on our page tells
 * that server who looked, and skips the moderation mood images get. Every
 * image (`![alt](url)`, `![alt][ref]`, `![ref]`) becomes the link it would
 * have loaded; an escaped `\![` stays text. Applied when the brief is shown
 * and when an accepted brief is copied into its round, so the round's brief
 * (rendered with images on, as admins write it) starts image-free too.
 */
export function withoutImages(markdown: string): string {
  // An unescaped "!" (after an even run of backslashes) just before "[" opens an image: it goes, and
  // any "!" typed before it is escaped, so it stays text instead of opening an image in its turn.
  return markdown.replace(
    /(^|[^\\])((?:\\\\)*)(!+)\[/g,
    (_all, before: string, slashes: string, bangs: string) => `${before}${slashes}${"\\!".repeat(bangs.length - 1)}[`,
  );
}
