/** The API's JSON, as far as the client commands read it (see /api/docs). */

export interface Page<T> {
  items: T[];
  total: number;
  page: number;
  per_page: number;
  pages: number;
}

export interface Badge {
  id: string;
  name: string;
  description: string;
  image: string;
  image_url: string;
  criteria: string;
  issuer_id: number;
  tags: string[];
  created_on: string | null;
  times_awarded: number;
  url: string;
}

export interface Issuer {
  id: number;
  name: string;
  origin: string;
  org: string;
  contact: string;
}

export interface BadgeDetail extends Badge {
  issuer: Issuer;
  first_awarded: string | null;
  last_awarded: string | null;
  percent_earned: number;
}

export interface Series {
  id: string;
  name: string;
  description: string;
  tags: string[];
  team_id: string | null;
  created_on: string | null;
  last_updated: string | null;
  badge_count?: number;
  url: string;
}

export interface SeriesDetail extends Series {
  team: { id: string; name: string } | null;
  milestones: { position: number | null; badge: Badge }[];
}

export interface Profile {
  id: number;
  nickname: string;
  website: string | null;
  bio: string | null;
  created_on: string | null;
  badge_count: number;
  url: string | null;
  rank: number | null;
  percentile: number | null;
  ranked_users: number;
  last_login: string | null;
}

export interface Held {
  badge: Badge;
  issued_on: string | null;
  issued_for: string | null;
  assertion_id: string;
}

export interface Holder {
  nickname: string;
  issued_on: string | null;
  issued_for: string | null;
}

export interface Leaderboard {
  period: string;
  start: string | null;
  end: string | null;
  entries: { rank: number; nickname: string; badges: number }[];
}

/** An invitation to claim a badge (a claim link and its QR code). */
export interface Invitation {
  code: string;
  badge_id: string;
  badge_name: string;
  claim_url: string;
  qr_url: string;
  expires_on: string;
  state: 'active' | 'expired' | 'revoked';
  created_by: string | null;
  created_on: string;
  revoked_on: string | null;
}
