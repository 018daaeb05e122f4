import { topicMatches } from './topic-match';

describe('topicMatches (AMQP topic semantics)', () => {
  it.each([
    ['#', 'org.fedoraproject.prod.bodhi.update.comment', true],
    ['#', '', true],
    ['org.fedoraproject.prod.#', 'org.fedoraproject.prod.bodhi.update.comment', true],
    ['org.fedoraproject.prod.#', 'org.fedoraproject.prod', true],
    ['org.fedoraproject.stg.#', 'org.fedoraproject.prod.bodhi.update.comment', false],
    ['*.fedoraproject.*.bodhi.#', 'org.fedoraproject.prod.bodhi.update.comment', true],
    ['*.fedoraproject.*.bodhi.#', 'org.fedoraproject.prod.koji.build', false],
    ['#.comment', 'org.fedoraproject.prod.bodhi.update.comment', true],
    ['#.comment', 'comment', true],
    ['#.comment', 'org.fedoraproject.prod.bodhi.update.commentary', false],
    ['a.*', 'a', false],
    ['a.*', 'a.b', true],
    ['a.*', 'a.b.c', false],
    ['a.#.c', 'a.c', true],
    ['a.#.c', 'a.b.x.c', true],
    ['a.#.#.c', 'a.b.c', true],
    ['exact.topic', 'exact.topic', true],
    ['exact.topic', 'exact.topics', false],
  ])('%s ~ %s -> %s', (pattern, topic, expected) => {
    expect(topicMatches(pattern, topic)).toBe(expected);
  });

  it('stays fast on long topics with many # (memoized)', () => {
    const pattern = Array(30).fill('#').join('.') + '.z';
    const topic = Array(60).fill('a').join('.');
    expect(topicMatches(pattern, topic)).toBe(false);
  });
});
