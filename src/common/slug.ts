/**
 * A badge (or series, team) id from its name, as fedbadges makes it: lower-cased, spaces
 * turned into `-`, and the characters "'()*&? removed. Old URLs depend on this exact rule.
 */
export function slugify(name: string): string {
  return name
    .toLowerCase()
    .replace(/ /g, '-')
    .replace(/["'()*&?]/g, '');
}
