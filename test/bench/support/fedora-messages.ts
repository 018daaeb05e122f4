import { pick, seededRandom } from '../../support/random';

/** A message as fedora-messaging publishes it (the replay command and the HTTP intake take it too). */
export interface FedoraMessageJson {
  topic: string;
  id: string;
  body: Record<string, unknown>;
  headers: Record<string, unknown>;
}

const PREFIX = 'org.fedoraproject.prod';
const GROUPS = [
  'packager',
  'provenpackager',
  'proventester',
  'sponsors',
  'sysadmin-main',
  'design-team',
];
const PACKAGES = [
  'kernel',
  'firefox',
  'python3',
  'gnome-shell',
  'systemd',
  'rpm',
  'dnf',
  'bash',
  'gcc',
  'vim',
];

type Make = (
  user: string,
  other: string,
  rnd: () => number,
) => {
  suffix: string;
  body: Record<string, unknown>;
  users: string[];
  packages?: string[];
};

/**
 * The topics the sample Collection listens to, weighted roughly as on Fedora's bus (Bodhi
 * comments and Koji builds dominate), with bodies shaped like the 2014 messages the rules
 * read (`msg.comment.author`, `msg.owner` + `msg.new`, `msg.agent` + `msg.user` + `msg.group`...).
 */
const KINDS: [number, Make][] = [
  [
    20,
    (u, o, r) => ({
      suffix: 'bodhi.update.comment',
      body: {
        comment: {
          author: u,
          karma: r() < 0.7 ? 1 : 0,
          anonymous: false,
          update_submitter: o,
          text: 'Works for me',
        },
      },
      users: [u, o],
    }),
  ],
  [
    18,
    (u, _o, r) => {
      const pkg = pick(r, PACKAGES);
      return {
        suffix: 'buildsys.build.state.change',
        body: {
          owner: u,
          name: pkg,
          version: '1.0',
          release: '1.fc41',
          new: r() < 0.6 ? 1 : 3,
          old: 0,
          instance: 'primary',
        },
        users: [u],
        packages: [pkg],
      };
    },
  ],
  [
    8,
    (u, _o, r) => ({
      suffix: 'bodhi.update.request.testing',
      body: {
        agent: u,
        update: {
          submitter: u,
          type: r() < 0.1 ? 'security' : 'bugfix',
          release: { id_prefix: r() < 0.1 ? 'FEDORA-EPEL' : 'FEDORA' },
        },
      },
      users: [u],
    }),
  ],
  [
    4,
    (u) => ({
      suffix: 'bodhi.update.request.stable',
      body: { agent: u, update: { submitter: u, release: { id_prefix: 'FEDORA' } } },
      users: [u],
    }),
  ],
  [
    6,
    (u, o, r) => ({
      suffix: 'fas.group.member.sponsor',
      body: { agent: { username: o }, user: { username: u }, group: pick(r, GROUPS) },
      users: [u, o],
    }),
  ],
  [
    6,
    (u) => ({
      suffix: 'wiki.article.edit',
      body: { user: u, title: `User:${u}`, url: `https://fedoraproject.org/wiki/User:${u}` },
      users: [u],
    }),
  ],
  [
    6,
    (u) => ({
      suffix: 'fedoratagger.tag.create',
      body: { user: { username: u, anonymous: false }, tag: { label: 'editor' } },
      users: [u],
    }),
  ],
  [
    3,
    (u) => ({
      suffix: 'fedoratagger.tag.update',
      body: { user: { username: u, anonymous: false }, vote: { like: true } },
      users: [u],
    }),
  ],
  [
    5,
    (u, _o, r) => ({
      suffix: 'git.receive',
      body: {
        commit: {
          username: u,
          path:
            r() < 0.2
              ? '/srv/git/docs/install-guide.git'
              : `/srv/git/rpms/${pick(r, PACKAGES)}.git`,
        },
      },
      users: [u],
    }),
  ],
  [
    3,
    (u, _o, r) => ({
      suffix: 'trac.ticket.update',
      body: {
        agent: u,
        instance: { project_name: r() < 0.5 ? 'Fedora Freemedia' : 'Fedora Infrastructure' },
        ticket: { status: 'closed', resolution: 'fixed' },
        old_values: { status: 'new' },
      },
      users: [u],
    }),
  ],
  [
    3,
    (u) => ({
      suffix: 'planet.post.new',
      body: { username: u, post: { title: 'Hello' } },
      users: [u],
    }),
  ],
  [3, (u) => ({ suffix: 'askbot.post.edit', body: { agent: u, topmost_post_id: 1 }, users: [u] })],
  [
    2,
    (u, o) => ({
      suffix: 'meetbot.meeting.complete',
      body: { owner: u, chairs: { [u]: true }, attendees: { [u]: 10, [o]: 5, zodbot: 1 } },
      users: [u, o],
    }),
  ],
  [
    2,
    (u) => ({
      suffix: 'fas.user.update',
      body: { user: { username: u }, fields: ['ircnick'] },
      users: [u],
    }),
  ],
  [
    1,
    (u) => ({ suffix: 'copr.build.end', body: { user: u, status: 1, copr: 'demo' }, users: [u] }),
  ],
];

/**
 * Deterministic realistic messages: `count` of them, by `users` people (Zipf-like: a few very
 * active contributors, a long tail), ids `<idPrefix><n>`.
 */
export function* fedoraMessages(opts: {
  count: number;
  users: number;
  seed?: number;
  idPrefix?: string;
}): Generator<FedoraMessageJson> {
  const rnd = seededRandom(opts.seed ?? 42);
  const total = KINDS.reduce((s, [w]) => s + w, 0);
  const person = () => `contributor${Math.floor(opts.users * rnd() ** 2)}`;
  for (let n = 0; n < opts.count; n++) {
    let x = rnd() * total;
    const make = KINDS.find(([w]) => (x -= w) < 0)?.[1] ?? KINDS[0][1];
    const user = person();
    let other = person();
    if (other === user) other = `${user}x`;
    const m = make(user, other, rnd);
    const headers: Record<string, unknown> = { fedora_messaging_schema: 'base.message' };
    for (const u of m.users) headers[`fedora_messaging_user_${u}`] = true;
    for (const p of m.packages ?? []) headers[`fedora_messaging_package_${p}`] = true;
    yield {
      topic: `${PREFIX}.${m.suffix}`,
      id: `${opts.idPrefix ?? 'bench-'}${n}`,
      body: m.body,
      headers,
    };
  }
}
