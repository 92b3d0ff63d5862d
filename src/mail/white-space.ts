/** White space that is not a lone space: where collapsing runs to one space changes anything. */
const TO_COLLAPSE = /[^\S ]| \s/;

/**
 * Runs of white space as one space, as `text.replace(/\s+/g, " ")` gives them. Most subjects and command
 * lines hold only lone spaces: those are returned as they are, without building a copy.
 */
export function collapseWhiteSpace(text: string): string {
  return TO_COLLAPSE.test(text) ? text.replace(/\s+/g, " ") : text;
}
