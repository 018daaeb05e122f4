import { Client } from 'pg';

export interface SeedSize {
  persons: number;
  badges: number;
  /** Target number of assertions (the generator lands within a few percent of it). */
  assertions: number;
}

export const API_SIZE: SeedSize = { persons: 50_000, badges: 500, assertions: 1_000_000 };

/**
 * Fills an empty, migrated database with a realistic shape, in SQL on the server (fast):
 * a few heavy collectors and many people with one or two badges, popular badges and rare
 * ones, ten years of awards with more of them recently (so every leaderboard period has
 * data), 2 % of people opted out. Deterministic for a given size.
 */
export async function seedBenchData(
  url: string,
  size: SeedSize,
  log = (s: string) => console.log(s),
): Promise<void> {
  const db = new Client({ connectionString: url });
  await db.connect();
  try {
    await db.query(`SELECT setseed(0.2026)`);
    await db.query(`INSERT INTO issuers (name, origin, org, contact)
      VALUES ('Fedora Project', 'https://fedoraproject.org', 'Fedora', 'badges@fedoraproject.org')`);
    await db.query(
      `INSERT INTO badges (id, name, image, description, criteria, issuer_id, tags, created_on)
       SELECT 'badge-' || i, 'Badge ' || i, 'badge-' || i || '.png',
              'Awarded for activity number ' || i || ' in the Fedora Project.',
              'https://pagure.io/fedora-badges/issue/' || i, 1,
              ARRAY['tag' || (i % 20), 'group' || (i % 7)],
              now() - (i || ' days')::interval
         FROM generate_series(1, $1) AS i`,
      [size.badges],
    );
    await db.query(
      `INSERT INTO persons (nickname, email, created_on, opt_out, bio)
       SELECT 'user' || i, 'user' || i || '@fedoraproject.org', now() - ((i % 3650) || ' days')::interval,
              i % 50 = 0, CASE WHEN i % 3 = 0 THEN 'Contributor number ' || i END
         FROM generate_series(1, $1) AS i`,
      [size.persons],
    );
    // k badges per person: skewed (mean about assertions/persons); the j-th badge a person
    // earns is among the popular ones when j is small, so badge popularity is skewed too.
    const mean = size.assertions / size.persons;
    // Bulk load with triggers off (the data is consistent by construction), then rebuild
    // the derived figures in one pass, as a bulk import does.
    await db.query(`SET session_replication_role = replica`);
    const chunk = 25_000;
    for (let from = 1; from <= size.persons; from += chunk) {
      const to = Math.min(size.persons, from + chunk - 1);
      await db.query(
        `INSERT INTO assertions (id, badge_id, person_id, salt, recipient, issued_on)
         SELECT 'seed-' || p.id || '-' || j, 'badge-' || (1 + (floor(j * 1.37) + p.id % 5)::int % $3), p.id,
                md5(p.id || '-' || j), md5(p.email || md5(p.id || '-' || j)),
                now() - make_interval(secs => power(random(), 1.4) * 3650 * 86400)
           FROM persons p
           CROSS JOIN LATERAL generate_series(
             1, least($3, 1 + floor(($4 * 5.08 - 5) * power((hashtext(p.email) & 2147483647) / 2147483647.0, 4))::int)) AS j
          WHERE p.id BETWEEN $1 AND $2
         ON CONFLICT DO NOTHING`,
        [from, to, size.badges, mean],
      );
      log(`  assertions for persons ${from}-${to}`);
    }
    await db.query(`SET session_replication_role = DEFAULT`);
    log('  derived figures');
    await db.query(`SELECT accolades_rebuild_derived()`);
    await db.query('ANALYZE');
  } finally {
    await db.end();
  }
}
