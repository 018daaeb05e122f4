/**
 * AMQP topic-exchange matching: words separated by '.', `*` matches exactly one word and
 * `#` zero or more words. Used to route a message's routing key to a handler pattern.
 */
export function topicMatches(pattern: string, topic: string): boolean {
  const p = pattern.split('.');
  const t = topic.split('.');
  // memo[i][j]: does p[i..] match t[j..]?
  const memo = new Map<string, boolean>();
  const match = (i: number, j: number): boolean => {
    const key = `${i}:${j}`;
    const known = memo.get(key);
    if (known !== undefined) return known;
    let result: boolean;
    if (i === p.length) result = j === t.length;
    else if (p[i] === '#') result = match(i + 1, j) || (j < t.length && match(i, j + 1));
    else result = j < t.length && (p[i] === '*' || p[i] === t[j]) && match(i + 1, j + 1);
    memo.set(key, result);
    return result;
  };
  return match(0, 0);
}
